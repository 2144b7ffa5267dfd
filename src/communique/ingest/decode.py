"""Bytes -> str: size and binary checks, byte-order marks, then UTF-8, cp1252, latin-1.

The encoding actually used is returned with the text so that readers can record it in
``Article.meta["encoding"]``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from communique.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    OversizedInputError,
)
from communique.settings import Settings

# C0 control bytes that never occur in text files: everything below 0x20 except tab, line
# feed, vertical tab, form feed and carriage return, plus DEL. NUL is among them.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
# The same in decoded text, plus the C1 controls (U+0080-U+009F).
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")

# UTF-16 text saved without a byte-order mark has a NUL in almost every other byte (all
# Latin-script characters have a zero high byte). 90% leaves room for a few non-Latin
# characters while no binary format we know of comes close on a whole file.
_UTF16_NUL_SHARE = 0.9

# Byte-order marks, longest first, with the codec that decodes what follows them.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that HTML pages use for cp1252 content: browsers decode iso-8859-1 and ascii as
# windows-1252 (WHATWG Encoding standard), so we do the same.
_CP1252_LABELS = frozenset({"iso8859-1", "latin-1", "ascii"})

_CONVERT_HINT = "convert the file to UTF-8 (for example `iconv -f <encoding> -t utf-8`)"


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and the name of the encoding that produced it."""

    text: str
    encoding: str


def _control_share_bytes(data: bytes) -> float:
    return (len(data) - len(data.translate(None, _CONTROL_BYTES))) / len(data)


def _control_share_text(text: str) -> float:
    """Share of C0 (except whitespace) and C1 control characters in decoded text."""
    if not text:
        return 0.0
    return (len(text) - len(_CONTROL_CHARS.sub("", text))) / len(text)


def _looks_like_bomless_utf16(data: bytes) -> bool:
    if len(data) < 4 or len(data) % 2:
        return False
    half = len(data) // 2
    even_nuls = data[0::2].count(0) / half
    odd_nuls = data[1::2].count(0) / half
    return max(even_nuls, odd_nuls) >= _UTF16_NUL_SHARE


def check_size(size: int, *, origin: str, settings: Settings) -> None:
    """Raise EmptyInputError / OversizedInputError for an input of ``size`` bytes."""
    if size == 0:
        raise EmptyInputError(
            "the input is empty", where=origin, hint="remove the file or give it some text"
        )
    if size > settings.max_input_bytes:
        raise OversizedInputError(
            f"the input has {size:,} bytes, more than max_input_bytes "
            f"({settings.max_input_bytes:,})",
            where=origin,
            hint="split the file into one dispatch per file, or raise max_input_bytes",
        )


def _binary_error(origin: str) -> BinaryInputError:
    return BinaryInputError(
        "the input looks binary, not text (control characters or NUL bytes)",
        where=origin,
        hint="give plain text, HTML or JSONL; extract text from PDF/Word/images first",
    )


def _decode_with_bom(data: bytes, *, origin: str, settings: Settings) -> Decoded | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    f"the input starts with a {codec} byte-order mark but is not valid "
                    f"{codec} (byte {exc.start + len(bom)})",
                    where=origin,
                    hint=_CONVERT_HINT,
                ) from None
            if _control_share_text(text) > settings.binary_control_ratio:
                raise _binary_error(origin)
            return Decoded(text, codec if codec != "utf-8" else "utf-8-sig")
    return None


def _declared_codec(declared: str | None) -> str | None:
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    return "cp1252" if name in _CP1252_LABELS else name


def decode_bytes(
    data: bytes, *, origin: str, settings: Settings, declared: str | None = None
) -> Decoded:
    """Decode one input file.

    Order: byte-order mark; UTF-8; the ``declared`` charset (an HTML page's own claim);
    cp1252; latin-1 only when the result still looks like text. Raises EmptyInputError,
    OversizedInputError, BinaryInputError or EncodingError, each naming ``origin``.
    """
    check_size(len(data), origin=origin, settings=settings)
    with_bom = _decode_with_bom(data, origin=origin, settings=settings)
    if with_bom is not None:
        return with_bom
    if _control_share_bytes(data) > settings.binary_control_ratio:
        if _looks_like_bomless_utf16(data):
            raise EncodingError(
                "the input looks like UTF-16 without a byte-order mark",
                where=origin,
                hint="save it as UTF-8 (or as UTF-16 with a byte-order mark)",
            )
        raise _binary_error(origin)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    codec = _declared_codec(declared)
    # A page cannot declare UTF-16/32 in readable ASCII; such a claim is ignored.
    if codec is not None and codec != "cp1252" and not codec.startswith("utf"):
        try:
            return Decoded(data.decode(codec), codec)
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        pass
    # latin-1 decodes any byte; accept it only when the C1 controls it produces (bytes
    # 0x80-0x9F that cp1252 leaves undefined) stay as rare as in the binary check.
    text = data.decode("latin-1")
    if _control_share_text(text) > settings.binary_control_ratio:
        raise EncodingError(
            "the input is neither UTF-8 nor cp1252 and does not read as latin-1 text",
            where=origin,
            hint=_CONVERT_HINT,
        )
    return Decoded(text, "latin-1")
