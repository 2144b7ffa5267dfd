"""`communique evaluate` through click's CliRunner, with the pipeline's Coder replaced by one
that echoes the gold."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner
from evaluation_fakes import GoldEchoCoder, seeds_dir, use_ingest, write_docs_jsonl

from communique.cli.evaluate import evaluate
from communique.cli.main import _Group
from communique.settings import Settings


@pytest.fixture
def seeds(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Seed texts, with communique.pipeline.Coder echoing the seed gold."""
    use_ingest(monkeypatch)
    seeds = seeds_dir()
    gold = seeds / "gold.jsonl"

    class EchoCoder(GoldEchoCoder):
        def __init__(self, settings: Settings):
            super().__init__(gold)

    pipeline = types.ModuleType("communique.pipeline")
    pipeline.Coder = EchoCoder  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "communique.pipeline", pipeline)
    return seeds


def test_json_output(seeds: Path) -> None:
    result = CliRunner().invoke(
        evaluate, ["--gold", str(seeds / "gold.jsonl"), "--texts", str(seeds), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["overall"]["f1"] == 1.0
    assert data["overall"]["tp_gold"] == 10
    assert data["by_lang"]["fr"]["recall"] == 1.0
    assert data["documents"] == 2
    assert "details" not in data


def test_json_details_with_docs(seeds: Path, tmp_path: Path) -> None:
    docs = write_docs_jsonl(tmp_path / "docs.jsonl", seeds / "gold.jsonl", seeds)
    args = ["--gold", str(seeds / "gold.jsonl"), "--docs", str(docs), "--format", "json"]
    result = CliRunner().invoke(evaluate, [*args, "--details"])
    assert result.exit_code == 0, result.output
    details = json.loads(result.output)["details"]
    assert [len(d["tp"]) for d in details] == [3, 7]


def test_table_output(seeds: Path) -> None:
    result = CliRunner().invoke(
        evaluate, ["--gold", str(seeds / "gold.jsonl"), "--texts", str(seeds), "--details"]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    for text in ("all (with future)", "without future", "lang fr", "type CONSULT", "strict"):
        assert text in out
    assert "1.000" in out
    assert "002_df765a5cd5958b86" in out  # --details lists documents


@pytest.mark.parametrize("extra", [[], ["--texts", ".", "--docs", "docs.jsonl"]])
def test_exactly_one_of_texts_or_docs(extra: list[str]) -> None:
    result = CliRunner().invoke(evaluate, ["--gold", "gold.jsonl", *extra])
    assert result.exit_code == 2
    assert "exactly one of --texts" in result.output


def test_gold_error_is_one_line_under_the_main_group(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a"}\n', encoding="utf-8")
    group = _Group(name="communique", commands=[evaluate])
    result = CliRunner().invoke(group, ["evaluate", "--gold", str(gold), "--texts", str(tmp_path)])
    assert result.exit_code == 2
    assert f"[C500] {gold}:1: missing field 'lang'" in result.output
    assert "Traceback" not in result.output
