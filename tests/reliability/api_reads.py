"""A stream of HTTP API reads over a store while `communique ingest` writes it (not a test
module): the app runs in this process (httpx's ASGI transport, no socket) over the same
store the ingest subprocess writes; each request opens the store read-only, as
`communique serve` does."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from ingest_runs import finish, start_ingest
from reliability_corpus import Corpus

from communique.api import create_app
from communique.store import store_target

# What is read, and how a count is taken from each answer. Every count can only grow
# while dispatches are added: the corpus holds fewer than 500 event rows, so a page of
# 500 rows is all of them.
READS = {
    "/api/events?limit=500": lambda body: len(body["events"]),
    "/api/events?country=FRA&limit=500": lambda body: len(body["events"]),
    "/api/dyads?a=FRA&b=MAR": lambda body: (
        sum(m["events"] for m in body["months"]) + body.get("undated", 0)
    ),
}


@dataclass
class ReadLog:
    """What the reads saw while the ingest ran (and once after it ended)."""

    statuses: Counter[int] = field(default_factory=Counter)
    counts: dict[str, list[int]] = field(default_factory=lambda: {u: [] for u in READS})
    failures: list[str] = field(default_factory=list)  # the first non-200 answers
    slowest_s: float = 0.0  # the longest request but the first (reported, never asserted)
    during: int = 0  # requests sent while the ingest process ran
    ingest_exit: int | None = None
    ingest_output: str = ""


@dataclass
class CleanIngest:
    """One uninterrupted ingest of the corpus into a fresh store (``target``), and what
    API reads saw while it ran."""

    target: Path | str
    reads: ReadLog


async def _read_round(client: httpx.AsyncClient, log: ReadLog, *, timed: bool = True) -> None:
    for url, count in READS.items():
        started = time.perf_counter()
        response = await client.get(url)
        if timed:
            log.slowest_s = max(log.slowest_s, time.perf_counter() - started)
        log.statuses[response.status_code] += 1
        if response.status_code == 200:
            log.counts[url].append(count(response.json()))
        elif len(log.failures) < 5:
            log.failures.append(f"{url}: {response.status_code} {response.text[:300]}")


def ingest_while_reading(corpus: Corpus, target: Path | str) -> ReadLog:
    """Run `communique ingest` on ``corpus`` into ``target`` (an existing store) and send
    READS, one after the other, for as long as it runs, then once more."""
    app = create_app(store_target(str(target)))
    log = ReadLog()

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            await _read_round(c, log, timed=False)  # loads the API's actor names first
            proc = start_ingest(corpus, target)
            try:
                while proc.poll() is None:
                    await _read_round(c, log)
                    log.during += len(READS)
            except BaseException:
                proc.kill()
                raise
            finally:
                code, out, err = await asyncio.to_thread(finish, proc)
            log.ingest_exit, log.ingest_output = code, out + err
            await _read_round(c, log)

    # a loop of its own, in a thread of its own: this thread may already run one (the
    # browser tests' Playwright leaves its loop running in the main thread)
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, run()).result()
    return log


def never_decrease(values: list[Any]) -> bool:
    return all(a <= b for a, b in itertools.pairwise(values))
