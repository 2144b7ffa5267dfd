"""The knowledge linter: checks that loading does not make.

Loading (loader.py) already rejects what makes the data unusable: bad or duplicate codes
and ids, unknown countries, offices, organisations and sectors, roles that start after
they end. The linter reports a loading error as its first problem and stops; on data
that loads, it looks for what loads but misleads the resolver:

* errors
  - a surface form that names two different things (two persons, or two keys of
    different kinds) in one language without being marked ambiguous;
  - two holders of a single-holder office (head of state, head of government, foreign
    minister) for the same country or organisation on the same day, beyond a one-day
    handover, unless one of the roles (or its person) carries a ``note``;
  - an organisation code that is an ISO country code, a ``parent`` or ``org`` that names
    no organisation, two organisations with one ``cameo`` code, an agency in an unknown
    country;
* warnings
  - the same, when the clash involves a documented overlap or only imported data
    (data/phoenix/), or one form naming the same key twice under two kinds (a country and
    its capital city of the same name).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from communique.errors import CommuniqueError

# Offices one person holds at a time in a country or organisation.
SINGLE_HOLDER_OFFICES = frozenset({"head_of_state", "head_of_government", "foreign_minister"})

# Days two consecutive holders may overlap: the handover day is often both the
# predecessor's last and the successor's first.
HANDOVER_DAYS = 1


@dataclass(frozen=True)
class Problem:
    level: str  # error | warning
    where: str  # file[:line]
    record: str
    message: str
    hint: str

    def render(self) -> str:
        return f"{self.level}: {self.where}: [{self.record}] {self.message} (fix: {self.hint})"


@dataclass
class LintReport:
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def add(self, level: str, where: str, record: str, message: str, hint: str) -> None:
        self.problems.append(Problem(level, where, record, message, hint))


@dataclass(frozen=True)
class _PersonSource:
    path: Path
    line: int | None
    note: bool
    role_notes: tuple[bool, ...]


def lint_knowledge(data_dir: Path | None = None, pack_dir: Path | None = None) -> LintReport:
    """Lint the knowledge in ``data_dir`` and the language packs in ``pack_dir`` (the
    bundled ones by default)."""
    from communique.knowledge.loader import DATA_DIR, PACKS_DIR, load_knowledge, load_terms

    data_dir = data_dir or DATA_DIR
    pack_dir = pack_dir or PACKS_DIR
    report = LintReport()
    try:
        # not the cached base: lint reads the files as they are now
        kb = load_knowledge.__wrapped__(data_dir)
    except CommuniqueError as exc:
        report.add("error", exc.where or str(data_dir), "load", exc.message, exc.hint or "")
        return report
    sources = _person_sources(data_dir)
    _check_orgs(kb, data_dir, report)
    _check_people_names(kb, sources, report)
    _check_single_holders(kb, sources, report)
    for lang_dir in sorted(p for p in pack_dir.iterdir() if (p / "countries.tsv").is_file()):
        try:
            terms = load_terms(lang_dir.name, kb, pack_dir if pack_dir != PACKS_DIR else None)
        except CommuniqueError as exc:
            report.add("error", exc.where or str(lang_dir), "load", exc.message, exc.hint or "")
            continue
        _check_terms(lang_dir, terms, kb, report)
    return report


def _person_sources(data_dir: Path) -> dict[str, _PersonSource]:
    from communique.knowledge.loader import _yaml

    out: dict[str, _PersonSource] = {}
    for path in [data_dir / "people.yaml", *sorted((data_dir / "people").glob("*.yaml"))]:
        if not path.is_file():
            continue
        for rec in (_yaml(path) or {}).get("people") or []:
            roles = tuple(bool(r.get("note")) for r in rec.get("roles") or [])
            out[str(rec.get("id"))] = _PersonSource(
                path, rec.get("__line__"), bool(rec.get("note")), roles
            )
    return out


def _where(src: _PersonSource | None, fallback: str) -> str:
    if src is None:
        return fallback
    return f"{src.path}:{src.line}" if src.line else str(src.path)


def _check_orgs(kb: Any, data_dir: Path, report: LintReport) -> None:
    from communique.knowledge.loader import _yaml

    by_cameo: dict[str, list[str]] = defaultdict(list)
    for org in kb.organisations.values():
        if org.code in kb.countries:
            report.add(
                "error",
                str(data_dir / "organisations.yaml"),
                org.code,
                f"organisation code {org.code} is the ISO code of {kb.countries[org.code].name_en}",
                "choose another code (CODING.md: org codes never collide with ISO alpha-3)",
            )
        if org.cameo:
            by_cameo[org.cameo].append(org.code)
    for cameo, codes in by_cameo.items():
        if len(codes) > 1:
            report.add(
                "error",
                str(data_dir / "organisations.yaml"),
                "/".join(codes),
                f"organisations {codes} share the CAMEO code {cameo}",
                "keep the cameo code on the body CAMEO means",
            )
    for name in ("organisations.yaml", "nonstate.yaml"):
        path = data_dir / name
        if not path.is_file():
            continue
        data = _yaml(path) or {}
        for rec in data.get(name.removesuffix(".yaml")) or []:
            parent = rec.get("parent")
            if parent is not None and parent not in kb.organisations:
                report.add(
                    "error",
                    f"{path}:{rec.get('__line__')}",
                    str(rec.get("code")),
                    f"unknown parent organisation {parent!r}",
                    "use a code of organisations.yaml",
                )
    agencies = data_dir / "agencies.yaml"
    if agencies.is_file():
        for rec in (_yaml(agencies) or {}).get("agencies") or []:
            country = rec.get("country")
            if country is not None and country not in kb.countries:
                report.add(
                    "error",
                    f"{agencies}:{rec.get('__line__')}",
                    str(rec.get("name")),
                    f"unknown country {country!r}",
                    "use an ISO alpha-3 code from countries.tsv or null",
                )


def _check_people_names(kb: Any, sources: dict[str, _PersonSource], report: LintReport) -> None:
    from communique.knowledge.base import normalize_term

    owners: dict[str, list[str]] = defaultdict(list)
    for p in kb.people.values():
        seen: set[str] = set()
        texts: set[str] = set()
        for n in (p.name, *p.aliases):
            key = normalize_term(n)
            if n in texts:
                report.add(
                    "warning",
                    _where(sources.get(p.id), "people"),
                    p.id,
                    f"alias {n!r} repeats another name of the same person",
                    "remove the duplicate alias",
                )
                continue
            texts.add(n)
            if key in seen:
                continue  # the same name with and without accents: deliberate
            seen.add(key)
            owners[key].append(p.id)
    for key, ids in owners.items():
        if len(ids) < 2:
            continue
        curated = [i for i in ids if i in sources]
        level = "error" if len(curated) == len(ids) else "warning"
        first = sources.get(ids[0])
        report.add(
            level,
            _where(first, "data/phoenix"),
            "/".join(ids),
            f"the name {key!r} names {len(ids)} people: {', '.join(ids)}",
            "keep the name on one person, or drop it as an alias (people.yaml: shared "
            "surnames are not aliases)",
        )


def _check_single_holders(kb: Any, sources: dict[str, _PersonSource], report: LintReport) -> None:
    slots: dict[tuple[str, str], list[tuple[date, date, str, bool]]] = defaultdict(list)
    for p in kb.people.values():
        src = sources.get(p.id)
        for i, r in enumerate(p.roles):
            if r.office not in SINGLE_HOLDER_OFFICES:
                continue
            holder = r.org or r.country or p.country
            if holder is None:
                continue
            noted = src is not None and (
                src.note or (i < len(src.role_notes) and src.role_notes[i])
            )
            slots[(r.office, holder)].append((r.start or date.min, r.end or date.max, p.id, noted))
    for (office, holder), spans in slots.items():
        spans.sort()
        for i, (_s1, e1, p1, n1) in enumerate(spans):
            for s2, e2, p2, n2 in spans[i + 1 :]:
                if s2 > e1:
                    break
                if p1 == p2:
                    continue
                overlap_end = min(e1, e2)
                if overlap_end == date.max or s2 == date.min:
                    days = None
                else:
                    days = (overlap_end - s2).days + 1
                if days is not None and days <= HANDOVER_DAYS:
                    continue
                level = "warning" if (n1 or n2) else "error"
                report.add(
                    level,
                    _where(sources.get(p2), "people"),
                    f"{p1}/{p2}",
                    f"{p1} and {p2} both hold {office} of {holder} from "
                    + (str(s2) if s2 != date.min else "an open start")
                    + (f" ({days} days)" if days else " (open-ended)"),
                    "correct the end or start date, or document the overlap in a note",
                )


def _term_key(t: Any) -> tuple[str, str]:
    kind = "country" if t.kind in ("country", "demonym", "capital") else t.kind
    return kind, str(t.key)


def _check_terms(lang_dir: Path, terms: Iterable[Any], kb: Any, report: LintReport) -> None:
    from communique.knowledge.base import normalize_term

    imported_en = {id(t) for ts in kb.lang_terms.values() for t in ts}
    by_form: dict[tuple[str, bool], list[Any]] = defaultdict(list)
    for t in terms:
        if t.kind == "person":
            continue  # checked with the people
        by_form[(normalize_term(t.text), t.plural)].append(t)
    for (form, _plural), ts in by_form.items():
        keys = {_term_key(t) for t in ts}
        if len(keys) < 2:
            kinds = {t.kind for t in ts}
            if len(kinds) > 1 and not any(t.ambiguous for t in ts):
                pass  # "Djibouti": a country and its capital, one key: harmless
            continue
        unmarked = [t for t in ts if not t.ambiguous]
        if len({_term_key(t) for t in unmarked}) < 2:
            continue
        only_imported = all(id(t) in imported_en for t in unmarked[1:])
        level = "warning" if only_imported else "error"
        names = ", ".join(sorted(f"{k}:{v}" for k, v in keys))
        report.add(
            level,
            str(lang_dir),
            form,
            f"the form {form!r} names {len(keys)} things ({names}) and is not marked ambiguous",
            "mark it ambiguous where it is listed, or keep it on one record",
        )
