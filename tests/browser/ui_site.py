"""What the browser tests share with their fixtures: the running site and the hostile
dispatch (imported by conftest.py and the tests; pytest puts this folder on sys.path)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# A dispatch whose text and title carry markup: the UI must show it literally.
HOSTILE_ID = "browser-test-hostile"
HOSTILE_MARKUP = "<script>alert(1)</script> <img src=x onerror=alert(2)>"
HOSTILE = {
    "id": HOSTILE_ID,
    "lang": "fr",
    "published": "2025-03-04",
    "source": "Agence Exemple <b>bold</b>",
    "title": f"Rencontre à Berlin {HOSTILE_MARKUP}",
    "text": (
        "Berlin, 4 mars 2025 (Agence Exemple) - Le ministre français des Affaires étrangères, "
        "Jean-Noël Barrot, a rencontré mardi à Berlin son homologue allemande "
        f"{HOSTILE_MARKUP} pour discuter de l'Ukraine.\n"
        f"Un communiqué a ensuite été publié. {HOSTILE_MARKUP}"
    ),
}


@dataclass(frozen=True)
class Site:
    """The running UI: its base URL and ids the tests navigate to."""

    url: str
    store: Path
    hostile_event_id: str
