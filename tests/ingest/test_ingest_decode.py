"""Decoding bytes: encodings, byte-order marks, empty, binary and oversized inputs."""

from __future__ import annotations

import codecs
import random

import pytest

from communique.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputError,
    OversizedInputError,
)
from communique.ingest import decode_bytes, read_text
from communique.settings import Settings

SETTINGS = Settings()
FRENCH = "Le ministre a reçu l’ambassadeur « à titre officiel » ; cœur de l’œuvre, été."


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    decoded = decode_bytes(data, origin="test.txt", settings=SETTINGS, declared=declared)
    return decoded.text, decoded.encoding


def test_utf8() -> None:
    assert decode(FRENCH.encode("utf-8")) == (FRENCH, "utf-8")


def test_utf8_bom_is_removed() -> None:
    assert decode(codecs.BOM_UTF8 + FRENCH.encode("utf-8")) == (FRENCH, "utf-8-sig")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_utf16_with_bom(bom: bytes, codec: str) -> None:
    assert decode(bom + FRENCH.encode(codec)) == (FRENCH, codec)


def test_cp1252_curly_quotes_and_oe_ligature() -> None:
    text = "L’État a signé l’accord “historique” ; œuvre commune — fin."
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode(data) == (text, "cp1252")


def test_latin1_text_reads_the_same_through_cp1252() -> None:
    text = "Le délégué a été reçu à Genève, où il a évoqué la sécurité."
    decoded_text, _ = decode(text.encode("latin-1"))
    assert decoded_text == text


def test_latin1_is_the_last_resort() -> None:
    # 0x81 is undefined in cp1252: only latin-1 (as a C1 control) can decode it.
    data = "Réunion à Genève : accord conclu.".encode("latin-1") + b"\x81"
    text, encoding = decode(data)
    assert encoding == "latin-1"
    assert text.startswith("Réunion à Genève")


def test_utf8_wins_over_declared_charset() -> None:
    assert decode(FRENCH.encode("utf-8"), declared="windows-1251") == (FRENCH, "utf-8")


def test_declared_charset_is_used_when_utf8_fails() -> None:
    text = "Москва и Париж подписали соглашение."
    assert decode(text.encode("cp1251"), declared="windows-1251") == (text, "cp1251")


def test_empty() -> None:
    with pytest.raises(EmptyInputError) as info:
        decode(b"")
    assert info.value.where == "test.txt"
    assert info.value.hint


def test_png_header_is_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"
    with pytest.raises(BinaryInputError):
        decode(png)


def test_random_bytes_are_rejected() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096))
    with pytest.raises((BinaryInputError, EncodingError)):
        decode(data)


def test_utf16_without_bom_gets_a_specific_hint() -> None:
    with pytest.raises(EncodingError) as info:
        decode("Bonjour tout le monde".encode("utf-16-le"))
    assert "byte-order mark" in info.value.message


def test_a_few_stray_controls_are_tolerated() -> None:
    text = "Une phrase ordinaire, assez longue pour diluer un caractère\x07 isolé."
    assert decode(text.encode())[0] == text


def test_oversized() -> None:
    small = SETTINGS.with_(max_input_bytes=20)
    with pytest.raises(OversizedInputError) as info:
        decode_bytes(b"x" * 21, origin="big.txt", settings=small)
    assert info.value.where == "big.txt"
    assert "max_input_bytes" in (info.value.hint or "")
    assert decode_bytes(b"y" * 20, origin="ok.txt", settings=small).text == "y" * 20


def test_read_text_records_the_encoding() -> None:
    article = read_text("Texte “simple”.".encode("cp1252"), origin="a.txt", settings=SETTINGS)
    assert article.meta["encoding"] == "cp1252"
    assert article.text == "Texte “simple”."


def test_blank_text_is_empty_input() -> None:
    with pytest.raises(EmptyInputError):
        read_text(b" \n\t\n  ", origin="blank.txt", settings=SETTINGS)


def test_errors_are_input_errors_with_where_and_hint() -> None:
    for data in (b"", b"\x00\x01\x02\x03", b"\xff\xfe" + b"\x00\xd8"):
        with pytest.raises(InputError) as info:
            decode(data)
        assert info.value.where == "test.txt"
        assert info.value.hint
