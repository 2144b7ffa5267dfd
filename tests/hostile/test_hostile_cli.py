"""The hostile corpus through the real commands, `communique extract` and `communique
ingest`: one line per skipped input or JSONL line ("skipped WHERE: message (fix: ...)")
and per warning ("warning WHERE: [Cxxx] message (fix: ...)"), exit code 1 when anything
was skipped and 0 otherwise (README "Bad input"), never a traceback, never a hang, and a
store that holds exactly the articles that could be read, once: a second run adds
nothing.

Most tests inject a coder that codes nothing (no spaCy); the ``model`` test at the end
codes a mixed folder with the real one, and one test runs the installed command in a
process of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner, Result
from hostile_corpus import CASES, READ, SKIPPED, SPECIAL, Case, Expect, write_corpus, write_special
from test_hostile_readers import HANG_GUARD_SECONDS, without_hanging

import communique.pipeline
from communique.cli.main import _register, cli
from communique.ingest import read_paths
from communique.model import Article, CodedArticle
from communique.settings import Settings


class NullCoder:
    """Codes nothing; remembers the origin of every article it was given, in order."""

    coder_version = "hostile-test"

    def __init__(self) -> None:
        self.origins: list[str | None] = []

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        for article in articles:
            self.origins.append(article.origin)
            yield CodedArticle(article, events=(), actors=())


@pytest.fixture
def coder(monkeypatch: pytest.MonkeyPatch) -> NullCoder:
    fake = NullCoder()
    monkeypatch.setattr(communique.pipeline, "Coder", lambda settings=None: fake)
    return fake


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("hostile"))


def run(*args: str | Path) -> Result:
    """The real command group; an uncaught exception fails the test (no traceback)."""
    _register()
    result = without_hanging(
        lambda: CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    )
    assert "Traceback" not in result.output
    return result


def lines(result: Result, prefix: str) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(prefix)]


def check_reported(result: Result, expects: Iterable[Expect], root: Path) -> None:
    """Exactly one "skipped" line per expected problem, in order, and one "warning" line
    with its code for every expected warning."""
    expects = list(expects)
    skipped = lines(result, "skipped ")
    problems = [e for e in expects if e.kind == "problem"]
    assert len(skipped) == len(problems), skipped
    for line, expect in zip(skipped, problems, strict=True):
        assert line.startswith(f"skipped {root / expect.where}: "), line
        assert expect.fragment in line and "(fix: " in line, line
    warned = lines(result, "warning ")
    for expect in (e for e in expects if e.kind == "warning"):
        head = f"warning {root / expect.where}: [{expect.code}] "
        assert any(w.startswith(head) and "(fix: " in w for w in warned), (head, warned)
    assert len(warned) == sum(1 for e in expects if e.kind == "warning")
    assert result.exit_code == (1 if problems else 0)


# -- extract ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_extract_reports_each_hostile_input(corpus: Path, coder: NullCoder, case: Case) -> None:
    result = run("extract", corpus / case.name)
    check_reported(result, case.expect, corpus)
    assert coder.origins == [str(corpus / e.where) for e in case.expect if e.kind != "problem"]
    assert result.stdout == ""  # the null coder finds no event


def test_extract_of_the_corpus_folder_codes_every_readable_input(
    corpus: Path, coder: NullCoder
) -> None:
    result = run("extract", corpus)
    ordered = [e for case in sorted(CASES, key=lambda c: c.name) for e in case.expect]
    check_reported(result, ordered, corpus)
    assert coder.origins == [str(corpus / e.where) for e in ordered if e.kind != "problem"]


# -- ingest: exactly the good articles, once ----------------------------------------------


def store_state(store: Path) -> tuple[set[str], set[str], int]:
    """(stored article ids, ids linked as near-duplicates, event rows)."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        articles = {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}
        linked = {r[0] for r in con.execute("SELECT duplicate_id FROM duplicates").fetchall()}
        events = con.execute("SELECT count(*) FROM events").fetchone()
    finally:
        con.close()
    assert events is not None
    return articles, linked, int(events[0])


def readable_ids(*paths: Path) -> set[str]:
    return {
        item.id
        for item in read_paths(list(paths), settings=Settings())
        if isinstance(item, Article)
    }


def test_ingest_stores_exactly_the_readable_articles_and_a_rerun_adds_nothing(
    corpus: Path, coder: NullCoder, tmp_path: Path
) -> None:
    store = tmp_path / "store.duckdb"
    first = run("ingest", corpus, "--store", store)
    assert first.exit_code == 1
    assert len(lines(first, "skipped ")) == len(SKIPPED)
    assert f"{len(READ)} article(s) read: " in first.stdout
    articles, linked, _ = store_state(store)
    # every readable article is stored, or linked to the stored copy it repeats; no
    # other id, none twice
    assert articles | linked == readable_ids(corpus)
    assert not articles & linked

    again = run("ingest", corpus, "--store", store)
    assert again.exit_code == 1
    assert lines(again, "skipped ") == lines(first, "skipped ")
    assert "0 added" in again.stdout and "0 event row(s) added" in again.stdout
    assert store_state(store) == (articles, linked, 0)


def test_ingest_of_only_bad_inputs_leaves_an_empty_store(
    corpus: Path, coder: NullCoder, tmp_path: Path
) -> None:
    bad = sorted({corpus / e.where for e in SKIPPED if ":" not in e.where})
    store = tmp_path / "store.duckdb"
    result = run("ingest", *bad, "--store", store)
    assert result.exit_code == 1
    assert len(lines(result, "skipped ")) == len(bad)
    assert coder.origins == []
    assert store_state(store) == (set(), set(), 0)


# -- file-system oddities ----------------------------------------------------------------


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_special_paths_never_block_a_command(
    tmp_path: Path, coder: NullCoder, command: str
) -> None:
    special = write_special(tmp_path / "special")
    named = sorted(SPECIAL, key=lambda s: s.name)
    extra: list[str | Path] = ["--store", tmp_path / "store.duckdb"] if command == "ingest" else []
    result = run(command, *(special / s.name for s in named), *extra)
    check_reported(result, [s.named for s in named], special)
    assert coder.origins == [str(special / "folder.txt" / "inside.txt")]


def test_the_installed_command_in_its_own_process(corpus: Path, tmp_path: Path) -> None:
    """No injected coder: the real `communique` process, given only inputs it must skip
    (so no model loads), including a named pipe that would block a careless reader."""
    special = write_special(tmp_path / "special")
    bad = [corpus / e.where for e in SKIPPED if ":" not in e.where]
    paths = [*bad, special / "pipe.txt", special / "pipe.jsonl", special / "loop-a.txt"]
    command = [sys.executable, "-c", "from communique.cli.main import main; main()", "extract"]
    done = subprocess.run(
        [*command, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    skipped = [line for line in done.stderr.splitlines() if line.startswith("skipped ")]
    assert [line.split(": ", 1)[0] for line in skipped] == [f"skipped {p}" for p in paths]
    assert all("(fix: " in line for line in skipped)
    assert done.stdout == ""


# -- the real coder ------------------------------------------------------------------------

# Inputs coded with the real model: clean and repaired ones, with bad lines among them.
_CODED = (
    "bom-utf16be.txt",
    "deep-nesting.html",
    "invalid-utf8.txt",
    "long-sentence.txt",
    "mixed-encodings.txt",
    "records.jsonl",
    "scripts.html",
    "empty.txt",
    "noise.txt",
)


@pytest.mark.model
@pytest.mark.slow
def test_real_coder_stores_the_readable_articles_with_valid_evidence(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared: dict[str, Any] = {}
    real_coder = communique.pipeline.Coder

    def build(settings: Settings | None = None) -> Any:
        shared.setdefault("coder", real_coder(settings or Settings()))
        return shared["coder"]

    monkeypatch.setattr(communique.pipeline, "Coder", build)
    paths = [corpus / name for name in _CODED]
    store = tmp_path / "store.duckdb"
    first = run("ingest", *paths, "--store", store, "--published", "2025-03-06")
    assert first.exit_code == 1
    articles, linked, events = store_state(store)
    assert articles | linked == readable_ids(*paths)
    assert events > 0
    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute(
            "SELECT a.text, e.evidence_text, e.evidence_start, e.evidence_end "
            "FROM events e JOIN articles a ON a.id = e.article_id"
        ).fetchall()
    finally:
        con.close()
    assert len(rows) == events
    for text, evidence, start, end in rows:
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == evidence

    again = run("ingest", *paths, "--store", store, "--published", "2025-03-06")
    assert "0 added" in again.stdout and "0 event row(s) added" in again.stdout
    assert store_state(store) == (articles, linked, events)
