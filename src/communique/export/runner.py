"""`communique export`: one function that checks the request, opens the store read-only
and streams the chosen format to a file (written whole or not at all) or a stream, in the
mention view (one record per dyadic event row) or the story view (one per story,
``export/stories.py``)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from communique.export.errors import ExportError
from communique.export.source import opened
from communique.query import EventFilter

if TYPE_CHECKING:
    from communique.store.sql import SqlStore

# format -> (module, writer function); each writer is (store, filter, binary stream) -> rows
_WRITERS: dict[str, tuple[str, str]] = {
    "jsonl": ("communique.export.flat", "write_jsonl"),
    "csv": ("communique.export.flat", "write_csv"),
    "parquet": ("communique.export.flat", "write_parquet"),
    "graphml": ("communique.export.graphml", "write_graphml"),
    "gdelt": ("communique.export.layouts", "write_gdelt"),
    "polecat": ("communique.export.layouts", "write_polecat"),
}
FORMATS: tuple[str, ...] = tuple(_WRITERS)

# The views: "mention" (the writers above) or "story" (same format names, one record per
# story; each writer is (store, filter, binary stream, window days) -> stories).
VIEWS: tuple[str, ...] = ("mention", "story")
_STORY_MODULE = "communique.export.stories"

# A bound writer: (open store, filter, binary stream) -> records written.
_Writer = Callable[[Any, EventFilter, BinaryIO], int]

# Formats whose bytes are not text: never written to a terminal.
_BINARY = frozenset({"parquet"})


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What one export wrote: its format, the number of event rows (story view: stories;
    for graphml: rows or stories counted in the graph), where (a path, or "<stream>")
    and the view."""

    format: str
    rows: int
    out: str
    view: str = "mention"


def _check_format(fmt: str) -> str:
    key = fmt.strip().lower() if isinstance(fmt, str) else fmt
    if key not in _WRITERS:
        raise ExportError(
            f"unknown export format {fmt!r}",
            where="communique export",
            hint=f"use one of {', '.join(FORMATS)}",
        )
    return str(key)


def _check_view(view: str) -> str:
    key = view.strip().lower() if isinstance(view, str) else view
    if key not in VIEWS:
        raise ExportError(
            f"unknown export view {view!r}",
            where="communique export",
            hint=f"use one of {', '.join(VIEWS)}",
        )
    return str(key)


def _check_path(path: Path) -> None:
    if path.is_dir():
        raise ExportError(
            "the output is a directory",
            where=str(path),
            hint="give a file name, e.g. events.parquet",
        )
    if not path.parent.exists():
        raise ExportError(
            "the folder of the output file does not exist",
            where=str(path),
            hint=f"create {path.parent} first, or choose another --out",
        )


def export_events(
    store: Path | str | SqlStore,
    fmt: str,
    out: Path | str | BinaryIO,
    flt: EventFilter | None = None,
    *,
    view: str = "mention",
    window_days: int | None = None,
) -> ExportReport:
    """Export the event rows matching ``flt`` (all rows by default) from ``store`` (a path,
    opened read-only, or an open store) in format ``fmt`` (one of ``FORMATS``) to ``out``:
    a file path, written to ``PATH.part`` then renamed, so that a failed export leaves no
    half file; or a binary stream (``sys.stdout.buffer``).

    ``view="story"`` writes one record per story instead (``communique.stories``: the
    filter selects whole stories, its limit/offset page stories), grouping mentions
    within ``window_days`` (default ``Settings.story_window_days``).

    Raises ``ExportError`` (unknown format or view, bad output, Parquet to a terminal),
    ``StoryError`` (bad window), ``StoreError`` (no store, unreadable store) and
    ``QueryError`` (bad filter).
    """
    key = _check_format(fmt)
    view_key = _check_view(view)
    flt = flt if flt is not None else EventFilter()
    if not isinstance(flt, EventFilter):
        raise ExportError(
            f"the filter must be an EventFilter, got {type(flt).__name__}",
            where="communique export",
            hint="build it with communique.query.EventFilter.parse(country=..., ...)",
        )
    module, name = _WRITERS[key]
    writer: _Writer = getattr(importlib.import_module(module), name)
    if view_key == "story":
        writer = _story_writer(name, window_days)
    if isinstance(out, str | Path):
        path = Path(out)
        _check_path(path)
        with opened(store) as handle:
            part = path.with_name(path.name + ".part")
            try:
                with part.open("wb") as stream:
                    rows = writer(handle, flt, stream)
                os.replace(part, path)
            finally:
                part.unlink(missing_ok=True)
        return ExportReport(key, rows, str(path), view_key)
    isatty = getattr(out, "isatty", None)
    if key in _BINARY and callable(isatty) and isatty():
        raise ExportError(
            f"{key} is binary and the output is a terminal",
            where="communique export",
            hint="write it to a file with --out events.parquet, or redirect stdout",
        )
    with opened(store) as handle:
        rows = writer(handle, flt, out)
    out.flush()
    return ExportReport(key, rows, "<stream>", view_key)


def _story_writer(name: str, window_days: int | None) -> _Writer:
    """The story-view writer of the format whose mention writer is ``name``, with the
    window bound (checked now, before any file is opened)."""
    from communique.settings import Settings
    from communique.stories import check_window

    window = check_window(Settings().story_window_days if window_days is None else window_days)
    story_write = getattr(importlib.import_module(_STORY_MODULE), name)

    def write(store: Any, flt: EventFilter, out: BinaryIO) -> int:
        return int(story_write(store, flt, out, window))

    return write
