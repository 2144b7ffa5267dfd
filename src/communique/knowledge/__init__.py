"""World knowledge: countries, regions, organisations, offices, people with dated roles."""

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
from communique.knowledge.loader import load_knowledge, load_terms

__all__ = [
    "Country",
    "KnowledgeBase",
    "Office",
    "Organisation",
    "Person",
    "Region",
    "Role",
    "Term",
    "load_knowledge",
    "load_terms",
    "normalize_term",
]
