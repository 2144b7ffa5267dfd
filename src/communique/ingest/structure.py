"""The header of a dispatch: rubric, headline, dateline, and where the body starts.

Recognised layouts (any part may be missing)::

    POLITIQUE                                   <- rubric: short all-caps line
    Un titre sans point final                   <- headline
    Bakou, 29 novembre, AZERTAC                 <- dateline on its own line
    Le corps de la dépêche...

    PARIS, 12 mars 2024 (AFP) - Le corps...     <- dateline opening the first paragraph

A dateline is ``PLACE[, DATE][, AGENCY | (AGENCY)]`` followed by the end of the line or,
when it opens a paragraph, by a dash. Month and weekday words come from the language
packs' ``dates.yaml`` (keys ``months`` and ``weekdays``), agencies from
``knowledge/data/agencies.yaml``. All spans are absolute offsets into the text given.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

from communique.errors import DataFileError
from communique.ingest.langid import LANGPACKS_PACKAGE
from communique.model import Dateline, TextSpan
from communique.textfold import fold_key

KNOWLEDGE_PACKAGE = "communique.knowledge"
AGENCIES_FILE = "data/agencies.yaml"
DATES_FILE = "dates.yaml"

# Rubric, headline, sub-headline, dateline, first paragraph: a wire header never has more
# lines than this, so only these are looked at.
MAX_HEADER_LINES = 5
# Lines that may stand before a dateline on its own line: rubric, headline, sub-headline.
MAX_LINES_BEFORE_DATELINE = 3
# A rubric is a section name ("POLITIQUE", "ÉCONOMIE", "SOCIÉTÉ / CULTURE"), not a
# shouted headline: at most 4 words and 40 characters.
MAX_RUBRIC_WORDS = 4
MAX_RUBRIC_CHARS = 40
# Wire headlines run to about 150 characters; 250 still admits long online titles while
# excluding a first paragraph that lacks its final period.
MAX_HEADLINE_CHARS = 250
# Longest dateline: "Bandar Seri Begawan, mercredi 12 septembre 2024 (Agence France-Presse)"
# has 72 characters; 100 leaves room without reaching into a sentence.
MAX_DATELINE_CHARS = 100
# Place names in datelines: "Rio de Janeiro", "Bandar Seri Begawan", "Dar es Salaam" (3
# words); 5 words and 40 characters leave room for "Saint-Martin-de-Belleville"-like names.
MAX_PLACE_WORDS = 5
MAX_PLACE_CHARS = 40
# Agencies written in full: "Maghreb Arabe Presse", "Agence France-Presse" (2-3 words).
MAX_AGENCY_WORDS = 4
# An abbreviated month must keep at least 3 letters ("oct", "fév") to be unambiguous.
MIN_MONTH_PREFIX = 3
# Words allowed before the date in a dateline, as in "Washington, le 3 mai".
MAX_DATE_LEADING_WORDS = 1
# A date segment whose words are not in the month vocabulary (an English "May 3, 2024"
# while no English month list is installed) is accepted when it has a number and at most
# this many words; its value is then unknown.
MAX_UNPARSED_DATE_WORDS = 3
# Two-digit years in numeric datelines ("14/05/24"): wire copy in scope is from 2000 on.
TWO_DIGIT_YEAR_BASE = 2000
# A number of 4 to this many digits after a day or month is read as a year, so that a
# mistyped "12 mars 20244" is recognised as an impossible date, not as some other text.
MAX_YEAR_DIGITS = 6
# Years a calendar date can have (datetime.date's range): year 0 or 99999 is impossible.
_YEARS = range(date.min.year, date.max.year + 1)
# Days in each month of a leap year: the largest day number possible when the year is
# not given ("30 février" is impossible in any year, "29 février" is not).
_MAX_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_SENTENCE_END = ".;:,"
_DASH = re.compile(r"--|[-–—]")
_PAREN_AT_END = re.compile(r"\(\s*([^()]+?)\s*\)\s*$")
_PAREN = re.compile(r"\(\s*([^()\n]{1,60}?)\s*\)[ \t]*")
_DATE_TOKEN = re.compile(
    r"(?P<iso>\d{4}-\d{1,2}-\d{1,2})"
    r"|(?P<num>\d{1,2})(?P<sep>[/.])(?P<num2>\d{1,2})(?P=sep)(?P<num3>\d{4}|\d{2})(?!\d)"
    r"|(?P<digits>\d+)(?P<suffix>[^\W\d_]{0,2})(?![\w])"
    r"|(?P<word>[^\W\d_]+\.?)"
)
_PLACE_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_YEAR_NUMBER = re.compile(rf"\d{{4,{MAX_YEAR_DIGITS}}}")


@dataclass(frozen=True, slots=True)
class HeaderVocabulary:
    """Words that datelines are made of: folded month and weekday names, agency spellings."""

    months: Mapping[str, int]
    weekdays: frozenset[str]
    agencies: Mapping[str, str]  # folded spelling -> canonical name


@dataclass(frozen=True, slots=True)
class Header:
    """What ``parse_header`` found. ``dateline_date`` is set only for a full, valid date
    with its year; ``dateline_month`` ("YYYY-MM") when the dateline gives month and year;
    ``dateline_date_impossible`` when its date names no real day ("31 février",
    "2024-13-45", year 0)."""

    rubric: TextSpan | None = None
    headline: TextSpan | None = None
    dateline: Dateline | None = None
    body_start: int = 0
    dateline_date: date | None = None
    dateline_month: str | None = None
    dateline_date_impossible: bool = False


@dataclass(frozen=True, slots=True)
class _DateMatch:
    start: int
    end: int
    value: date | None
    month: str | None
    impossible: bool = False


def fold(word: str) -> str:
    """Case- and accent-insensitive key without a final period: "Févr." -> "fevr"."""
    return fold_key(word).rstrip(".")


# ---------------------------------------------------------------- data files


def _read_yaml(path: Traversable, where: str) -> Any:
    import yaml  # not at import time: only when a data file is read

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError("data file missing", where=where, hint="reinstall communique") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataFileError(f"not valid YAML: {exc}", where=where, hint="fix the syntax") from None


def _word_table(raw: Any, key: str, where: str, valid: range) -> dict[str, int]:
    table = raw.get(key) if isinstance(raw, dict) else None
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise DataFileError(
            f"{key!r} must be a mapping of word: number", where=where, hint="see fr/dates.yaml"
        )
    result: dict[str, int] = {}
    for word, number in table.items():
        if not isinstance(word, str) or not isinstance(number, int) or number not in valid:
            raise DataFileError(
                f"{key}: bad entry {word!r}: {number!r}",
                where=where,
                hint=f"each entry is a word and a number from {valid.start} to {valid.stop - 1}",
            )
        result[fold(word)] = number
    return result


def _load_agencies(raw: Any, where: str) -> dict[str, str]:
    entries = raw.get("agencies") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise DataFileError(
            "expected a top-level 'agencies' list", where=where, hint="see the file's header"
        )
    spellings: dict[str, str] = {}
    for index, entry in enumerate(entries):
        here = f"{where}: agencies[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise DataFileError(
                "each agency needs a 'name' string", where=here, hint="add name: SHORTNAME"
            )
        name = entry["name"].strip()
        country = entry.get("country")
        if country is not None and not (
            isinstance(country, str) and re.fullmatch(r"[A-Z]{3}", country)
        ):
            raise DataFileError(
                f"{name}: country {country!r} is not ISO 3166-1 alpha-3",
                where=here,
                hint="write a three-letter code such as FRA, or null",
            )
        forms = entry.get("spellings") or []
        if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
            raise DataFileError(
                f"{name}: 'spellings' must be a list of non-empty strings",
                where=here,
                hint="write spellings: [Form One, Form Two]",
            )
        for form in [name, *forms]:
            key = fold(form)
            owner = spellings.get(key)
            if owner is not None and owner != name:
                raise DataFileError(
                    f"spelling {form!r} belongs to both {owner} and {name}",
                    where=here,
                    hint="give the acronym to one agency; list the other under its full name",
                )
            spellings[key] = name
    return spellings


@functools.cache
def load_header_vocabulary() -> HeaderVocabulary:
    """Months and weekdays of every installed language pack, and the agencies (cached)."""
    months: dict[str, int | None] = {}
    weekdays: set[str] = set()
    for pack in sorted(resources.files(LANGPACKS_PACKAGE).iterdir(), key=lambda p: p.name):
        path = pack.joinpath(DATES_FILE)
        if not (pack.is_dir() and path.is_file()):
            continue
        where = f"langpacks/{pack.name}/{DATES_FILE}"
        raw = _read_yaml(path, where)
        for word, number in _word_table(raw, "months", where, range(1, 13)).items():
            # A spelling that two packs give different months is ambiguous: drop it.
            months[word] = number if months.get(word, number) == number else None
        weekdays.update(_word_table(raw, "weekdays", where, range(7)))
    agencies_path = resources.files(KNOWLEDGE_PACKAGE).joinpath(AGENCIES_FILE)
    agencies = _load_agencies(
        _read_yaml(agencies_path, f"knowledge/{AGENCIES_FILE}"), f"knowledge/{AGENCIES_FILE}"
    )
    return HeaderVocabulary(
        months=MappingProxyType({w: m for w, m in months.items() if m is not None}),
        weekdays=frozenset(weekdays),
        agencies=MappingProxyType(agencies),
    )


# ---------------------------------------------------------------- small recognisers


def _month_of(word: str, vocab: HeaderVocabulary) -> int | None:
    key = fold(word)
    if key in vocab.months:
        return vocab.months[key]
    if len(key) < MIN_MONTH_PREFIX:
        return None
    found = {m for w, m in vocab.months.items() if w.startswith(key)}
    return found.pop() if len(found) == 1 else None


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t,":
        start += 1
    while end > start and text[end - 1] in " \t,":
        end -= 1
    return start, end


def _is_place(s: str) -> bool:
    if not s or len(s) > MAX_PLACE_CHARS or not s[0].isupper():
        return False
    words = s.split()
    if len(words) > MAX_PLACE_WORDS or not all(_PLACE_WORD.fullmatch(w) for w in words):
        return False
    return words[-1][0].isupper()


def _is_all_caps(s: str) -> bool:
    letters = [ch for ch in s if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _agency_name(s: str, vocab: HeaderVocabulary, *, in_parens: bool) -> str | None:
    """Canonical name of a known agency; else the text itself when it looks like one:
    in parentheses, a few capitalised words; after a comma, an all-caps name."""
    known = vocab.agencies.get(fold(s))
    if known is not None:
        return known
    words = s.split()
    if not words or len(words) > MAX_AGENCY_WORDS or not s[0].isupper():
        return None
    if any(ch.isdigit() for ch in s):
        return None
    return s if in_parens or _is_all_caps(s) else None


def _year(digits: str) -> int:
    return int(digits) + (TWO_DIGIT_YEAR_BASE if len(digits) == 2 else 0)


def _safe_date(year: int | None, month: int | None, day: int | None) -> date | None:
    if year is None or month is None or day is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _impossible(year: int | None, month: int | None, day: int | None) -> bool:
    """True when the parts that are given name no real day."""
    if (month is not None and not 1 <= month <= 12) or (year is not None and year not in _YEARS):
        return True
    if month is None or day is None:
        return False
    if year is None:
        return not 1 <= day <= _MAX_DAYS[month - 1]
    return _safe_date(year, month, day) is None


def _match_date(text: str, start: int, end: int, vocab: HeaderVocabulary) -> _DateMatch | None:
    """The date inside ``text[start:end]``, a dateline's date segment."""
    tokens = list(_DATE_TOKEN.finditer(text, start, end))
    # Only tokens, spaces and commas: anything else means this is not a date.
    covered = sum(t.end() - t.start() for t in tokens)
    if not tokens or covered != sum(1 for ch in text[start:end] if ch not in " \t,"):
        return None
    day = month = year = None
    weekday = False
    first_date: int | None = None
    leading = 0
    for index, tok in enumerate(tokens):
        kind: str | None = None
        if tok.group("iso") or tok.group("num"):
            if (day, month, year) == (None, None, None):
                kind = "numeric"
                if tok.group("iso"):
                    year, month, day = (int(p) for p in tok.group("iso").split("-"))
                else:
                    day, month = int(tok.group("num")), int(tok.group("num2"))
                    year = _year(tok.group("num3"))
        elif tok.group("digits"):
            digits = tok.group("digits")
            if 4 <= len(digits) <= MAX_YEAR_DIGITS and not tok.group("suffix") and year is None:
                kind, year = "year", int(digits)
            elif len(digits) <= 2 and 1 <= int(digits) <= 31 and day is None:
                kind, day = "day", int(digits)
        else:
            word = tok.group("word")
            found = _month_of(word, vocab)
            if found is not None and month is None:
                kind, month = "month", found
            elif fold(word) in vocab.weekdays and not weekday:
                kind, weekday = "weekday", True
        if kind is None:
            if first_date is not None:
                return _unparsed_date(text, start, end, tokens)
            leading += 1
            if leading > MAX_DATE_LEADING_WORDS or not tok.group().islower():
                return _unparsed_date(text, start, end, tokens)
            continue
        if first_date is None:
            first_date = index
    if first_date is None or (day is None and month is None and not weekday):
        return _unparsed_date(text, start, end, tokens)
    impossible = _impossible(year, month, day)
    value = None if impossible else _safe_date(year, month, day)
    month_text = None
    if day is None and year is not None and month is not None and not impossible:
        month_text = f"{year:04d}-{month:02d}"
    return _DateMatch(tokens[first_date].start(), tokens[-1].end(), value, month_text, impossible)


def _unparsed_date(
    text: str, start: int, end: int, tokens: list[re.Match[str]]
) -> _DateMatch | None:
    if len(tokens) > MAX_UNPARSED_DATE_WORDS:
        return None
    if not any(t.group("digits") or t.group("num") or t.group("iso") for t in tokens):
        return None
    return _DateMatch(tokens[0].start(), tokens[-1].end(), None, None)


# ---------------------------------------------------------------- datelines


@dataclass(frozen=True, slots=True)
class _DatelineMatch:
    dateline: Dateline
    date: _DateMatch | None


def _split_commas(text: str, start: int, end: int) -> list[tuple[int, int]]:
    parts = []
    pos = start
    while True:
        comma = text.find(",", pos, end)
        stop = end if comma < 0 else comma
        parts.append(_strip_span(text, pos, stop))
        if comma < 0:
            return parts
        pos = comma + 1


def _parse_fields(
    text: str, start: int, end: int, vocab: HeaderVocabulary, *, own_line: bool
) -> _DatelineMatch | None:
    """``PLACE[, DATE][, AGENCY | (AGENCY)]`` filling exactly ``text[start:end]``."""
    start, end = _strip_span(text, start, end)
    if start >= end or end - start > MAX_DATELINE_CHARS:
        return None
    agency: str | None = None
    agency_end = end
    paren = _PAREN_AT_END.search(text, start, end)
    if paren is not None:
        agency = _agency_name(paren.group(1), vocab, in_parens=True)
        if agency is None:
            return None
        end = _strip_span(text, start, paren.start())[1]
    else:
        # "ASTANA. KAZINFORM": a known agency after a full stop
        stop = _AGENCY_AFTER_STOP.search(text, start, end)
        if stop is not None and fold(stop.group(1)) in vocab.agencies:
            agency = vocab.agencies[fold(stop.group(1))]
            end = _strip_span(text, start, stop.start())[1]
    parts = _split_commas(text, start, end)
    if len(parts) > 1 and _YEAR_NUMBER.fullmatch(text[slice(*parts[-1])]):
        # "May 3, 2024": the year after a comma belongs to the date.
        parts[-2:] = [(parts[-2][0], parts[-1][1])]
    if agency is None and len(parts) >= 2:
        agency = _agency_name(text[slice(*parts[-1])], vocab, in_parens=False)
        if agency is not None:
            parts.pop()
    if len(parts) > 2 or any(s >= e for s, e in parts):
        return None
    place_start, place_end = parts[0]
    if not _is_place(text[place_start:place_end]):
        return None
    found_date: _DateMatch | None = None
    if len(parts) == 2:
        found_date = _match_date(text, *parts[1], vocab)
        if found_date is None:
            return None
    # A bare place: only an all-caps one opening a paragraph ("PARIS - ...").
    bare_place = agency is None and found_date is None
    if bare_place and (own_line or not _is_all_caps(text[place_start:place_end])):
        return None
    span = TextSpan.of(text, start, agency_end)
    dateline = Dateline(
        span=span,
        place=TextSpan.of(text, place_start, place_end),
        date_text=None
        if found_date is None
        else TextSpan.of(text, found_date.start, found_date.end),
        agency=agency,
    )
    return _DatelineMatch(dateline, found_date)


def _own_line_dateline(
    text: str, start: int, end: int, vocab: HeaderVocabulary
) -> _DatelineMatch | None:
    if text[start:end].rstrip().endswith(tuple(_SENTENCE_END)):
        return None
    return _parse_fields(text, start, end, vocab, own_line=True)


def _find_separator(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The dash that ends a dateline opening ``text[start:end]``, with the blanks around
    it: after ")" with or without blanks, otherwise with blanks on both sides (hyphens in
    "Port-au-Prince" or "2024-05-14" have none). Only the first MAX_DATELINE_CHARS are
    searched, so a long run of blanks costs linear time."""
    for dash in _DASH.finditer(text, start, min(end, start + MAX_DATELINE_CHARS + 2)):
        sep_start = dash.start()
        while sep_start > start and text[sep_start - 1] in " \t":
            sep_start -= 1
        sep_end = dash.end()
        while sep_end < end and text[sep_end] in " \t":
            sep_end += 1
        after_paren = sep_start > start and text[sep_start - 1] == ")"
        spaced = sep_start < dash.start() and (sep_end > dash.end() or sep_end == end)
        if after_paren or spaced:
            return sep_start, sep_end
    return None


def _opening_dateline(
    text: str, start: int, end: int, vocab: HeaderVocabulary
) -> tuple[_DatelineMatch, int] | None:
    """A dateline opening the paragraph ``text[start:end]``, and where the body starts."""
    sep = _find_separator(text, start, end)
    if sep is not None:
        found = _parse_fields(text, start, sep[0], vocab, own_line=False)
        if found is not None:
            return found, sep[1]
    # "PARIS (AFP) Le président..." without a dash: only an all-caps place, or a place with
    # a date ("New Delhi, May 10 (PTI) ..."), and a known agency, so that "Emmanuel Macron
    # (AFP) a dit" is not read as a dateline.
    paren = _PAREN.search(text, start, min(end, start + MAX_DATELINE_CHARS))
    if paren is not None and fold(paren.group(1)) in vocab.agencies:
        found = _parse_fields(text, start, paren.end(), vocab, own_line=False)
        place = found.dateline.place if found is not None else None
        if (
            found is not None
            and place is not None
            and (_is_all_caps(place.text) or found.date is not None)
        ):
            return found, paren.end()
    return _agency_dateline(text, start, end, vocab)


_AGENCY_AFTER_STOP = re.compile(r"\.\s*/?([A-Za-z]{2,15})/?\s*$")

# A known agency closing a dateline without parentheses or dash: "MOSCOW, February 15.
# /TASS/.", "Baku, April 12, APA.", "ASTANA. KAZINFORM –".
_AGENCY_TAIL = re.compile(r"\s*(?:/\s*)?([A-Z][A-Za-z]{1,14})(?:\s*/)?\s*(?:\.|--|[-–—])[ \t]*")


def _agency_dateline(
    text: str, start: int, end: int, vocab: HeaderVocabulary
) -> tuple[_DatelineMatch, int] | None:
    limit = min(end, start + MAX_DATELINE_CHARS)
    for sep in re.finditer(r"[,.]", text[start:limit]):
        at = start + sep.start()
        tail = _AGENCY_TAIL.match(text, at + 1, end)
        if tail is None or fold(tail.group(1)) not in vocab.agencies:
            continue
        found = _parse_fields(text, start, at, vocab, own_line=False)
        if found is None or found.dateline.place is None:
            return None
        if found.date is None and not _is_all_caps(found.dateline.place.text):
            return None
        dateline = Dateline(
            span=TextSpan.of(text, start, tail.end(1)),
            place=found.dateline.place,
            date_text=found.dateline.date_text,
            agency=vocab.agencies[fold(tail.group(1))],
        )
        return _DatelineMatch(dateline, found.date), tail.end()
    return None


# ---------------------------------------------------------------- the header


def _lines(text: str, limit: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the first ``limit`` non-blank lines, trimmed."""
    pos = 0
    n = len(text)
    count = 0
    while pos < n and count < limit:
        nl = text.find("\n", pos)
        stop = n if nl < 0 else nl
        s, e = pos, stop
        while s < e and text[s] in " \t":
            s += 1
        while e > s and text[e - 1] in " \t":
            e -= 1
        if s < e:
            count += 1
            yield s, e
        pos = stop + 1


def _is_rubric(line: str) -> bool:
    return (
        len(line) <= MAX_RUBRIC_CHARS
        and len(line.split()) <= MAX_RUBRIC_WORDS
        and _is_all_caps(line)
        and not line.endswith(tuple(_SENTENCE_END))
        and "(" not in line
    )


def _is_headline(line: str) -> bool:
    return (
        len(line) <= MAX_HEADLINE_CHARS
        and any(ch.isalpha() for ch in line)
        and not line.endswith(tuple(_SENTENCE_END))
    )


def _header(
    rubric: tuple[int, int] | None,
    headline: tuple[int, int] | None,
    found: _DatelineMatch | None,
    body_start: int,
    text: str,
) -> Header:
    date_found = found.date if found is not None else None
    return Header(
        rubric=None if rubric is None else TextSpan.of(text, *rubric),
        headline=None if headline is None else TextSpan.of(text, *headline),
        dateline=None if found is None else found.dateline,
        body_start=body_start,
        dateline_date=None if date_found is None else date_found.value,
        dateline_month=None if date_found is None else date_found.month,
        dateline_date_impossible=date_found is not None and date_found.impossible,
    )


def parse_header(text: str, vocab: HeaderVocabulary | None = None) -> Header:
    """Find rubric, headline and dateline in the first lines of ``text``."""
    vocab = vocab or load_header_vocabulary()
    lines = list(_lines(text, MAX_HEADER_LINES))
    if not lines:
        return Header()
    # 1. A dateline on its own line, after at most a rubric and a (sub-)headline.
    for index, (start, end) in enumerate(lines[: MAX_LINES_BEFORE_DATELINE + 1]):
        found = _own_line_dateline(text, start, end, vocab)
        if found is not None:
            before = lines[:index]
            rubric = before[0] if before and _is_rubric(text[slice(*before[0])]) else None
            rest = before[1:] if rubric is not None else before
            headline = rest[0] if rest else None
            body = lines[index + 1][0] if index + 1 < len(lines) else len(text)
            return _header(rubric, headline, found, body, text)
        if not _is_headline(text[start:end]):
            break  # a sentence: the body has begun
    # 2. Rubric, headline, then a first paragraph that may open with a dateline.
    index = 0
    rubric = None
    headline = None
    if len(lines) > 1 and _is_rubric(text[slice(*lines[0])]):
        rubric, index = lines[0], 1
    opening = _opening_dateline(text, *lines[index], vocab)
    if opening is None and index + 1 < len(lines) and _is_headline(text[slice(*lines[index])]):
        headline, index = lines[index], index + 1
        opening = _opening_dateline(text, *lines[index], vocab)
    if opening is None:
        return _header(rubric, headline, None, lines[index][0], text)
    found, body_start = opening
    return _header(rubric, headline, found, body_start, text)
