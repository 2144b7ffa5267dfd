"""Properties of the whole coder (ingest -> parse -> code -> rows) on arbitrary French-ish text.

Whatever the text, the pipeline must not raise (blank input raises a typed EmptyInputError),
every row must be well formed (offsets index ``Article.text``, PLOVER type and mode, a source,
confidence in [0, 1], an ISO date prefix, unique event ids), coding must be deterministic and
ingest ids content-derived. The text strategy mixes actors, titles, verbs, dates, punctuation,
quotes and line breaks so that the coder actually produces events, plus random characters.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.errors import CommuniqueError, EmptyInputError
from communique.ingest import article_from_text, normalize_text
from communique.model import Article, CodedArticle, TextSpan, event_rows
from communique.model.plover import MODES, PLOVER_TYPES
from communique.settings import Settings

pytestmark = pytest.mark.model

SETTINGS = Settings()
PUBLISHED = dt.date(2024, 9, 12)
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

ACTORS = [
    "la France", "l'Azerbaïdjan", "le Japon", "la Russie", "l'Arménie", "les États-Unis",
    "la Chine", "l'Iran", "Israël", "le Kazakhstan", "l'ONU", "l'OTAN", "l'Union européenne",
    "Paris", "Bakou", "Moscou", "Tokyo", "Erevan",
    "les Français", "les Azerbaïdjanais", "les Japonais", "les Russes", "des manifestants",
    "le président", "le président français", "le président azerbaïdjanais",
    "le ministre des Affaires étrangères", "le ministre russe de la Défense",
    "le Premier ministre", "l'armée", "la police", "les rebelles", "Emmanuel Macron",
    "Ilham Aliev", "Sergueï Lavrov", "le gouvernement", "les deux pays",
]  # fmt: skip
VERBS = [
    "a rencontré", "a condamné", "a signé un accord avec", "a attaqué", "a accusé",
    "a menacé", "a bombardé", "a soutenu", "a demandé à", "a rejeté", "a expulsé",
    "a sanctionné", "s'est entretenu avec", "a reçu", "a visité", "a appelé",
    "n'a pas condamné", "va rencontrer", "pourrait attaquer", "a promis une aide à",
    "a déployé des troupes contre", "a manifesté contre", "a arrêté", "ont signé",
]  # fmt: skip
OTHER = [
    "hier", "le 3 mars", "le 3 mars 2023", "mardi dernier", "en 2019", "lundi",
    "aujourd'hui", "la semaine prochaine", "le 31 février", "en mars",
    "et", "mais", "qui", "a déclaré", "selon", "à", "de", "du", "avec", "contre",
    "sans", "ne", "pas", "lui", "il", "elle", "ils", "les", "en", "y", "dont",
    ".", ",", ";", ":", "!", "?", "...", "—", "-", "(", ")", "«", "»", "« ", " »", '"',
    "'", "’", "\n", "\n\n", "\r\n", "\t", " ", "\u00a0", "\u202f", "PARIS (AFP) -",
    "BAKOU, 12 mars 2024 (AZERTAC) --", "POLITIQUE\n",
]  # fmt: skip
# Random "words" over a limited alphabet: French letters, digits, a few scripts, blanks.
ALPHABET = "abcdeéèêfghiïjklmnoôpqrstuùvwxyzÀÉÇŒœABCDEFXYZ0123456789 -'«»\n.,ДжЖ日本ئ"
PIECES = st.one_of(
    st.sampled_from(ACTORS),
    st.sampled_from(VERBS),
    st.sampled_from(OTHER),
    st.text(alphabet=ALPHABET, max_size=8),
)
# A piece list joined by spaces (mostly) or glued together (sometimes).
TEXTS = st.one_of(
    st.lists(PIECES, max_size=40).map(" ".join),
    st.lists(PIECES, max_size=20).map("".join),
    # sentences that look like dispatch sentences, so that events are coded
    st.lists(
        st.tuples(
            st.sampled_from(ACTORS),
            st.sampled_from(VERBS),
            st.sampled_from(ACTORS),
            st.sampled_from(OTHER),
            st.sampled_from([".", ". ", ".\n", " ", "; ", " « ", " » ", "\n"]),
        ).map(" ".join),
        min_size=1,
        max_size=6,
    ).map("".join),
)
PUBLISHED_DATES = st.one_of(
    st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))
)


@pytest.fixture(scope="module")
def coder() -> Any:
    from communique.pipeline import Coder

    return Coder(SETTINGS)


def ingest(text: str, published: dt.date | None = PUBLISHED) -> Article:
    return article_from_text(
        text, id=None, origin="t", settings=SETTINGS, published=published, lang="fr"
    )


def code(coder: Any, article: Article) -> tuple[CodedArticle, list[dict[str, Any]]]:
    coded = list(coder.code([article]))
    assert len(coded) == 1
    assert coded[0].article is article
    return coded[0], event_rows(coded[0], coder.coder_version)


def check_span(text: str, span: TextSpan | None, what: str) -> None:
    if span is None:
        return
    assert 0 <= span.start <= span.end <= len(text), (what, span, len(text))
    assert text[span.start : span.end] == span.text, (what, span, text[span.start : span.end])


def check_coded(coded: CodedArticle, rows: list[dict[str, Any]]) -> None:
    """Every invariant of the rows (and of the spans behind them) that holds for any input."""
    text = coded.article.text
    for row in rows:
        ev = row["evidence"]
        assert 0 <= ev["start"] <= ev["end"] <= len(text), row
        assert text[ev["start"] : ev["end"]] == ev["text"], row
        assert row["type"] in PLOVER_TYPES, row
        assert row["mode"] is None or row["mode"] in MODES[row["type"]], row
        assert row["source"] is not None, row
        assert 0.0 <= row["confidence"] <= 1.0, row
        assert row["date"] is None or DATE_RE.match(row["date"]), row
        assert row["article_id"] == coded.article.id
    ids = [row["event_id"] for row in rows]
    assert len(ids) == len(set(ids)), ids
    # the spans that do not reach the rows obey the same contract (TextSpan's docstring)
    for event in coded.events:
        check_span(text, event.evidence, "evidence")
        check_span(text, event.trigger, "trigger")
        check_span(text, event.date.span, "date")
        if event.location is not None:
            check_span(text, event.location.span, "location")
        for actor in (*event.sources, *event.targets):
            check_span(text, actor.span, f"actor {actor.name}")
    for actor in coded.actors:
        check_span(text, actor.span, f"actor {actor.name}")


PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(text=TEXTS, published=PUBLISHED_DATES)
def test_coding_arbitrary_text_gives_well_formed_rows(
    coder: Any, text: str, published: dt.date | None
) -> None:
    try:
        article = ingest(text, published)
    except CommuniqueError as exc:
        # the only refusal on in-memory text with a declared language is blank input
        assert isinstance(exc, EmptyInputError), exc
        assert normalize_text(text) == ""
        return
    coded, rows = code(coder, article)
    check_coded(coded, rows)


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\r\n ", "\u00a0\u202f", "\x00\x01"])
def test_blank_input_is_a_typed_error(text: str) -> None:
    with pytest.raises(EmptyInputError) as info:
        ingest(text)
    assert info.value.code == "C101"


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXTS)
def test_coding_is_deterministic(coder: Any, text: str) -> None:
    try:
        article = ingest(text)
    except EmptyInputError:
        return
    _, first = code(coder, article)
    _, second = code(coder, ingest(text))
    assert first == second


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(TEXTS, min_size=2, max_size=4))
def test_rows_do_not_depend_on_the_batch(coder: Any, texts: list[str]) -> None:
    """An article codes the same alone, in a batch, and in a batch in another order."""
    articles = [ingest(text) for text in texts if normalize_text(text)]
    alone = [code(coder, a)[1] for a in articles]
    batch = [event_rows(c, coder.coder_version) for c in coder.code(articles)]
    backwards = [event_rows(c, coder.coder_version) for c in coder.code(articles[::-1])]
    assert batch == alone
    assert backwards[::-1] == alone


@settings(max_examples=100, deadline=None)
@given(text=TEXTS)
def test_ingest_id_is_content_derived(text: str) -> None:
    try:
        first = ingest(text)
    except EmptyInputError:
        return
    second = ingest(text)
    assert first.id == second.id
    assert first.text == second.text
    # the id does not depend on the publication date given by the caller
    assert ingest(text, None).id == first.id


# --- pathological inputs ------------------------------------------------------------------

_WORDS = ["la France", "a rencontré", "le Japon", "et", "l'Azerbaïdjan", "a condamné",
          "le président", "hier", "avec", "le ministre des Affaires étrangères", "qui",
          "a signé un accord avec", "les Japonais", "puis"]  # fmt: skip

# The pathological case: one 5,000-word sentence without punctuation. Run-on
# sentences are coded in windows (Settings.max_sentence_tokens), so this codes in seconds
# (it took most of an hour before the windows and the bounded coordination pass).
LONG_SENTENCE_WORDS = 5000


def _long_sentence(n_words: int) -> str:
    out: list[str] = []
    i = 0
    while sum(len(p.split()) for p in out) < n_words:
        out.append(_WORDS[i % len(_WORDS)])
        i += 1
    return " ".join(out)


PATHOLOGICAL = {
    "long-sentence-no-punctuation": _long_sentence(LONG_SENTENCE_WORDS),
    "2000-lines-one-word": "\n".join(
        ("France", "Japon", "rencontré", "et")[i % 4] for i in range(2000)
    ),
    "only-punctuation": ".,;:!?…—–-()[]{}\"'’ " * 50,
    "only-digits": "0123456789 3 12 2024 1er 42" * 40,
    "only-quotes": "« » «» « « » » " * 100,
    "unmatched-open-quote": "« La France a condamné l'Azerbaïdjan hier, a déclaré le "
    "ministre des Affaires étrangères. Le Japon a rencontré la Russie le 3 mars.",
    "unmatched-close-quote": "La France a condamné l'Azerbaïdjan » hier.",
    "quote-at-end": "Le président a déclaré : «",
    "only-newlines-and-a-word": "\n" * 500 + "France" + "\n" * 500,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_inputs_code_cleanly(coder: Any, name: str) -> None:
    article = ingest(PATHOLOGICAL[name])
    coded, rows = code(coder, article)
    check_coded(coded, rows)
