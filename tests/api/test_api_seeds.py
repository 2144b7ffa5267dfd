"""The API over a store built by really ingesting the seed dispatches: the AZE-JPN dyad
shows the Baku meeting, whose event and article pages point at the sentence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from api_store import AsgiClient

from communique.api import create_app
from communique.engines.local import run_ingest
from communique.settings import Settings

pytestmark = pytest.mark.model

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
PUBLISHED = {
    "000_ba2d6775b7985a1c.txt": date(2024, 11, 29),
    "002_df765a5cd5958b86.txt": date(2024, 8, 9),
}


@pytest.fixture(scope="module")
def seeds_client(tmp_path_factory: pytest.TempPathFactory) -> AsgiClient:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    path = tmp_path_factory.mktemp("seeds") / "seeds.duckdb"
    settings = Settings().with_(store_path=path)
    # the publication dates of seeds/README.md (the text files do not carry them)
    for name, published in PUBLISHED.items():
        report = run_ingest([SEEDS / name], settings=settings, published=published)
        assert report.articles_added == 1 and not report.problems
    return AsgiClient(create_app(path))


def test_baku_meeting_from_dyad_to_sentence(seeds_client: AsgiClient) -> None:
    dyad = seeds_client.get("/api/dyads", params={"a": "AZE", "b": "JPN"}).json()
    november = next(m for m in dyad["months"] if m["month"] == "2024-11")
    assert november["counts"].get("CONSULT", 0) >= 1
    assert november["score"] is not None and november["score"] > 0
    rows = seeds_client.get(
        "/api/events", params={"dyad": "AZE-JPN", "type": "CONSULT", "since": "2024-11"}
    ).json()["events"]
    assert rows
    row = rows[0]
    detail = seeds_client.get(f"/api/events/{row['event_id']}").json()
    assert any("[[" in line and "]]" in line for line in detail["explain"])
    article = seeds_client.get(f"/api/articles/{row['article_id']}").json()
    text = article["article"]["text"]
    (mine,) = [e for e in article["events"] if e["event_id"] == row["event_id"]]
    assert text[mine["evidence_start"] : mine["evidence_end"]] == row["evidence"]["text"]
    assert text[mine["trigger_start"] : mine["trigger_end"]] == mine["trigger_text"]
    assert "Bak" in row["evidence"]["text"] or (row["location"] or {}).get("country") == "AZE"


def test_seed_aggregates_render(seeds_client: AsgiClient) -> None:
    actors = {a["key"] for a in seeds_client.get("/api/actors").json()["actors"]}
    assert {"AZE", "JPN"} <= actors
    graph = seeds_client.get("/api/graph").json()
    assert any({e["source"], e["target"]} == {"AZE", "JPN"} for e in graph["edges"])
    assert seeds_client.get("/api/map").status_code == 200
    found = seeds_client.get("/api/events", params={"q": "Ishikawa"}).json()["events"]
    assert found
