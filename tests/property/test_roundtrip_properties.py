"""Properties of what goes in and comes back out: ``communique.extract`` on arbitrary text
(control characters, mixed scripts, broken markup) returns rows whose evidence offsets
index the normalised text, or a typed refusal, never another exception; and a DuckDB
store gives back every field of any article, actor mention and trigger it was given,
whatever characters they hold, including articles built by the real readers from
arbitrary bytes.

The event rows of arbitrary coded articles are already checked against the store by
tests/store/test_store_contract.py (test_any_batch_round_trips, on every backend); these
tests add the article fields, metadata, actor mentions and trigger offsets, and the path
from the readers to the store.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import communique
from communique.errors import CommuniqueError, EmptyInputError, InputError, UnknownLanguageError
from communique.ingest import normalize_text, read_text
from communique.model import ActorRef, Article, CodedArticle, DateRef, Event, TextSpan, event_rows
from communique.settings import Settings
from communique.store import open_store
from communique.store.base import actor_records
from communique.store.sql import SqlStore

SETTINGS = Settings()

# -- extract on arbitrary text ------------------------------------------------------------

# Our own dispatch-like phrases, so that some examples code events.
_PHRASES = [
    "La France a condamné la Russie hier. ",
    "Le ministre japonais a rencontré son homologue azerbaïdjanais à Bakou. ",
    "L'Union européenne a signé un accord avec le Kazakhstan le 3 mars. ",
    "The United States accused Iran of shelling a border post on Monday. ",
    "Japan's foreign minister met the Azerbaijani president in Baku. ",
    "PARIS, 12 mars 2024 (AFP) - ",
    "BAKU, May 3 (Reuters) - ",
    # impossible dates in datelines and in the body
    "PARIS, 31 février 2024 (AFP) - ", "LIMA, 2024-13-45 (AFP) - ",
    "Le ministre a rencontré son homologue le 31 février 99999. ",
    "The president met the prime minister on February 30, year 0. ",
    "« ", " »", "\n", "\n\n", " ",
]  # fmt: skip
# Other scripts and Unicode oddities: right-to-left and bidi overrides, combining marks,
# ligatures, case-mapping traps, emoji, invisible and format characters.
_ODD = [
    "Москва и Киев", "طهران وبغداد", "北京和东京", "서울", "🙂🚀", "e\u0301", "\u202e",
    "\u200f", "\u2066", "ﬁ", "İ", "ß", "\ufeff", "\u00ad", "\u200b", "\u2028", "\u0085",
    "<script>alert(1)</script>", "&amp;", "\\u0000",
]  # fmt: skip
_CONTROL = st.characters(min_codepoint=0, max_codepoint=0x9F).filter(
    lambda c: not c.isprintable() and c not in " "
)
_ANY_CHAR = st.characters(blacklist_categories=())  # lone surrogates included
TEXTS = st.lists(
    st.one_of(
        st.sampled_from(_PHRASES),
        st.sampled_from(_ODD),
        _CONTROL,
        st.text(_ANY_CHAR, max_size=12),
    ),
    max_size=24,
).map("".join)
PUBLISHED = st.one_of(
    st.none(),
    st.dates(date(1990, 1, 1), date(2035, 12, 31)),
    st.dates(date(1990, 1, 1), date(2035, 12, 31)).map(date.isoformat),
)


@pytest.fixture(scope="module")
def coder() -> Any:
    from communique.pipeline import Coder

    return Coder(SETTINGS)


@pytest.mark.model
@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, published=PUBLISHED, lang=st.sampled_from(["fr", "en", None]))
def test_extract_gives_valid_evidence_or_a_typed_refusal(
    coder: Any, text: str, published: date | str | None, lang: str | None
) -> None:
    try:
        rows = communique.extract(text, published=published, lang=lang, coder=coder)
    except CommuniqueError as exc:
        # blank text, or (only when detecting) a text in no language communique codes
        assert isinstance(exc, EmptyInputError | UnknownLanguageError), exc
        if isinstance(exc, EmptyInputError):
            assert normalize_text(text) == ""
        else:
            assert lang is None
        return
    normalised = normalize_text(text)
    for row in rows:
        evidence = row["evidence"]
        start, end = evidence["start"], evidence["end"]
        assert 0 <= start <= end <= len(normalised), row
        assert normalised[start:end] == evidence["text"], row
        if normalised == text:
            assert text[start:end] == evidence["text"]
        if row["date"] is not None:  # "YYYY", "YYYY-MM" or a real "YYYY-MM-DD"
            parts = [int(p) for p in row["date"].split("-")]
            date(*parts, *[1] * (3 - len(parts)))
    ids = [row["event_id"] for row in rows]
    assert len(ids) == len(set(ids))


# -- the store gives back what it was given ---------------------------------------------------

# Any character a UTF-8 string can hold (NUL included: DuckDB keeps it; readers never
# produce lone surrogates, which no UTF-8 database can store).
_STR = st.text(st.characters(codec="utf-8"), max_size=40)
_SOME = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40)
_OPT = st.none() | _STR
_DAY = st.dates()  # every date datetime.date can hold, year 1 to 9999


@st.composite
def coded_articles(draw: st.DrawFn) -> CodedArticle:
    text = draw(_SOME)
    n = len(text)

    def a_span() -> TextSpan:
        start = draw(st.integers(0, n))
        return TextSpan.of(text, start, draw(st.integers(start, n)))

    def an_actor() -> ActorRef:
        return ActorRef(
            draw(_SOME),
            draw(st.sampled_from(["person", "org", "group", "country"])),
            country=draw(st.none() | st.sampled_from(["AZE", "JPN", "FRA"])),
            sector=draw(st.none() | st.sampled_from(["GOV", "MIL", "IGO"])),
            org=draw(st.none() | _STR),
            role=draw(_OPT),
            actor_id=draw(_OPT),
            method=draw(_STR),
            confidence=draw(st.floats(0, 1)),
            span=draw(st.none() | st.builds(a_span)),
        )

    actors = tuple(an_actor() for _ in range(draw(st.integers(0, 3))))
    events = tuple(
        Event(
            type=draw(st.sampled_from(["CONSULT", "ACCUSE", "AID", "ASSAULT"])),
            mode=None,
            sources=tuple(draw(st.lists(st.sampled_from(actors), max_size=2))) if actors else (),
            targets=tuple(draw(st.lists(st.sampled_from(actors), max_size=2))) if actors else (),
            date=DateRef(None, None),
            evidence=a_span(),
            trigger=a_span(),
            rule=draw(_SOME),
            confidence=draw(st.floats(0, 1)),
            trace=tuple(draw(st.lists(_STR, max_size=2))),
            sentence_index=draw(st.integers(0, 50)),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    day = draw(st.none() | _DAY)
    article = Article(
        id=draw(_SOME),
        text=text,
        lang=draw(st.none() | st.sampled_from(["fr", "en"])),
        published=day,
        published_month=None if day else draw(st.none() | _DAY.map(lambda d: d.strftime("%Y-%m"))),
        url=draw(_OPT),
        title=draw(_OPT),
        source=draw(_OPT),
        origin=draw(_OPT),
        meta=draw(st.dictionaries(_STR, _STR, max_size=3)),
    )
    return CodedArticle(article, events, actors)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SqlStore, Path]]:
    path = tmp_path_factory.mktemp("roundtrip") / "store.duckdb"
    with open_store(path) as opened:
        yield opened, path


def raw(store: SqlStore, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    return store.fetch_all(sql, params)


def check_stored(store: SqlStore, coded: CodedArticle, version: str) -> None:
    """Every field of ``coded`` reads back equal from ``store``."""
    a = coded.article
    assert store.get_article(a.id) == {
        "id": a.id,
        "text": a.text,
        "lang": a.lang,
        "published": None if a.published is None else a.published.isoformat(),
        "published_month": a.published_month,
        "url": a.url,
        "title": a.title,
        "source": a.source,
        "origin": a.origin,
        "coder_version": version,
    }
    ((meta,),) = raw(store, "SELECT CAST(meta AS VARCHAR) FROM articles WHERE id = ?", [a.id])
    assert json.loads(meta) == a.meta
    columns = list(actor_records(coded)[0]) if coded.actors else []
    if columns:
        stored = raw(
            store,
            f"SELECT {', '.join(columns)} FROM actors WHERE article_id = ? ORDER BY mention_index",
            [a.id],
        )
        assert [dict(zip(columns, r, strict=True)) for r in stored] == actor_records(coded)
    rows = store.article_events(a.id)
    assert [
        {k: v for k, v in r.items() if k not in ("trigger", "sentence_index")} for r in rows
    ] == event_rows(coded, version)
    triggers = {(e.trigger.start, e.trigger.end) for e in coded.events if e.trigger}
    for row in rows:
        trigger = row["trigger"]
        assert a.text[trigger["start"] : trigger["end"]] == trigger["text"]
        assert (trigger["start"], trigger["end"]) in triggers


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(coded_articles(), min_size=1, max_size=3))
def test_any_article_reads_back_field_for_field(
    store: tuple[SqlStore, Path], batch: list[CodedArticle]
) -> None:
    opened, _ = store
    version = uuid.uuid4().hex  # a new coder version: every article is new or replaced
    report = opened.write(batch, version)
    first: dict[str, CodedArticle] = {}
    for coded in batch:
        first.setdefault(coded.article.id, coded)  # a repeated id keeps the first
    assert report.articles_added == len(first)
    for coded in first.values():
        check_stored(opened, coded, version)
    assert opened.write(batch, version).articles_added == 0


# -- from arbitrary bytes through the readers into the store -----------------------------------

_BYTES = st.one_of(
    st.binary(max_size=600),
    st.text(_ANY_CHAR, max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from(_PHRASES + _ODD), max_size=12).map(
        lambda parts: "".join(parts).encode("cp1252", "replace")
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_BYTES)
def test_read_articles_store_and_read_back_unchanged(
    store: tuple[SqlStore, Path], data: bytes
) -> None:
    try:
        article = read_text(data, origin="prop.txt", settings=SETTINGS, lang="fr")
    except InputError:
        return
    coded = CodedArticle(article, events=(), actors=())
    version = uuid.uuid4().hex
    opened, _ = store
    assert opened.write([coded], version).articles_added == 1
    check_stored(opened, coded, version)
    # the stored text is the one every offset indexes: reading it again changes nothing
    stored = opened.get_article(article.id)
    assert stored is not None
    again = read_text(stored["text"].encode(), origin="prop.txt", settings=SETTINGS, lang="fr")
    assert (again.id, again.text) == (article.id, article.text)
