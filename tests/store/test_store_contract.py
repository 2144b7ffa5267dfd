"""What every store does, tested on each backend (``target``: a fresh DuckDB file or a
fresh PostgreSQL schema): round trips, idempotence, replacement, atomicity, reads,
filters, migrations and refusals."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_builders import baku_visit, quiet, sample_batch, tokyo_reply
from store_raw import columns, db_error, fetch, is_postgres

from communique.errors import StoreError
from communique.model import ROW_FIELDS, ActorRef, Article, CodedArticle, DateRef, Event, TextSpan
from communique.model import event_rows as model_event_rows
from communique.query import EventFilter
from communique.store import open_store
from communique.store.base import ACTOR_COLUMNS, ARTICLE_COLUMNS, EVENT_COLUMNS, load_migrations
from communique.store.sql import SqlStore

V1 = "coder-1"
V2 = "coder-2"


def expected_rows(batch: list[CodedArticle], version: str) -> list[dict[str, Any]]:
    return [row for coded in batch for row in model_event_rows(coded, version)]


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["event_id"]: r for r in rows}


def order_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["date"] is None, row["date"] or "", row["article_id"], row["evidence"]["start"])


# -- round trip ------------------------------------------------------------------------


def test_round_trip_rows_equal_event_rows(target: Path | str) -> None:
    batch = sample_batch()
    with open_store(target) as store:
        report = store.write(batch, V1)
        rows = store.events(EventFilter())
    expected = expected_rows(batch, V1)
    assert report.articles_added == 3
    assert report.articles_skipped == 0
    assert report.events_added == len(expected) == 6
    assert len(rows) == len(expected)
    assert by_id(rows) == by_id(expected)
    assert all(list(r) == list(ROW_FIELDS) for r in rows)  # same keys, same order


def test_rows_are_ordered_by_date_article_and_evidence(target: Path | str) -> None:
    with open_store(target) as store:
        store.write(sample_batch(), V1)
        rows = store.events(EventFilter())
    assert [order_key(r) for r in rows] == sorted(order_key(r) for r in rows)
    assert rows[-1]["date"] is None  # undated events last


def test_store_survives_reopening(target: Path | str) -> None:
    with open_store(target) as store:
        store.write(sample_batch(), V1)
    with open_store(target, read_only=True) as store:
        assert store.articles_count() == 3
        assert store.events_count() == 6
        assert by_id(store.events(EventFilter())) == by_id(expected_rows(sample_batch(), V1))


def test_get_event_has_trigger_trace_and_article_text(target: Path | str) -> None:
    coded = baku_visit()
    with open_store(target) as store:
        store.write([coded], V1)
        row = next(r for r in store.events(EventFilter()) if r["type"] == "CONSULT")
        got = store.get_event(row["event_id"])
        assert store.get_event("e-does-not-exist") is None
    assert got is not None
    assert {k: got[k] for k in ROW_FIELDS} == row
    text = got["article"]["text"]
    assert text == coded.article.text
    ev = got["evidence"]
    assert text[ev["start"] : ev["end"]] == ev["text"]
    trig = got["trigger"]
    assert trig["text"] == "a rencontré" == text[trig["start"] : trig["end"]]
    assert got["trace"] == ["source: gazetteer", "target: title+demonym"]
    assert got["sentence_index"] == 1
    assert got["article"]["published"] == "2024-11-29"
    assert got["article"]["coder_version"] == V1


def test_actor_mentions_and_article_fields_are_stored(target: Path | str) -> None:
    coded = baku_visit()
    with open_store(target) as store:
        store.write([coded], V1)
    actors = fetch(target, "SELECT name, country, org, method FROM actors ORDER BY mention_index")
    (art,) = fetch(target, "SELECT CAST(meta AS VARCHAR), title, url, coder_version FROM articles")
    assert actors == [(a.name, a.country, a.org, a.method) for a in coded.actors]
    assert art[1:] == ("Visite", "https://example.org/1", V1)
    assert '"encoding"' in art[0]


def test_returned_values_have_python_types(target: Path | str) -> None:
    with open_store(target) as store:
        store.write([baku_visit()], V1)
        consult = next(r for r in store.events(EventFilter()) if r["type"] == "CONSULT")
        article = store.get_article("a-baku")
    assert isinstance(consult["negated"], bool) and consult["negated"] is False
    assert isinstance(consult["confidence"], float)
    assert isinstance(consult["location"]["lat"], float)
    assert isinstance(consult["evidence"]["start"], int)
    assert isinstance(consult["quad"], int)
    assert consult["contexts"] == ["diplomatic", "economic"]
    assert article is not None and article["published"] == "2024-11-29"


def test_articles_info_is_get_article_without_text_for_many_ids(target: Path | str) -> None:
    with open_store(target) as store:
        store.write(sample_batch(), V1)
        ids = [row["article_id"] for row in store.events(EventFilter())]
        info = store.articles_info([*ids, "no-such-id"])
        assert set(info) == set(ids)
        for article_id in ids:
            full = store.get_article(article_id)
            assert full is not None
            assert info[article_id] == {k: v for k, v in full.items() if k != "text"}
        assert store.articles_info([]) == {}


# -- idempotence and replacement ------------------------------------------------------------


def test_rewriting_same_version_changes_nothing(target: Path | str) -> None:
    with open_store(target) as store:
        store.write(sample_batch(), V1)
        before = store.events(EventFilter())
        report = store.write(sample_batch(), V1)
        assert report.articles_added == 0
        assert report.articles_skipped == 3
        assert report.events_added == 0
        assert store.articles_count() == 3
        assert store.events_count() == 6
        assert store.events(EventFilter()) == before


def test_repeated_id_inside_a_batch_keeps_the_first(target: Path | str) -> None:
    first, second = baku_visit("same"), tokyo_reply("same")
    with open_store(target) as store:
        report = store.write([first, second], V1)
        assert (report.articles_added, report.articles_skipped) == (1, 1)
        assert by_id(store.events(EventFilter())) == by_id(model_event_rows(first, V1))


def test_new_coder_version_replaces_old_rows(target: Path | str) -> None:
    with open_store(target) as store:
        store.write(sample_batch(), V1)
        # the new coder finds only the first event of the Baku article
        old = baku_visit()
        recoded = CodedArticle(old.article, old.events[:1], actors=old.actors[:2])
        report = store.write([recoded], V2)
        assert (report.articles_added, report.articles_skipped, report.events_added) == (1, 0, 1)
        rows = store.events(EventFilter(article_id="a-baku"))
        assert rows == model_event_rows(recoded, V2)
        assert store.articles_count() == 3
        assert store.events_count() == 1 + 2  # Baku (new) + Tokyo (untouched)
        others = store.events(EventFilter(article_id="a-tokyo"))
        assert {r["coder_version"] for r in others} == {V1}


# -- atomicity --------------------------------------------------------------------------


def _fail_on(
    store: SqlStore, table: str, exc: BaseException, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Make the store's bulk load of ``table`` raise ``exc`` (other tables load)."""
    cls = type(store)
    real = cls._load

    def load(self: SqlStore, name: str, records: Any, **kwargs: Any) -> None:
        if name == table:
            raise exc
        real(self, name, records, **kwargs)

    monkeypatch.setattr(cls, "_load", load)


def test_failure_mid_batch_rolls_everything_back(
    target: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(target) as store:
        store.write([quiet()], V1)
        _fail_on(store, "events", db_error(target, "injected"), monkeypatch)
        with pytest.raises(StoreError, match="rolled back"):
            store.write([baku_visit(), tokyo_reply()], V1)
        # articles and actors were loaded before the failure: none of them remains
        assert store.articles_count() == 1
        assert store.events_count() == 0
        monkeypatch.undo()
        report = store.write([baku_visit(), tokyo_reply()], V1)  # the store is still usable
        assert report.articles_added == 2
        assert store.events_count() == 6


def test_failure_during_replacement_keeps_the_old_version(
    target: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(target) as store:
        store.write([baku_visit()], V1)
        before = store.events(EventFilter())
        _fail_on(store, "events", RuntimeError("bug"), monkeypatch)
        with pytest.raises(RuntimeError):  # not a database error: re-raised as is
            store.write([baku_visit()], V2)
        monkeypatch.undo()
        assert store.events(EventFilter()) == before
        assert store.articles_count() == 1


def test_no_article_is_ever_without_its_events(
    target: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(target) as store:
        _fail_on(store, "events", db_error(target, "disk full"), monkeypatch)
        for coded in sample_batch():
            with pytest.raises(StoreError):
                store.write([coded], V1)
        monkeypatch.undo()
        assert store.articles_count() == 0


def test_read_only_store_refuses_writes(target: Path | str) -> None:
    with open_store(target) as store:
        store.write([quiet()], V1)
    with open_store(target, read_only=True) as store, pytest.raises(StoreError, match="read-only"):
        store.write([baku_visit()], V1)


# -- filters against data -------------------------------------------------------------------


def ids(rows: list[dict[str, Any]]) -> set[tuple[str, str | None, str | None]]:
    def key(actor: dict[str, Any] | None) -> str | None:
        return None if actor is None else actor["country"] or actor["org"] or "unknown"

    return {(r["type"], key(r["source"]), key(r["target"])) for r in rows}


@pytest.fixture
def filled(target: Path | str) -> Path | str:
    with open_store(target) as store:
        store.write(sample_batch(), V1)
    return target


def query(target: Path | str, **kwargs: Any) -> list[dict[str, Any]]:
    with open_store(target, read_only=True) as store:
        return store.events(EventFilter.parse(**kwargs))


def test_country_filter_matches_source_or_target(filled: Path | str) -> None:
    assert ids(query(filled, country="JPN")) == {
        ("CONSULT", "JPN", "AZE"),
        ("SUPPORT", "UNO", "JPN"),
        ("AGREE", "AZE", "JPN"),
    }
    assert ids(query(filled, country="UNO")) == {
        ("SUPPORT", "UNO", "AZE"),
        ("SUPPORT", "UNO", "JPN"),
    }
    assert query(filled, country="FRA") == []


def test_dyad_filter_matches_both_orders(filled: Path | str) -> None:
    both = {("CONSULT", "JPN", "AZE"), ("AGREE", "AZE", "JPN")}
    assert ids(query(filled, dyad="AZE-JPN")) == both
    assert ids(query(filled, dyad="JPN-AZE")) == both
    assert ids(query(filled, dyad=("UNO", "AZE"))) == {("SUPPORT", "UNO", "AZE")}


def test_type_filter(filled: Path | str) -> None:
    rows = query(filled, type="support")
    assert {r["type"] for r in rows} == {"SUPPORT"}
    assert len(rows) == 2


def test_since_until_use_the_period_of_the_date(filled: Path | str) -> None:
    # "2024-12" covers the whole month: it overlaps a window that starts on Dec 15
    assert ids(query(filled, since="2024-12-15")) == {("AGREE", "AZE", "JPN")}
    assert ids(query(filled, since="2024-12-02", until="2024-12-03")) == {
        ("AGREE", "AZE", "JPN"),
        ("ACCUSE", "IRL", None),
    }
    rows = query(filled, until="2024-11-29")
    assert {r["date"] for r in rows} == {"2024-11-29"}
    assert all(r["date"] is not None for r in query(filled, since="1900-01-01"))


def test_limit_offset_and_article_filter(filled: Path | str) -> None:
    everything = query(filled)
    assert query(filled, limit=2) == everything[:2]
    assert query(filled, limit="3", offset="2") == everything[2:5]
    assert query(filled, limit=0) == []
    assert query(filled, offset=100) == []
    assert {r["article_id"] for r in query(filled, article_id="a-tokyo")} == {"a-tokyo"}
    with open_store(filled, read_only=True) as store:
        assert store.events_count(EventFilter.parse(country="AZE", limit=1)) == 3


@pytest.mark.parametrize(
    "value",
    [
        "x' OR '1'='1",
        "a-baku' --",
        "'; DROP TABLE events; --",
        'a-baku"; DELETE FROM articles; --',
        "%",
        "a-%",
        "%s",
        "?",
    ],
)
def test_injection_in_values_is_a_literal(filled: Path | str, value: str) -> None:
    assert query(filled, article_id=value) == []
    with open_store(filled, read_only=True) as store:
        assert store.articles_count() == 3
        assert store.events_count() == 6


def test_quotes_in_stored_text_round_trip(filled: Path | str) -> None:
    rows = query(filled, type="ACCUSE")
    assert rows[0]["source"]["name"] == "Sean O'Brien'; DROP TABLE events; --"


def test_code_point_order_of_ids_is_the_same_on_every_backend(target: Path | str) -> None:
    # upper before lower case, accented letters after z, digits before letters: the order
    # of code points, not of a language's collation
    names = ["b", "B", "a", "é", "z", "Z", "1", "à", "ab", "a b"]
    batch = [CodedArticle(Article(id=n, text=f"Texte {i}"), ()) for i, n in enumerate(names)]
    with open_store(target) as store:
        store.write(batch, V1)
        listed = [a for a, _ in store.unsigned_articles("scheme", "", 100)]
    assert listed == sorted(names)


# -- opening --------------------------------------------------------------------------------


def test_new_store_is_migrated_to_the_latest_version(target: Path | str) -> None:
    dialect = "postgres" if is_postgres(target) else "duckdb"
    latest = load_migrations(dialect)[-1].version
    with open_store(target) as store:
        assert store.schema_version() == latest
        assert store.dialect == dialect
    with open_store(target) as store:  # reopening applies nothing twice
        assert store.schema_version() == latest
    assert fetch(target, "SELECT version FROM schema_version ORDER BY version") == [
        (v,) for v in range(1, latest + 1)
    ]
    assert columns(target, "events") == set(EVENT_COLUMNS)
    assert columns(target, "articles") == set(ARTICLE_COLUMNS)
    assert columns(target, "actors") == set(ACTOR_COLUMNS)


def test_another_database_is_not_taken_over(target: Path | str) -> None:
    fetch(target, "CREATE TABLE mine (x INTEGER)")
    with pytest.raises(StoreError, match="not a communique store") as info:
        open_store(target)
    assert info.value.hint
    assert fetch(target, "SELECT count(*) FROM mine") == [(0,)]


def test_newer_schema_version_is_refused(target: Path | str) -> None:
    with open_store(target):
        pass
    fetch(
        target, "INSERT INTO schema_version VALUES (999, 'future', TIMESTAMP '2030-01-01 00:00:00')"
    )
    for read_only in (False, True):
        with pytest.raises(StoreError, match="newer") as info:
            open_store(target, read_only=read_only)
        assert info.value.hint is not None
        assert "upgrade communique" in info.value.hint


def test_read_only_opening_of_an_empty_target_is_refused(target: Path | str) -> None:
    with pytest.raises(StoreError, match="no store") as info:
        open_store(target, read_only=True)
    assert info.value.hint is not None and "ingest" in info.value.hint


# -- property: any coded article round-trips ------------------------------------------------

_codes = st.sampled_from(["AZE", "JPN", "FRA", None])


def texts(backend: str) -> st.SearchStrategy[str]:
    # PostgreSQL text cannot hold NUL (ingest drops it: ingest/normalize.py); any other
    # character must round-trip on both backends
    excluded = "\x00" if backend == "postgres" else ""
    return st.text(
        st.characters(codec="utf-8", exclude_characters=excluded), min_size=1, max_size=60
    )


@st.composite
def coded_articles(draw: st.DrawFn, backend: str) -> CodedArticle:
    _text = texts(backend)
    text = draw(_text)
    n = len(text)

    def a_span() -> TextSpan:
        start = draw(st.integers(0, n))
        return TextSpan.of(text, start, draw(st.integers(start, n)))

    def an_actor() -> ActorRef:
        country = draw(_codes)
        return ActorRef(
            draw(_text),
            "person",
            country=country,
            org=None if country else draw(st.sampled_from(["UNO", "NATO", None])),
            role=draw(st.none() | _text),
            actor_id=draw(st.none() | _text),
        )

    events = []
    for _ in range(draw(st.integers(0, 3))):
        day = draw(st.none() | st.dates(date(1990, 1, 1), date(2030, 12, 31)))
        events.append(
            Event(
                type=draw(st.sampled_from(["CONSULT", "ACCUSE", "AID"])),
                mode=draw(st.none() | st.sampled_from(["visit", "phone"])),
                sources=tuple(an_actor() for _ in range(draw(st.integers(0, 2)))),
                targets=tuple(an_actor() for _ in range(draw(st.integers(0, 2)))),
                date=DateRef(day.isoformat() if day else None, "day" if day else None),
                evidence=a_span(),
                trigger=a_span(),
                rule=draw(st.sampled_from(["r1", "r2"])),
                confidence=draw(st.floats(0, 1)),
                contexts=tuple(draw(st.lists(_text, max_size=2))),
                quad=draw(st.none() | st.integers(1, 4)),
                intensity=draw(st.none() | st.floats(-10, 10)),
                negated=draw(st.booleans()),
                trace=tuple(draw(st.lists(_text, max_size=2))),
            )
        )
    return CodedArticle(Article(id=draw(_text), text=text), tuple(events))


@pytest.fixture(scope="module")
def shared_store(module_target: Path | str) -> Iterator[SqlStore]:
    with open_store(module_target) as store:
        yield store


def check_round_trip(store: SqlStore, batch: list[CodedArticle]) -> None:
    # one store for all examples: a fresh coder version makes every article new or replaced
    version = uuid.uuid4().hex
    report = store.write(batch, version)
    first: dict[str, CodedArticle] = {}
    for coded in batch:
        first.setdefault(coded.article.id, coded)
    expected = expected_rows(list(first.values()), version)
    assert report.articles_added == len(first)
    assert report.events_added == len(expected)
    rows = [r for r in store.events(EventFilter()) if r["coder_version"] == version]
    key = lambda r: (r["article_id"], r["event_id"], repr(r))  # noqa: E731
    assert sorted(rows, key=key) == sorted(expected, key=key)
    assert store.write(batch, version).articles_added == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_batch_round_trips(shared_store: SqlStore, data: st.DataObject) -> None:
    batch = data.draw(st.lists(coded_articles(shared_store.dialect), min_size=1, max_size=3))
    check_round_trip(shared_store, batch)
