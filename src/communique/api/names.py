"""Names and kinds of actor keys (country ISO alpha-3, org or region code), from the
knowledge base. Built on first use by the app's context, never at import."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from communique.knowledge.base import KnowledgeBase


@dataclass(frozen=True)
class KeyDirectory:
    """``key -> (English name, kind)``; kind is country, org, region (or other for keys
    the knowledge base does not know)."""

    entries: Mapping[str, tuple[str, str]]

    @classmethod
    def from_knowledge(cls, kb: KnowledgeBase) -> KeyDirectory:
        entries: dict[str, tuple[str, str]] = {}
        # regions first so that an organisation with the same code (CAMEO writes the EU and
        # Europe both EUR; CODING.md reads EUR as the EU) wins, and countries win over both
        for code, region in kb.regions.items():
            entries[code] = (region.name_en, "region")
        for code, org in kb.organisations.items():
            entries[code] = (org.name_en, "org")
        for iso3, country in kb.countries.items():
            entries[iso3] = (country.name_en, "country")
        return cls(MappingProxyType(entries))

    def name(self, key: str) -> str:
        found = self.entries.get(key)
        return found[0] if found else key

    def kind(self, key: str) -> str:
        found = self.entries.get(key)
        return found[1] if found else "other"

    def codes(self) -> frozenset[str]:
        """Every org and region code (what ``EventFilter.parse(orgs=...)`` accepts)."""
        return frozenset(k for k, (_, kind) in self.entries.items() if kind != "country")
