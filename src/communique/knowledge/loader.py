"""Loading and validating the knowledge files (knowledge/data/) and a language pack's
names for them (langpacks/<lang>/countries.tsv, organisations.yaml, regions.yaml,
titles.yaml). Every problem raises DataFileError naming the file and line."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from communique.errors import DataFileError
from communique.knowledge.base import (
    Country,
    KnowledgeBase,
    Office,
    Organisation,
    Person,
    Region,
    Role,
    Term,
    normalize_term,
)
from communique.model.refs import SECTORS

DATA_DIR = Path(__file__).parent / "data"
PACKS_DIR = Path(__file__).parent.parent / "langpacks"
_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_OFFICE = re.compile(r"^[a-z][a-z0-9_]*$")
_PERSON_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _fail(path: Path, line: int | None, message: str, hint: str) -> DataFileError:
    where = f"{path}:{line}" if line else str(path)
    return DataFileError(message, where=where, hint=hint)


# libyaml's parser when PyYAML was built with it (5-10 times faster than PyYAML's own); the
# constructors still run in Python and see every node's start mark, so lines are kept.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A YAML loader that records the line of every mapping (as key "__line__")."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _yaml(path: Path) -> Any:
    if not path.is_file():
        raise _fail(path, None, "knowledge file is missing", "restore it from the repository")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _fail(
            path, mark.line + 1 if mark else None, f"invalid YAML: {exc}", "fix the YAML syntax"
        ) from exc


def _tsv(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise _fail(path, None, "knowledge file is missing", "restore it from the repository")
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if header is None:
            header = cells
            missing = [c for c in required if c not in header]
            if missing:
                raise _fail(
                    path, n, f"missing column(s) {missing}", f"the header needs {list(required)}"
                )
            continue
        if len(cells) > len(header):
            raise _fail(
                path,
                n,
                f"{len(cells)} cells for {len(header)} columns",
                "remove the extra tab or add the column to the header",
            )
        cells += [""] * (len(header) - len(cells))
        rows.append((n, dict(zip(header, cells, strict=True))))
    return rows


def _date(value: Any, path: Path, line: int, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise _fail(path, line, f"{field} {value!r} is not a date", "write YYYY-MM-DD") from exc


@lru_cache(maxsize=4)
def load_knowledge(data_dir: Path | None = None, imported: bool = True) -> KnowledgeBase:
    """Load and validate the knowledge base (countries, regions, organisations, offices,
    people with dated roles). ``imported``: also load the converted dictionaries in
    ``data/phoenix/`` (people, organisations, English names; the curated files win), see
    knowledge/imported.py and Settings.imported_knowledge."""
    root = data_dir or DATA_DIR
    # countries
    countries: dict[str, Country] = {}
    cpath = root / "countries.tsv"
    for n, row in _tsv(cpath, ("iso3", "iso2", "name_en")):
        iso3 = row["iso3"].strip()
        if not _ISO3.match(iso3):
            raise _fail(cpath, n, f"bad ISO alpha-3 code {iso3!r}", "three upper-case letters")
        if iso3 in countries:
            raise _fail(cpath, n, f"duplicate country {iso3}", "keep one row per country")
        countries[iso3] = Country(
            iso3,
            row["iso2"].strip(),
            row["name_en"].strip(),
            row.get("status", "member").strip() or "member",
        )
    # organisations, then non-state groups (same schema plus a country of allegiance)
    orgs: dict[str, Organisation] = {}
    sources = [(root / "organisations.yaml", "organisations")]
    if (root / "nonstate.yaml").is_file():
        sources.append((root / "nonstate.yaml", "nonstate"))
    records = [
        (opath, rec) for opath, key in sources for rec in (_yaml(opath) or {}).get(key) or []
    ]
    for opath, rec in records:
        line = rec.get("__line__")
        code = str(rec.get("code", ""))
        if not _CODE.match(code):
            raise _fail(opath, line, f"bad organisation code {code!r}", "upper-case letters/digits")
        if code in orgs:
            raise _fail(opath, line, f"duplicate organisation {code}", "keep one record per code")
        sector = rec.get("sector", "IGO")
        if sector not in SECTORS:
            raise _fail(opath, line, f"unknown sector {sector!r}", f"use one of {sorted(SECTORS)}")
        members = tuple(rec.get("members") or ())
        for m in members:
            if m not in countries:
                raise _fail(
                    opath,
                    line,
                    f"unknown member country {m!r} of {code}",
                    "use ISO alpha-3 codes from countries.tsv",
                )
        country = rec.get("country")
        if country is not None and country not in countries:
            raise _fail(
                opath,
                line,
                f"unknown country {country!r} of {code}",
                "use an ISO alpha-3 code from countries.tsv or null",
            )
        cameo = rec.get("cameo")
        orgs[code] = Organisation(
            code,
            str(rec.get("name_en", code)),
            sector,
            members,
            country,
            str(cameo) if cameo is not None else None,
        )
    # regions
    rpath = root / "regions.yaml"
    regions: dict[str, Region] = {}
    for rec in (_yaml(rpath) or {}).get("regions") or []:
        line = rec.get("__line__")
        code = str(rec.get("code", ""))
        if not _CODE.match(code):
            raise _fail(rpath, line, f"bad region code {code!r}", "upper-case letters")
        if code in regions:
            raise _fail(rpath, line, f"duplicate region {code}", "keep one record per code")
        members = tuple(rec.get("members") or ())
        bad = [m for m in members if m not in countries]
        if bad:
            raise _fail(
                rpath,
                line,
                f"unknown member countries {bad} of {code}",
                "use ISO alpha-3 codes from countries.tsv",
            )
        regions[code] = Region(code, str(rec.get("name_en", code)), members)
    # offices
    fpath = root / "offices.yaml"
    offices: dict[str, Office] = {}
    for rec in (_yaml(fpath) or {}).get("offices") or []:
        line = rec.get("__line__")
        code = str(rec.get("code", ""))
        if not _OFFICE.match(code) or code in offices:
            raise _fail(
                fpath,
                line,
                f"bad or duplicate office code {code!r}",
                "lower-case identifier, unique",
            )
        sector = rec.get("sector", "GOV")
        if sector not in SECTORS:
            raise _fail(fpath, line, f"unknown sector {sector!r}", f"use one of {sorted(SECTORS)}")
        offices[code] = Office(code, str(rec.get("role_en", code)), sector)
    # people
    people: dict[str, Person] = {}
    ppaths = [root / "people.yaml", *sorted((root / "people").glob("*.yaml"))]
    for ppath in ppaths:
        if not ppath.is_file():
            continue
        for rec in (_yaml(ppath) or {}).get("people") or []:
            line = rec.get("__line__")
            pid = str(rec.get("id", ""))
            if not _PERSON_ID.match(pid) or pid in people:
                raise _fail(
                    ppath,
                    line,
                    f"bad or duplicate person id {pid!r}",
                    "lower-case slug, unique across people.yaml and people/*.yaml",
                )
            country = rec.get("country")
            if country is not None and country not in countries:
                raise _fail(
                    ppath,
                    line,
                    f"unknown country {country!r} for {pid}",
                    "use an ISO alpha-3 code from countries.tsv",
                )
            roles = []
            for r in rec.get("roles") or []:
                rline = r.get("__line__", line)
                office = r.get("office")
                if office not in offices:
                    raise _fail(
                        ppath,
                        rline,
                        f"unknown office {office!r} for {pid}",
                        "use a code from offices.yaml",
                    )
                start = _date(r.get("start"), ppath, rline, "start")
                end = _date(r.get("end"), ppath, rline, "end")
                if start and end and start > end:
                    raise _fail(
                        ppath,
                        rline,
                        f"role of {pid} starts ({start}) after it ends ({end})",
                        "swap or correct the dates",
                    )
                org = r.get("org")
                if org is not None and org not in orgs:
                    raise _fail(
                        ppath,
                        rline,
                        f"unknown organisation {org!r} for {pid}",
                        "use a code from organisations.yaml",
                    )
                rc = r.get("country", country)
                if rc is not None and rc not in countries:
                    raise _fail(ppath, rline, f"unknown country {rc!r}", "use ISO alpha-3")
                roles.append(Role(office, start, end, rc, org))
            people[pid] = Person(
                pid,
                str(rec.get("name", pid)),
                tuple(rec.get("aliases") or ()),
                country,
                tuple(roles),
            )
    lang_terms: dict[str, tuple[Term, ...]] = {}
    if imported and (root / "phoenix").is_dir():
        from communique.knowledge.imported import build_imported_pack

        pack = build_imported_pack(
            root / "phoenix",
            countries=countries,
            regions=regions,
            organisations=orgs,
            offices=offices,
            people=people,
        )
        for org in pack.organisations:
            orgs.setdefault(org.code, org)
        for person in pack.people:
            people.setdefault(person.id, person)
        lang_terms = {lang: tuple(ts) for lang, ts in pack.lang_terms.items()}
    return KnowledgeBase(countries, regions, orgs, offices, people, lang_terms=lang_terms)


def _forms(value: Any) -> list[tuple[str, bool, dict[str, Any]]]:
    """A list of forms, each a string or {text, ambiguous, ...}."""
    out: list[tuple[str, bool, dict[str, Any]]] = []
    for f in value or []:
        if isinstance(f, str):
            out.append((f, False, {}))
        elif isinstance(f, dict) and "text" in f:
            out.append((str(f["text"]), bool(f.get("ambiguous", False)), f))
    return out


def _slot(text: str) -> tuple[str, int | None]:
    if "~" not in text:
        return text, None
    before, after = text.split("~", 1)
    before = before.rstrip()
    return f"{before} {after.lstrip()}", len(before)


def _org_terms(path: Path, kb: KnowledgeBase, terms: list[Term]) -> None:
    """French (or other) names of organisations and non-state groups from ``path``."""
    data = _yaml(path) or {}
    for code, forms in data.items():
        if code == "__line__":
            continue
        if code not in kb.organisations:
            raise _fail(
                path,
                None,
                f"unknown organisation {code!r}",
                "add it to knowledge/data/organisations.yaml or nonstate.yaml",
            )
        org = kb.organisations[code]
        for text, amb, extra in _forms(forms):
            terms.append(
                Term(text, "org", code, sector=extra.get("sector") or org.sector, ambiguous=amb)
            )


@lru_cache(maxsize=8)
def _load_terms_cached(lang: str, pack_dir: Path | None, kb: KnowledgeBase) -> tuple[Term, ...]:
    root = (pack_dir or PACKS_DIR) / lang
    terms: list[Term] = []
    # countries: names, demonyms, capitals
    cpath = root / "countries.tsv"
    for n, row in _tsv(cpath, ("iso3", "names", "demonyms", "capitals")):
        iso3 = row["iso3"].strip()
        if iso3 not in kb.countries:
            raise _fail(
                cpath, n, f"unknown country {iso3!r}", "add it to knowledge/data/countries.tsv"
            )
        ambiguous = {a.strip() for a in row.get("ambiguous", "").split("|") if a.strip()}
        for col, kind in (("names", "country"), ("demonyms", "demonym"), ("capitals", "capital")):
            for form in row[col].split("|"):
                form = form.strip()
                if form:
                    terms.append(Term(form, kind, iso3, sector="GOV", ambiguous=form in ambiguous))
    # organisations and non-state groups
    for opath in (root / "organisations.yaml", root / "nonstate.yaml"):
        if opath.name == "nonstate.yaml" and not opath.is_file():
            continue
        _org_terms(opath, kb, terms)
    # regions
    rpath = root / "regions.yaml"
    data = _yaml(rpath) or {}
    for code, forms in data.items():
        if code == "__line__":
            continue
        if code not in kb.regions:
            raise _fail(rpath, None, f"unknown region {code!r}", "add it to regions.yaml")
        for text, amb, extra in _forms(forms):
            terms.append(
                Term(
                    text,
                    "region",
                    code,
                    sector="GOV",
                    ambiguous=amb,
                    plural=bool(extra.get("plural", False)),
                )
            )
    # titles, groups, metonyms
    tpath = root / "titles.yaml"
    data = _yaml(tpath) or {}
    for rec in data.get("titles") or []:
        line = rec.get("__line__")
        office = rec.get("office")
        if office not in kb.offices:
            raise _fail(tpath, line, f"unknown office {office!r}", "use a code from offices.yaml")
        amb_forms = set(rec.get("ambiguous") or ())
        for plural, key in ((False, "forms"), (True, "plural")):
            for form in rec.get(key) or []:
                text, slot = _slot(str(form))
                terms.append(
                    Term(
                        text,
                        "title",
                        office,
                        sector=kb.offices[office].sector,
                        office=office,
                        ambiguous=str(form) in amb_forms,
                        slot=slot,
                        plural=plural,
                        org=rec.get("org"),
                        complement=rec.get("complement"),
                    )
                )
    for rec in data.get("groups") or []:
        line = rec.get("__line__")
        sector = rec.get("sector")
        if sector not in SECTORS:
            raise _fail(tpath, line, f"unknown sector {sector!r}", f"use one of {sorted(SECTORS)}")
        amb_forms = set(rec.get("ambiguous") or ())
        for plural, key in ((False, "forms"), (True, "plural")):
            for form in rec.get(key) or []:
                text, slot = _slot(str(form))
                terms.append(
                    Term(
                        text,
                        "group",
                        str(rec.get("key")),
                        sector=sector,
                        ambiguous=str(form) in amb_forms,
                        slot=slot,
                        plural=plural,
                        org=rec.get("org"),
                        complement=rec.get("complement"),
                    )
                )
    for rec in data.get("metonyms") or []:
        line = rec.get("__line__")
        country = rec.get("country")
        if country not in kb.countries:
            raise _fail(tpath, line, f"unknown country {country!r}", "use ISO alpha-3")
        for form in rec.get("forms") or []:
            terms.append(Term(str(form), "capital", country, sector=rec.get("sector", "GOV")))
    # people: names and aliases are terms in every language
    for p in kb.people.values():
        for alias in (p.name, *p.aliases):
            terms.append(Term(alias, "person", p.id))
    # imported names for this language, where the pack has no term of the same form
    imported_terms = kb.lang_terms.get(lang, ())
    if imported_terms:
        have = {normalize_term(t.text) for t in terms}
        for t in imported_terms:
            key = normalize_term(t.text)
            if key not in have:
                have.add(key)
                terms.append(t)
    return tuple(terms)


def load_terms(lang: str, kb: KnowledgeBase, pack_dir: Path | None = None) -> list[Term]:
    """Every surface form the resolver matches in ``lang``."""
    if not ((pack_dir or PACKS_DIR) / lang / "countries.tsv").is_file():
        raise DataFileError(
            f"no knowledge names for language {lang!r}",
            where=str((pack_dir or PACKS_DIR) / lang),
            hint="add countries.tsv, organisations.yaml, regions.yaml, titles.yaml",
        )
    return list(_load_terms_cached(lang, pack_dir, kb))


@lru_cache(maxsize=2)
def load_agency_countries(data_dir: Path | None = None) -> dict[str, str]:
    """Agency name (as the dateline parser canonicalises it) -> ISO3 of its home country."""
    path = (data_dir or DATA_DIR) / "agencies.yaml"
    if not path.is_file():
        return {}
    out: dict[str, str] = {}
    for rec in (_yaml(path) or {}).get("agencies") or []:
        name, country = rec.get("name"), rec.get("country")
        if isinstance(name, str) and isinstance(country, str):
            out[name.strip()] = country
    return out
