"""Reading event rows out of a store as Arrow: streamed record batches for exports, one
table for DataFrames. Rows are filtered and ordered exactly as ``communique events``
(``query.where_sql`` and the store's row order); values travel as SQL parameters only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communique.errors import StoreError
from communique.query import EventFilter, where_sql

if TYPE_CHECKING:
    import pyarrow as pa

    from communique.store.duckdb import DuckDBStore

# Rows per Arrow record batch when streaming an export: large enough that per-batch
# overhead vanishes (DuckDB's vectors are 2,048 rows), small enough that a batch of rows
# with long evidence strings stays within a few MB of memory.
BATCH_ROWS = 8_192

# Chronological row order, as ``query.ORDER_BY``, with columns qualified by the alias
# ``e`` so that the articles table can be joined without ambiguity.
ORDER_BY_QUALIFIED = 'ORDER BY e."date" ASC NULLS LAST, e.article_id, e.evidence_start, e.row_index'


def quote(column: str) -> str:
    return f'"{column}"'


@contextmanager
def opened(store: Path | str | DuckDBStore) -> Iterator[DuckDBStore]:
    """The store, opened read-only when given as a path (and closed afterwards); an open
    ``DuckDBStore`` is used as it is."""
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


def _connection(store: DuckDBStore) -> Any:
    """A cursor of its own on the store's database (reads of ours never interfere with
    the store's own results). DuckDBStore has no public way to run a streaming read yet;
    this is the one place that reaches for its connection (a public
    ``DuckDBStore.arrow_reader(sql, params)`` would replace it)."""
    return store._con.cursor()


def _failed(store: DuckDBStore, exc: Exception) -> StoreError:
    return StoreError(
        f"could not read the store: {exc}",
        where=str(store.path),
        hint="check that the file is intact and not being replaced; "
        "if it was written by a newer communique, upgrade",
    )


def stream(
    store: DuckDBStore, sql: str, params: list[Any], batch_rows: int = BATCH_ROWS
) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    """The schema of a read query's result and its rows as streamed Arrow record batches
    (constant memory: DuckDB produces them as they are consumed)."""
    import duckdb

    cursor = _connection(store)
    try:
        relation = cursor.sql(sql, params=params)
        reader_of = getattr(relation, "to_arrow_reader", None) or relation.fetch_arrow_reader
        reader = reader_of(batch_rows)
    except duckdb.Error as exc:
        cursor.close()
        raise _failed(store, exc) from exc

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            yield from reader
        except duckdb.Error as exc:
            raise _failed(store, exc) from exc
        finally:
            cursor.close()

    return reader.schema, batches()


def arrow_table(store: DuckDBStore, sql: str, params: list[Any]) -> pa.Table:
    """The whole result of a read query as one Arrow table (DuckDB's columnar transfer)."""
    import duckdb

    cursor = _connection(store)
    try:
        relation = cursor.sql(sql, params=params)
        table_of = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
        return table_of()
    except duckdb.Error as exc:
        raise _failed(store, exc) from exc
    finally:
        cursor.close()


def fetch_all(store: DuckDBStore, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Small results (aggregates): plain tuples."""
    import duckdb

    cursor = _connection(store)
    try:
        return list(cursor.execute(sql, params).fetchall())
    except duckdb.Error as exc:
        raise _failed(store, exc) from exc
    finally:
        cursor.close()
