"""JSONL and HTML readers, and article_from_text."""

from __future__ import annotations

import json
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from communique.errors import (
    EmptyInputError,
    OversizedInputError,
    RecordError,
    UnknownLanguageError,
)
from communique.ingest import InputProblem, article_from_text, iter_jsonl, read_html
from communique.model import Article, content_id
from communique.settings import Settings

SETTINGS = Settings()
BODY = "Le ministre a reçu son homologue pour évoquer la coopération entre les deux pays."


def write_jsonl(path: Path, lines: list[object]) -> Path:
    out = []
    for line in lines:
        out.append(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def split(items: list[Article | InputProblem]) -> tuple[list[Article], list[InputProblem]]:
    return (
        [i for i in items if isinstance(i, Article)],
        [i for i in items if isinstance(i, InputProblem)],
    )


# ---------------------------------------------------------------- JSONL


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "mix.jsonl",
        [
            {"id": "a1", "text": BODY, "published": "2024-03-02", "url": "https://x.test/1"},
            "{not json",
            ["a", "list"],
            {"text": BODY},
            {"id": "a2", "text": "   "},
            {"id": 3, "text": BODY},
            {"id": "a3", "text": BODY, "title": 12},
            {"id": "a4", "text": BODY, "published": "2024-02-31"},
            {"id": "a5", "text": BODY, "published": "yesterday"},
            "",
            {"id": "a6", "text": BODY, "published": "2024-06", "lang": "fr"},
            {"id": "a7", "text": BODY, "lang": "xx"},
            {"id": "a8", "text": BODY, "published": "2024-05-06T23:30:00-04:00"},
        ],
    )
    articles, problems = split(list(iter_jsonl(path, settings=SETTINGS)))
    assert [a.id for a in articles] == ["a1", "a6", "a8"]
    first = articles[0]
    assert first.published == date(2024, 3, 2)
    assert first.url == "https://x.test/1"
    assert first.origin == f"{path}:1"
    assert first.meta["published_from"] == "metadata"
    assert articles[1].published is None and articles[1].published_month == "2024-06"
    assert articles[2].published == date(2024, 5, 6)  # the day as written
    where = {p.where.rsplit(":", 1)[1]: p for p in problems}
    assert sorted(where, key=int) == ["2", "3", "4", "5", "6", "7", "8", "9", "12"]
    for problem in problems:
        assert problem.where.startswith(str(path) + ":")
        assert problem.error.where == problem.where
        assert problem.error.hint
    assert isinstance(where["12"].error, UnknownLanguageError)
    assert "published" in where["8"].error.message
    assert "published" in where["9"].error.message
    assert isinstance(where["8"].error, RecordError)
    assert "'id'" in where["4"].error.message
    assert "'title'" in where["7"].error.message


def test_jsonl_duplicate_ids(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "dup.jsonl",
        [{"id": "x", "text": BODY}, {"id": "y", "text": BODY}, {"id": "x", "text": "Autre."}],
    )
    articles, problems = split(list(iter_jsonl(path, settings=SETTINGS)))
    assert [a.id for a in articles] == ["x", "y"]
    assert len(problems) == 1
    assert problems[0].where == f"{path}:3"
    assert "line 1" in problems[0].error.message


def test_jsonl_explicit_arguments_win(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": BODY, "published": "2020-01-01"}])
    bilingual = SETTINGS.with_(models={"fr": "fr_core_news_md", "en": "en_core_web_sm"})
    (article,) = iter_jsonl(path, settings=bilingual, published=date(2024, 1, 2), lang="en")
    assert isinstance(article, Article)
    assert article.published == date(2024, 1, 2)
    assert article.lang == "en"


def test_jsonl_unknown_language_argument_raises(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": BODY}])
    with pytest.raises(UnknownLanguageError):
        list(iter_jsonl(path, settings=SETTINGS, lang="klingon"))


def test_jsonl_oversized_line_is_skipped(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "big.jsonl",
        [{"id": "big", "text": "mot " * 100}, {"id": "small", "text": "Un texte court."}],
    )
    items = list(iter_jsonl(path, settings=SETTINGS.with_(max_input_bytes=200)))
    articles, problems = split(items)
    assert [a.id for a in articles] == ["small"]
    assert [p.where for p in problems] == [f"{path}:1"]


def test_jsonl_empty_and_binary_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    (problem,) = iter_jsonl(empty, settings=SETTINGS)
    assert isinstance(problem, InputProblem)
    assert isinstance(problem.error, EmptyInputError)
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    items = list(iter_jsonl(binary, settings=SETTINGS))
    assert len(items) == 1 and isinstance(items[0], InputProblem)


def test_jsonl_streams(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(f'{{"id": "r{i}", "text": "Texte numéro {i}."}}\n' for i in range(100_000)),
        encoding="utf-8",
    )
    size = path.stat().st_size
    # Warm the cached vocabularies so that only the reading itself is measured.
    article_from_text(BODY, id=None, origin="warm", settings=SETTINGS)
    tracemalloc.start()
    try:
        stream = iter_jsonl(path, settings=SETTINGS)
        first = next(stream)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(first, Article) and first.id == "r0"
    assert peak < size / 20  # one line in memory, not the file
    del stream  # closes the file


# ---------------------------------------------------------------- HTML

PAGE = """<!doctype html>
<html lang="fr"><head>
<meta charset="utf-8">
<title>Accord &amp; coopération | Le Journal</title>
<meta property="article:published_time" content="2024-04-18T09:15:00+02:00">
<link rel="canonical" href="https://journal.test/accord">
<script>var x = "<p>pas du texte</p>";</script>
<style>p { color: red }</style>
</head><body>
<nav><p>Accueil - Monde - Politique</p></nav>
<article>
  <h1>Accord sur l&#8217;énergie</h1>
  <p>BERNE, 18 avril (ATS) - Les deux pays ont signé un accord sur l&rsquo;énergie
     &laquo;&nbsp;historique&nbsp;&raquo;.</p>
  <script>document.write("caché")</script>
  <p>Le texte entre en vigueur l&#x2019;an prochain.</p>
  <aside><p>À lire aussi : autre chose</p></aside>
</article>
<footer><p>Tous droits réservés</p></footer>
</body></html>"""


def test_html_article() -> None:
    article = read_html(PAGE.encode("utf-8"), origin="page.html", settings=SETTINGS)
    text = article.text
    assert article.title == "Accord & coopération | Le Journal"
    assert article.url == "https://journal.test/accord"
    assert article.published == date(2024, 4, 18)
    assert article.meta["published_from"] == "metadata"
    assert article.meta["format"] == "html"
    assert article.lang == "fr"
    lines = text.split("\n")
    assert lines[0] == "Accord sur l’énergie"
    assert lines[1].startswith("BERNE, 18 avril (ATS) - Les deux pays")
    assert "« historique »" in text  # entities decoded, no-break spaces normalised
    for absent in ("pas du texte", "caché", "color", "Accueil", "réservés", "À lire aussi"):
        assert absent not in text
    assert article.headline is not None and article.headline.text == lines[0]
    assert article.dateline is not None and article.dateline.agency == "ATS"
    assert text[article.body_start :].startswith("Les deux pays")


def test_html_without_article_uses_paragraphs() -> None:
    page = (
        "<html><body><div><h2>Le titre</h2><span>menu</span><p>Premier paragraphe.<br>"
        "Suite.</p><div>bruit</div><p>Second <b>paragraphe</b>.</p></div></body></html>"
    )
    article = read_html(page.encode(), origin="p.html", settings=SETTINGS)
    assert article.text == "Le titre\nPremier paragraphe.\nSuite.\nSecond paragraphe."


def test_html_jsonld_date_and_unclosed_paragraphs() -> None:
    page = (
        '<html><head><script type="application/ld+json">'
        '{"@graph": [{"@type": "NewsArticle", "datePublished": "2023-12-01"}]}'
        "</script></head><body><p>Un.<p>Deux.<p>Trois.</body></html>"
    )
    article = read_html(page.encode(), origin="p.html", settings=SETTINGS)
    assert article.published == date(2023, 12, 1)
    assert article.text == "Un.\nDeux.\nTrois."


def test_html_bad_metadata_date_is_recorded_not_fatal() -> None:
    page = (
        '<html><head><meta name="date" content="hier"></head><body>'
        "<p>Le texte de la dépêche.</p></body></html>"
    )
    article = read_html(page.encode(), origin="p.html", settings=SETTINGS)
    assert article.published is None
    assert article.meta["published_unreadable"] == "hier"


def test_html_deep_nesting_does_not_crash() -> None:
    depth = 20_000  # far beyond any recursion limit
    page = "<div>" * depth + "<p>Au fond du document.</p>" + "</div>" * (depth // 2)
    article = read_html(page.encode(), origin="deep.html", settings=SETTINGS)
    assert article.text == "Au fond du document."


def test_html_without_text() -> None:
    page = b"<html><body><script>x()</script><nav><p>menu</p></nav></body></html>"
    with pytest.raises(EmptyInputError):
        read_html(page, origin="empty.html", settings=SETTINGS)


def test_html_declared_charset() -> None:
    page = '<html><head><meta charset="koi8-r"></head><body><p>Москва.</p></body></html>'
    article = read_html(page.encode("koi8-r"), origin="r.html", settings=SETTINGS)
    assert article.text == "Москва."
    assert article.meta["encoding"] == "koi8-r"


# ---------------------------------------------------------------- article_from_text


def test_article_from_text_defaults() -> None:
    article = article_from_text("  " + BODY + "  \r\n", id=None, origin="o", settings=SETTINGS)
    assert article.text == "  " + BODY
    assert article.id == content_id(article.text)
    assert article.origin == "o"


def test_published_precedence() -> None:
    text = "PARIS, 3 mai 2024 (AFP) - " + BODY
    from_dateline = article_from_text(text, id="1", origin="o", settings=SETTINGS)
    assert from_dateline.published == date(2024, 5, 3)
    assert from_dateline.meta["published_from"] == "dateline"
    explicit = article_from_text(
        text, id="1", origin="o", settings=SETTINGS, published=date(2024, 5, 4)
    )
    assert explicit.published == date(2024, 5, 4)
    month_only = article_from_text(
        text, id="1", origin="o", settings=SETTINGS, published_month="2024-05"
    )
    assert month_only.published == date(2024, 5, 3)  # the dateline refines the month
    other_month = article_from_text(
        text, id="1", origin="o", settings=SETTINGS, published_month="2024-06"
    )
    assert other_month.published is None and other_month.published_month == "2024-06"


def test_dateline_without_year_gives_no_date() -> None:
    article = article_from_text(
        "PARIS, 3 mai (AFP) - " + BODY, id="1", origin="o", settings=SETTINGS
    )
    assert article.published is None and article.published_month is None
    assert article.dateline is not None and article.dateline.date_text is not None


def test_empty_after_normalisation() -> None:
    with pytest.raises(EmptyInputError):
        article_from_text("\x00\x01 \n\u200b", id=None, origin="o", settings=SETTINGS)


def test_oversized_text() -> None:
    with pytest.raises(OversizedInputError) as info:
        article_from_text(
            "x" * 101, id=None, origin="o", settings=SETTINGS.with_(max_input_bytes=100)
        )
    assert info.value.where == "o"
