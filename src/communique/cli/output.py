"""Formatting dyadic rows for the terminal or a pipe: table, jsonl, csv."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from communique.store.base import ROW_COLUMNS, flatten_row

FORMATS = ("table", "jsonl", "csv")

# Width of the table when stdout is not a terminal; wide enough for one line per event with
# a 90-character evidence excerpt.
WIDE_TABLE_WIDTH = 200

# Flat columns for csv: the store's flattening of the dyadic row (nested actor, location
# and evidence fields become `source_name`, `location_lat`, `evidence_start`...).
FLAT_COLUMNS = ROW_COLUMNS


def flatten(row: dict[str, Any]) -> dict[str, Any]:
    """A dyadic row as CSV cells: nested fields flattened, lists joined with ";"."""
    flat = flatten_row(row)
    return {k: ";".join(str(v) for v in x) if isinstance(x, list) else x for k, x in flat.items()}


def to_jsonl(rows: Iterable[dict[str, Any]]) -> Iterable[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n"


def to_csv(rows: Iterable[dict[str, Any]]) -> Iterable[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FLAT_COLUMNS)
    writer.writeheader()
    yield buf.getvalue()
    for row in rows:
        buf.seek(0)
        buf.truncate()
        writer.writerow(flatten(row))
        yield buf.getvalue()


def _actor_label(actor: dict[str, Any] | None) -> str:
    if not actor:
        return "-"
    code = actor.get("country") or actor.get("org") or "?"
    return f"{actor.get('name')} ({code})"


def render_table(rows: list[dict[str, Any]]) -> None:
    """Print a compact human table with rich."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for col in ("date", "type", "mode", "source", "target", "place", "flags", "evidence"):
        table.add_column(col, overflow="fold")
    for r in rows:
        flags = ",".join(
            f for f in ("negated", "future", "historical", "hypothetical", "joint") if r.get(f)
        )
        loc = r.get("location") or {}
        ev = (r.get("evidence") or {}).get("text", "")
        table.add_row(
            str(r.get("date") or "-"),
            str(r.get("type")),
            str(r.get("mode") or "-"),
            _actor_label(r.get("source")),
            _actor_label(r.get("target")),
            str(loc.get("name") or "-"),
            flags or "-",
            ev if len(ev) <= 90 else ev[:87] + "...",
        )
    console = Console()
    if not console.is_terminal:
        # piped or captured output (make demo, CI logs): a fixed width keeps the rows on one
        # line each instead of wrapping at 80 columns
        console = Console(width=WIDE_TABLE_WIDTH)
    console.print(table)
    Console(stderr=True).print(f"{len(rows)} event row(s)")
