"""The library side of `explain`: fetch an event with its article and render the trace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from communique.errors import StoreError

# Marks around the trigger inside the evidence sentence (plain text, safe in any terminal).
TRIGGER_OPEN, TRIGGER_CLOSE = "[[", "]]"


def explain_event(store_path: Path | str, event_id: str) -> dict[str, Any]:
    from communique.store import display_target, open_store

    with open_store(store_path, read_only=True) as store:
        found = store.get_event(event_id)
    if found is None:
        raise StoreError(
            f"no event {event_id!r} in the store",
            where=display_target(store_path),
            hint="list ids with `communique events --format jsonl`",
        )
    return found


# Marks around the source and target actors' names in the sentence.
SOURCE_OPEN, SOURCE_CLOSE = "{", "}"
TARGET_OPEN, TARGET_CLOSE = "<", ">"


def mark_trigger(row: dict[str, Any]) -> str:
    """The evidence sentence with the trigger in [[...]], the source's name in {...} and the
    target's in <...> (names are located by their first occurrence in the sentence)."""
    ev = row["evidence"]
    trig = row.get("trigger") or {}
    text = ev["text"]
    marks: list[tuple[int, int, str, str]] = []
    a = (trig.get("start") or 0) - ev["start"]
    b = (trig.get("end") or 0) - ev["start"]
    if 0 <= a < b <= len(text):
        marks.append((a, b, TRIGGER_OPEN, TRIGGER_CLOSE))
    for role, (op, cl) in (
        ("source", (SOURCE_OPEN, SOURCE_CLOSE)),
        ("target", (TARGET_OPEN, TARGET_CLOSE)),
    ):
        name = (row.get(role) or {}).get("name")
        if name:
            i = text.find(name)
            if i >= 0 and not any(i < e and s < i + len(name) for s, e, _, _ in marks):
                marks.append((i, i + len(name), op, cl))
    for s, e, op, cl in sorted(marks, reverse=True):
        text = text[:s] + op + text[s:e] + cl + text[e:]
    return text


def _actor(a: dict[str, Any] | None) -> str:
    if not a:
        return "-"
    key = a.get("country") or a.get("org") or "unknown"
    role = f", {a['role']}" if a.get("role") else ""
    return f"{a.get('name')} [{key}, {a.get('sector') or '?'}{role}]"


def render_explanation(row: dict[str, Any]) -> str:
    art = row.get("article") or {}
    flags = [f for f in ("negated", "future", "historical", "hypothetical", "joint") if row.get(f)]
    published = art.get("published") or art.get("published_month") or "-"
    lines = [
        f"event     {row['event_id']} (mention {row['mention_id']})",
        f"type      {row['type']}"
        + (f" / {row['mode']}" if row.get("mode") else "")
        + (f" (also acceptable: {row['alt_type']})" if row.get("alt_type") else "")
        + (f"  flags: {', '.join(flags)}" if flags else ""),
        f"source    {_actor(row.get('source'))}",
        f"target    {_actor(row.get('target'))}",
        f"date      {row.get('date') or 'unknown'} ({row.get('date_precision') or '-'})",
        f"place     {(row.get('location') or {}).get('name') or '-'}",
        f"rule      {row['rule']}  confidence {row['confidence']}  coder {row['coder_version']}",
        f"article   {art.get('id')}  published {published}  origin {art.get('origin') or '-'}",
        f"evidence  [{row['evidence']['start']}:{row['evidence']['end']}]",
        "  " + mark_trigger(row),
        f"  (trigger {TRIGGER_OPEN}...{TRIGGER_CLOSE}, source {SOURCE_OPEN}...{SOURCE_CLOSE}, "
        f"target {TARGET_OPEN}...{TARGET_CLOSE})",
        "how it was resolved:",
    ]
    lines += [f"  - {step}" for step in row.get("trace") or []]
    return "\n".join(lines)
