"""Properties of the ingest layer on arbitrary input: article_from_text and header
parsing on arbitrary text, the readers on arbitrary bytes in every format, decoding of
files that mix encodings or hold corrupt bytes, dateline and metadata dates, and the
normaliser on ordinary text."""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from communique.errors import InputError
from communique.ingest import (
    InputProblem,
    article_from_text,
    decode_bytes,
    normalize_text,
    parse_header,
    parse_published,
    read_paths,
)
from communique.model import Article, TextSpan
from communique.settings import Settings

SETTINGS = Settings()

# Pieces that make header-like text likely, mixed with arbitrary characters.
PIECES = st.sampled_from(
    [
        "POLITIQUE\n", "PARIS", "Bakou", ", ", "12 mars 2024", " (AFP)", " - ", " -- ",
        "AZERTAC", "\n", "Le ministre a parlé.", "le 3 mai", "14/05/2024", "(", ")", "—",
        "1er", "fév.", " ", "\r\n", "\u00a0", "Titre sans point",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=30).map("".join),
)


def spans(article: Article) -> list[TextSpan]:
    found = [article.rubric, article.headline]
    if article.dateline is not None:
        dl = article.dateline
        found += [dl.span, dl.place, dl.date_text]
    return [s for s in found if s is not None]


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_article_from_text_never_fails_unexpectedly(text: str) -> None:
    try:
        article = article_from_text(text, id=None, origin="prop", settings=SETTINGS)
    except InputError:
        return
    for span in spans(article):
        assert article.text[span.start : span.end] == span.text
    assert 0 <= article.body_start <= len(article.text)
    assert article.lang in {"fr", "en"}


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_header_spans_are_ordered(text: str) -> None:
    header = parse_header(text)
    previous_end = 0
    for span in (header.rubric, header.headline):
        if span is not None:
            assert span.start >= previous_end
            previous_end = span.end
    if header.dateline is not None:
        dl = header.dateline
        assert dl.span.start >= previous_end
        for part in (dl.place, dl.date_text):
            assert part is None or dl.span.contains(part)
        assert header.body_start >= dl.span.end


@settings(max_examples=100, deadline=None)
@given(TEXTS)
def test_reading_the_normalised_text_again_changes_nothing(text: str) -> None:
    try:
        first = article_from_text(text, id=None, origin="prop", settings=SETTINGS)
    except InputError:
        return
    again = article_from_text(first.text, id=None, origin="prop", settings=SETTINGS)
    assert again.text == first.text
    assert again.id == first.id
    assert spans(again) == spans(first)
    assert again.body_start == first.body_start


# -- readers over arbitrary bytes -----------------------------------------------------------

# Bytes that look like each format often enough to get past the first checks, and noise.
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
_RECORD_LINES = st.one_of(
    st.fixed_dictionaries(
        {"id": st.text(max_size=8), "text": st.one_of(TEXTS, _JSON_VALUES)},
        optional={
            "published": st.one_of(st.text(max_size=12), _JSON_VALUES, st.dates().map(str)),
            "lang": st.sampled_from(["fr", "en", "de", "auto", ""]) | _JSON_VALUES,
            "url": st.text(max_size=20) | st.just("javascript:alert(1)"),
            "title": st.text(max_size=20),
        },
    ).map(json.dumps),
    _JSON_VALUES.map(json.dumps),
    st.text(max_size=40),
)
ANY_BYTES = st.one_of(
    st.binary(max_size=1500),
    TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass")),
    TEXTS.map(lambda t: t.encode("cp1252", "replace")),
    TEXTS.map(lambda t: t.encode("utf-16")),
    st.lists(TEXTS.map(lambda t: f"<p>{t}</p>"), max_size=6).map(
        lambda p: "<div>".join(p).encode()
    ),
    st.lists(_RECORD_LINES, max_size=8).map(lambda lines: "\n".join(lines).encode()),
)
_CODE = re.compile(r"C1\d\d")


def _check_article(article: Article, origin: str) -> None:
    text = article.text
    assert text and normalize_text(text) == text
    assert (article.origin or "").startswith(origin)
    for span in spans(article):
        assert text[span.start : span.end] == span.text
    assert 0 <= article.body_start <= len(text)
    assert article.url is None or urlsplit(article.url).scheme.lower() in ("", "http", "https")
    for value in (article.id, article.title or "", article.source or "", *article.meta.values()):
        assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value), value
    for warning in article.warnings:
        assert "(fix: " in warning or warning.startswith("mixed languages")


@settings(max_examples=200, deadline=None)
@given(data=ANY_BYTES, suffix=st.sampled_from([".txt", ".html", ".jsonl"]))
def test_any_bytes_in_any_format_give_articles_or_coded_problems(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        items = list(read_paths([path], settings=SETTINGS))
    assert items, "every input gives at least one outcome"
    lines = data.count(b"\n") + 1
    for item in items:
        if isinstance(item, InputProblem):
            error = item.error
            assert isinstance(error, InputError) and _CODE.fullmatch(error.code), error
            assert error.hint and error.where == item.where
            place = item.where
        else:
            _check_article(item, str(path))
            place = str(item.origin)
        if suffix == ".jsonl" and place != str(path):
            assert place.startswith(f"{path}:") and 1 <= int(place.rsplit(":", 1)[1]) <= lines
        else:
            assert place == str(path)
    if suffix != ".jsonl":
        assert len(items) == 1


# -- decoding files that mix encodings ------------------------------------------------------

# cp1252 lines whose non-ASCII letters all encode to bytes 0xC0-0xFF, never followed by
# continuation bytes (0x80-0xBF): such a line can never pass for UTF-8, as in real text.
_CP1252_LINE = st.text(alphabet="abcdefghij KLM,.'éèêàâçôûùïîÉÀÇ", min_size=1, max_size=30)
# Corrupt bytes: the non-ASCII ones, where UTF-8 can be invalid.
_HIGH_BYTES = st.lists(st.integers(0x80, 0xFF), min_size=1, max_size=3).map(bytes)
_UTF8_LINE = st.text(
    st.characters(min_codepoint=0x20, blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), _UTF8_LINE, _CP1252_LINE), min_size=1, max_size=8))
def test_mixed_utf8_and_cp1252_lines_each_decode_to_their_text(
    lines: list[tuple[bool, str, str]],
) -> None:
    chosen = [(as_utf8, u if as_utf8 else c) for as_utf8, u, c in lines]
    data = b"\n".join(t.encode("utf-8" if u else "cp1252") for u, t in chosen)
    decoded = decode_bytes(data, origin="m.txt", settings=SETTINGS)
    assert decoded.text == "\n".join(t for _, t in chosen)
    legacy = [n for n, (u, t) in enumerate(chosen, 1) if not u and not t.isascii()]
    utf8 = [n for n, (u, t) in enumerate(chosen, 1) if u and not t.isascii()]
    warned = any("mixed encodings" in w.message for w in decoded.warnings)
    assert warned == bool(legacy and utf8)
    if legacy and utf8:
        assert decoded.encoding == "utf-8+cp1252"
    elif legacy:
        assert (decoded.encoding, decoded.warnings) == ("cp1252", ())


@settings(max_examples=200, deadline=None)
@given(text=_UTF8_LINE, junk=_HIGH_BYTES, at=st.integers(0, 30))
def test_stray_bytes_in_utf8_text_are_replaced_not_mistaken_for_cp1252(
    text: str, junk: bytes, at: int
) -> None:
    """A UTF-8 text with accented letters and a few corrupt bytes (inserted between two
    characters) keeps every one of its characters; only the corrupt bytes change."""
    head, tail = "Élève été ", " ça où"
    cut = at % (len(text) + 1)
    data = (head + text[:cut]).encode() + junk + (text[cut:] + tail).encode()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return  # the junk is itself valid UTF-8
    decoded = decode_bytes(data, origin="r.txt", settings=SETTINGS)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith(head + text[:cut])
    assert decoded.text.endswith(text[cut:] + tail)
    assert any("replaced by U+FFFD" in w.message for w in decoded.warnings)


# -- dateline dates: real ones are read, impossible ones flagged ---------------------------

_MAX_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # in a leap year
_MOIS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    day=st.integers(1, 31),
    month=st.integers(1, 12),
    year=st.one_of(st.integers(1000, 9999), st.sampled_from([0, 10_000, 99_999])),
    with_year=st.booleans(),
)
def test_dateline_dates_are_read_or_flagged_impossible(
    day: int, month: int, year: int, with_year: bool
) -> None:
    written = f"{day} {_MOIS[month - 1]}" + (f" {year:04d}" if with_year else "")
    header = parse_header(f"GENÈVE, {written} (AFP) - Le délégué a parlé.")
    assert header.dateline is not None and header.dateline.date_text is not None
    assert header.dateline.date_text.text == written
    if not with_year:  # impossible only when no year has that day (30 février)
        assert header.dateline_date is None
        assert header.dateline_date_impossible == (day > _MAX_DAYS[month - 1])
        return
    try:
        real = date(year, month, day)
    except ValueError:
        real = None
    assert header.dateline_date == real
    assert header.dateline_date_impossible == (real is None)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), st.dates().map(date.isoformat)))
def test_parse_published_gives_real_dates_or_value_error(value: str) -> None:
    try:
        day, month = parse_published(value)
    except ValueError:
        return
    assert (day is None) != (month is None)
    if month is not None:
        assert re.fullmatch(r"\d{4}-\d{2}", month)
        date(int(month[:4]), int(month[5:]), 1)  # a real month: no exception


# -- the normaliser leaves ordinary text alone ----------------------------------------------

_ORDINARY = st.text(
    st.characters(whitelist_categories=("L", "M", "N", "P", "S"), blacklist_characters="\u00ad"),
    min_size=1,
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_ORDINARY, min_size=1, max_size=5).map(" ".join), max_size=5))
def test_normalising_ordinary_text_changes_nothing(lines: list[str]) -> None:
    """Letters, marks, digits, punctuation and symbols in lines of single spaces, already
    composed: nothing to normalise, so nothing changes (no character is lost or added)."""
    text = unicodedata.normalize("NFC", "\n".join(lines))
    assert normalize_text(text) == text
