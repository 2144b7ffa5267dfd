"""The fast path's sentence filter (nlp/select.py) and the parse of chosen runs."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytest

from communique.knowledge.base import Term
from communique.langpacks.loader import load_pack
from communique.nlp.select import SentenceSelector
from communique.resolve.terms import TermMatcher


class _NoLemmatizer:
    """A pipeline without a lemmatizer: only a word's own form is tested."""

    pipe_names: tuple[str, ...] = ()


def _terms() -> list[Term]:
    return [
        Term("Norvège", "country", "NOR"),
        Term("Chili", "country", "CHL"),
        Term("norvégien", "demonym", "NOR"),
        Term("Ingrid Solberg", "person", "p1"),
        Term("ministre des Affaires étrangères", "title", "FM", slot=8),
    ]


@lru_cache(maxsize=1)
def _selector() -> SentenceSelector:
    return SentenceSelector(_NoLemmatizer(), load_pack("fr"), TermMatcher(_terms()))


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in _selector().sentences(text, 0, len(text))]


def test_sentences_split_on_stops_and_line_breaks() -> None:
    text = "La Norvège a rencontré le Chili. Puis ? Oui !\nNouveau paragraphe ici."
    assert _sentences(text) == [
        "La Norvège a rencontré le Chili.",
        "Puis ?",
        "Oui !",
        "Nouveau paragraphe ici.",
    ]


def test_sentences_keep_initials_honorifics_and_lowercase_continuations() -> None:
    text = "M. Dupont et J. K. Marsh ont parlé à 10 h. pour la suite. « Nous irons », dit-il."
    assert _sentences(text) == [
        "M. Dupont et J. K. Marsh ont parlé à 10 h. pour la suite.",
        "« Nous irons », dit-il.",
    ]


def test_sentences_cover_only_the_given_range() -> None:
    text = "TITRE\nLa Norvège a rencontré le Chili. Fin."
    start = text.index("La")
    spans = _selector().sentences(text, start, len(text))
    assert spans[0][0] == start
    assert [text[a:b] for a, b in spans] == ["La Norvège a rencontré le Chili.", "Fin."]


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("La Norvège a rencontrer le Chili.", True),  # trigger lemma + country
        ("Le ministre norvégien des Affaires étrangères a rencontrer son hôte.", True),
        ("Il a rencontrer les représentants du secteur.", True),  # a pronoun stands in
        ("Les deux ont rencontrer la presse.", True),  # a pair number stands in
        ("Les échanges ont rencontrer un vif succès.", False),  # no actor
        ("La Norvège exporte du poisson vers le Chili.", False),  # no trigger
        ("Le volume des échanges a progressé de douze pour cent.", False),
    ],
)
def test_keep_needs_a_trigger_and_an_actor(sentence: str, kept: bool) -> None:
    # without lemmatizer tables only a trigger's own (lemma) form is recognised
    assert _selector().keep(sentence) is kept


def test_runs_group_consecutive_sentences_and_keep_named_people_as_context() -> None:
    text = (
        "Ingrid Solberg est arrivée mardi.\n"  # no trigger, but names a person: context
        "Elle a rencontrer le Chili. La Norvège a visiter le Chili.\n"
        "Le volume des échanges a progressé.\n"  # dropped
        "La Norvège a remercier le Chili."
    )
    runs = _selector().runs(text, 0, len(text))
    assert [[text[a:b] for a, b in run] for run in runs] == [
        [
            "Ingrid Solberg est arrivée mardi.",
            "Elle a rencontrer le Chili.",
            "La Norvège a visiter le Chili.",
        ],
        ["La Norvège a remercier le Chili."],
    ]


def test_kinds_in_matches_terms_at_word_starts_and_optional_slots() -> None:
    matcher = TermMatcher(_terms())
    assert matcher.kinds_in("Le ministre norvégien des Affaires  étrangères") == {
        "title",
        "demonym",
    }
    assert matcher.kinds_in("La NORVEGE") == {"country"}
    # generous: the last word of a term is not checked for its end
    assert matcher.kinds_in("chez Ingrid Solbergs") == {"person"}
    assert matcher.kinds_in("Les Norvégiennes") == set()  # the first word must be whole
    assert matcher.kinds_in("la surnorvège") == set()  # never inside a word


# ---------------------------------------------------------------------------------------
# With the French model: inflections and the parse of runs
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _french() -> tuple[Any, SentenceSelector]:
    from communique.nlp.pipeline import load_model

    nlp = load_model("fr_core_news_md")
    return nlp, SentenceSelector(nlp, load_pack("fr"), TermMatcher(_terms()))


@pytest.mark.model
@pytest.mark.parametrize(
    "sentence",
    [
        "La Norvège a rencontré le Chili.",
        "La Norvège rencontrera le Chili.",
        "La Norvège et le Chili se sont entretenus.",
        "La Norvège reçoit le Chili.",
        "Le Chili a reçu la Norvège.",
        "Les pourparlers entre la Norvège et le Chili continuent.",
    ],
)
def test_inflected_triggers_are_found_through_the_model_lemma_tables(sentence: str) -> None:
    _, selector = _french()
    assert selector.keep(sentence)


@pytest.mark.model
def test_parse_runs_gives_a_view_of_the_chosen_sentences_with_absolute_offsets() -> None:
    from communique.nlp.pipeline import parse_runs

    nlp, selector = _french()
    text = (
        "OSLO, 3 mars - Le volume des échanges a progressé.\n"
        "Réunie en urgence lundi, la Norvège a condamné le Chili pour ses essais.\n"
        "Le temps était doux. La Norvège a rencontré le Chili."
    )
    runs = selector.runs(text, 0, len(text))
    assert len(runs) == 2
    (doc,) = parse_runs(nlp, [(text, runs)], 8)
    assert doc.text == text
    assert [text[s.start : s.end] for s in doc.sents] == [
        # parsed alone, the parser may cut this sentence at its comma; a run never is
        "Réunie en urgence lundi, la Norvège a condamné le Chili pour ses essais.",
        "La Norvège a rencontré le Chili.",
    ]
    for k, tok in enumerate(doc.tokens):
        assert tok.i == k
        assert text[tok.start : tok.end] == tok.text
        sent = doc.sents[tok.sent]
        assert sent.tok_start <= tok.i < sent.tok_end
        assert sent.tok_start <= tok.head < sent.tok_end
    for ent in doc.ents:
        assert text[ent.start : ent.end] == " ".join(
            t.text for t in doc.tokens[ent.tok_start : ent.tok_end]
        ).replace(" - ", "-")


@pytest.mark.model
def test_parse_runs_gives_an_empty_view_when_nothing_is_chosen() -> None:
    from communique.nlp.pipeline import parse_runs

    nlp, _ = _french()
    (doc,) = parse_runs(nlp, [("Rien à signaler.", [])], 8)
    assert doc.tokens == () and doc.sents == () and doc.ents == ()


class _Tok:
    def __init__(self, text: str, pos: str) -> None:
        self.text, self.pos_ = text, pos


def _tagged(*pairs: tuple[str, str]) -> list[_Tok]:
    return [_Tok(text, pos) for text, pos in pairs]


def test_entities_are_needed_only_for_names_the_knowledge_base_may_not_know() -> None:
    sel = _selector()
    known_person = _tagged(("Ingrid", "PROPN"), ("Solberg", "PROPN"), ("a", "AUX"))
    known_country = _tagged(("la", "DET"), ("Norvège", "PROPN"))
    unknown_word = _tagged(("Kjetil", "PROPN"), ("a", "AUX"), ("parlé", "VERB"))
    # both words occur in terms, but together they are no term: an unknown person
    unknown_pair = _tagged(("Solberg", "PROPN"), ("Chili", "PROPN"))
    nothing = _tagged(("il", "PRON"), ("a", "AUX"), ("parlé", "VERB"))
    assert not sel.needs_entities(known_person)
    assert not sel.needs_entities(known_country)
    assert sel.needs_entities(unknown_word)
    assert sel.needs_entities(unknown_pair)
    assert not sel.needs_entities(nothing)


@pytest.mark.model
def test_parse_runs_runs_the_recogniser_only_where_asked() -> None:
    from communique.nlp.pipeline import parse_runs

    nlp, selector = _french()
    first, second = "Ingrid Solberg a rencontré le Chili.", "Kjetil Brennan a rencontré le Chili."
    text = f"{first}\nLe temps était doux.\n{second}"
    runs = selector.runs(text, 0, len(text))
    asked: list[str] = []

    def only_second(doc: Any) -> bool:
        asked.append(doc.text)
        return doc.text.startswith("Kjetil")

    (doc,) = parse_runs(nlp, [(text, runs)], 8, needs_entities=only_second)
    assert asked == [first, second]
    assert [text[e.start : e.end] for e in doc.ents if e.label == "PER"] == ["Kjetil Brennan"]
    (full,) = parse_runs(nlp, [(text, runs)], 8)
    assert "Ingrid Solberg" in [text[e.start : e.end] for e in full.ents]
