"""The same input stored in DuckDB and in PostgreSQL reads back the same everywhere: the
store's own reads, every export format, ``read_events`` and the HTTP API."""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from store_builders import event
from store_servers import fresh_schema

from communique.api import create_app
from communique.export import FORMATS, export_events
from communique.export.source import events_sql, stream
from communique.frames import read_arrow, read_events
from communique.model import ActorRef, Article, CodedArticle
from communique.query import EventFilter, EventSearch
from communique.settings import Settings
from communique.store import open_store
from communique.store.base import EVENT_COLUMNS
from communique.store.sql import SqlStore

# the hand-built data of the API and export tests
_TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_TESTS / "api"))
sys.path.insert(0, str(_TESTS / "export"))
import api_store  # noqa: E402
import export_builders  # noqa: E402

V1 = "parity-1"


def accents() -> CodedArticle:
    """Upper-case accented letters, for the case-insensitive evidence search."""
    text = "ÉTATS-UNIS. Les États-Unis ont condamné l'Élysée. Le Niger a rappelé son ambassadeur."
    usa = ActorRef("Les États-Unis", "country", country="USA", sector="GOV")
    fra = ActorRef("l'Élysée", "org", country="FRA", sector="GOV")
    return CodedArticle(
        Article(id="a-accents", text=text, lang="fr", published=date(2024, 10, 2)),
        (
            event(
                text,
                "Les États-Unis ont condamné l'Élysée.",
                "ont condamné",
                "ACCUSE",
                (usa,),
                (fra,),
                when="2024-10-02",
                quad=3,
                intensity=-2.0,
                sentence_index=1,
            ),
        ),
        actors=(usa, fra),
    )


def everything() -> list[CodedArticle]:
    return [*export_builders.batch(), *api_store.coded_articles(), accents()]


@pytest.fixture(scope="module")
def stores(
    tmp_path_factory: pytest.TempPathFactory, postgres_database: str
) -> Iterator[tuple[Path, str]]:
    """(DuckDB file, PostgreSQL URL), each holding everything()."""
    duck = tmp_path_factory.mktemp("parity") / "store.duckdb"
    with fresh_schema(postgres_database) as url:
        for target in (duck, url):
            with open_store(target) as store:
                report = store.write(everything(), V1)
                assert report.events_added > 20
        yield duck, url


def both(stores: tuple[Path, str]) -> Iterator[SqlStore]:
    for target in stores:
        with open_store(target, read_only=True) as store:
            yield store


FILTERS = [
    {},
    {"country": "AZE"},
    {"dyad": "RUS-CHN"},
    {"type": "CONSULT"},
    {"since": "2024-09-02", "until": "2024-11-30"},
    {"article_id": "a4", "limit": 5, "offset": 3},
    {"limit": 7},
]


def test_store_reads_are_the_same(stores: tuple[Path, str]) -> None:
    def reads(store: SqlStore) -> dict[str, Any]:
        rows = store.events(EventFilter())
        out: dict[str, Any] = {
            "filters": [store.events(EventFilter.parse(**f)) for f in FILTERS],
            "counts": [store.events_count(EventFilter.parse(**f)) for f in FILTERS],
            "explain": [store.get_event(r["event_id"]) for r in rows],
            "articles": [store.get_article(r["article_id"]) for r in rows],
            "article_events": [store.article_events(r["article_id"]) for r in rows],
            "actors": store.actor_counts(EventFilter()),
            "dyads": [
                store.dyad_months(a, b, EventFilter())
                for a, b in (("AZE", "JPN"), ("RUS", "CHN"), ("AZE", "FRA"), ("AZE", "UNO"))
            ],
            "graph": store.graph_edges(EventFilter()),
            "map": store.map_points(EventFilter(), 3),
            "search": [
                store.search_events(EventSearch(text=t, limit=4))
                for t in (None, "états", "ÉLYSÉE", "100%", "sur_tout", "d'accord", "réunion 1")
            ],
        }
        # page through everything, four rows at a time
        pages, after = [], None
        while True:
            page, after = store.search_events(EventSearch(after=after, limit=4))
            pages.append(page)
            if after is None:
                break
        out["pages"] = pages
        return out

    duck, pg = (reads(s) for s in both(stores))
    assert duck == pg
    found = {
        t: rows for t, (rows, _) in zip(("any", "états", "élysée"), pg["search"], strict=False)
    }
    assert [r["article_id"] for r in found["états"]] == ["a-accents"]  # "États" matches
    assert [r["article_id"] for r in found["élysée"]] == ["a-accents"]
    assert sum(len(p) for p in pg["pages"]) == len(pg["filters"][0])


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_are_the_same(stores: tuple[Path, str], fmt: str) -> None:
    outputs = []
    for target in stores:
        out = io.BytesIO()
        report = export_events(target, fmt, out, EventFilter())
        outputs.append((report.rows, out.getvalue()))
    (duck_rows, duck), (pg_rows, pg) = outputs
    assert duck_rows == pg_rows > 0
    if fmt == "parquet":
        import pyarrow.parquet as pq

        duck_table, pg_table = pq.read_table(io.BytesIO(duck)), pq.read_table(io.BytesIO(pg))
        assert pg_table.schema.equals(duck_table.schema)
        assert pg_table.to_pylist() == duck_table.to_pylist()
    else:
        assert pg == duck


def test_exports_of_a_filter_to_a_file_are_the_same(
    stores: tuple[Path, str], tmp_path: Path
) -> None:
    flt = EventFilter.parse(country="AZE", since="2024-08-10")
    texts = []
    for i, target in enumerate(stores):
        path = tmp_path / f"{i}.jsonl"
        export_events(target, "jsonl", path, flt)
        texts.append(path.read_text(encoding="utf-8"))
    assert texts[0] == texts[1] and texts[0].count("\n") > 2


def test_arrow_streams_have_the_same_schema(stores: tuple[Path, str]) -> None:
    sql, params = events_sql(EventFilter(), [f'e."{c}"' for c in EVENT_COLUMNS])
    schemas = [stream(store, sql, params)[0] for store in both(stores)]
    assert schemas[1].equals(schemas[0])
    tables = [read_arrow(target) for target in stores]
    assert tables[1].schema.equals(tables[0].schema)
    assert tables[1].to_pylist() == tables[0].to_pylist()


@pytest.mark.parametrize("filters", [{}, {"country": "JPN"}, {"type": "CONSULT", "limit": 4}])
def test_read_events_gives_the_same_frame(stores: tuple[Path, str], filters: Any) -> None:
    import pandas as pd

    duck, pg = (read_events(target, **filters) for target in stores)
    pd.testing.assert_frame_equal(pg, duck)
    assert len(duck) > 0


def get_all(app: FastAPI, urls: list[str]) -> list[tuple[int, Any]]:
    async def calls() -> list[tuple[int, Any]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            out = []
            for url in urls:
                response = await c.get(url)
                out.append((response.status_code, response.json()))
            return out

    # in a thread of its own: an earlier test (Playwright's) may leave an event loop
    # running in this one, where asyncio.run refuses to start another
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, calls()).result()


def test_the_http_api_answers_the_same(stores: tuple[Path, str], tmp_path: Path) -> None:
    duck, url = stores
    static = tmp_path / "static"
    static.mkdir()
    apps = [
        create_app(duck, static_dir=static),
        create_app(settings=Settings().with_(store_path=url), static_dir=static),
    ]
    with open_store(duck, read_only=True) as store:
        rows = store.events(EventFilter())
    urls = [
        "/api/events",
        "/api/events?limit=3",
        "/api/events?country=AZE&since=2024-09",
        "/api/events?dyad=RUS-CHN&limit=5",
        "/api/events?q=%C3%A9tats",
        "/api/events?type=NOPE",
        *(f"/api/events/{r['event_id']}" for r in rows[:5]),
        "/api/events/no-such-event",
        "/api/articles/news/a1",
        "/api/articles/a-accents",
        "/api/actors",
        "/api/dyads?a=AZE&b=JPN",
        "/api/graph",
        "/api/map",
    ]
    duck_answers, pg_answers = (get_all(app, urls) for app in apps)
    for url_, d, p in zip(urls, duck_answers, pg_answers, strict=True):
        assert p == d, url_
    assert duck_answers[0][0] == 200 and len(duck_answers[0][1]["events"]) > 10
    search = pg_answers[urls.index("/api/events?q=%C3%A9tats")][1]
    assert [e["article_id"] for e in search["events"]] == ["a-accents"]
    # paging with the cursor of one page gives the next page on both
    first = duck_answers[1][1]
    cursor = first["next_cursor"]
    assert cursor
    nexts = [get_all(app, [f"/api/events?limit=3&cursor={cursor}"])[0] for app in apps]
    assert nexts[0] == nexts[1] and nexts[0][0] == 200


# -- the CLI and the ingest driver with a URL ----------------------------------------------


def test_the_cli_takes_a_url_for_store(stores: tuple[Path, str], tmp_path: Path) -> None:
    from click.testing import CliRunner

    from communique.cli.main import _register, cli

    _register()
    runner = CliRunner()
    outputs = []
    for target in stores:
        listed = runner.invoke(cli, ["events", "--store", str(target), "--format", "jsonl"])
        assert listed.exit_code == 0, listed.output
        out = tmp_path / f"{len(outputs)}.csv"
        exported = runner.invoke(
            cli, ["export", "--store", str(target), "--format", "csv", "--out", str(out)]
        )
        assert exported.exit_code == 0, exported.output
        outputs.append((listed.stdout, out.read_bytes()))
    assert outputs[0] == outputs[1]
    secret = "n0t-the-Passw0rd"
    port = _free_port()
    bad = runner.invoke(cli, ["events", "--store", f"postgresql://u:{secret}@127.0.0.1:{port}/x"])
    assert bad.exit_code == 2
    assert "C302" in bad.output and secret not in bad.output and "u:***@" in bad.output


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Coder:
    """Codes one CONSULT per article that says "rencontré" (no model)."""

    coder_version = "fake-ingest-1"

    def code(self, articles: Any) -> Iterator[CodedArticle]:
        for a in articles:
            events = ()
            if "rencontré" in a.text:
                i = a.text.index("rencontré")
                events = (
                    event(
                        a.text,
                        a.text,
                        a.text[i : i + len("rencontré")],
                        "CONSULT",
                        (api_store.JPN,),
                        (api_store.AZE,),
                        when=a.published.isoformat() if a.published else None,
                    ),
                )
            yield CodedArticle(a, events)


def test_ingest_into_postgres_stores_what_it_stores_into_duckdb(
    tmp_path: Path, postgres_database: str
) -> None:
    from communique.engines.local import run_ingest

    body = (
        "Le vice-ministre Elnour Mammadov a rencontré vendredi à Bakou le représentant "
        "spécial du Japon Masaki Ishikawa pour discuter de la coopération énergétique, du "
        "gazoduc transcaspien, de la formation d'ingénieurs et d'une ligne aérienne directe "
        "entre Bakou et Tokyo, selon un communiqué publié samedi par le ministère."
    )
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(f"Visite\n\n{body}", encoding="utf-8")
    (inputs / "b.txt").write_text(f"Autre titre\n\n{body} Mis à jour.", encoding="utf-8")
    (inputs / "c.txt").write_text("Rien à signaler à Paris ce lundi matin.", encoding="utf-8")
    paths = [str(inputs)]
    results = []
    with fresh_schema(postgres_database) as url:
        for target in (tmp_path / "store.duckdb", url):
            settings = Settings().with_(store_path=target)
            first = run_ingest(
                paths, settings=settings, coder=_Coder(), published=date(2024, 11, 29)
            )
            again = run_ingest(
                paths, settings=settings, coder=_Coder(), published=date(2024, 11, 29)
            )
            with open_store(target, read_only=True) as store:
                rows = store.events(EventFilter())
                links = store.duplicate_links()
            results.append((first, again, rows, links))
    (d_first, d_again, d_rows, d_links), (p_first, p_again, p_rows, p_links) = results
    assert (p_first, p_again) == (d_first, d_again)
    assert p_rows == d_rows and len(p_rows) == 1
    assert [(x.duplicate_id, x.original_id) for x in p_links] == [
        (x.duplicate_id, x.original_id) for x in d_links
    ]
    assert p_again.articles_added == 0
