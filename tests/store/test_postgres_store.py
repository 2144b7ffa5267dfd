"""What only the PostgreSQL store does: choosing it by URL, connection errors that name the
server without its password, migrations applied once under a lock, real server-side
failures rolled back, read-only sessions, concurrent writers, and the database's
encoding and privileges."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from store_builders import article, baku_visit, quiet, sample_batch, tokyo_reply
from store_servers import admin, fresh_schema, with_database, with_schema

from communique.errors import StoreConnectionError, StoreError
from communique.model import ActorRef, CodedArticle
from communique.settings import Settings
from communique.store import display_target, is_store_url, mask_dsn, open_store, store_target
from communique.store.base import load_migrations
from communique.store.postgres import PostgresStore

V1 = "coder-1"
SECRET = "s3cret-Pa55word"


def raw(url: str, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as con:
        cur = con.execute(sql, params)
        return cur.fetchall() if cur.description is not None else []


def with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    user = parts.username or "nobody"
    host = parts.hostname or "127.0.0.1"
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{host}{port}"))


def free_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def assert_masked(err: StoreError, secret: str) -> None:
    text = err.render()
    assert secret not in text
    assert err.where is not None and "***" in err.where
    assert err.code == "C302"
    assert err.hint


# -- choosing the backend, naming the server -----------------------------------------------


def test_urls_choose_postgres_and_paths_duckdb() -> None:
    assert is_store_url("postgresql://u@h/db") and is_store_url("postgres://h/db")
    assert not is_store_url(Path("postgresql://u@h/db"))  # a Path is never a URL
    assert not is_store_url("communique.duckdb") and not is_store_url("./postgresql")
    assert store_target("postgresql://u:p@h:5432/db") == "postgresql://u:p@h:5432/db"
    assert store_target("data/s.duckdb") == Path("data/s.duckdb")
    assert Settings().with_(store_path="postgresql://h/db").store_path == "postgresql://h/db"


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://ann:pw@db.example:5432/news", "postgresql://ann:***@db.example:5432/news"),
        ("postgres://ann@db/news", "postgres://ann@db/news"),
        ("postgresql://db/news?password=pw&sslmode=require", None),
        ("postgresql://ann:p%40ss@h/news", "postgresql://ann:***@h/news"),
        ("postgresql://ann:a:b@c@h/news", "postgresql://ann:***@h/news"),
    ],
)
def test_passwords_are_masked(url: str, masked: str | None) -> None:
    shown = mask_dsn(url)
    if masked is not None:
        assert shown == masked
    assert "pw" not in shown.replace("postgres", "") and "p%40ss" not in shown
    assert display_target(url) == shown
    assert display_target(Path("x.duckdb")) == "x.duckdb"


def test_a_url_turned_into_a_path_is_refused_without_its_password(tmp_path: Path) -> None:
    url = f"postgresql://someone:{SECRET}@127.0.0.1:5432/news"
    with pytest.raises(StoreError, match="given as a file path") as info:
        open_store(Path(url))
    assert SECRET not in info.value.render()
    assert info.value.where == "postgresql://someone:***@127.0.0.1:5432/news"


def test_no_server_at_the_address_is_a_coded_error_without_the_password() -> None:
    url = f"postgresql://someone:{SECRET}@127.0.0.1:{free_port()}/news"
    with pytest.raises(StoreConnectionError, match="no PostgreSQL server answers") as info:
        open_store(url)
    assert_masked(info.value, SECRET)
    assert "port" in (info.value.hint or "")


def test_a_malformed_url_is_a_coded_error() -> None:
    url = f"postgresql://someone:{SECRET}@127.0.0.1:notaport/news"
    with pytest.raises(StoreConnectionError) as info:
        open_store(url)
    assert_masked(info.value, SECRET)


def test_wrong_password_is_a_coded_error_without_the_password(postgres_url: str) -> None:
    url = with_password(postgres_url, SECRET)
    with pytest.raises(StoreConnectionError, match="refused the user name or password") as info:
        open_store(url, read_only=True)
    assert_masked(info.value, SECRET)


def test_missing_database_is_a_coded_error_naming_it(postgres_url: str) -> None:
    name = f"absent_{uuid.uuid4().hex[:8]}"
    url = with_database(postgres_url, name)
    with pytest.raises(StoreConnectionError, match="no such database") as info:
        open_store(url)
    assert name in info.value.render()
    assert "CREATE DATABASE" in (info.value.hint or "")
    password = urlsplit(url).password
    if password:
        assert password not in info.value.render()


def test_a_url_opens_a_postgres_store(pg_target: str) -> None:
    with open_store(pg_target) as store:
        assert isinstance(store, PostgresStore)
        assert store.dialect == "postgres"
        assert store.where == mask_dsn(pg_target)
        password = urlsplit(pg_target).password
        if password:
            assert password not in store.where


# -- migrations ---------------------------------------------------------------------------


def test_migrations_are_applied_once_and_reopening_is_idempotent(pg_target: str) -> None:
    migrations = load_migrations("postgres")
    assert [m.version for m in migrations] == [
        m.version for m in load_migrations("duckdb")
    ]  # the same versions as DuckDB's
    for _ in range(3):
        with open_store(pg_target) as store:
            assert store.schema_version() == migrations[-1].version
    rows = raw(pg_target, "SELECT version, name FROM schema_version ORDER BY version")
    assert rows == [(m.version, m.name) for m in migrations]
    with open_store(pg_target) as store:  # a migration another process applied is skipped
        store.apply_migration(migrations[0])
    assert raw(pg_target, "SELECT count(*) FROM schema_version") == [(len(migrations),)]


def test_two_processes_creating_one_store_at_once_do_not_collide(pg_target: str) -> None:
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            with open_store(pg_target) as store:
                store.articles_count()
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert raw(pg_target, "SELECT version FROM schema_version ORDER BY version") == [(1,), (2,)]


def test_text_columns_compare_by_code_point(pg_target: str) -> None:
    with open_store(pg_target):
        pass
    rows = raw(
        pg_target,
        "SELECT collation_name, count(*) FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type IN ('text', 'ARRAY') "
        "GROUP BY 1 ORDER BY 1",
    )
    assert dict(rows).keys() == {"C", "und-x-icu"}
    assert dict(rows)["und-x-icu"] == 1  # evidence_text only (case-folding search)


# -- writing: failures, encoding, concurrency --------------------------------------------


def test_a_write_the_server_refuses_midway_leaves_nothing(pg_target: str) -> None:
    with open_store(pg_target) as store:
        store.write([quiet()], V1)
    # the server refuses ASSAULT rows: the events COPY fails after articles and actors
    raw(pg_target, "ALTER TABLE events ADD CONSTRAINT no_assault CHECK (\"type\" <> 'ASSAULT')")
    with open_store(pg_target) as store:
        with pytest.raises(StoreError, match="rolled back") as info:
            store.write([tokyo_reply(), baku_visit()], V1)
        assert "no_assault" in info.value.message
        assert store.articles_count() == 1
        assert store.events_count() == 0
        assert raw(pg_target, "SELECT count(*) FROM actors") == [(0,)]
        assert store.write([tokyo_reply()], V1).articles_added == 1  # still usable


def test_text_with_a_nul_character_is_refused_whole(pg_target: str) -> None:
    bad = CodedArticle(
        article("a-nul", "Un texte."), (), actors=(ActorRef("Jean\x00Dupont", "person"),)
    )
    with open_store(pg_target) as store:
        with pytest.raises(StoreError, match="NUL") as info:
            store.write([quiet(), bad], V1)
        assert info.value.code == "C300"
        assert store.articles_count() == 0


def test_a_database_not_in_utf8_is_refused(postgres_url: str) -> None:
    name = f"communique_latin1_{uuid.uuid4().hex[:8]}"
    with admin(postgres_url) as con:
        con.execute(
            f"CREATE DATABASE {name} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' "
            "TEMPLATE template0"
        )
    try:
        with pytest.raises(StoreError, match="UTF8") as info:
            open_store(with_database(postgres_url, name))
        assert "ENCODING" in (info.value.hint or "")
    finally:
        with admin(postgres_url) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_no_right_to_create_tables_says_how_to_grant_it(postgres_database: str) -> None:
    (superuser,) = raw(postgres_database, "SELECT rolsuper FROM pg_roles WHERE rolname = user")[0]
    if superuser:
        pytest.skip("the test user is a superuser: every privilege check passes")
    with fresh_schema(postgres_database) as url:
        schema = url.rsplit("search_path%3D", 1)[-1]
        raw(postgres_database, f"REVOKE CREATE ON SCHEMA {schema} FROM CURRENT_USER")
        with pytest.raises(StoreError, match="migration 0001_init failed") as info:
            open_store(url)
        assert "GRANT CREATE" in (info.value.hint or "")


def test_concurrent_writers_of_the_same_batch_take_turns(pg_target: str) -> None:
    with open_store(pg_target):
        pass
    reports: list[Any] = []
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with open_store(pg_target) as store:
                reports.append(store.write(sample_batch(), V1))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.articles_added for r in reports) == 3  # once, by whichever came first
    assert raw(pg_target, "SELECT count(*) FROM events") == [(6,)]


# -- reading --------------------------------------------------------------------------------


@pytest.fixture
def filled(pg_target: str) -> Iterator[str]:
    with open_store(pg_target) as store:
        store.write(sample_batch(), V1)
    yield pg_target


def test_a_read_only_store_runs_in_a_read_only_session(filled: str) -> None:
    with open_store(filled, read_only=True) as store:
        assert store.events_count() == 6
        with pytest.raises(StoreError, match="read-only"):
            store.fetch_all("CREATE TABLE intruder (x INTEGER)", [])
        with pytest.raises(StoreError, match="read-only"):
            store.fetch_all("DELETE FROM events", [])
        assert store.events_count() == 6


def test_streams_come_in_batches_of_the_asked_size(filled: str) -> None:
    with open_store(filled, read_only=True) as store:
        schema, batches = store.arrow_stream(
            "SELECT event_id, evidence_start FROM events WHERE article_id <> ? ORDER BY event_id",
            ["none"],
            batch_rows=4,
        )
        sizes = [b.num_rows for b in batches]
        assert sizes == [4, 2]
        assert schema.names == ["event_id", "evidence_start"]
        empty_schema, empty = store.arrow_stream("SELECT event_id FROM events WHERE false", [])
        assert list(empty) == [] and empty_schema.names == ["event_id"]


def test_two_stores_in_two_schemas_of_one_database_are_apart(postgres_database: str) -> None:
    with fresh_schema(postgres_database) as one, fresh_schema(postgres_database) as two:
        with open_store(one) as store:
            store.write(sample_batch(), V1)
        with open_store(two) as store:
            assert store.articles_count() == 0
        assert with_schema(postgres_database, "x") != one
