"""What every request needs: where the store is, the store opened read-only for the
request's duration (``ApiContext.store``), and the actor-key names (loaded once, on first
use).

A DuckDB store. DuckDB admits no writer beside a reader in another process, so the API
lets go of the file whenever it is idle: an ingest (the single writer, another process)
opens it between requests. Opening the file costs ~55 ms on a 100k-event store (catalogue,
indexes, cold blocks) against ~2 ms for a connection to a database this process already
has open (DuckDB's instance cache), so requests that overlap share one read-only
database instance (``DuckDBReaders``): the first request opens it, each request takes a
connection of its own to it, and the last request to finish closes it. Under continuous
load requests always overlap, which would keep the file open for ever and lock an ingest
out; so an instance is retired ``Settings.api_read_hold_seconds`` after it opened: new
requests wait until the requests in flight are done, and ``api_read_gap_seconds`` more,
during which a waiting ingest takes the file. The API holds the file at most
``api_read_hold_seconds`` plus its longest request at a time, and never while idle.

A PostgreSQL store (``PostgresReaders``): sessions are reused by overlapping requests (at
most one per request in flight) and all closed when the API is idle; PostgreSQL needs no
turn-taking with writers.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from communique.api.errors import StoreBusyError
from communique.errors import SettingsError, StoreError
from communique.query import DEFAULT_ORG_CODES
from communique.settings import Settings

if TYPE_CHECKING:
    from communique.api.names import KeyDirectory
    from communique.store.sql import SqlStore

# DuckDB lets one process write a file and no other process open it meanwhile: while an
# ingest holds the store, a request waits this long for the lock to go (an ingest that
# opens the store per batch releases it between batches) before answering 503.
STORE_BUSY_WAIT_SECONDS = 2.0
# Pause between two attempts to open a locked store: short against the wait above, long
# enough not to spin.
STORE_BUSY_POLL_SECONDS = 0.1


def _is_lock_error(exc: StoreError) -> bool:
    return "locked" in exc.message


def _busy(where: str, cause: StoreError | None) -> StoreBusyError:
    error = StoreBusyError(
        "the store is being written (an ingest holds it) and cannot be read now",
        where=where,
        hint="retry when the ingest is done (DuckDB allows no reader beside a "
        "writer in another process)",
    )
    error.__cause__ = cause
    return error


@dataclass(eq=False)
class DuckDBReaders:
    """The read-only DuckDB instance that overlapping requests share (module docstring):
    opened by the first request, retired ``hold`` seconds after it opened, closed by the
    last request out; after a retirement nothing reopens it for ``gap`` seconds.
    Thread-safe."""

    path: Path
    hold: float
    gap: float
    _cond: threading.Condition = field(default_factory=threading.Condition, repr=False)
    # The store that keeps the shared instance alive (None: the file is not open).
    _anchor: SqlStore | None = field(default=None, repr=False)
    _opened_at: float = 0.0
    _users: int = 0  # requests holding a connection to the instance
    _opening: bool = False  # a request is opening the instance (others wait for it)
    _reopen_at: float = -math.inf  # nothing opens the file before this (monotonic)

    @property
    def is_open(self) -> bool:
        """Whether this process holds the file now."""
        with self._cond:
            return self._anchor is not None

    @contextmanager
    def lease(self, busy_wait: float) -> Iterator[SqlStore]:
        """A read-only store for one request, on the shared instance. Waits for a
        retirement to finish, then up to ``busy_wait`` seconds for a writer in another
        process to let go of the file. Raises ``StoreError``, ``StoreBusyError``."""
        from communique.store import open_store

        self._enter(busy_wait)
        try:
            store = open_store(self.path, read_only=True)  # a connection to the instance
        except BaseException:
            self._leave()
            raise
        try:
            with store:
                yield store
        finally:
            self._leave()

    def _enter(self, busy_wait: float) -> None:
        deadline: float | None = None  # set once this request needs the file opened
        with self._cond:
            while True:
                now = time.monotonic()
                if self._anchor is not None:
                    if now - self._opened_at < self.hold:
                        self._users += 1
                        return
                    self._cond.wait()  # retired: the requests in flight finish first
                    continue
                if now < self._reopen_at:
                    self._cond.wait(self._reopen_at - now)  # a writer's turn
                    continue
                if deadline is None:
                    deadline = now + busy_wait
                if not self._opening:
                    self._opening = True
                    break
                if now >= deadline:
                    raise _busy(str(self.path), None)
                self._cond.wait(deadline - now)  # another request is opening it
        anchor: SqlStore | None = None
        try:
            anchor = self._open(deadline)
        finally:
            with self._cond:
                self._opening = False
                if anchor is not None:
                    self._anchor = anchor
                    self._opened_at = time.monotonic()
                    self._users = 1
                self._cond.notify_all()

    def _open(self, deadline: float) -> SqlStore:
        from communique.store import open_store

        while True:
            try:
                return open_store(self.path, read_only=True)
            except StoreError as exc:
                if not _is_lock_error(exc):
                    raise
                left = deadline - time.monotonic()
                if left <= 0:
                    raise _busy(str(self.path), exc) from exc
                time.sleep(min(STORE_BUSY_POLL_SECONDS, left))

    def _leave(self) -> None:
        with self._cond:
            self._users -= 1
            if self._users > 0 or self._anchor is None:
                return
            anchor, self._anchor = self._anchor, None
            now = time.monotonic()
            if now - self._opened_at >= self.hold:
                self._reopen_at = now + self.gap
            try:
                anchor.close()  # the last connection: the file is released here
            finally:
                self._cond.notify_all()


@dataclass(eq=False)
class PostgresReaders:
    """Read-only PostgreSQL sessions reused by overlapping requests and closed when the
    last request in flight finishes. Thread-safe; a store is used by one request at a
    time, and one whose request failed is closed, not reused."""

    url: str
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _idle: list[SqlStore] = field(default_factory=list, repr=False)
    _users: int = 0

    @property
    def is_open(self) -> bool:
        """Whether this process holds a session now."""
        with self._lock:
            return self._users > 0 or bool(self._idle)

    @contextmanager
    def lease(self, busy_wait: float) -> Iterator[SqlStore]:
        """A read-only store for one request. Raises ``StoreError``."""
        from communique.store import open_store

        with self._lock:
            self._users += 1
            store = self._idle.pop() if self._idle else None
        reusable = False
        try:
            if store is None:
                store = open_store(self.url, read_only=True)
            yield store
            reusable = True
        finally:
            self._leave(store, reusable)

    def _leave(self, store: SqlStore | None, reusable: bool) -> None:
        closing: list[SqlStore] = []
        with self._lock:
            self._users -= 1
            if store is not None:
                (self._idle if reusable else closing).append(store)
            if self._users == 0:
                closing += self._idle
                self._idle = []
        for s in closing:
            s.close()


@dataclass
class ApiContext:
    store_path: Path | str
    settings: Settings
    busy_wait: float = STORE_BUSY_WAIT_SECONDS
    _names: KeyDirectory | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _readers: DuckDBReaders | PostgresReaders = field(init=False, repr=False)

    def __post_init__(self) -> None:
        from communique.store import is_store_url

        hold = self.settings.api_read_hold_seconds
        gap = self.settings.api_read_gap_seconds
        if not (math.isfinite(hold) and hold > 0 and math.isfinite(gap) and gap >= 0):
            raise SettingsError(
                f"api_read_hold_seconds must be > 0 and api_read_gap_seconds >= 0, got "
                f"{hold!r} and {gap!r}",
                where="communique/settings.py",
                hint="keep the defaults (5.0 and 0.2) unless a measurement says otherwise",
            )
        if is_store_url(self.store_path):
            self._readers = PostgresReaders(str(self.store_path))
        else:
            self._readers = DuckDBReaders(Path(self.store_path), hold=hold, gap=gap)

    @contextmanager
    def store(self) -> Iterator[SqlStore]:
        """The store opened read-only for one request, closed afterwards (module
        docstring: overlapping requests share the open database). Raises ``StoreError``
        (no store, not a store, needs upgrading) or ``StoreBusyError``."""
        with self._readers.lease(self.busy_wait) as store:
            yield store

    @property
    def holds_store(self) -> bool:
        """Whether the store is open in this process now (False whenever no request is
        being served)."""
        return self._readers.is_open

    def names(self) -> KeyDirectory:
        """Names and kinds of actor keys, loaded from the knowledge base on first call."""
        with self._lock:
            if self._names is None:
                from communique.api.names import KeyDirectory
                from communique.knowledge.loader import load_knowledge

                kb = load_knowledge(imported=self.settings.imported_knowledge)
                self._names = KeyDirectory.from_knowledge(kb)
            return self._names

    def org_codes(self) -> frozenset[str]:
        """Non-country keys accepted in filters: the defaults and every known code."""
        return DEFAULT_ORG_CODES | self.names().codes()
