"""Incremental ingest: a folder or feed file read again only costs its new files.

Content-hash article ids already let the store skip stored articles, but only after each
file was read, decoded and hashed. Here an engine skips, before opening it, every input
file whose absolute path, size and modification time (ns) match the stamp recorded when
all of its dispatches were stored by the same coder version. A file that changed (a JSONL
feed that grew) is read again, and its stored articles are skipped by id as before.

A file is stamped only once it was read to the end without an input problem, in the same
store transaction as the batch holding its last article, so an interrupted run never
stamps a file whose articles were not all stored.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from communique.ingest.paths import input_format, walk
from communique.ingest.readers import InputProblem
from communique.store.base import InputIndex, InputStamp

# Files whose stamps are looked up in one store query: one round trip per 512 files keeps
# a 100k-file folder to ~200 queries while holding only 512 paths at a time.
_LOOKUP_CHUNK = 512


class InputLedger:
    """Which input files to read, and which of those read are complete.

    ``files(paths)`` streams, in ``read_paths`` order, the files to read (and the problems
    of walking folders), leaving out unchanged files (counted in ``unchanged``). The engine
    calls ``done(file, complete=...)`` after reading each file, and passes ``take()`` as
    ``inputs`` to each ``store.write``.
    """

    def __init__(self, store: InputIndex, coder_version: str) -> None:
        self._store = store
        self._coder_version = coder_version
        self._open: dict[str, InputStamp] = {}
        self._complete: list[InputStamp] = []
        self.unchanged = 0

    def files(self, paths: Sequence[str | Path]) -> Iterator[Path | InputProblem]:
        """Files (and folder-walking problems) to pass one by one to ``read_paths``.

        Folders are walked as ``read_paths`` walks them (same order, supported formats
        only). Paths that are not regular files (missing, unreadable, another format named
        explicitly) are passed through, so that ``read_paths`` reports them.
        """
        pending: list[tuple[Path | InputProblem, InputStamp | None]] = []
        for given in paths:
            path = Path(given)
            try:
                is_dir = path.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                pending.append((path, _stamp(path)))
            else:
                for found in walk(path):
                    if isinstance(found, InputProblem):
                        pending.append((found, None))
                    elif input_format(found) is not None:
                        pending.append((found, _stamp(found)))
                    if len(pending) >= _LOOKUP_CHUNK:
                        yield from self._sift(pending)
                        pending = []
            if len(pending) >= _LOOKUP_CHUNK:
                yield from self._sift(pending)
                pending = []
        yield from self._sift(pending)

    def _sift(
        self, pending: list[tuple[Path | InputProblem, InputStamp | None]]
    ) -> Iterator[Path | InputProblem]:
        stamps = [s for _, s in pending if s is not None]
        known = self._store.input_stamps([s.path for s in stamps]) if stamps else {}
        for item, stamp in pending:
            if stamp is not None:
                if known.get(stamp.path) == (stamp.size, stamp.mtime_ns, self._coder_version):
                    self.unchanged += 1
                    continue
                self._open[str(item)] = stamp
            yield item

    def done(self, file: Path, *, complete: bool) -> None:
        """``file`` was read to its end; ``complete``: without any input problem, so it
        may be stamped once its articles are stored."""
        stamp = self._open.pop(str(file), None)
        if stamp is not None and complete:
            self._complete.append(stamp)

    def take(self) -> list[InputStamp]:
        """Stamps of the files completed since the last call, for the next store write."""
        taken, self._complete = self._complete, []
        return taken


def _stamp(path: Path) -> InputStamp | None:
    """The stamp of a regular file; None for anything else (read_paths reports it)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return InputStamp(os.path.abspath(path), info.st_size, info.st_mtime_ns)
