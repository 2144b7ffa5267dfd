"""Language identification by function-word frequencies.

Each language pack ships ``function_words.txt`` (one lower-case word a line, ``#`` starts a
comment). A text is scored by how many of its words are function words of one candidate
language and of no other candidate; words shared by two candidates ("a", "on") say
nothing and are ignored.

``profile_language`` routes a whole dispatch: it labels each sentence, paragraph and
quotation with a candidate language, with a language communique does not code (small
profiles in ``ingest/data/langid/``), or with a non-Latin script, and gives every language's
share of the words, so that a mixed dispatch can be flagged and a foreign one skipped.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

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

# profile_language reads this much of a dispatch (~16,000 words, ~10 ms): enough for a half
# French, half English report to show both halves; longer texts are judged by their head.
MAX_PROFILE_CHARS = 100_000

# A sentence is labelled with a language that communique does not code only when that
# language's function words outnumber those of every candidate by this factor: candidates'
# lists are two to three times longer, and French shares "de", "la", "que", "en" with its
# neighbours, so a tie goes to the candidate.
FOREIGN_FACTOR = 1.2

# A dispatch is skipped as foreign when most of its labelled words are foreign and at least
# this many foreign function words were seen (a German company name in a French headline is
# not enough). A non-Latin script needs only MIN_SCRIPT_LETTERS letters.
MIN_FOREIGN_HITS = 4
MIN_SCRIPT_LETTERS = 12

# A Latin-script dispatch of at least this many words in which candidate function words
# make up less than this share is in no candidate language (French and English news prose
# runs at 30-45%; a Polish or Turkish text, at a few percent of stray "a", "to", "do").
MIN_WORDS_FOR_UNRECOGNISED = 25
MIN_CANDIDATE_COVERAGE = 0.08

# A second language is worth a warning when it holds at least this share of the labelled
# words and this many words: a French quotation of a sentence or two in an English report is
# normal, a third of the text is not.
MIXED_MIN_SHARE = 0.2
MIXED_MIN_WORDS = 25

OTHER_LANGUAGES_PACKAGE = "communique.ingest"
OTHER_LANGUAGES_DIR = ("data", "langid")

# Words are runs of letters; apostrophes split them, so "l’État" gives "l" and "état".
_WORD = re.compile(r"[^\W\d_]+")
# Letters outside the Latin blocks (Basic Latin to Latin Extended-B, Latin Extended
# Additional): Cyrillic, Greek, Arabic, Hebrew, CJK...
_NON_LATIN_LETTER = re.compile(r"[^\W\d_\u0000-\u024f\u1e00-\u1eff]")
# Where a text is cut into labelled segments: sentence ends, line breaks and quotation
# marks, so that a quotation in another language is a segment of its own.
_SEGMENT_BREAK = re.compile(r"(?<=[.!?…])\s+|[\n«»“”„\"]+")
_NAME_LINE = re.compile(r"#\s*name:\s*(.+?)\s*$")

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


def _parse_word_list(raw: str, where: str) -> frozenset[str]:
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
    return _parse_word_list(raw, where)


@dataclass(frozen=True, slots=True)
class OtherLanguage:
    """A language communique does not code, known only well enough to name it."""

    lang: str
    name: str
    words: frozenset[str]


@functools.cache
def other_languages() -> tuple[OtherLanguage, ...]:
    """The profiles of ``ingest/data/langid/<lang>.txt`` (function words and a
    ``# name:`` line), in code order; read once per process."""
    root = resources.files(OTHER_LANGUAGES_PACKAGE).joinpath(*OTHER_LANGUAGES_DIR)
    found = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".txt"):
            continue
        lang = entry.name.removesuffix(".txt")
        where = f"ingest/data/langid/{entry.name}"
        try:
            raw = entry.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise DataFileError(
                f"not UTF-8: {exc.reason}", where=where, hint="save it as UTF-8"
            ) from None
        names = [m[1] for m in map(_NAME_LINE.match, raw.splitlines()) if m]
        if len(names) != 1:
            raise DataFileError(
                "the file needs exactly one '# name: Language' line",
                where=where,
                hint="add '# name: ' and the language's English name",
            )
        found.append(OtherLanguage(lang, names[0], _parse_word_list(raw, where)))
    return tuple(found)


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


# ---------------------------------------------------------------- routing a dispatch

ShareKind = Literal["candidate", "other", "script"]


@dataclass(frozen=True, slots=True)
class LanguageShare:
    """One language's (or script's) part of a dispatch.

    ``label`` is a candidate's or profile's code ("fr", "de") or a script's name
    ("Cyrillic"), and ``kind`` says which: "candidate", "other" or "script". ``size``
    counts the letters of the segments labelled with it and ``share`` is that size over
    the letters of all labelled segments; ``hits`` is the evidence: exclusive function
    words for a candidate, function words for another language (plus the letters of the
    sentences of its script that had none), non-Latin letters for a script.
    """

    label: str
    name: str
    kind: ShareKind
    size: int
    words: int
    hits: int
    share: float

    @property
    def supported(self) -> bool:
        """One of the candidate languages."""
        return self.kind == "candidate"

    @property
    def percent(self) -> str:
        return f"{self.name} {round(100 * self.share)}%"


@dataclass(frozen=True, slots=True)
class LanguageProfile:
    """The languages of a dispatch, largest share first; see ``profile_language``."""

    shares: tuple[LanguageShare, ...]
    words: int
    # the share of the words that are function words of some candidate
    coverage: float
    # the majority's confidence when it is a candidate (as detect_language's), else 0
    confidence: float

    @property
    def majority(self) -> LanguageShare | None:
        return self.shares[0] if self.shares else None

    def describe(self) -> str:
        """ "fr 58%, en 42%"."""
        return ", ".join(s.percent for s in self.shares)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    codes: tuple[str, ...]  # candidates first, then other languages
    names: tuple[str, ...]
    candidates: int
    # word -> (the one candidate it belongs to or -1, every language it belongs to)
    entries: dict[str, tuple[int, tuple[int, ...]]]


@functools.cache
def _lexicon(candidates: tuple[str, ...]) -> _Lexicon:
    others = [o for o in other_languages() if o.lang not in candidates]
    sets = [load_function_words(c) for c in candidates] + [o.words for o in others]
    members: dict[str, list[int]] = {}
    for i, words in enumerate(sets):
        for word in words:
            members.setdefault(word, []).append(i)
    k = len(candidates)
    entries: dict[str, tuple[int, tuple[int, ...]]] = {}
    for word, langs in members.items():
        own = [i for i in langs if i < k]
        entries[word] = (own[0] if len(own) == 1 else -1, tuple(langs))
    return _Lexicon(
        codes=candidates + tuple(o.lang for o in others),
        names=candidates + tuple(f"{o.name} ({o.lang})" for o in others),
        candidates=k,
        entries=entries,
    )


def _script(segment: str) -> str:
    """The most frequent non-Latin script of a segment, by Unicode character names."""
    scripts = Counter(
        unicodedata.name(ch, "OTHER").split(" ", 1)[0] for ch in _NON_LATIN_LETTER.findall(segment)
    )
    word = min(scripts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return word if len(word) <= 3 else word.title()  # "CJK", "Cyrillic"


def profile_language(text: str, candidates: tuple[str, ...] = ("fr", "en")) -> LanguageProfile:
    """Label the sentences, line breaks and quotations of ``text`` (its first
    MAX_PROFILE_CHARS characters) and measure each language's share of the letters.

    A segment goes to another language (ingest/data/langid/) when that language's function
    words outnumber every candidate's by FOREIGN_FACTOR (and are at least 2); else to the
    candidate with most exclusive function words, if one leads; else, when most of its
    letters are not Latin, to its script. Segments with no evidence (names, figures) count
    for no one. Deterministic and linear in the text.
    """
    candidates = tuple(canonical_lang(c) for c in candidates)
    for lang in candidates:
        check_language(lang, where="profile_language(candidates=...)")
    lex = _lexicon(candidates)
    k = lex.candidates
    sizes: dict[str, list[int]] = {}  # label -> [letters, words, hits]
    names: dict[str, tuple[str, ShareKind]] = {}
    scripts: dict[str, str] = {}  # other language -> the non-Latin script it was seen in
    words = covered = 0
    for segment in _SEGMENT_BREAK.split(text[:MAX_PROFILE_CHARS]):
        tokens = _WORD.findall(segment)
        if not tokens:
            continue
        words += len(tokens)
        exclusive = [0] * k
        full = [0] * len(lex.codes)
        for token in tokens:
            entry = lex.entries.get(token.casefold())
            if entry is None:
                continue
            if entry[0] >= 0:
                exclusive[entry[0]] += 1
            for i in entry[1]:
                full[i] += 1
            if entry[1][0] < k:
                covered += 1
        best_own = max(full[:k], default=0)
        foreign = max(range(k, len(full)), key=lambda i: (full[i], -i), default=-1)
        ranked = sorted(range(k), key=lambda i: (-exclusive[i], i))
        letters = sum(map(len, tokens))
        non_latin = len(_NON_LATIN_LETTER.findall(segment)) if not segment.isascii() else 0
        if foreign >= 0 and full[foreign] >= 2 and full[foreign] > FOREIGN_FACTOR * best_own:
            label, hits = lex.codes[foreign], full[foreign]
            names[label] = (lex.names[foreign], "other")
            if 2 * non_latin > letters:
                scripts.setdefault(label, _script(segment))
        elif ranked and exclusive[ranked[0]] > (exclusive[ranked[1]] if k > 1 else 0):
            label, hits = lex.codes[ranked[0]], exclusive[ranked[0]]
            names[label] = (label, "candidate")
        elif 2 * non_latin > letters:
            label, hits = _script(segment), non_latin
            names[label] = (f"{label} script", "script")
        else:
            continue
        tally = sizes.setdefault(label, [0, 0, 0])
        tally[0] += letters
        tally[1] += len(tokens)
        tally[2] += hits
    # Short sentences of a Russian text with no Russian function word count as Russian.
    for label, script in sorted(scripts.items(), key=lambda kv: -sizes[kv[0]][0]):
        merged = sizes.pop(script, None)
        if merged is not None:
            sizes[label] = [a + b for a, b in zip(sizes[label], merged, strict=True)]
    total = sum(t[0] for t in sizes.values())
    shares = tuple(
        sorted(
            (
                LanguageShare(
                    label=label,
                    name=names[label][0],
                    kind=names[label][1],
                    size=size,
                    words=n,
                    hits=hits,
                    share=size / total,
                )
                for label, (size, n, hits) in sizes.items()
            ),
            key=lambda s: (-s.size, s.label),
        )
    )
    confidence = 0.0
    if shares and shares[0].supported:
        top = shares[0]
        evidence = min(1.0, top.hits / FULL_CONFIDENCE_HITS)
        coverage = min(1.0, top.hits / top.words / TYPICAL_EXCLUSIVE_SHARE)
        confidence = round(evidence * coverage, 4)
    return LanguageProfile(
        shares=shares,
        words=words,
        coverage=round(covered / words, 4) if words else 0.0,
        confidence=confidence,
    )
