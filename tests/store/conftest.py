"""Fixtures of the store tests: the same tests run against every backend.

``target`` is where a fresh, empty store opens: a new DuckDB file, or a new schema in a
PostgreSQL database of the server named by ``COMMUNIQUE_TEST_POSTGRES`` (a
``postgresql://`` URL of a user who may create databases; `.ci/run` starts one). One
database is created per test session and one schema per test (both dropped afterwards):
a schema is a fresh store at a fraction of a database's creation time.

Without that variable the PostgreSQL cases skip, saying why; under CI (``CI`` set) they
fail instead, so that CI can never pass by skipping them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_servers import BACKENDS, admin, fresh_schema, postgres_url_or_skip, with_database


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The URL of the test server (a maintenance database on it)."""
    return postgres_url_or_skip()


@pytest.fixture(scope="session")
def postgres_database(postgres_url: str) -> Iterator[str]:
    """A database of this test session (UTF-8), dropped at the end."""
    name = f"communique_test_{uuid.uuid4().hex[:12]}"
    with admin(postgres_url) as con:
        con.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield with_database(postgres_url, name)
    finally:
        with admin(postgres_url) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_target(postgres_database: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL store location (a URL)."""
    with fresh_schema(postgres_database) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def target(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a fresh, empty store of ``backend`` opens with ``open_store(target)``."""
    if backend == "duckdb":
        return tmp_path / "store.duckdb"
    return str(request.getfixturevalue("pg_target"))


@pytest.fixture(scope="module", params=BACKENDS)
def module_target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path | str]:
    """A fresh store location of each backend for a whole module (property tests write
    every example into one store)."""
    if request.param == "duckdb":
        yield tmp_path_factory.mktemp("store") / "store.duckdb"
        return
    with fresh_schema(request.getfixturevalue("postgres_database")) as url:
        yield url
