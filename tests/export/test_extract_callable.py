"""communique.extract: a function for one dispatch, and still the module of that name."""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

import pytest

import communique
from communique.errors import InputError


class _FakeCoder:
    """Stands in for communique.pipeline.Coder: records the articles, codes nothing."""

    coder_version = "fake-1"

    def __init__(self) -> None:
        self.seen: list[Any] = []

    def code(self, articles: Any) -> Any:
        from communique.model import CodedArticle

        for article in articles:
            self.seen.append(article)
            yield CodedArticle(article=article, events=())


def test_the_module_stays_importable() -> None:
    module = importlib.import_module("communique.extract")
    assert module is communique.extract
    from communique.extract import ExtractResult, extract_paths, extract_text

    assert callable(extract_text) and callable(extract_paths) and ExtractResult


def test_callable_passes_published_and_lang() -> None:
    coder = _FakeCoder()
    rows = communique.extract(
        "Le ministre a rencontré son homologue.", published="2024-11-29", lang="fr", coder=coder
    )
    assert rows == []
    (article,) = coder.seen
    assert article.published == date(2024, 11, 29) and article.lang == "fr"


def test_bad_published_is_a_coded_error() -> None:
    with pytest.raises(InputError) as info:
        communique.extract("Texte.", published="29/11/2024", coder=_FakeCoder())
    assert info.value.code == "C100" and "YYYY-MM-DD" in (info.value.hint or "")


def test_empty_text_is_a_coded_error() -> None:
    with pytest.raises(communique.CommuniqueError) as info:
        communique.extract("   ", coder=_FakeCoder())
    assert info.value.code == "C101"


def test_lazy_functions_are_listed() -> None:
    assert {"extract", "read_events", "export_events"} <= set(communique.__all__)
    assert {"read_events", "export_events"} <= set(dir(communique))
    with pytest.raises(AttributeError):
        _ = communique.no_such_thing  # type: ignore[attr-defined]


def test_import_loads_nothing_heavy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, communique; communique.extract; "
        "print(sorted(m for m in ('spacy', 'duckdb', 'pyarrow', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.model
def test_extract_one_dispatch_with_the_model() -> None:
    text = (
        "Le vice-ministre azerbaïdjanais des Affaires étrangères, Elnour Mammadov, a "
        "rencontré le 29 novembre à Bakou Masaki Ishikawa, représentant spécial du Japon."
    )
    rows = communique.extract(text, published="2024-11-30", lang="fr")
    consult = [r for r in rows if r["type"] == "CONSULT"]
    assert consult, rows
    keys = {consult[0]["source"]["country"], consult[0]["target"]["country"]}
    assert keys == {"AZE", "JPN"} and consult[0]["date"] == "2024-11-29"
