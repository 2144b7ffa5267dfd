"""Typed event filters shared by the CLI, the HTTP API and the web UI.

``EventFilter.parse`` turns user strings into a validated filter (or raises ``QueryError``
with a fix); ``to_sql`` turns a filter into parameterised SQL over the store's ``events``
table: values only ever travel as parameters, never inside the SQL text.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from communique.errors import CommuniqueError
from communique.model import plover
from communique.store.base import ROW_COLUMNS


class QueryError(CommuniqueError):
    """A filter value is invalid (bad country code, dyad, type, date, limit...)."""

    code = "C600"


# The sixteen PLOVER event types; kept under this name for callers of communique.query.
PLOVER_TYPES: frozenset[str] = frozenset(plover.PLOVER_TYPES)

# Actor keys that are not three letters (three-letter keys, ISO alpha-3 countries and
# CAMEO-style org/region codes such as UNO, EUR, CAS, WST, are accepted by shape). Callers
# with a knowledge base pass its own codes to ``EventFilter.parse(orgs=...)``.
DEFAULT_ORG_CODES: frozenset[str] = frozenset(
    {
        "AU",
        "NATO",
        "ASEAN",
        "OSCE",
        "CSTO",
        "EAEU",
        "OPEC",
        "ECOWAS",
        "BRICS",
        "SADC",
        "IGAD",
        "IAEA",
        "UNHCR",
        "UNICEF",
        "ICRC",
        "MSF",
        "G7",
        "G20",
    }
)

# Longest article id accepted in a filter: ids are content hashes (17 chars) or ids from
# the input; 512 leaves room for URLs used as ids while rejecting pasted documents.
MAX_ARTICLE_ID_CHARS = 512

# Largest limit/offset: the SQL engines take them as signed 64-bit integers.
MAX_PAGE_VALUE = 2**63 - 1

_COUNTRY = re.compile(r"[A-Z]{3}")
# What any actor key looks like (country, org or region code); checked on construction.
_KEY_SHAPE = re.compile(r"[A-Z][A-Z0-9]{1,9}")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHERE = "communique/query.py"


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which event rows to return. Every field is optional; all given ones must hold.

    * ``country``: source key or target key equals it (key = country, else org).
    * ``dyad``: an unordered pair of keys; matches source A and target B or the reverse.
      Stored sorted, so ("JPN", "AZE") and ("AZE", "JPN") are the same filter.
    * ``type``: PLOVER type.
    * ``since``/``until``: the period covered by the event's date ("2024-11" covers the
      whole month) overlaps [since, until]; events without a date never match.
    * ``article_id``: rows of one article.
    * ``limit``/``offset``: paging over the ordered rows (date, article id, evidence start).

    Construction validates (``QueryError``); ``parse`` also accepts strings.
    """

    country: str | None = None
    dyad: tuple[str, str] | None = None
    type: str | None = None
    since: date | None = None
    until: date | None = None
    article_id: str | None = None
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        if self.country is not None:
            _check_key_shape(self.country, "country")
        if self.dyad is not None:
            if len(self.dyad) != 2:
                raise QueryError(
                    f"a dyad is two actor keys, got {self.dyad!r}",
                    where=_WHERE,
                    hint='give two keys, e.g. "AZE-JPN"',
                )
            for key in self.dyad:
                _check_key_shape(key, "dyad")
            object.__setattr__(self, "dyad", tuple(sorted(self.dyad)))
        if self.type is not None and self.type not in PLOVER_TYPES:
            raise QueryError(
                f"unknown event type {self.type!r}",
                where=_WHERE,
                hint=f"use one of {', '.join(sorted(PLOVER_TYPES))}",
            )
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, date):
                raise QueryError(
                    f"{name} must be a date, got {value!r}",
                    where=_WHERE,
                    hint="give the date as YYYY-MM-DD",
                )
        if self.since is not None and self.until is not None and self.since > self.until:
            raise QueryError(
                f"since ({self.since}) is after until ({self.until})",
                where=_WHERE,
                hint="swap the two dates",
            )
        if self.article_id is not None and not (
            isinstance(self.article_id, str) and 0 < len(self.article_id) <= MAX_ARTICLE_ID_CHARS
        ):
            raise QueryError(
                "article id must be a non-empty string of at most "
                f"{MAX_ARTICLE_ID_CHARS} characters",
                where=_WHERE,
                hint="copy the article_id field of an event row",
            )
        if self.limit is not None and not _is_page_value(self.limit):
            raise QueryError(
                f"limit must be a whole number >= 0, got {self.limit!r}",
                where=_WHERE,
                hint="omit the limit to get every row",
            )
        if not _is_page_value(self.offset):
            raise QueryError(
                f"offset must be a whole number >= 0, got {self.offset!r}",
                where=_WHERE,
                hint="use 0 for the first page",
            )

    @classmethod
    def parse(
        cls,
        *,
        country: str | None = None,
        dyad: str | Sequence[str] | None = None,
        type: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        article_id: str | None = None,
        limit: int | str | None = None,
        offset: int | str | None = None,
        orgs: Collection[str] | None = None,
    ) -> EventFilter:
        """Build a filter from user input (CLI options, query-string values).

        Codes are case-insensitive ("aze" is "AZE") and must be ISO alpha-3 country codes
        or codes in ``orgs`` (default ``DEFAULT_ORG_CODES``); a dyad is "AZE-JPN" or a
        pair; dates are YYYY-MM-DD. Empty strings count as not given. Raises ``QueryError``.
        """
        known = DEFAULT_ORG_CODES if orgs is None else frozenset(o.upper() for o in orgs)
        country_key = _upper(country)
        if country_key is not None:
            _check_known_key(country_key, known, "country")
        dyad_keys = _parse_dyad(dyad)
        for key in dyad_keys or ():
            _check_known_key(key, known, "dyad")
        return cls(
            country=country_key,
            dyad=dyad_keys,
            type=_upper(type),
            since=_parse_day(since, "since"),
            until=_parse_day(until, "until"),
            article_id=article_id or None,
            limit=_parse_int(limit, "limit"),
            offset=_parse_int(offset, "offset") or 0,
        )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_page_value(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_PAGE_VALUE


def _check_key_shape(key: object, what: str) -> None:
    if isinstance(key, str) and _KEY_SHAPE.fullmatch(key):
        return
    raise QueryError(
        f"{what}: {key!r} is not an actor key (upper-case country or org code)",
        where=_WHERE,
        hint="use a code such as AZE, JPN, UNO, EUR or NATO",
    )


def _check_known_key(key: str, orgs: frozenset[str], what: str) -> None:
    if _COUNTRY.fullmatch(key) or key in orgs:
        return
    raise QueryError(
        f"{what}: {key!r} is neither an ISO alpha-3 country code nor a known org code",
        where=_WHERE,
        hint="use a code such as AZE, JPN, UNO, EUR or NATO",
    )


def _upper(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value.upper() if value else None


def _parse_dyad(value: str | Sequence[str] | None) -> tuple[str, str] | None:
    if value is None or value == "":
        return None
    parts = value.split("-") if isinstance(value, str) else list(value)
    if len(parts) != 2 or not all(isinstance(p, str) and p.strip() for p in parts):
        raise QueryError(
            f"dyad {value!r} is not two actor keys",
            where=_WHERE,
            hint='write the dyad as two codes joined by "-", e.g. AZE-JPN',
        )
    return parts[0].strip().upper(), parts[1].strip().upper()


def _parse_day(value: str | date | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and _ISO_DAY.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise QueryError(
        f"{name}: {value!r} is not a date",
        where=_WHERE,
        hint="give the date as YYYY-MM-DD, e.g. 2024-11-29",
    )


def _parse_int(value: int | str | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    if _is_int(value):
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    raise QueryError(
        f"{name}: {value!r} is not a whole number >= 0",
        where=_WHERE,
        hint=f"give {name} as digits, e.g. 100",
    )


def _quote(column: str) -> str:
    return f'"{column}"'


# Row order of every query: chronological (ISO strings sort by time; a coarser date such as
# "2024-11" sorts before the days of that month), then by article and position in it.
ORDER_BY = 'ORDER BY "date" ASC NULLS LAST, article_id, evidence_start, row_index'


def where_sql(flt: EventFilter) -> tuple[str, list[Any]]:
    """The WHERE clause (possibly empty) of ``flt`` and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if flt.country is not None:
        clauses.append("(source_key = ? OR target_key = ?)")
        params += [flt.country, flt.country]
    if flt.dyad is not None:
        a, b = flt.dyad
        clauses.append(
            "((source_key = ? AND target_key = ?) OR (source_key = ? AND target_key = ?))"
        )
        params += [a, b, b, a]
    if flt.type is not None:
        clauses.append('"type" = ?')
        params.append(flt.type)
    if flt.since is not None:
        clauses.append("date_hi >= ?")
        params.append(flt.since)
    if flt.until is not None:
        clauses.append("date_lo <= ?")
        params.append(flt.until)
    if flt.article_id is not None:
        clauses.append("article_id = ?")
        params.append(flt.article_id)
    if not clauses:
        return "", params
    return "WHERE " + " AND ".join(clauses), params


def to_sql(flt: EventFilter) -> tuple[str, list[Any]]:
    """Parameterised SELECT of the dyadic-row columns (``store.base.ROW_COLUMNS``, in that
    order) of the events matching ``flt``, ordered and paged."""
    where, params = where_sql(flt)
    columns = ", ".join(_quote(c) for c in ROW_COLUMNS)
    sql = f"SELECT {columns} FROM events {where} {ORDER_BY}"
    if flt.limit is not None:
        sql += " LIMIT ?"
        params.append(flt.limit)
    sql += " OFFSET ?"
    params.append(flt.offset)
    return sql, params


def count_sql(flt: EventFilter) -> tuple[str, list[Any]]:
    """Parameterised count of the rows matching ``flt`` (limit and offset ignored)."""
    where, params = where_sql(flt)
    return f"SELECT count(*) FROM events {where}", params


def find_events(store_path: Path | str, flt: EventFilter) -> list[dict[str, Any]]:
    """Open the store read-only and return the rows matching ``flt`` (the CLI's one call)."""
    from communique.store import open_store

    with open_store(store_path, read_only=True) as store:
        return store.events(flt)


# ---------------------------------------------------------------------------------------
# Pages, text search and aggregates (the HTTP API's queries; additive to the above)
# ---------------------------------------------------------------------------------------

# Longest free-text query over evidence: evidence is a sentence (a few hundred characters);
# a longer query can never match one and is more likely a pasted document than a search.
MAX_TEXT_QUERY_CHARS = 200

# Longest page cursor accepted: an encoded position is under 100 characters plus the
# article id (at most MAX_ARTICLE_ID_CHARS), base64 adds a third.
MAX_CURSOR_CHARS = 2 * MAX_ARTICLE_ID_CHARS + 200

_MONTH = re.compile(r"\d{4}-\d{2}")
_CURSOR_VERSION = "c1"


class CursorError(QueryError):
    """A page cursor is not one this API handed out (truncated, edited, from elsewhere)."""

    code = "C601"


def parse_bound(value: str | date | None, name: str, *, end: bool = False) -> date | None:
    """A since/until value: "YYYY-MM-DD", or "YYYY-MM" meaning the month's first day
    (``end=False``, for since) or its last day (``end=True``, for until). Empty: None.
    Raises ``QueryError``."""
    if isinstance(value, date):
        return value
    if value is None or value == "":
        return None
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and _MONTH.fullmatch(text):
        year, month = int(text[:4]), int(text[5:])
        if 1 <= month <= 12 and year >= 1:
            day = calendar.monthrange(year, month)[1] if end else 1
            return date(year, month, day)
    if isinstance(text, str) and _ISO_DAY.fullmatch(text):
        return _parse_day(text, name)
    raise QueryError(
        f"{name}: {value!r} is not a date",
        where=_WHERE,
        hint="give the date as YYYY-MM-DD (e.g. 2024-11-29) or a month as YYYY-MM",
    )


@dataclass(frozen=True, slots=True)
class RowPosition:
    """Where a row sits in ``ORDER_BY`` order: the keys of that order. (article_id,
    row_index) is unique, so a position names exactly one row and paging after it is
    stable: rows stored later never shift or repeat the rows of later pages."""

    date: str | None
    article_id: str
    evidence_start: int
    row_index: int

    def encode(self) -> str:
        """An opaque, URL-safe token for this position."""
        raw = json.dumps(
            [_CURSOR_VERSION, self.date, self.article_id, self.evidence_start, self.row_index],
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, token: str) -> RowPosition:
        """The position of a token made by ``encode``; ``CursorError`` for anything else."""

        def bad(why: str) -> CursorError:
            return CursorError(
                f"cursor is not valid ({why})",
                where=_WHERE,
                hint="pass the next_cursor of the previous page unchanged, or omit cursor "
                "to start from the first page",
            )

        if not isinstance(token, str) or not token or len(token) > MAX_CURSOR_CHARS:
            raise bad("empty or too long")
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise bad("not an encoded position") from None
        if not (isinstance(data, list) and len(data) == 5 and data[0] == _CURSOR_VERSION):
            raise bad("unknown layout")
        _, day, article_id, start, index = data
        if not (
            (day is None or isinstance(day, str))
            and isinstance(article_id, str)
            and article_id
            and _is_int(start)
            and _is_int(index)
            and abs(start) < 2**31
            and abs(index) < 2**31
        ):
            raise bad("wrong field types")
        return cls(day, article_id, start, index)


@dataclass(frozen=True, slots=True)
class EventSearch:
    """One page of event rows: the rows matching ``filter`` (its limit and offset are
    ignored) whose evidence contains ``text`` (case-insensitive, taken literally: ``%``
    and ``_`` are not wildcards), after ``after`` in ``ORDER_BY`` order, at most
    ``limit`` of them."""

    filter: EventFilter = EventFilter()
    text: str | None = None
    after: RowPosition | None = None
    limit: int = 50

    def __post_init__(self) -> None:
        if self.text is not None and (
            not isinstance(self.text, str) or len(self.text) > MAX_TEXT_QUERY_CHARS
        ):
            raise QueryError(
                f"text query must be at most {MAX_TEXT_QUERY_CHARS} characters",
                where=_WHERE,
                hint="search for a shorter phrase (a name or a few words of the sentence)",
            )
        if not (_is_int(self.limit) and 1 <= self.limit <= MAX_PAGE_VALUE - 1):
            raise QueryError(
                f"limit must be a whole number >= 1, got {self.limit!r}",
                where=_WHERE,
                hint="give limit as digits, e.g. 50",
            )


def like_pattern(text: str) -> str:
    """``%text%`` for ``LIKE ... ESCAPE '\\'`` with the text's own ``\\``, ``%`` and ``_``
    escaped, so that they match themselves."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# The columns of RowPosition, selected after the row columns by search_sql.
POSITION_COLUMNS = ("date", "article_id", "evidence_start", "row_index")


def _after_sql(pos: RowPosition) -> tuple[str, list[Any]]:
    """Rows strictly after ``pos`` in ORDER_BY order (date ascending, NULLs last)."""
    rest = (
        "(article_id > ? OR (article_id = ? AND (evidence_start > ? OR "
        "(evidence_start = ? AND row_index > ?))))"
    )
    rest_params: list[Any] = [
        pos.article_id,
        pos.article_id,
        pos.evidence_start,
        pos.evidence_start,
        pos.row_index,
    ]
    if pos.date is None:
        return f'("date" IS NULL AND {rest})', rest_params
    return (
        f'("date" > ? OR "date" IS NULL OR ("date" = ? AND {rest}))',
        [pos.date, pos.date, *rest_params],
    )


def search_sql(search: EventSearch) -> tuple[str, list[Any]]:
    """Parameterised SELECT of ``ROW_COLUMNS`` then ``POSITION_COLUMNS`` for one page,
    fetching ``limit + 1`` rows (the extra row tells whether another page follows)."""
    where, params = where_sql(search.filter)
    clauses = [where[len("WHERE ") :]] if where else []
    if search.text:
        clauses.append("evidence_text ILIKE ? ESCAPE '\\'")
        params.append(like_pattern(search.text))
    if search.after is not None:
        clause, extra = _after_sql(search.after)
        clauses.append(clause)
        params += extra
    columns = ", ".join(_quote(c) for c in (*ROW_COLUMNS, *POSITION_COLUMNS))
    where_text = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = f"SELECT {columns} FROM events {where_text} {ORDER_BY} LIMIT ?"
    params.append(search.limit + 1)
    return sql, params


# The cooperation/conflict score of one event row, in the spirit of the Goldstein scale
# averaged per period (as GDELT's AvgGoldstein) and of PLOVER's quad classes: the stored
# intensity (coding/data/plover.yaml, -10..+10) with its sign set by the quad, + for
# cooperation (quads 1 and 2), - for conflict (quads 3 and 4). Rows that are not asserted
# events (negated, hypothetical) or lack a quad or intensity score NULL and are left out of
# averages. README, "HTTP API", documents it.
SCORE_SQL = (
    "(CASE WHEN negated OR hypothetical OR intensity IS NULL THEN NULL "
    "WHEN quad IN (1, 2) THEN abs(intensity) "
    "WHEN quad IN (3, 4) THEN -abs(intensity) END)"
)

# Keys that name no actor (CODING.md's "unknown"); left out of actors, graph and dyads.
UNKNOWN_KEY = "unknown"


def _and(where: str, clause: str) -> str:
    return f"{where} AND {clause}" if where else f"WHERE {clause}"


def graph_edges_sql(flt: EventFilter) -> tuple[str, list[Any]]:
    """Undirected edges between actor keys (both known and different) of the rows
    matching ``flt``: (key a, key b with a < b, rows, rows a -> b, mean score)."""
    where, params = where_sql(replace(flt, limit=None, offset=0))
    where = _and(
        where,
        "source_key IS NOT NULL AND target_key IS NOT NULL AND source_key <> ? "
        "AND target_key <> ? AND source_key <> target_key",
    )
    sql = (
        "SELECT least(source_key, target_key) AS ka, greatest(source_key, target_key) AS kb, "
        "count(*) AS n, count(*) FILTER (WHERE source_key < target_key), "
        f"avg({SCORE_SQL}) FROM events {where} GROUP BY ka, kb ORDER BY n DESC, ka, kb"
    )
    return sql, [*params, UNKNOWN_KEY, UNKNOWN_KEY]
