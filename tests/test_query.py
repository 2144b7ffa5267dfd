"""query.py: parsing and validating filters, and the SQL they become."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communique.query import (
    PLOVER_TYPES,
    EventFilter,
    QueryError,
    count_sql,
    to_sql,
)


def test_parse_normalises_codes_and_dates() -> None:
    flt = EventFilter.parse(
        country=" aze ",
        dyad="jpn-aze",
        type="consult",
        since="2024-11-01",
        until="2024-11-30",
        article_id="a1",
        limit="10",
        offset="5",
    )
    assert flt == EventFilter(
        country="AZE",
        dyad=("AZE", "JPN"),
        type="CONSULT",
        since=date(2024, 11, 1),
        until=date(2024, 11, 30),
        article_id="a1",
        limit=10,
        offset=5,
    )


def test_empty_strings_mean_not_given() -> None:
    assert EventFilter.parse(country="", dyad="", type="", since="", limit="") == EventFilter()


def test_dyad_is_unordered() -> None:
    assert EventFilter.parse(dyad="AZE-JPN") == EventFilter.parse(dyad="JPN-AZE")
    assert EventFilter(dyad=("JPN", "AZE")).dyad == ("AZE", "JPN")
    assert EventFilter.parse(dyad="AZE-AZE").dyad == ("AZE", "AZE")  # internal events
    assert EventFilter.parse(dyad=["nato", "rus"]).dyad == ("NATO", "RUS")


def test_known_org_codes_and_custom_ones() -> None:
    assert EventFilter.parse(country="NATO").country == "NATO"
    assert EventFilter.parse(country="uno").country == "UNO"  # three letters: by shape
    with pytest.raises(QueryError):
        EventFilter.parse(country="ECOWASX")
    assert EventFilter.parse(country="ECOWASX", orgs={"ecowasx"}).country == "ECOWASX"


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"country": "AZ"}, "country"),
        ({"country": "AZER"}, "country"),
        ({"country": "A1Z"}, "country"),
        ({"country": "AZE' OR 1=1 --"}, "country"),
        ({"country": "AZÉ"}, "country"),
        ({"dyad": "AZE"}, "dyad"),
        ({"dyad": "AZE-JPN-FRA"}, "dyad"),
        ({"dyad": "AZE-"}, "dyad"),
        ({"dyad": "AZE-JP N"}, "dyad"),
        ({"dyad": "AZE-JPN'); DROP TABLE events; --"}, "dyad"),
        ({"type": "MEET"}, "type"),
        ({"type": "CONSULT' --"}, "type"),
        ({"since": "29/11/2024"}, "since"),
        ({"since": "2024-13-01"}, "since"),
        ({"until": "2024-02-30"}, "until"),
        ({"until": "20241129"}, "until"),
        ({"since": "2024-12-01", "until": "2024-11-01"}, "after"),
        ({"limit": "-1"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "1; DROP TABLE events"}, "limit"),
        ({"offset": "1.5"}, "offset"),
        ({"limit": str(2**64)}, "limit"),
        ({"offset": "٣"}, "offset"),  # a non-ASCII digit
        ({"article_id": "x" * 10_000}, "article id"),
    ],
)
def test_bad_values_raise_query_error_with_hint(kwargs: dict[str, str], fragment: str) -> None:
    with pytest.raises(QueryError, match=fragment) as info:
        EventFilter.parse(**kwargs)
    err = info.value
    assert err.code == "C600"
    assert err.hint
    assert err.where == "communique/query.py"
    assert "\n" not in err.render()


def test_direct_construction_is_validated_too() -> None:
    with pytest.raises(QueryError):
        EventFilter(country="aze")  # parse() upper-cases, the constructor does not
    with pytest.raises(QueryError):
        EventFilter(limit=-5)
    with pytest.raises(QueryError):
        EventFilter(country="AZE\n")
    wrong: dict[str, Any] = {"limit": True, "since": "2024-01-01", "dyad": ("AZE",)}
    for name, value in wrong.items():
        with pytest.raises(QueryError):
            EventFilter(**{name: value})


def test_plover_types_are_the_sixteen_of_the_conventions() -> None:
    assert len(PLOVER_TYPES) == 16
    assert {"CONSULT", "ASSAULT", "AGREE", "MOBILIZE"} <= PLOVER_TYPES


def test_plover_types_match_the_coders_data_file() -> None:
    yaml = pytest.importorskip("yaml")
    path = Path(__file__).resolve().parents[1] / "src/communique/coding/data/plover.yaml"
    if not path.is_file():
        pytest.skip("coding/data/plover.yaml not present")
    assert set(yaml.safe_load(path.read_text(encoding="utf-8"))["types"]) == PLOVER_TYPES


def test_to_sql_puts_every_value_in_parameters() -> None:
    flt = EventFilter.parse(
        country="AZE",
        dyad="AZE-JPN",
        type="CONSULT",
        since="2024-11-01",
        until="2024-11-30",
        article_id="zz-article",
        limit=7,
        offset=3,
    )
    sql, params = to_sql(flt)
    for value in ("AZE", "JPN", "CONSULT", "2024-11", "zz-article", " 7", " 3"):
        assert value not in sql
    assert sql.count("?") == len(params)
    assert params == [
        "AZE",
        "AZE",
        "AZE",
        "JPN",
        "JPN",
        "AZE",
        "CONSULT",
        date(2024, 11, 1),
        date(2024, 11, 30),
        "zz-article",
        7,
        3,
    ]
    assert "ORDER BY" in sql
    assert "LIMIT ?" in sql


def test_no_filter_no_where_and_no_limit() -> None:
    sql, params = to_sql(EventFilter())
    assert "WHERE" not in sql
    assert "LIMIT" not in sql
    assert params == [0]
    csql, cparams = count_sql(EventFilter(limit=5, offset=2))
    assert "LIMIT" not in csql and "OFFSET" not in csql
    assert cparams == []


@given(st.text(min_size=1, max_size=200))
def test_any_article_id_stays_out_of_the_sql(article_id: str) -> None:
    sql, params = to_sql(EventFilter.parse(article_id=article_id))
    assert article_id in params
    assert sql == to_sql(EventFilter(article_id="x"))[0]
