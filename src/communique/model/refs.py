"""Resolved references: actors, dates, places. Each says how it was resolved."""

from __future__ import annotations

from dataclasses import dataclass

from communique.model.span import TextSpan

SECTORS = frozenset(
    {"GOV", "MIL", "LEG", "JUD", "REB", "OPP", "BUS", "NGO", "IGO", "CVL", "MED", "OTH"}
)


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor as resolved in one mention.

    ``kind`` is person | country | org | region | group. ``country`` is ISO alpha-3 or None;
    ``org`` a short organisation/region code (UNO, EUR, NATO, CAS...). ``actor_id`` is the
    knowledge-base id when the actor is known ("country:AZE", "person:ilham-aliyev").
    ``method`` says how it was resolved (e.g. "gazetteer", "title+demonym",
    "coref:head-of-state"), for `explain`.
    """

    name: str
    kind: str
    country: str | None = None
    sector: str | None = None
    org: str | None = None
    role: str | None = None
    actor_id: str | None = None
    method: str = ""
    confidence: float = 1.0
    span: TextSpan | None = None

    @property
    def key(self) -> str:
        """Scoring key of CODING.md: country, else org, else unknown."""
        return self.country or self.org or "unknown"


@dataclass(frozen=True, slots=True)
class DateRef:
    """A resolved date: ``value`` is "YYYY-MM-DD", "YYYY-MM" or "YYYY" (or None)."""

    value: str | None
    precision: str | None  # day | month | year | None
    method: str = ""
    span: TextSpan | None = None


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_id: str | None = None
    method: str = ""
    span: TextSpan | None = None
