"""The default store: one DuckDB file, one writer process.

Bulk loads go through pyarrow tables (DuckDB's ``executemany`` is ~400x slower: 100k rows
in 80 s against 0.2 s). Every ``write`` is one transaction. The queries and the store logic
are shared with the PostgreSQL store (``store/sql.py``); this module connects, loads and
streams.

DuckDB lets one process open a file for writing and no other process open it meanwhile,
not even to read. So a store can ``release()`` its file between operations (closing the
connection, which checkpoints the write-ahead log into the file) and reopens it on the
next call; an ingest releases it while it codes, so readers (the HTTP API, an export) get
in between its batches. Opening, and reopening, wait up to ``lock_wait`` seconds for
another process to let go of the file.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from communique.errors import StoreError
from communique.store.base import Migration, ensure_schema, load_migrations
from communique.store.sql import BATCH_ROWS, SqlStore, columns_sql, quote, utcnow

DIALECT = "duckdb"

# Name under which a batch's arrow table is visible to SQL while it is being loaded.
_STAGING = "_communique_staging"

# Pause between two attempts to open a file another process holds: short against the
# waits callers allow (Settings.store_lock_wait_seconds; a writer holds the file for
# ~0.1 s per store batch), long enough that a waiting process does not spin on the lock.
LOCK_POLL_SECONDS = 0.05


def open_store(path: Path | str, *, read_only: bool = False, lock_wait: float = 0.0) -> DuckDBStore:
    """Open (creating and migrating when writable) the DuckDB store at ``path``.

    Use it as a context manager. ``lock_wait``: seconds to wait, opening or reopening
    after ``release()``, for another process to let go of the file (0: fail at once).
    Raises ``StoreError`` when the file is not a DuckDB database, not a communique store,
    has a newer schema than this code, stays locked by another process, or (read-only)
    does not exist.
    """
    return DuckDBStore(path, read_only=read_only, lock_wait=lock_wait)


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    """Whether opening failed because another process holds the file (DuckDB: 'Could not
    set lock on file ...: Conflicting lock is held in ...'), not because of a damaged block
    or another error that waiting would not cure."""
    text = str(exc).lower()
    return "could not set lock" in text or "conflicting lock" in text


class DuckDBStore(SqlStore):
    """A communique store in one DuckDB file. Not thread-safe: one writer (the driver)."""

    dialect = DIALECT

    def __init__(
        self, path: Path | str, *, read_only: bool = False, lock_wait: float = 0.0
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.lock_wait = lock_wait
        self.where = str(self.path)
        self._closed = False
        self._in_transaction = False
        self._connection: duckdb.DuckDBPyConnection | None = self._connect()
        self._schemas: dict[str, pa.Schema] = {}
        try:
            self._prepare()
        except BaseException:
            self.close()
            raise

    # -- opening -------------------------------------------------------------------------

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        """The open connection, reopened (waiting up to ``lock_wait``) after a release."""
        if self._connection is None:
            if self._closed:
                raise StoreError(
                    "the store was closed",
                    where=self.where,
                    hint="open it again with open_store(); a closed store is not reopened",
                )
            self._connection = self._connect()
        return self._connection

    def release(self) -> None:
        """Let go of the file until the next call: close the connection (checkpointing
        what was written into the file), so that other processes may open the file; the
        next operation reopens it, waiting up to ``lock_wait`` seconds for them to let go.
        Not inside a transaction (raises ``StoreError``), nor while a stream of
        ``arrow_stream`` is being read (it reads through this connection)."""
        if self._in_transaction:
            raise StoreError(
                "cannot release the store in the middle of a transaction",
                where=self.where,
                hint="release() between operations (a bug in the caller)",
            )
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                connection.close()
            except duckdb.Error as exc:  # the checkpoint failed; committed data is in the WAL
                raise StoreError(
                    f"could not close the store's file: {exc}",
                    where=self.where,
                    hint="check free disk space and permissions; what was committed is kept "
                    "in the write-ahead log beside the file and read back on the next open",
                ) from exc

    def _connect(self) -> duckdb.DuckDBPyConnection:
        if self.read_only and not self.path.exists():
            raise StoreError(
                "no store here",
                where=self.where,
                hint="run `communique ingest FILES --store PATH` first, or pass the right --store",
            )
        if self.path.is_dir():
            raise StoreError(
                "this is a directory, not a store file",
                where=self.where,
                hint="pass a file path such as communique.duckdb",
            )
        if not self.read_only and not self.path.parent.exists():
            raise StoreError(
                "the folder of the store does not exist",
                where=self.where,
                hint=f"create {self.path.parent} first, or choose another --store",
            )
        deadline = time.monotonic() + self.lock_wait
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=self.read_only)
            except duckdb.Error as exc:
                if not _is_lock_conflict(exc) or time.monotonic() >= deadline:
                    raise self._open_error(exc) from exc
            time.sleep(LOCK_POLL_SECONDS)

    def _open_error(self, exc: duckdb.Error) -> StoreError:
        text = str(exc)
        if "not a valid DuckDB database" in text:
            return StoreError(
                "this file is not a DuckDB database",
                where=self.where,
                hint="point --store at a communique store or at a new file name",
            )
        if _is_lock_conflict(exc):
            waited = f" for {self.lock_wait:g} s" if self.lock_wait > 0 else ""
            return StoreError(
                f"the store is locked by another process{waited} (DuckDB allows one writer, "
                f"and no reader beside it): {text}",
                where=self.where,
                hint="wait for the other process (an ingest, or a reader such as an export "
                "or `communique events`) to finish, or use another --store",
            )
        if "different configuration" in text:
            return StoreError(
                "the store is already open in this process in another mode",
                where=self.where,
                hint="close the other handle (open_store is a context manager) first",
            )
        return StoreError(
            f"cannot open the store: {text}",
            where=self.where,
            hint="check the path and its permissions; a store written by a newer DuckDB "
            "needs that DuckDB version",
        )

    def _table_names(self) -> set[str]:
        rows = self._con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
        return {r[0] for r in rows}

    def apply_migration(self, migration: Migration) -> None:
        """Run one migration and record it, in one transaction (part of MigrationTarget)."""
        self._con.begin()
        try:
            self._con.execute(migration.sql)
            self._con.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                [migration.version, migration.name, utcnow()],
            )
            self._con.commit()
        except duckdb.Error as exc:
            self._con.rollback()
            raise StoreError(
                f"migration {migration.version:04d}_{migration.name} failed: {exc}",
                where=self.where,
                hint="the store was left at its previous version; report this as a bug",
            ) from exc

    def _prepare(self) -> None:
        tables = self._table_names()
        if tables and "schema_version" not in tables:
            raise StoreError(
                "this DuckDB database is not a communique store (no schema_version table)",
                where=self.where,
                hint="point --store at a communique store or at a new file name",
            )
        migrations = load_migrations(DIALECT)
        ensure_schema(self, migrations, read_only=self.read_only, where=self.where)

    # -- context manager -----------------------------------------------------------------

    def close(self) -> None:
        self._closed = True
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()

    # -- running statements (SqlStore) ---------------------------------------------------

    def _run(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return self._con.execute(sql, list(params)).fetchall()

    def _db_errors(self) -> tuple[type[BaseException], ...]:
        return (duckdb.Error, pa.ArrowException)

    def _read_error(self, exc: BaseException) -> StoreError:
        return StoreError(
            f"could not read the store: {exc}",
            where=self.where,
            hint="check that the file is intact and not being replaced; "
            "if it was written by a newer communique, upgrade",
        )

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        con = self._con
        con.begin()
        self._in_transaction = True
        try:
            yield
            con.commit()
        except BaseException:
            con.rollback()
            raise
        finally:
            self._in_transaction = False

    # -- writing -------------------------------------------------------------------------

    def _schema(self, table: str) -> pa.Schema:
        """Arrow schema of a table, read from the database: the SQL migration is the one
        source of truth for column types."""
        if table not in self._schemas:
            rel = self._con.sql(f"SELECT * FROM {quote(table)} LIMIT 0")
            self._schemas[table] = rel.to_arrow_table().schema
        return self._schemas[table]

    def _arrow(self, table: str, records: list[dict[str, Any]]) -> pa.Table:
        schema = self._schema(table)
        columns = {name: [r[name] for r in records] for name in schema.names}
        return pa.Table.from_pydict(columns, schema=schema)

    def _load(self, table: str, records: list[dict[str, Any]], *, ignore: bool = False) -> None:
        """Append ``records`` to ``table`` through an arrow table (columns matched by
        name); ``ignore``: rows whose primary key is already stored are left out."""
        if not records:
            return
        data = self._arrow(table, records)
        self._con.register(_STAGING, data)
        try:
            names = columns_sql(data.schema.names)
            verb = "INSERT OR IGNORE INTO" if ignore else "INSERT INTO"
            self._con.execute(f"{verb} {quote(table)} ({names}) SELECT {names} FROM {_STAGING}")
        finally:
            self._con.unregister(_STAGING)

    # -- Arrow reads (exports, frames) ---------------------------------------------------

    def arrow_stream(
        self, sql: str, params: Sequence[Any], batch_rows: int = BATCH_ROWS
    ) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
        """The schema of a read query's result and its rows as streamed Arrow record
        batches (constant memory: DuckDB produces them as they are consumed), read through
        a cursor of its own so that the store's own results are never disturbed."""
        cursor = self._con.cursor()
        try:
            relation = cursor.sql(sql, params=list(params))
            reader_of = getattr(relation, "to_arrow_reader", None) or relation.fetch_arrow_reader
            reader = reader_of(batch_rows)
        except duckdb.Error as exc:
            cursor.close()
            raise self._read_error(exc) from exc

        def batches() -> Iterator[pa.RecordBatch]:
            try:
                yield from reader
            except duckdb.Error as exc:
                raise self._read_error(exc) from exc
            finally:
                cursor.close()

        return reader.schema, batches()

    def arrow_table(self, sql: str, params: Sequence[Any]) -> pa.Table:
        """The whole result of a read query as one Arrow table (DuckDB's columnar
        transfer)."""
        cursor = self._con.cursor()
        try:
            relation = cursor.sql(sql, params=list(params))
            table_of = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
            result: pa.Table = table_of()
            return result
        except duckdb.Error as exc:
            raise self._read_error(exc) from exc
        finally:
            cursor.close()

    def fetch_all(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Small results (aggregates) as tuples, read through a cursor of its own."""
        cursor = self._con.cursor()
        try:
            return list(cursor.execute(sql, list(params)).fetchall())
        except duckdb.Error as exc:
            raise self._read_error(exc) from exc
        finally:
            cursor.close()
