"""Bytes -> str: size and binary checks, byte-order marks, then UTF-8, cp1252, latin-1.

The encoding actually used is returned with the text so that readers can record it in
``Article.meta["encoding"]``. A file that is not UTF-8 as a whole is decoded line by line
(UTF-8 where a line is UTF-8, else cp1252, else latin-1), so that a UTF-8 file with a few
cp1252 lines pasted in, or with a few corrupt bytes, keeps its UTF-8 lines intact; such
a repair comes back as a warning (C108) naming the lines.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from communique.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputError,
    OversizedInputError,
    RepairedEncodingWarning,
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

# Byte-order marks, longest first (UTF-32-LE's begins with UTF-16-LE's), with the codec
# that decodes what follows them.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# A well-formed UTF-8 sequence of two to four bytes (RFC 3629: no overlong forms, no
# surrogates). A line holding at least as many of these as invalid bytes is UTF-8 with
# a few corrupt bytes; one with fewer is in a legacy encoding (a cp1252 "é" is a lone
# byte 0xE9, which is never valid UTF-8 before an ASCII letter).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_REPLACEMENT_UTF8 = "\ufffd".encode()

# A warning lists this many line numbers, then counts the rest: enough to find the
# trouble in an editor, short enough for one line of output.
MAX_LISTED_LINES = 5

# Labels that HTML pages use for cp1252 content: browsers decode iso-8859-1 and ascii as
# windows-1252 (WHATWG Encoding standard), so we do the same.
_CP1252_LABELS = frozenset({"iso8859-1", "latin-1", "ascii"})

_CONVERT_HINT = "convert the file to UTF-8 (for example `iconv -f <encoding> -t utf-8`)"


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the name of the encoding that produced it, and warnings about how it
    was repaired (C108: mixed encodings, replaced bytes)."""

    text: str
    encoding: str
    warnings: tuple[InputError, ...] = ()


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
    then line by line, UTF-8, cp1252, latin-1 (only when the result still looks like
    text). Raises EmptyInputError, OversizedInputError, BinaryInputError or
    EncodingError, each naming ``origin``; repairs are in ``Decoded.warnings``.
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
    return _decode_by_line(data, origin=origin, settings=settings)


def _decode_line(line: bytes) -> tuple[str, str]:
    """One non-ASCII line of a file that is not UTF-8 as a whole: (text, how), how being
    "utf-8", "replaced" (UTF-8 with corrupt bytes), "cp1252" or "latin-1"."""
    try:
        return line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    replaced = line.decode("utf-8", errors="replace")
    invalid = replaced.count("\ufffd") - line.count(_REPLACEMENT_UTF8)
    if len(_UTF8_MULTIBYTE.findall(line)) >= invalid:
        return replaced, "replaced"
    try:
        return line.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # latin-1 decodes any byte: the bytes 0x80-0x9F that cp1252 leaves undefined
        # become C1 controls, checked below
        return line.decode("latin-1"), "latin-1"


def listed_lines(numbers: list[int]) -> str:
    """ "3, 5 and 9" or "3, 5, 9, 12, 15 and 7 more": line numbers for a message."""
    shown = ", ".join(str(n) for n in numbers[:MAX_LISTED_LINES])
    rest = len(numbers) - MAX_LISTED_LINES
    return f"{shown} and {rest} more" if rest > 0 else shown


def _decode_by_line(data: bytes, *, origin: str, settings: Settings) -> Decoded:
    """Decode a file that is not UTF-8 as a whole, line by line (see the module docstring).

    A file whose non-ASCII lines are all cp1252 (or latin-1) decodes as before, without
    a warning; UTF-8 lines beside them, or corrupt UTF-8 bytes, give a C108 warning."""
    parts: list[str] = []
    lines: dict[str, list[int]] = {}
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            parts.append(line.decode("ascii"))
            continue
        text, how = _decode_line(line)
        parts.append(text)
        lines.setdefault(how, []).append(number)
    text = "\n".join(parts)
    legacy = "latin-1" if "latin-1" in lines else "cp1252"
    if "latin-1" in lines and _control_share_text(text) > settings.binary_control_ratio:
        raise EncodingError(
            "the input is neither UTF-8 nor cp1252 and does not read as latin-1 text",
            where=origin,
            hint=_CONVERT_HINT,
        )
    warnings: list[InputError] = []
    utf8 = sorted(lines.get("utf-8", []) + lines.get("replaced", []))
    other = sorted(lines.get("cp1252", []) + lines.get("latin-1", []))
    if utf8 and other:
        warnings.append(
            RepairedEncodingWarning(
                f"mixed encodings: line(s) {listed_lines(other)} are not UTF-8 and were "
                f"read as {legacy}, the other lines as UTF-8",
                hint="save the whole file in one encoding, UTF-8",
            )
        )
    if "replaced" in lines:
        warnings.append(
            RepairedEncodingWarning(
                f"invalid UTF-8 bytes replaced by U+FFFD on line(s) "
                f"{listed_lines(lines['replaced'])}",
                hint="check the file for corruption or truncation and save it as UTF-8",
            )
        )
    if not other:
        encoding = "utf-8"  # only corrupt bytes were replaced
    elif not utf8:
        encoding = legacy  # as before line-by-line decoding: one legacy encoding
    else:
        encoding = f"utf-8+{legacy}"
    return Decoded(text, encoding, tuple(warnings))
