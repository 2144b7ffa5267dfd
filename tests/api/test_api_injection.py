"""SQL injection attempts on every filter of every endpoint, on DuckDB and (with
COMMUNIQUE_TEST_POSTGRES set) PostgreSQL: classic payloads, stacked queries, comment
tricks, LIKE wildcards, NUL bytes, very long values and look-alike quotes.

Each answer is a coded 400 (or a 404 for an unknown id), or a 200 holding no more than the
honest filter gives: what the value selects when taken literally, worked out here from the
unfiltered answer. Never a 500. The store is unchanged afterwards: same tables, same rows
(a checksum of every row of every table). The write endpoint's fields take the same
payloads and store them literally, touching no other row.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from api_store import AsgiClient, build_store
from api_writes import TRIGGER, FakeCoder, auth, checksum, post, snapshot, writing_app

from communique.api import create_app

# Hundreds of requests per backend, each opening the store.
pytestmark = pytest.mark.slow

POSTGRES_ENV = "COMMUNIQUE_TEST_POSTGRES"

PAYLOADS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    '" OR ""="',
    "') OR ('1'='1",
    "AZE' --",
    "'; DROP TABLE events; --",
    '"; DROP TABLE events; --',
    "1; DELETE FROM articles",
    "x'; UPDATE events SET type = 'X'; --",
    "' UNION SELECT * FROM articles --",
    "CONSULT' UNION SELECT type FROM events WHERE '1'='1",
    "'/**/OR/**/1=1/*",
    "*/ OR 1=1 /*",
    "$$; DROP TABLE events; $$",
    "\\' OR 1=1 --",
    "%",
    "_",
    "%_%",
    "\\%",
    "sur_tout",
    "\x00",
    "AZE\x00' OR 1=1 --",
    "’ OR 1=1 --",  # right single quotation mark
    "＇ OR ＇1＇=＇1",  # fullwidth apostrophes
    "2024-08-09'; DROP TABLE events; --",
    "A" * 5_000,
    "' OR 1=1 --" * 400,
]

# What a filter value selects when taken literally; None: nothing (not a valid value).
RowTest = Callable[[dict[str, Any], str], bool]


def _evidence_has(text: str, needle: str) -> bool:
    return needle.lower() in text.lower()


EVENT_FILTERS: dict[str, RowTest | None] = {
    "country": None,
    "dyad": None,
    "type": lambda row, v: row["type"] == v.strip().upper(),
    "since": None,
    "until": None,
    "article_id": lambda row, v: row["article_id"] == v,
    "q": lambda row, v: _evidence_has(row["evidence"]["text"], v),
    "limit": None,
    "cursor": None,
}
STORY_FILTERS: dict[str, RowTest | None] = {
    **EVENT_FILTERS,
    "article_id": lambda story, v: any(e["article_id"] == v for e in story["evidence"]),
    "q": lambda story, v: any(_evidence_has(e["text"], v) for e in story["evidence"]),
}
# Exact results are asserted where the filter is evaluated literally (wildcards included).
EXACT = {"q", "article_id", "type"}
AGGREGATE_FILTERS = ("since", "until", "type", "country")


# -- stores on each backend -------------------------------------------------------------------


def _postgres_database() -> Iterator[str]:
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        why = f"{POSTGRES_ENV} is not set: no PostgreSQL server for these cases"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"{why}, and CI is set: CI must run them", pytrace=False)
        pytest.skip(why)
    import psycopg

    name = f"communique_apitest_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield urlunsplit(urlsplit(url)._replace(path="/" + name))
    finally:
        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """Where the store of this module opens, on each backend."""
    if request.param == "duckdb":
        yield tmp_path_factory.mktemp("injection") / "store.duckdb"
    else:
        yield from _postgres_database()


@pytest.fixture(scope="module")
def store(target: Path | str) -> Path | str:
    build_store(target)  # type: ignore[arg-type]
    return target


@pytest.fixture(scope="module")
def fingerprint(store: Path | str) -> str:
    return checksum(snapshot(store))


@pytest.fixture(scope="module")
def client(store: Path | str, tmp_path_factory: pytest.TempPathFactory) -> AsgiClient:
    return AsgiClient(create_app(store, static_dir=tmp_path_factory.mktemp("nostatic")))


@pytest.fixture(scope="module")
def all_rows(client: AsgiClient) -> list[dict[str, Any]]:
    rows = client.get("/api/events", params={"limit": 500}).json()["events"]
    assert len(rows) > 10
    return list(rows)


@pytest.fixture(scope="module")
def all_stories(client: AsgiClient) -> list[dict[str, Any]]:
    return list(client.get("/api/stories", params={"limit": 500}).json()["stories"])


def _coded_or_ok(response: Any, where: str) -> dict[str, Any] | None:
    """The JSON of a 200, or None for a coded 400 (C6xx); anything else fails."""
    assert response.status_code in (200, 400), f"{where}: {response.status_code} {response.text}"
    body = response.json()
    if response.status_code == 400:
        assert set(body) == {"error"}, where
        assert body["error"]["code"].startswith("C6") and body["error"]["message"], where
        return None
    return dict(body)


# -- list endpoints ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "key"), [("/api/events", "events"), ("/api/stories", "stories")]
)
def test_event_and_story_filters(
    client: AsgiClient,
    store: Path | str,
    fingerprint: str,
    all_rows: list[dict[str, Any]],
    all_stories: list[dict[str, Any]],
    endpoint: str,
    key: str,
) -> None:
    filters, everything, ident = (
        (EVENT_FILTERS, all_rows, "event_id")
        if key == "events"
        else (STORY_FILTERS, all_stories, "story_id")
    )
    literal_hits: set[tuple[str, str]] = set()
    for name, selects in filters.items():
        for payload in PAYLOADS:
            where = f"{endpoint}?{name}={payload[:40]!r}"
            body = _coded_or_ok(client.get(endpoint, params={"limit": 500, name: payload}), where)
            if body is None:
                continue
            got = {item[ident] for item in body[key]}
            honest = {x[ident] for x in everything if selects is not None and selects(x, payload)}
            assert got <= honest, where
            if name in EXACT:
                assert got == honest, where
                if got:
                    literal_hits.add((name, payload))
    # taken literally, %, _ and the quoted name in a sentence do select rows (and only them)
    assert {("q", "%"), ("q", "_"), ("q", "sur_tout"), ("q", "'; DROP TABLE events; --")} == (
        literal_hits
    )
    assert checksum(snapshot(store)) == fingerprint


def test_actor_filters(client: AsgiClient, store: Path | str, fingerprint: str) -> None:
    everyone = client.get("/api/actors", params={"limit": 1000}).json()["actors"]
    for payload in PAYLOADS:
        for name in ("q", "limit"):
            where = f"/api/actors?{name}={payload[:40]!r}"
            body = _coded_or_ok(client.get("/api/actors", params={name: payload}), where)
            if body is None:
                continue
            needle = payload.strip().casefold()
            honest = {
                a["key"]
                for a in everyone
                if name == "q" and (needle in a["key"].casefold() or needle in a["name"].casefold())
            }
            assert {a["key"] for a in body["actors"]} <= honest, where
    assert checksum(snapshot(store)) == fingerprint


def test_dyad_filters(client: AsgiClient, store: Path | str, fingerprint: str) -> None:
    valid = {"a": "AZE", "b": "JPN"}
    for name in ("a", "b", "since", "until", "type"):
        for payload in PAYLOADS:
            where = f"/api/dyads?{name}={payload[:40]!r}"
            body = _coded_or_ok(client.get("/api/dyads", params={**valid, name: payload}), where)
            if body is None:
                continue
            # no payload is a key, a date or a type: nothing is selected
            assert body["months"] == [] and body["undated"] == 0, where
    assert checksum(snapshot(store)) == fingerprint


@pytest.mark.parametrize("endpoint", ["/api/graph", "/api/map"])
def test_graph_and_map_filters(
    client: AsgiClient, store: Path | str, fingerprint: str, endpoint: str
) -> None:
    for name in AGGREGATE_FILTERS:
        for payload in PAYLOADS:
            where = f"{endpoint}?{name}={payload[:40]!r}"
            body = _coded_or_ok(client.get(endpoint, params={name: payload}), where)
            if body is None:
                continue
            assert all(v == [] for v in body.values()), where
    assert checksum(snapshot(store)) == fingerprint


@pytest.mark.parametrize(
    "path",
    ["/api/events/{}", "/api/articles/{}", "/api/stories/{}"],
    ids=["event", "article", "story"],
)
def test_ids_in_paths(client: AsgiClient, store: Path | str, fingerprint: str, path: str) -> None:
    for payload in [*PAYLOADS, "news/a1' OR '1'='1", "../../etc/passwd", "a2%00"]:
        url = path.format(quote(payload, safe=""))
        response = client.get(url)
        where = f"{path} with {payload[:40]!r}"
        assert response.status_code in (400, 404), f"{where}: {response.text[:200]}"
        assert response.json()["error"]["code"] in ("C602", "C604"), where
    assert checksum(snapshot(store)) == fingerprint


# -- the write endpoint's fields ---------------------------------------------------------------


@pytest.fixture(scope="module")
def write_store(target: Path | str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A second, empty store of the backend, for writes (the read store stays as built)."""
    if isinstance(target, Path):
        where = tmp_path_factory.mktemp("injection-writes") / "store.duckdb"
        build_store(where, [])
        yield where
        return
    for url in _postgres_database():
        build_store(url, [])  # type: ignore[arg-type]
        yield url


def _post_raw(client: AsgiClient, dispatches: list[dict[str, Any]]) -> Any:
    """POST with every non-ASCII character escaped, so that a lone surrogate travels as
    the JSON escape a client would send."""
    return client.request(
        "POST",
        "/api/ingest",
        content=json.dumps({"dispatches": dispatches}, ensure_ascii=True).encode("ascii"),
        headers={**auth(), "Content-Type": "application/json"},
    )


# Payloads that are stored as they are in every free-text field (others fail validation:
# NUL, or an id over the length limit).
STORABLE = [p for p in PAYLOADS if "\x00" not in p and len(p) <= 512]


def test_write_fields_are_stored_literally(write_store: Path | str) -> None:
    client = AsgiClient(writing_app(write_store, FakeCoder(), api_write_burst=1_000))
    before = snapshot(write_store)
    sent = []
    for i, payload in enumerate(STORABLE):
        record = {
            "id": f"{payload}#{i}",
            # words of its own, so that no text is a near-duplicate of another
            "text": f"Bakou, 3 mars. Ilham Aliyev a {TRIGGER} Jean Dupont. {payload} "
            + " ".join(f"mot{i}x{k}" for k in range(12)),
            "title": payload,
            "url": payload,
            "source": payload,
            "lang": "fr",
        }
        sent.append(record)
    for start in range(0, len(sent), 20):
        response = post(client, sent[start : start + 20])
        assert response.status_code == 200, response.text
    after = snapshot(write_store)
    for table, rows in before.items():
        assert set(rows) <= set(after[table]), table  # no earlier row changed or went
    assert set(after) == set(before)  # no table went or came
    for record in sent:
        response = client.get("/api/articles/" + quote(record["id"], safe=""))
        assert response.status_code == 200, record["id"]
        article = response.json()["article"]
        assert article["id"] == record["id"]
        assert (article["title"], article["url"], article["source"]) == (
            record["title"],
            record["url"],
            record["source"],
        )
    assert client.get("/api/events", params={"limit": 500}).json()["events"]


@pytest.mark.parametrize("field", ["id", "title", "url", "source", "lang", "published"])
def test_write_fields_refuse_what_cannot_be_stored(write_store: Path | str, field: str) -> None:
    client = AsgiClient(writing_app(write_store, FakeCoder(), api_write_burst=1_000))
    before = snapshot(write_store)
    for bad in ("a\x00b", "\ud800", "' OR 1=1 --\x00"):
        record = {"id": "nul-test", "text": f"Un texte où Aliyev a {TRIGGER} Dupont.", field: bad}
        response = _post_raw(client, [record])
        assert response.status_code == 400, response.text
        assert response.json()["error"]["problems"][0]["where"] == "dispatches[0]"
    for bad_value in ("' OR 1=1 --", "fr'; DROP TABLE events; --", "2024-01-01' OR '1'='1"):
        if field not in ("lang", "published"):
            continue
        record = {"id": "bad-meta", "text": f"Aliyev a {TRIGGER} Dupont.", field: bad_value}
        response = post(client, [record])
        assert response.status_code == 400, response.text
    assert snapshot(write_store) == before
