"""Stored event rows as a DataFrame: ``read_events(store, **filters)``.

Rows travel from DuckDB to the DataFrame as one Arrow table (columnar, no per-row Python
work). Columns are those of the store's ``events`` table, in its order, with ``date``
parsed where it names a day.
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

    from communique.store.duckdb import DuckDBStore

ENGINES = ("pandas", "polars")

# Keyword filters read_events accepts: those of EventFilter.parse (and the CLI).
FILTERS = ("country", "dyad", "type", "since", "until", "article_id", "limit", "offset")

# "date" holds "YYYY-MM-DD", "YYYY-MM" or "YYYY": a DATE only when it names a day; the
# period it covers stays in date_lo/date_hi and its precision in date_precision.
_DATE = 'CASE WHEN length(e."date") = 10 THEN TRY_CAST(e."date" AS DATE) END AS "date"'


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


def read_arrow(store: Path | str | DuckDBStore, **filters: Any) -> pa.Table:
    """The matching rows as one Arrow table (the columns of ``read_events``)."""
    from communique.export.source import arrow_table, opened

    flt = _filter(filters)
    sql, params = events_sql(flt, _select())
    with opened(store) as handle:
        return arrow_table(handle, sql, params)


def read_events(store: Path | str | DuckDBStore, *, engine: str = "pandas", **filters: Any) -> Any:
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
