"""A store in a PostgreSQL database: ``open_store("postgresql://user:pw@host/db")``.

Same protocol, queries and results as the DuckDB store (both subclass ``store/sql.py``'s
``SqlStore``); this module connects, loads rows with ``COPY`` and streams Arrow batches
from a server-side cursor. The store lives in the connection's current schema (the first
of ``search_path``), so one database may hold several stores in several schemas.

Writers serialise on a transaction-level advisory lock, as DuckDB allows one writer: two
`communique ingest` runs into one database take turns batch by batch instead of failing on
each other's rows. A read-only store opens a read-only session.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import psycopg
import pyarrow as pa
from psycopg import sql as pgsql

from communique.errors import StoreConnectionError, StoreError
from communique.store import mask_dsn
from communique.store.base import Migration, ensure_schema, load_migrations
from communique.store.sql import BATCH_ROWS, SqlStore, pyformat, utcnow

DIALECT = "postgres"

# Seconds to wait for the server to answer a connection: libpq waits forever by default,
# and an unreachable host would hang `communique` for minutes of TCP retries. Ten seconds
# covers a slow network or a server that is starting; a URL's own connect_timeout wins.
CONNECT_TIMEOUT_SECONDS = 10

# Key of the advisory lock every write transaction takes (pg_advisory_xact_lock): the
# first 8 bytes of "communiq" as a big-endian signed integer, a constant no other
# application is likely to pick. Migrations take it too, so that two processes opening
# a new database at once do not both create its tables.
WRITE_LOCK_KEY = int.from_bytes(b"communiq", "big", signed=True)

# Name of the server-side cursor of an Arrow stream (one per connection of its own).
_STREAM_CURSOR = "communique_stream"

# Name of the temporary table that stages rows of an insert that skips stored keys.
_STAGING = "_communique_staging"

# Arrow type of each PostgreSQL result type (by type oid) that a read can return, chosen
# to be those DuckDB gives for the same columns (store/migrations/*/0001_init.sql): TEXT
# and VARCHAR are strings, INTEGER int32, BIGINT (and count(*)) int64, DOUBLE float64,
# DATE date32, TIMESTAMP microseconds, BYTEA binary, TEXT[] a list whose item DuckDB
# names "l". NUMERIC (no stored column has it) becomes float64.
_TEXT_LIST = pa.list_(pa.field("l", pa.string()))
_ARROW_TYPES: Mapping[int, pa.DataType] = MappingProxyType(
    {
        16: pa.bool_(),  # bool
        17: pa.binary(),  # bytea
        18: pa.string(),  # "char"
        19: pa.string(),  # name
        20: pa.int64(),  # int8
        21: pa.int16(),  # int2
        23: pa.int32(),  # int4
        25: pa.string(),  # text
        114: pa.string(),  # json (dumped back to text)
        700: pa.float32(),  # float4
        701: pa.float64(),  # float8
        705: pa.string(),  # unknown (an untyped literal)
        1007: pa.list_(pa.field("l", pa.int32())),  # int4[]
        1009: _TEXT_LIST,  # text[]
        1015: _TEXT_LIST,  # varchar[]
        1016: pa.list_(pa.field("l", pa.int64())),  # int8[]
        1042: pa.string(),  # bpchar
        1043: pa.string(),  # varchar
        1082: pa.date32(),  # date
        1114: pa.timestamp("us"),  # timestamp
        1184: pa.timestamp("us", tz="UTC"),  # timestamptz
        1700: pa.float64(),  # numeric
        3802: pa.string(),  # jsonb (dumped back to text)
    }
)
_JSON_OIDS = frozenset({114, 3802})
_NUMERIC_OID = 1700

# A libpq message, reduced to what a user can act on.
_REFUSED = re.compile(
    r"connection refused|could not translate host name|name or service not known|"
    r"timeout expired|no route to host|network is unreachable|could not connect",
    re.IGNORECASE,
)
_AUTH = re.compile(
    r"password authentication failed|no password supplied|role \".*\" does not exist|"
    r"authentication failed|pg_hba\.conf",
    re.IGNORECASE,
)
_NO_DATABASE = re.compile(r"database \".*\" does not exist", re.IGNORECASE)


def open_store(url: str, *, read_only: bool = False) -> PostgresStore:
    """Open (creating and migrating when writable) the store in the PostgreSQL database
    of ``url`` (``postgresql://user:password@host:port/database``).

    Use it as a context manager. Raises ``StoreConnectionError`` (C302) when the server
    cannot be reached, refuses the credentials or has no such database, and
    ``StoreError`` when the database is not a communique store, has a newer schema than
    this code or (read-only) holds no store yet.
    """
    return PostgresStore(url, read_only=read_only)


class PostgresStore(SqlStore):
    """A communique store in one PostgreSQL database (its current schema). Not
    thread-safe: one connection, used by one thread."""

    dialect = DIALECT

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self._url = url
        self.read_only = read_only
        self.where = mask_dsn(url)
        self._con = self._connect(autocommit=True)
        self._columns: dict[str, list[str]] = {}
        try:
            self._prepare()
        except BaseException:
            self._con.close()
            raise

    # -- opening -------------------------------------------------------------------------

    def _connect(self, *, autocommit: bool) -> psycopg.Connection[tuple[Any, ...]]:
        """A new connection to the store's database: UTF-8, ISO dates, read-only sessions
        for a read-only store. Connection failures become StoreConnectionError."""
        try:
            given = psycopg.conninfo.conninfo_to_dict(self._url)
        except psycopg.Error as exc:
            raise StoreConnectionError(
                f"not a valid PostgreSQL URL: {self._scrub(exc)}",
                where=self.where,
                hint="write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE",
            ) from exc
        extra: dict[str, Any] = {"application_name": "communique"}
        if "connect_timeout" not in given:
            extra["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
        try:
            con = psycopg.connect(self._url, autocommit=autocommit, **extra)
        except psycopg.Error as exc:
            raise self._connect_error(exc) from exc
        try:
            con.execute("SET DateStyle = ISO")
            if self.read_only:
                con.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            encoding = con.execute("SHOW server_encoding").fetchone()
            if not autocommit:
                con.commit()
        except psycopg.Error as exc:
            con.close()
            raise self._read_error(exc) from exc
        if encoding is None or encoding[0].upper() not in ("UTF8", "UTF-8"):
            con.close()
            raise StoreError(
                f"the database's encoding is {encoding[0] if encoding else 'unknown'}, "
                "not UTF8: it cannot hold every dispatch's text",
                where=self.where,
                hint="create the database with ENCODING 'UTF8' "
                "(createdb --encoding=UTF8 --template=template0 NAME)",
            )
        return con

    def _scrub(self, exc: BaseException) -> str:
        """The first line of a driver message, with the URL's password (if any) removed."""
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        for secret in _passwords(self._url):
            text = text.replace(secret, "***")
        return text

    def _connect_error(self, exc: psycopg.Error) -> StoreConnectionError:
        full = str(exc)
        detail = self._scrub(exc)
        if _NO_DATABASE.search(full):
            return StoreConnectionError(
                f"the server has no such database ({detail})",
                where=self.where,
                hint="create it first (createdb NAME, or CREATE DATABASE name "
                "ENCODING 'UTF8'), or fix the database name at the end of the URL",
            )
        if _AUTH.search(full):
            return StoreConnectionError(
                f"the server refused the user name or password ({detail})",
                where=self.where,
                hint="check the user and password in the URL (postgresql://USER:PASSWORD@...) "
                "and that pg_hba.conf lets this user in from this host",
            )
        if _REFUSED.search(full):
            return StoreConnectionError(
                f"no PostgreSQL server answers at this address ({detail})",
                where=self.where,
                hint="check the host and port in the URL and that the server is running "
                "and listening there (listen_addresses, port)",
            )
        return StoreConnectionError(
            f"cannot connect to the PostgreSQL server ({detail})",
            where=self.where,
            hint="check the URL (postgresql://USER:PASSWORD@HOST:PORT/DATABASE) and the server",
        )

    def _table_names(self) -> set[str]:
        rows = self._con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
        return {r[0] for r in rows}

    def apply_migration(self, migration: Migration) -> None:
        """Run one migration and record it, in one transaction (part of MigrationTarget).
        Under the write lock; a migration another process applied meanwhile is skipped."""
        try:
            with self._con.transaction():
                self._con.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK_KEY])
                if self.schema_version() >= migration.version:
                    return
                self._con.execute(migration.sql)
                self._con.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (%s, %s, %s)",
                    [migration.version, migration.name, utcnow()],
                )
        except psycopg.Error as exc:
            raise StoreError(
                f"migration {migration.version:04d}_{migration.name} failed: {self._scrub(exc)}",
                where=self.where,
                hint="the store was left at its previous version; check that this user may "
                "create tables in the database's current schema (PostgreSQL 15+: GRANT "
                "CREATE ON SCHEMA public TO the user, or make the user the database owner) "
                "and that the server has ICU collations (und-x-icu)",
            ) from exc

    def _prepare(self) -> None:
        try:
            tables = self._table_names()
        except psycopg.Error as exc:
            raise self._read_error(exc) from exc
        if tables and "schema_version" not in tables:
            raise StoreError(
                "this PostgreSQL schema is not a communique store (it has tables, but no "
                "schema_version table)",
                where=self.where,
                hint="point --store at an empty database (or one holding a communique "
                "store), or choose another schema with ?options=-csearch_path%3DNAME",
            )
        migrations = load_migrations(DIALECT)
        if self.read_only and not tables:
            raise StoreError(
                "no store in this database",
                where=self.where,
                hint="run `communique ingest FILES --store URL` first, or pass the right --store",
            )
        ensure_schema(self, migrations, read_only=self.read_only, where=self.where)

    def close(self) -> None:
        self._con.close()

    # -- running statements (SqlStore) ---------------------------------------------------

    def _run(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self._con.cursor() as cur:
            cur.execute(pyformat(sql), list(params))
            return cur.fetchall() if cur.description is not None else []

    def _db_errors(self) -> tuple[type[BaseException], ...]:
        return (psycopg.Error,)

    def _read_error(self, exc: BaseException) -> StoreError:
        if isinstance(exc, psycopg.OperationalError) and self._con_broken():
            return StoreConnectionError(
                f"lost the connection to the server: {self._scrub(exc)}",
                where=self.where,
                hint="check that the server is running, then run the command again",
            )
        return StoreError(
            f"could not read the store: {self._scrub(exc)}",
            where=self.where,
            hint="check that the database holds an intact communique store; "
            "if it was written by a newer communique, upgrade",
        )

    def _con_broken(self) -> bool:
        con = getattr(self, "_con", None)
        return con is None or con.broken or con.closed

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._con.transaction():
            self._con.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK_KEY])
            yield

    # -- writing -------------------------------------------------------------------------

    def _table_columns(self, table: str) -> list[str]:
        """Columns of a table in their order, read from the database: the SQL migration is
        the one source of truth for them."""
        if table not in self._columns:
            rows = self._con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s "
                "ORDER BY ordinal_position",
                [table],
            ).fetchall()
            self._columns[table] = [r[0] for r in rows]
        return self._columns[table]

    def _load(self, table: str, records: list[dict[str, Any]], *, ignore: bool = False) -> None:
        """Append ``records`` to ``table`` with COPY (rows stream to the server in one
        statement); ``ignore``: rows whose primary key is already stored are left out
        (copied to a temporary table first, then inserted ON CONFLICT DO NOTHING)."""
        if not records:
            return
        columns = self._table_columns(table)
        names = pgsql.SQL(", ").join(pgsql.Identifier(c) for c in columns)
        into = pgsql.Identifier(_STAGING if ignore else table)
        with self._con.cursor() as cur:
            if ignore:
                cur.execute(
                    pgsql.SQL(
                        "CREATE TEMPORARY TABLE {} (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP"
                    ).format(into, pgsql.Identifier(table))
                )
            with cur.copy(pgsql.SQL("COPY {} ({}) FROM STDIN").format(into, names)) as copy:
                for record in records:
                    copy.write_row([record[c] for c in columns])
            if ignore:
                cur.execute(
                    pgsql.SQL(
                        "INSERT INTO {} ({}) SELECT {} FROM {} ON CONFLICT DO NOTHING"
                    ).format(pgsql.Identifier(table), names, names, into)
                )
                cur.execute(pgsql.SQL("DROP TABLE {}").format(into))

    # -- Arrow reads (exports, frames) ---------------------------------------------------

    def arrow_stream(
        self, sql: str, params: Sequence[Any], batch_rows: int = BATCH_ROWS
    ) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
        """The schema of a read query's result and its rows as Arrow record batches of
        ``batch_rows`` rows, fetched from a server-side cursor on a connection of its own
        (one read-only transaction: a consistent snapshot, constant memory)."""
        con = self._connect(autocommit=False)
        try:
            con.read_only = True
            cur = con.cursor(name=_STREAM_CURSOR)
            cur.execute(pyformat(sql), list(params))
            schema, oids = self._arrow_schema(cur.description or [])
        except BaseException as exc:
            con.close()
            if isinstance(exc, psycopg.Error):
                raise self._read_error(exc) from exc
            raise

        def batches() -> Iterator[pa.RecordBatch]:
            try:
                while rows := cur.fetchmany(batch_rows):
                    yield _record_batch(rows, schema, oids)
            except psycopg.Error as exc:
                raise self._read_error(exc) from exc
            finally:
                with contextlib.suppress(psycopg.Error):
                    con.rollback()
                con.close()

        return schema, batches()

    def _arrow_schema(self, description: Sequence[psycopg.Column]) -> tuple[pa.Schema, list[int]]:
        """The Arrow schema of a result, and the type oid of each of its columns."""
        fields = []
        oids = []
        for column in description:
            arrow_type = _ARROW_TYPES.get(column.type_code)
            if arrow_type is None:
                raise StoreError(
                    f"column {column.name!r} of a read has PostgreSQL type oid "
                    f"{column.type_code}, which has no Arrow type here",
                    where=self.where,
                    hint="cast it in the query to TEXT, BIGINT or DOUBLE PRECISION",
                )
            fields.append(pa.field(column.name, arrow_type))
            oids.append(column.type_code)
        return pa.schema(fields), oids


def _record_batch(
    rows: list[tuple[Any, ...]], schema: pa.Schema, oids: list[int]
) -> pa.RecordBatch:
    """Rows (tuples from psycopg) as one Arrow record batch of ``schema``."""
    arrays = []
    for i, (field, oid) in enumerate(zip(schema, oids, strict=True)):
        values = [row[i] for row in rows]
        if oid in _JSON_OIDS:
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
        elif oid == _NUMERIC_OID:
            values = [float(v) if isinstance(v, Decimal) else v for v in values]
        arrays.append(pa.array(values, type=field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _passwords(url: str) -> list[str]:
    """Every form of the password(s) a URL holds, as written and percent-decoded."""
    try:
        parts = urlsplit(url)
        found = [v for k, v in parse_qsl(parts.query) if k.lower() == "password"]
        if parts.password:
            found += [parts.password, unquote(parts.password)]
    except ValueError:
        return []
    return sorted({p for p in found if p}, key=len, reverse=True)
