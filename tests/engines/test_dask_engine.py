"""engines/dask.py: run_ingest_dask on a real LocalCluster (2 worker processes on
127.0.0.1), with a fake reader and coder, and with the real coder against the local
engine."""

from __future__ import annotations

import dataclasses
import os
import socket
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import cloudpickle
import dask
import duckdb
import pytest
from distributed import LocalCluster
from engine_fakes import (
    DISPATCHES,
    articles,
    fake_events,
    republished,
    seeing_coder,
    tables,
    write_files,
)

import communique.engines.dask as dask_engine
import communique.engines.driver as driver
import communique.ingest
from communique.engines.dask import DaskEngineError, run_ingest_dask
from communique.engines.local import IngestReport, run_ingest
from communique.errors import EmptyInputError, StoreError
from communique.ingest import InputProblem
from communique.model import Article, CodedArticle
from communique.pipeline import Coder
from communique.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path("/work/shared/seeds")
if not SEEDS.is_dir():  # the shared folder sits beside the checkout
    SEEDS = ROOT.parent / "shared" / "seeds"


class FakeCoder:
    """One CONSULT AZE -> JPN per article whose text contains "rencontré". ``exit_on``
    kills the worker process coding that article; ``fail_on`` raises there."""

    def __init__(
        self, version: str = "fake-1", fail_on: str | None = None, exit_on: str | None = None
    ) -> None:
        self.coder_version = version
        self.fail_on = fail_on
        self.exit_on = exit_on

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        for a in articles:
            if a.id == self.exit_on:
                os._exit(3)
            if a.id == self.fail_on:
                raise RuntimeError(f"coder crashed on {a.id}")
            yield CodedArticle(a, fake_events(a))


class DriftingCoder(FakeCoder):
    """Reports another coder version outside the driver process (another install)."""

    def __init__(self) -> None:
        super().__init__()
        self.driver_pid = os.getpid()

    @property  # type: ignore[override]
    def coder_version(self) -> str:
        return "fake-1" if os.getpid() == self.driver_pid else "fake-0"

    @coder_version.setter
    def coder_version(self, value: str) -> None:
        pass


def fake_reader(items: list[Article | InputProblem]) -> Any:
    def read_paths(paths: Any, **_: Any) -> Iterator[Article | InputProblem]:
        yield from items

    return read_paths


@pytest.fixture(scope="module", autouse=True)
def fakes_pickle_by_value() -> Iterator[None]:
    """Workers cannot import the test modules: send the fakes' code with their instances."""
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    cloudpickle.register_pickle_by_value(sys.modules["engine_fakes"])
    yield
    cloudpickle.unregister_pickle_by_value(sys.modules["engine_fakes"])
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A 2-worker LocalCluster for the module. A worker that dies fails its task at once
    (allowed-failures 0), so the worker-death test takes seconds, not four restarts."""
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0", "dashboard": False},
        ) as cluster,
    ):
        yield cluster.scheduler_address


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings().with_(store_path=tmp_path / "dask.duckdb")


def table(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_same_report_rows_and_transactions_as_local(
    scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = InputProblem("empty.txt", EmptyInputError("the file is empty", where="empty.txt"))
    items: list[Article | InputProblem] = [*articles(7), bad, *articles(4, prefix="b")]
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(items))
    monkeypatch.setattr(driver, "INGEST_BATCH_SIZE", 5)  # transactions of 5 articles
    local = Settings().with_(store_path=tmp_path / "local.duckdb")
    distributed = Settings().with_(store_path=tmp_path / "dask.duckdb")
    seen_local: list[tuple[int, int]] = []
    seen: list[tuple[int, int]] = []
    expected = run_ingest(
        ["x"], settings=local, coder=FakeCoder(), on_progress=lambda a, e: seen_local.append((a, e))
    )
    report = run_ingest_dask(
        ["x"],
        settings=distributed,
        coder=FakeCoder(),
        scheduler=scheduler,
        partition_size=2,  # 7 partitions over 2 workers, gathered in input order
        on_progress=lambda a, e: seen.append((a, e)),
    )
    assert report == expected == IngestReport(11, 11, 0, 6, [bad])
    assert seen == seen_local == [(5, 3), (10, 6), (11, 6)]
    for sql in (
        "SELECT * EXCLUDE (ingested_at) FROM articles ORDER BY id",
        "SELECT * FROM events ORDER BY event_id, row_index",
        "SELECT * FROM actors ORDER BY article_id, mention_index",
    ):
        assert table(distributed.store_path, sql) == table(local.store_path, sql)


def test_rerun_skips_and_new_version_recodes(
    scheduler: str, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(list(articles(5))))
    first = run_ingest_dask(["x"], settings=settings, coder=FakeCoder(), scheduler=scheduler)
    again = run_ingest_dask(["x"], settings=settings, coder=FakeCoder(), scheduler=scheduler)
    assert (first.articles_added, first.events_added) == (5, 3)
    assert (again.articles_read, again.articles_added, again.articles_skipped) == (5, 0, 5)
    assert again.events_added == 0
    newer = run_ingest_dask(
        ["x"], settings=settings, coder=FakeCoder("fake-2"), scheduler=scheduler
    )
    assert (newer.articles_added, newer.events_added) == (5, 3)
    assert table(settings.store_path, "SELECT DISTINCT coder_version FROM events") == [("fake-2",)]


def test_coder_error_is_coded_and_earlier_partitions_stay(
    scheduler: str, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = articles(10)
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(list(items)))
    monkeypatch.setattr(driver, "INGEST_BATCH_SIZE", 4)
    with pytest.raises(DaskEngineError, match=r"\[C700\].*RuntimeError: coder crashed on a8"):
        run_ingest_dask(
            ["x"],
            settings=settings,
            coder=FakeCoder(fail_on="a8"),
            scheduler=scheduler,
            partition_size=2,
        )
    assert table(settings.store_path, "SELECT count(*) FROM articles") == [(8,)]
    report = run_ingest_dask(["x"], settings=settings, coder=FakeCoder(), scheduler=scheduler)
    assert (report.articles_added, report.articles_skipped) == (2, 8)


def test_worker_version_must_match_the_driver(
    scheduler: str, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(list(articles(2))))
    with pytest.raises(DaskEngineError, match="coder version fake-0, the driver with fake-1"):
        run_ingest_dask(["x"], settings=settings, coder=DriftingCoder(), scheduler=scheduler)
    assert table(settings.store_path, "SELECT count(*) FROM articles") == [(0,)]


def test_unreachable_scheduler_is_a_coded_error(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(dask_engine, "SCHEDULER_CONNECT_TIMEOUT_S", 1.0)
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(articles(1)))
    with pytest.raises(DaskEngineError, match=r"\[C700\] tcp://127.0.0.1:\d+: could not") as e:
        run_ingest_dask(
            ["x"], settings=settings, coder=FakeCoder(), scheduler=f"tcp://127.0.0.1:{port}"
        )
    assert e.value.hint and "dask scheduler" in e.value.hint


def test_bad_store_fails_before_the_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database")
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(articles(1)))
    with pytest.raises(StoreError, match="not a DuckDB database"):  # not a connection error
        run_ingest_dask(
            ["x"], settings=Settings().with_(store_path=bad), scheduler="tcp://127.0.0.1:9"
        )


def test_own_local_cluster(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(list(articles(6))))
    report = run_ingest_dask(
        ["x"], settings=settings, coder=FakeCoder(), workers=2, partition_size=2
    )
    assert report == IngestReport(6, 6, 0, 3)


def test_same_store_as_local_with_copies_and_stamps(
    scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Local (1 and 2 workers) and Dask store the same articles, events, near-duplicate
    links (in a batch, across batches and batches in flight), signatures and stamps."""
    monkeypatch.setattr(driver, "INGEST_BATCH_SIZE", 3)
    d = DISPATCHES
    folder = write_files(
        tmp_path / "in",
        {
            "a.txt": d[0],
            "b.jsonl": [d[1], republished(d[0]), d[2], d[3]],
            "c.txt": republished(d[2]),
            "d/e.jsonl": [d[4], d[1], republished(d[4]), d[5]],
            "d/f.txt": d[6],
            "d/g.txt": d[0],  # a.txt again (same id): skipped
            "g.txt": "",  # a problem: never stamped
            "h.txt": republished(d[6]),
        },
    )
    runs: dict[str, Any] = {}
    engines = {
        "local-1": lambda s: run_ingest([folder], settings=s, coder=FakeCoder()),
        "local-2": lambda s: run_ingest(
            [folder], settings=s, workers=2, coder_factory=seeing_coder
        ),
        "dask": lambda s: run_ingest_dask(
            [folder], settings=s, coder=FakeCoder(), scheduler=scheduler, partition_size=1
        ),
    }

    def comparable(report: IngestReport) -> tuple[Any, ...]:  # errors compare by identity
        problems = [(p.where, str(p.error)) for p in report.problems]
        return (dataclasses.replace(report, problems=[]), problems)

    for name, run in engines.items():
        settings = Settings().with_(store_path=tmp_path / f"{name}.duckdb")
        report = run(settings)
        again = run(settings)  # nothing changed: nothing read
        runs[name] = (comparable(report), comparable(again), tables(settings.store_path))
    for name in ("local-2", "dask"):
        for first, other in zip(runs["local-1"], runs[name], strict=True):
            assert first == other, name
    (report, problems), again, stored = runs["dask"]
    # b-1, c, e-1 (b-0's text under another id), e-2 and h are copies
    assert (report.articles_read, report.articles_added, report.duplicates) == (13, 7, 5)
    assert (report.articles_skipped, report.events_added, len(problems)) == (1, 4, 1)
    assert (again[0].articles_read, again[0].files_unchanged, len(again[1])) == (0, 7, 1)
    assert len(stored["duplicates"]) == 5 and len(stored["input_files"]) == 7


def test_a_crash_stamps_only_files_stored_whole(
    scheduler: str, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(driver, "INGEST_BATCH_SIZE", 2)
    d = DISPATCHES
    folder = write_files(
        tmp_path / "in", {"a.txt": d[0], "b.jsonl": [d[1], d[2]], "c.jsonl": [d[3]], "d.txt": d[4]}
    )
    with pytest.raises(DaskEngineError, match="coder crashed on c-0"):
        run_ingest_dask(
            [folder],
            settings=settings,
            coder=FakeCoder(fail_on="c-0"),
            scheduler=scheduler,
            partition_size=1,
        )
    stamped = "SELECT path FROM input_files"
    assert table(settings.store_path, stamped) == [(str(folder / "a.txt"),)]  # not b.jsonl
    assert table(settings.store_path, "SELECT count(*) FROM articles") == [(2,)]
    report = run_ingest_dask([folder], settings=settings, coder=FakeCoder(), scheduler=scheduler)
    assert (report.articles_read, report.articles_added, report.files_unchanged) == (4, 3, 1)
    assert table(settings.store_path, "SELECT count(*) FROM articles") == [(5,)]
    assert len(table(settings.store_path, stamped)) == 4


@pytest.mark.model
@pytest.mark.slow
def test_real_coder_stores_the_same_rows_as_the_local_engine(
    scheduler: str, tmp_path: Path
) -> None:
    runs: list[tuple[list[Path], date | None]] = [
        ([SEEDS / "000_ba2d6775b7985a1c.txt"], date(2024, 11, 29)),
        ([SEEDS / "002_df765a5cd5958b86.txt"], date(2024, 8, 9)),
        ([ROOT / "examples" / "dispatches"], None),
    ]
    local = Settings().with_(store_path=tmp_path / "local.duckdb")
    distributed = Settings().with_(store_path=tmp_path / "dask.duckdb")
    coder = Coder(local)  # one model load for the three local runs, as a worker keeps its own
    seconds = {"local": 0.0, "dask": 0.0}
    for paths, published in runs:
        start = time.perf_counter()
        expected = run_ingest(paths, settings=local, published=published, coder=coder)
        seconds["local"] += time.perf_counter() - start
        start = time.perf_counter()
        report = run_ingest_dask(
            paths, settings=distributed, published=published, scheduler=scheduler, partition_size=2
        )
        seconds["dask"] += time.perf_counter() - start
        assert report == expected
        assert report.articles_added >= 1 and not report.problems
    print(f"wall seconds: {seconds}")  # shown with -s
    event_ids = "SELECT event_id FROM events ORDER BY event_id"
    assert table(distributed.store_path, event_ids) == table(local.store_path, event_ids)
    assert len(table(local.store_path, event_ids)) >= 20
    for sql in (
        "SELECT * EXCLUDE (ingested_at) FROM articles ORDER BY id",
        "SELECT * FROM events ORDER BY event_id, row_index",
        "SELECT * FROM actors ORDER BY article_id, mention_index",
    ):
        assert table(distributed.store_path, sql) == table(local.store_path, sql)
    for paths, published in runs:  # a re-run adds nothing
        again = run_ingest_dask(
            paths, settings=distributed, published=published, scheduler=scheduler
        )
        assert again.articles_added == again.events_added == 0
        assert again.articles_skipped == again.articles_read
    assert table(distributed.store_path, "SELECT count(*) FROM events") == [
        (len(table(local.store_path, event_ids)),)
    ]


def test_worker_death_is_a_coded_error(
    scheduler: str, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Last: the dead worker's nanny starts a new one, which the other tests need not."""
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(list(articles(3))))
    with pytest.raises(DaskEngineError, match=r"\[C700\].*killed the worker") as e:
        run_ingest_dask(
            ["x"],
            settings=settings,
            coder=FakeCoder(exit_on="a1"),
            scheduler=scheduler,
            partition_size=1,
        )
    assert e.value.hint and "memory" in e.value.hint
