"""GET /api/events/{event_id}: the row, its trigger, trace and article, and the lines of
`communique explain`."""

from __future__ import annotations

from api_store import AsgiClient, assert_error, coded_articles, rows_of

from communique.explain import render_explanation


def test_event_with_its_explain_trace(client: AsgiClient) -> None:
    row = next(r for r in rows_of(coded_articles()) if r["type"] == "CONSULT")
    response = client.get(f"/api/events/{row['event_id']}")
    assert response.status_code == 200, response.text
    body = response.json()
    event = body["event"]
    assert {k: event[k] for k in row} == row
    text = event["article"]["text"]
    assert text[event["trigger"]["start"] : event["trigger"]["end"]] == "a rencontré"
    assert event["trace"] == ["source: test", "target: test"]
    assert body["explain"] == render_explanation(event).splitlines()
    assert any("[[a rencontré]]" in line for line in body["explain"])
    assert any(line.startswith("source    Masaki Ishikawa [JPN") for line in body["explain"])


def test_unknown_event_is_a_coded_404(client: AsgiClient) -> None:
    error = assert_error(client.get("/api/events/e-missing"), 404, "C604")
    assert "e-missing" in error["message"]
    assert_error(client.get("/api/events/' OR '1'='1"), 404, "C604")
    assert_error(client.get("/api/events/" + "e" * 200), 400, "C602")
