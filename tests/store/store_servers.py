"""The PostgreSQL test server of the store tests (not a test module; used by conftest.py
and the PostgreSQL tests): its URL from ``COMMUNIQUE_TEST_POSTGRES``, and fresh
databases and schemas on it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest

POSTGRES_ENV = "COMMUNIQUE_TEST_POSTGRES"
BACKENDS = ("duckdb", "postgres")

# Values of CI that mean "not CI" (GitHub-style runners set CI=true).
_NOT_CI = frozenset({"", "0", "false", "no"})


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in _NOT_CI


def postgres_url_or_skip() -> str:
    """The test server's URL; skips (or fails, under CI) the calling test without one."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if url:
        return url
    why = f"{POSTGRES_ENV} is not set: no PostgreSQL server to test the PostgreSQL store on"
    if under_ci():
        pytest.fail(
            f"{why}, and CI is set: CI must run the PostgreSQL store tests "
            "(.ci/run installs and starts a server when it runs as root)",
            pytrace=False,
        )
    pytest.skip(f"{why} (set it to a postgresql:// URL of a user with CREATEDB)")


def with_database(url: str, database: str) -> str:
    """``url`` naming another database on the same server."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + quote(database)))


def with_schema(url: str, schema: str) -> str:
    """``url`` whose sessions work in ``schema`` (libpq's ``options=-csearch_path=``)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-csearch_path={schema}"))
    return urlunsplit(parts._replace(query=urlencode(query)))


def admin(url: str) -> Any:
    """An autocommit connection (psycopg) for creating and dropping test databases."""
    import psycopg

    return psycopg.connect(url, autocommit=True)


@contextmanager
def fresh_schema(database_url: str) -> Iterator[str]:
    """The URL of a new, empty schema of the session database, dropped afterwards."""
    name = f"store_{uuid.uuid4().hex[:12]}"
    with admin(database_url) as con:
        con.execute(f"CREATE SCHEMA {name}")
    try:
        yield with_schema(database_url, name)
    finally:
        with admin(database_url) as con:
            con.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
