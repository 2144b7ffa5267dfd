"""Language identification by function-word frequencies.

Each language pack ships ``function_words.txt`` (one lower-case word a line, ``#`` starts a
comment). A text is scored by how many of its words are function words of one candidate
language and of no other candidate; words shared by two candidates ("a", "on") say
nothing and are ignored.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources
from importlib.resources.abc import Traversable

from communique.errors import DataFileError, UnknownLanguageError

LANGPACKS_PACKAGE = "communique.langpacks"
FUNCTION_WORDS_FILE = "function_words.txt"

# Only the beginning of a text is looked at: 5,000 characters (~800 words) decide any
# dispatch, and long documents then cost no more than short ones.
MAX_LANGID_CHARS = 5_000

# Confidence grows with the number of exclusive function words seen, up to this count:
# 10 such words (two sentences of news prose) settle the question; 2 ("Ilham Aliyev à
# Astana" has 1) do not.
FULL_CONFIDENCE_HITS = 10

# In news prose 30-45% of running words are function words and about 20% are exclusive
# ones; a text whose best language covers much less than this is probably in another
# language, or is a list of names.
TYPICAL_EXCLUSIVE_SHARE = 0.15

# Below this confidence, detection falls back to ``settings.default_lang``. A text with a
# clear majority (margin 0.8) and half the evidence needed still passes.
MIN_LANGID_CONFIDENCE = 0.4

# Words are runs of letters; apostrophes split them, so "l’État" gives "l" and "état".
_WORD = re.compile(r"[^\W\d_]+")

# What "auto" means for an explicit language argument.
AUTO = "auto"


def _pack_dir(lang: str) -> Traversable:
    return resources.files(LANGPACKS_PACKAGE).joinpath(lang)


@functools.cache
def installed_languages() -> tuple[str, ...]:
    """Codes of the language packs that can be detected (they ship function words)."""
    root = resources.files(LANGPACKS_PACKAGE)
    found = [
        entry.name
        for entry in root.iterdir()
        if entry.is_dir() and entry.joinpath(FUNCTION_WORDS_FILE).is_file()
    ]
    return tuple(sorted(found))


@functools.cache
def load_function_words(lang: str) -> frozenset[str]:
    """The function words of one installed pack (read once per process)."""
    path = _pack_dir(lang).joinpath(FUNCTION_WORDS_FILE)
    where = f"langpacks/{lang}/{FUNCTION_WORDS_FILE}"
    try:
        raw = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        raise UnknownLanguageError(
            f"no language pack for {lang!r}",
            where=where,
            hint=f"use one of: {', '.join(installed_languages())}",
        ) from None
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"not UTF-8: {exc.reason}", where=where, hint="save it as UTF-8"
        ) from None
    words: set[str] = set()
    for lineno, line in enumerate(raw.splitlines(), start=1):
        word = line.split("#", 1)[0].strip()
        if not word:
            continue
        folded = unicodedata.normalize("NFC", word).casefold()
        if not _WORD.fullmatch(folded):
            raise DataFileError(
                f"{word!r} is not a single word of letters",
                where=f"{where}:{lineno}",
                hint="one word a line, letters only; elided forms without apostrophe (l, d)",
            )
        words.add(folded)
    if not words:
        raise DataFileError("no function words", where=where, hint="list one word a line")
    return frozenset(words)


@functools.cache
def _exclusive_words(candidates: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    sets = [load_function_words(lang) for lang in candidates]
    result = []
    for i, words in enumerate(sets):
        others: set[str] = set()
        for j, other in enumerate(sets):
            if j != i:
                others |= other
        result.append(words - others)
    return tuple(result)


def canonical_lang(lang: str) -> str:
    """ "FR", "fr-FR", "fr_CA" -> "fr"."""
    return re.split(r"[-_]", lang.strip(), maxsplit=1)[0].lower()


def check_language(lang: str, *, where: str | None = None) -> str:
    """Return the canonical code of an installed pack, or raise UnknownLanguageError."""
    code = canonical_lang(lang)
    installed = installed_languages()
    if code not in installed:
        raise UnknownLanguageError(
            f"no language pack for {lang!r}",
            where=where,
            hint=f"use one of: {', '.join(installed)}, or 'auto' to detect",
        )
    return code


def detect_language(
    text: str, candidates: tuple[str, ...] = ("fr", "en")
) -> tuple[str | None, float]:
    """Most likely language among ``candidates`` and a confidence in [0, 1].

    Returns ``(None, 0.0)`` when no exclusive function word of any candidate occurs.
    Confidence = margin over the runner-up x amount of evidence x coverage of the text.
    """
    candidates = tuple(canonical_lang(c) for c in candidates)
    for lang in candidates:
        check_language(lang, where="detect_language(candidates=...)")
    if not candidates:
        return None, 0.0
    exclusive = _exclusive_words(candidates)
    counts = [0] * len(candidates)
    n_words = 0
    for match in _WORD.finditer(text, 0, min(len(text), MAX_LANGID_CHARS)):
        n_words += 1
        word = match.group().casefold()
        for i, words in enumerate(exclusive):
            if word in words:
                counts[i] += 1
    ranked = sorted(range(len(candidates)), key=lambda i: (-counts[i], i))
    best = counts[ranked[0]]
    if best == 0:
        return None, 0.0
    runner_up = counts[ranked[1]] if len(ranked) > 1 else 0
    margin = (best - runner_up) / best
    evidence = min(1.0, best / FULL_CONFIDENCE_HITS)
    coverage = min(1.0, best / n_words / TYPICAL_EXCLUSIVE_SHARE)
    return candidates[ranked[0]], round(margin * evidence * coverage, 4)
