"""Normalisation: what changes, what is kept, and idempotence."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from communique.ingest import normalize_text


def test_line_endings() -> None:
    assert normalize_text("un\r\ndeux\rtrois\nquatre") == "un\ndeux\ntrois\nquatre"


def test_controls_dropped_but_tab_kept() -> None:
    assert normalize_text("a\x00b\x07c\td\x85e\x9f") == "abc\td\ne"


def test_spaces_become_ordinary_spaces() -> None:
    assert normalize_text("Il a dit\u202f: «\u00a0oui\u00a0»") == "Il a dit : « oui »"


def test_trailing_whitespace_and_outer_blank_lines() -> None:
    assert normalize_text("\n\n  titre  \ncorps \t\n\n") == "  titre\ncorps"


def test_nfc() -> None:
    decomposed = "e\u0301te\u0301"
    assert normalize_text(decomposed) == "été"


def test_invisible_format_characters_dropped() -> None:
    assert normalize_text("coopé\u00adration\u200b") == "coopération"


def test_quotes_apostrophes_and_missing_spaces_kept() -> None:
    text = "L’accord “final” a été salué.Le lendemain, il partait."
    assert normalize_text(text) == text


# Every code point, lone surrogates included (JSON can carry them).
ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=300)


@given(ANY_TEXT)
def test_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(ANY_TEXT)
def test_output_is_clean(text: str) -> None:
    out = normalize_text(text)
    out.encode("utf-8")
    assert "\r" not in out
    assert unicodedata.is_normalized("NFC", out)
    assert all(ch in "\n\t" or unicodedata.category(ch) != "Cc" for ch in out)
    assert all(not line.endswith((" ", "\t")) for line in out.split("\n"))


def test_lone_surrogates_dropped() -> None:
    out = normalize_text("a\ud800b\udfffc")
    assert out == "abc"
    out.encode("utf-8")  # encodable
