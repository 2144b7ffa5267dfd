"""The DuckDB store's file between processes: a store lets go of its file on
``release()`` and reopens it on its next call; a writer that finds the file held by a
reader process waits for it (``lock_wait``, ``Settings.store_lock_wait_seconds`` for an
ingest) and gives up with a coded error when it stays held."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

import communique.store.duckdb as duckdb_store
from communique.engines.local import run_ingest
from communique.errors import StoreError
from communique.model import Article, CodedArticle
from communique.settings import Settings
from communique.store.duckdb import open_store

V1 = "v1"


def coded(i: int) -> CodedArticle:
    return CodedArticle(Article(id=f"a{i}", text=f"Une dépêche calme, numéro {i}."), ())


@contextmanager
def reader_process(path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding ``path`` open read-only until a line reaches its stdin."""
    script = textwrap.dedent(
        f"""
        import sys, duckdb
        con = duckdb.connect({str(path)!r}, read_only=True)
        print("open", flush=True)
        sys.stdin.readline()
        con.close()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
        yield proc
    finally:
        let_go(proc)


def let_go(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=60)


def release_reader_on_first_wait(
    proc: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> list[float]:
    """Make the store's pause between two attempts to open let the reader go (the first
    time); returns the list of pauses taken."""
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        let_go(proc)

    clock = SimpleNamespace(monotonic=time.monotonic, sleep=sleep)
    monkeypatch.setattr(duckdb_store, "time", clock)  # the store module's clock only
    return pauses


@pytest.fixture
def path(tmp_path: Path) -> Path:
    with open_store(tmp_path / "store.duckdb") as store:
        store.write([coded(0)], V1)
    return tmp_path / "store.duckdb"


def test_a_released_store_lets_go_of_its_file_and_reopens_on_its_next_call(path: Path) -> None:
    with open_store(path) as store:
        store.write([coded(1)], V1)
        store.release()
        # the file is free: a read-only connection opens (it could not beside a writer)
        with duckdb.connect(str(path), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM articles").fetchone() == (2,)
        assert store.articles_count() == 2  # reopened
        store.write([coded(2)], V1)
        store.release()
        store.release()  # releasing a released store changes nothing
        assert store.articles_count() == 3


def test_a_store_held_without_release_keeps_readers_out(path: Path) -> None:
    with open_store(path) as store:
        store.write([coded(1)], V1)
        with pytest.raises(duckdb.Error):
            duckdb.connect(str(path), read_only=True)


def test_release_inside_a_transaction_is_refused(path: Path) -> None:
    with open_store(path) as store:
        with store._transaction(), pytest.raises(StoreError, match="transaction"):
            store.release()
        assert store.articles_count() == 1


def test_a_closed_store_is_not_reopened(path: Path) -> None:
    store = open_store(path)
    store.close()
    with pytest.raises(StoreError, match="closed") as info:
        store.articles_count()
    assert info.value.code == "C300"


def test_a_writer_waits_for_a_reader_process_to_let_go(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with reader_process(path) as reader:
        pauses = release_reader_on_first_wait(reader, monkeypatch)
        with open_store(path, lock_wait=60) as store:
            store.write([coded(1)], V1)
            assert store.articles_count() == 2
    assert pauses  # it was refused first, and waited


def test_a_released_writer_waits_for_a_reader_to_reopen(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(path, lock_wait=60) as store:
        store.release()
        with reader_process(path) as reader:  # a reader got in while the writer coded
            pauses = release_reader_on_first_wait(reader, monkeypatch)
            report = store.write([coded(1), coded(2)], V1)
        assert report.articles_added == 2
        assert pauses
    with open_store(path, read_only=True) as store:
        assert store.articles_count() == 3


def test_a_writer_gives_up_when_the_file_stays_held(path: Path) -> None:
    with reader_process(path):
        with pytest.raises(StoreError, match=r"locked by another process for 0\.2 s") as info:
            open_store(path, lock_wait=0.2)
        assert info.value.code == "C300"
        assert info.value.hint and "wait for the other process" in info.value.hint
        with pytest.raises(StoreError, match="locked by another process"):
            open_store(path)  # no wait: refused at once, as before


def test_an_ingest_fails_before_coding_when_its_store_stays_held(
    path: Path, tmp_path: Path
) -> None:
    (tmp_path / "in.txt").write_text("Le ministre a rencontré son homologue.", encoding="utf-8")
    settings = Settings().with_(store_path=path, store_lock_wait_seconds=0.2)

    class NeverCalled:
        coder_version = "never"

        def code(self, articles: object) -> Iterator[CodedArticle]:
            raise AssertionError("coded although the store could not be opened")

    with reader_process(path), pytest.raises(StoreError, match=r"for 0\.2 s"):
        run_ingest([tmp_path / "in.txt"], settings=settings, coder=NeverCalled())
