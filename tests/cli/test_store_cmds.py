"""`communique ingest` and `communique events` through click's test runner."""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

import communique.ingest
from communique.cli import store_cmds
from communique.cli.main import _Group
from communique.cli.output import FLAT_COLUMNS
from communique.engines.local import run_ingest
from communique.errors import EmptyInputError
from communique.ingest import InputProblem
from communique.model import ROW_FIELDS, ActorRef, Article, CodedArticle, DateRef, Event, TextSpan
from communique.model import event_rows as model_event_rows
from communique.store import open_store

VERSION = "cli-test-1"


def make_group() -> click.Group:
    """A fresh `communique` group with only these two commands (the real one's error
    handling, without importing every other subcommand)."""
    return _Group(name="communique", commands=[store_cmds.ingest, store_cmds.events])


def consult(text: str, source: ActorRef, target: ActorRef | None, day: str) -> Event:
    start = text.index("rencontré")
    return Event(
        type="CONSULT",
        mode="visit",
        sources=(source,),
        targets=(target,) if target else (),
        date=DateRef(day, "day"),
        evidence=TextSpan.of(text, 0, len(text)),
        trigger=TextSpan.of(text, start, start + len("rencontré")),
        rule="fr.consult.test",
        confidence=0.9,
        contexts=("diplomatic",),
    )


AZE = ActorRef("Elnour Mammadov", "person", country="AZE", sector="GOV")
JPN = ActorRef("Masaki Ishikawa", "person", country="JPN", sector="GOV")
FRA = ActorRef("Jean Dupont, dit « le Sage »", "person", country="FRA", sector="GOV")


def batch() -> list[CodedArticle]:
    t1 = "Masaki Ishikawa a rencontré Elnour Mammadov à Bakou, le 29 novembre."
    t2 = 'Elnour Mammadov a rencontré Masaki Ishikawa, puis a parlé "franchement".'
    t3 = "Jean Dupont a rencontré Elnour Mammadov; il a dit: « oui, non »."
    return [
        CodedArticle(Article(id="c1", text=t1), (consult(t1, JPN, AZE, "2024-11-29"),)),
        CodedArticle(Article(id="c2", text=t2), (consult(t2, AZE, JPN, "2024-12-02"),)),
        CodedArticle(Article(id="c3", text=t3), (consult(t3, FRA, AZE, "2024-12-05"),)),
    ]


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "cli.duckdb"
    with open_store(path) as store:
        store.write(batch(), VERSION)
    return path


def run(*args: str) -> Result:
    # a wide terminal, so that rich tables do not fold dates across lines
    return CliRunner(env={"COLUMNS": "240"}).invoke(make_group(), list(args))


def test_events_jsonl_prints_the_extract_shape(store_path: Path) -> None:
    result = run("events", "--store", str(store_path), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    expected = [row for coded in batch() for row in model_event_rows(coded, VERSION)]
    assert rows == expected  # already in date order
    assert all(list(r) == list(ROW_FIELDS) for r in rows)


def test_events_csv_parses_with_flat_columns(store_path: Path) -> None:
    result = run("events", "--store", str(store_path), "--format", "csv", "--country", "fra")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1
    assert list(rows[0]) == list(FLAT_COLUMNS)
    assert rows[0]["source_name"] == "Jean Dupont, dit « le Sage »"
    assert rows[0]["evidence_text"].endswith("« oui, non ».")


def test_events_table(store_path: Path) -> None:
    result = run("events", "--store", str(store_path), "--dyad", "JPN-AZE")
    assert result.exit_code == 0, result.output
    assert "CONSULT" in result.stdout
    assert "2024-11-29" in result.stdout and "2024-12-02" in result.stdout
    assert "2024-12-05" not in result.stdout
    assert "2 event row(s)" in result.stderr


@pytest.mark.parametrize("dyad", ["AZE-JPN", "jpn-aze"])
def test_events_filters(store_path: Path, dyad: str) -> None:
    result = run(
        "events", "--store", str(store_path), "--format", "jsonl", "--dyad", dyad, "--limit", "1"
    )
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["article_id"] == "c1"
    result = run("events", "--store", str(store_path), "--format", "jsonl", "--since", "2024-12-03")
    assert [json.loads(x)["article_id"] for x in result.stdout.splitlines()] == ["c3"]


@pytest.mark.parametrize(
    "args",
    [
        ["--country", "AZERB"],
        ["--dyad", "AZE"],
        ["--type", "MEETING"],
        ["--since", "2024-12-40"],
        ["--since", "2024-12-05", "--until", "2024-12-01"],
        ["--limit", "-3"],
        ["--country", "AZE' OR '1'='1"],
    ],
)
def test_bad_option_values_exit_2_with_one_line(store_path: Path, args: list[str]) -> None:
    result = run("events", "--store", str(store_path), *args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: [C600]")
    assert "(fix: " in lines[0]


def test_bad_format_is_clicks_usage_error(store_path: Path) -> None:
    result = run("events", "--store", str(store_path), "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.stderr


def test_missing_or_invalid_store_exit_2(tmp_path: Path) -> None:
    result = run("events", "--store", str(tmp_path / "absent.duckdb"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: [C300]")
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    result = run("events", "--store", str(junk), "--format", "jsonl")
    assert result.exit_code == 2
    assert "not a DuckDB database" in result.stderr


def test_events_does_not_change_the_store(store_path: Path) -> None:
    before = store_path.read_bytes()
    run("events", "--store", str(store_path), "--article", "c1'; DELETE FROM events; --")
    with open_store(store_path, read_only=True) as store:
        assert store.events_count() == 3
    assert store_path.read_bytes() == before


# -- ingest -------------------------------------------------------------------------------


def problem(where: str, message: str, hint: str | None = None) -> InputProblem:
    return InputProblem(where, EmptyInputError(message, where=where, hint=hint))


class FakeCoder:
    coder_version = "fake"

    def code(self, articles: Any) -> Iterator[CodedArticle]:
        for a in articles:
            yield CodedArticle(a, (consult(a.text, AZE, JPN, "2024-11-29"),))


def setup_ingest(monkeypatch: pytest.MonkeyPatch, items: list[Any]) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    first: list[str] = []

    def read_paths(paths: Any, **kwargs: Any) -> Iterator[Any]:
        # engines read one file at a time: the items come from the first path given
        calls.append({"paths": [str(p) for p in paths], **kwargs})
        first[:] = first or [str(paths[0])]
        if str(paths[0]) == first[0]:
            yield from items

    monkeypatch.setattr(communique.ingest, "read_paths", read_paths)
    monkeypatch.setattr(store_cmds, "run_ingest", functools.partial(run_ingest, coder=FakeCoder()))
    return calls


def dispatch(aid: str) -> Article:
    return Article(id=aid, text=f"Aliyev a rencontré Kishida ({aid}).")


def test_ingest_success_exit_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = setup_ingest(monkeypatch, [dispatch("d1"), dispatch("d2")])
    db = tmp_path / "new.duckdb"
    result = run("ingest", "a.txt", "b.jsonl", "--store", str(db), "--published", "2024-11-29")
    assert result.exit_code == 0, result.output
    assert "2 article(s) read: 2 added, 0 already stored, 2 event row(s) added" in result.stdout
    assert [c["paths"] for c in calls] == [["a.txt"], ["b.jsonl"]]  # one file at a time
    assert calls[0]["published"] == date(2024, 11, 29)
    assert calls[0]["lang"] is None  # auto
    assert calls[0]["settings"].store_path == db
    again = run("ingest", "a.txt", "--store", str(db), "--lang", "fr")
    assert again.exit_code == 0
    assert "0 added, 2 already stored" in again.stdout
    assert calls[2]["lang"] == "fr"


def test_ingest_with_problems_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = [
        dispatch("d1"),
        problem("empty.txt", "the file is empty", "remove it or add text"),
        problem("data.jsonl:3", "bad JSON"),
    ]
    setup_ingest(monkeypatch, items)
    result = run("ingest", "in", "--store", str(tmp_path / "s.duckdb"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        "skipped empty.txt: the file is empty (fix: remove it or add text)",
        "skipped data.jsonl:3: bad JSON",
    ]
    assert "1 added" in result.stdout and "2 input(s) skipped" in result.stdout


@pytest.mark.parametrize(
    "args",
    [["--published", "29/11/2024"], ["--lang", "de"], []],  # [] : no PATH
)
def test_ingest_bad_options_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    setup_ingest(monkeypatch, [])
    paths = ["in.txt"] if args else []
    result = run("ingest", *paths, "--store", str(tmp_path / "s.duckdb"), *args)
    assert result.exit_code == 2


def test_ingest_locked_or_bad_store_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    setup_ingest(monkeypatch, [dispatch("d1")])
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"\x00" * 100)
    result = run("ingest", "in.txt", "--store", str(junk))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error: [C300]")
