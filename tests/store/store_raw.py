"""Raw access to a store's database, around the store (not a test module): what the tests
inspect or tamper with directly, for a DuckDB file (a Path) or a PostgreSQL URL (a str)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb


def is_postgres(target: Path | str) -> bool:
    return isinstance(target, str)


def backend_module(target: Path | str) -> ModuleType:
    """The store module of the target's backend (to patch its load_migrations)."""
    if is_postgres(target):
        import communique.store.postgres as module
    else:
        import communique.store.duckdb as module
    return module


def fetch(target: Path | str, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of one statement (``?`` placeholders), run outside the store."""
    if is_postgres(target):
        import psycopg

        from communique.store.sql import pyformat

        with psycopg.connect(str(target), autocommit=True) as con:
            cur = con.execute(pyformat(sql), params or [])
            return cur.fetchall() if cur.description is not None else []
    con = duckdb.connect(str(target))
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def tables(target: Path | str) -> set[str]:
    if is_postgres(target):
        sql = (
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    else:
        sql = "SELECT table_name FROM duckdb_tables()"
    return {r[0] for r in fetch(target, sql)}


def columns(target: Path | str, table: str) -> set[str]:
    if is_postgres(target):
        sql = (
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ?"
        )
    else:
        sql = "SELECT column_name FROM duckdb_columns() WHERE table_name = ?"
    return {r[0] for r in fetch(target, sql, [table])}


def db_error(target: Path | str, message: str) -> Exception:
    """An exception of the backend's driver, as a database failure raises it."""
    if is_postgres(target):
        import psycopg

        return psycopg.OperationalError(message)
    return duckdb.ConstraintException(message)
