"""How the API holds the store (api/context.py): overlapping requests share one open
read-only database, the file is released whenever no request runs, a failed request
releases it too, and under continuous overlapping reads a writer in another process still
gets its turn (the instance is retired after ``api_read_hold_seconds``).

Waits here are upper bounds on liveness (a writer starved for a minute fails the test),
never assertions about speed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_store import build_store

from communique.api import create_app
from communique.api.context import ApiContext
from communique.errors import SettingsError, StoreError
from communique.model import Article, CodedArticle
from communique.settings import Settings
from communique.store import open_store

_TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_TESTS / "store"))

from store_servers import admin, postgres_url_or_skip, with_database  # noqa: E402

# Upper bound on how long a test waits for something that must happen (a writer's turn,
# a blocked request going on): far above what it takes, so that a loaded machine never
# fails the test, while a starved writer or a deadlock still does.
LIVENESS_SECONDS = 60.0


def _extra(article_id: str) -> list[CodedArticle]:
    return [CodedArticle(Article(id=article_id, text="Texte.", lang="fr"), ())]


@pytest.fixture
def duck(tmp_path: Path) -> Path:
    return build_store(tmp_path / "s.duckdb")


def test_overlapping_requests_share_the_file_and_release_it_when_idle(duck: Path) -> None:
    ctx = ApiContext(duck, Settings())
    assert not ctx.holds_store
    with ctx.store() as first:
        assert ctx.holds_store
        with ctx.store() as second:
            assert second is not first  # a connection of its own for each request
            assert second.events_count() == first.events_count()
        assert ctx.holds_store  # the first request still runs
    assert not ctx.holds_store
    with pytest.raises(StoreError):
        first.events_count()  # closed with its request
    # DuckDB refuses a read-write handle in a process that still has the file open
    # read-only ("different configuration"): this write proves the file was let go.
    with open_store(duck) as store:
        store.write(_extra("after"), "v")


def test_a_failed_request_releases_the_file(duck: Path) -> None:
    ctx = ApiContext(duck, Settings())
    with pytest.raises(RuntimeError), ctx.store():
        raise RuntimeError("the endpoint failed")
    assert not ctx.holds_store
    with open_store(duck) as store:
        store.write(_extra("after-failure"), "v")


def test_a_missing_store_is_a_typed_error_and_holds_nothing(tmp_path: Path) -> None:
    ctx = ApiContext(tmp_path / "none.duckdb", Settings())
    with pytest.raises(StoreError) as caught, ctx.store():
        pass
    assert caught.value.code == "C300"
    assert not ctx.holds_store


def test_requests_after_the_hold_wait_for_those_in_flight(duck: Path) -> None:
    ctx = ApiContext(duck, Settings().with_(api_read_hold_seconds=1e-6))
    entered = threading.Event()
    errors: list[BaseException] = []

    def late_request() -> None:
        try:
            with ctx.store() as store:
                store.events_count()
                entered.set()
        except BaseException as exc:
            errors.append(exc)

    with ctx.store():  # opened, and retired at once
        thread = threading.Thread(target=late_request)
        thread.start()
        assert not entered.wait(0.3)  # waits for this request to finish
    thread.join(LIVENESS_SECONDS)
    assert entered.is_set() and not errors
    assert not ctx.holds_store


_WRITER = """
import sys, time
from communique.errors import StoreError
from communique.model import Article, CodedArticle
from communique.store import open_store

deadline = time.monotonic() + {wait}
while True:  # an ingest's wait for readers to let go (store_lock_wait_seconds)
    try:
        store = open_store({path!r})
        break
    except StoreError as exc:
        if "locked" not in exc.message or time.monotonic() > deadline:
            raise
        time.sleep(0.05)
with store:
    store.write([CodedArticle(Article(id="written", text="Texte.", lang="fr"), ())], "v")
print("written", flush=True)
"""


def test_a_writer_gets_its_turn_under_continuous_reads(duck: Path) -> None:
    settings = Settings().with_(api_read_hold_seconds=0.3, api_read_gap_seconds=0.3)
    ctx = ApiContext(duck, settings)
    ctx.busy_wait = LIVENESS_SECONDS  # a reader meeting the writer waits for it, however slow
    with ctx.store() as store:
        before = store.articles_count()
    stop = threading.Event()
    errors: list[BaseException] = []
    reads = [0]

    def reader(offset: float) -> None:
        stop.wait(offset)
        while not stop.is_set():
            try:
                with ctx.store() as store:
                    store.events_count()
                    stop.wait(0.03)  # requests overlap: the file never falls idle
                reads[0] += 1
            except BaseException as exc:
                errors.append(exc)
                return

    threads = [threading.Thread(target=reader, args=(i * 0.01,)) for i in range(3)]
    for t in threads:
        t.start()
    try:
        code = textwrap.dedent(_WRITER.format(path=str(duck), wait=LIVENESS_SECONDS))
        writer = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=LIVENESS_SECONDS + 30,
        )
    finally:
        stop.set()
        for t in threads:
            t.join(LIVENESS_SECONDS)
    assert writer.returncode == 0, writer.stderr
    assert writer.stdout.strip() == "written"
    assert not errors, errors
    assert reads[0] > 0
    with ctx.store() as store:
        assert store.articles_count() == before + 1  # readers see the writer's batch


@pytest.mark.parametrize(
    "change",
    [
        {"api_read_hold_seconds": 0.0},
        {"api_read_hold_seconds": float("inf")},
        {"api_read_gap_seconds": -1.0},
    ],
)
def test_unusable_hold_settings_are_refused(duck: Path, change: dict[str, float]) -> None:
    with pytest.raises(SettingsError):
        create_app(duck, Settings().with_(**change))


@pytest.fixture
def postgres_store() -> Iterator[str]:
    """A new PostgreSQL database holding the API test store (dropped afterwards)."""
    url = postgres_url_or_skip()
    name = f"communique_reads_{uuid.uuid4().hex[:12]}"
    with admin(url) as con:
        con.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    try:
        target = with_database(url, name)
        build_store(target)  # type: ignore[arg-type]
        yield target
    finally:
        with admin(url) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_postgres_sessions_are_reused_while_busy_and_closed_when_idle(
    postgres_store: str,
) -> None:
    ctx = ApiContext(postgres_store, Settings())
    with ctx.store() as first:
        with ctx.store() as second:
            assert second is not first  # one session per request in flight
        with ctx.store() as third:
            assert third is second  # a finished request's session serves the next
        with pytest.raises(RuntimeError), ctx.store() as failed:
            raise RuntimeError("the endpoint failed")
        with ctx.store() as fourth:
            assert fourth is not failed  # a failed request's session is not reused
        assert ctx.holds_store
    assert not ctx.holds_store
    for store in (first, second, failed, fourth):
        with pytest.raises(StoreError):
            store.events_count()  # every session was closed
