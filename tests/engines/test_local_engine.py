"""engines/local.py: run_ingest with a fake reader and a fake coder (no spaCy)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from engine_fakes import articles, fake_events

import communique.ingest
from communique.engines.local import INGEST_BATCH_SIZE, IngestReport, run_ingest
from communique.errors import EmptyInputError, SettingsError, StoreError
from communique.ingest import InputProblem
from communique.model import Article, CodedArticle
from communique.query import EventFilter
from communique.settings import Settings
from communique.store import open_store


def problem(where: str, message: str, hint: str | None = None) -> InputProblem:
    return InputProblem(where, EmptyInputError(message, where=where, hint=hint))


class FakeCoder:
    """One CONSULT AZE -> JPN per article whose text contains "rencontré"."""

    def __init__(self, version: str = "fake-1", fail_on: str | None = None) -> None:
        self.coder_version = version
        self.batches: list[int] = []
        self.fail_on = fail_on

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        batch = list(articles)
        self.batches.append(len(batch))
        for a in batch:
            if self.fail_on is not None and a.id == self.fail_on:
                raise RuntimeError(f"coder crashed on {a.id}")
            yield CodedArticle(a, fake_events(a))


def fake_reader(
    items: list[Article | InputProblem], calls: list[dict[str, Any]] | None = None
) -> Any:
    def read_paths(
        paths: Any, *, settings: Settings, published: date | None, lang: str | None
    ) -> Iterator[Article | InputProblem]:
        if calls is not None:
            calls.append({"paths": list(paths), "published": published, "lang": lang})
        yield from items

    return read_paths


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings().with_(store_path=tmp_path / "ingest.duckdb")


def test_report_counts_articles_events_and_problems(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = [
        problem("empty.txt", "the file is empty", "remove it"),
        problem("x.bin", "binary"),
    ]
    items: list[Article | InputProblem] = [*articles(3), problems[0], *articles(2, prefix="b")]
    items.append(problems[1])
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(items, calls))
    report = run_ingest(
        ["in.jsonl"], settings=settings, published=date(2024, 1, 2), lang="fr", coder=FakeCoder()
    )
    assert report == IngestReport(
        articles_read=5,
        articles_added=5,
        articles_skipped=0,
        events_added=3,  # a0, a2, b0
        problems=problems,
    )
    # read file by file (here the one path given)
    assert calls == [{"paths": [Path("in.jsonl")], "published": date(2024, 1, 2), "lang": "fr"}]
    with open_store(settings.store_path, read_only=True) as store:
        assert store.articles_count() == 5
        assert {r["article_id"] for r in store.events(EventFilter())} == {"a0", "a2", "b0"}


def test_second_run_skips_everything(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(list(articles(4))))
    run_ingest(["x"], settings=settings, coder=FakeCoder())
    again = run_ingest(["x"], settings=settings, coder=FakeCoder())
    assert (again.articles_read, again.articles_added, again.articles_skipped) == (4, 0, 4)
    assert again.events_added == 0
    newer = run_ingest(["x"], settings=settings, coder=FakeCoder("fake-2"))
    assert (newer.articles_added, newer.articles_skipped, newer.events_added) == (4, 0, 2)
    with open_store(settings.store_path, read_only=True) as store:
        assert store.events_count() == 2
        assert {r["coder_version"] for r in store.events(EventFilter())} == {"fake-2"}


def test_batches_and_progress(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    n = INGEST_BATCH_SIZE + 10
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(list(articles(n))))
    coder = FakeCoder()
    seen: list[tuple[int, int]] = []
    report = run_ingest(
        ["x"], settings=settings, coder=coder, on_progress=lambda a, e: seen.append((a, e))
    )
    assert coder.batches == [INGEST_BATCH_SIZE, 10]
    assert seen == [(INGEST_BATCH_SIZE, INGEST_BATCH_SIZE // 2), (n, report.events_added)]
    assert report.articles_added == n


def test_nothing_but_problems(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    only = problem("a.txt", "empty")
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader([only]))
    coder = FakeCoder()
    report = run_ingest(["a.txt"], settings=settings, coder=coder)
    assert report == IngestReport(0, 0, 0, 0, [only])
    assert coder.batches == []


def test_coder_failure_keeps_earlier_batches(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = list(articles(INGEST_BATCH_SIZE + 5))
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(items))
    crash_on = items[INGEST_BATCH_SIZE + 2].id
    with pytest.raises(RuntimeError, match="coder crashed"):
        run_ingest(["x"], settings=settings, coder=FakeCoder(fail_on=crash_on))
    with open_store(settings.store_path, read_only=True) as store:
        assert store.articles_count() == INGEST_BATCH_SIZE
    report = run_ingest(["x"], settings=settings, coder=FakeCoder())  # resumes
    assert (report.articles_added, report.articles_skipped) == (5, INGEST_BATCH_SIZE)


def test_bad_store_fails_before_the_coder_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database")
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(articles(1)))
    with pytest.raises(StoreError, match="not a DuckDB database"):
        run_ingest(["x"], settings=Settings().with_(store_path=bad))  # no coder: not reached


# -- workers > 1: a pool of spawned processes; the driver still writes ----------------------


def fake_coder(settings: Settings) -> FakeCoder:
    """Top-level (picklable) factory: what each worker process calls once."""
    return FakeCoder()


def crashing_coder(settings: Settings) -> FakeCoder:
    return FakeCoder(fail_on=f"a{INGEST_BATCH_SIZE + 2}")


def snapshot(path: Path, ids: Iterable[str]) -> list[Any]:
    """Every stored article (without its ingest time) and its event rows, by id."""
    with open_store(path, read_only=True) as store:
        return [(store.get_article(i), store.article_events(i)) for i in ids]


def test_two_workers_store_what_one_process_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 2 * INGEST_BATCH_SIZE + 37
    items: list[Article | InputProblem] = list(articles(n))
    items.insert(5, problem("bad.txt", "empty"))
    items.append(problem("x.bin", "binary"))
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(items))
    runs = {}
    for workers in (1, 2):
        settings = Settings().with_(store_path=tmp_path / f"w{workers}.duckdb")
        seen: list[tuple[int, int]] = []
        report = run_ingest(
            ["x"],
            settings=settings,
            workers=workers,
            coder_factory=fake_coder,
            on_progress=lambda a, e, seen=seen: seen.append((a, e)),
        )
        runs[workers] = (report, seen, snapshot(settings.store_path, (f"a{i}" for i in range(n))))
    assert runs[1] == runs[2]
    report, seen, stored = runs[2]
    assert (report.articles_read, report.articles_added) == (n, n)
    assert report.events_added == (n + 1) // 2  # the even ones
    assert len(report.problems) == 2
    # same transactions: one progress call per store batch of INGEST_BATCH_SIZE
    assert [a for a, _ in seen] == [INGEST_BATCH_SIZE, 2 * INGEST_BATCH_SIZE, n]
    assert all(article is not None for article, _ in stored)


def test_two_workers_skip_what_is_stored(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(list(articles(70))))
    first = run_ingest(["x"], settings=settings, workers=2, coder_factory=fake_coder)
    again = run_ingest(["x"], settings=settings, workers=2, coder_factory=fake_coder)
    assert (first.articles_added, first.events_added) == (70, 35)
    assert (again.articles_read, again.articles_added, again.articles_skipped) == (70, 0, 70)


def test_worker_failure_keeps_earlier_batches(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        communique.ingest, "read_paths", fake_reader(list(articles(2 * INGEST_BATCH_SIZE)))
    )
    with pytest.raises(RuntimeError, match="coder crashed"):
        run_ingest(["x"], settings=settings, workers=2, coder_factory=crashing_coder)
    with open_store(settings.store_path, read_only=True) as store:
        assert store.articles_count() == INGEST_BATCH_SIZE
    report = run_ingest(["x"], settings=settings, workers=2, coder_factory=fake_coder)
    assert (report.articles_added, report.articles_skipped) == (
        INGEST_BATCH_SIZE,
        INGEST_BATCH_SIZE,
    )


def test_a_coder_instance_is_not_shared_with_workers(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(communique.ingest, "read_paths", fake_reader(articles(1)))
    with pytest.raises(SettingsError, match="coder_factory"):
        run_ingest(["x"], settings=settings, workers=2, coder=FakeCoder())
    with pytest.raises(SettingsError, match="at least 1"):
        run_ingest(["x"], settings=settings, workers=0)


@pytest.mark.model
@pytest.mark.slow
def test_real_coder_two_workers_match_one_process(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "dispatches"
    inputs = sorted(p for p in examples.iterdir() if p.suffix in {".txt", ".jsonl"})
    assert inputs
    snaps = []
    for workers in (1, 2):
        settings = Settings().with_(store_path=tmp_path / f"w{workers}.duckdb", batch_size=2)
        report = run_ingest(inputs, settings=settings, workers=workers)
        with open_store(settings.store_path, read_only=True) as store:
            ids = sorted({r["article_id"] for r in store.events(EventFilter())})
        snaps.append((report, snapshot(settings.store_path, ids)))
    assert snaps[0] == snaps[1]
    assert snaps[0][0].events_added > 0
