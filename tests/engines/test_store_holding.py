"""The ingest driver holds a DuckDB store's file only for its store operations
(engines/driver.py): while it reads inputs and while its pool codes, another process can
open the file, so the HTTP API answers reads during an ingest."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from engine_fakes import DISPATCHES, tables, write_files
from holding_fakes import ProbingCoder, open_read_only, probing_coder

import communique.engines.driver as driver
import communique.ingest
from communique.engines.local import run_ingest
from communique.errors import StoreError
from communique.ingest import InputProblem
from communique.model import Article
from communique.settings import Settings
from communique.store import open_store


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings().with_(store_path=tmp_path / "store.duckdb")


def corpus(folder: Path) -> Path:
    """Text and JSONL files, several batches of 2 with copies and repeats."""
    d = DISPATCHES
    return write_files(
        folder,
        {"a.txt": d[0], "b.jsonl": [d[1], d[2], d[3]], "c.txt": d[4], "d.jsonl": [d[5], d[6]]},
    )


def probe_reads(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[bool]:
    """Record, as each input file is read, whether the store opens read-only at once."""
    seen: list[bool] = []
    real = communique.ingest.read_paths

    def read_paths(paths: Sequence[Path], **kw: Any) -> Iterator[Article | InputProblem]:
        seen.append(open_read_only(path, 0))
        yield from real(paths, **kw)

    monkeypatch.setattr(communique.ingest, "read_paths", read_paths)
    return seen


def test_the_probe_fails_while_a_store_holds_its_file(settings: Settings) -> None:
    with open_store(settings.store_path):
        assert not open_read_only(Path(settings.store_path), 0)
    assert open_read_only(Path(settings.store_path), 0)


def test_the_file_is_free_while_reading_and_coding_in_process(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(driver, "INGEST_BATCH_SIZE", 2)
    path = Path(settings.store_path)
    reads = probe_reads(monkeypatch, path)
    coder = ProbingCoder(path, wait=0)  # one process: the file must be free at once
    report = run_ingest([corpus(tmp_path / "in")], settings=settings, coder=coder)
    assert report.articles_added == 7
    assert coder.probes == 4  # one chunk per batch of 2
    assert reads == [True] * 4


def test_the_file_is_free_while_worker_processes_code(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(driver, "INGEST_BATCH_SIZE", 2)
    folder = corpus(tmp_path / "in")
    report = run_ingest([folder], settings=settings, workers=2, coder_factory=probing_coder)
    assert report.articles_added == 7
    # the same rows as an ingest in one process with the same fake events
    alone = Settings().with_(store_path=tmp_path / "alone.duckdb")
    run_ingest([folder], settings=alone, coder=ProbingCoder(Path(alone.store_path), wait=0))
    assert tables(Path(settings.store_path)) == tables(Path(alone.store_path))


def test_an_ingest_refuses_a_postgresql_url_mangled_into_a_path(tmp_path: Path) -> None:
    mangled = Path("postgresql://user:s3cret@127.0.0.1:1/db")  # Path() collapses the "//"
    settings = Settings().with_(store_path=mangled)
    with pytest.raises(StoreError, match="lost the") as info:
        run_ingest([tmp_path], settings=settings, coder=ProbingCoder(tmp_path, wait=0))
    assert "s3cret" not in str(info.value)
    assert not Path("postgresql:").exists()  # no file or folder made of it
