"""The README's first command: the bundled example dispatches, French and English, ingest
into a store and come back as events with well-formed actors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from communique.cli.main import _register, cli

pytestmark = pytest.mark.model

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "dispatches"


def test_examples_ingest_and_list_in_both_languages(tmp_path: Path) -> None:
    _register()
    store = tmp_path / "demo.duckdb"
    runner = CliRunner()
    ingest = runner.invoke(cli, ["ingest", str(EXAMPLES), "--store", str(store)])
    assert ingest.exit_code == 0, ingest.output
    listed = runner.invoke(cli, ["events", "--store", str(store), "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.output.splitlines() if line.strip()]
    evidence = " ".join(
        r["evidence"]["text"] if isinstance(r["evidence"], dict) else str(r["evidence"])
        for r in rows
    )
    assert "Bayramov" in evidence  # English example
    assert "ministre" in evidence  # French examples
    for r in rows:
        for side in ("source", "target"):
            actor = r[side]
            if actor is not None:
                assert actor["role"] is None or isinstance(actor["role"], str), actor
