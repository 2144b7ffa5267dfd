"""Stored event rows as a DataFrame: ``read_events(store, **filters)``; stories as one:
``read_stories(store, **filters)``.

Rows travel from the store (DuckDB or PostgreSQL) to the DataFrame as one Arrow table
(columnar from DuckDB, no per-row Python work). Columns are those of the store's
``events`` table, in its order, with ``date`` parsed where it names a day.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from communique.export.errors import OptionalDependencyError
from communique.export.source import events_sql, quote
from communique.query import EventFilter, QueryError
from communique.store.base import EVENT_COLUMNS

if TYPE_CHECKING:
    import pyarrow as pa

    from communique.store.sql import SqlStore

ENGINES = ("pandas", "polars")

# Keyword filters read_events accepts: those of EventFilter.parse (and the CLI).
FILTERS = ("country", "dyad", "type", "since", "until", "article_id", "limit", "offset")

# "date" holds "YYYY-MM-DD", "YYYY-MM" or "YYYY": a DATE only when it names a day; the
# period it covers stays in date_lo/date_hi and its precision in date_precision. A day is
# the period of one day (date_lo = date_hi, computed by store/base.py's date_bounds when
# the row was stored), so no SQL parses the string: the same SQL runs on every store.
_DATE = 'CASE WHEN length(e."date") = 10 AND e.date_lo = e.date_hi THEN e.date_lo END AS "date"'


def _select() -> list[str]:
    return [_DATE if c == "date" else f"e.{quote(c)}" for c in EVENT_COLUMNS]


def _filter(filters: dict[str, Any]) -> EventFilter:
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise QueryError(
            f"unknown filter(s): {', '.join(unknown)}",
            where="read_events",
            hint=f"use {', '.join(FILTERS)}",
        )
    return EventFilter.parse(**filters)


def read_arrow(store: Path | str | SqlStore, **filters: Any) -> pa.Table:
    """The matching rows as one Arrow table (the columns of ``read_events``)."""
    from communique.export.source import arrow_table, opened

    flt = _filter(filters)
    sql, params = events_sql(flt, _select())
    with opened(store) as handle:
        return arrow_table(handle, sql, params)


def read_events(store: Path | str | SqlStore, *, engine: str = "pandas", **filters: Any) -> Any:
    """Event rows of ``store`` (a path, opened read-only, or an open store) as a DataFrame.

    ``filters`` are those of `communique events`: ``country``, ``dyad`` ("AZE-JPN" or a
    pair), ``type``, ``since``/``until`` (YYYY-MM-DD or dates), ``article_id``, ``limit``,
    ``offset``. One row per dyadic event row, in the store's order (date, article,
    position). ``engine="pandas"`` (default) returns a pandas DataFrame: ``date``,
    ``date_lo``, ``date_hi`` are datetime64 (``date`` is NaT unless the event's date names
    a day), integer columns keep missing values as ``<NA>``, ``contexts`` and ``trace``
    hold lists. ``engine="polars"`` returns a polars DataFrame (polars must be installed).

    Raises ``QueryError`` (bad filter), ``StoreError`` (no store) and
    ``OptionalDependencyError`` (polars or pandas missing).
    """
    if engine not in ENGINES:
        raise QueryError(
            f"unknown engine {engine!r}",
            where="read_events",
            hint='use engine="pandas" or engine="polars"',
        )
    frame_module = _import(engine)
    table = read_arrow(store, **filters)
    if engine == "polars":
        return frame_module.from_arrow(table)
    return _to_pandas(table, frame_module)


def _import(engine: str) -> Any:
    import importlib

    try:
        return importlib.import_module(engine)
    except ImportError as exc:
        raise OptionalDependencyError(
            f'engine="{engine}" needs the {engine} package, which is not installed',
            where="read_events",
            hint=f"pip install {engine}",
        ) from exc


def _to_pandas(table: pa.Table, pd: Any) -> Any:
    import pyarrow as pa

    nullable_ints = {pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}
    frame = table.to_pandas(types_mapper=nullable_ints.get, date_as_object=False)
    for name in ("contexts", "trace"):
        frame[name] = [list(v) if v is not None else [] for v in frame[name]]
    return frame


def read_stories(
    store: Path | str | SqlStore,
    *,
    window_days: int | None = None,
    engine: str = "pandas",
    **filters: Any,
) -> Any:
    """Stories of ``store`` (``communique.stories``: the reports of several dispatches of
    one event grouped) as a DataFrame, one row per story, in story order (first date,
    then id).

    Columns are ``export.stories.STORY_COLUMNS``: ``date_first``/``date_last`` ISO strings
    (a day; a month or year only for a story of one coarsely dated report), counts
    ``n_mentions``, ``n_articles``, ``n_outlets``, lists in ``contexts`` and ``outlets``,
    and ``evidence``, a list of dicts (event_id, mention_id, article_id, outlet, date,
    day, text, start, end) in chronological order. ``filters`` are those of
    ``read_events``; they select whole stories (dates: the story's period overlaps them).
    ``window_days`` defaults to ``Settings.story_window_days``.

    Raises ``QueryError`` (bad filter), ``StoryError`` (bad window), ``StoreError`` and
    ``OptionalDependencyError``.
    """
    from communique.export.source import opened
    from communique.export.stories import story_table
    from communique.settings import Settings
    from communique.stories import find_stories

    if engine not in ENGINES:
        raise QueryError(
            f"unknown engine {engine!r}",
            where="read_stories",
            hint='use engine="pandas" or engine="polars"',
        )
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise QueryError(
            f"unknown filter(s): {', '.join(unknown)}",
            where="read_stories",
            hint=f"use {', '.join(FILTERS)}",
        )
    flt = EventFilter.parse(**filters)
    frame_module = _import(engine)
    window = Settings().story_window_days if window_days is None else window_days
    with opened(store) as handle:
        table = story_table(find_stories(handle, flt, window_days=window))
    if engine == "polars":
        return frame_module.from_arrow(table)
    import pyarrow as pa

    frame = table.to_pandas(types_mapper={pa.int32(): frame_module.Int32Dtype()}.get)
    for name in ("contexts", "outlets", "evidence"):
        frame[name] = [list(v) if v is not None else [] for v in frame[name]]
    return frame
