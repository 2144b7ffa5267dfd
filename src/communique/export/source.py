"""Reading event rows out of a store as Arrow: streamed record batches for exports, one
table for DataFrames. Rows are filtered and ordered exactly as ``communique events``
(``query.where_sql`` and the store's row order); values travel as SQL parameters only.

Works on every SQL store (DuckDB, PostgreSQL): the SQL written here and by the export
formats is the part of SQL both accept (see ``store/sql.py``), with ``?`` placeholders;
each store runs it and streams Arrow batches of the same schema.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communique.query import EventFilter, where_sql
from communique.store.sql import BATCH_ROWS

if TYPE_CHECKING:
    import pyarrow as pa

    from communique.store.base import ArrowSource
    from communique.store.sql import SqlStore

__all__ = [
    "BATCH_ROWS",
    "ORDER_BY_QUALIFIED",
    "arrow_table",
    "events_sql",
    "fetch_all",
    "opened",
    "quote",
    "stream",
]

# Chronological row order, as ``query.ORDER_BY``, with columns qualified by the alias
# ``e`` so that the articles table can be joined without ambiguity.
ORDER_BY_QUALIFIED = 'ORDER BY e."date" ASC NULLS LAST, e.article_id, e.evidence_start, e.row_index'


def quote(column: str) -> str:
    return f'"{column}"'


@contextmanager
def opened(store: Path | str | SqlStore) -> Iterator[SqlStore]:
    """The store, opened read-only when given as a path or a ``postgresql://`` URL (and
    closed afterwards); an open store is used as it is."""
    if isinstance(store, str | Path):
        from communique.store import open_store

        with open_store(store, read_only=True) as handle:
            yield handle
    else:
        yield store


def events_sql(
    flt: EventFilter,
    select: Sequence[str],
    *,
    join_articles: bool = False,
    extra_joins: str = "",
) -> tuple[str, list[Any]]:
    """SELECT ``select`` (SQL expressions over ``e`` = events and, with ``join_articles``,
    ``a`` = articles; ``extra_joins`` adds more, written by the caller, never from user
    input) for the rows matching ``flt``, in the store's row order and paged as ``flt``
    says."""
    where, params = where_sql(flt)
    inner = f"SELECT * FROM events {where}"
    if flt.limit is not None or flt.offset:
        # page inside, in the same order, so that LIMIT/OFFSET mean what they mean in
        # `communique events`
        inner += ' ORDER BY "date" ASC NULLS LAST, article_id, evidence_start, row_index'
        if flt.limit is not None:
            inner += " LIMIT ?"
            params.append(flt.limit)
        inner += " OFFSET ?"
        params.append(flt.offset)
    join = " LEFT JOIN articles a ON a.id = e.article_id" if join_articles else ""
    join += extra_joins
    sql = f"SELECT {', '.join(select)} FROM ({inner}) AS e{join} {ORDER_BY_QUALIFIED}"
    return sql, params


def stream(
    store: ArrowSource, sql: str, params: list[Any], batch_rows: int = BATCH_ROWS
) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    """The schema of a read query's result and its rows as streamed Arrow record batches
    (constant memory: the store produces them as they are consumed). Raises StoreError."""
    return store.arrow_stream(sql, params, batch_rows)


def arrow_table(store: ArrowSource, sql: str, params: list[Any]) -> pa.Table:
    """The whole result of a read query as one Arrow table. Raises StoreError."""
    return store.arrow_table(sql, params)


def fetch_all(store: ArrowSource, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Small results (aggregates): plain tuples. Raises StoreError."""
    return store.fetch_all(sql, params)
