"""The PLOVER ontology: event types, their modes, quad classes and contexts.

This module is the single source of truth for what belongs to PLOVER itself; everything else
(the coder's ``coding/data/plover.yaml``, the query filters, the gold-file schema) imports it
or is validated against it. What communique adds on top (an intensity weight and a CAMEO root
per type) lives in ``coding/data/plover.yaml``.

Sources and credit
------------------
* Type names, modes and quads follow the table of ``shared/conventions/CODING.md``, which
  paraphrases the PLOVER manual and fixes the mode lists the project codes.
* The context names are taken verbatim (they are identifiers) from the PLOVER manual:
  *PLOVER: Political Language Ontology for Verifiable Event Records. Event, Actor and Data
  Interchange Specification*, Open Event Data Alliance, draft version 0.8, repository
  ``openeventdata/PLOVER``, file ``PLOVER_MANUAL.tex`` (table "General contexts" and section
  "Special contexts"). The manual is licensed under Creative Commons Attribution-ShareAlike
  4.0 International (CC BY-SA 4.0); copyright Open Event Data Alliance.

Pure data: standard library only, nothing is read or computed at import beyond building
these immutable constants.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "CONTEXTS",
    "MODES",
    "PLOVER_TYPES",
    "QUADS",
    "QUAD_NAMES",
    "SPECIAL_CONTEXTS",
]

# The sixteen event types, in the order of CODING.md (cooperation to conflict).
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

# Allowed ``mode`` values per type, exactly the "modes" column of CODING.md, in its order.
# An empty tuple means the type takes no mode (``mode`` is always null).
MODES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "AGREE": (),
        "CONSULT": ("visit", "third-party", "multilateral", "phone"),
        "SUPPORT": (),
        "CONCEDE": (),
        "COOPERATE": (),
        "AID": (),
        "RETREAT": ("withdraw", "release", "disarm", "ceasefire", "access", "resign"),
        "REQUEST": ("assist", "change", "yield", "meet"),
        "ACCUSE": ("disapprove", "investigate", "allege"),
        "REJECT": ("assist", "change", "yield", "meet"),
        "THREATEN": ("restrict", "arrest", "relations", "expel", "territory", "violence"),
        "PROTEST": ("demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"),
        "SANCTION": ("convict", "expel", "withdraw", "discontinue"),
        "MOBILIZE": ("troops", "weapons", "police", "militia"),
        "COERCE": (
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
        ),
        "ASSAULT": (
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
        ),
    }
)

# PLOVER's quad classes, numbered as in the manual.
QUAD_NAMES: Mapping[int, str] = MappingProxyType(
    {
        1: "verbal cooperation",
        2: "material cooperation",
        3: "verbal conflict",
        4: "material conflict",
    }
)

# Quad class of each type.
QUADS: Mapping[str, int] = MappingProxyType(
    {
        "AGREE": 1,
        "CONSULT": 1,
        "SUPPORT": 1,
        "CONCEDE": 1,
        "COOPERATE": 2,
        "AID": 2,
        "RETREAT": 2,
        "REQUEST": 3,
        "ACCUSE": 3,
        "REJECT": 3,
        "THREATEN": 3,
        "PROTEST": 4,
        "SANCTION": 4,
        "MOBILIZE": 4,
        "COERCE": 4,
        "ASSAULT": 4,
    }
)

# The general contexts (the "why" of an event) that PLOVER allows with any event type, in
# the order of the manual's table. These are the values of an event's ``contexts`` list.
CONTEXTS: tuple[str, ...] = (
    "military",
    "intelligence",
    "peacekeeping",
    "economic",
    "diplomatic",
    "resource",
    "disease",
    "enviro_disaster",
    "migration",
    "humanitarian",
    "asylum",
    "legal",
    "human_rights",
    "rights_freedoms",
    "gender",
    "lgbt",
    "terrorism",
    "human_security",
    "religion_ethnicity",
    "executive",
    "election",
    "legislative",
    "cbrn",
    "cyber",
    "political_institutions",
    "corruption",
    "crime",
    "illegal_drugs",
)

# PLOVER's four special contexts. The manual expects a coder to resolve them; communique
# records them as the boolean event fields ``historical``, ``future``, ``hypothetical`` and
# ``negated`` instead of putting them in ``contexts``, so they are kept apart from CONTEXTS.
SPECIAL_CONTEXTS: tuple[str, ...] = ("historical", "future", "hypothetical", "negation")
