"""GET /api/actors, /api/dyads, /api/graph and /api/map."""

from __future__ import annotations

from typing import Any

import pytest
from api_store import AsgiClient, assert_error


def get(client: AsgiClient, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_actors_with_names_kinds_and_counts(client: AsgiClient) -> None:
    actors = get(client, "/api/actors")["actors"]
    by_key = {a["key"]: a for a in actors}
    assert by_key["AZE"] == {"key": "AZE", "name": "Azerbaijan", "kind": "country", "events": 6}
    assert by_key["UNO"]["kind"] == "org" and by_key["UNO"]["events"] == 1
    assert "unknown" not in by_key  # the unnamed attackers
    assert [a["events"] for a in actors] == sorted((a["events"] for a in actors), reverse=True)
    assert [a["key"] for a in get(client, "/api/actors", q="azer")["actors"]] == ["AZE"]
    assert [a["key"] for a in get(client, "/api/actors", q="jpn")["actors"]] == ["JPN"]
    assert len(get(client, "/api/actors", limit=2)["actors"]) == 2
    assert get(client, "/api/actors", q="' OR 1=1 --")["actors"] == []


def test_dyad_months_counts_and_score(client: AsgiClient) -> None:
    body = get(client, "/api/dyads", a="jpn", b="AZE")
    assert (body["a"], body["b"], body["a_name"]) == ("JPN", "AZE", "Japan")
    months = {m["month"]: m for m in body["months"]}
    assert list(months) == ["2024-08", "2024-11"]
    aug, nov = months["2024-08"], months["2024-11"]
    assert aug["counts"] == {"CONSULT": 1} and (aug["a_to_b"], aug["b_to_a"]) == (1, 0)
    assert aug["score"] == 1.0
    # November: AGREE (+3) and a negated SUPPORT (counted, but not scored)
    assert nov["counts"] == {"AGREE": 1, "SUPPORT": 1} and nov["events"] == 2
    assert (nov["score"], nov["scored"]) == (3.0, 1)
    assert body["undated"] == 0


def test_dyad_conflict_scores_negative_and_undated_rows_are_counted(client: AsgiClient) -> None:
    body = get(client, "/api/dyads", a="AZE", b="UNO")
    (aug,) = body["months"]
    assert aug["counts"] == {"ACCUSE": 1} and aug["score"] == -2.0
    france = get(client, "/api/dyads", a="AZE", b="FRA")
    assert france["months"] == [] and france["undated"] == 1  # dated to a year only
    assert (
        get(client, "/api/dyads", a="AZE", b="JPN", since="2024-09")["months"][0]["month"]
        == "2024-11"
    )
    assert get(client, "/api/dyads", a="AZE", b="JPN", type="CONSULT")["months"][0]["month"] == (
        "2024-08"
    )


def test_graph_nodes_and_edges(client: AsgiClient) -> None:
    body = get(client, "/api/graph")
    nodes = {n["id"]: n for n in body["nodes"]}
    assert nodes["RUS"] == {"id": "RUS", "label": "Russia", "kind": "country", "events": 12}
    edges = {(e["source"], e["target"]): e for e in body["edges"]}
    assert edges[("CHN", "RUS")]["weight"] == 12 and edges[("CHN", "RUS")]["forward"] == 0
    assert edges[("AZE", "JPN")]["weight"] == 3
    assert edges[("AZE", "JPN")]["score"] == 2.0  # mean of +1 and +3; negated left out
    assert edges[("AZE", "UNO")]["score"] == -2.0
    assert all(e["source"] < e["target"] for e in body["edges"])
    assert all(e["source"] in nodes and e["target"] in nodes for e in body["edges"])
    conflict = get(client, "/api/graph", type="THREATEN")
    assert [(e["source"], e["target"]) for e in conflict["edges"]] == [("AZE", "FRA")]
    assert get(client, "/api/graph", since="2025-01")["edges"] == []
    ego = get(client, "/api/graph", country="UNO")
    assert {n["id"] for n in ego["nodes"]} == {"UNO", "AZE"}


def test_map_points(client: AsgiClient) -> None:
    points = get(client, "/api/map")["points"]
    assert [p["name"] for p in points] == ["Moscou", "Bakou"]
    baku = points[1]
    assert (baku["country"], baku["lat"], baku["lon"], baku["events"]) == ("AZE", 40.38, 49.89, 1)
    assert len(points[0]["event_ids"]) == 12
    event = client.get(f"/api/events/{baku['event_ids'][0]}").json()["event"]
    assert event["location"]["name"] == "Bakou"
    assert get(client, "/api/map", type="ACCUSE")["points"] == []
    assert [p["name"] for p in get(client, "/api/map", until="2024-08-31")["points"]] == ["Bakou"]


@pytest.mark.parametrize(
    ("url", "params", "code"),
    [
        ("/api/dyads", {"a": "AZE"}, "C602"),
        ("/api/dyads", {}, "C602"),
        ("/api/dyads", {"a": "AZE", "b": "not a key"}, "C600"),
        ("/api/dyads", {"a": "AZE", "b": "AZERB"}, "C600"),
        ("/api/dyads", {"a": "AZE", "b": "JPN", "since": "yesterday"}, "C600"),
        ("/api/dyads", {"a": "AZE", "b": "JPN", "type": "HUG"}, "C600"),
        ("/api/graph", {"type": "HUG"}, "C600"),
        ("/api/graph", {"since": "2024-02-30"}, "C600"),
        ("/api/graph", {"since": "2024-12", "until": "2024-01"}, "C600"),
        ("/api/map", {"until": "2024-1-1"}, "C600"),
        ("/api/map", {"country": "1"}, "C600"),
        ("/api/actors", {"limit": 0}, "C602"),
        ("/api/actors", {"limit": 100000}, "C602"),
        ("/api/actors", {"q": "x" * 101}, "C602"),
    ],
)
def test_bad_parameters_are_coded_400s(
    client: AsgiClient, url: str, params: dict[str, Any], code: str
) -> None:
    assert_error(client.get(url, params=params), 400, code)
