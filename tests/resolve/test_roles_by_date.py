"""A title resolves to the person who held the office on the event's date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from communique.knowledge import load_knowledge


@pytest.mark.parametrize(
    ("office", "country", "on", "holder"),
    [
        ("head_of_state", "USA", dt.date(2020, 6, 10), "donald-trump"),
        ("head_of_state", "USA", dt.date(2022, 6, 10), "joe-biden"),
        ("head_of_state", "USA", dt.date(2025, 6, 10), "donald-trump"),
        ("head_of_government", "GBR", dt.date(2020, 6, 10), "boris-johnson"),
        ("head_of_government", "GBR", dt.date(2023, 6, 10), "rishi-sunak"),
        ("head_of_government", "GBR", dt.date(2025, 6, 10), "keir-starmer"),
        ("head_of_state", "AZE", dt.date(2024, 8, 9), "ilham-aliyev"),
        ("foreign_minister", "AZE", dt.date(2020, 3, 1), "elmar-mammadyarov"),
        ("foreign_minister", "AZE", dt.date(2024, 8, 9), "jeyhun-bayramov"),
    ],
)
def test_one_holder_per_office_and_date(
    office: str, country: str, on: dt.date, holder: str
) -> None:
    kb = load_knowledge()
    assert [p.id for p in kb.holders(office, country=country, on=on)] == [holder]


def test_every_un_member_has_a_leader_in_2024() -> None:
    # Afghanistan's emir is a supreme_leader; Lebanon had no president from 2022-10-31 to
    # 2025-01-09, only a caretaker prime minister.
    kb = load_knowledge()
    members = [c.iso3 for c in kb.countries.values() if c.status == "member"]
    assert len(members) == 193
    on = dt.date(2024, 7, 1)
    missing = [
        c
        for c in members
        if not any(
            kb.holders(office, country=c, on=on)
            for office in ("head_of_state", "head_of_government", "supreme_leader")
        )
    ]
    assert missing == []


# Known gap, documented in people/asia_pacific.yaml: Tonga's foreign ministers.
FOREIGN_MINISTER_GAPS = {"TON"}


def test_every_un_member_has_a_foreign_minister_on_record() -> None:
    kb = load_knowledge()
    members = [c.iso3 for c in kb.countries.values() if c.status == "member"]
    missing = {c for c in members if not kb.holders("foreign_minister", country=c)}
    assert missing == FOREIGN_MINISTER_GAPS


@pytest.fixture(scope="module")
def coder() -> Any:
    from communique.pipeline import Coder
    from communique.settings import Settings

    return Coder(Settings())


def _persons(rows: list[dict[str, Any]]) -> set[str]:
    return {
        a["actor_id"]
        for r in rows
        for a in (r["source"], r["target"])
        if a and (a.get("actor_id") or "").startswith("person:")
    }


@pytest.mark.model
@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (dt.date(2020, 6, 10), {"person:donald-trump", "person:shinzo-abe"}),
        (dt.date(2022, 6, 10), {"person:joe-biden", "person:fumio-kishida"}),
    ],
)
def test_the_same_french_titles_name_different_people_on_different_dates(
    coder: Any, published: dt.date, expected: set[str]
) -> None:
    from communique.extract import extract_text

    text = "Le président américain a reçu mardi le Premier ministre japonais à la Maison Blanche."
    rows = extract_text(text, published=published, lang="fr", coder=coder)
    assert _persons(rows) == expected
