"""evaluate_files: reading the texts, building articles, coding, scoring (with a fake coder)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import pytest
from evaluation_fakes import GoldEchoCoder, seeds_dir, use_ingest, write_docs_jsonl

from communique.errors import GoldFileError
from communique.evaluation.gold import load_gold
from communique.evaluation.runner import evaluate_files
from communique.model import Article, CodedArticle
from communique.settings import Settings


@pytest.fixture
def seeds(monkeypatch: pytest.MonkeyPatch) -> Path:
    use_ingest(monkeypatch)
    return seeds_dir()


def test_gold_echo_on_seed_texts_is_perfect(seeds: Path) -> None:
    gold = seeds / "gold.jsonl"
    coder = GoldEchoCoder(gold)
    report = evaluate_files(gold, texts_dir=seeds, docs_path=None, settings=Settings(), coder=coder)
    o = report.overall
    assert (o.tp_pred, o.fp, o.fn) == (10, 0, 0)
    assert (o.precision, o.recall, o.f1) == (1.0, 1.0, 1.0)
    assert report.by_lang["fr"].f1 == 1.0
    assert report.secondary.direction.accuracy == 1.0
    assert report.secondary.sector.accuracy == 1.0
    # The articles carry the gold record's id, metadata and text.
    docs = load_gold(gold)
    assert [a.id for a in coder.seen] == [d.id for d in docs]
    assert [(a.lang, a.published) for a in coder.seen] == [
        ("fr", date(2024, 11, 29)),
        ("fr", date(2024, 8, 9)),
    ]
    assert "Elnour Mammadov" in coder.seen[0].text


def test_predicting_omitted_events_too_costs_nothing(seeds: Path) -> None:
    gold = seeds / "gold.jsonl"
    coder = GoldEchoCoder(gold, include_omitted=True)
    report = evaluate_files(gold, texts_dir=seeds, docs_path=None, settings=Settings(), coder=coder)
    assert report.overall.f1 == 1.0
    assert report.ignored["omitted"] == 12


def test_a_coder_that_finds_nothing(seeds: Path) -> None:
    gold = seeds / "gold.jsonl"

    class SilentCoder:
        coder_version = "silent"

        def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
            return (CodedArticle(article=a, events=()) for a in articles)

    report = evaluate_files(
        gold, texts_dir=seeds, docs_path=None, settings=Settings(), coder=SilentCoder()
    )
    assert (report.overall.tp_gold, report.overall.fn, report.overall.recall) == (0, 10, 0.0)


def test_docs_jsonl_source(seeds: Path, tmp_path: Path) -> None:
    gold = seeds / "gold.jsonl"
    docs = write_docs_jsonl(tmp_path / "docs.jsonl", gold, seeds)
    coder = GoldEchoCoder(gold)
    report = evaluate_files(gold, texts_dir=None, docs_path=docs, settings=Settings(), coder=coder)
    assert report.overall.f1 == 1.0
    assert coder.seen[1].origin == f"{docs}:2"


def test_missing_text_file_is_named(seeds: Path, tmp_path: Path) -> None:
    gold = seeds / "gold.jsonl"
    (tmp_path / "000_ba2d6775b7985a1c.txt").write_text("Bakou, 29 novembre", encoding="utf-8")
    with pytest.raises(GoldFileError) as info:
        evaluate_files(gold, texts_dir=tmp_path, docs_path=None, settings=Settings(), coder=None)
    assert "002_df765a5cd5958b86.txt" in info.value.message
    assert info.value.where == f"{gold}:2"


def test_missing_doc_id_is_named(seeds: Path, tmp_path: Path) -> None:
    gold = seeds / "gold.jsonl"
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "000_ba2d6775b7985a1c", "text": "x"}) + "\n", "utf-8")
    with pytest.raises(GoldFileError) as info:
        evaluate_files(gold, texts_dir=None, docs_path=docs, settings=Settings(), coder=None)
    assert "002_df765a5cd5958b86" in info.value.message
    assert info.value.where == f"{gold}:2"


def test_malformed_docs_line_is_named(seeds: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": 3}\n', encoding="utf-8")
    with pytest.raises(GoldFileError, match="'text'") as info:
        evaluate_files(
            seeds / "gold.jsonl", texts_dir=None, docs_path=docs, settings=Settings(), coder=None
        )
    assert info.value.where == f"{docs}:2"


def test_record_without_file_needs_docs(seeds: Path, tmp_path: Path) -> None:
    record = json.loads((seeds / "gold.jsonl").read_text("utf-8").splitlines()[0])
    del record["file"]
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(record) + "\n", "utf-8")
    with pytest.raises(GoldFileError, match="no 'file'"):
        evaluate_files(gold, texts_dir=seeds, docs_path=None, settings=Settings(), coder=None)


def test_exactly_one_text_source(seeds: Path, tmp_path: Path) -> None:
    gold = seeds / "gold.jsonl"
    for texts, docs in ((None, None), (seeds, tmp_path / "docs.jsonl")):
        with pytest.raises(GoldFileError, match="exactly one"):
            evaluate_files(gold, texts_dir=texts, docs_path=docs, settings=Settings())
