"""What every request needs: where the store is, how to open it read-only (one DuckDB
connection per request, so requests never share one), and the actor-key names (loaded
once, on first use)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from communique.api.errors import StoreBusyError
from communique.errors import StoreError
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


@dataclass
class ApiContext:
    store_path: Path | str
    settings: Settings
    busy_wait: float = STORE_BUSY_WAIT_SECONDS
    _names: KeyDirectory | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @contextmanager
    def store(self) -> Iterator[SqlStore]:
        """The store opened read-only for one request, closed afterwards. Raises
        ``StoreError`` (no store, not a store, needs upgrading) or ``StoreBusyError``."""
        from communique.store import display_target, open_store

        deadline = time.monotonic() + self.busy_wait
        while True:
            try:
                opened = open_store(self.store_path, read_only=True)
                break
            except StoreError as exc:
                if not _is_lock_error(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise StoreBusyError(
                        "the store is being written (an ingest holds it) and cannot be read now",
                        where=display_target(self.store_path),
                        hint="retry when the ingest is done (DuckDB allows no reader beside a "
                        "writer in another process)",
                    ) from exc
                time.sleep(STORE_BUSY_POLL_SECONDS)
        with opened:
            yield opened

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
