"""Reads and the one write of an app that writes to a DuckDB store, kept apart.

DuckDB refuses, inside one process, a read-write connection to a file while a read-only
one is open, and the reverse ("different configuration"). An app with the write endpoint
on therefore passes every opening of its DuckDB store through one ``StoreGate``: reads
share it, a write waits until the reads in progress are done and holds it alone for the
few milliseconds of its transaction, and reads arriving meanwhile wait for it. Waiting
writers go first, so a steady stream of reads cannot starve a write. Nothing holds the
file between requests. Other processes (a `communique ingest`) are kept out by DuckDB's
own file lock, which api/context.py and api/write.py wait for.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from communique.api.errors import StoreBusyError


class StoreGate:
    """A readers-writer gate with writer preference and bounded waits: ``reading()`` and
    ``writing()`` raise ``StoreBusyError`` (503, Retry-After) after ``wait_seconds``."""

    def __init__(self, wait_seconds: float, where: str) -> None:
        self.wait_seconds = wait_seconds
        self.where = where
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            ok = self._cond.wait_for(
                lambda: not self._writing and not self._writers_waiting, self.wait_seconds
            )
            if not ok:
                raise self._busy("the store is being written by this server")
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        deadline = time.monotonic() + self.wait_seconds
        with self._cond:
            self._writers_waiting += 1
            try:
                ok = self._cond.wait_for(
                    lambda: not self._writing and not self._readers,
                    max(0.0, deadline - time.monotonic()),
                )
            finally:
                self._writers_waiting -= 1
                if not self._writers_waiting:
                    self._cond.notify_all()  # reads held back for this writer may go
            if not ok:
                raise self._busy("reads of the store did not finish in time for the write")
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()

    def _busy(self, why: str) -> StoreBusyError:
        return StoreBusyError(
            f"{why}; try again shortly",
            where=self.where,
            hint="retry after the number of seconds in the Retry-After header",
        )
