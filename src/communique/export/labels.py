"""Display names of actor keys (ISO alpha-3 countries, organisation and region codes),
from the bundled knowledge base."""

from __future__ import annotations

from collections.abc import Collection


def key_labels(keys: Collection[str]) -> dict[str, tuple[str, str]]:
    """``{key: (label, kind)}``, kind country | org | region; keys the knowledge base
    does not know keep the key as label and kind "unknown"."""
    from communique.knowledge import load_knowledge

    if not keys:
        return {}
    # the bundled data only: imported dictionaries add people, not country or org names
    kb = load_knowledge(imported=False)
    found: dict[str, tuple[str, str]] = {}
    for key in keys:
        if (country := kb.country(key)) is not None:
            found[key] = (country.name_en, "country")
        elif (org := kb.org(key)) is not None:
            found[key] = (org.name_en, "org")
        elif (region := kb.region(key)) is not None:
            found[key] = (region.name_en, "region")
        else:
            found[key] = (key, "unknown")
    return found
