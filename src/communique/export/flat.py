"""The row formats: JSONL (the nested dyadic rows of `communique events --format jsonl`),
CSV (the flat store columns) and Parquet (the flat store columns with their types).

Each writer streams Arrow record batches from the store to ``out`` (a binary stream) and
returns the number of rows written; no format holds the whole result in memory.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, BinaryIO

from communique.export.source import events_sql, quote, stream
from communique.store.base import ROW_COLUMNS, nest_row

if TYPE_CHECKING:
    from communique.query import EventFilter
    from communique.store.sql import SqlStore


def _row_select() -> list[str]:
    return [f"e.{quote(c)}" for c in ROW_COLUMNS]


def write_jsonl(store: SqlStore, flt: EventFilter, out: BinaryIO) -> int:
    """One JSON object per line, in the nested shape of ``model.rows.event_rows()``."""
    sql, params = events_sql(flt, _row_select())
    _, batches = stream(store, sql, params)
    count = 0
    for batch in batches:
        lines = [
            json.dumps(nest_row(flat), ensure_ascii=False) + "\n" for flat in batch.to_pylist()
        ]
        out.write("".join(lines).encode("utf-8"))
        count += len(lines)
    return count


def write_csv(store: SqlStore, flt: EventFilter, out: BinaryIO) -> int:
    """RFC 4180 CSV with a header: the flat ``ROW_COLUMNS``; ``contexts`` joined with ";";
    booleans written true/false; missing values empty."""
    import pyarrow.csv as pacsv

    select = [
        "array_to_string(e.contexts, ';') AS contexts" if c == "contexts" else f"e.{quote(c)}"
        for c in ROW_COLUMNS
    ]
    sql, params = events_sql(flt, select)
    schema, batches = stream(store, sql, params)
    count = 0
    with pacsv.CSVWriter(out, schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
            count += batch.num_rows
    return count


def write_parquet(store: SqlStore, flt: EventFilter, out: BinaryIO) -> int:
    """Parquet with the flat ``ROW_COLUMNS`` and the store's column types (``contexts`` a
    list of strings, ``date`` the stored string), compressed with zstd."""
    import pyarrow.parquet as pq

    sql, params = events_sql(flt, _row_select())
    schema, batches = stream(store, sql, params)
    count = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for batch in batches:
            writer.write_batch(batch)
            count += batch.num_rows
    return count
