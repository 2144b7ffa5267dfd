"""What only the DuckDB store does: refusing files that are not DuckDB databases, paths
that cannot be a store, and another process's lock. Everything stores share is in
test_store_contract.py, run on every backend."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from communique.errors import StoreError
from communique.store import open_store
from communique.store.duckdb import DuckDBStore


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.duckdb"


def test_a_path_opens_a_duckdb_store(db: Path) -> None:
    with open_store(db) as store:
        assert isinstance(store, DuckDBStore)
        assert store.dialect == "duckdb" and store.where == str(db)
    with open_store(str(db), read_only=True) as store:  # a str path is a path too
        assert isinstance(store, DuckDBStore)


@pytest.mark.parametrize("content", [b"", b"hello, I am a text file\n" * 50, bytes(range(256))])
def test_a_file_that_is_not_a_database_is_a_store_error(db: Path, content: bytes) -> None:
    db.write_bytes(content)
    for read_only in (False, True):
        with pytest.raises(StoreError, match="not a DuckDB database") as info:
            open_store(db, read_only=read_only)
        assert info.value.hint
    assert db.read_bytes() == content  # untouched


def test_missing_store_read_only_and_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "absent.duckdb", read_only=True)
    with pytest.raises(StoreError, match="folder"):
        open_store(tmp_path / "no" / "such" / "dir.duckdb")
    with pytest.raises(StoreError, match="directory"):
        open_store(tmp_path)


def test_lock_held_by_another_process_is_reported(db: Path) -> None:
    with open_store(db):
        pass
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from communique.store import open_store
                with open_store({str(db)!r}):
                    print("ready", flush=True)
                    sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        for read_only in (False, True):
            with pytest.raises(StoreError, match="locked by another process"):
                open_store(db, read_only=read_only)
    finally:
        holder.communicate("")  # closes stdin: the holder exits
    with open_store(db) as store:  # released
        assert store.articles_count() == 0


def test_importing_the_store_package_imports_no_driver() -> None:
    code = (
        "import sys, communique.store, communique.store.sql, communique.export.source; "
        "print(sorted(m for m in ('duckdb', 'psycopg') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
