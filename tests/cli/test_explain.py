"""`communique explain`: the stored event's sentence with trigger and actors marked, and its
resolution trace; a typed error for an unknown id."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from communique.cli.main import _register, cli
from communique.model import event_rows
from communique.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "store"))
from store_builders import baku_visit


def _store(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "s.duckdb"
    coded = baku_visit()
    with open_store(path) as store:
        store.write([coded], "test")
    consult = next(r for r in event_rows(coded, "test") if r["type"] == "CONSULT")
    return path, consult["event_id"]


def test_explain_marks_trigger_and_actors(tmp_path: Path) -> None:
    path, eid = _store(tmp_path)
    _register()
    result = CliRunner().invoke(cli, ["explain", eid, "--store", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"event     {eid}" in out
    assert "CONSULT / visit" in out
    # the sentence, with the trigger, the source and the target each marked once
    assert "Le vice-ministre <Elnour Mammadov> [[a rencontré]] {Masaki Ishikawa} à Bakou." in out
    assert "source    Masaki Ishikawa [JPN, GOV" in out
    assert "target    Elnour Mammadov [AZE, GOV" in out


def test_explain_unknown_event_is_a_typed_error(tmp_path: Path) -> None:
    path, _ = _store(tmp_path)
    _register()
    result = CliRunner().invoke(cli, ["explain", "e-missing", "--store", str(path)])
    assert result.exit_code == 2
    assert "[C300]" in result.output and "e-missing" in result.output
    assert "fix:" in result.output
