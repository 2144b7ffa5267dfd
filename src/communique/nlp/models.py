"""Which spaCy pipeline package codes a language. No spaCy import: package metadata only."""

from __future__ import annotations

from importlib import metadata

# Official Explosion pipelines, best first, that replace a language's default when the user
# has installed one (Settings.prefer_official_models). French keeps its pinned md model:
# the gold-set floors were measured with it.
OFFICIAL_MODELS: dict[str, tuple[str, ...]] = {
    "en": ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm"),
}


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _compatible(model_version: str, spacy_version: str) -> bool:
    """Official pipelines share spaCy's major.minor ("3.8.0" runs on spaCy 3.8.x)."""
    return model_version.split(".")[:2] == spacy_version.split(".")[:2]


def choose_model(lang: str, configured: str | None, prefer_official: bool) -> str | None:
    """The pipeline package to load for ``lang``: an installed, version-compatible official
    pipeline when preferred, else the configured one (None when none is configured)."""
    if prefer_official:
        spacy_version = _version("spacy")
        for name in OFFICIAL_MODELS.get(lang, ()):
            if name == configured:
                break
            found = _version(name)
            if found and spacy_version and _compatible(found, spacy_version):
                return name
    return configured
