"""The hostile corpus through the readers (``communique.ingest.read_paths``): every input
gives exactly its expected outcome, a problem with a code, its place (file or
file:LINE) and a fix, or an article (with a coded warning when something was repaired or
doubtful); never an exception, never a hang; and every article obeys the invariants the
coder relies on.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hostile_corpus import (
    CASES,
    DEEP_HTML,
    ENGLISH,
    FRENCH,
    FRENCH_CP1252,
    SCRIPT_MARKERS,
    SPECIAL,
    Case,
    Expect,
    Special,
    long_sentence,
    write_corpus,
    write_special,
)

from communique.errors import SettingsError
from communique.ingest import InputProblem, normalize_text, read_html, read_paths
from communique.model import Article
from communique.settings import Settings

SETTINGS = Settings()

# Far above the milliseconds these reads take: only a read that blocks (a named pipe
# opened for reading waits for a writer forever) gets near it. A guard, not a timing.
HANG_GUARD_SECONDS = 120

T = TypeVar("T")


def without_hanging(work: Callable[[], T]) -> T:
    """Run ``work`` in a daemon thread; fail if it has not returned within the guard."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(("ok", work()))
        except BaseException as exc:  # re-raised below, in the test's thread
            outcome.append(("error", exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_GUARD_SECONDS)
    assert not thread.is_alive(), "reading blocked"
    status, value = outcome[0]
    if status == "error":
        raise value
    return value


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def special(tmp_path: Path) -> Path:
    return write_special(tmp_path / "special")


def place(item: Article | InputProblem) -> str:
    return item.where if isinstance(item, InputProblem) else str(item.origin)


def warning_codes(article: Article) -> list[str]:
    return [w[1:5] for w in article.warnings if w.startswith("[C")]


def check_article(article: Article) -> None:
    """What every article read from any input satisfies."""
    text = article.text
    assert text and normalize_text(text) == text
    assert all(ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs") for ch in text)
    assert 0 <= article.body_start <= len(text)
    for span in (article.rubric, article.headline):
        assert span is None or text[span.start : span.end] == span.text
    if article.dateline is not None:
        span = article.dateline.span
        assert text[span.start : span.end] == span.text
    assert article.lang in SETTINGS.models
    assert article.url is None or article.url.lower().startswith(("http://", "https://"))
    for value in (article.id, article.title or "", article.source or "", *article.meta.values()):
        assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value)
    for warning in article.warnings:
        assert "(fix: " in warning or warning.startswith("mixed languages")


def check(item: Article | InputProblem, expect: Expect, root: Path) -> None:
    assert place(item) == str(root / expect.where)
    if expect.kind == "problem":
        assert isinstance(item, InputProblem), item
        error = item.error
        assert (error.code, error.where) == (expect.code, item.where)
        assert expect.fragment in error.message, error.message
        assert error.hint
        return
    assert isinstance(item, Article), item.error if isinstance(item, InputProblem) else item
    check_article(item)
    if expect.kind == "clean":
        assert item.warnings == ()
        return
    assert expect.code in warning_codes(item), item.warnings
    (found,) = [w for w in item.warnings if w.startswith(f"[{expect.code}]")]
    assert expect.fragment in found, found


def check_all(
    items: Sequence[Article | InputProblem], expects: Sequence[Expect], root: Path
) -> None:
    assert [place(i) for i in items] == [str(root / e.where) for e in expects]
    for item, expect in zip(items, expects, strict=True):
        check(item, expect, root)


def read(*paths: Path, settings: Settings = SETTINGS) -> list[Article | InputProblem]:
    return without_hanging(lambda: list(read_paths(list(paths), settings=settings)))


# -- each case, then the whole corpus ------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_hostile_input_gives_its_outcome(corpus: Path, case: Case) -> None:
    check_all(read(corpus / case.name), case.expect, corpus)


def test_the_corpus_folder_reads_in_order_with_every_outcome(corpus: Path) -> None:
    expects = [e for case in sorted(CASES, key=lambda c: c.name) for e in case.expect]
    check_all(read(corpus), expects, corpus)


def by_place(items: Sequence[Article | InputProblem], root: Path) -> dict[str, Article]:
    return {os.path.relpath(place(i), root): i for i in items if isinstance(i, Article)}


# -- what the repaired or odd articles hold ----------------------------------------------------


def test_repaired_texts_keep_every_readable_character(corpus: Path) -> None:
    got = by_place(read(corpus), corpus)
    assert got["mixed-encodings.txt"].text == "\n".join(
        [FRENCH, FRENCH_CP1252, ENGLISH, FRENCH_CP1252]
    )
    assert got["mixed-encodings.txt"].meta["encoding"] == "utf-8+cp1252"
    repaired = got["invalid-utf8.txt"].text
    assert repaired.count(FRENCH) == 2 and "\ufffd" in repaired
    for name, text in [
        ("bom-utf8.txt", FRENCH),
        ("bom-utf16le.txt", FRENCH),
        ("bom-utf16be.txt", ENGLISH),
        ("bom-utf32le.txt", FRENCH),
        ("long-sentence.txt", long_sentence()),
        ("deep-nesting.html", FRENCH),
        ("deep-jsonld.html", FRENCH),
    ]:
        assert got[name].text == text, name
    assert FRENCH in got["controls.txt"].text  # "jeu\x00di\x07" reads "jeudi" again


def test_scripts_styles_handlers_and_javascript_urls_never_reach_the_article(
    corpus: Path,
) -> None:
    (article,) = read(corpus / "scripts.html")
    assert isinstance(article, Article)
    assert article.text == f"{FRENCH}\nlien Fin du texte."
    for marker in SCRIPT_MARKERS:
        assert marker not in article.text
        assert marker not in (article.title or "")
    assert article.url is None


def test_metadata_strings_are_cleaned_not_refused(corpus: Path) -> None:
    got = by_place(read(corpus), corpus)
    assert got["records.jsonl:16"].title == "Titre avec contrôles"
    assert got["controls.jsonl:3"].title == "A title"
    assert got["controls.jsonl:3"].source is None
    assert got["records.jsonl:14"].url is None
    page = got["nul-attributes.html"].meta
    assert (page["html_lang"], page["published_unreadable"]) == ("fr", "hiersoir")


def test_impossible_dates_leave_the_date_unknown_and_future_ones_are_kept(corpus: Path) -> None:
    got = by_place(read(corpus), corpus)
    for name in ("dateline-31-fevrier.txt", "dateline-year-0.txt", "dates.jsonl:8"):
        assert got[name].published is None and got[name].published_month is None
    assert got["dateline-future.txt"].published == date(2999, 3, 12)
    assert got["dates.jsonl:7"].published_month == "2999-06"
    assert got["future-meta.html"].published == date(2999, 1, 1)
    assert got["dates.jsonl:10"].published == date(2024, 3, 1)


def test_future_dates_are_refused_when_the_setting_says_so(corpus: Path) -> None:
    refuse = SETTINGS.with_(future_published="refuse")
    items = read(corpus / "dates.jsonl", corpus / "dateline-future.txt", settings=refuse)
    problems = {place(i): i for i in items if isinstance(i, InputProblem)}
    for where in ("dates.jsonl:6", "dates.jsonl:7", "dateline-future.txt"):
        error = problems[str(corpus / where)].error
        assert error.code == "C109" and "is after today" in error.message
        assert "future_published" in (error.hint or "")
    assert str(corpus / "dates.jsonl:10") not in problems  # a past date is still read


def test_an_unknown_future_policy_is_a_settings_error(corpus: Path) -> None:
    with pytest.raises(SettingsError) as info:
        read(corpus / "dateline-future.txt", settings=SETTINGS.with_(future_published="drop"))
    assert info.value.code == "C400" and "warn" in (info.value.hint or "")


def test_nesting_limit_changes_no_text_of_well_formed_pages(corpus: Path) -> None:
    data = (corpus / "deep-nesting.html").read_bytes()
    limited = read_html(data, origin="a.html", settings=SETTINGS)
    unlimited = read_html(
        data, origin="a.html", settings=SETTINGS.with_(max_html_depth=2 * DEEP_HTML)
    )
    assert limited.text == unlimited.text == FRENCH
    assert warning_codes(limited) == ["C111"] and unlimited.warnings == ()


def test_nesting_limit_keeps_dropped_content_dropped_however_deep() -> None:
    page = (
        "<div>" * 50
        + "<p>Premier paragraphe lisible.</p><script>alert(1)</script>"
        + "<nav><p>menu</p></nav><p>Second paragraphe lisible.</p>"
        + "</div>" * 50
    )
    article = read_html(page.encode(), origin="p.html", settings=SETTINGS.with_(max_html_depth=5))
    assert article.text == "Premier paragraphe lisible.\nSecond paragraphe lisible."


# -- file-system oddities ----------------------------------------------------------------


@pytest.mark.parametrize("odd", SPECIAL, ids=[s.name for s in SPECIAL])
def test_special_paths_named_explicitly(special: Path, odd: Special) -> None:
    check_all(read(special / odd.name), [odd.named], special)


def test_special_paths_found_in_a_folder(special: Path) -> None:
    walked = [s.walked for s in sorted(SPECIAL, key=lambda s: s.name) if s.walked is not None]
    check_all(read(special), walked, special)


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: chmod 000 does not stop root from reading the file",
)
def test_unreadable_file(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(FRENCH, encoding="utf-8")
    locked.chmod(0)
    try:
        check_all(
            read(locked), [Expect("locked.txt", "problem", "C100", "Permission denied")], tmp_path
        )
    finally:
        locked.chmod(0o600)
