"""`communique export` through click's runner, and the coded errors of bad requests."""

from __future__ import annotations

import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from export_builders import ALL_ROWS, build_store

from communique.cli import export_cmds
from communique.cli.main import _Group
from communique.export import ExportError, export_events
from communique.query import EventFilter, QueryError


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("cli") / "events.duckdb")


def run(*args: str) -> Result:
    group = _Group(name="communique", commands=[export_cmds.export])
    assert isinstance(group, click.Group)
    return CliRunner().invoke(group, list(args))


def test_export_to_stdout(store: Path) -> None:
    result = run("export", "--store", str(store), "--format", "jsonl", "--country", "ukr")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 2 and all(r["target"]["country"] == "UKR" for r in rows)
    assert "2 event row(s) written to <stream> (jsonl)" in result.stderr


def test_export_to_file_with_filters(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    result = run(
        "export", "--store", str(store), "--format", "graphml", "--out", str(out),
        "--since", "2024-11-01", "--until", "2024-11-30", "--type", "CONSULT",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<?xml")
    assert f"1 event row(s) in the graph written to {out}" in result.stderr


def test_all_rows_by_default(store: Path) -> None:
    result = run("export", "--store", str(store), "--format", "gdelt")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == ALL_ROWS + 1


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--format", "xlsx"], "C610", "unknown export format 'xlsx'"),
        (["--format", "csv", "--country", "Atlantis"], "C600", "neither an ISO alpha-3"),
        (["--format", "csv", "--dyad", "AZE"], "C600", "not two actor keys"),
        (["--format", "csv", "--since", "29/11/2024"], "C600", "is not a date"),
        (["--format", "csv", "--type", "PARTY"], "C600", "unknown event type"),
        (["--format", "csv", "--since", "2024-12-01", "--until", "2024-11-01"], "C600", "swap"),
    ],
)
def test_bad_parameters_are_coded_errors(
    store: Path, args: list[str], code: str, words: str
) -> None:
    result = run("export", "--store", str(store), *args)
    assert result.exit_code == 2
    assert f"[{code}]" in result.stderr and words in result.stderr
    assert "Traceback" not in result.output


def test_missing_store(tmp_path: Path) -> None:
    result = run("export", "--store", str(tmp_path / "nope.duckdb"), "--format", "csv")
    assert result.exit_code == 2
    assert "[C300]" in result.stderr and "no store here" in result.stderr


def test_missing_output_folder(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "x.csv"
    result = run("export", "--store", str(store), "--format", "csv", "--out", str(out))
    assert result.exit_code == 2 and "[C610]" in result.stderr
    assert "does not exist" in result.stderr


def test_output_is_a_directory(store: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a directory"):
        export_events(store, "csv", tmp_path)


class _Terminal(io.BytesIO):
    def isatty(self) -> bool:
        return True


def test_parquet_is_not_written_to_a_terminal(store: Path) -> None:
    with pytest.raises(ExportError, match="binary") as info:
        export_events(store, "parquet", _Terminal())
    assert info.value.hint is not None and "--out" in info.value.hint


def test_library_rejects_a_non_filter(store: Path) -> None:
    with pytest.raises(ExportError, match="EventFilter"):
        export_events(store, "csv", io.BytesIO(), {"country": "AZE"})  # type: ignore[arg-type]


def test_format_is_checked_before_the_store_is_opened(tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        export_events(tmp_path / "absent.duckdb", "docx", io.BytesIO())
    assert not (tmp_path / "absent.duckdb").exists()


def test_filter_errors_are_query_errors() -> None:
    with pytest.raises(QueryError):
        EventFilter.parse(country="not a code")
