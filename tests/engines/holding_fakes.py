"""A fake coder that checks, each time it codes, that the ingest left the store's DuckDB
file free for other processes (not a test module; importable by spawned workers, which
get this folder on sys.path from their parent)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb
from engine_fakes import fake_events

from communique.model import Article, CodedArticle

# How long a probe in a worker process may wait for the driver to let go of the file:
# with several workers, the driver may be writing an earlier batch (~0.1 s) while a worker
# codes; a driver that held the file while its workers code would never let go.
PROBE_WAIT_S = 20.0
PROBE_POLL_S = 0.02


def open_read_only(path: Path, wait: float) -> bool:
    """Whether a read-only connection to ``path`` opens within ``wait`` seconds, as a
    reader in another process (the HTTP API) would open it."""
    deadline = time.monotonic() + wait
    while True:
        try:
            with duckdb.connect(str(path), read_only=True) as con:
                con.execute("SELECT count(*) FROM articles").fetchone()
            return True
        except duckdb.Error:
            if time.monotonic() >= deadline:
                return False
        time.sleep(PROBE_POLL_S)


class ProbingCoder:
    """Codes like the engine tests' fakes; before each chunk, fails unless the store
    file opens read-only within ``wait`` seconds."""

    coder_version = "probe-1"

    def __init__(self, path: Path, wait: float) -> None:
        self.path = path
        self.wait = wait
        self.probes = 0

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        chunk = list(articles)
        if not open_read_only(self.path, self.wait):
            raise AssertionError(f"the store {self.path} was held while coding")
        self.probes += 1
        for a in chunk:
            yield CodedArticle(a, fake_events(a))


def probing_coder(settings: Any) -> ProbingCoder:
    """Top-level (picklable) factory of a worker's coder: it waits like a reader would."""
    return ProbingCoder(Path(settings.store_path), PROBE_WAIT_S)
