"""Formatting dyadic rows for the terminal or a pipe: table, jsonl, csv."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

FORMATS = ("table", "jsonl", "csv")

# Width of the table when stdout is not a terminal; wide enough for one line per event with
# a 90-character evidence excerpt.
WIDE_TABLE_WIDTH = 200

# Flat columns for csv/table: nested actor/location/evidence fields are flattened.
FLAT_COLUMNS = (
    "event_id",
    "mention_id",
    "article_id",
    "type",
    "mode",
    "cameo",
    "source_name",
    "source_country",
    "source_sector",
    "source_org",
    "source_role",
    "source_actor_id",
    "target_name",
    "target_country",
    "target_sector",
    "target_org",
    "target_role",
    "target_actor_id",
    "date",
    "date_precision",
    "location_name",
    "location_country",
    "location_lat",
    "location_lon",
    "negated",
    "future",
    "historical",
    "hypothetical",
    "joint",
    "alt_type",
    "contexts",
    "quad",
    "intensity",
    "evidence_text",
    "evidence_start",
    "evidence_end",
    "confidence",
    "rule",
    "coder_version",
)


def flatten(row: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            for sub, v in value.items():
                flat[f"{key}_{sub}"] = v
        elif key in ("source", "target", "location") and value is None:
            continue
        elif isinstance(value, list):
            flat[key] = ";".join(str(v) for v in value)
        else:
            flat[key] = value
    return {c: flat.get(c) for c in FLAT_COLUMNS}


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
