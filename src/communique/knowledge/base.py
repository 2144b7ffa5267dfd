"""Knowledge records and the knowledge base's queries. Pure data; loading is in loader.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from communique.textfold import fold_key


def normalize_term(text: str) -> str:
    """Key for case-, accent-, apostrophe- and hyphen-insensitive lookups."""
    if text.isascii() and "`" not in text:
        # the same key as fold_key for ASCII (only "`" folds to another character), and
        # ten times faster: the imported packs normalise some 60,000 names at load time
        return " ".join(text.replace("-", " ").lower().split())
    return fold_key(text.replace("-", " "))


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    iso2: str
    name_en: str
    status: str = "member"


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name_en: str
    members: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Organisation:
    """An international organisation (country None) or a non-state group with a country of
    allegiance (an armed group, a party, an outlet)."""

    code: str
    name_en: str
    sector: str
    members: tuple[str, ...] = ()
    country: str | None = None
    # the body's code in the CAMEO international actor dictionary (NATO: NAT), if any
    cameo: str | None = None


@dataclass(frozen=True, slots=True)
class Office:
    code: str
    role_en: str
    sector: str


@dataclass(frozen=True, slots=True)
class Role:
    office: str
    start: date | None
    end: date | None
    country: str | None = None
    org: str | None = None

    def holds_on(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    aliases: tuple[str, ...]
    country: str | None
    roles: tuple[Role, ...]


@dataclass(frozen=True, slots=True)
class Term:
    """One surface form that names something the resolver knows.

    kind: country | demonym | capital | region | org | person | title | group.
    key: ISO alpha-3 (country, demonym, capital), region/org code, person id, office code
    (title) or group key (group). ``slot`` is the character offset in ``text`` where a
    nationality adjective may be inserted ("ministre| des Affaires étrangères").
    """

    text: str
    kind: str
    key: str
    sector: str | None = None
    office: str | None = None
    ambiguous: bool = False
    slot: int | None = None
    plural: bool = False
    org: str | None = None
    complement: str | None = None


@dataclass(eq=False)
class KnowledgeBase:
    countries: dict[str, Country]
    regions: dict[str, Region]
    organisations: dict[str, Organisation]
    offices: dict[str, Office]
    people: dict[str, Person]
    _by_name: dict[str, list[Person]] = field(default_factory=dict, repr=False)
    # surface forms that only one language uses, added by imported packs (data/phoenix/:
    # English organisation names and agent nouns); load_terms appends them for that language
    lang_terms: dict[str, tuple[Term, ...]] = field(default_factory=dict, repr=False)
    _by_office: dict[str, list[Person]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for p in self.people.values():
            for n in (p.name, *p.aliases):
                self._by_name.setdefault(normalize_term(n), []).append(p)
            for office in dict.fromkeys(r.office for r in p.roles):
                self._by_office.setdefault(office, []).append(p)

    def country(self, iso3: str) -> Country | None:
        return self.countries.get(iso3)

    def region(self, code: str) -> Region | None:
        return self.regions.get(code)

    def org(self, code: str) -> Organisation | None:
        return self.organisations.get(code)

    def office(self, code: str) -> Office | None:
        return self.offices.get(code)

    def person(self, pid: str) -> Person | None:
        return self.people.get(pid)

    def persons_by_name(self, name: str) -> list[Person]:
        return list(self._by_name.get(normalize_term(name), ()))

    def roles_of(self, person_id: str, on: date | None = None) -> list[Role]:
        p = self.people.get(person_id)
        if p is None:
            return []
        if on is None:
            return list(p.roles)
        return [r for r in p.roles if r.holds_on(on)]

    def holders(
        self,
        office: str,
        country: str | None = None,
        org: str | None = None,
        on: date | None = None,
    ) -> list[Person]:
        """People holding ``office`` for ``country``/``org`` on date ``on`` (any date if None)."""
        out = []
        for p in self._by_office.get(office, ()):
            for r in p.roles:
                if r.office != office:
                    continue
                rc = r.country or p.country
                if country is not None and rc != country:
                    continue
                if org is not None and r.org != org:
                    continue
                if on is not None and not r.holds_on(on):
                    continue
                out.append(p)
                break
        return out

    def is_region_member(self, region: str, iso3: str) -> bool:
        r = self.regions.get(region)
        return r is not None and iso3 in r.members
