"""Load test of the HTTP API on loopback: many concurrent clients on /api/events and
/api/dyads over a store of synthetic coded events, with latency percentiles and an error
count (any error fails the run).

    python bench/load.py [--clients 100] [--seconds 30] [--events 100000] [--seed 7]
                         [--store PATH_OR_POSTGRES_URL] [--writer] [--out bench/out/load.json]

1. A store of ``--events`` dyadic event rows (one row per event: one source, at most one
   target) over ``--events * 0.15`` synthetic articles is built from code, seeded, with
   skewed countries and dyads, the sixteen PLOVER types, dates over two years and places.
   It is written with the store's own ``write()`` in batches (DuckDB loads them through
   Arrow). A DuckDB store is cached under bench/out/ (git-ignored) and reused while its
   counts match; a PostgreSQL database (``--store postgresql://...``) must be empty (it
   is filled) or hold exactly this store.
2. The real app is served by ``communique serve`` in a subprocess on 127.0.0.1 (a free
   port), as a user runs it, so that clients and server never share an interpreter.
3. ``--clients`` asyncio clients (httpx, one connection each) send requests back to back
   for ``--seconds``: /api/events with varied filters (country, dyad, type, since/until,
   q, limit) and cursor paging, and /api/dyads with varied pairs. Each request's latency
   and outcome are recorded; a request slower than ``REQUEST_TIMEOUT_SECONDS`` is an
   error. The run is bounded: no request starts after the deadline.
4. ``--writer`` (DuckDB only) adds what an ingest does meanwhile, from this process (not
   the server's): it opens the file for writing, waiting for the API to let go as
   store/duckdb.py does, holds it as long as a batch's store work, lets go, and again
   after a pause. Its waits show how long the API keeps a writer out under this load
   (api/context.py); a wait over ``WRITER_WAIT_LIMIT_SECONDS`` is an error.

Prints and writes (``--out``) p50/p90/p99/max latency and requests/s per endpoint, error
counts with samples, CPU seconds of the server and the clients, and the load average
before and after (other work on the machine skews the numbers: say so when reporting
them). Exit status 1 when any request failed, 2 when the run could not start.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

OUT_DIR = Path(__file__).resolve().parent / "out"

# -- the synthetic store --------------------------------------------------------------------

# Bump when the generator changes: cached stores of another generation are rebuilt.
GENERATION = 1
# Coder version stamped on every generated article: tells a generated store from another.
LOAD_VERSION = f"load-bench-{GENERATION}"
# Articles per event row: 15,000 articles for 100,000 rows, 6-7 events a dispatch, as
# coded wire copy has (several meetings, statements and reactions per dispatch).
ARTICLES_PER_EVENT = 0.15
# Articles per write() call: one transaction and one Arrow load per table each; 1,000
# articles (~6,700 rows) keeps a batch's Python objects to a few tens of MB.
WRITE_BATCH_ARTICLES = 1_000
# Two years of dates: since/until filters then select a few percent to most of the rows.
FIRST_DAY = date(2023, 1, 1)
DAYS = 731
# Shares of events whose date is a month only, a year only, or unknown (the rest: a day),
# and of one-sided events (no target) and events with no identified source (key unknown).
MONTH_DATES, YEAR_DATES, NO_DATES = 0.05, 0.01, 0.02
ONE_SIDED, UNKNOWN_SOURCE = 0.10, 0.03
# Share of located events.
LOCATED = 0.6
# Zipf exponent of actor popularity: a few countries take part in most events (as in
# real coverage), so some dyads hold thousands of rows and most hold a handful.
ZIPF_EXPONENT = 1.1

# Actor keys: ISO alpha-3 countries and a few organisations (org code, IGO, no country).
COUNTRIES = (
    "USA", "RUS", "CHN", "FRA", "UKR", "DEU", "GBR", "TUR", "IRN", "ISR", "JPN", "IND", "AZE",
    "ARM", "KAZ", "POL", "EGY", "SAU", "BRA", "NGA", "MLI", "SEN", "DZA", "MAR", "GEO", "CAN",
    "ITA", "ESP", "KOR", "PRK", "PAK", "AFG", "IRQ", "SYR", "LBN", "QAT", "ETH", "SDN", "ZAF",
    "MEX", "VEN", "COL", "ARG", "IDN", "VNM", "PHL", "AUS", "UZB", "KGZ", "TJK",
)  # fmt: skip
ORGS = ("UNO", "EUR", "NATO", "AU")
SECTORS = ("GOV", "GOV", "GOV", "MIL", "LEG", "OPP", "CVL", "BUS")
ROLES = ("foreign minister", "president", "prime minister", "defence minister", "envoy")
PLACES = (
    ("Bakou", "AZE", 40.38, 49.89),
    ("Moscou", "RUS", 55.75, 37.62),
    ("Geneva", "CHE", 46.20, 6.15),
    ("Pékin", "CHN", 39.90, 116.40),
    ("Washington", "USA", 38.90, -77.04),
    ("Paris", "FRA", 48.86, 2.35),
    ("Kyiv", "UKR", 50.45, 30.52),
    ("Ankara", "TUR", 39.93, 32.86),
    ("Tehran", "IRN", 35.69, 51.39),
    ("Tokyo", "JPN", 35.68, 139.69),
    ("New Delhi", "IND", 28.61, 77.21),
    ("Astana", "KAZ", 51.17, 71.45),
    ("Le Caire", "EGY", 30.04, 31.24),
    ("Bamako", "MLI", 12.64, -8.00),
    ("Brasília", "BRA", -15.79, -47.88),
    ("New York", "USA", 40.71, -74.01),
    ("Bruxelles", "BEL", 50.85, 4.35),
    ("Doha", "QAT", 25.29, 51.53),
)
# Trigger phrases per type, in English and French (they appear in the evidence).
TRIGGERS = {
    "AGREE": ("agreed with", "s'est accordé avec"),
    "CONSULT": ("met", "a rencontré"),
    "SUPPORT": ("praised", "a salué"),
    "CONCEDE": ("pardoned", "a gracié"),
    "COOPERATE": ("signed a trade deal with", "a conclu un accord commercial avec"),
    "AID": ("sent aid to", "a envoyé de l'aide à"),
    "RETREAT": ("released prisoners of", "a libéré des prisonniers de"),
    "REQUEST": ("asked", "a demandé à"),
    "ACCUSE": ("accused", "a accusé"),
    "REJECT": ("rejected the proposal of", "a rejeté la proposition de"),
    "THREATEN": ("threatened", "a menacé"),
    "PROTEST": ("protested against", "a manifesté contre"),
    "SANCTION": ("imposed sanctions on", "a imposé des sanctions à"),
    "MOBILIZE": ("massed troops near", "a massé des troupes près de"),
    "COERCE": ("arrested citizens of", "a arrêté des ressortissants de"),
    "ASSAULT": ("shelled positions of", "a bombardé des positions de"),
}
# Words of the evidence sentences, and so of the load's text queries.
TOPICS = (
    "gas", "grain", "border", "security", "nuclear", "energy", "ceasefire", "elections",
    "trade", "water", "refugees", "pipeline", "talks", "debt", "sanctions", "drones",
)  # fmt: skip
# Goldstein-style intensity of each type (coding/data/plover.yaml).
INTENSITY = {
    "AGREE": 3.0, "CONSULT": 1.0, "SUPPORT": 3.5, "CONCEDE": 5.0, "COOPERATE": 6.0,
    "AID": 7.0, "RETREAT": 5.0, "REQUEST": -2.0, "ACCUSE": -2.0, "REJECT": -4.0,
    "THREATEN": -6.0, "PROTEST": -6.5, "SANCTION": -5.0, "MOBILIZE": -7.0, "COERCE": -7.5,
    "ASSAULT": -9.0,
}  # fmt: skip
# Share of each type, cooperative and verbal types first (news coverage is mostly talk).
TYPE_WEIGHTS = (8, 14, 8, 2, 5, 3, 3, 7, 9, 4, 4, 3, 4, 3, 5, 8)

KEYS = (*COUNTRIES, *ORGS)


def _zipf_weights(n: int) -> list[float]:
    return [1.0 / (rank + 1) ** ZIPF_EXPONENT for rank in range(n)]


def dense_dyads(k: int = 40) -> list[tuple[str, str]]:
    """The ``k`` unordered pairs of keys most likely under the generator's popularity
    weights (the pairs the load asks about most)."""
    weights = _zipf_weights(len(KEYS))
    pairs = [
        (weights[i] * weights[j], KEYS[i], KEYS[j])
        for i in range(len(KEYS))
        for j in range(i + 1, len(KEYS))
    ]
    pairs.sort(reverse=True)
    return [(a, b) for _, a, b in pairs[:k]]


def synthetic_articles(n_events: int, seed: int) -> Iterator[Any]:
    """``n_events`` events (each one dyadic row) spread over ``n_events * 0.15`` coded
    articles, generated from ``seed`` alone (the same seed gives the same articles)."""
    from communique.model import ActorRef, Article, CodedArticle, DateRef, Event, Place, TextSpan
    from communique.model.plover import PLOVER_TYPES, QUADS

    rng = random.Random(seed)
    weights = _zipf_weights(len(KEYS))
    n_articles = max(1, round(n_events * ARTICLES_PER_EVENT))
    base, extra = divmod(n_events, n_articles)
    nobody = ActorRef("unidentified gunmen", "group", method="load")

    def actor(key: str) -> Any:
        if key in ORGS:
            return ActorRef(f"the {key} envoy", "org", sector="IGO", org=key, method="load")
        role = rng.choice(ROLES)
        return ActorRef(
            f"the {key} {role}",
            "person",
            country=key,
            sector=rng.choice(SECTORS),
            role=role,
            actor_id=f"load:{key}:{role}",
            method="load",
        )

    for i in range(n_articles):
        lang = "fr" if i % 2 else "en"
        published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        n = base + (1 if i < extra else 0)
        sentences: list[tuple[str, str, str, Any, Any, Any, Any]] = []
        for _ in range(n):
            etype = rng.choices(PLOVER_TYPES, weights=TYPE_WEIGHTS)[0]
            src_key, tgt_key = rng.choices(KEYS, weights=weights, k=2)
            while tgt_key == src_key:
                tgt_key = rng.choices(KEYS, weights=weights)[0]
            source = nobody if rng.random() < UNKNOWN_SOURCE else actor(src_key)
            target = None if rng.random() < ONE_SIDED else actor(tgt_key)
            place = rng.choice(PLACES) if rng.random() < LOCATED else None
            r = rng.random()
            day = published - timedelta(days=rng.randrange(3))
            when = (
                DateRef(None, None)
                if r < NO_DATES
                else DateRef(str(day.year), "year")
                if r < NO_DATES + YEAR_DATES
                else DateRef(day.isoformat()[:7], "month")
                if r < NO_DATES + YEAR_DATES + MONTH_DATES
                else DateRef(day.isoformat(), "day")
            )
            trigger = TRIGGERS[etype][lang == "fr"]
            topic = rng.choice(TOPICS)
            other = target.name if target is not None else "the region"
            at, about = (" à ", " au sujet de ") if lang == "fr" else (" in ", " over ")
            where = at + place[0] if place else ""
            name = source.name[0].upper() + source.name[1:]
            sentence = f"{name} {trigger} {other}{where}{about}{topic}."
            sentences.append((sentence, trigger, etype, source, target, place, when))
        header = f"{published.isoformat()} - Dispatch {i}. "
        text = header + " ".join(s[0] for s in sentences)
        events = []
        pos = len(header)
        for index, (sentence, trigger, etype, source, target, place, when) in enumerate(sentences):
            start = text.index(sentence, pos)
            pos = start + len(sentence)
            tstart = text.index(trigger, start)
            events.append(
                Event(
                    type=etype,
                    mode=None,
                    sources=(source,),
                    targets=() if target is None else (target,),
                    date=when,
                    evidence=TextSpan.of(text, start, pos),
                    trigger=TextSpan.of(text, tstart, tstart + len(trigger)),
                    rule=f"{lang}.{etype.lower()}.load",
                    confidence=round(0.5 + 0.45 * rng.random(), 2),
                    location=None
                    if place is None
                    else Place(place[0], country=place[1], lat=place[2], lon=place[3]),
                    quad=QUADS[etype],
                    intensity=INTENSITY[etype],
                    sentence_index=index,
                    trace=("source: load", "target: load"),
                )
            )
        actors = tuple({a.name: a for ev in events for a in (*ev.sources, *ev.targets)}.values())
        yield CodedArticle(
            Article(
                id=f"load-{i:06d}",
                text=text,
                lang=lang,
                published=published,
                title=f"Dispatch {i}",
                source="LOAD",
            ),
            tuple(events),
            actors,
        )


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def fill_store(target: Path | str, n_events: int, seed: int) -> None:
    """Write the generated articles into the (new or empty) store at ``target``."""
    from communique.store import open_store

    with open_store(target) as store:
        for batch in _batches(synthetic_articles(n_events, seed), WRITE_BATCH_ARTICLES):
            store.write(batch, LOAD_VERSION)


def _store_counts(target: Path | str, *, read_only: bool) -> tuple[int, int, bool]:
    """(articles, events, whether the first article is a generated one) of a store."""
    from communique.store import open_store

    with open_store(target, read_only=read_only) as store:
        first = store.stored_versions(["load-000000"]).get("load-000000")
        return store.articles_count(), store.events_count(), first == LOAD_VERSION


class LoadSetupError(Exception):
    """The load test cannot start (a store in the way, a server that does not start)."""


def default_store_path(n_events: int, seed: int) -> Path:
    return OUT_DIR / f"load_{n_events}_s{seed}_g{GENERATION}.duckdb"


def prepare_store(n_events: int, seed: int, store: Path | str | None = None) -> Path | str:
    """A store holding exactly the generated ``n_events`` rows of ``seed``: built (once)
    or reused. ``store``: a DuckDB file (default: cached under bench/out/) or a
    PostgreSQL URL (an empty database or schema, filled here)."""
    from communique.store import display_target, is_store_url

    n_articles = max(1, round(n_events * ARTICLES_PER_EVENT))
    expected = (n_articles, n_events, True)
    if store is not None and is_store_url(store):
        found = _store_counts(store, read_only=False)
        if found == (0, 0, False):
            fill_store(store, n_events, seed)
            found = _store_counts(store, read_only=True)
        if found != expected:
            raise LoadSetupError(
                f"{display_target(store)} holds {found[0]} articles and {found[1]} events, "
                f"not the generated {n_articles} and {n_events} (seed {seed}): give an empty "
                "database or schema (?options=-csearch_path%3DNAME)"
            )
        return store
    path = Path(store) if store is not None else default_store_path(n_events, seed)
    if path.exists():
        try:
            if _store_counts(path, read_only=True) == expected:
                return path
        except Exception as exc:  # an unreadable cache is rebuilt, a foreign file is not
            if store is not None:
                raise LoadSetupError(f"{path} is not a readable store: {exc}") from exc
        if store is not None:
            raise LoadSetupError(
                f"{path} is not the generated store of {n_events} events (seed {seed}); "
                "remove it or name a new file"
            )
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    fill_store(partial, n_events, seed)
    os.replace(partial, path)  # a run killed while building never leaves a "cached" store
    return path


# -- the server -----------------------------------------------------------------------------

# Seconds for the server to answer its first request (imports, knowledge base on first
# filter); generous for a loaded machine.
SERVER_START_SECONDS = 90.0
# Pause between two readiness probes of a starting server.
SERVER_POLL_SECONDS = 0.2
# Seconds a stopped server gets to exit before it is killed.
SERVER_STOP_SECONDS = 20.0
# Command line running `communique` from this interpreter (no console script needed).
_CLI = "import sys; from communique.cli.main import main; sys.argv[0] = 'communique'; main()"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def cpu_seconds(self) -> float:
        """User + system CPU seconds of the server process so far (Linux /proc)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return math.nan
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serve(target: Path | str, log: Path | None = None) -> Iterator[Server]:
    """`communique serve` over ``target`` on 127.0.0.1 and a free port, until the block
    ends; its output goes to ``log`` (default: a temporary file)."""
    import httpx

    port = free_port()
    args = [sys.executable, "-c", _CLI, "serve", "--store", str(target), "--port", str(port)]
    if log is None:
        handle, name = tempfile.mkstemp(prefix="load-server-", suffix=".log")
        os.close(handle)
        log = Path(name)
    with log.open("wb") as out:  # a file, not a pipe: nobody reads the access log meanwhile
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if process.poll() is not None:
                raise LoadSetupError(f"the server exited ({process.returncode}): {_tail(log)}")
            try:
                if httpx.get(f"{server.url}/api/events?limit=1", timeout=10).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise LoadSetupError(f"the server did not answer in time: {_tail(log)}")
            time.sleep(SERVER_POLL_SECONDS)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=SERVER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _tail(log: Path, chars: int = 2_000) -> str:
    try:
        return log.read_text(errors="replace")[-chars:]
    except OSError:
        return "(no log)"


# -- the clients ----------------------------------------------------------------------------

# A request slower than this counts as an error (a timeout): with 100 clients queued on a
# two-core machine a request may wait a few seconds; a minute means the server is stuck.
REQUEST_TIMEOUT_SECONDS = 60.0
# Share of client actions on /api/dyads (the rest: /api/events, with its pages).
DYAD_SHARE = 0.35
# Pages of one events query a client reads at most, following next_cursor (a reader
# scrolling a list); it follows a cursor with FOLLOW_CURSOR probability each time.
MAX_PAGES = 4
FOLLOW_CURSOR = 0.6
# Page sizes asked for (the UI's 50 most often).
PAGE_SIZES = (10, 50, 50, 50, 100)
# Error samples kept per kind for the report.
ERROR_SAMPLES = 5

ENDPOINTS = ("events", "events (next page)", "dyads")


@dataclass
class Sample:
    endpoint: str
    seconds: float
    error: str | None  # None: a 200 with the expected body


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)

    def add(self, endpoint: str, seconds: float, error: str | None) -> None:
        self.samples.append(Sample(endpoint, seconds, error))


def _period(rng: random.Random) -> dict[str, str]:
    """since/until: a month, a few weeks, a year, or an open end."""
    start = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    kind = rng.randrange(4)
    if kind == 0:
        return {"since": start.isoformat()[:7], "until": start.isoformat()[:7]}
    if kind == 1:
        end = start + timedelta(days=rng.randrange(7, 60))
        return {"since": start.isoformat(), "until": end.isoformat()}
    if kind == 2:
        return {"since": start.isoformat()}
    return {"until": start.isoformat()}


def events_params(rng: random.Random) -> dict[str, str]:
    """Filters of one /api/events query: each filter on or off independently, so that
    queries range from the whole table to a single dyad in one month."""
    from communique.model.plover import PLOVER_TYPES

    weights = _zipf_weights(len(KEYS))
    params: dict[str, str] = {"limit": str(rng.choice(PAGE_SIZES))}
    r = rng.random()
    if r < 0.35:
        params["country"] = rng.choices(KEYS, weights=weights)[0]
    elif r < 0.55:
        a, b = rng.choice(dense_dyads())
        params["dyad"] = f"{a}-{b}"
    if rng.random() < 0.3:
        params["type"] = rng.choice(PLOVER_TYPES)
    if rng.random() < 0.4:
        params.update(_period(rng))
    if rng.random() < 0.15:
        params["q"] = rng.choice((*TOPICS, *(p[0] for p in PLACES)))
    return params


def dyad_params(rng: random.Random) -> dict[str, str]:
    """One /api/dyads query: a busy pair most often, else any two keys (often empty)."""
    from communique.model.plover import PLOVER_TYPES

    if rng.random() < 0.7:
        a, b = rng.choice(dense_dyads())
    else:
        a, b = rng.sample(KEYS, 2)
    params = {"a": a, "b": b}
    if rng.random() < 0.3:
        params.update(_period(rng))
    if rng.random() < 0.2:
        params["type"] = rng.choice(PLOVER_TYPES)
    return params


async def _get(
    client: Any, recorder: Recorder, endpoint: str, path: str, params: dict[str, str], key: str
) -> dict[str, Any] | None:
    """One GET, timed and recorded; its JSON body when it is a 200 holding ``key``."""
    import httpx

    t0 = time.perf_counter()
    error: str | None = None
    body: dict[str, Any] | None = None
    try:
        response = await client.get(path, params=params)
        if response.status_code != 200:
            error = f"status {response.status_code}: {response.text[:300]}"
        else:
            body = response.json()
            if not isinstance(body, dict) or key not in body:
                error = f"bad body: {response.text[:300]}"
                body = None
    except httpx.TimeoutException as exc:
        error = f"timeout: {type(exc).__name__}"
    except httpx.TransportError as exc:
        error = f"connection error: {type(exc).__name__}: {exc}"
    except ValueError as exc:  # JSON
        error = f"bad body: {exc}"
    recorder.add(endpoint, time.perf_counter() - t0, error)
    return body


async def _client(base_url: str, seed: int, deadline: float, recorder: Recorder) -> None:
    """One client: actions back to back until ``deadline`` (monotonic), then stop."""
    import httpx

    rng = random.Random(seed)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    timeout = httpx.Timeout(REQUEST_TIMEOUT_SECONDS)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout) as client:
        while time.monotonic() < deadline:
            if rng.random() < DYAD_SHARE:
                await _get(client, recorder, "dyads", "/api/dyads", dyad_params(rng), "months")
                continue
            params = events_params(rng)
            body = await _get(client, recorder, "events", "/api/events", params, "events")
            pages = 1
            while (
                body is not None
                and body.get("next_cursor")
                and pages < MAX_PAGES
                and rng.random() < FOLLOW_CURSOR
                and time.monotonic() < deadline
            ):
                params = {**params, "cursor": body["next_cursor"]}
                body = await _get(
                    client, recorder, "events (next page)", "/api/events", params, "events"
                )
                pages += 1


async def run_clients(base_url: str, clients: int, seconds: float, seed: int) -> Recorder:
    """``clients`` concurrent clients for ``seconds``; their recorded requests."""
    recorder = Recorder()
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(_client(base_url, seed * 1_000 + i, deadline, recorder) for i in range(clients))
    )
    return recorder


# -- the writer probe -----------------------------------------------------------------------

# How long a probe holds the file once it has it: an ingest batch's store work (selection
# and write of 256 articles, ~0.1 s: engines/driver.py), during which requests wait.
WRITER_HOLD_SECONDS = 0.1
# Pause between two probes: an ingest codes a batch (seconds) with the file released.
WRITER_PAUSE_SECONDS = 2.0
# How often a waiting probe retries: store/duckdb.py LOCK_POLL_SECONDS, as an ingest does.
WRITER_POLL_SECONDS = 0.05
# A probe kept out longer than this is an error: half an ingest's store_lock_wait_seconds.
WRITER_WAIT_LIMIT_SECONDS = 15.0


@dataclass
class WriterProbe:
    """Opens ``path`` for writing again and again until ``stop`` is set, recording how
    long each opening waited for readers in other processes to let go of the file."""

    path: Path
    stop: threading.Event = field(default_factory=threading.Event)
    waits: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def run(self) -> None:
        from communique.errors import StoreError
        from communique.store import open_store

        while not self.stop.is_set():
            t0 = time.monotonic()
            while True:
                try:
                    store = open_store(self.path)
                    break
                except StoreError as exc:
                    waited = time.monotonic() - t0
                    if "locked" not in exc.message or waited > WRITER_WAIT_LIMIT_SECONDS:
                        self.failures.append(f"writer kept out {waited:.1f} s: {exc.message}")
                        return
                time.sleep(WRITER_POLL_SECONDS)
            self.waits.append(time.monotonic() - t0)
            with store:
                time.sleep(WRITER_HOLD_SECONDS)
            self.stop.wait(WRITER_PAUSE_SECONDS)

    def summary(self) -> dict[str, Any]:
        ms = sorted(w * 1000 for w in self.waits)
        return {
            "openings": len(ms),
            "wait_p50_ms": round(percentile(ms, 50), 1),
            "wait_max_ms": round(ms[-1], 1) if ms else math.nan,
            "failures": self.failures,
        }


# -- the report -----------------------------------------------------------------------------


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (``p`` in 0..100) of ascending values; nan when empty."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarize(samples: Sequence[Sample], seconds: float) -> dict[str, Any]:
    """Per endpoint (and over all requests): count, requests/s over the run, latency
    percentiles in ms (of every request, failed ones included) and errors."""

    def stats(group: Sequence[Sample]) -> dict[str, Any]:
        ms = sorted(s.seconds * 1000 for s in group)
        return {
            "requests": len(group),
            "requests_per_s": round(len(group) / seconds, 1) if seconds > 0 else math.nan,
            "p50_ms": round(percentile(ms, 50), 1),
            "p90_ms": round(percentile(ms, 90), 1),
            "p99_ms": round(percentile(ms, 99), 1),
            "max_ms": round(ms[-1], 1) if ms else math.nan,
            "errors": sum(s.error is not None for s in group),
        }

    errors: dict[str, list[str]] = {}
    for s in samples:
        if s.error is not None:
            kind = s.error.split(":", 1)[0]
            errors.setdefault(kind, []).append(f"{s.endpoint}: {s.error}")
    return {
        "endpoints": {
            name: stats([s for s in samples if s.endpoint == name]) for name in ENDPOINTS
        },
        "all": stats(samples),
        "errors": {
            kind: {"count": len(v), "samples": v[:ERROR_SAMPLES]} for kind, v in errors.items()
        },
        "error_count": sum(s.error is not None for s in samples),
    }


def load_test(
    *,
    clients: int,
    seconds: float,
    events: int,
    seed: int,
    store: Path | str | None = None,
    server_log: Path | None = None,
    writer: bool = False,
) -> dict[str, Any]:
    """Build or reuse the store, serve it, run the clients (and, with ``writer``, the
    writer probe, on a DuckDB store), and summarize."""
    from communique.store import display_target, is_store_url

    t0 = time.perf_counter()
    target = prepare_store(events, seed, store)
    store_seconds = time.perf_counter() - t0
    if writer and is_store_url(target):
        raise LoadSetupError("--writer probes a DuckDB file; PostgreSQL has no file lock")
    probe = WriterProbe(Path(target)) if writer else None
    load_before = os.getloadavg()
    with serve(target, server_log) as server:
        cpu0 = server.cpu_seconds()
        self0 = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        prober = threading.Thread(target=probe.run) if probe else None
        if prober:
            prober.start()
        try:
            recorder = asyncio.run(run_clients(server.url, clients, seconds, seed))
        finally:
            if probe and prober:
                probe.stop.set()
                prober.join()
        elapsed = time.perf_counter() - started
        self1 = resource.getrusage(resource.RUSAGE_SELF)
        server_cpu = server.cpu_seconds() - cpu0
    load_after = os.getloadavg()
    client_cpu = (self1.ru_utime + self1.ru_stime) - (self0.ru_utime + self0.ru_stime)
    summary = summarize(recorder.samples, elapsed)
    if probe:
        summary["writer"] = probe.summary()
        summary["error_count"] += len(probe.failures)
    return {
        "store": display_target(target),
        "events": events,
        "seed": seed,
        "clients": clients,
        "seconds": seconds,
        "elapsed_s": round(elapsed, 2),
        "store_ready_s": round(store_seconds, 2),
        "server_cpu_s": round(server_cpu, 1),
        "client_cpu_s": round(client_cpu, 1),
        "cpus": os.cpu_count(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        **summary,
    }


def render(result: dict[str, Any]) -> str:
    lines = [
        f"store {result['store']}: {result['events']} events, {result['clients']} clients, "
        f"{result['elapsed_s']} s (server CPU {result['server_cpu_s']} s, clients "
        f"{result['client_cpu_s']} s; load average {result['loadavg_before'][0]} -> "
        f"{result['loadavg_after'][0]} on {result['cpus']} CPUs)",
        f"{'endpoint':<20}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p90 ms':>9}"
        f"{'p99 ms':>9}{'max ms':>9}{'errors':>8}",
    ]
    for name, s in [*result["endpoints"].items(), ("all", result["all"])]:
        lines.append(
            f"{name:<20}{s['requests']:>9}{s['requests_per_s']:>8}{s['p50_ms']:>9}"
            f"{s['p90_ms']:>9}{s['p99_ms']:>9}{s['max_ms']:>9}{s['errors']:>8}"
        )
    if "writer" in result:
        w = result["writer"]
        lines.append(
            f"writer: {w['openings']} openings, waited p50 {w['wait_p50_ms']} ms, "
            f"max {w['wait_max_ms']} ms, {len(w['failures'])} kept out"
        )
        lines.extend(f"  {failure}" for failure in w["failures"])
    for kind, e in result["errors"].items():
        lines.append(f"errors ({kind}): {e['count']}")
        lines.extend(f"  {sample}" for sample in e["samples"])
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--store",
        default=None,
        help="DuckDB file (default: cached under bench/out/) or postgresql:// URL of an "
        "empty database or schema",
    )
    parser.add_argument(
        "--writer",
        action="store_true",
        help="meanwhile, open the DuckDB file for writing every few seconds, as an ingest "
        "does, and report how long it waited",
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR / "load.json")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.events < 1:
        parser.error("--clients, --seconds and --events must be positive")
    from communique.store import store_target

    try:
        result = load_test(
            clients=args.clients,
            seconds=args.seconds,
            events=args.events,
            seed=args.seed,
            store=None if args.store is None else store_target(args.store),
            server_log=args.out.with_suffix(".server.log"),
            writer=args.writer,
        )
    except LoadSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(render(result))
    print(f"written to {args.out}")
    return 1 if result["error_count"] else 0


if __name__ == "__main__":
    sys.exit(main())
