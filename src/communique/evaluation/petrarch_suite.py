"""The PETRARCH validation suite as a benchmark: code its sentences, score dyad-events.

Inputs (../shared/data/event-coding-reference): ``PETR.UnitTest.records.xml`` (records:
``date``, ``id``, ``category``, expected ``<EventCoding sourcecode targetcode eventcode>``,
``<Text>``; the ``<Parse>`` trees and the suite's verb dictionary are not used), the suite's
own actor and agent dictionaries (a fictional world: Arnor ARN, Gondor GON...) read with
knowledge/petrarch.py into a KnowledgeBase and terms, and the CAMEO -> PLOVER crosswalk
``CAMEO2PLOVER-2021-09-17.txt``.

Choices (each tested in tests/evaluation/test_petrarch_suite.py):

* Records: those with ``sentence="true"`` (279 of 284; PETRARCH itself skips the others).
  Records whose expected coding is ``error="bad_input_parse"`` test malformed parse trees,
  which we do not read: left out. ``noevents`` and the other errors (story or sentence
  discards, datelines) expect no event: any prediction there is a false positive.
  Categories AGENTS and COMPOUNDx are counted as AGENT and COMPOUND.
* CAMEO -> PLOVER: the crosswalk's exact code, else the code without trailing letters
  (174K -> 174), else its three-digit parent, else its two-digit root; a code whose root
  is not a CAMEO root (01-20) or that the crosswalk leaves out (01 statements, 02
  appeals: PLOVER has no such types) maps to nothing. An expected event that maps to
  nothing is not scored; a prediction with its source and target is ignored (neither
  true nor false positive). A record left with no scorable expected event and that did
  expect events is left out (counted as "unmappable").
* Actors: an expected code is reduced to its root (the first three letters: the country;
  for an international body IGO/NGO/IMG..., the prefix and three more letters); "---",
  a code starting with "---" and a quoted new-actor text are the unknown actor (None).
  A predicted actor's root is its country, else its organisation's root, else None; a
  prediction with no target has target None. "strict" adds the sector: the project
  sector of the code's role chunks (COP -> GOV, EDU -> CVL: knowledge/petrarch.py),
  a bare country code being the state (GOV, as the coder writes states).
* Matching: per record, the expected and the predicted (source, target, PLOVER type)
  keys are sets, compared directionally (PETRARCH codes direction). TP = both, FP =
  predicted only, FN = expected only. A record is "exact" when FP = FN = 0.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from communique.errors import GoldFileError
from communique.knowledge.petrarch import ORG_PREFIXES, split_cameo

REF_DIR = Path("../shared/data/event-coding-reference")
DEFAULT_RECORDS = REF_DIR / "petrarch2" / "PETR.UnitTest.records.xml"
DEFAULT_ACTORS = REF_DIR / "petrarch2" / "PETR.Validate.actors.txt"
DEFAULT_AGENTS = REF_DIR / "petrarch2" / "PETR.Validate.agents.txt"
DEFAULT_CROSSWALK = REF_DIR / "schrodt-ngec" / "CAMEO2PLOVER-2021-09-17.txt"

CATEGORY_ALIASES = {"AGENTS": "AGENT", "COMPOUNDX": "COMPOUND"}
SKIPPED_ERRORS = frozenset({"bad_input_parse"})
# Matching levels: "root" actor roots + PLOVER type; "strict" adds the sector; "dyad" is
# the root dyad with any type (actor resolution and direction alone, whatever the suite's
# verb dictionary calls the event).
LEVELS = ("root", "strict", "dyad")

Key = tuple[Any, Any, str]


@dataclass(frozen=True)
class ExpectedEvent:
    source: str
    target: str
    cameo: str
    plover: str | None


@dataclass(frozen=True)
class SuiteRecord:
    id: str
    category: str
    date: date
    text: str
    events: tuple[ExpectedEvent, ...]
    expects_none: bool  # noevents or a discard/dateline error
    error: str | None
    sentence: bool
    index: int


# --- inputs -----------------------------------------------------------------------------


def load_crosswalk(path: Path) -> dict[str, str]:
    """CAMEO event code -> PLOVER type, from ``CODE: TYPE, mode, context # label`` lines
    (the first line for a code wins; the two-digit root lines included)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldFileError(
            f"cannot read the crosswalk: {exc}", where=str(path), hint="check it"
        ) from None
    out: dict[str, str] = {}
    for n, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("~"):
            continue
        m = re.match(r"^(\d{2,4})\s*:\s*([A-Z]+)\b", line)
        if not m:
            raise GoldFileError(
                f"unreadable crosswalk line {raw!r}",
                where=f"{path}:{n}",
                hint="write CODE: PLOVER_TYPE, mode, context",
            )
        out.setdefault(m.group(1), m.group(2))
    return out


def cameo_to_plover(code: str, crosswalk: Mapping[str, str]) -> str | None:
    """The PLOVER type of a CAMEO event code (see the module docstring), or None."""
    code = code.strip()
    digits = re.sub(r"[A-Za-z]+$", "", code)
    if not digits.isdigit() or len(digits) < 2 or not 1 <= int(digits[:2]) <= 20:
        return None
    for candidate in (code, digits, digits[:3], digits[:2]):
        if len(candidate) >= 2 and candidate in crosswalk:
            return crosswalk[candidate]
    return None


def load_records(path: Path, crosswalk: Mapping[str, str]) -> list[SuiteRecord]:
    """The suite's ``<Sentence>`` records, in file order."""
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise GoldFileError(
            "records file not found", where=str(path), hint="pass --records PATH"
        ) from None
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise GoldFileError(
            f"invalid XML: {exc}",
            where=f"{path}:{line}" if line else str(path),
            hint="the file must be PETRARCH validation XML",
        ) from None
    records = []
    for i, s in enumerate(root.iter("Sentence")):
        rid = s.get("id") or f"record-{i}"
        where = f"{path}: record {rid}"
        text_el = s.find("Text")
        if text_el is None or not (text_el.text or "").strip():
            raise GoldFileError("record without <Text>", where=where, hint="add the sentence")
        try:
            day = date(*map(int, re.findall(r"(\d{4})(\d{2})(\d{2})", s.get("date", ""))[0]))
        except (IndexError, ValueError):
            raise GoldFileError(
                f"bad date {s.get('date')!r}", where=where, hint="write date=YYYYMMDD"
            ) from None
        events = []
        expects_none = False
        error = None
        for ec in s.findall("EventCoding"):
            if (ec.get("noevents") or "").lower() == "true":
                expects_none = True
                continue
            if ec.get("error"):
                error = ec.get("error")
                expects_none = True
                continue
            src, tgt, code = ec.get("sourcecode"), ec.get("targetcode"), ec.get("eventcode")
            if src is None or tgt is None or code is None:
                raise GoldFileError(
                    "EventCoding without sourcecode, targetcode or eventcode",
                    where=where,
                    hint='write <EventCoding sourcecode="" targetcode="" eventcode="">',
                )
            events.append(ExpectedEvent(src, tgt, code, cameo_to_plover(code, crosswalk)))
        category = (s.get("category") or "?").upper()
        records.append(
            SuiteRecord(
                rid,
                CATEGORY_ALIASES.get(category, category),
                day,
                " ".join(text_el.text.split()) if text_el.text else "",
                tuple(events),
                expects_none and not events,
                error,
                (s.get("sentence") or "").lower() == "true",
                i,
            )
        )
    return records


# --- actor codes ------------------------------------------------------------------------


def expected_actor(code: str, level: str) -> Any:
    """Root (level "root") or (root, sector) ("strict") of an expected actor code."""
    code = code.strip()
    if not code or code.startswith('"') or code.startswith("'"):
        root, sector = None, None
    else:
        c = split_cameo(code)
        root = c.root
        if c.is_org:
            sector = None
        elif not c.roles:
            sector = "GOV" if root is not None else None
        else:
            sector = c.sector
    return root if level == "root" else (root, sector)


def predicted_actor(actor: Mapping[str, Any] | None, level: str) -> Any:
    """Root or (root, sector) of a predicted row's actor (None: no actor)."""
    if actor is None:
        return None if level == "root" else (None, None)
    root = actor.get("country")
    sector = actor.get("sector")
    if not root and actor.get("org"):
        c = split_cameo(str(actor["org"]))
        root = c.root if c.is_org else str(actor["org"])
        sector = None
    return (root or None) if level == "root" else (root or None, sector)


# --- scoring ----------------------------------------------------------------------------


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    records: int = 0
    exact: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)

    @property
    def exact_share(self) -> float | None:
        return self.exact / self.records if self.records else None

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.records += other.records
        self.exact += other.exact

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": r(self.precision),
            "recall": r(self.recall),
            "f1": r(self.f1),
            "records": self.records,
            "exact": self.exact,
            "exact_share": r(self.exact_share),
        }


@dataclass
class RecordResult:
    record: SuiteRecord
    expected: list[Key]
    predicted: list[Key]
    ignored: list[Key]
    score: PRF


@dataclass
class SuiteReport:
    levels: dict[str, PRF] = field(default_factory=dict)
    by_category: dict[str, dict[str, PRF]] = field(default_factory=dict)
    results: dict[str, list[RecordResult]] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)
    unmapped_codes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "overall": {lv: s.to_dict() for lv, s in self.levels.items()},
            "by_category": {
                cat: {lv: s.to_dict() for lv, s in per.items()}
                for cat, per in sorted(self.by_category.items())
            },
            "excluded_records": self.excluded,
            "unmapped_expected_codes": dict(sorted(self.unmapped_codes.items())),
            "seconds": round(self.seconds, 2),
        }
        if details:
            out["records"] = {
                lv: [
                    {
                        "id": r.record.id,
                        "category": r.record.category,
                        "expected": [list(k) for k in r.expected],
                        "predicted": [list(k) for k in r.predicted],
                        "ignored": [list(k) for k in r.ignored],
                        **r.score.to_dict(),
                    }
                    for r in rs
                ]
                for lv, rs in self.results.items()
            }
        return out


def select_records(records: Iterable[SuiteRecord], report: SuiteReport) -> list[SuiteRecord]:
    """The scored records (module docstring); counts the others in ``report.excluded``."""
    out = []
    for r in records:
        why = None
        if not r.sentence:
            why = 'sentence="false"'
        elif r.error in SKIPPED_ERRORS:
            why = f"error={r.error}"
        elif r.events and all(e.plover is None for e in r.events):
            why = "unmappable"
        elif not r.events and not r.expects_none:
            why = "no expected coding"
        if why:
            report.excluded[why] = report.excluded.get(why, 0) + 1
            continue
        for e in r.events:
            if e.plover is None:
                report.unmapped_codes[e.cameo] = report.unmapped_codes.get(e.cameo, 0) + 1
        out.append(r)
    return out


def score_record(
    record: SuiteRecord, rows: Sequence[Mapping[str, Any]], level: str
) -> RecordResult:
    any_type = level == "dyad"
    actors = "root" if any_type else level
    expected: set[Key] = set()
    unmapped_dyads: set[tuple[Any, Any]] = set()
    for e in record.events:
        s, t = expected_actor(e.source, actors), expected_actor(e.target, actors)
        if any_type:
            expected.add((s, t, "*"))
        elif e.plover is None:
            unmapped_dyads.add((s, t))
        else:
            expected.add((s, t, e.plover))
    predicted: set[Key] = set()
    ignored: set[Key] = set()
    for row in rows:
        if row.get("negated"):
            continue
        key = (
            predicted_actor(row.get("source"), actors),
            predicted_actor(row.get("target"), actors),
            "*" if any_type else str(row.get("type")),
        )
        if key not in expected and (key[0], key[1]) in unmapped_dyads:
            ignored.add(key)
        else:
            predicted.add(key)
    tp = len(expected & predicted)
    prf = PRF(tp, len(predicted - expected), len(expected - predicted), 1, 0)
    prf.exact = int(prf.fp == 0 and prf.fn == 0)
    return RecordResult(
        record,
        sorted(expected, key=repr),
        sorted(predicted, key=repr),
        sorted(ignored, key=repr),
        prf,
    )


def score_suite(
    records: Sequence[SuiteRecord],
    predictions: Mapping[str, Sequence[Mapping[str, Any]]],
    report: SuiteReport | None = None,
) -> SuiteReport:
    """Score rows per record (``predictions`` keyed by article id ``suite-<index>``)."""
    report = report or SuiteReport()
    for level in LEVELS:
        total = PRF()
        results = []
        for r in records:
            res = score_record(r, predictions.get(article_id(r), ()), level)
            results.append(res)
            total.add(res.score)
            report.by_category.setdefault(r.category, {}).setdefault(level, PRF()).add(res.score)
        report.levels[level] = total
        report.results[level] = results
    return report


def article_id(record: SuiteRecord) -> str:
    return f"suite-{record.index:03d}-{record.id}"


# --- the suite's knowledge --------------------------------------------------------------


def build_suite_knowledge(actors_path: Path, agents_path: Path) -> tuple[Any, list[Any]]:
    """A KnowledgeBase and its terms built only from the suite's own dictionaries."""
    from communique.knowledge.base import (
        Country,
        KnowledgeBase,
        Office,
        Organisation,
        Person,
        Role,
        Term,
    )
    from communique.knowledge.imported import import_dictionary
    from communique.model.refs import SECTORS

    actors = import_dictionary(actors_path, "actors").actors
    agents = import_dictionary(agents_path, "agents").agents
    offices = {
        f"affiliation_{s.lower()}": Office(f"affiliation_{s.lower()}", "member", s) for s in SECTORS
    }
    from communique.knowledge.loader import load_knowledge

    # The real countries and regions stay known (a language pack's data refers to them) but
    # get no names: only the suite's dictionaries name actors.
    default = load_knowledge(imported=False)
    countries: dict[str, Country] = dict(default.countries)
    orgs: dict[str, Organisation] = {}
    people: dict[str, Person] = {}
    terms: list[Term] = []

    real = set(countries)

    def country(root: str | None, name: str | None = None) -> str | None:
        iso = root in real
        if root is None or len(root) != 3 or not root.isalpha() or root in ORG_PREFIXES:
            return None
        if root not in countries or (name and countries[root].name_en == root and not iso):
            countries[root] = Country(root, "", name or root)
        return root

    for a in actors:
        for r in a.roles:
            country(split_cameo(r.code).root)
    for a in actors:
        primary = split_cameo(a.code[0] if a.code else a.roles[-1].code)
        if primary.root is None or not primary.code[:1].isalnum():
            continue  # the null actor "---" and discard codes
        if a.kind == "country":
            iso = country(primary.root, a.name)
            if iso:
                terms.extend(Term(f, "country", iso, sector="GOV") for f in a.forms)
        elif a.kind == "person":
            roles = []
            for r in a.roles:
                c = split_cameo(r.code)
                sector = c.sector or "GOV"
                roles.append(Role(f"affiliation_{sector.lower()}", r.start, r.end, country(c.root)))
            people[a.id] = Person(a.id, a.name, a.forms[1:], country(primary.root), tuple(roles))
            terms.extend(Term(f, "person", a.id) for f in a.forms)
        else:  # org or body: an organisation keyed on its full code
            code = primary.code
            sector = primary.sector or ("GOV" if a.kind == "body" else "OTH")
            if code not in orgs:
                orgs[code] = Organisation(
                    code, a.name, sector, (), None if primary.is_org else country(primary.root)
                )
            terms.extend(Term(f, "org", code, sector=orgs[code].sector) for f in a.forms)
    for g in agents:
        for plural, forms in ((False, g.forms), (True, g.plurals)):
            terms.extend(
                Term(f, "group", g.code, sector=g.sector or "OTH", plural=plural) for f in forms
            )
    return KnowledgeBase(countries, dict(default.regions), orgs, offices, people), terms


# --- running ----------------------------------------------------------------------------


def run_suite(
    records_path: Path = DEFAULT_RECORDS,
    *,
    actors_path: Path = DEFAULT_ACTORS,
    agents_path: Path = DEFAULT_AGENTS,
    crosswalk_path: Path = DEFAULT_CROSSWALK,
    lang: str = "en",
    settings: Any = None,
    coder: Any = None,
    make_coder: Callable[[Any, Any, Any], Any] | None = None,
) -> SuiteReport:
    """Code the suite's records and score them. ``coder`` is anything with
    ``.code(articles)`` and ``.coder_version``; by default a pipeline Coder whose knowledge
    is the suite's own (build_suite_knowledge)."""
    import time

    from communique.model import Article
    from communique.model.rows import event_rows
    from communique.settings import Settings

    started = time.perf_counter()
    settings = settings or Settings()
    crosswalk = load_crosswalk(crosswalk_path)
    report = SuiteReport()
    records = select_records(load_records(records_path, crosswalk), report)
    if coder is None:
        kb, terms = build_suite_knowledge(actors_path, agents_path)
        coder = (make_coder or suite_coder)(settings, kb, terms)
    articles = [
        Article(id=article_id(r), text=r.text, lang=lang, published=r.date) for r in records
    ]
    predictions: dict[str, list[dict[str, Any]]] = {}
    for coded in coder.code(articles):
        predictions.setdefault(coded.article.id, []).extend(event_rows(coded, coder.coder_version))
    score_suite(records, predictions, report)
    report.seconds = time.perf_counter() - started
    return report


def suite_coder(settings: Any, kb: Any, terms: Any) -> Any:
    """A pipeline Coder whose tools use ``kb`` and ``terms`` instead of the defaults."""
    from communique.errors import UnknownLanguageError
    from communique.pipeline import Coder, _LangState, build_tools

    class _SuiteCoder(Coder):
        def _state(self, lang: str) -> Any:
            state = self._langs.get(lang)
            if state is None:
                model = self.settings.models.get(lang)
                if model is None:
                    raise UnknownLanguageError(
                        f"no spaCy model is configured for language {lang!r}",
                        where=lang,
                        hint=f"configured: {', '.join(sorted(self.settings.models))}; "
                        "pass --lang or add the model to Settings.models",
                    )
                from communique.coding.coder import DocumentCoder
                from communique.nlp.pipeline import load_model

                tools = build_tools(lang, self.settings, kb=kb, terms=terms)
                state = _LangState(load_model(model), tools, DocumentCoder(tools))
                self._langs[lang] = state
            return state

    return _SuiteCoder(settings)
