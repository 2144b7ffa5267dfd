"""Language identification from function words, and the language argument."""

from __future__ import annotations

import pytest

from communique.errors import UnknownLanguageError
from communique.ingest import article_from_text, detect_language, installed_languages
from communique.settings import Settings

FR = (
    "Le ministre des Affaires étrangères a reçu mardi son homologue, avec qui il a évoqué "
    "la situation dans la région ainsi que les projets communs dans le domaine de l’énergie. "
    "Les deux hommes se sont entendus sur un calendrier de rencontres pour l’année prochaine."
)
EN = (
    "The foreign minister received his counterpart on Tuesday, and the two men discussed "
    "the situation in the region as well as joint projects in the energy sector. They "
    "agreed on a schedule of meetings for the coming year, which will be published soon."
)

# Detection needs both languages to have a model configured (the model itself is not loaded).
BILINGUAL = Settings().with_(models={"fr": "fr_core_news_md", "en": "en_core_web_sm"})


def test_both_packs_installed() -> None:
    assert {"fr", "en"} <= set(installed_languages())


def test_french_paragraph() -> None:
    lang, confidence = detect_language(FR)
    assert lang == "fr"
    assert confidence > 0.8


def test_english_paragraph() -> None:
    lang, confidence = detect_language(EN)
    assert lang == "en"
    assert confidence > 0.8


def test_no_function_words() -> None:
    assert detect_language("Astana Bakou Tachkent 2024") == (None, 0.0)


def test_short_text_falls_back_to_default() -> None:
    article = article_from_text(
        "Sommet à Astana", id="x", origin="t", settings=BILINGUAL.with_(default_lang="en")
    )
    assert article.lang == "en"
    assert article.meta["lang_detected"] == "fallback"


def test_auto_detects() -> None:
    article = article_from_text(EN, id="x", origin="t", settings=BILINGUAL, lang="auto")
    assert article.lang == "en"
    assert article.meta["lang_detected"] == "detected"


def test_explicit_language_is_kept_and_canonicalised() -> None:
    article = article_from_text(EN, id="x", origin="t", settings=Settings(), lang="FR-fr")
    assert article.lang == "fr"
    assert article.meta["lang_detected"] == "given"


def test_unknown_explicit_language() -> None:
    with pytest.raises(UnknownLanguageError) as info:
        article_from_text(FR, id="x", origin="doc.txt", settings=Settings(), lang="xx")
    assert info.value.where == "doc.txt"
    assert "fr" in (info.value.hint or "")


def test_unknown_candidate() -> None:
    with pytest.raises(UnknownLanguageError):
        detect_language(FR, candidates=("fr", "zz"))
