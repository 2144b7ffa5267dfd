"""GET /api/stories and /api/stories/{story_id}: story grouping over HTTP, filters, cursor
paging, coded errors, and the OpenAPI schema."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from api_store import AZE, CHN, JPN, RUS, AsgiClient, assert_error, build_store, ev

from communique.api import create_app
from communique.model import Article, CodedArticle
from communique.settings import Settings


def report(aid: str, outlet: str, day: int, *sentences: tuple[str, str, str, Any, Any, str],
           **extra: Any) -> CodedArticle:  # fmt: skip
    """A dispatch published on 2024-11-<day> by ``outlet``; each sentence is (text,
    trigger, type, source, target, date)."""
    text = " ".join(s[0] for s in sentences)
    events = tuple(
        ev(text, s, trig, etype, (src,), (dst,), when, **extra)
        for s, trig, etype, src, dst, when in sentences
    )
    return CodedArticle(
        Article(id=aid, text=text, lang="fr", published=date(2024, 11, day), source=outlet),
        events,
    )


def world() -> list[CodedArticle]:
    """One AZE-JPN meeting told by three outlets (one of them twice), the same pair meeting
    again ten days later, an accusation, a denial, and five RUS-CHN meetings a week apart."""
    meet = "CONSULT"
    return [
        report("m1", "Agence Un", 4,
               ("Ishikawa a rencontré Mammadov à Bakou.", "a rencontré", meet, JPN, AZE,
                "2024-11-04"),
               ("Mammadov a accusé Ishikawa de retard.", "a accusé", "ACCUSE", AZE, JPN,
                "2024-11-04")),
        report("m2", "Deux Infos", 5,
               ("Mammadov et Ishikawa se sont vus lundi.", "se sont vus", meet, AZE, JPN,
                "2024-11-04"),
               ("Les deux hommes ont parlé longuement.", "ont parlé", meet, AZE, JPN,
                "2024-11-04")),
        report("m3", "Trois Presse", 6,
               ("Ishikawa a discuté mardi avec Mammadov.", "a discuté", meet, JPN, AZE,
                "2024-11-05")),
        report("m4", "Agence Un", 15,
               ("Ishikawa a revu Mammadov.", "a revu", meet, JPN, AZE, "2024-11-15")),
        report("m5", "Deux Infos", 5,
               ("Ishikawa n'a pas rencontré le ministre Mammadov.", "rencontré", meet, JPN,
                AZE, "2024-11-04"), negated=True),
        *(
            report(f"r{i}", "Agence Un", 1 + 7 * i,
                   (f"Lavrov a reçu Wang Yi, séance {i}.", "a reçu", meet, RUS, CHN,
                    f"2024-11-{1 + 7 * i:02d}"))
            for i in range(5)
        ),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def story_client(tmp_path_factory: pytest.TempPathFactory) -> AsgiClient:
    path = build_store(tmp_path_factory.mktemp("stories") / "s.duckdb", world())
    return AsgiClient(create_app(path))


def stories(client: AsgiClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/stories", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"stories", "next_cursor"} and body["next_cursor"] is None
    return list(body["stories"])


def the_meeting(found: list[dict[str, Any]]) -> dict[str, Any]:
    [story] = [s for s in found if s["type"] == "CONSULT" and s["date_first"] == "2024-11-04"
               and not s["negated"] and "AZE" in (s["source_key"], s["target_key"])]  # fmt: skip
    return story


def test_one_meeting_three_sources(story_client: AsgiClient) -> None:
    found = stories(story_client)
    # AZE-JPN: meeting, meeting 10 days later, accusation, denial; RUS-CHN: five meetings
    assert len(found) == 9
    story = the_meeting(found)
    assert (story["n_articles"], story["n_mentions"], story["n_outlets"]) == (3, 4, 3)
    assert story["outlets"] == ["Agence Un", "Deux Infos", "Trois Presse"]
    assert [e["article_id"] for e in story["evidence"]] == ["m1", "m2", "m2", "m3"]
    assert story["date_last"] == "2024-11-05" and story["directed"] is False
    # stories in order: first date, then id
    orders = [(s["date_first"], s["story_id"]) for s in found]
    assert orders == sorted(orders)


def test_story_by_id(story_client: AsgiClient) -> None:
    for story in stories(story_client):
        response = story_client.get(f"/api/stories/{story['story_id']}")
        assert response.status_code == 200, response.text
        assert response.json() == {"story": story}


@pytest.mark.parametrize("bad", ["s00000000-e123", "nothing", "s" + "0" * 8 + "-" + "x" * 5])
def test_unknown_story_is_a_coded_404(story_client: AsgiClient, bad: str) -> None:
    error = assert_error(story_client.get(f"/api/stories/{bad}"), 404, "C604")
    assert "/api/stories" in (error["hint"] or "")


def test_filters_select_whole_stories(story_client: AsgiClient) -> None:
    meeting = the_meeting(stories(story_client))
    assert {s["type"] for s in stories(story_client, type="ACCUSE")} == {"ACCUSE"}
    assert len(stories(story_client, country="chn")) == 5
    assert len(stories(story_client, dyad="jpn-aze")) == 4
    # a period that cuts the meeting's chain returns it whole
    cut = stories(story_client, dyad="AZE-JPN", type="CONSULT", since="2024-11-05",
                  until="2024-11-05")  # fmt: skip
    assert [s for s in cut if not s["negated"]] == [meeting]
    month = stories(story_client, country="RUS", since="2024-11", until="2024-11")
    assert len(month) == 5
    assert [s["story_id"] for s in stories(story_client, article_id="m3")] == [meeting["story_id"]]
    assert [s["story_id"] for s in stories(story_client, q="LONGUEMENT")] == [meeting["story_id"]]


def test_pages_cover_every_story_once(story_client: AsgiClient) -> None:
    everything = [s["story_id"] for s in stories(story_client)]
    seen: list[str] = []
    cursor = None
    for _ in range(20):
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = story_client.get("/api/stories", params=params).json()
        assert len(body["stories"]) <= 2
        seen += [s["story_id"] for s in body["stories"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == everything


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"type": "MEETING"}, "C600"),
        ({"country": "Atlantis"}, "C600"),
        ({"since": "2024-13"}, "C600"),
        ({"cursor": "garbage"}, "C601"),
        ({"limit": 0}, "C602"),
        ({"limit": 501}, "C602"),
    ],
)
def test_bad_parameters_are_coded_errors(
    story_client: AsgiClient, params: dict[str, Any], code: str
) -> None:
    assert_error(story_client.get("/api/stories", params=params), 400, code)


def test_an_event_cursor_is_not_a_story_cursor(story_client: AsgiClient) -> None:
    token = story_client.get("/api/events", params={"limit": 1}).json()["next_cursor"]
    assert token
    assert_error(story_client.get("/api/stories", params={"cursor": token}), 400, "C601")


def test_the_window_setting_is_used(tmp_path: Path) -> None:
    path = build_store(tmp_path / "w.duckdb", world())
    wide = AsgiClient(create_app(path, Settings().with_(story_window_days=10)))
    found = stories(wide, dyad="AZE-JPN", type="CONSULT")
    # the meeting 10 days later joins; the denial stays apart
    assert sorted((s["negated"], s["n_articles"]) for s in found) == [(False, 4), (True, 1)]


def test_openapi_documents_the_story_endpoints(story_client: AsgiClient) -> None:
    schema = story_client.get("/api/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}"} <= set(schema["paths"])
    story = schema["components"]["schemas"]["Story"]
    assert story["examples"][0]["n_articles"] == 2
    assert {"n_mentions", "n_articles", "n_outlets", "evidence"} <= set(story["properties"])
