"""Helpers of the reliability tests (not a test module): run the real `communique ingest`
in a subprocess, read a store of either backend while it may be written, snapshot its
tables and list what would be wrong with it (duplicates, orphans, stamps of files not
stored whole)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reliability_corpus import Corpus

from communique.errors import StoreError
from communique.store import open_store, store_target

# The tables an ingest writes, and the column of each filled with the time of the write
# (left out when two stores are compared).
TABLES = (
    "articles",
    "events",
    "actors",
    "duplicates",
    "input_files",
    "article_signatures",
    "signature_bands",
)
_TIMES = {"articles": "ingested_at", "duplicates": "detected_at", "input_files": "recorded_at"}

# Pause between two looks at a store being written: short against a store batch's coding
# (a second or more in the reliability corpus), long enough not to hog the shared CPU.
POLL_SECONDS = 0.05

# Upper bound for one ingest of the reliability corpus (~10 s of CPU, most of it loading
# the models and the knowledge base), generous for a loaded 2-core machine; only a hung
# run ever reaches it.
INGEST_TIMEOUT_S = 300.0

# How long a read waits for an ingest to let go of a DuckDB file (the ingest holds it for
# ~0.1 s per store operation).
READ_LOCK_WAIT_S = 30.0


def start_ingest(corpus: Corpus, target: Path | str) -> subprocess.Popen[str]:
    """`communique ingest CORPUS --store TARGET` in a new process (the installed CLI's
    entry point, run by this interpreter)."""
    command = [
        sys.executable,
        "-c",
        "from communique.cli.main import main; main()",
        "ingest",
        str(corpus.folder),
        "--store",
        str(target),
    ]
    env = {**os.environ, "COLUMNS": "100"}
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    """Wait for ``proc``; its exit code, stdout and stderr."""
    out, err = proc.communicate(timeout=INGEST_TIMEOUT_S)
    return proc.returncode, out, err


def ingest(corpus: Corpus, target: Path | str) -> str:
    """Run the ingest to its end; its stdout. Fails the test on a non-zero exit."""
    code, out, err = finish(start_ingest(corpus, target))
    assert code == 0, f"ingest failed ({code}):\n{out}\n{err}"
    return out


def read(target: Path | str, sql: str) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` on the store, opened read-only; on DuckDB, retried while an
    ingest holds the file (up to READ_LOCK_WAIT_S)."""
    deadline = time.monotonic() + READ_LOCK_WAIT_S
    while True:
        try:
            with open_store(store_target(str(target)), read_only=True) as store:
                return store.fetch_all(sql, [])
        except StoreError as exc:
            if "locked" not in exc.message or time.monotonic() >= deadline:
                raise
        time.sleep(POLL_SECONDS)


def stored_count(target: Path | str) -> int:
    """Dispatches stored so far: coded articles plus linked near-duplicates."""
    ((n,),) = read(
        target, "SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM duplicates)"
    )
    return int(n)


def kill_when(proc: subprocess.Popen[str], reached: Callable[[], bool], what: str) -> None:
    """SIGKILL ``proc`` as soon as ``reached()`` holds; fails the test if ``proc`` ended
    first (the kill must land while it runs)."""
    deadline = time.monotonic() + INGEST_TIMEOUT_S
    while not reached():
        if proc.poll() is not None:
            _, out, err = finish(proc)
            raise AssertionError(f"the ingest ended before {what}:\n{out}\n{err}")
        assert time.monotonic() < deadline, f"never reached: {what}"
        time.sleep(POLL_SECONDS)
    proc.send_signal(signal.SIGKILL)
    code, _, _ = finish(proc)
    assert code == -signal.SIGKILL, f"the ingest ended by itself (exit {code}) before the kill"


def _columns(target: Path | str, table: str) -> list[str]:
    rows = read(
        target,
        "SELECT column_name FROM information_schema.columns "
        f"WHERE table_name = '{table}' AND table_schema = current_schema() "
        "ORDER BY ordinal_position",
    )
    return [r[0] for r in rows if r[0] != _TIMES.get(table)]


def snapshot(target: Path | str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an ingest writes, without write times, in a fixed order."""
    out = {}
    for table in TABLES:
        names = ", ".join(f'"{c}"' for c in _columns(target, table))
        out[table] = sorted(read(target, f"SELECT {names} FROM {table}"), key=repr)
    return out


# What must never be found in a store: each query returns the offending rows.
_ORPHANS = {
    "events without their article": (
        "SELECT DISTINCT article_id FROM events WHERE article_id NOT IN (SELECT id FROM articles)"
    ),
    "actors without their article": (
        "SELECT DISTINCT article_id FROM actors WHERE article_id NOT IN (SELECT id FROM articles)"
    ),
    "signatures without their article": (
        "SELECT article_id FROM article_signatures "
        "WHERE article_id NOT IN (SELECT id FROM articles)"
    ),
    "bands without their signature": (
        "SELECT DISTINCT article_id FROM signature_bands "
        "WHERE article_id NOT IN (SELECT article_id FROM article_signatures)"
    ),
    "links to an article not stored": (
        "SELECT duplicate_id FROM duplicates WHERE original_id NOT IN (SELECT id FROM articles)"
    ),
    "articles both coded and linked": (
        "SELECT duplicate_id FROM duplicates WHERE duplicate_id IN (SELECT id FROM articles)"
    ),
    "coded articles without a signature": (
        "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM article_signatures)"
    ),
    "articles stored twice": "SELECT id FROM articles GROUP BY id HAVING count(*) > 1",
    "events stored twice": (
        "SELECT article_id, row_index FROM events GROUP BY 1, 2 HAVING count(*) > 1"
    ),
    "actor mentions stored twice": (
        "SELECT article_id, mention_index FROM actors GROUP BY 1, 2 HAVING count(*) > 1"
    ),
    "band keys stored twice": (
        "SELECT band_key, article_id FROM signature_bands GROUP BY 1, 2 HAVING count(*) > 1"
    ),
}


def problems(target: Path | str, corpus: Corpus) -> dict[str, list[Any]]:
    """What is wrong with the store (empty when nothing): orphan and duplicate rows, ids
    that are not the corpus's, and stamped files whose dispatches are not all stored."""
    found: dict[str, list[Any]] = {}
    for name, sql in _ORPHANS.items():
        rows = read(target, sql)
        if rows:
            found[name] = rows[:5]
    stored = {r[0] for r in read(target, "SELECT id FROM articles")}
    stored |= {r[0] for r in read(target, "SELECT duplicate_id FROM duplicates")}
    unknown = stored - set(corpus.ids)
    if unknown:
        found["ids not in the corpus"] = sorted(unknown)[:5]
    for (path,) in read(target, "SELECT path FROM input_files"):
        missing = [i for i in corpus.files.get(path, ["<not a corpus file>"]) if i not in stored]
        if missing:
            found.setdefault("stamped files not stored whole", []).append((path, missing[:3]))
    return found


def stamped(target: Path | str) -> set[str]:
    return {r[0] for r in read(target, "SELECT path FROM input_files")}
