"""The load test of bench/load.py: its generated store (seeded, exact counts, valid
evidence), its statistics, and its core run small (1,000 events, 10 clients for 2 s)
against a real `communique serve` on 127.0.0.1, which must answer every request. No
timing is asserted: speed is measured by running bench/load.py itself."""

from __future__ import annotations

import importlib.util
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from communique.model import event_rows
from communique.store import open_store

_TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_TESTS / "store"))

from store_servers import admin, postgres_url_or_skip, with_database  # noqa: E402


def _load_bench() -> ModuleType:
    path = _TESTS.parent / "bench" / "load.py"
    spec = importlib.util.spec_from_file_location("communique_bench_load", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


load = _load_bench()


def test_the_generated_store_is_reproducible_and_exact() -> None:
    first = list(load.synthetic_articles(700, seed=3))
    again = list(load.synthetic_articles(700, seed=3))
    other = list(load.synthetic_articles(700, seed=4))
    rows = [r for c in first for r in event_rows(c, load.LOAD_VERSION)]
    assert len(rows) == 700  # one dyadic row per event
    assert len(first) == round(700 * load.ARTICLES_PER_EVENT)
    assert rows == [r for c in again for r in event_rows(c, load.LOAD_VERSION)]
    assert rows != [r for c in other for r in event_rows(c, load.LOAD_VERSION)]
    for coded in first:
        text = coded.article.text
        for ev in coded.events:
            assert text[ev.evidence.start : ev.evidence.end] == ev.evidence.text
            assert ev.evidence.contains(ev.trigger)
    keys = {r["source"]["country"] or r["source"]["org"] for r in rows if r["source"]}
    assert len(keys) > 20  # varied countries, not one dyad
    assert len({r["type"] for r in rows}) == 16


def test_a_store_is_built_once_and_a_foreign_one_refused(tmp_path: Path) -> None:
    path = tmp_path / "load.duckdb"
    assert load.prepare_store(300, 5, path) == path
    stamp = path.stat().st_mtime_ns
    assert load.prepare_store(300, 5, path) == path  # reused, not rebuilt
    assert path.stat().st_mtime_ns == stamp
    with open_store(path, read_only=True) as store:
        assert store.events_count() == 300
    with pytest.raises(load.LoadSetupError):
        load.prepare_store(400, 5, path)  # another size: never overwrites a named file
    assert not list(tmp_path.glob("*.partial"))


def test_percentiles_are_nearest_rank_and_errors_are_counted() -> None:
    values = [float(v) for v in range(1, 101)]
    assert load.percentile(values, 50) == 50.0
    assert load.percentile(values, 99) == 99.0
    assert load.percentile(values, 100) == 100.0
    assert load.percentile([7.0], 90) == 7.0
    samples = [load.Sample("events", 0.01 * i, None) for i in range(1, 11)]
    samples.append(load.Sample("dyads", 2.0, "status 503: busy"))
    summary = load.summarize(samples, seconds=2.0)
    assert summary["error_count"] == 1
    assert summary["errors"]["status 503"]["count"] == 1
    assert summary["endpoints"]["events"]["requests"] == 10
    assert summary["endpoints"]["events"]["requests_per_s"] == 5.0
    assert summary["endpoints"]["events"]["p90_ms"] == 90.0
    assert summary["endpoints"]["dyads"]["errors"] == 1
    assert summary["all"]["max_ms"] == 2000.0


@pytest.fixture
def postgres_store() -> Iterator[str]:
    """A new, empty PostgreSQL database (dropped afterwards)."""
    url = postgres_url_or_skip()
    name = f"communique_load_{uuid.uuid4().hex[:12]}"
    with admin(url) as con:
        con.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield with_database(url, name)
    finally:
        with admin(url) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("backend", "writer"),
    [("duckdb", False), ("duckdb", True), ("postgres", False)],
    ids=["duckdb", "duckdb-with-writer", "postgres"],
)
def test_ten_clients_get_every_answer(
    backend: str, writer: bool, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    store = (
        tmp_path / "load.duckdb"
        if backend == "duckdb"
        else str(request.getfixturevalue("postgres_store"))
    )
    result = load.load_test(
        clients=10,
        seconds=2.0,
        events=1_000,
        seed=11,
        store=store,
        server_log=tmp_path / "server.log",
        writer=writer,
    )
    assert result["error_count"] == 0, (result["errors"], result.get("writer"))
    if writer:  # an ingest's openings got the file between requests, every time
        assert result["writer"]["openings"] >= 1
        assert not result["writer"]["failures"]
    endpoints = result["endpoints"]
    assert endpoints["events"]["requests"] > 0
    assert endpoints["dyads"]["requests"] > 0
    assert result["all"]["requests"] == sum(e["requests"] for e in endpoints.values())
    report = load.render(result)
    assert "p99 ms" in report and "dyads" in report
