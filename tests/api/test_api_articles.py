"""GET /api/articles/{id}, /api/basemap, the static UI, the schema, unknown paths, write
methods, and a store that is missing or being written."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_store import AsgiClient, assert_error, build_store, held_by_another_process

from communique.api import create_app


def test_article_with_evidence_and_trigger_offsets(client: AsgiClient) -> None:
    response = client.get("/api/articles/news/a1")  # an id with a slash
    assert response.status_code == 200, response.text
    body = response.json()
    article = body["article"]
    assert article["id"] == "news/a1" and article["published"] == "2024-08-09"
    assert (article["title"], article["lang"], article["source"]) == (
        "Visite à Bakou",
        "fr",
        "AZERTAC",
    )
    text = article["text"]
    assert [e["type"] for e in body["events"]] == ["CONSULT", "ACCUSE"]
    for e in body["events"]:
        assert text[e["evidence_start"] : e["evidence_end"]] == e["evidence_text"]
        assert text[e["trigger_start"] : e["trigger_end"]] == e["trigger_text"]
        assert e["evidence_start"] <= e["trigger_start"] < e["trigger_end"] <= e["evidence_end"]
    assert body["events"][0]["source"]["name"] == "Masaki Ishikawa"
    month_only = client.get("/api/articles/a3").json()["article"]
    assert (month_only["published"], month_only["published_month"]) == (None, "2024-12")


def test_unknown_article_is_a_coded_404(client: AsgiClient) -> None:
    assert_error(client.get("/api/articles/nope"), 404, "C604")
    assert_error(client.get("/api/articles/a1' OR '1'='1"), 404, "C604")
    assert_error(client.get("/api/articles/" + "x" * 600), 400, "C602")


def test_basemap_is_served_or_a_coded_404(
    client: AsgiClient, store_path: Path, tmp_path: Path
) -> None:
    shape = tmp_path / "countries.geojson"
    shape.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with_map = AsgiClient(create_app(store_path, basemap_path=shape))
    response = with_map.get("/api/basemap")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    assert response.json()["type"] == "FeatureCollection"
    without = AsgiClient(create_app(store_path, basemap_path=tmp_path / "missing.geojson"))
    error = assert_error(without.get("/api/basemap"), 404, "C604")
    assert "basemap" in error["message"]


def test_static_ui_at_root_and_ui(client: AsgiClient) -> None:
    for url in ("/", "/index.html", "/ui/", "/ui/app.css"):
        assert client.get(url).status_code == 200, url
    assert "<title>ui</title>" in client.get("/").text
    assert_error(client.get("/missing.js"), 404, "C604")


def test_no_ui_folder_means_api_only(store_path: Path, tmp_path: Path) -> None:
    api_only = AsgiClient(create_app(store_path, static_dir=tmp_path / "none"))
    assert_error(api_only.get("/"), 404, "C604")
    assert api_only.get("/api/events").status_code == 200


def test_openapi_schema_lists_every_endpoint_with_examples(client: AsgiClient) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert paths >= {
        "/api/events",
        "/api/events/{event_id}",
        "/api/actors",
        "/api/dyads",
        "/api/graph",
        "/api/map",
        "/api/articles/{article_id}",
        "/api/basemap",
    }
    for path, item in schema["paths"].items():
        # read-only, but for the one write endpoint (off unless a token is configured)
        assert set(item) == ({"post"} if path == "/api/ingest" else {"get"}), path
    models = schema["components"]["schemas"]
    for name in (
        "EventsPage",
        "EventRow",
        "EventExplained",
        "DyadResponse",
        "GraphResponse",
        "MapResponse",
        "ArticleResponse",
        "ActorsResponse",
        "ErrorResponse",
    ):
        assert models[name].get("examples"), name
    limit = next(
        p for p in schema["paths"]["/api/events"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 500)


def test_unknown_endpoints_and_writes_are_coded(client: AsgiClient) -> None:
    assert_error(client.get("/api/nothing/here"), 404, "C604")
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert_error(client.request(method, "/api/events"), 405, "C605")
        assert_error(client.request(method, "/api/whatever"), 405, "C605")


def test_missing_store_is_a_coded_503(tmp_path: Path) -> None:
    client = AsgiClient(create_app(tmp_path / "none.duckdb"))
    error = assert_error(client.get("/api/events"), 503, "C300")
    assert "ingest" in error["hint"]


def test_a_store_being_written_answers_503_then_reads_again(tmp_path: Path) -> None:
    path = build_store(tmp_path / "busy.duckdb")
    with held_by_another_process(path):
        app = create_app(path)
        app.state.communique.busy_wait = 0.2
        client = AsgiClient(app)
        response = client.get("/api/events")
        assert_error(response, 503, "C301")
        assert response.headers["retry-after"]
    assert client.get("/api/events").status_code == 200


@pytest.mark.parametrize("url", ["/api/events", "/api/actors", "/api/graph", "/api/map"])
def test_an_empty_store_answers_empty_lists(tmp_path: Path, url: str) -> None:
    path = build_store(tmp_path / "empty.duckdb", [])
    response = AsgiClient(create_app(path)).get(url)
    assert response.status_code == 200
    assert all(v in ([], None) for v in response.json().values())
