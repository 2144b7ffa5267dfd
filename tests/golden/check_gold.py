"""Validate a gold set against the rules of CODING.md (shared/conventions/CODING.md).

Standard library only, so that it runs before the package is installed.

Usage::

    python tests/golden/check_gold.py DOCS GOLD
    python tests/golden/check_gold.py            # every */*/docs.jsonl + gold.jsonl found here

DOCS is either a JSONL file of dispatches (``{"id", "text", "lang", "published", "source"}``
per line) or a directory of text files named by the gold records' ``file`` field (the layout
of the seeds). ``check`` returns a list of problems, each naming the file, the record and the
field; an empty list means the gold set is clean.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

# PLOVER types and their modes, as in the table of CODING.md. This is the schema of the gold
# files, not language vocabulary; when the package gets a validated schema data file, load it
# from there instead.
MODES: dict[str, frozenset[str]] = {
    "AGREE": frozenset(),
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "SUPPORT": frozenset(),
    "CONCEDE": frozenset(),
    "COOPERATE": frozenset(),
    "AID": frozenset(),
    "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "THREATEN": frozenset({"restrict", "arrest", "relations", "expel", "territory", "violence"}),
    "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset(
        {
            "seize",
            "restrict",
            "censor",
            "curfew",
            "martial-law",
            "arrest",
            "deport",
            "withhold",
            "misinformation",
            "cyber",
        }
    ),
    "ASSAULT": frozenset(
        {
            "abduct",
            "beat",
            "torture",
            "sexual",
            "targeted",
            "destroy",
            "primitive",
            "firearms",
            "explosives",
            "suicide-attack",
            "aerial",
            "drone",
            "heavy-weapons",
            "crowd-control",
            "unconventional",
        }
    ),
}

SECTORS = frozenset(
    {"GOV", "MIL", "LEG", "JUD", "REB", "OPP", "BUS", "NGO", "IGO", "CVL", "MED", "OTH"}
)

# Types whose scoring ignores the order of source and target (CODING.md, Scoring 3); a gold
# event with joint: true is order-free as well.
ORDER_FREE_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})

# CODING.md: "evidence is a verbatim snippet of at most 10 words". Words are counted as
# whitespace-separated tokens, so "l'Etat" is one word.
MAX_EVIDENCE_WORDS = 10

COUNTRY_RE = re.compile(r"^[A-Z]{3}$")
# Organisation and region codes: short upper-case codes (UNO, EUR, NATO, ASEAN, CAS, G7...).
ORG_RE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

GOLD_KEYS = frozenset({"id", "file", "lang", "published", "published_month", "actors"})
GOLD_LIST_KEYS = ("events", "omitted")
DOC_KEYS = frozenset({"id", "text", "lang", "published", "source"})
EVENT_REQUIRED = (
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
EVENT_OPTIONAL = frozenset({"alt_type", "joint", "note"})
ACTOR_REQUIRED = ("name", "country", "sector")
ACTOR_OPTIONAL = frozenset({"org", "role"})

Record = dict[str, Any]
Key = tuple[str, str, str, str | None]


def _read_jsonl(path: Path, problems: list[str]) -> Iterator[tuple[int, Record]]:
    """Yield (line number, object) for each non-blank line; report bad lines."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        problems.append(f"{path}: cannot read ({exc})")
        return
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{lineno}: invalid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            problems.append(f"{path}:{lineno}: expected a JSON object")
            continue
        yield lineno, obj


def _is_day(value: str) -> bool:
    if not DAY_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _date_ok(value: object) -> bool:
    return value is None or (
        isinstance(value, str) and (_is_day(value) or bool(MONTH_RE.match(value)))
    )


def actor_key(actor: Record | None) -> str:
    """Scoring key of CODING.md: country, else org, else unknown."""
    if actor is None:
        return "unknown"
    return str(actor.get("country") or actor.get("org") or "unknown")


def _check_actor(actor: object, where: str, problems: list[str]) -> None:
    if not isinstance(actor, dict):
        problems.append(f"{where}: expected an actor object")
        return
    for field in ACTOR_REQUIRED:
        if field not in actor:
            problems.append(f"{where}: missing '{field}'")
    for field in actor:
        if field not in ACTOR_REQUIRED and field not in ACTOR_OPTIONAL:
            problems.append(f"{where}: unknown field '{field}'")
    name = actor.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: 'name' must be a non-empty string")
    country = actor.get("country")
    if country is not None and not (isinstance(country, str) and COUNTRY_RE.match(country)):
        problems.append(f"{where}: country {country!r} is not 3 upper-case letters")
    sector = actor.get("sector")
    if sector not in SECTORS:
        problems.append(f"{where}: sector {sector!r} not in {sorted(SECTORS)}")
    org = actor.get("org")
    if org is not None and not (isinstance(org, str) and ORG_RE.match(org)):
        problems.append(f"{where}: org {org!r} is not a short upper-case code")
    if sector == "IGO" and (country is not None or not org):
        problems.append(f"{where}: an IGO has country null and an org code")


def _check_event(
    ev: Record, where: str, text: str | None, published: str | None, problems: list[str]
) -> None:
    for field in EVENT_REQUIRED:
        if field not in ev:
            problems.append(f"{where}: missing '{field}'")
    for field in ev:
        if field not in EVENT_REQUIRED and field not in EVENT_OPTIONAL:
            problems.append(f"{where}: unknown field '{field}'")

    etype = ev.get("type")
    if etype not in MODES:
        problems.append(f"{where}: type {etype!r} is not a PLOVER type")
    else:
        mode = ev.get("mode")
        if mode is not None and mode not in MODES[etype]:
            allowed = sorted(MODES[etype]) or ["null only"]
            problems.append(f"{where}: mode {mode!r} not valid for {etype} ({allowed})")
    alt = ev.get("alt_type")
    if alt is not None and (alt not in MODES or alt == etype):
        problems.append(f"{where}: alt_type {alt!r} must be another PLOVER type")

    if "source" in ev:
        _check_actor(ev["source"], f"{where}.source", problems)
    if ev.get("target") is not None:
        _check_actor(ev["target"], f"{where}.target", problems)

    value = ev.get("date")
    if not _date_ok(value):
        problems.append(f"{where}: date {value!r} is not YYYY-MM-DD, YYYY-MM or null")
    elif (
        isinstance(value, str)
        and published
        and not ev.get("future")
        and value > published[: len(value)]
    ):
        problems.append(f"{where}: date {value} is after published {published} (future?)")

    loc = ev.get("location")
    if loc is not None:
        if not isinstance(loc, dict) or set(loc) != {"name", "country"}:
            problems.append(f"{where}: location must be null or {{name, country}}")
        elif loc["country"] is not None and not COUNTRY_RE.match(str(loc["country"])):
            problems.append(f"{where}: location country {loc['country']!r} is not ISO alpha-3")

    for flag in ("negated", "future", "joint"):
        if flag in ev and not isinstance(ev[flag], bool):
            problems.append(f"{where}: '{flag}' must be true or false")
    note = ev.get("note")
    if note is not None and not isinstance(note, str):
        problems.append(f"{where}: 'note' must be a string")

    evidence = ev.get("evidence")
    if not isinstance(evidence, str) or not evidence.strip():
        problems.append(f"{where}: 'evidence' must be a non-empty string")
        return
    nwords = len(evidence.split())
    if nwords > MAX_EVIDENCE_WORDS:
        problems.append(f"{where}: evidence has {nwords} words (max {MAX_EVIDENCE_WORDS})")
    if text is not None and evidence not in text:
        problems.append(f"{where}: evidence {evidence!r} is not a substring of the text")


def event_key(ev: Record) -> Key:
    target = ev.get("target")
    return (
        str(ev.get("type")),
        actor_key(ev.get("source")),
        actor_key(target if isinstance(target, dict) else None),
        ev.get("date"),
    )


def _check_duplicates(events: list[Record], where: str, problems: list[str]) -> None:
    """No two events share (type, source key, target key, date). For order-free types and
    joint events, the reversed pair is the same key, since the scorer cannot tell them apart."""
    keyed = [(i, ev, event_key(ev)) for i, ev in enumerate(events) if isinstance(ev, dict)]
    for n, (i, ev_i, key_i) in enumerate(keyed):
        for j, ev_j, key_j in keyed[:n]:
            if key_i[0] != key_j[0] or key_i[3] != key_j[3]:
                continue
            if key_i[1:3] == key_j[1:3]:
                problems.append(f"{where}.events[{i}]: same key {key_i} as events[{j}]")
                break
            order_free = key_i[0] in ORDER_FREE_TYPES or ev_i.get("joint") or ev_j.get("joint")
            if order_free and key_i[1:3] == (key_j[2], key_j[1]):
                problems.append(
                    f"{where}.events[{i}]: same key {key_i} as events[{j}] once order is ignored"
                )
                break


def _load_docs(docs_path: Path, gold: dict[str, Record], problems: list[str]) -> dict[str, Record]:
    """Dispatches by id, from a JSONL file or from a directory of text files (seeds)."""
    docs: dict[str, Record] = {}
    if docs_path.is_dir():
        for gid, rec in gold.items():
            fname = rec.get("file")
            if not isinstance(fname, str):
                problems.append(f"gold {gid}: no 'file' naming its text in {docs_path}")
                continue
            fpath = docs_path / fname
            try:
                docs[gid] = {"id": gid, "text": fpath.read_text(encoding="utf-8")}
            except OSError as exc:
                problems.append(f"gold {gid}: cannot read {fpath} ({exc})")
        named = {rec.get("file") for rec in gold.values()}
        for txt in sorted(docs_path.glob("*.txt")):
            if txt.name not in named:
                problems.append(f"{txt}: no gold record")
        return docs
    for lineno, doc in _read_jsonl(docs_path, problems):
        where = f"{docs_path}:{lineno}"
        for field in DOC_KEYS:
            if field not in doc:
                problems.append(f"{where}: missing '{field}'")
        for field in doc:
            if field not in DOC_KEYS:
                problems.append(f"{where}: unknown field '{field}'")
        did = doc.get("id")
        if not isinstance(did, str):
            problems.append(f"{where}: 'id' must be a string")
            continue
        if did in docs:
            problems.append(f"{where}: duplicate id {did}")
        if not isinstance(doc.get("text"), str) or not doc["text"].strip():
            problems.append(f"{where}: 'text' must be a non-empty string")
        pub = doc.get("published")
        if not (isinstance(pub, str) and _is_day(pub)):
            problems.append(f"{where}: published {pub!r} is not YYYY-MM-DD")
        docs[did] = doc
    return docs


def check(docs_path: str | Path, gold_path: str | Path) -> list[str]:
    """All problems found in a gold set; an empty list means it is clean."""
    docs_path, gold_path = Path(docs_path), Path(gold_path)
    problems: list[str] = []

    gold: dict[str, Record] = {}
    for lineno, rec in _read_jsonl(gold_path, problems):
        gid = rec.get("id")
        if not isinstance(gid, str):
            problems.append(f"{gold_path}:{lineno}: 'id' must be a string")
            continue
        if gid in gold:
            problems.append(f"{gold_path}:{lineno}: duplicate id {gid}")
        gold[gid] = rec

    docs = _load_docs(docs_path, gold, problems)
    if not docs_path.is_dir():
        for did in docs:
            if did not in gold:
                problems.append(f"doc {did}: no gold record in {gold_path}")

    for gid, rec in gold.items():
        where = f"gold {gid}"
        doc = docs.get(gid)
        if doc is None and not docs_path.is_dir():
            problems.append(f"{where}: no dispatch with this id in {docs_path}")
        for field in rec:
            if field not in GOLD_KEYS and field not in GOLD_LIST_KEYS:
                problems.append(f"{where}: unknown field '{field}'")
        for field in ("lang", "published", "actors", *GOLD_LIST_KEYS):
            if field not in rec:
                problems.append(f"{where}: missing '{field}'")
        published = rec.get("published")
        if published is not None and not (isinstance(published, str) and _is_day(published)):
            problems.append(f"{where}: published {published!r} is not YYYY-MM-DD")
            published = None
        if doc is not None:
            for field in ("lang", "published"):
                if field in doc and doc[field] != rec.get(field):
                    problems.append(
                        f"{where}: {field} {rec.get(field)!r} differs from the dispatch's "
                        f"{doc[field]!r}"
                    )
        actors = rec.get("actors", [])
        if not isinstance(actors, list):
            problems.append(f"{where}: 'actors' must be a list")
            actors = []
        for i, actor in enumerate(actors):
            _check_actor(actor, f"{where}.actors[{i}]", problems)

        text = doc.get("text") if doc is not None else None
        for list_name in GOLD_LIST_KEYS:
            items = rec.get(list_name, [])
            if not isinstance(items, list):
                problems.append(f"{where}: '{list_name}' must be a list")
                continue
            for i, ev in enumerate(items):
                ev_where = f"{where}.{list_name}[{i}]"
                if not isinstance(ev, dict):
                    problems.append(f"{ev_where}: expected an event object")
                    continue
                _check_event(
                    ev, ev_where, text if isinstance(text, str) else None, published, problems
                )
        events = rec.get("events")
        if isinstance(events, list):
            _check_duplicates(events, where, problems)
    return problems


def _default_sets(root: Path) -> list[tuple[Path, Path]]:
    return [(d, d.parent / "gold.jsonl") for d in sorted(root.glob("*/*/docs.jsonl"))]


def main(argv: list[str]) -> int:
    if len(argv) == 2:
        sets = [(Path(argv[0]), Path(argv[1]))]
    elif not argv:
        sets = _default_sets(Path(__file__).resolve().parent)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    failed = False
    for docs_path, gold_path in sets:
        problems = check(docs_path, gold_path)
        status = "clean" if not problems else f"{len(problems)} problem(s)"
        print(f"{gold_path}: {status}")
        for problem in problems:
            print(f"  {problem}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
