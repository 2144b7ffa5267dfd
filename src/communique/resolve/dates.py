"""Date expressions: find them in a sentence and resolve them against the publication date.

All words come from the language pack's ``dates.yaml`` (its schema is written at the top of
``langpacks/fr/dates.yaml``); this module only knows the *shapes* of date expressions:

* explicit dates: ``[det] [weekday] DAY MONTH [YEAR | qualifier | connector + year phrase]``
  (or MONTH DAY where the pack allows it), numeric dates (``14/05/2024``, ``2024-05-14``);
* months and seasons: ``[marker | part [connector]] [det] [qualifier] MONTH [year spec]``,
  which needs a marker, a qualifier or a year to count as a date ("en mai", "mai 2023");
* bare years after a marker ("en 2023", "fin 2023");
* weekdays with optional qualifiers and part of day ("mardi dernier", "ce lundi matin");
* relative days ("hier", "avant-hier soir") and unit phrases ("la semaine dernière",
  "l'an prochain", "en début de semaine", "le week-end dernier");
* counts ("il y a deux jours", "dans trois semaines") and ranges ("du 3 au 5 mars",
  "dans la nuit de mardi à mercredi").

Values follow ``DateRef``: "YYYY-MM-DD" (day), "YYYY-MM" (month), "YYYY" (year), and for a
week ("la semaine dernière", "cette semaine") the first day of that week, "YYYY-MM-DD", with
precision ``"week"``. A weekend resolves to its first day with precision ``"day"`` (scoring
tolerates one day). Expressions that need the publication date when there is none resolve
to ``value=None, precision=None`` (CODING.md, "Dates and other fields").

Matching works on ``communique.textfold.fold`` of the text, which has exactly the same length
(lower case, accents stripped, typographic apostrophes, dashes and spaces made plain), so
offsets found in the folded copy are offsets into the original.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, Literal, TypeVar

from communique.errors import DataFileError, UnknownLanguageError
from communique.model.refs import DateRef
from communique.model.span import TextSpan
from communique.textfold import fold

__all__ = [
    "DateMention",
    "DateVocab",
    "PhraseTable",
    "RangeRule",
    "find_dates",
    "load_date_vocab",
    "parse_date_text",
    "sentence_date",
]

Prefer = Literal["past", "future"]
V = TypeVar("V")

# ---------------------------------------------------------------------------------------
# Tunable numbers
# ---------------------------------------------------------------------------------------

# A day-month without a year is put in the year that brings it nearest to publication in the
# preferred direction, but a date up to this many days on the "wrong" side still counts:
# wire copy often names a date a few days ahead in a past-tense sentence ("reporté au 5
# décembre"), or the publication metadata lags the event by a day or two, while a date more
# than a week ahead in a past-tense sentence is far more often last year's.
YEAR_INFERENCE_TOLERANCE_DAYS = 7

# Years tried on each side of the published year when inferring one. Four, so that
# "29 février" always meets a leap year.
YEAR_SEARCH_RADIUS = 4

# A four-digit number right after a day-month ("29 novembre 2024") is read as its year in
# this range: the context already says "date", so history is allowed.
EXPLICIT_YEAR_MIN = 1000
EXPLICIT_YEAR_MAX = 2999

# A bare year needs a marker ("en 2023") and must fall in this narrower range, because
# "en 1500 exemplaires" is a quantity; modern news rarely dates events before 1800.
BARE_YEAR_MIN = 1800
BARE_YEAR_MAX = 2199

# Largest count accepted in "il y a N jours"/"dans N semaines": larger numbers are
# quantities, not time spans, and keep date arithmetic far from its limits.
MAX_COUNT = 1000

# A day of the month is written with at most two digits ("5", "05", "29").
MAX_DAY_DIGITS = 2

# Highest day number that can start an explicit date: anything above is an impossible date
# ("le 45 mars"), which is dropped rather than read as "mars".
MAX_DAY_OF_MONTH = 31

# A leap year, used to ask whether a day-month can exist in some year ("29 février" can,
# "31 février" cannot).
LEAP_YEAR = 2000

DAYS_PER_WEEK = 7
MONTHS_PER_YEAR = 12

# Length of a weekend in days, used to decide whether "ce week-end" said during a weekend
# is that weekend: Saturday and Sunday in every pack we ship.
WEEKEND_LENGTH_DAYS = 2

# Values a pack may use in its tables.
_QUALIFIERS = frozenset({"this", "last", "next"})
_PARTS = frozenset({"start", "middle", "end"})
_UNITS = frozenset({"day", "week", "weekend", "month", "year"})
_ORDERS = frozenset({"day-month", "month-day"})
_NUMERIC_ORDERS = frozenset({"dmy", "mdy"})
_TAKES = frozenset({"first", "last"})

_KNOWN_KEYS = frozenset(
    {
        "months",
        "weekdays",
        "seasons",
        "ordinal_suffixes",
        "day_words",
        "day_month_orders",
        "numeric_dates",
        "year_joiners",
        "determiners",
        "connectors",
        "year_markers",
        "month_markers",
        "period_parts",
        "qualifiers_before",
        "qualifiers_after",
        "relative_days",
        "parts_of_day",
        "units",
        "numbers",
        "ago",
        "ahead",
        "ranges",
        "blockers_after",
        "week_start",
        "weekend_start",
    }
)

_PHRASE_TOKEN = re.compile(r"\w+|[^\w\s]")
_DIGITS = re.compile(r"[0-9]+")
_ORDINAL = re.compile(r"([0-9]+)(\D+)")
_LANG_CODE = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")


# ---------------------------------------------------------------------------------------
# Folding and tokens
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tok:
    """One token of the folded text. ``kind``: word | num | ord | date | punct | other."""

    kind: str
    norm: str
    start: int
    end: int
    num: int | None = None  # value of num/ord tokens
    digits: int = 0  # number of digits of num/ord tokens
    ymd: tuple[int, int, int] | None = None  # date tokens


def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(m.group(0) for m in _PHRASE_TOKEN.finditer(fold(phrase)))


@dataclass(frozen=True, eq=False)
class PhraseTable(Generic[V]):
    """Phrases (as folded token tuples) and their values, indexed by first token."""

    by_first: Mapping[str, tuple[tuple[tuple[str, ...], V], ...]]

    def matches(self, toks: Sequence[_Tok], i: int) -> list[tuple[V, int]]:
        """Every phrase starting at token ``i``: (value, index after the phrase)."""
        if i >= len(toks):
            return []
        found: list[tuple[V, int]] = []
        for phrase, value in self.by_first.get(toks[i].norm, ()):
            end = i + len(phrase)
            if end <= len(toks) and all(
                toks[i + k].norm == phrase[k] for k in range(1, len(phrase))
            ):
                found.append((value, end))
        return found


@dataclass(frozen=True, slots=True)
class RangeRule:
    """``open A link B``; the range takes the ``first`` or ``last`` endpoint's date."""

    open: PhraseTable[str]
    link: PhraseTable[str]
    take: str


@dataclass(frozen=True, eq=False)
class DateVocab:
    """A language's date vocabulary, validated and indexed (see ``load_date_vocab``)."""

    lang: str
    source: str
    months: PhraseTable[int]
    weekdays: PhraseTable[int]
    seasons: PhraseTable[int]
    ordinal_suffixes: frozenset[str]
    day_words: PhraseTable[int]
    day_month_orders: tuple[str, ...]
    numeric_order: str
    numeric_separators: str
    year_joiners: PhraseTable[str]
    determiners: PhraseTable[str]
    connectors: PhraseTable[str]
    year_markers: PhraseTable[str]
    month_markers: PhraseTable[str]
    period_parts: PhraseTable[str]
    qualifiers_before: PhraseTable[str]
    qualifiers_after: PhraseTable[str]
    relative_days: PhraseTable[tuple[str, int]]
    parts_of_day: PhraseTable[str]
    units: PhraseTable[str]
    numbers: PhraseTable[int]
    ago_before: PhraseTable[str]
    ago_after: PhraseTable[str]
    ahead_before: PhraseTable[str]
    ahead_after: PhraseTable[str]
    ranges: tuple[RangeRule, ...]
    blockers_after: PhraseTable[str]
    week_start: int
    weekend_start: int
    token_re: re.Pattern[str]


def _tokenize(text: str, start: int, end: int, vocab: DateVocab) -> list[_Tok]:
    folded = fold(text[start:end])
    toks: list[_Tok] = []
    for m in vocab.token_re.finditer(folded):
        s, e = m.start() + start, m.end() + start
        word = m.group(0)
        if m.group("nd") is not None:
            ymd = _numeric_ymd(m.group("a"), m.group("b"), m.group("c"), vocab.numeric_order)
            toks.append(_Tok("date" if ymd else "other", word, s, e, ymd=ymd))
        elif m.group("w") is not None:
            toks.append(_word_token(word, s, e, vocab))
        else:
            toks.append(_Tok("punct", word, s, e))
    return toks


def _word_token(word: str, s: int, e: int, vocab: DateVocab) -> _Tok:
    if _DIGITS.fullmatch(word):
        return _Tok("num", word, s, e, num=int(word), digits=len(word))
    ordinal = _ORDINAL.fullmatch(word)
    if ordinal and ordinal.group(2) in vocab.ordinal_suffixes:
        digits = ordinal.group(1)
        return _Tok("ord", word, s, e, num=int(digits), digits=len(digits))
    if any(c.isdigit() for c in word):
        return _Tok("other", word, s, e)  # "cop29", "2e": never part of a date here
    return _Tok("word", word, s, e)


def _numeric_ymd(a: str, b: str, c: str, order: str) -> tuple[int, int, int] | None:
    if len(a) == 4 and len(c) <= MAX_DAY_DIGITS:
        y, m, d = int(a), int(b), int(c)
    elif len(c) == 4 and len(a) <= MAX_DAY_DIGITS:
        first, second = int(a), int(b)
        d, m = (first, second) if order == "dmy" else (second, first)
        y = int(c)
    else:
        return None
    if not EXPLICIT_YEAR_MIN <= y <= EXPLICIT_YEAR_MAX or not _valid_ymd(y, m, d):
        return None
    return (y, m, d)


def _valid_ymd(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------------------
# Loading and validation
# ---------------------------------------------------------------------------------------


def load_date_vocab(lang: str, pack_dir: Path | None = None) -> DateVocab:
    """Load and validate ``<pack>/dates.yaml``.

    ``pack_dir`` is a language pack directory holding ``dates.yaml``; a directory of packs
    holding ``<lang>/dates.yaml`` is accepted too. Without it, the pack shipped in
    ``communique.langpacks.<lang>`` is used. Raises ``DataFileError`` for an invalid file and
    ``UnknownLanguageError`` when there is no file for ``lang``.
    """
    if not _LANG_CODE.fullmatch(lang):
        raise UnknownLanguageError(
            f"not a language code: {lang!r}", hint="use an ISO 639 code such as 'fr'"
        )
    source: Path | Traversable
    if pack_dir is None:
        source = resources.files("communique.langpacks").joinpath(lang).joinpath("dates.yaml")
    elif (pack_dir / "dates.yaml").is_file():
        source = pack_dir / "dates.yaml"
    else:
        source = pack_dir / lang / "dates.yaml"
    where = str(source)
    if not source.is_file():
        raise UnknownLanguageError(
            f"no date vocabulary for language {lang!r}",
            where=where,
            hint=f"create {lang}/dates.yaml following the schema in langpacks/fr/dates.yaml",
        )
    import yaml  # only when a data file is read, not at import time

    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(
            f"cannot read date vocabulary: {exc}", where=where, hint="check the file"
        ) from exc
    except yaml.YAMLError as exc:
        raise DataFileError(
            f"invalid YAML: {exc}", where=where, hint="fix the YAML syntax"
        ) from exc
    return _build_vocab(lang, raw, where)


def _fail(where: str, key: str, message: str, hint: str) -> DataFileError:
    return DataFileError(message, where=f"{where} [{key}]", hint=hint)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _table(
    where: str,
    key: str,
    raw: object,
    *,
    lo: int | None = None,
    hi: int | None = None,
    allowed: frozenset[str] | None = None,
    with_phrase: bool = False,
) -> PhraseTable[Any]:
    """A phrase table from a mapping (phrase -> int or word) or a list (phrase -> itself)."""
    items: list[tuple[str, object]]
    if raw is None:
        items = []
    elif isinstance(raw, list):
        items = [(p, p) for p in raw]
    elif isinstance(raw, dict):
        items = list(raw.items())
    else:
        raise _fail(where, key, "must be a mapping or a list", "see the schema in dates.yaml")
    grouped: dict[str, list[tuple[tuple[str, ...], object]]] = {}
    seen: dict[tuple[str, ...], object] = {}
    for phrase, value in items:
        if not isinstance(phrase, str) or not phrase.strip():
            raise _fail(where, key, f"phrase {phrase!r} is not a non-empty string", "quote it")
        if allowed is not None and value not in allowed:
            raise _fail(
                where,
                f"{key}.{phrase}",
                f"value {value!r} is not one of {sorted(allowed)}",
                f"use one of {', '.join(sorted(allowed))}",
            )
        if lo is not None or hi is not None:
            if not _is_int(value):
                raise _fail(
                    where, f"{key}.{phrase}", f"{value!r} is not an integer", "use a number"
                )
            assert isinstance(value, int)
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                raise _fail(
                    where,
                    f"{key}.{phrase}",
                    f"{value} is out of range [{lo}, {hi}]",
                    f"use a number from {lo} to {hi}",
                )
        tokens = _phrase_tokens(phrase)
        if not tokens:
            raise _fail(where, key, f"phrase {phrase!r} has no letters or digits", "remove it")
        if tokens in seen:
            if seen[tokens] != value:
                raise _fail(
                    where,
                    f"{key}.{phrase}",
                    f"{phrase!r} folds to the same words as another entry with another value",
                    "keep one spelling or give both the same value",
                )
            continue
        seen[tokens] = value
        # Relative days keep their spelling, which names them in the explain trace.
        stored = (phrase, value) if with_phrase else value
        grouped.setdefault(tokens[0], []).append((tokens, stored))
    return PhraseTable(
        MappingProxyType(
            {
                first: tuple(sorted(entries, key=lambda e: -len(e[0])))
                for first, entries in grouped.items()
            }
        )
    )


def _str_list(where: str, key: str, raw: object) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
        raise _fail(where, key, "must be a list of non-empty strings", "see the schema")
    return list(raw)


def _mapping(where: str, key: str, raw: object) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(where, key, "must be a mapping", "see the schema in dates.yaml")
    return raw


def _day_index(where: str, key: str, raw: object, default: int) -> int:
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw < DAYS_PER_WEEK:
        raise _fail(where, key, f"{raw!r} is not a weekday number 0-6", "0 = Monday")
    return raw


def _build_vocab(lang: str, raw: object, where: str) -> DateVocab:
    if not isinstance(raw, dict):
        raise DataFileError(
            "the file must hold a mapping of keys", where=where, hint="see the schema comment"
        )
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise DataFileError(
            f"unknown key(s): {', '.join(sorted(map(str, unknown)))}",
            where=where,
            hint=f"known keys: {', '.join(sorted(_KNOWN_KEYS))}",
        )
    for required in ("months", "weekdays"):
        if not raw.get(required):
            raise _fail(where, required, "is missing or empty", f"list the {required}")
    months = _table(where, "months", raw["months"], lo=1, hi=MONTHS_PER_YEAR)
    _require_all(where, "months", raw["months"], range(1, MONTHS_PER_YEAR + 1))
    weekdays = _table(where, "weekdays", raw["weekdays"], lo=0, hi=DAYS_PER_WEEK - 1)
    _require_all(where, "weekdays", raw["weekdays"], range(DAYS_PER_WEEK))
    overlap = set(_phrase_set(months)) & set(_phrase_set(weekdays))
    if overlap:
        raise _fail(where, "weekdays", f"also month names: {sorted(overlap)}", "remove one")

    numeric = _mapping(where, "numeric_dates", raw.get("numeric_dates"))
    unknown_numeric = set(numeric) - {"order", "separators"}
    if unknown_numeric:
        raise _fail(
            where,
            "numeric_dates",
            f"unknown keys {sorted(unknown_numeric)}",
            "use order, separators",
        )
    order = numeric.get("order", "dmy")
    if order not in _NUMERIC_ORDERS:
        raise _fail(where, "numeric_dates.order", f"{order!r} unknown", "use dmy or mdy")
    separators = numeric.get("separators", "")
    if not isinstance(separators, str) or any(c.isalnum() or c.isspace() for c in separators):
        raise _fail(
            where, "numeric_dates.separators", "must be a string of punctuation", 'e.g. "/.-"'
        )

    orders = _str_list(where, "day_month_orders", raw.get("day_month_orders")) or ["day-month"]
    for o in orders:
        if o not in _ORDERS:
            raise _fail(where, "day_month_orders", f"{o!r} unknown", "use day-month or month-day")

    suffixes = _str_list(where, "ordinal_suffixes", raw.get("ordinal_suffixes"))
    ago = _mapping(where, "ago", raw.get("ago"))
    ahead = _mapping(where, "ahead", raw.get("ahead"))
    for key, block in (("ago", ago), ("ahead", ahead)):
        extra = set(block) - {"before", "after"}
        if extra:
            raise _fail(where, key, f"unknown keys {sorted(extra)}", "use before, after")

    return DateVocab(
        lang=lang,
        source=where,
        months=months,
        weekdays=weekdays,
        seasons=_table(where, "seasons", raw.get("seasons"), lo=1, hi=MONTHS_PER_YEAR),
        ordinal_suffixes=frozenset(fold(s) for s in suffixes),
        day_words=_table(where, "day_words", raw.get("day_words"), lo=1, hi=MAX_DAY_OF_MONTH),
        day_month_orders=tuple(orders),
        numeric_order=order,
        numeric_separators=separators,
        year_joiners=_list_table(where, "year_joiners", raw),
        determiners=_list_table(where, "determiners", raw),
        connectors=_list_table(where, "connectors", raw),
        year_markers=_list_table(where, "year_markers", raw),
        month_markers=_list_table(where, "month_markers", raw),
        period_parts=_table(where, "period_parts", raw.get("period_parts"), allowed=_PARTS),
        qualifiers_before=_table(
            where, "qualifiers_before", raw.get("qualifiers_before"), allowed=_QUALIFIERS
        ),
        qualifiers_after=_table(
            where, "qualifiers_after", raw.get("qualifiers_after"), allowed=_QUALIFIERS
        ),
        relative_days=_table(
            where,
            "relative_days",
            raw.get("relative_days"),
            lo=-MAX_COUNT,
            hi=MAX_COUNT,
            with_phrase=True,
        ),
        parts_of_day=_list_table(where, "parts_of_day", raw),
        units=_table(where, "units", raw.get("units"), allowed=_UNITS),
        numbers=_table(where, "numbers", raw.get("numbers"), lo=1, hi=MAX_COUNT),
        ago_before=_table(where, "ago.before", _str_list(where, "ago.before", ago.get("before"))),
        ago_after=_table(where, "ago.after", _str_list(where, "ago.after", ago.get("after"))),
        ahead_before=_table(
            where, "ahead.before", _str_list(where, "ahead.before", ahead.get("before"))
        ),
        ahead_after=_table(
            where, "ahead.after", _str_list(where, "ahead.after", ahead.get("after"))
        ),
        ranges=_ranges(where, raw.get("ranges")),
        blockers_after=_list_table(where, "blockers_after", raw),
        week_start=_day_index(where, "week_start", raw.get("week_start"), 0),
        weekend_start=_day_index(where, "weekend_start", raw.get("weekend_start"), 5),
        token_re=_token_regex(separators),
    )


def _list_table(where: str, key: str, raw: Mapping[str, Any]) -> PhraseTable[str]:
    return _table(where, key, _str_list(where, key, raw.get(key)))


def _phrase_set(table: PhraseTable[Any]) -> list[tuple[str, ...]]:
    return [phrase for entries in table.by_first.values() for phrase, _ in entries]


def _require_all(where: str, key: str, raw: dict[str, Any], needed: range) -> None:
    missing = sorted(set(needed) - set(raw.values()))
    if missing:
        raise _fail(
            where,
            key,
            f"no entry for {missing}",
            f"give every value {needed.start}-{needed.stop - 1}",
        )


def _ranges(where: str, raw: object) -> tuple[RangeRule, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(where, "ranges", "must be a list of {open, link, take}", "see the schema")
    rules: list[RangeRule] = []
    for n, entry in enumerate(raw):
        key = f"ranges[{n}]"
        if not isinstance(entry, dict) or set(entry) != {"open", "link", "take"}:
            raise _fail(where, key, "needs exactly open, link and take", "see the schema")
        if entry["take"] not in _TAKES:
            raise _fail(where, f"{key}.take", f"{entry['take']!r} unknown", "use first or last")
        rules.append(
            RangeRule(
                open=_table(where, f"{key}.open", _str_list(where, f"{key}.open", entry["open"])),
                link=_table(where, f"{key}.link", _str_list(where, f"{key}.link", entry["link"])),
                take=entry["take"],
            )
        )
    return tuple(rules)


def _token_regex(separators: str) -> re.Pattern[str]:
    numeric = ""
    if separators:
        sep = "[" + "".join(re.escape(c) for c in separators) + "]"
        numeric = (
            rf"(?P<nd>(?P<a>[0-9]{{1,4}})(?P<sep>{sep})(?P<b>[0-9]{{1,2}})(?P=sep)"
            rf"(?P<c>[0-9]{{1,4}}))(?![\w])|"
        )
    else:
        numeric = r"(?P<nd>(?P<a>(?!))(?P<b>)(?P<c>))|"
    return re.compile(numeric + r"(?P<w>\w+)|(?P<p>[^\w\s])")


# ---------------------------------------------------------------------------------------
# Public data
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in the text and what it resolves to.

    ``relative`` is true for deictic expressions whose meaning is fixed by the time of
    writing (hier, mardi, la semaine dernière, il y a deux jours), false for calendar dates
    (le 29 novembre, en mai, en 2023), even when their year had to be inferred.
    """

    span: TextSpan
    ref: DateRef
    relative: bool


# ---------------------------------------------------------------------------------------
# Resolution (pure functions of the parse and the publication date)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Res:
    value: str | None
    precision: str | None
    method: str
    relative: bool


@dataclass(frozen=True, slots=True)
class _YearSpec:
    """What follows a day-month or month: an explicit year, a qualifier or a year phrase."""

    kind: str  # year | qual | phrase
    year: int | None = None
    qual: str | None = None


# How many units a qualifier moves from the published date's week, month or year.
_SHIFT = MappingProxyType({"this": 0, "last": -1, "next": 1})


def _choose(cands: Sequence[int], pub: int, direction: str, tol: int) -> int | None:
    """Pick among ordinal candidates: past/future with tolerance, last/next strict, this
    nearest."""
    if direction == "past":
        pool = [c for c in cands if c <= pub + tol]
        return max(pool) if pool else None
    if direction == "future":
        pool = [c for c in cands if c >= pub - tol]
        return min(pool) if pool else None
    if direction == "last":
        pool = [c for c in cands if c < pub]
        return max(pool) if pool else None
    if direction == "next":
        pool = [c for c in cands if c > pub]
        return min(pool) if pool else None
    return min(cands, key=lambda c: (abs(c - pub), c)) if cands else None


def _years_around(pub: date, radius: int) -> range:
    return range(max(date.min.year, pub.year - radius), min(date.max.year, pub.year + radius) + 1)


def _year_str(year: int) -> str:
    """The year as four digits; ValueError outside the calendar (the expression is dropped)."""
    if not date.min.year <= year <= date.max.year:
        raise ValueError(f"year {year} outside the calendar")
    return f"{year:04d}"


def _ym(index: int) -> str:
    return f"{_year_str(index // MONTHS_PER_YEAR)}-{index % MONTHS_PER_YEAR + 1:02d}"


def _unresolved(method: str, relative: bool) -> _Res:
    return _Res(None, None, f"{method}:unresolved", relative)


def _year_of_phrase(qual: str, pub: date | None) -> int | None:
    if pub is None:
        return None
    return pub.year + _SHIFT[qual]


def _resolve_day_month(
    day: int, month: int, spec: _YearSpec | None, pub: date | None, prefer: str, base: str
) -> _Res | None:
    """None means an impossible date (dropped)."""
    if not _valid_ymd(LEAP_YEAR, month, day):
        return None
    if spec is not None and spec.kind == "year":
        assert spec.year is not None
        if not _valid_ymd(spec.year, month, day):
            return None
        return _Res(date(spec.year, month, day).isoformat(), "day", base, False)
    if spec is not None and spec.kind == "phrase":
        method = f"{base}+year-phrase:{spec.qual}"
        if spec.year is None:
            return _unresolved(method, False)
        if not _valid_ymd(spec.year, month, day):
            return None
        return _Res(date(spec.year, month, day).isoformat(), "day", method, False)
    direction = spec.qual if spec is not None and spec.qual else prefer
    method = f"{base}+year-inferred:{prefer}" if spec is None else f"{base}+year:{direction}"
    if pub is None:
        return _unresolved(method, False)
    cands = [
        date(y, month, day).toordinal()
        for y in _years_around(pub, YEAR_SEARCH_RADIUS)
        if _valid_ymd(y, month, day)
    ]
    chosen = _choose(cands, pub.toordinal(), direction, YEAR_INFERENCE_TOLERANCE_DAYS)
    if chosen is None:
        return _unresolved(method, False)
    return _Res(date.fromordinal(chosen).isoformat(), "day", method, False)


def _resolve_month(
    month: int,
    season: bool,
    spec: _YearSpec | None,
    qual: str | None,
    pub: date | None,
    prefer: str,
) -> _Res:
    base = "season" if season else "month"
    precision = "year" if season else "month"

    def fmt(year: int) -> str:
        return _year_str(year) if season else f"{_year_str(year)}-{month:02d}"

    if spec is not None and spec.kind == "year":
        assert spec.year is not None
        return _Res(fmt(spec.year), precision, base, False)
    if spec is not None and spec.kind == "phrase":
        method = f"{base}+year-phrase:{spec.qual}"
        if spec.year is None:
            return _unresolved(method, False)
        return _Res(fmt(spec.year), precision, method, False)
    if spec is not None and spec.qual:
        qual = spec.qual
    direction = qual or prefer
    method = f"{base}+year-inferred:{prefer}" if qual is None else f"{base}+year:{direction}"
    if pub is None:
        return _unresolved(method, False)
    cands = [y * MONTHS_PER_YEAR + month - 1 for y in _years_around(pub, 1)]
    chosen = _choose(cands, pub.year * MONTHS_PER_YEAR + pub.month - 1, direction, 0)
    if chosen is None:
        return _unresolved(method, False)
    return _Res(fmt(chosen // MONTHS_PER_YEAR), precision, method, False)


def _resolve_weekday(weekday: int, qual: str | None, pub: date | None, prefer: str) -> _Res:
    direction = prefer if qual in (None, "this") else qual
    assert direction is not None
    method = f"weekday:{direction}"
    if pub is None:
        return _unresolved(method, True)
    back = (pub.weekday() - weekday) % DAYS_PER_WEEK
    ahead = (weekday - pub.weekday()) % DAYS_PER_WEEK
    if direction == "past":
        day = pub - timedelta(days=back)
    elif direction == "future":
        day = pub + timedelta(days=ahead)
    elif direction == "last":
        day = pub - timedelta(days=back or DAYS_PER_WEEK)
    else:
        day = pub + timedelta(days=ahead or DAYS_PER_WEEK)
    return _Res(day.isoformat(), "day", method, True)


def _week_start(day: date, week_start: int) -> date:
    return day - timedelta(days=(day.weekday() - week_start) % DAYS_PER_WEEK)


def _resolve_unit(
    unit: str, qual: str, pub: date | None, prefer: str, vocab: DateVocab, part: str | None
) -> _Res:
    method = f"relative:{unit}:{qual}" + (f":{part}" if part else "")
    if pub is None:
        return _unresolved(method, True)
    shift = _SHIFT[qual]
    if unit == "week":
        monday = _week_start(pub, vocab.week_start) + timedelta(days=DAYS_PER_WEEK * shift)
        return _Res(monday.isoformat(), "week", method, True)
    if unit == "weekend":
        return _Res(_weekend(pub, qual, prefer, vocab).isoformat(), "day", method, True)
    if unit == "month":
        index = pub.year * MONTHS_PER_YEAR + pub.month - 1 + shift
        return _Res(_ym(index), "month", method, True)
    return _Res(_year_str(pub.year + shift), "year", method, True)


def _weekend(pub: date, qual: str, prefer: str, vocab: DateVocab) -> date:
    start = vocab.weekend_start
    if qual != "this":
        in_week = _week_start(pub, vocab.week_start)
        first = in_week + timedelta(days=(start - vocab.week_start) % DAYS_PER_WEEK)
        return first + timedelta(days=DAYS_PER_WEEK * _SHIFT[qual])
    since = (pub.weekday() - start) % DAYS_PER_WEEK
    if prefer == "past" or since < WEEKEND_LENGTH_DAYS:
        return pub - timedelta(days=since)
    return pub + timedelta(days=(start - pub.weekday()) % DAYS_PER_WEEK)


def _resolve_count(n: int, unit: str, sign: int, pub: date | None, vocab: DateVocab) -> _Res:
    method = f"{'ago' if sign < 0 else 'ahead'}:{n}:{unit}"
    if pub is None:
        return _unresolved(method, True)
    if unit == "day":
        return _Res((pub + timedelta(days=sign * n)).isoformat(), "day", method, True)
    if unit == "week":
        day = pub + timedelta(days=sign * n * DAYS_PER_WEEK)
        return _Res(_week_start(day, vocab.week_start).isoformat(), "week", method, True)
    if unit == "month":
        return _Res(
            _ym(pub.year * MONTHS_PER_YEAR + pub.month - 1 + sign * n), "month", method, True
        )
    return _Res(_year_str(pub.year + sign * n), "year", method, True)


# ---------------------------------------------------------------------------------------
# The scanner: grammar of date expressions over tokens
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hit:
    end: int  # token index after the expression
    res: _Res | None  # None: an impossible date, consumed and dropped


@dataclass(frozen=True, slots=True)
class _Endpoint:
    weekday: int | None = None
    day: int | None = None
    month: int | None = None
    spec: _YearSpec | None = None


class _Scanner:
    """Parses one token list. Holds only the inputs of one ``find_dates`` call."""

    def __init__(self, toks: list[_Tok], vocab: DateVocab, pub: date | None, prefer: str):
        self.toks = toks
        self.v = vocab
        self.pub = pub
        self.prefer = prefer

    # -- small slots ---------------------------------------------------------------

    def opt(self, table: PhraseTable[V], i: int) -> list[tuple[V | None, int]]:
        found: list[tuple[V | None, int]] = [(None, i)]
        found.extend(table.matches(self.toks, i))
        return found

    def days(self, i: int) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        if i < len(self.toks):
            t = self.toks[i]
            if t.kind in ("num", "ord") and t.num is not None and t.digits <= MAX_DAY_DIGITS:
                found.append((t.num, i + 1))
        found.extend(self.v.day_words.matches(self.toks, i))
        return found

    def year(self, i: int, lo: int, hi: int) -> int | None:
        if i < len(self.toks):
            t = self.toks[i]
            if t.kind == "num" and t.digits == 4 and t.num is not None and lo <= t.num <= hi:
                return t.num
        return None

    def intros(self, i: int, markers: PhraseTable[str]) -> list[tuple[str | None, int]]:
        """Optional marker, or a period part optionally followed by a connector."""
        found: list[tuple[str | None, int]] = [(None, i)]
        found.extend(("marker", j) for _, j in markers.matches(self.toks, i))
        for part, j in self.v.period_parts.matches(self.toks, i):
            found.extend((f"part:{part}", k) for _, k in self.opt(self.v.connectors, j))
        return found

    def unit_phrases(self, i: int) -> list[tuple[str, str | None, int]]:
        """``[det] [qualifier] UNIT [qualifier]``: (unit, qualifier or None, end)."""
        found: list[tuple[str, str | None, int]] = []
        for _, a in self.opt(self.v.determiners, i):
            for pre, b in self.opt(self.v.qualifiers_before, a):
                for unit, c in self.v.units.matches(self.toks, b):
                    for post, d in self.opt(self.v.qualifiers_after, c):
                        found.append((unit, post or pre, d))
        return found

    def year_specs(self, i: int) -> list[tuple[_YearSpec | None, int]]:
        found: list[tuple[_YearSpec | None, int]] = [(None, i)]
        for _, j in self.opt(self.v.year_joiners, i):
            y = self.year(j, EXPLICIT_YEAR_MIN, EXPLICIT_YEAR_MAX)
            if y is not None:
                found.append((_YearSpec("year", year=y), j + 1))
        for qual, j in self.v.qualifiers_after.matches(self.toks, i):
            found.append((_YearSpec("qual", qual=qual), j))
        for _, j in self.opt(self.v.connectors, i):
            for unit, phrase_qual, k in self.unit_phrases(j):
                if unit == "year" and phrase_qual is not None:
                    year = _year_of_phrase(phrase_qual, self.pub)
                    found.append((_YearSpec("phrase", year=year, qual=phrase_qual), k))
        return found

    # -- constructions -------------------------------------------------------------

    def explicit(self, i: int) -> _Hit | None:
        best: tuple[int, tuple[Any, ...]] | None = None

        def keep(end: int, parse: tuple[Any, ...]) -> None:
            nonlocal best
            if best is None or end > best[0]:
                best = (end, parse)

        for _, a in self.opt(self.v.determiners, i):
            for _, b in self.opt(self.v.weekdays, a):
                if b < len(self.toks) and self.toks[b].kind == "date":
                    keep(b + 1, ("numeric", self.toks[b].ymd))
                for order in self.v.day_month_orders:
                    for day, month, c in self.day_months(b, order):
                        for spec, d in self.year_specs(c):
                            keep(d, ("dm", day, month, spec))
        if best is None:
            return None
        end, parse = best
        if parse[0] == "numeric":
            y, m, d = parse[1]
            return _Hit(end, _Res(date(y, m, d).isoformat(), "day", "explicit:numeric", False))
        _, day, month, spec = parse
        return _Hit(end, _resolve_day_month(day, month, spec, self.pub, self.prefer, "explicit"))

    def day_months(self, i: int, order: str) -> list[tuple[int, int, int]]:
        found: list[tuple[int, int, int]] = []
        if order == "day-month":
            for day, j in self.days(i):
                for month, k in self.v.months.matches(self.toks, j):
                    found.append((day, month, k))
        else:
            for month, j in self.v.months.matches(self.toks, i):
                for day, k in self.days(j):
                    if 1 <= day <= MAX_DAY_OF_MONTH:
                        found.append((day, month, k))
        return found

    def month(self, i: int) -> _Hit | None:
        best: tuple[int, int, bool, _YearSpec | None, str | None] | None = None
        for intro, a in self.intros(i, self.v.month_markers):
            for _, b in self.opt(self.v.determiners, a):
                for pre, c in self.opt(self.v.qualifiers_before, b):
                    names = [(m, j, False) for m, j in self.v.months.matches(self.toks, c)]
                    names += [(m, j, True) for m, j in self.v.seasons.matches(self.toks, c)]
                    for month, d, season in names:
                        for spec, e in self.year_specs(d):
                            if intro is None and pre is None and spec is None:
                                continue
                            if best is None or e > best[0]:
                                best = (e, month, season, spec, pre)
        if best is None:
            return None
        end, month, season, spec, pre = best
        return _Hit(end, _resolve_month(month, season, spec, pre, self.pub, self.prefer))

    def bare_year(self, i: int) -> _Hit | None:
        for intro, a in sorted(self.intros(i, self.v.year_markers), key=lambda x: -x[1]):
            if intro is None:
                continue
            y = self.year(a, BARE_YEAR_MIN, BARE_YEAR_MAX)
            if y is not None:
                return _Hit(a + 1, _Res(f"{y:04d}", "year", "year", False))
        return None

    def weekday(self, i: int) -> _Hit | None:
        best: tuple[int, int, str | None] | None = None
        for pre, a in self.opt(self.v.qualifiers_before, i):
            for wd, b in self.v.weekdays.matches(self.toks, a):
                for post, c in self.tails(b):
                    if best is None or c > best[0]:
                        best = (c, wd, post or pre)
        if best is None:
            return None
        end, wd, qual = best
        return _Hit(end, _resolve_weekday(wd, qual, self.pub, self.prefer))

    def tails(self, i: int) -> list[tuple[str | None, int]]:
        """Optional part of day and optional qualifier, in either order."""
        found: list[tuple[str | None, int]] = []
        for _, a in self.opt(self.v.parts_of_day, i):
            found.extend((qual, b) for qual, b in self.opt(self.v.qualifiers_after, a))
        for qual, a in self.v.qualifiers_after.matches(self.toks, i):
            found.extend((qual, b) for _, b in self.v.parts_of_day.matches(self.toks, a))
        return found

    def relative_day(self, i: int) -> _Hit | None:
        best: tuple[int, str, int] | None = None
        for (name, offset), a in self.v.relative_days.matches(self.toks, i):
            for _, b in self.opt(self.v.parts_of_day, a):
                if best is None or b > best[0]:
                    best = (b, name, offset)
        if best is None:
            return None
        end, name, offset = best
        method = f"relative:{name}"
        if self.pub is None:
            return _Hit(end, _unresolved(method, True))
        day = self.pub + timedelta(days=offset)
        return _Hit(end, _Res(day.isoformat(), "day", method, True))

    def unit(self, i: int) -> _Hit | None:
        best: tuple[int, str, str, str | None] | None = None
        for intro, a in self.intros(i, _EMPTY_TABLE):
            for unit, qual, b in self.unit_phrases(a):
                if unit == "day" or (intro is None and qual is None):
                    continue
                if best is None or b > best[0]:
                    part = intro.split(":", 1)[1] if intro else None
                    best = (b, unit, qual or "this", part)
        if best is None:
            return None
        end, unit, qual, part = best
        return _Hit(end, _resolve_unit(unit, qual, self.pub, self.prefer, self.v, part))

    def count(self, i: int) -> _Hit | None:
        v = self.v
        leads = [(0, i)] + [(-1, j) for _, j in v.ago_before.matches(self.toks, i)]
        leads += [(1, j) for _, j in v.ahead_before.matches(self.toks, i)]
        best: tuple[int, int, str, int] | None = None
        for lead, a in leads:
            for n, b in self.counts(a):
                for unit, c in v.units.matches(self.toks, b):
                    if unit == "weekend":
                        continue
                    trails = [(-1, j) for _, j in v.ago_after.matches(self.toks, c)]
                    trails += [(1, j) for _, j in v.ahead_after.matches(self.toks, c)]
                    for trail, d in [(0, c), *trails]:
                        if (lead == 0) == (trail == 0):
                            continue
                        if best is None or d > best[0]:
                            best = (d, n, unit, lead or trail)
        if best is None:
            return None
        end, n, unit, sign = best
        try:
            return _Hit(end, _resolve_count(n, unit, sign, self.pub, v))
        except (OverflowError, ValueError):
            return _Hit(end, _unresolved(f"count:{n}:{unit}", True))

    def counts(self, i: int) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        if i < len(self.toks):
            t = self.toks[i]
            if t.kind == "num" and t.num is not None and 1 <= t.num <= MAX_COUNT:
                found.append((t.num, i + 1))
        found.extend(self.v.numbers.matches(self.toks, i))
        return found

    def endpoints(self, i: int, need_month: bool) -> list[tuple[_Endpoint, int]]:
        found: list[tuple[_Endpoint, int]] = []
        for _, a in self.opt(self.v.determiners, i):
            for wd, b in self.v.weekdays.matches(self.toks, a):
                found.extend(
                    (_Endpoint(weekday=wd), c) for _, c in self.opt(self.v.parts_of_day, b)
                )
            if not need_month:
                found.extend((_Endpoint(day=day), b) for day, b in self.days(a))
            for order in self.v.day_month_orders:
                for day, month, b in self.day_months(a, order):
                    for spec, c in self.year_specs(b):
                        found.append((_Endpoint(day=day, month=month, spec=spec), c))
        return found

    def range(self, i: int) -> _Hit | None:
        best: tuple[int, RangeRule, _Endpoint, _Endpoint] | None = None
        for rule in self.v.ranges:
            for _, a in rule.open.matches(self.toks, i):
                for first, b in self.endpoints(a, need_month=False):
                    for _, c in rule.link.matches(self.toks, b):
                        for last, d in self.endpoints(c, need_month=first.month is None):
                            if (first.weekday is None) != (last.weekday is None):
                                continue
                            if best is None or d > best[0]:
                                best = (d, rule, first, last)
        if best is None:
            return None
        end, rule, first, last = best
        return _Hit(end, self.resolve_range(rule.take, first, last))

    def resolve_range(self, take: str, first: _Endpoint, last: _Endpoint) -> _Res | None:
        prefix = f"range:{take}+"
        if first.weekday is not None and last.weekday is not None:
            wd = first.weekday if take == "first" else last.weekday
            res = _resolve_weekday(wd, None, self.pub, self.prefer)
            return _Res(res.value, res.precision, prefix + res.method, True)
        if first.day is None or last.day is None:
            return None
        if last.month is None:
            # "du 3 mars au 5", "from March 3 to 5": the last day borrows the first's month
            if first.month is None:
                return None
            last = _Endpoint(last.weekday, last.day, first.month, last.spec or first.spec)
        assert last.month is not None and last.day is not None
        end = _resolve_day_month(last.day, last.month, last.spec, self.pub, self.prefer, "explicit")
        if end is None:
            return None
        if first.month is not None:
            start = _resolve_day_month(
                first.day, first.month, first.spec or last.spec, self.pub, self.prefer, "explicit"
            )
            if start is None:
                return None
            if first.spec is None and end.value is not None:
                # The first endpoint's year follows the last one's: "du 28 décembre au 2 janvier".
                last_day = date.fromisoformat(end.value)
                year = (
                    last_day.year
                    if (first.month, first.day) <= (last.month, last.day)
                    else last_day.year - 1
                )
                if not _valid_ymd(year, first.month, first.day):
                    return None
                start = _Res(
                    date(year, first.month, first.day).isoformat(), "day", end.method, False
                )
        else:
            start = self.day_before_end(first.day, last, end)
            if start is None:
                return None
        chosen = start if take == "first" else end
        return _Res(chosen.value, chosen.precision, prefix + chosen.method, False)

    def day_before_end(self, day: int, last: _Endpoint, end: _Res) -> _Res | None:
        """ "du 3 au 5 mars": the first day borrows the last one's month (or the month before
        it when its number is larger, "du 28 au 2 mars")."""
        assert last.month is not None and last.day is not None
        if not 1 <= day <= MAX_DAY_OF_MONTH:
            return None
        if end.value is None:
            return end
        last_day = date.fromisoformat(end.value)
        year, month = last_day.year, last_day.month
        if day > last.day:
            index = year * MONTHS_PER_YEAR + month - 2
            year, month = index // MONTHS_PER_YEAR, index % MONTHS_PER_YEAR + 1
        if not _valid_ymd(year, month, day):
            return None
        return _Res(date(year, month, day).isoformat(), "day", end.method, False)

    # -- driver --------------------------------------------------------------------

    def hits(self) -> list[tuple[int, int, _Res]]:
        constructions = (
            self.range,
            self.explicit,
            self.count,
            self.unit,
            self.month,
            self.bare_year,
            self.weekday,
            self.relative_day,
        )
        found: list[tuple[int, int, _Res]] = []
        i = 0
        while i < len(self.toks):
            best: _Hit | None = None
            for construction in constructions:
                try:
                    hit = construction(i)
                except (OverflowError, ValueError):  # date arithmetic at the calendar's edge
                    hit = _Hit(i + 1, None)
                if hit is not None and (best is None or hit.end > best.end):
                    best = hit
            if best is None:
                i += 1
                continue
            blocked = self.v.blockers_after.matches(self.toks, best.end)
            if blocked:
                i = max(j for _, j in blocked)
                continue
            if best.res is not None:
                found.append((i, best.end, best.res))
            i = best.end
        return found


_EMPTY_TABLE: PhraseTable[str] = PhraseTable(MappingProxyType({}))


# ---------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------


def find_dates(
    text: str,
    start: int,
    end: int,
    published: date | None,
    vocab: DateVocab,
    prefer: Prefer = "past",
) -> list[DateMention]:
    """Date expressions in ``text[start:end]``, resolved against ``published``.

    Spans are absolute offsets into ``text``. ``prefer`` is the direction to look when the
    text leaves it open: "past" for past-tense sentences ("mardi" = the last Tuesday on or
    before publication), "future" for future ones. Qualifiers in the text ("dernier",
    "prochain") override it. Bounds outside the text are clamped; nothing here raises on
    odd text: impossible dates ("31 février") are simply not returned.
    """
    if prefer not in ("past", "future"):
        raise ValueError(f"prefer must be 'past' or 'future', not {prefer!r}")
    if isinstance(published, datetime):
        published = published.date()
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    if start == end:
        return []
    toks = _tokenize(text, start, end, vocab)
    mentions: list[DateMention] = []
    for first, last, res in _Scanner(toks, vocab, published, prefer).hits():
        span = TextSpan.of(text, toks[first].start, toks[last - 1].end)
        ref = DateRef(res.value, res.precision, res.method, span)
        mentions.append(DateMention(span, ref, res.relative))
    return mentions


def parse_date_text(s: str, vocab: DateVocab, published: date | None = None) -> DateRef | None:
    """The first date expression of a short string (a dateline's "29 novembre", "3 fév.",
    "14/05/2024"), resolved looking back from ``published``.

    None when the string holds no date expression; a ``DateRef`` with ``value=None`` when it
    holds one whose year cannot be fixed (no year in the text and no ``published``).
    """
    mentions = find_dates(s, 0, len(s), published, vocab, prefer="past")
    return mentions[0].ref if mentions else None


def sentence_date(
    mentions: Sequence[DateMention], published: date | None, *, anchor: int | None = None
) -> DateRef:
    """The date an event in a sentence takes (CODING.md, "Dates and other fields").

    The first mention (by position) that resolved to a value; with ``anchor`` (an offset,
    e.g. the trigger's), the resolved mention nearest to it instead. Mentions that could not
    be resolved count only when none could (then the value is None, as the year is unknown).
    Without mentions, the published date (method "published"), or None if there is none.
    """
    resolved = [m for m in mentions if m.ref.value is not None]
    pool = resolved or list(mentions)
    if pool:
        if anchor is None:
            return min(pool, key=lambda m: m.span.start).ref
        return min(pool, key=lambda m: (_distance(m.span, anchor), m.span.start)).ref
    if published is None:
        return DateRef(None, None, "published:unknown")
    if isinstance(published, datetime):
        published = published.date()
    return DateRef(published.isoformat(), "day", "published")


def _distance(span: TextSpan, offset: int) -> int:
    if offset < span.start:
        return span.start - offset
    if offset >= span.end:
        return offset - span.end + 1
    return 0
