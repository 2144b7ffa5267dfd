"""The hostile-input corpus, generated (nothing binary is committed): every input that a
crawler, a broken export or a malicious sender could hand to `communique`, with what
reading it must give. Not a test module; the tests beside it import it.

Each ``Case`` writes its file into a folder and lists its ``Expect``-ations: a problem
(the input, or a JSONL line, is skipped with a coded error), a warning (read, and told
what was repaired or doubtful) or a clean read. ``SPECIAL`` lists the file-system
oddities (named pipes, loops of links, unreadable files), whose outcome depends on
whether the path is named or found in a folder.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Hand-written dispatches (our own sentences).
FRENCH = (
    "La ministre estonienne des Affaires étrangères a reçu jeudi à Tallinn son homologue "
    "portugais. Les deux responsables ont évoqué la coopération portuaire et l’énergie."
)
FRENCH_CP1252 = "Le délégué a salué « un cœur d’accord » sur le fonds de 5 € par habitant."
ENGLISH = (
    "The Chilean trade minister met her Moroccan counterpart in Rabat on Monday, and the "
    "two discussed fertiliser exports and a new shipping line."
)
SCRIPT_MARKERS = ("alert(", "document.cookie", "color:red", "javascript:", "onerror")

# Sizes of the big inputs of the issue.
BIG_FILE_BYTES = 50_000_000
LONG_SENTENCE_WORDS = 20_000
LONG_LINE_BYTES = 20_000_000
DEEP_HTML = 10_000
DEEP_JSON = 100_000

# The words the long sentence repeats.
_SENTENCE_WORDS = (
    "la délégation chilienne a rencontré les représentants marocains puis le ministre a "
    "évoqué avec ses homologues la coopération et les échanges portuaires"
)


@dataclass(frozen=True)
class Expect:
    """One outcome: ``where`` is the path relative to the corpus folder ("a.txt" or
    "a.jsonl:3"); ``kind`` is "problem" (skipped), "warning" (read, with a warning of
    ``code``) or "clean" (read, no warning); ``fragment`` is a piece of the message."""

    where: str
    kind: str
    code: str | None = None
    fragment: str = ""


@dataclass(frozen=True)
class Case:
    """One hostile input: ``name`` (its file), ``what`` (one line for the README table),
    ``write`` (creates it in a folder) and what reading it gives."""

    name: str
    what: str
    write: Callable[[Path], None]
    expect: tuple[Expect, ...]


def _bytes(data: bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data)

    return write


def _noise(seed: int, n: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


def _zip_of_text() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("depeche.txt", FRENCH * 20)
    return buffer.getvalue()


def long_sentence(n_words: int = LONG_SENTENCE_WORDS) -> str:
    """One sentence of ``n_words`` words, without a full stop until its end."""
    words = _SENTENCE_WORDS.split()
    return " ".join(words[i % len(words)] for i in range(n_words)).capitalize() + "."


def _write_big(path: Path) -> None:
    line = (FRENCH + "\n").encode()
    with open(path, "wb") as out:
        block = line * (1_000_000 // len(line) + 1)
        written = 0
        while written < BIG_FILE_BYTES:
            chunk = block[: BIG_FILE_BYTES - written]
            out.write(chunk)
            written += len(chunk)


def _write_long_line(path: Path) -> None:
    with open(path, "wb") as out:
        out.write(b'{"id": "trop-long", "text": "')
        chunk = b"mot " * 250_000
        for _ in range(LONG_LINE_BYTES // len(chunk)):
            out.write(chunk)
        out.write(b'"}\n')
        out.write(json.dumps({"id": "apres-la-ligne-longue", "text": FRENCH}).encode() + b"\n")


def _jsonl(*lines: object) -> Callable[[Path], None]:
    """Lines given as dicts (dumped) or as raw bytes/str (written as they are)."""

    def write(path: Path) -> None:
        out = []
        for line in lines:
            if isinstance(line, bytes):
                out.append(line)
            elif isinstance(line, str):
                out.append(line.encode())
            else:
                out.append(json.dumps(line).encode())
        path.write_bytes(b"\n".join(out) + b"\n")

    return write


def _page(body: str, head: str = "") -> bytes:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>".encode()


_SCRIPTED = _page(
    '<article><p onclick="alert(1)">' + FRENCH + "</p>"
    '<p><a href="javascript:alert(document.cookie)">lien</a> '
    '<img src=x onerror="alert(2)"> Fin du texte.</p>'
    "<script>alert(3); document.cookie</script><style>p { color:red }</style>"
    "<noscript>alert(4)</noscript>"
    '<iframe srcdoc="&lt;script&gt;alert(5)&lt;/script&gt;"></iframe></article>'
    "<script>document.write('alert(6)')",  # never closed
    head="<link rel=canonical href='javascript:alert(7)'><style>body{color:red}</style>",
)

_DEEP_JSONLD = _page(
    f"<p>{FRENCH}</p>",
    head='<script type="application/ld+json">' + "[" * DEEP_JSON + "]" * DEEP_JSON + "</script>",
)

_RECORDS = _jsonl(
    {"id": "r1", "text": FRENCH},
    {"id": "r2", "text": 42},
    {"id": "r3", "text": ["une", "liste"]},
    {"id": "r4", "text": {"objet": True}},
    {"id": "r5", "text": FRENCH, "published": 20240301},
    {"text": FRENCH},
    {"id": "r7"},
    "",
    "[1, 2]",
    {"id": "r1", "text": FRENCH},
    {"id": "r1", "text": FRENCH + " Une phrase de plus."},
    "[" * DEEP_JSON + "]" * DEEP_JSON,
    '{"id": "r13", "text": "coupé',
    {"id": "r14", "text": ENGLISH, "url": "javascript:alert(1)"},
    {"id": "\u0000r15", "text": FRENCH},
    {"id": "r16", "text": FRENCH, "title": "Titre\u0000 avec\ud800 contrôles\n"},
    {"id": "r17", "text": FRENCH, "lang": 7},
)

_DATES = _jsonl(
    {"id": "d1", "text": FRENCH, "published": "2024-02-31"},
    {"id": "d2", "text": FRENCH, "published": "99999-01-01"},
    {"id": "d3", "text": FRENCH, "published": "0000-01-01"},
    {"id": "d4", "text": FRENCH, "published": "0000-03"},
    {"id": "d5", "text": FRENCH, "published": "2024-13-45"},
    {"id": "d6", "text": FRENCH, "published": "2999-06-01"},
    {"id": "d7", "text": FRENCH, "published": "2999-06"},
    {"id": "d8", "text": "PARIS, 31 février 2024 (AFP) - " + FRENCH},
    {"id": "d9", "text": "WASHINGTON, February 30 (Reuters) - " + ENGLISH},
    {"id": "d10", "text": FRENCH, "published": "2024-03-01"},
)


def _problem(where: str, code: str, fragment: str) -> Expect:
    return Expect(where, "problem", code, fragment)


def _warning(where: str, code: str, fragment: str) -> Expect:
    return Expect(where, "warning", code, fragment)


def _clean(where: str) -> Expect:
    return Expect(where, "clean")


def _dateline(name: str, line: str, fragment: str) -> Case:
    return Case(
        name,
        f"dateline `{line}`",
        _bytes(f"{line} - {FRENCH}".encode()),
        (_warning(name, "C110", fragment),),
    )


CASES: tuple[Case, ...] = (
    # -- binary
    Case(
        "png-header.txt",
        "PNG signature and chunk header, then random bytes",
        _bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _noise(1, 4000)),
        (_problem("png-header.txt", "C102", "looks binary"),),
    ),
    Case(
        "archive.html",
        "a ZIP archive (deflated) named .html",
        _bytes(_zip_of_text()),
        (_problem("archive.html", "C102", "looks binary"),),
    ),
    Case(
        "program.jsonl",
        "an ELF header and random bytes named .jsonl",
        _bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(8) + _noise(2, 4000)),
        (_problem("program.jsonl", "C102", "NUL bytes"),),
    ),
    Case(
        "noise.txt",
        "4 kB of random bytes",
        _bytes(_noise(3, 4096)),
        (_problem("noise.txt", "C102", "looks binary"),),
    ),
    # -- encodings
    Case(
        "invalid-utf8.txt",
        "UTF-8 with stray bytes (0xFF, a cut multi-byte character)",
        _bytes(FRENCH.encode() + b" \xff\xfe fin\xc3 " + FRENCH.encode()),
        (_warning("invalid-utf8.txt", "C108", "replaced by U+FFFD on line(s) 1"),),
    ),
    Case(
        "mixed-encodings.txt",
        "UTF-8 lines and cp1252 lines in one file",
        _bytes(
            b"\n".join(
                [
                    FRENCH.encode(),
                    FRENCH_CP1252.encode("cp1252"),
                    ENGLISH.encode(),
                    FRENCH_CP1252.encode("cp1252"),
                ]
            )
        ),
        (_warning("mixed-encodings.txt", "C108", "line(s) 2, 4 are not UTF-8"),),
    ),
    Case(
        "mixed-encodings.jsonl",
        "JSONL with one cp1252 line among UTF-8 lines",
        _jsonl(
            json.dumps({"id": "m1", "text": FRENCH}, ensure_ascii=False),
            json.dumps({"id": "m2", "text": FRENCH_CP1252}, ensure_ascii=False).encode("cp1252"),
        ),
        (_clean("mixed-encodings.jsonl:1"), _problem("mixed-encodings.jsonl:2", "C103", "UTF-8")),
    ),
    Case(
        "bom-utf8.txt",
        "UTF-8 byte-order mark",
        _bytes(codecs.BOM_UTF8 + FRENCH.encode()),
        (_clean("bom-utf8.txt"),),
    ),
    Case(
        "bom-utf16le.txt",
        "UTF-16 LE with its byte-order mark",
        _bytes(codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le")),
        (_clean("bom-utf16le.txt"),),
    ),
    Case(
        "bom-utf16be.txt",
        "UTF-16 BE with its byte-order mark",
        _bytes(codecs.BOM_UTF16_BE + ENGLISH.encode("utf-16-be")),
        (_clean("bom-utf16be.txt"),),
    ),
    Case(
        "bom-utf32le.txt",
        "UTF-32 LE with its byte-order mark",
        _bytes(codecs.BOM_UTF32_LE + FRENCH.encode("utf-32-le")),
        (_clean("bom-utf32le.txt"),),
    ),
    Case(
        "bom-utf8.jsonl",
        "JSONL starting with a UTF-8 byte-order mark",
        _bytes(codecs.BOM_UTF8 + json.dumps({"id": "b1", "text": FRENCH}).encode()),
        (_clean("bom-utf8.jsonl:1"),),
    ),
    Case(
        "bom-utf16.jsonl",
        "JSONL in UTF-16 (with a byte-order mark)",
        _bytes(codecs.BOM_UTF16_LE + json.dumps({"id": "u", "text": FRENCH}).encode("utf-16-le")),
        (_problem("bom-utf16.jsonl", "C102", "binary, or UTF-16"),),
    ),
    Case(
        "bom-only.txt",
        "a byte-order mark and nothing else",
        _bytes(codecs.BOM_UTF8),
        (_problem("bom-only.txt", "C101", "no text left"),),
    ),
    Case(
        "utf16-no-bom.txt",
        "UTF-16 without a byte-order mark",
        _bytes(FRENCH.encode("utf-16-le")),
        (_problem("utf16-no-bom.txt", "C103", "UTF-16 without a byte-order mark"),),
    ),
    # -- control characters
    Case(
        "controls.txt",
        "NUL, BEL, ESC (terminal colour codes) and DEL inside text",
        _bytes(("\x1b[31m" + FRENCH.replace("jeudi", "jeu\x00di\x07") + "\x7f\x1b[0m").encode()),
        (_clean("controls.txt"),),
    ),
    Case(
        "nul-every-other.txt",
        "text with a NUL after every character",
        _bytes(b"".join(bytes([b, 0]) for b in ENGLISH.encode())),
        (_problem("nul-every-other.txt", "C103", "UTF-16"),),
    ),
    Case(
        "controls.jsonl",
        "JSONL escapes: NUL and ESC in text, NUL in the id, NUL and a lone surrogate in title",
        _jsonl(
            {"id": "c1", "text": "\u0000\u001b" + FRENCH + "\u0007"},
            {"id": "c2\u0000", "text": FRENCH},
            {"id": "c3", "text": ENGLISH, "title": "A\u0000 title\ud800\n", "source": "\u0007"},
            {"id": "c4", "text": "\u0000\u0001\u0002"},
        ),
        (
            _clean("controls.jsonl:1"),
            _problem("controls.jsonl:2", "C105", "control characters"),
            _clean("controls.jsonl:3"),
            _problem("controls.jsonl:4", "C101", "no text left"),
        ),
    ),
    # -- sizes
    Case(
        "huge-50mb.txt",
        "a 50 MB text file",
        _write_big,
        (_problem("huge-50mb.txt", "C104", "more than max_input_bytes"),),
    ),
    Case(
        "long-sentence.txt",
        "one sentence of 20,000 words (about 140,000 characters)",
        _bytes(long_sentence().encode()),
        (_warning("long-sentence.txt", "C104", "(max_chars_per_doc) are coded"),),
    ),
    Case(
        "long-line.jsonl",
        "a JSONL line of 20 MB, then a good line",
        _write_long_line,
        (
            _problem("long-line.jsonl:1", "C104", "longer than max_input_bytes"),
            _clean("long-line.jsonl:2"),
        ),
    ),
    Case("empty.txt", "an empty file", _bytes(b""), (_problem("empty.txt", "C101", "is empty"),)),
    Case(
        "empty.html",
        "an empty HTML file",
        _bytes(b""),
        (_problem("empty.html", "C101", "is empty"),),
    ),
    Case(
        "blank-lines.jsonl",
        "a JSONL file of blank lines",
        _bytes(b"\n \n\t\n\n"),
        (_problem("blank-lines.jsonl", "C101", "no records"),),
    ),
    # -- HTML
    Case(
        "deep-nesting.html",
        "10,000 nested <div> around a paragraph",
        _bytes(_page("<div>" * DEEP_HTML + f"<p>{FRENCH}</p>" + "</div>" * DEEP_HTML)),
        (_warning("deep-nesting.html", "C111", "nested deeper than max_html_depth"),),
    ),
    Case(
        "scripts.html",
        "<script>, <style>, on* handlers, javascript: links and canonical URL, unclosed <script>",
        _bytes(_SCRIPTED),
        (_warning("scripts.html", "C112", "scheme 'javascript'"),),
    ),
    Case(
        "nul-attributes.html",
        "NUL bytes inside the page's lang attribute and a date meta tag",
        _bytes(
            _page(
                f"<p>{FRENCH}</p>",
                head='<meta name="date" content="hier\x00soir">',
            ).replace(b"<html>", b'<html lang="fr\x00">')
        ),
        (_clean("nul-attributes.html"),),
    ),
    Case(
        "deep-jsonld.html",
        "a JSON-LD block nested 100,000 deep",
        _bytes(_DEEP_JSONLD),
        (_clean("deep-jsonld.html"),),
    ),
    # -- JSONL records
    Case(
        "records.jsonl",
        "JSONL: wrong types, missing fields, blank line, duplicate ids, deep JSON, bad JSON",
        _RECORDS,
        (
            _clean("records.jsonl:1"),
            _problem("records.jsonl:2", "C105", "'text' must be a non-empty string (int 42)"),
            _problem("records.jsonl:3", "C105", "'text' must be a non-empty string (list"),
            _problem("records.jsonl:4", "C105", "'text' must be a non-empty string (dict"),
            _problem("records.jsonl:5", "C105", "'published' must be a string or null, not int"),
            _problem("records.jsonl:6", "C105", "'id' must be a non-empty string (missing)"),
            _problem("records.jsonl:7", "C105", "'text' must be a non-empty string (missing)"),
            _problem("records.jsonl:9", "C105", "expected a JSON object, found list"),
            _problem("records.jsonl:10", "C105", "the same record again"),
            _problem("records.jsonl:11", "C105", "with another text"),
            _problem("records.jsonl:12", "C105", "nested too deeply"),
            _problem("records.jsonl:13", "C105", "invalid JSON"),
            _warning("records.jsonl:14", "C112", "javascript"),
            _problem("records.jsonl:15", "C105", "control characters"),
            _clean("records.jsonl:16"),
            _problem("records.jsonl:17", "C105", "'lang' must be a string or null"),
        ),
    ),
    # -- dates
    Case(
        "dates.jsonl",
        "JSONL `published`: 31 Feb, year 99999, year 0, month 13, future; bad datelines",
        _DATES,
        (
            _problem("dates.jsonl:1", "C105", "not a real calendar date"),
            _problem("dates.jsonl:2", "C105", "is not YYYY-MM-DD"),
            _problem("dates.jsonl:3", "C105", "not a real calendar date"),
            _problem("dates.jsonl:4", "C105", "no year 0"),
            _problem("dates.jsonl:5", "C105", "not a real calendar date"),
            _warning("dates.jsonl:6", "C109", "2999-06-01 (from the metadata) is after today"),
            _warning("dates.jsonl:7", "C109", "2999-06 (from the metadata) is after today"),
            _warning("dates.jsonl:8", "C110", "'31 février 2024' is not a real calendar date"),
            _warning("dates.jsonl:9", "C110", "'February 30' is not a real calendar date"),
            _clean("dates.jsonl:10"),
        ),
    ),
    _dateline("dateline-31-fevrier.txt", "PARIS, 31 février 2024 (AFP)", "31 février 2024"),
    _dateline("dateline-year-99999.txt", "GENÈVE, 12 mars 99999 (AFP)", "12 mars 99999"),
    _dateline("dateline-year-0.txt", "GENÈVE, 12 mars 0000 (AFP)", "12 mars 0000"),
    _dateline("dateline-month-13.txt", "LIMA, 2024-13-45 (AFP)", "2024-13-45"),
    Case(
        "dateline-future.txt",
        "dateline `PARIS, 12 mars 2999 (AFP)`",
        _bytes(f"PARIS, 12 mars 2999 (AFP) - {FRENCH}".encode()),
        (_warning("dateline-future.txt", "C109", "2999-03-12 (from the dateline) is after"),),
    ),
    Case(
        "future-meta.html",
        "HTML whose article:published_time is 2999-01-01",
        _bytes(
            _page(
                f"<article><p>{FRENCH}</p></article>",
                head='<meta property="article:published_time" content="2999-01-01T10:00:00Z">',
            )
        ),
        (_warning("future-meta.html", "C109", "2999-01-01 (from the metadata)"),),
    ),
)

# The expectations of files read cleanly or with a warning, i.e. the articles reading the
# corpus gives.
READ = tuple(e for case in CASES for e in case.expect if e.kind != "problem")
SKIPPED = tuple(e for case in CASES for e in case.expect if e.kind == "problem")


def write_corpus(folder: Path) -> Path:
    """Write every case into ``folder`` (created); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        case.write(folder / case.name)
    return folder


# -- file-system oddities ----------------------------------------------------------------


@dataclass(frozen=True)
class Special:
    """A path that is not a plain file. ``named``: what naming it gives; ``walked``: what
    finding it in a folder gives (None: passed over silently, as other non-files)."""

    name: str
    what: str
    named: Expect
    walked: Expect | None


SPECIAL: tuple[Special, ...] = (
    Special(
        "pipe.txt",
        "a named pipe (FIFO) called .txt",
        _problem("pipe.txt", "C100", "named pipe (FIFO)"),
        None,
    ),
    Special(
        "pipe.jsonl",
        "a named pipe (FIFO) called .jsonl",
        _problem("pipe.jsonl", "C100", "named pipe (FIFO)"),
        None,
    ),
    Special(
        "loop-a.txt",
        "a symbolic link to a link back to it (loop)",
        _problem("loop-a.txt", "C100", "symbolic links"),
        _problem("loop-a.txt", "C100", "symbolic links"),
    ),
    Special(
        "loop-b.txt",
        "the other end of that loop",
        _problem("loop-b.txt", "C100", "symbolic links"),
        _problem("loop-b.txt", "C100", "symbolic links"),
    ),
    Special(
        "dangling.txt",
        "a symbolic link to a missing file",
        _problem("dangling.txt", "C100", "symbolic link to a missing file"),
        None,
    ),
    Special(
        "zeros.jsonl",
        "a symbolic link to /dev/zero (a device that never ends)",
        _problem("zeros.jsonl", "C100", "character device"),
        None,
    ),
    Special(
        "folder.txt",
        "a folder named like a file, holding one dispatch",
        _clean("folder.txt/inside.txt"),
        _clean("folder.txt/inside.txt"),
    ),
)


def write_special(folder: Path) -> Path:
    """Create the SPECIAL paths in ``folder`` (created); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(folder / "pipe.jsonl")
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "zeros.jsonl").symlink_to("/dev/zero")
    (folder / "folder.txt").mkdir()
    (folder / "folder.txt" / "inside.txt").write_text(FRENCH, encoding="utf-8")
    return folder
