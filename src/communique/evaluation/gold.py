"""Gold files: one JSON record per line, validated field by field.

The format is the one of ``shared/seeds/gold.jsonl``; the rules are those of
``shared/conventions/CODING.md``. Every problem raises :class:`GoldFileError` naming
``path:line`` and the field, with the fix, so an annotator can correct the file at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from communique.errors import GoldFileError
from communique.model import plover
from communique.model.refs import SECTORS

# The 16 PLOVER types and the modes CODING.md allows for each (an empty set: mode is null),
# from communique.model.plover; kept under these names for the scorer and its callers.
PLOVER_MODES: Mapping[str, frozenset[str]] = MappingProxyType(
    {etype: frozenset(modes) for etype, modes in plover.MODES.items()}
)
PLOVER_TYPES: frozenset[str] = frozenset(plover.PLOVER_TYPES)

# Scoring key of an entity with neither country nor org (CODING.md, Scoring 1).
UNKNOWN_KEY = "unknown"

_RECORD_REQUIRED = ("id", "lang", "published", "events", "omitted")
_EVENT_REQUIRED = (
    "type",
    "mode",
    "source",
    "target",
    "date",
    "location",
    "negated",
    "future",
    "evidence",
)
_EVENT_OPTIONAL = ("alt_type", "joint", "note")
_EVENT_KEYS = frozenset(_EVENT_REQUIRED + _EVENT_OPTIONAL)
_ACTOR_KEYS = frozenset({"name", "country", "org", "sector", "role"})

_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class GoldEvent:
    """One gold event reduced to what scoring needs; ``raw`` keeps the record as written.

    ``source_key``/``target_key`` are the scoring keys of CODING.md (country, else org, else
    "unknown"); ``target_key`` is None when the gold target is null. ``date`` is
    "YYYY-MM-DD", "YYYY-MM" or None.
    """

    type: str
    alt_type: str | None
    mode: str | None
    source_key: str
    target_key: str | None
    date: str | None
    negated: bool
    future: bool
    joint: bool
    evidence: str
    raw: Mapping[str, Any]
    source_sector: str | None = None
    target_sector: str | None = None

    @property
    def key(self) -> tuple[str, str, str | None, str | None]:
        """(type, source key, target key, date): the tuple CODING.md scores on."""
        return (self.type, self.source_key, self.target_key, self.date)


@dataclass(frozen=True)
class GoldDoc:
    """One gold record: the events a coder must find and those it may find (``omitted``)."""

    id: str
    lang: str
    published: date | None
    file: str | None
    events: tuple[GoldEvent, ...]
    omitted: tuple[GoldEvent, ...]
    published_month: str | None = None
    line: int | None = None  # line in the gold file, for messages


def entity_key(actor: Mapping[str, Any] | None) -> str | None:
    """CODING.md, Scoring 1: country, else org, else "unknown"; None for a null entity."""
    if actor is None:
        return None
    return actor.get("country") or actor.get("org") or UNKNOWN_KEY


def is_valid_date(value: object, *, allow_year: bool = False) -> bool:
    """True for "YYYY-MM-DD" (a real calendar day) and "YYYY-MM" (and "YYYY" if allowed)."""
    if not isinstance(value, str):
        return False
    if _DAY_RE.match(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return True
    if _MONTH_RE.match(value):
        return True
    return allow_year and len(value) == 4 and value.isdigit()


def load_gold(path: Path | str) -> list[GoldDoc]:
    """Read and validate a gold JSONL file (blank lines are skipped)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldFileError(
            "gold file not found", where=str(path), hint="pass the path of a gold .jsonl file"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(
            f"cannot read gold file: {exc}", where=str(path), hint="save it as UTF-8 text"
        ) from None
    docs: list[GoldDoc] = []
    seen: dict[str, int] = {}
    for lineno, where, record in iter_json_lines(path, text.splitlines()):
        doc = parse_record(record, where=where, line=lineno)
        if doc.id in seen:
            raise GoldFileError(
                f"duplicate id {doc.id!r} (first on line {seen[doc.id]})",
                where=where,
                hint="give every gold record a distinct id",
            )
        seen[doc.id] = lineno
        docs.append(doc)
    if not docs:
        raise GoldFileError(
            "gold file has no records", where=str(path), hint="add one JSON record per line"
        )
    return docs


def iter_json_lines(path: Path, lines: list[str]) -> Iterator[tuple[int, str, Any]]:
    """(line number, "path:line", parsed value) of each non-blank JSONL line; a line that
    is not JSON raises GoldFileError naming it."""
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            yield lineno, where, json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFileError(
                f"invalid JSON: {exc.msg} (column {exc.colno})",
                where=where,
                hint="each line must be one complete JSON object",
            ) from None


def parse_record(record: object, *, where: str, line: int | None = None) -> GoldDoc:
    """Validate one decoded gold record; ``where`` ("path:line") goes into every message."""
    if not isinstance(record, dict):
        raise GoldFileError(
            f"a record must be a JSON object, not {type(record).__name__}",
            where=where,
            hint="write one object per line",
        )
    for key in _RECORD_REQUIRED:
        if key not in record:
            raise GoldFileError(
                f"missing field {key!r}",
                where=where,
                hint=f"every gold record has {', '.join(_RECORD_REQUIRED)} (null where unknown)",
            )
    doc_id = record["id"]
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise GoldFileError("field 'id' must be a non-empty string", where=where, hint="set an id")
    lang = record["lang"]
    if not isinstance(lang, str) or not lang.strip():
        raise GoldFileError(
            "field 'lang' must be a language code such as \"fr\"",
            where=where,
            hint="set the dispatch's ISO 639-1 language code",
        )
    published_raw = record["published"]
    published: date | None = None
    if published_raw is not None:
        if not (isinstance(published_raw, str) and _DAY_RE.match(published_raw)) or (
            not is_valid_date(published_raw)
        ):
            raise GoldFileError(
                f"field 'published' must be YYYY-MM-DD or null, not {published_raw!r}",
                where=where,
                hint="when only year and month are known, set published to null and "
                "published_month to YYYY-MM",
            )
        published = date.fromisoformat(published_raw)
    month = record.get("published_month")
    if month is not None and not (isinstance(month, str) and _MONTH_RE.match(month)):
        raise GoldFileError(
            f"field 'published_month' must be YYYY-MM or null, not {month!r}",
            where=where,
            hint="write the month as e.g. 2024-05",
        )
    file = record.get("file")
    if file is not None and (not isinstance(file, str) or not file.strip()):
        raise GoldFileError(
            "field 'file' must be a file name or null",
            where=where,
            hint="name the text file relative to the texts directory",
        )
    actors = record.get("actors")
    if actors is not None and not isinstance(actors, list):
        raise GoldFileError(
            "field 'actors' must be a list", where=where, hint="write actors as a JSON list"
        )
    events = _parse_events(record["events"], "events", where)
    omitted = _parse_events(record["omitted"], "omitted", where)
    return GoldDoc(
        id=doc_id,
        lang=lang,
        published=published,
        file=file,
        events=events,
        omitted=omitted,
        published_month=month,
        line=line,
    )


def _parse_events(value: object, field: str, where: str) -> tuple[GoldEvent, ...]:
    if not isinstance(value, list):
        raise GoldFileError(
            f"field {field!r} must be a list", where=where, hint="use [] when there is none"
        )
    return tuple(_parse_event(item, f"{field}[{i}]", where) for i, item in enumerate(value))


def _parse_event(item: object, label: str, where: str) -> GoldEvent:
    def fail(message: str, hint: str) -> GoldFileError:
        return GoldFileError(f"{label}: {message}", where=where, hint=hint)

    if not isinstance(item, dict):
        raise fail("an event must be a JSON object", "write each event as an object")
    for key in _EVENT_REQUIRED:
        if key not in item:
            raise fail(
                f"missing field {key!r}",
                f"every event has {', '.join(_EVENT_REQUIRED)} (null where unknown)",
            )
    unknown = sorted(set(item) - _EVENT_KEYS)
    if unknown:
        raise fail(
            f"unknown field(s) {', '.join(map(repr, unknown))}",
            f"allowed fields: {', '.join(sorted(_EVENT_KEYS))} (check the spelling)",
        )
    etype = item["type"]
    if etype not in PLOVER_TYPES:
        raise fail(
            f"field 'type' is {etype!r}, not a PLOVER type",
            f"use one of {', '.join(sorted(PLOVER_TYPES))}",
        )
    alt_type = item.get("alt_type")
    if alt_type is not None and (alt_type not in PLOVER_TYPES or alt_type == etype):
        raise fail(
            f"field 'alt_type' is {alt_type!r}",
            "alt_type is null or a PLOVER type other than 'type'",
        )
    mode = item["mode"]
    allowed = PLOVER_MODES[etype]
    if mode is not None and mode not in allowed:
        raise fail(
            f"field 'mode' is {mode!r}, not a mode of {etype}",
            f"use null or one of {', '.join(sorted(allowed))}" if allowed else "use null",
        )
    source = _check_actor(item["source"], "source", fail, nullable=False)
    target = _check_actor(item["target"], "target", fail, nullable=True)
    when = item["date"]
    if when is not None and not is_valid_date(when):
        raise fail(
            f"field 'date' is {when!r}",
            "write a real date as YYYY-MM-DD, a month as YYYY-MM, or null",
        )
    for flag in ("negated", "future"):
        if not isinstance(item[flag], bool):
            raise fail(f"field {flag!r} must be true or false", f"set {flag} to a JSON boolean")
    joint = item.get("joint", False)
    if not isinstance(joint, bool):
        raise fail("field 'joint' must be true or false", "set joint to a JSON boolean")
    evidence = item["evidence"]
    if not isinstance(evidence, str) or not evidence.strip():
        raise fail(
            "field 'evidence' must be a non-empty string",
            "copy a verbatim snippet (at most 10 words) that finds the event in the text",
        )
    location = item["location"]
    if location is not None and not isinstance(location, dict):
        raise fail("field 'location' must be an object or null", 'write {"name": ...} or null')
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        raise fail("field 'note' must be a string", "write the comment as a JSON string")
    return GoldEvent(
        type=etype,
        alt_type=alt_type,
        mode=mode,
        source_key=entity_key(source) or UNKNOWN_KEY,
        target_key=entity_key(target),
        date=when,
        negated=item["negated"],
        future=item["future"],
        joint=joint,
        evidence=evidence,
        raw=item,
        source_sector=source.get("sector") if source else None,
        target_sector=target.get("sector") if target else None,
    )


def _check_actor(
    value: object, field: str, fail: Callable[[str, str], GoldFileError], *, nullable: bool
) -> dict[str, Any] | None:
    if value is None:
        if nullable:
            return None
        raise fail(
            f"field {field!r} must be an object",
            'an unnamed perpetrator is {"name": ..., "country": null}',
        )
    if not isinstance(value, dict):
        raise fail(f"field {field!r} must be an object", 'write {"name": ..., "country": ...}')
    unknown = sorted(set(value) - _ACTOR_KEYS)
    if unknown:
        raise fail(
            f"{field}: unknown field(s) {', '.join(map(repr, unknown))}",
            f"allowed fields: {', '.join(sorted(_ACTOR_KEYS))}",
        )
    country = value.get("country")
    if country is not None and not (isinstance(country, str) and _ISO3_RE.match(country)):
        raise fail(
            f"{field}.country is {country!r}",
            "use an ISO 3166-1 alpha-3 code (AZE) or null; organisations go in 'org'",
        )
    org = value.get("org")
    if org is not None and (not isinstance(org, str) or not org.strip()):
        raise fail(f"{field}.org is {org!r}", "use a short code such as UNO, EUR, CAS, or null")
    sector = value.get("sector")
    if sector is not None and sector not in SECTORS:
        raise fail(f"{field}.sector is {sector!r}", f"use one of {', '.join(sorted(SECTORS))}")
    for text_field in ("name", "role"):
        text = value.get(text_field)
        if text is not None and not isinstance(text, str):
            raise fail(f"{field}.{text_field} must be a string", "write it as a JSON string")
    return value
