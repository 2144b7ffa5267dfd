"""Fixtures of the reliability tests: the generated corpus, fresh stores of each backend,
and one clean ingest of the corpus per backend, run while the HTTP API reads the store
(test_reads_during_ingest.py checks the reads; test_kill.py compares killed and resumed
ingests with its store).

The PostgreSQL cases use the server named by ``COMMUNIQUE_TEST_POSTGRES`` (one database
per session, one schema per store) and skip without it, except under CI, where they fail
(tests/store/store_servers.py).
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "store"))

from api_reads import CleanIngest, ingest_while_reading
from reliability_corpus import Corpus, write_corpus
from store_servers import (
    BACKENDS,
    admin,
    fresh_schema,
    postgres_url_or_skip,
    with_database,
)

from communique.store import open_store, store_target

# Corpus shape: 5 feeds of 220 dispatches and 20 single-dispatch files, 1,120 dispatches
# in 5 store batches of 256 (the last one partial), so that kills can fall after the
# first batch and half-way, with batches still to come.
JSONL_FILES = 5
PER_FILE = 220
TEXT_FILES = 20

NewTarget = Callable[[], Path | str]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return write_corpus(
        tmp_path_factory.mktemp("corpus"),
        jsonl_files=JSONL_FILES,
        per_file=PER_FILE,
        text_files=TEXT_FILES,
    )


@pytest.fixture(scope="session")
def reliability_database() -> Iterator[str]:
    """A PostgreSQL database of this session, dropped at the end."""
    url = postgres_url_or_skip()
    name = f"communique_rel_{uuid.uuid4().hex[:12]}"
    with admin(url) as con:
        con.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield with_database(url, name)
    finally:
        with admin(url) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session", params=BACKENDS)
def new_target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[NewTarget]:
    """Makes locations of fresh, empty stores of one backend: DuckDB files, or schemas
    of the session's PostgreSQL database (dropped at the end)."""
    backend = str(request.param)
    database = request.getfixturevalue("reliability_database") if backend != "duckdb" else ""
    with ExitStack() as stack:

        def make() -> Path | str:
            if backend == "duckdb":
                return tmp_path_factory.mktemp("store") / "store.duckdb"
            return stack.enter_context(fresh_schema(database))

        yield make


def create_empty(target: Path | str) -> Path | str:
    """Create the (empty, migrated) store at ``target``; returns ``target``."""
    with open_store(store_target(str(target))):
        pass
    return target


@pytest.fixture(scope="session")
def clean_ingest(new_target: NewTarget, corpus: Corpus) -> CleanIngest:
    target = create_empty(new_target())
    return CleanIngest(target, ingest_while_reading(corpus, target))
