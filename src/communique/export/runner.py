"""`communique export`: one function that checks the request, opens the store read-only
and streams the chosen format to a file (written whole or not at all) or a stream."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from communique.export.errors import ExportError
from communique.export.source import opened
from communique.query import EventFilter

if TYPE_CHECKING:
    from communique.store.duckdb import DuckDBStore

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

# Formats whose bytes are not text: never written to a terminal.
_BINARY = frozenset({"parquet"})


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What one export wrote: its format, the number of event rows (for graphml: rows
    counted in the graph) and where (a path, or "<stream>")."""

    format: str
    rows: int
    out: str


def _check_format(fmt: str) -> str:
    key = fmt.strip().lower() if isinstance(fmt, str) else fmt
    if key not in _WRITERS:
        raise ExportError(
            f"unknown export format {fmt!r}",
            where="communique export",
            hint=f"use one of {', '.join(FORMATS)}",
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
    store: Path | str | DuckDBStore,
    fmt: str,
    out: Path | str | BinaryIO,
    flt: EventFilter | None = None,
) -> ExportReport:
    """Export the event rows matching ``flt`` (all rows by default) from ``store`` (a path,
    opened read-only, or an open store) in format ``fmt`` (one of ``FORMATS``) to ``out``:
    a file path, written to ``PATH.part`` then renamed, so that a failed export leaves no
    half file; or a binary stream (``sys.stdout.buffer``).

    Raises ``ExportError`` (unknown format, bad output, Parquet to a terminal),
    ``StoreError`` (no store, unreadable store) and ``QueryError`` (bad filter).
    """
    key = _check_format(fmt)
    flt = flt if flt is not None else EventFilter()
    if not isinstance(flt, EventFilter):
        raise ExportError(
            f"the filter must be an EventFilter, got {type(flt).__name__}",
            where="communique export",
            hint="build it with communique.query.EventFilter.parse(country=..., ...)",
        )
    module, name = _WRITERS[key]
    writer = getattr(importlib.import_module(module), name)
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
        return ExportReport(key, rows, str(path))
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
    return ExportReport(key, rows, "<stream>")
