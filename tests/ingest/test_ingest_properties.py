"""Properties of article_from_text on arbitrary text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from communique.errors import InputError
from communique.ingest import article_from_text, parse_header
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
