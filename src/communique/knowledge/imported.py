"""The project's own format for imported actor and agent dictionaries, and its use.

Two TSV files (UTF-8, ``#`` comment lines first, then a header row):

``*.actors.tsv``, one named actor per row
  id       lower-case slug, unique in the file (persons: the Person id)
  kind     person | country | org | body. ``body``: a state institution or other named
           part of a country (White House USAGOV, Gaza City PSEGZA).
  name     display name (the first form)
  forms    ``|``-separated surface forms, capitalised for display; acronyms upper-case
  code     ``|``-separated undated (default) CAMEO codes
  country  ISO alpha-3 of the primary code's root when it is a known country, else empty
  org      the identifying CAMEO root of an international body (IGOUNO), else empty
  sector   the project sector (CODING.md) of the primary code, else empty
  roles    ``|``-separated codes in PETRARCH's order of preference: the dated ones as
           written, then the undated ones; each ``CODE[ START/END]`` with ISO dates and an
           empty side for an open end (``AZEGOV 2003-10-31/``, ``HOBCIV /2008-01-19``)
  line     line of the entry in the source dictionary

``*.agents.tsv``, one agent noun per row
  forms    ``|``-separated singular forms (lower case)
  plurals  ``|``-separated plural forms
  code     the CAMEO agent code without ``~`` (GOVFRM)
  sector   its project sector, else empty
  position suffix (``[~GOV]``) | prefix (``[NGO~]``)
  line     line of the entry in the source dictionary

The primary code of an actor is its first undated code, else its latest dated one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from communique.errors import DataFileError
from communique.knowledge.petrarch import (
    ActorEntry,
    DatedCode,
    ParsedDictionary,
    agent_sector,
    split_cameo,
)

ACTOR_COLUMNS = ("id", "kind", "name", "forms", "code", "country", "org", "sector", "roles", "line")
AGENT_COLUMNS = ("forms", "plurals", "code", "sector", "position", "line")
KINDS = frozenset({"person", "country", "org", "body"})

# Comment tags the Phoenix generator writes after a person's head line.
PERSON_TAGS = ("CountryInfo", "IGOrulers")

# Words kept lower case inside a display form (unless first).
_SMALL_WORDS = frozenset(
    {"of", "the", "and", "for", "to", "in", "on", "at", "by", "de", "du", "des", "la", "le"}
    | {"les", "el", "al", "da", "do", "dos", "del", "van", "von", "der", "den", "y", "e"}
    | {"et", "und"}
)
_VOWELS = set("AEIOUY")


@dataclass(frozen=True, slots=True)
class ImportedRole:
    code: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class ImportedActor:
    id: str
    kind: str
    name: str
    forms: tuple[str, ...]
    code: tuple[str, ...]
    country: str | None
    org: str | None
    sector: str | None
    roles: tuple[ImportedRole, ...]
    line: int


@dataclass(frozen=True, slots=True)
class ImportedAgent:
    forms: tuple[str, ...]
    plurals: tuple[str, ...]
    code: str
    sector: str | None
    position: str
    line: int


@dataclass
class ImportSummary:
    source: Path
    kind: str
    actors: list[ImportedActor] = field(default_factory=list)
    agents: list[ImportedAgent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for a in self.actors:
            out[a.kind] = out.get(a.kind, 0) + 1
        if self.actors:
            out["dated roles"] = sum(1 for a in self.actors for r in a.roles if r.start or r.end)
        if self.agents:
            out["agents"] = len(self.agents)
            out["agent forms"] = sum(len(a.forms) + len(a.plurals) for a in self.agents)
        out["warnings"] = len(self.warnings)
        return out


# --- display forms --------------------------------------------------------------------


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if "." in word or any(c.isdigit() for c in word):
        return True
    return 1 < len(letters) <= 5 and not (_VOWELS & set(letters))


def display_form(phrase: str, kind: str) -> str:
    """ "SECRETARY_GENERAL_OF_THE_UN" -> "Secretary General of the UN"; agents lower case.

    Upper case is kept for acronyms: words with a dot or a digit, words without a vowel,
    and a one-word org or body name of at most six letters (IMF, NATO, UNICEF)."""
    if kind == "agent":
        return phrase.lower()
    words = phrase.split(" ")
    if kind in ("org", "body") and len(words) == 1 and len(words[0]) <= 6:
        return words[0]
    out = []
    for i, w in enumerate(words):
        low = w.lower()
        if i > 0 and low in _SMALL_WORDS:
            out.append(low)
        elif _is_acronym(w) or (kind in ("org", "body") and w in ("UN", "EU", "US", "UK")):
            out.append(w)
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def _split_parenthesised(phrase: str) -> list[str]:
    """ "ISLAMIC ARMY OF ADEN (IAA)" -> ["ISLAMIC ARMY OF ADEN", "IAA"]."""
    m = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", phrase)
    if m and m.group(1):
        return [m.group(1).strip(), m.group(2).strip()]
    return [phrase]


def slug(text: str) -> str:
    from communique.textfold import fold_key

    s = re.sub(r"[^a-z0-9]+", "-", fold_key(text)).strip("-")
    return s or "x"


# --- conversion -------------------------------------------------------------------------


def _ordered_roles(codes: Sequence[DatedCode]) -> list[DatedCode]:
    return [c for c in codes if c.dated] + [c for c in codes if not c.dated]


def _primary(codes: Sequence[DatedCode]) -> DatedCode:
    undated = [c for c in codes if not c.dated]
    if undated:
        return undated[0]
    return max(codes, key=lambda c: (c.end is None, c.end or date.min, c.start or date.min))


def _kind(entry: ActorEntry, primary: DatedCode) -> str:
    if any(tag in entry.note for tag in PERSON_TAGS):
        return "person"
    for c in entry.codes:
        if c.code == "ELI":
            return "person"  # the bare elite code: a (former) official of no stated country
        if c.dated and split_cameo(c.code).roles[:1] and split_cameo(c.code).sector:
            return "person"
    p = split_cameo(primary.code)
    if p.is_org:
        return "org"
    if not p.roles:
        return "country"
    if p.sector in ("GOV", "MIL", "LEG", "JUD", None):
        return "body"
    return "org"


def convert_actors(
    parsed: ParsedDictionary, countries: Iterable[str] | None = None
) -> list[ImportedActor]:
    """Entries -> rows. ``countries``: ISO codes a root must be to fill ``country`` (None:
    any three-letter root, for fictional worlds such as the PETRARCH validation suite)."""
    known = set(countries) if countries is not None else None
    rows: list[ImportedActor] = []
    seen: dict[str, int] = {}
    for e in parsed.actors:
        primary = _primary(e.codes)
        kind = _kind(e, primary)
        forms: list[str] = []
        for f in e.forms:
            for piece in _split_parenthesised(f):
                text = display_form(piece, kind)
                if text and text not in forms:
                    forms.append(text)
        p = split_cameo(primary.code)
        root = p.root
        country = None
        if root is not None and not p.is_org and len(root) == 3 and root.isalpha():
            country = root if known is None or root in known else None
        base = slug(forms[0])
        n = seen.get(base, 0) + 1
        seen[base] = n
        rows.append(
            ImportedActor(
                id=base if n == 1 else f"{base}-{n}",
                kind=kind,
                name=forms[0],
                forms=tuple(forms),
                code=tuple(c.code for c in e.codes if not c.dated),
                country=country,
                org=root if p.is_org else None,
                sector=p.sector,
                roles=tuple(ImportedRole(c.code, c.start, c.end) for c in _ordered_roles(e.codes)),
                line=e.line,
            )
        )
    return rows


def convert_agents(parsed: ParsedDictionary) -> list[ImportedAgent]:
    return [
        ImportedAgent(
            tuple(display_form(f, "agent") for f in a.forms),
            tuple(display_form(f, "agent") for f in a.plurals),
            a.code,
            agent_sector(a.code),
            "prefix" if a.prefix else "suffix",
            a.line,
        )
        for a in parsed.agents
    ]


def import_dictionary(
    path: Path,
    kind: str | None = None,
    *,
    countries: Iterable[str] | None = None,
    strict: bool = False,
) -> ImportSummary:
    """Parse and convert one TABARI/PETRARCH dictionary (kind: actors | agents | None to
    detect it)."""
    from communique.knowledge.petrarch import detect_kind, parse_actors, parse_agents

    kind = kind or detect_kind(path)
    summary = ImportSummary(path, kind)
    if kind == "agents":
        parsed: ParsedDictionary = parse_agents(path, strict=strict)
        summary.agents = convert_agents(parsed)
    else:
        parsed = parse_actors(path, strict=strict)
        summary.actors = convert_actors(parsed, countries)
    summary.warnings = [f"{path}:{w.line}: {w.message}" for w in parsed.warnings]
    return summary


# --- TSV --------------------------------------------------------------------------------


def _role_text(r: ImportedRole) -> str:
    if r.start is None and r.end is None:
        return r.code
    return f"{r.code} {r.start.isoformat() if r.start else ''}/{r.end.isoformat() if r.end else ''}"


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("|", "/").replace("\n", " ")


def write_actors(rows: Sequence[ImportedActor], path: Path, header: str = "") -> None:
    lines = [f"# {h}".rstrip() for h in header.splitlines()] if header else []
    lines.append("\t".join(ACTOR_COLUMNS))
    for a in rows:
        lines.append(
            "\t".join(
                (
                    a.id,
                    a.kind,
                    _clean(a.name),
                    "|".join(_clean(f) for f in a.forms),
                    "|".join(a.code),
                    a.country or "",
                    a.org or "",
                    a.sector or "",
                    "|".join(_role_text(r) for r in a.roles),
                    str(a.line),
                )
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_agents(rows: Sequence[ImportedAgent], path: Path, header: str = "") -> None:
    lines = [f"# {h}".rstrip() for h in header.splitlines()] if header else []
    lines.append("\t".join(AGENT_COLUMNS))
    for a in rows:
        lines.append(
            "\t".join(
                (
                    "|".join(_clean(f) for f in a.forms),
                    "|".join(_clean(f) for f in a.plurals),
                    a.code,
                    a.sector or "",
                    a.position,
                    str(a.line),
                )
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _fail(path: Path, line: int | None, message: str, hint: str) -> DataFileError:
    return DataFileError(message, where=f"{path}:{line}" if line else str(path), hint=hint)


def _rows(path: Path, columns: tuple[str, ...]) -> Iterable[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _fail(path, None, "imported knowledge file is missing", "regenerate it") from None
    header_seen = False
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if not header_seen:
            if tuple(cells) != columns:
                raise _fail(path, n, f"header {cells} is not {list(columns)}", "regenerate it")
            header_seen = True
            continue
        if len(cells) != len(columns):
            raise _fail(path, n, f"{len(cells)} cells for {len(columns)} columns", "fix the tabs")
        yield n, cells


def _iso(value: str, path: Path, n: int) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(path, n, f"bad date {value!r}", "write YYYY-MM-DD") from None


def parse_role(text: str, path: Path, n: int) -> ImportedRole:
    code, _, span = text.strip().partition(" ")
    if not code:
        raise _fail(path, n, f"empty role in {text!r}", "write CODE[ START/END]")
    if not span:
        return ImportedRole(code, None, None)
    a, sep, b = span.partition("/")
    if not sep:
        raise _fail(path, n, f"role {text!r} has no '/'", "write CODE START/END")
    start, end = _iso(a, path, n), _iso(b, path, n)
    if start and end and start > end:
        raise _fail(path, n, f"role {text!r} starts after it ends", "swap the dates")
    return ImportedRole(code, start, end)


def read_actors(path: Path) -> list[ImportedActor]:
    out = []
    for n, c in _rows(path, ACTOR_COLUMNS):
        if c[1] not in KINDS:
            raise _fail(path, n, f"unknown kind {c[1]!r}", f"use one of {sorted(KINDS)}")
        forms = tuple(f for f in c[3].split("|") if f)
        if not forms:
            raise _fail(path, n, "row without forms", "give at least one form")
        out.append(
            ImportedActor(
                id=c[0],
                kind=c[1],
                name=c[2],
                forms=forms,
                code=tuple(x for x in c[4].split("|") if x),
                country=c[5] or None,
                org=c[6] or None,
                sector=c[7] or None,
                roles=tuple(parse_role(r, path, n) for r in c[8].split("|") if r),
                line=int(c[9]) if c[9].isdigit() else 0,
            )
        )
    return out


def read_agents(path: Path) -> list[ImportedAgent]:
    out = []
    for n, c in _rows(path, AGENT_COLUMNS):
        if c[4] not in ("suffix", "prefix"):
            raise _fail(path, n, f"bad position {c[4]!r}", "suffix or prefix")
        out.append(
            ImportedAgent(
                tuple(f for f in c[0].split("|") if f),
                tuple(f for f in c[1].split("|") if f),
                c[2],
                c[3] or None,
                c[4],
                int(c[5]) if c[5].isdigit() else 0,
            )
        )
    return out


# --- the imported packs in the default knowledge base -------------------------------------

# People are imported only when one of their dated codes holds on or after this day: the
# project codes current news, and older office holders mostly add false name matches.
PERSON_ACTIVE_SINCE = date(2000, 1, 1)

# Forms with fewer words than this are not used as person names (a bare surname such as
# "Mahmudov" names too many people).
PERSON_MIN_WORDS = 2

# CAMEO prefixes of international bodies imported as organisations (MNC, the companies,
# are left out: thousands of brand names that are also common words).
ORG_PREFIXES_IMPORTED = ("IGO", "NGO", "IMG", "NGM")

_AFFILIATION = "affiliation_{}"
_STOP = _SMALL_WORDS


@dataclass
class ImportedPack:
    """What the imported packs add: people, organisations and per-language terms."""

    people: list[Any] = field(default_factory=list)
    organisations: list[Any] = field(default_factory=list)
    lang_terms: dict[str, list[Any]] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1


def _new_org_code(name: str, taken: set[str]) -> str:
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in _STOP]
    base = "".join(w[0] for w in words).upper()[:6] or "ORG"
    if not base[0].isalpha():
        base = "X" + base[:5]
    if len(base) < 2:
        base = (re.sub(r"[^A-Z]", "", name.upper()) + "XX")[:3]
    code, n = base, 1
    while code in taken or len(code) == 3:
        n += 1
        code = f"{base[:7]}{n}"
    taken.add(code)
    return code


def phoenix_files(pack_dir: Path) -> tuple[list[Path], list[Path]]:
    return sorted(pack_dir.glob("*.actors.tsv")), sorted(pack_dir.glob("*.agents.tsv"))


def build_imported_pack(
    pack_dir: Path,
    *,
    countries: Mapping[str, Any],
    regions: Mapping[str, Any],
    organisations: Mapping[str, Any],
    offices: Mapping[str, Any],
    people: Mapping[str, Any],
) -> ImportedPack:
    """People, organisations and English terms from the converted dictionaries in
    ``pack_dir``. The curated knowledge always wins: a person whose name or alias is a
    curated person's, or whose id is taken, is left out; an organisation whose CAMEO code
    matches a curated organisation's ``cameo`` adds its names to that organisation."""
    from communique.knowledge.base import Organisation, Person, Role, Term, normalize_term

    pack = ImportedPack()
    actor_files, agent_files = phoenix_files(pack_dir)
    curated_names = {normalize_term(n) for p in people.values() for n in (p.name, *p.aliases)}
    by_cameo = {o.cameo: o.code for o in organisations.values() if getattr(o, "cameo", None)}
    by_name = {normalize_term(o.name_en): o.code for o in organisations.values()}
    taken = set(countries) | set(regions) | set(organisations)
    person_ids = set(people)
    en_terms: list[Any] = []
    candidates: list[tuple[ImportedActor, list[str]]] = []
    name_owners: dict[str, set[str]] = {}
    for path in actor_files:
        for a in read_actors(path):
            if a.kind == "person":
                forms = list(
                    {
                        normalize_term(f): f
                        for f in reversed(a.forms)
                        if len(f.split()) >= PERSON_MIN_WORDS
                    }.values()
                )[::-1]
                if not forms:
                    pack.skip("person: no name of two words")
                    continue
                if not any(
                    (r.start or r.end) and (r.end is None or r.end >= PERSON_ACTIVE_SINCE)
                    for r in a.roles
                ):
                    pack.skip("person: no dated code since 2000")
                    continue
                if any(normalize_term(f) in curated_names for f in forms):
                    pack.skip("person: curated person of the same name")
                    continue
                candidates.append((a, forms))
                for f in forms:
                    name_owners.setdefault(normalize_term(f), set()).add(a.id)
            elif a.kind == "org" and (
                (a.org is not None and a.org[:3] in ORG_PREFIXES_IMPORTED)
                or (a.country is not None and a.sector in ("REB", "OPP"))
            ):
                code = _map_org(a, by_cameo, by_name, normalize_term)
                if code is None:
                    code = _new_org_code(a.name, taken)
                    country = a.country if a.country in countries else None
                    sector = a.sector or "IGO"
                    pack.organisations.append(Organisation(code, a.name, sector, (), country))
                    by_name[normalize_term(a.name)] = code
                    org_sector = sector
                else:
                    org_sector = organisations[code].sector if code in organisations else "IGO"
                for f in a.forms:
                    en_terms.append(Term(f, "org", code, sector=org_sector))
            else:
                pack.skip(f"{a.kind}: not imported")
    for a, forms in candidates:
        # a name two imported people share names neither
        own = [f for f in forms if len(name_owners[normalize_term(f)]) == 1]
        if not own:
            pack.skip("person: name shared by two imported people")
            continue
        if a.id in person_ids:
            pack.skip("person: id taken")
            continue
        roles = []
        for r in a.roles:
            c = split_cameo(r.code)
            root = c.root
            country = root if root in countries else None
            org = None
            if c.is_org and root is not None:
                org = by_cameo.get(root[3:6])
            sector = c.sector or ("IGO" if org else "OTH")
            office = _AFFILIATION.format(sector.lower())
            if office not in offices:
                office = _AFFILIATION.format("oth")
            roles.append(Role(office, r.start, r.end, country, org))
        home = a.country or next((r.country for r in roles if r.country), None)
        person_ids.add(a.id)
        pack.people.append(Person(a.id, own[0], tuple(own[1:]), home, tuple(roles)))
    for path in agent_files:
        for g in read_agents(path):
            if g.sector is None:
                pack.skip("agent: no known sector")
                continue
            key = g.code
            for plural, texts in ((False, g.forms), (True, g.plurals)):
                for t in texts:
                    en_terms.append(Term(t, "group", key, sector=g.sector, plural=plural))
    pack.lang_terms["en"] = en_terms
    return pack


def _map_org(
    a: ImportedActor,
    by_cameo: Mapping[str, str],
    by_name: Mapping[str, str],
    norm: Any,
) -> str | None:
    for f in a.forms:
        code = by_name.get(norm(f))
        if code:
            return code
    if not a.org or a.org[:3] != "IGO":
        return None
    chunks = [c for code in a.code[:1] for c in split_cameo(code).roles] if a.code else []
    for chunk in [*reversed(chunks), a.org[3:6]]:
        code = by_cameo.get(chunk)
        if code:
            return code
    return None


def output_path(source: Path, kind: str, out_dir: Path) -> Path:
    """Phoenix.Countries.actors.txt -> OUT/phoenix.countries.actors.tsv."""
    stem = source.name.lower()
    for suffix in (".txt", ".actors", ".agents"):
        stem = stem.removesuffix(suffix)
    return out_dir / f"{stem}.{kind}.tsv"


def write_summary(summary: ImportSummary, out_dir: Path) -> Path:
    """Write the converted rows of ``summary`` into ``out_dir``; returns the file."""
    import hashlib

    out_dir.mkdir(parents=True, exist_ok=True)
    path = output_path(summary.source, summary.kind, out_dir)
    digest = hashlib.sha256(summary.source.read_bytes()).hexdigest()
    header = (
        f"Converted by `communique knowledge import-petrarch` from {summary.source.name}\n"
        f"(sha256 {digest}).\n"
        "Format: src/communique/knowledge/imported.py. Licence and copyright of the source:\n"
        "ATTRIBUTION.md beside this file (MIT)."
    )
    if summary.kind == "agents":
        write_agents(summary.agents, path, header)
    else:
        write_actors(summary.actors, path, header)
    return path
