"""Bad input through the real `communique` command, end to end (files on disk, real readers,
real store): every unreadable input gives one line naming it and saying how to fix it, the
good inputs are still processed, the exit code is 1 when something was skipped and 2 for
usage or typed errors, there is never a traceback, and the store holds exactly the good
articles (a second run changes nothing).

Most tests inject a recording fake coder (no spaCy); the few marked ``model`` use the real
one, built once per module.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner, Result

import communique.pipeline
from communique.cli.main import _register, cli
from communique.model import Article, CodedArticle
from communique.settings import Settings
from communique.store import open_store

# Hand-written French dispatches.
GOOD_FR = (
    "La ministre française des Affaires étrangères a rencontré mardi son homologue belge "
    "à Bruxelles pour parler du commerce et de l’énergie."
)
CP1252_FR = (
    "BRUXELLES, 4 mars 2025 – La commissaire européenne a rencontré mardi le ministre grec "
    "des Finances. “Nous avons parlé du cœur de l’Europe”, a-t-elle déclaré, en évoquant "
    "un fonds de 5 € par habitant."
)
LATIN1_FR = (
    "LYON, 12 février 2025 - Le maire a reçu à l'hôtel de ville une délégation québécoise. "
    "« Ce fut très cordial », a-t-il précisé à la presse locale."
)
ENGLISH = (
    "The foreign minister of Belgium met his Greek counterpart in Athens on Tuesday and they "
    "talked about the trade agreement that was signed in the spring."
)


# ---------------------------------------------------------------- helpers


class RecordingCoder:
    """Codes nothing; remembers every article it was given, in order."""

    coder_version = "test"

    def __init__(self) -> None:
        self.seen: list[Article] = []
        self.built = 0

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        for article in articles:
            self.seen.append(article)
            yield CodedArticle(article, events=(), actors=())


@pytest.fixture
def coder(monkeypatch: pytest.MonkeyPatch) -> RecordingCoder:
    """Make every `communique.pipeline.Coder(settings)` the CLI builds return one fake."""
    fake = RecordingCoder()

    def build(settings: Settings | None = None) -> RecordingCoder:
        fake.built += 1
        return fake

    monkeypatch.setattr(communique.pipeline, "Coder", build)
    return fake


def run(*args: str | Path) -> Result:
    """Invoke the real group; an uncaught exception (a traceback) fails the test."""
    _register()
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def skipped(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("skipped ")]


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def stored_ids(store: Path) -> set[str]:
    with open_store(store, read_only=True) as opened:
        count = opened.articles_count()
    con = duckdb.connect(str(store), read_only=True)
    try:
        ids = {row[0] for row in con.execute("SELECT id FROM articles").fetchall()}
    finally:
        con.close()
    assert len(ids) == count
    return ids


def events_count(store: Path) -> int:
    with open_store(store, read_only=True) as opened:
        return opened.events_count()


# ---------------------------------------------------------------- unreadable files

_TEXTISH_BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4

# (file name, content or None for "do not create", message fragment, hint fragment)
BAD_FILES: list[tuple[str, bytes | None, str, str]] = [
    ("empty.txt", b"", "the input is empty", "remove the file or give it some text"),
    ("blank.txt", b"  \n\t\n\n", "no text left after normalisation", "give the dispatch some"),
    ("image.txt", _TEXTISH_BINARY, "looks binary", "extract text from PDF/Word/images first"),
    (
        "utf16.txt",
        GOOD_FR.encode("utf-16-le"),
        "UTF-16 without a byte-order mark",
        "save it as UTF-8",
    ),
    ("notes.pdf", b"%PDF-1.4\n" + GOOD_FR.encode(), "unsupported file type '.pdf'", ".jsonl"),
    ("missing.txt", None, "no such file or folder", "check the path"),
    ("empty.jsonl", b"", "the JSONL file has no records", "add one JSON object a line"),
    (
        "menu.html",
        b"<html><body><nav><a href='/'>Accueil</a></nav></body></html>",
        "the page has no article text",
        "save the article page itself",
    ),
]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write(tmp_path / "good.txt", GOOD_FR + "\n")


def make_bad(tmp_path: Path, name: str, content: bytes | None) -> Path:
    path = tmp_path / name
    if content is not None:
        write(path, content)
    return path


def assert_one_skip(result: Result, where: Path | str, message: str, hint: str) -> None:
    (line,) = skipped(result)
    assert line.startswith(f"skipped {where}: ")
    assert message in line
    assert "(fix: " in line
    assert hint in line.split("(fix: ", 1)[1]


@pytest.mark.parametrize(
    ("name", "content", "message", "hint"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_extract_skips_a_bad_file_and_codes_the_good_one(
    tmp_path: Path,
    good: Path,
    coder: RecordingCoder,
    name: str,
    content: bytes | None,
    message: str,
    hint: str,
) -> None:
    bad = make_bad(tmp_path, name, content)
    result = run("extract", bad, good)  # the bad one first: reading goes on after it
    assert result.exit_code == 1
    assert_one_skip(result, bad, message, hint)
    assert [a.origin for a in coder.seen] == [str(good)]
    assert coder.seen[0].text == GOOD_FR
    assert result.stdout == ""  # the fake coder finds no events


def test_ingest_stores_exactly_the_good_file_and_a_rerun_changes_nothing(
    tmp_path: Path, good: Path, coder: RecordingCoder
) -> None:
    bad = [make_bad(tmp_path, name, content) for name, content, _, _ in BAD_FILES]
    half = len(bad) // 2
    args = [*bad[:half], good, *bad[half:]]  # good input in the middle of bad ones
    store = tmp_path / "store.duckdb"
    first = run("ingest", *args, "--store", store)
    assert first.exit_code == 1
    lines = skipped(first)
    assert len(lines) == len(BAD_FILES)
    for line, path, (_, _, message, hint) in zip(lines, bad, BAD_FILES, strict=True):
        assert line.startswith(f"skipped {path}: ")
        assert message in line
        assert hint in line.split("(fix: ", 1)[1]
    assert first.stdout.strip() == (
        "1 article(s) read: 1 added, 0 already stored, 0 event row(s) added, "
        f"{len(BAD_FILES)} input(s) skipped"
    )
    (article,) = coder.seen
    assert article.origin == str(good)
    assert stored_ids(store) == {article.id}

    again = run("ingest", *args, "--store", store)
    assert again.exit_code == 1
    assert skipped(again) == lines
    # the good file is unchanged since it was stored whole: it is not even read again
    assert again.stdout.strip() == (
        "0 article(s) read: 0 added, 0 already stored, 0 event row(s) added, "
        f"{len(BAD_FILES)} input(s) skipped; 1 unchanged file(s) not read again"
    )
    assert coder.seen == [article]
    assert stored_ids(store) == {article.id}


def test_only_bad_inputs_still_exit_1_and_leave_an_empty_store(
    tmp_path: Path, coder: RecordingCoder
) -> None:
    empty = write(tmp_path / "empty.txt", b"")
    store = tmp_path / "store.duckdb"
    result = run("ingest", empty, tmp_path / "absent.txt", "--store", store)
    assert result.exit_code == 1
    assert [line.split(": ")[0] for line in skipped(result)] == [
        f"skipped {empty}",
        f"skipped {tmp_path / 'absent.txt'}",
    ]
    assert coder.seen == []
    assert stored_ids(store) == set()


def test_oversized_file_is_refused_by_size(
    tmp_path: Path, good: Path, coder: RecordingCoder
) -> None:
    limit = Settings().max_input_bytes  # the CLI has no option to change it
    line = (GOOD_FR + "\n").encode()
    big = write(tmp_path / "big.txt", (line * (limit // len(line) + 1))[: limit + 1])
    assert big.stat().st_size == limit + 1
    result = run("extract", big, good)
    assert result.exit_code == 1
    assert_one_skip(
        result,
        big,
        f"{limit + 1:,} bytes, more than max_input_bytes ({limit:,})",
        "split the file into one dispatch per file",
    )
    assert [a.origin for a in coder.seen] == [str(good)]


def test_unsupported_files_inside_a_folder_are_passed_over_silently(
    tmp_path: Path, coder: RecordingCoder
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write(folder / "depeche.txt", GOOD_FR)
    write(folder / "notes.pdf", b"%PDF-1.4\n")
    write(folder / "photo.jpg", _TEXTISH_BINARY)
    write(folder / ".brouillon.txt", b"")
    result = run("extract", folder)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert [a.origin for a in coder.seen] == [str(folder / "depeche.txt")]


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("name", "text", "codec"),
    [("cp1252.txt", CP1252_FR, "cp1252"), ("latin1.txt", LATIN1_FR, "latin-1")],
)
def test_legacy_encodings_are_read_not_skipped(
    tmp_path: Path, coder: RecordingCoder, name: str, text: str, codec: str
) -> None:
    path = write(tmp_path / name, (text + "\r\n").encode(codec))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the test input really is not UTF-8
    result = run("extract", path)
    assert result.exit_code == 0, result.stderr
    assert skipped(result) == []
    (article,) = coder.seen
    assert article.text == text  # curly quotes, œ, €, guillemets: all decoded, none lost
    # latin-1 bytes 0xA0-0xFF mean the same in cp1252, which is tried first
    assert article.meta["encoding"] in {"cp1252", "latin-1"}


def test_legacy_encodings_are_stored_readable(tmp_path: Path, coder: RecordingCoder) -> None:
    store = tmp_path / "store.duckdb"
    a = write(tmp_path / "a.txt", CP1252_FR.encode("cp1252"))
    b = write(tmp_path / "b.txt", LATIN1_FR.encode("latin-1"))
    result = run("ingest", a, b, "--store", store)
    assert result.exit_code == 0, result.stderr
    con = duckdb.connect(str(store), read_only=True)
    try:
        texts = {row[0] for row in con.execute("SELECT text FROM articles").fetchall()}
    finally:
        con.close()
    assert texts == {CP1252_FR, LATIN1_FR}


# ---------------------------------------------------------------- JSONL

# (line number, content, message fragment); None as message: a good record.
_JSONL_LINES: list[tuple[int, bytes, str | None]] = [
    (1, json.dumps({"id": "j1", "text": GOOD_FR}).encode(), None),
    (2, b'{"id": "j2", "text": "Le ministre a dit', "invalid JSON"),
    (3, b'["une", "liste"]', "expected a JSON object, found list"),
    (4, b'{"id": "j4"}', "field 'text' must be a non-empty string (missing)"),
    (5, json.dumps({"id": "j5", "text": LATIN1_FR, "published": "2025-02-12"}).encode(), None),
    (
        6,
        json.dumps({"id": "j1", "text": CP1252_FR}).encode(),
        "duplicate id 'j1' (first on line 1)",
    ),
    (7, b"   ", None),  # blank: ignored, not a problem
    (8, '{"id": "j8", "text": "le cœur"}'.encode("cp1252"), "the line is not valid UTF-8"),
    (9, b'{"id": "j9", "text": "Un texte.", "published": "12/02/2025"}', "field 'published'"),
    (10, b'{"id": "j10", "text": "Ein Text.", "lang": "de"}', "no language pack for 'de'"),
    (11, b'{"id": "j11", "text": 42}', "field 'text' must be a non-empty string (int 42)"),
    (12, json.dumps({"id": "j12", "text": CP1252_FR}, ensure_ascii=False).encode(), None),
]
GOOD_JSONL_IDS = {"j1", "j5", "j12"}


@pytest.fixture
def records(tmp_path: Path) -> Path:
    return write(tmp_path / "depeches.jsonl", b"\n".join(line for _, line, _ in _JSONL_LINES))


def assert_jsonl_problems(result: Result, path: Path) -> None:
    lines = skipped(result)
    expected = [(n, message) for n, _, message in _JSONL_LINES if message is not None]
    assert len(lines) == len(expected)
    for line, (n, message) in zip(lines, expected, strict=True):
        assert line.startswith(f"skipped {path}:{n}: "), line
        assert message in line
        assert "(fix: " in line


def test_extract_names_each_bad_jsonl_line_and_codes_the_good_ones(
    records: Path, coder: RecordingCoder
) -> None:
    result = run("extract", records)
    assert result.exit_code == 1
    assert_jsonl_problems(result, records)
    assert [a.id for a in coder.seen] == ["j1", "j5", "j12"]
    assert [a.origin for a in coder.seen] == [f"{records}:1", f"{records}:5", f"{records}:12"]
    assert coder.seen[2].text == CP1252_FR


def test_ingest_stores_exactly_the_good_jsonl_records(
    tmp_path: Path, records: Path, coder: RecordingCoder
) -> None:
    store = tmp_path / "store.duckdb"
    first = run("ingest", records, "--store", store)
    assert first.exit_code == 1
    assert_jsonl_problems(first, records)
    assert "3 article(s) read: 3 added, 0 already stored" in first.stdout
    assert "8 input(s) skipped" in first.stdout
    assert stored_ids(store) == GOOD_JSONL_IDS

    again = run("ingest", records, "--store", store)
    assert again.exit_code == 1
    assert skipped(again) == skipped(first)
    assert "3 article(s) read: 0 added, 3 already stored" in again.stdout
    assert stored_ids(store) == GOOD_JSONL_IDS


# ---------------------------------------------------------------- language


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_lang_outside_the_choices_is_a_usage_error(
    tmp_path: Path, good: Path, coder: RecordingCoder, command: str
) -> None:
    store = tmp_path / "store.duckdb"
    extra = ["--store", store] if command == "ingest" else []
    result = run(command, good, "--lang", "de", *extra)
    assert result.exit_code == 2
    assert "Invalid value for '--lang'" in result.stderr
    assert "'de' is not one of 'fr', 'en', 'auto'" in result.stderr
    assert coder.built == 0
    assert not store.exists()


# A language whose pack exists (for detection) but which Settings.models gives no spaCy
# model: `--lang en` passes the option check and the real Coder refuses the language with a
# typed error (C107) before loading any model. These tests configure a French-only
# installation and use the real Coder class on English input, so no model is loaded.


@pytest.fixture
def french_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import communique.cli.store_cmds
    import communique.extract

    def settings() -> Settings:
        return Settings().with_(models={"fr": "fr_core_news_md"})

    monkeypatch.setattr(communique.extract, "Settings", settings)
    monkeypatch.setattr(communique.cli.store_cmds, "Settings", settings)


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_explicit_lang_without_a_model_is_a_typed_error(
    tmp_path: Path, command: str, french_only: None
) -> None:
    english = write(tmp_path / "english.txt", ENGLISH)
    store = tmp_path / "store.duckdb"
    extra = ["--store", store] if command == "ingest" else []
    result = run(command, english, "--lang", "en", *extra)
    assert result.exit_code == 2
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("error: ")]
    assert line.startswith("error: [C107]")
    assert "'en'" in line
    assert "(fix: " in line and "fr" in line.split("(fix: ", 1)[1]
    assert result.stdout == ""
    if command == "ingest":
        assert not store.exists() or stored_ids(store) == set()


def test_detected_language_without_a_model_is_skipped(tmp_path: Path, french_only: None) -> None:
    english = write(tmp_path / "english.txt", ENGLISH)
    result = run("extract", english)
    assert result.exit_code == 1
    (line,) = skipped(result)
    assert line.startswith(f"skipped {english}: ")
    assert "'en'" in line and "(fix: " in line


# ---------------------------------------------------------------- the store


def test_store_that_is_not_a_duckdb_file_is_left_untouched(
    tmp_path: Path, good: Path, coder: RecordingCoder
) -> None:
    junk = write(tmp_path / "notes.duckdb", "Ceci n’est pas une base de données.\n")
    before = junk.read_bytes()
    result = run("ingest", good, "--store", junk)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        f"error: [C300] {junk}: this file is not a DuckDB database "
        "(fix: point --store at a communique store or at a new file name)"
    )
    assert junk.read_bytes() == before
    assert coder.built == 0  # the store is checked before any model would load
    assert result.stdout == ""


def test_store_that_is_another_duckdb_database_is_left_untouched(
    tmp_path: Path, good: Path, coder: RecordingCoder
) -> None:
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE ventes (jour DATE, montant INTEGER)")
    con.execute("INSERT INTO ventes VALUES ('2025-03-04', 12)")
    con.close()
    result = run("ingest", good, "--store", other)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"error: [C300] {other}: ")
    assert "not a communique store" in result.stderr and "(fix: " in result.stderr
    assert coder.built == 0
    con = duckdb.connect(str(other), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        rows = con.execute("SELECT count(*) FROM ventes").fetchone()
    finally:
        con.close()
    assert tables == ["ventes"]
    assert rows == (1,)


def test_store_in_a_missing_folder_or_a_folder_itself(
    tmp_path: Path, good: Path, coder: RecordingCoder
) -> None:
    nowhere = tmp_path / "nulle-part" / "store.duckdb"
    result = run("ingest", good, "--store", nowhere)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"error: [C300] {nowhere}: the folder of the store")
    assert "(fix: create " in result.stderr
    assert not nowhere.parent.exists()

    result = run("ingest", good, "--store", tmp_path)
    assert result.exit_code == 2
    assert "is a directory" in result.stderr
    assert coder.built == 0


# ---------------------------------------------------------------- the real coder


@pytest.fixture(scope="module")
def shared_coder() -> Any:
    """The real coder, built once per module (its spaCy model loads on first use)."""
    return communique.pipeline.Coder(Settings())


@pytest.fixture
def real_coder(shared_coder: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(communique.pipeline, "Coder", lambda settings=None: shared_coder)
    return shared_coder


@pytest.mark.model
def test_cp1252_french_dispatch_yields_events_with_exact_evidence(
    tmp_path: Path, real_coder: Any
) -> None:
    path = write(tmp_path / "depeche.txt", CP1252_FR.encode("cp1252"))
    result = run("extract", path, "--published", "2025-03-04")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(row["type"] == "CONSULT" for row in rows)
    for row in rows:
        evidence = row["evidence"]
        assert CP1252_FR[evidence["start"] : evidence["end"]] == evidence["text"]


@pytest.mark.model
def test_jsonl_with_one_bad_line_stores_the_good_lines_events(
    tmp_path: Path, real_coder: Any
) -> None:
    path = write(
        tmp_path / "depeches.jsonl",
        json.dumps({"id": "ok", "text": GOOD_FR, "published": "2025-03-04"}) + "\n"
        '{"id": "cassé", "text": \n',
    )
    store = tmp_path / "store.duckdb"
    first = run("ingest", path, "--store", store)
    assert first.exit_code == 1
    (line,) = skipped(first)
    assert line.startswith(f"skipped {path}:2: invalid JSON")
    assert stored_ids(store) == {"ok"}
    events = events_count(store)
    assert events >= 1

    again = run("ingest", path, "--store", store)
    assert again.exit_code == 1
    assert "0 added, 1 already stored, 0 event row(s) added" in again.stdout
    assert stored_ids(store) == {"ok"}
    assert events_count(store) == events


@pytest.mark.model
def test_english_file_beside_french_ones_is_skipped_not_fatal(
    tmp_path: Path, real_coder: Any, french_only: None
) -> None:
    english = write(tmp_path / "a-english.txt", ENGLISH)
    french = write(tmp_path / "b-french.txt", GOOD_FR)
    result = run("extract", english, french, "--published", "2025-03-04")
    assert result.exit_code == 1
    (line,) = skipped(result)
    assert line.startswith(f"skipped {english}: ")
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert rows
    for row in rows:
        evidence = row["evidence"]
        assert GOOD_FR[evidence["start"] : evidence["end"]] == evidence["text"]
