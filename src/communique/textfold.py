"""Length-preserving text folding for dictionary matching.

``fold(s)`` has exactly ``len(s)`` characters, so an offset found in the folded text is an
offset into the original. Folding lower-cases, strips accents and unifies apostrophes and
spaces: "l’État" and "l'etat" fold to the same string.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_APOSTROPHES = "’‘`´ʼ′"
_SPACES = "\u00a0\u202f\u2009\u2007\u2002\u2003"
_DASHES = "‐‑‒–—"


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _APOSTROPHES:
        return "'"
    if ch in _SPACES:
        return " "
    if ch in _DASHES:
        return "-"
    low = ch.lower()
    if len(low) != 1:
        low = ch
    decomposed = unicodedata.normalize("NFD", low)
    base = decomposed[0]
    if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]):
        return base
    if ch == "œ" or ch == "Œ":
        return "œ"
    return low


class _FoldTable(dict[int, str]):
    """``str.translate`` table that folds each character on first sight."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


@lru_cache(maxsize=1)
def _table() -> _FoldTable:
    return _FoldTable()


def fold(text: str) -> str:
    """Fold ``text`` for matching; the result has the same length as ``text``."""
    return text.translate(_table())


def fold_key(text: str) -> str:
    """Fold and collapse whitespace: for dictionary keys, not for offset mapping."""
    return " ".join(fold(text).split())
