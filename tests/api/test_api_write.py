"""POST /api/ingest: off without a token, the token check, the limits (body size, dispatch
count, rate), all-or-nothing validation, coding and storing (fake coder; one test with the
real one), the single-writer model with DuckDB, and `communique serve` with a token."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from api_store import AsgiClient, assert_error, build_store, held_by_another_process
from api_writes import TOKEN, FakeCoder, auth, dispatch, post, snapshot, writing_app

from communique.api import create_app
from communique.api.errors import StoreBusyError
from communique.api.gate import StoreGate
from communique.api.limits import RateLimiter
from communique.errors import SettingsError
from communique.settings import Settings


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return build_store(tmp_path / "w.duckdb")


@pytest.fixture
def coder() -> FakeCoder:
    return FakeCoder()


@pytest.fixture
def client(store: Path, coder: FakeCoder) -> AsgiClient:
    return AsgiClient(writing_app(store, coder))


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, FakeCoder, AsgiClient]:
    """A store, coder and client shared by the tests of requests that must store nothing
    (each asserts the store unchanged); no rate limit gets in their way."""
    path = build_store(tmp_path_factory.mktemp("kept") / "kept.duckdb")
    coder = FakeCoder()
    return path, coder, AsgiClient(writing_app(path, coder, api_write_burst=10_000))


def _articles(client: AsgiClient, *ids: str) -> dict[str, int]:
    """Status of GET /api/articles/{id} for each id."""
    return {i: client.get(f"/api/articles/{i}").status_code for i in ids}


# -- off, and who may write --------------------------------------------------------------------


def test_writes_are_off_without_a_token(store: Path) -> None:
    before = snapshot(store)
    client = AsgiClient(create_app(store))
    error = assert_error(post(client, [dispatch(1)]), 403, "C606")
    assert "COMMUNIQUE_API_TOKEN" in error["hint"]
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        f"Basic {TOKEN}",
        f"Token {TOKEN}",
        f"Bearer {TOKEN[:-1]}",
        f"Bearer {TOKEN}x",
        f"Bearer {TOKEN.upper()}",
        ("Bearer " + "é" * len(TOKEN)).encode("utf-8"),  # not ASCII
    ],
)
def test_a_missing_or_wrong_token_is_refused_without_echo(
    kept: tuple[Path, FakeCoder, AsgiClient], header: str | bytes | None
) -> None:
    store, coder, client = kept
    before = snapshot(store)
    headers = {} if header is None else {"Authorization": header}
    response = client.request(
        "POST", "/api/ingest", json={"dispatches": [dispatch(1)]}, headers=headers
    )
    assert_error(response, 401, "C607")
    assert response.headers["www-authenticate"].startswith("Bearer")
    # neither the token sent nor the server's own is ever in the answer
    assert TOKEN[:12] not in response.text
    sent = header.decode("utf-8") if isinstance(header, bytes) else header
    if sent and len(sent) > 7:
        assert sent[7:] not in response.text
    assert coder.seen == [] and snapshot(store) == before


def test_a_short_token_is_refused_at_start(store: Path) -> None:
    with pytest.raises(SettingsError, match="at least 16"):
        create_app(store, Settings().with_(api_write_token="short-secret"))


def test_settings_never_show_the_token() -> None:
    settings = Settings().with_(api_write_token=TOKEN)
    assert TOKEN not in repr(settings) and TOKEN not in str(settings)


# -- coding and storing ------------------------------------------------------------------------


def test_dispatches_are_coded_stored_and_served(client: AsgiClient, coder: FakeCoder) -> None:
    sent = [
        dispatch(1, title="Premier", url="https://example.org/1", source="Agence A"),
        dispatch(2),
        dispatch(3, text="Bakou, 4 mars. Une journée calme sans rencontre ni déclaration."),
    ]
    response = post(client, sent)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["received"], body["articles_added"], body["events_added"]) == (3, 3, 2)
    assert [a["id"] for a in body["articles"]] == ["w1", "w2", "w3"]
    assert {a["status"] for a in body["articles"]} == {"coded"}
    assert coder.seen == ["w1", "w2", "w3"]

    article = client.get("/api/articles/w1").json()["article"]
    assert article["text"] == sent[0]["text"]
    assert (article["title"], article["url"], article["source"]) == (
        "Premier",
        "https://example.org/1",
        "Agence A",
    )
    assert article["published"] == "2025-03-03" and article["origin"] == "POST /api/ingest"
    rows = client.get("/api/events", params={"article_id": "w2"}).json()["events"]
    assert [r["type"] for r in rows] == ["CONSULT"]

    # the same dispatches again: nothing new is coded or stored
    again = post(client, sent[:2]).json()
    assert (again["articles_added"], again["articles_skipped"]) == (0, 2)
    assert {a["status"] for a in again["articles"]} == {"skipped"}
    assert coder.seen == ["w1", "w2", "w3"]


def test_a_republished_copy_is_linked_not_coded(client: AsgiClient, coder: FakeCoder) -> None:
    original = dispatch(7)
    copy = dict(original, id="w7-copy", text=original["text"].replace(" ", "  ") + " (Reprise.)")
    assert post(client, [original]).status_code == 200
    body = post(client, [copy]).json()
    assert body["articles"] == [{"id": "w7-copy", "status": "duplicate", "original_id": "w7"}]
    assert body["duplicates"] == 1 and body["articles_added"] == 0
    assert coder.seen == ["w7"]


@pytest.mark.parametrize(
    ("record", "code"),
    [
        ({"id": "x1"}, "C105"),  # no text
        ({"id": "x1", "text": "  "}, "C105"),
        ({"id": 7, "text": "Un texte."}, "C105"),
        ({"id": "x1", "text": "Un texte.", "title": ["a"]}, "C105"),
        ({"id": "x1", "text": "Un texte.", "published": "2025-02-30"}, "C105"),
        ({"id": "x1", "text": "Un texte.", "lang": "de"}, "C107"),
        ({"id": "x1", "text": "Un texte.", "publised": "2025-02-03"}, "C105"),  # a typo
        ("not an object", "C105"),
        ({"id": "w1", "text": "Même identifiant que le premier."}, "C105"),  # duplicate id
    ],
)
def test_one_bad_dispatch_refuses_the_request_and_stores_nothing(
    kept: tuple[Path, FakeCoder, AsgiClient], record: Any, code: str
) -> None:
    store, coder, client = kept
    before = snapshot(store)
    response = post(client, [dispatch(1), record])
    error = assert_error(response, 400, "C603")
    assert [(p["where"], p["code"]) for p in error["problems"]] == [("dispatches[1]", code)]
    assert all(p["message"] for p in error["problems"])
    assert coder.seen == [] and snapshot(store) == before
    assert _articles(client, "w1") == {"w1": 404}


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe{}",
        b"[" * 100_000 + b"]" * 100_000,  # nested past the parser's recursion limit
        b'{"dispatches": [{"id": "a", "text": "' + b"9" * 10 + b'"}], "extra": 1}',
        b'{"dispatches": []}',
        b'{"dispatches": {"id": "a"}}',
        b'[{"id": "a", "text": "b"}]',
        b'{"dispatches": [' + b"1" * 5000 + b"]}",  # an integer past Python's digit limit
        b"",
    ],
)
def test_a_body_that_is_not_the_request_is_a_coded_400(
    kept: tuple[Path, FakeCoder, AsgiClient], body: bytes
) -> None:
    store, coder, client = kept
    before = snapshot(store)
    response = client.request(
        "POST",
        "/api/ingest",
        content=body,
        headers={**auth(), "Content-Type": "application/json"},
    )
    assert_error(response, 400, "C603")
    assert coder.seen == [] and snapshot(store) == before


def test_a_body_that_is_not_json_typed_is_refused(
    kept: tuple[Path, FakeCoder, AsgiClient],
) -> None:
    client = kept[2]
    response = client.request(
        "POST", "/api/ingest", content=b'{"dispatches": []}', headers={**auth()}
    )
    assert_error(response, 415, "C603")
    response = client.request(
        "POST",
        "/api/ingest",
        data={"dispatches": "x"},
        headers=auth(),  # a form post
    )
    assert_error(response, 415, "C603")


# -- limits ------------------------------------------------------------------------------------


def test_bodies_over_the_size_limit_are_refused_before_reading(
    store: Path, coder: FakeCoder
) -> None:
    client = AsgiClient(writing_app(store, coder, api_max_request_bytes=2_000))
    before = snapshot(store)
    big = [dispatch(1, text="Bakou. " + "mot " * 1_000)]
    error = assert_error(post(client, big), 413, "C608")
    assert "api_max_request_bytes" in error["message"]

    # a chunked body (no Content-Length) is cut off once it passes the limit
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"dispatches": [{"id": "c", "text": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}]}'

    response = client.request(
        "POST",
        "/api/ingest",
        content=chunks(),
        headers={**auth(), "Content-Type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "C608")
    assert coder.seen == [] and snapshot(store) == before


def test_too_many_dispatches_are_refused(store: Path, coder: FakeCoder) -> None:
    client = AsgiClient(writing_app(store, coder, api_max_dispatches=3))
    error = assert_error(post(client, [dispatch(i) for i in range(4)]), 413, "C608")
    assert "api_max_dispatches" in error["message"]
    assert post(client, [dispatch(i) for i in range(3)]).status_code == 200


def test_writes_are_rate_limited_per_client_with_retry_after(store: Path, coder: FakeCoder) -> None:
    # a refill slow enough (one token in ~17 hours) that no test machine refills a token
    client = AsgiClient(
        writing_app(store, coder, api_write_burst=2, api_write_rate_per_minute=0.001)
    )
    assert post(client, [dispatch(1)]).status_code == 200
    assert_error(post(client, [dispatch(2)], token="wrong-token-guess-0123456"), 401, "C607")
    response = post(client, [dispatch(3)])  # the failed guess took a token too
    assert_error(response, 429, "C609")
    assert int(response.headers["retry-after"]) >= 1
    assert _articles(client, "w1", "w3") == {"w1": 200, "w3": 404}
    # reads are not counted by the write limit
    assert client.get("/api/events").status_code == 200


def test_the_read_limit_is_off_by_default_and_coded_when_on(store: Path) -> None:
    client = AsgiClient(create_app(store))
    assert {client.get("/api/actors").status_code for _ in range(30)} == {200}
    limited = AsgiClient(
        create_app(store, Settings().with_(api_read_rate_per_second=0.0001, api_read_burst=3))
    )
    assert [limited.get("/api/actors").status_code for _ in range(3)] == [200] * 3
    response = limited.get("/api/events")
    assert_error(response, 429, "C609")
    assert int(response.headers["retry-after"]) >= 1


@pytest.mark.parametrize(
    "changes",
    [{"api_max_dispatches": 0}, {"api_max_request_bytes": -1}, {"api_read_rate_per_second": -1}],
)
def test_unusable_limits_fail_at_start(store: Path, changes: dict[str, Any]) -> None:
    with pytest.raises(SettingsError):
        create_app(store, Settings().with_(**changes))


def test_rate_limiter_buckets_refill_and_stay_bounded() -> None:
    now = [0.0]
    limiter = RateLimiter(0.5, 2, max_clients=3, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(2)] == [0.0, 0.0]
    assert limiter.take("a") == pytest.approx(2.0)  # one token takes 2 s at 0.5/s
    assert limiter.take("b") == 0.0  # another client has its own bucket
    now[0] = 1.0
    assert limiter.take("a") == pytest.approx(1.0)  # half a token so far
    now[0] = 2.0
    assert limiter.take("a") == 0.0
    now[0] = 100.0
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, pytest.approx(2.0)]  # capped
    for client in ("c", "d", "e"):
        limiter.take(client)
    assert len(limiter) == 3  # the least recently seen clients were forgotten


# -- methods, schema, headers ------------------------------------------------------------------


def test_other_methods_and_paths_stay_coded_405(client: AsgiClient) -> None:
    error = assert_error(client.get("/api/ingest"), 405, "C605")
    assert "POST" in error["hint"]
    assert_error(client.request("PUT", "/api/ingest", headers=auth()), 405, "C605")
    error = assert_error(client.request("POST", "/api/events", headers=auth()), 405, "C605")
    assert "POST /api/ingest" in error["message"]


def test_openapi_describes_the_write_endpoint(client: AsgiClient) -> None:
    schema = client.get("/api/openapi.json").json()
    post_op = schema["paths"]["/api/ingest"]["post"]
    body = post_op["requestBody"]["content"]["application/json"]
    assert body["example"]["dispatches"][0]["id"]
    assert body["schema"]["properties"]["dispatches"]["items"]["properties"]["text"]
    assert {"200", "400", "401", "403", "413", "429", "503"} <= set(post_op["responses"])
    assert schema["components"]["schemas"]["IngestResponse"]["examples"]


def test_answers_carry_security_headers(client: AsgiClient) -> None:
    for response in (client.get("/api/events"), post(client, [], token="x" * 20)):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["referrer-policy"] == "no-referrer"


# -- the single-writer model (DuckDB) ----------------------------------------------------------


def test_reads_keep_answering_while_writes_go_on(store: Path, coder: FakeCoder) -> None:
    client = AsgiClient(writing_app(store, coder, api_write_burst=100))
    statuses: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            code = client.get("/api/events", params={"limit": 5}).status_code
            with lock:
                statuses.append(code)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        written = [post(client, [dispatch(i)]).status_code for i in range(10, 22)]
    finally:
        stop.set()
        for t in readers:
            t.join(timeout=60)
    assert written == [200] * 12
    assert statuses and set(statuses) == {200}
    ids = [
        r["article_id"] for r in client.get("/api/events", params={"limit": 500}).json()["events"]
    ]
    assert {f"w{i}" for i in range(10, 22)} <= set(ids)


def test_the_gate_keeps_reads_and_the_write_apart() -> None:
    gate = StoreGate(0.05, "test")
    # reads share it; a write waits for them, then gives up
    with gate.reading(), gate.reading(), pytest.raises(StoreBusyError), gate.writing():
        pass
    # a read waits for a write, then gives up
    with gate.writing(), pytest.raises(StoreBusyError), gate.reading():
        pass
    with gate.reading():  # and it opens again once the write is done
        pass


def test_a_write_while_another_process_writes_is_a_coded_503(store: Path, coder: FakeCoder) -> None:
    app = writing_app(store, coder)
    app.state.writer.busy_wait = 0.2
    client = AsgiClient(app)
    with held_by_another_process(store):
        app.state.communique.busy_wait = 0.2
        response = post(client, [dispatch(1)])
        assert_error(response, 503, "C301")
        assert response.headers["retry-after"]
    assert post(client, [dispatch(1)]).status_code == 200


# -- `communique serve` and the real coder -----------------------------------------------------


def _served_app(monkeypatch: pytest.MonkeyPatch, store: Path, token: str | None) -> Any:
    import uvicorn
    from click.testing import CliRunner

    from communique.cli.main import _Group
    from communique.cli.serve_cmd import serve

    served: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.setdefault("app", app))
    if token is None:
        monkeypatch.delenv("COMMUNIQUE_API_TOKEN", raising=False)
    else:
        monkeypatch.setenv("COMMUNIQUE_API_TOKEN", token)
    group = _Group(name="communique", commands=[serve])
    result = CliRunner().invoke(group, ["serve", "--store", str(store)])
    return result, served.get("app")


def test_serve_takes_the_token_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, store: Path
) -> None:
    result, app = _served_app(monkeypatch, store, TOKEN)
    assert result.exit_code == 0, result.output
    assert "writes on" in result.output and TOKEN not in result.output
    assert app.state.writer is not None and app.state.writer.token == TOKEN

    result, app = _served_app(monkeypatch, store, None)
    assert "read-only" in result.output and app.state.writer is None

    result, app = _served_app(monkeypatch, store, "too-short")
    assert result.exit_code == 2 and "[C400]" in result.stderr and app is None
    assert "too-short" not in result.output


@pytest.mark.model
@pytest.mark.slow
def test_the_real_coder_codes_a_posted_dispatch(store: Path) -> None:
    client = AsgiClient(create_app(store, Settings().with_(api_write_token=TOKEN)))
    text = (
        "Bakou, 3 mars 2025. Le président azerbaïdjanais Ilham Aliyev a rencontré lundi à "
        "Bakou le ministre français des Affaires étrangères, Jean-Noël Barrot."
    )
    response = post(client, [{"id": "real-1", "text": text, "published": "2025-03-03"}])
    assert response.status_code == 200, response.text
    assert response.json()["events_added"] >= 1
    rows = client.get("/api/events", params={"article_id": "real-1"}).json()["events"]
    assert "CONSULT" in {r["type"] for r in rows}
    assert all(
        text[r["evidence"]["start"] : r["evidence"]["end"]] == r["evidence"]["text"] for r in rows
    )
