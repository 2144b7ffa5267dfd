"""Helpers shared by the behavioural tests: rows of ``extract_text`` read in terms of the
scorer's actor keys (country, else org, else "unknown")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Row = dict[str, Any]
Code = Callable[..., list[Row]]


def key(actor: dict[str, Any] | None) -> str | None:
    """The scorer's actor key; None for a missing target."""
    if actor is None:
        return None
    return actor.get("country") or actor.get("org") or "unknown"


def show(rows: list[Row]) -> str:
    """Compact listing of rows for assertion messages."""
    if not rows:
        return "  (no rows)"
    lines = []
    for r in rows:
        flags = [
            f for f in ("negated", "future", "joint", "hypothetical", "historical") if r.get(f)
        ]
        lines.append(
            f"  {r['type']}/{r['mode']} {key(r['source'])} -> {key(r['target'])} "
            f"date={r['date']} alt={r['alt_type']} {' '.join(flags)} rule={r.get('rule')}"
        )
    return "\n".join(lines)


def dyads(rows: list[Row], type_: str) -> list[tuple[str | None, str | None]]:
    return [(key(r["source"]), key(r["target"])) for r in rows if r["type"] == type_]


def asserted(rows: list[Row]) -> list[Row]:
    """Rows the coder presents as having happened (not denied, planned or hypothetical)."""
    return [r for r in rows if not (r["negated"] or r["future"] or r.get("hypothetical"))]


def find(rows: list[Row], type_: str, source: str | None, target: str | None) -> list[Row]:
    return [
        r
        for r in rows
        if r["type"] == type_ and (key(r["source"]), key(r["target"])) == (source, target)
    ]


def assert_event(
    rows: list[Row],
    type_: str,
    source: str | None,
    target: str | None,
    *,
    ordered: bool = True,
    date: str | None = None,
) -> Row:
    """A row of ``type_`` with these keys (and this date, when given) exists; returns it."""
    for r in rows:
        if r["type"] != type_ or (date is not None and r["date"] != date):
            continue
        pair = (key(r["source"]), key(r["target"]))
        if pair == (source, target) or (not ordered and pair == (target, source)):
            return r
    arrow = "->" if ordered else "<->"
    when = f" on {date}" if date else ""
    raise AssertionError(f"no {type_} {source} {arrow} {target}{when} among:\n{show(rows)}")


def gap(reason: str) -> Any:
    """A strict xfail documenting a coder gap; it fails (XPASS) once the gap is closed."""
    import pytest

    return pytest.mark.xfail(strict=True, reason=f"coder gap: {reason}")


def case(text: str, *expected: Any, id: str, xfail: str | None = None) -> Any:
    import pytest

    marks = [gap(xfail)] if xfail else []
    return pytest.param(text, *expected, id=id, marks=marks)


def cached_runner(coder: Any, lang: str, default_published: Any) -> Code:
    """``extract_text`` in ``lang`` with a cache per (text, publication date)."""
    from communique.extract import extract_text

    cache: dict[tuple[str, Any], list[Row]] = {}

    def run(text: str, published: Any = default_published) -> list[Row]:
        if (text, published) not in cache:
            cache[(text, published)] = extract_text(
                text, published=published, lang=lang, coder=coder
            )
        return cache[(text, published)]

    return run
