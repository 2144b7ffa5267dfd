"""engines/driver.py: near-duplicates and incremental ingest through the engines, on real
files read by the real readers, coded by fake coders (no spaCy)."""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
from engine_fakes import (
    DISPATCHES,
    SeeingCoder,
    republished,
    seeing_coder,
    tables,
    write_files,
)

import communique.engines.driver as driver
import communique.ingest
import communique.ingest.neardup as neardup
from communique.engines.driver import IngestReport, InProcessPool, drive
from communique.engines.local import run_ingest
from communique.ingest import InputProblem, read_paths
from communique.ingest.neardup import InFlight, Selection
from communique.model import Article, CodedArticle
from communique.settings import Settings
from communique.store import open_store

D0, D1, D2, D3, D4, D5, D6, D7 = DISPATCHES
CRASH_ON = "c-0"  # the first article of c.jsonl in the crash corpus


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings().with_(store_path=tmp_path / "store.duckdb")


def numbered(folder: Path, *texts: str) -> tuple[Path, list[str]]:
    """``texts`` written as 1.txt, 2.txt... under ``folder``; the folder and their ids."""
    write_files(folder, {f"{i}.txt": text for i, text in enumerate(texts, 1)})
    return folder, [article_id(folder / f"{i}.txt") for i in range(1, len(texts) + 1)]


def article_id(path: Path) -> str:
    (article,) = read_paths([path], settings=Settings())
    assert isinstance(article, Article)
    return article.id


def stored(settings: Settings) -> dict[str, list[Any]]:
    """Ids of the coded articles, (duplicate, original) links, ids with events, and the
    stamped file names."""
    queries = {
        "articles": "SELECT id FROM articles",
        "links": "SELECT duplicate_id, original_id FROM duplicates",
        "with_events": "SELECT DISTINCT article_id FROM events",
        "stamped": "SELECT path FROM input_files",
    }
    with duckdb.connect(str(settings.store_path), read_only=True) as con:
        found = {name: sorted(con.execute(sql).fetchall()) for name, sql in queries.items()}
    return {
        "articles": [r[0] for r in found["articles"]],
        "links": found["links"],
        "with_events": [r[0] for r in found["with_events"]],
        "stamped": sorted(Path(r[0]).name for r in found["stamped"]),
    }


def crashing_coder(settings: Settings) -> SeeingCoder:
    return SeeingCoder(fail_on=CRASH_ON)


class ReadAheadPool:
    """Codes in this process, but like the worker pools pulls ``ahead`` chunks (forming
    their batches) before it gives back the first result, so batches are in flight."""

    def __init__(self, coder: SeeingCoder, ahead: int) -> None:
        self.coder = coder
        self.ahead = ahead
        self.chunks: list[int] = []

    def code_chunks(
        self, chunks: Iterable[tuple[list[Article], Any]]
    ) -> Generator[tuple[list[CodedArticle], Any], None, None]:
        pending: deque[tuple[list[Article], Any]] = deque()
        for item in chunks:
            pending.append(item)
            if len(pending) > self.ahead:
                yield self._code(*pending.popleft())
        while pending:
            yield self._code(*pending.popleft())

    def _code(self, chunk: list[Article], tag: Any) -> tuple[list[CodedArticle], Any]:
        self.chunks.append(len(chunk))
        return list(self.coder.code(chunk)), tag


def spy_selections(
    monkeypatch: pytest.MonkeyPatch, watch: Sequence[str]
) -> list[tuple[list[str], set[str], int]]:
    """Record, for each select_new call, the batch's ids, which of ``watch`` were then in
    flight (selected, not written), and how many ids were in flight."""
    calls: list[tuple[list[str], set[str], int]] = []
    real = neardup.select_new

    def select_new(articles: Sequence[Article], store: Any, **kw: Any) -> Selection:
        flight: InFlight = kw.get("in_flight") or InFlight()
        calls.append(([a.id for a in articles], {i for i in watch if i in flight}, len(flight)))
        return real(articles, store, **kw)

    monkeypatch.setattr(neardup, "select_new", select_new)
    return calls


# -- near-duplicates -------------------------------------------------------------------


def test_copy_in_the_same_batch_is_linked_not_coded(tmp_path: Path, settings: Settings) -> None:
    folder, (orig, _, copy, other) = numbered(tmp_path / "in", D0, D1, republished(D0), D2)
    coder = SeeingCoder()
    report = run_ingest([folder], settings=settings, coder=coder)
    assert report == IngestReport(4, 3, 0, 2, duplicates=1)
    assert copy not in coder.seen and len(coder.seen) == 3
    found = stored(settings)
    assert found["links"] == [(copy, orig)]
    assert copy not in found["articles"]
    assert found["with_events"] == sorted([orig, other])


def test_copy_in_a_later_batch_and_batches_with_nothing_to_code(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(driver, "INGEST_BATCH_SIZE", 2)
    # batches: [1, 2] [3, 4: a copy of 1] [5: a copy of 3, 6: a repeat of 2]
    texts = (D0, D1, D2, republished(D0), republished(D2), D1)
    folder, ids = numbered(tmp_path / "in", *texts)
    coder = SeeingCoder()
    progress: list[tuple[int, int]] = []
    report = run_ingest(
        [folder], settings=settings, coder=coder, on_progress=lambda a, e: progress.append((a, e))
    )
    assert report == IngestReport(6, 3, 1, 2, duplicates=2)
    assert len(coder.seen) == 3
    assert progress == [(2, 1), (4, 2), (6, 2)]  # the last batch codes nothing, still written
    found = stored(settings)
    assert found["links"] == sorted([(ids[3], ids[0]), (ids[4], ids[2])])
    assert found["stamped"] == [f"{i}.txt" for i in range(1, 7)]  # with duplicates and repeats


def test_copies_and_repeats_of_batches_in_flight(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(driver, "INGEST_BATCH_SIZE", 1)
    folder, (orig, copy, *_) = numbered(tmp_path / "in", D0, republished(D0), D0, D2, D4)
    selections = spy_selections(monkeypatch, [orig, copy])
    coder = SeeingCoder()
    pool = ReadAheadPool(coder, ahead=3)
    with open_store(settings.store_path) as store:
        report = drive(store, pool, [folder], settings=settings, coder_version="fake-1")
    # 2.txt (a copy) and 3.txt (a repeat) were selected while 1.txt was in flight
    assert [(ids, held) for ids, held, _ in selections[:3]] == [
        ([orig], set()),
        ([copy], {orig}),
        ([orig], {orig, copy}),
    ]
    assert coder.seen.count(orig) == 1 and copy not in coder.seen
    assert pool.chunks == [1, 0, 0, 1, 1]  # batches with nothing to code keep their turn
    assert report == IngestReport(5, 3, 1, 3, duplicates=1)
    assert stored(settings)["links"] == [(copy, orig)]
    assert stored(settings)["stamped"] == [f"{i}.txt" for i in range(1, 6)]
    # what is in flight is bounded by the pool's read-ahead (batches of one), not the run
    assert 0 < max(n for _, _, n in selections) <= pool.ahead

    # the same store as batches written one by one
    sequential = settings.with_(store_path=tmp_path / "sequential.duckdb")
    with open_store(sequential.store_path) as store:
        again = drive(
            store,
            InProcessPool(SeeingCoder()),
            [folder],
            settings=sequential,
            coder_version="fake-1",
        )
    assert again == report
    assert tables(sequential.store_path) == tables(settings.store_path)


def test_copy_across_batches_in_flight_with_two_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(driver, "INGEST_BATCH_SIZE", 1)
    folder, (orig, _, copy, *_) = numbered(tmp_path / "in", D0, D1, republished(D0), D0, D2)
    selections = spy_selections(monkeypatch, [orig])
    runs = {}
    for workers in (1, 2):
        settings = Settings().with_(store_path=tmp_path / f"w{workers}.duckdb")
        report = run_ingest(
            [folder], settings=settings, workers=workers, coder_factory=seeing_coder
        )
        runs[workers] = (report, tables(settings.store_path))
    assert runs[1] == runs[2]
    assert runs[2][0] == IngestReport(5, 3, 1, 2, duplicates=1)
    assert [(row[0], row[1]) for row in runs[2][1]["duplicates"]] == [(copy, orig)]
    # with 2 workers (4 chunks in flight), the copy was selected before 1.txt was written
    assert [held for ids, held, _ in selections if ids == [copy]] == [set(), {orig}]


def test_copy_in_a_later_run_is_linked(tmp_path: Path, settings: Settings) -> None:
    first, (_, orig) = numbered(tmp_path / "monday", D0, D1)
    run_ingest([first], settings=settings, coder=SeeingCoder())
    second, (copy, new) = numbered(tmp_path / "tuesday", republished(D1), D3)
    coder = SeeingCoder()
    report = run_ingest([first, second], settings=settings, coder=coder)
    assert report == IngestReport(2, 1, 0, 0, duplicates=1, files_unchanged=2)
    assert coder.seen == [new]
    assert stored(settings)["links"] == [(copy, orig)]


def test_detection_off_codes_copies(tmp_path: Path, settings: Settings) -> None:
    folder, _ = numbered(tmp_path / "in", D0, republished(D0))
    off = settings.with_(detect_near_duplicates=False)
    report = run_ingest([folder], settings=off, coder=SeeingCoder())
    assert report == IngestReport(2, 2, 0, 2)
    assert tables(off.store_path)["article_signatures"] == []


# -- incremental ingest ----------------------------------------------------------------


def corpus(tmp_path: Path) -> Path:
    return write_files(
        tmp_path / "in",
        {"a.txt": D0, "b.jsonl": [D1, D2], "sub/c.txt": D3, "d.txt": republished(D0)},
    )


def test_unchanged_folder_reads_nothing_and_adds_nothing(
    tmp_path: Path, settings: Settings
) -> None:
    folder = corpus(tmp_path)
    first = run_ingest([folder], settings=settings, coder=SeeingCoder())
    assert first == IngestReport(5, 4, 0, 2, duplicates=1)
    before = tables(settings.store_path)
    coder = SeeingCoder()
    again = run_ingest([folder], settings=settings, coder=coder)
    assert again == IngestReport(0, 0, 0, 0, files_unchanged=4)
    assert coder.seen == []
    assert tables(settings.store_path) == before
    # a new coder version reads and codes everything again
    newer = run_ingest([folder], settings=settings, coder=SeeingCoder("fake-2"))
    assert (newer.articles_read, newer.articles_added, newer.files_unchanged) == (5, 4, 0)


def test_a_modified_file_is_read_again_alone(tmp_path: Path, settings: Settings) -> None:
    folder = corpus(tmp_path)
    run_ingest([folder], settings=settings, coder=SeeingCoder())
    write_files(folder, {"b.jsonl": [D1, D2, D5]})  # the feed grew by one line
    coder = SeeingCoder()
    report = run_ingest([folder], settings=settings, coder=coder)
    assert report == IngestReport(3, 1, 2, 0, files_unchanged=3)
    assert coder.seen == ["b-2"]
    stat = os.stat(folder / "a.txt")  # same size, newer time: read again, nothing coded
    os.utime(folder / "a.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    touched = run_ingest([folder], settings=settings, coder=SeeingCoder())
    assert touched == IngestReport(1, 0, 1, 0, files_unchanged=3)


def test_a_file_with_a_problem_is_read_again(tmp_path: Path, settings: Settings) -> None:
    folder = write_files(tmp_path / "in", {"a.txt": D0, "e.txt": ""})
    good = json.dumps({"id": "f-0", "text": D1})
    (folder / "f.jsonl").write_text(f"{good}\nnot json\n")
    first = run_ingest([folder], settings=settings, coder=SeeingCoder())
    again = run_ingest([folder], settings=settings, coder=SeeingCoder())
    assert len(first.problems) == len(again.problems) == 2  # reported on every run
    assert (first.articles_read, first.articles_added) == (2, 2)
    assert again == IngestReport(1, 0, 1, 0, problems=again.problems, files_unchanged=1)
    assert stored(settings)["stamped"] == ["a.txt"]


class RecordingStore:
    """A store that records the stamps (file names) of each write."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.writes: list[list[str]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def write(self, batch: Sequence[CodedArticle], version: str, **extras: Any) -> Any:
        self.writes.append(sorted(Path(i.path).name for i in extras["inputs"]))
        return self._store.write(batch, version, **extras)


def test_a_stamp_rides_with_the_batch_holding_the_files_last_article(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(driver, "INGEST_BATCH_SIZE", 2)
    folder = write_files(
        tmp_path / "in",
        {"a.txt": D0, "b.jsonl": [D1, D2], "c.jsonl": [D3], "d.txt": D4, "e.txt": D5},
    )
    real = communique.ingest.read_paths

    def read_paths(paths: Sequence[Path], **kw: Any) -> Iterator[Article | InputProblem]:
        if [p.name for p in paths] != ["e.txt"]:  # e.txt: read without article or problem
            yield from real(paths, **kw)

    monkeypatch.setattr(communique.ingest, "read_paths", read_paths)
    with open_store(settings.store_path) as inner:
        store = RecordingStore(inner)
        drive(store, InProcessPool(SeeingCoder()), [folder], settings=settings, coder_version="v")
    # batches [a, b-0] [b-1, c-0] [d]: b ends in the second batch, not the first; c fills
    # the second as it ends; e, without article, rides with the batch being formed
    assert store.writes == [["a.txt"], ["b.jsonl", "c.jsonl"], ["d.txt", "e.txt"]]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_crash_after_the_first_write_stamps_only_files_stored_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(driver, "INGEST_BATCH_SIZE", 2)
    settings = Settings().with_(store_path=tmp_path / "store.duckdb")
    folder = write_files(
        tmp_path / "in", {"a.txt": D0, "b.jsonl": [D1, D2], "c.jsonl": [D3], "d.txt": D4}
    )
    with pytest.raises(RuntimeError, match=f"coder crashed on {CRASH_ON}"):
        run_ingest([folder], settings=settings, workers=workers, coder_factory=crashing_coder)
    a = article_id(folder / "a.txt")
    crashed = stored(settings)
    assert crashed["articles"] == sorted([a, "b-0"])  # the first batch only
    assert crashed["stamped"] == ["a.txt"]  # not b.jsonl: b-1 is not stored
    report = run_ingest([folder], settings=settings, workers=workers, coder_factory=seeing_coder)
    assert report == IngestReport(4, 3, 1, 2, files_unchanged=1)
    done = stored(settings)
    assert done["articles"] == sorted([a, "b-0", "b-1", "c-0", article_id(folder / "d.txt")])
    assert done["stamped"] == ["a.txt", "b.jsonl", "c.jsonl", "d.txt"]
