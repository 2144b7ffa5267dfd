"""Story-level events: the mention-level rows of several dispatches that report the same
event, grouped into one record with its number of sources and its evidence sentences (as
POLECAT and GDELT count mentions, articles and sources of one event).

What makes two rows one story (the *story key*, ``StoryKey``):

* the same PLOVER ``type``;
* the same actor scoring keys (CODING.md: country, else org, else "unknown"; no actor is
  its own key). Direction counts, A -> B is not B -> A, except for the types whose
  direction a dispatch often cannot show (``ORDER_FREE_TYPES``, the scorer's: CONSULT,
  AGREE, COOPERATE) and for ``joint`` rows: there the pair is unordered;
* the same polarity: ``negated``, ``future`` and ``hypothetical`` rows never join asserted
  ones (a denial is not a report of the event).

``mode`` is *not* part of the key: one dispatch often names how a meeting was held and
another does not, so a mode in the key would split one meeting into two stories; the
story's mode is the most frequent non-null mode of its mentions.

Within a key, rows are chained by day (gaps and islands): sorted by day, a new story starts
when the gap to the previous row exceeds the window (``Settings.story_window_days``). A
row's day is its date when that names a day; when the date is coarser ("2024-12") or
missing, the article's publication day stands in if it lies in the period the date covers
(CODING.md: a current event with no stated day takes the published date); a row with no
usable day is a story of its own.

``story_id`` is ``"s" + 8 hex digits of the key + "-" + the event_id of the story's first
row`` (first by day, article, evidence offset, event id). It is the same across re-reads,
input orders and filters (filters select whole stories, see ``find_stories``), and it
changes when a row earlier than the first one joins the story (a dispatch dated earlier
is stored, or a wider window merges two stories: the later one's id disappears), when the
first row goes (re-coded or deleted) or when the key definition above changes.

The grouping is pure (``build_stories``, ``group_mentions``); ``find_stories``,
``story_page`` and ``get_story`` read a store through ``Store.events``,
``Store.get_event`` and ``get_article`` (``StoryStore``), no SQL, so that every backend
gives the same stories.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, NamedTuple, Protocol, runtime_checkable

from communique.query import (
    MAX_CURSOR_CHARS,
    UNKNOWN_KEY,
    CursorError,
    EventFilter,
    QueryError,
)
from communique.store.base import ACTOR_FIELDS, LOCATION_FIELDS, date_bounds

# Types whose source/target order a dispatch often cannot show ("X and Y met"), so that
# outlets swap them: the scorer's order-free types (CODING.md, scoring step 3).
ORDER_FREE_TYPES: frozenset[str] = frozenset({"CONSULT", "AGREE", "COOPERATE"})

# Largest story window accepted, in days: a year. Wider windows chain a year's repeated
# events of one dyad into one "story", which no longer means one event.
MAX_WINDOW_DAYS = 366

# Hex digits of the key digest in a story id: 8 (32 bits) only guard against reading an id
# under another key definition; the event id that follows makes the id unique.
_KEY_DIGEST_CHARS = 8
_STORY_ID = re.compile(r"s([0-9a-f]{8})-(.+)")
_CURSOR_VERSION = "s1"
_WHERE = "communique/stories.py"


class StoryError(QueryError):
    """Stories cannot be built as asked (bad window, rows not in story-key order)."""

    code = "C620"


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What a story needs of an article: its publication day and outlet (the article's
    ``source``), and for the GDELT/POLECAT layouts its url, title and language."""

    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    lang: str | None = None


class StoryKey(NamedTuple):
    """Rows of one story share this. ``first``/``second`` are actor keys ("" for no
    actor), sorted when ``directed`` is false."""

    type: str
    first: str
    second: str
    directed: bool
    negated: bool
    future: bool
    hypothetical: bool

    def digest(self) -> str:
        raw = "\x1f".join(str(part) for part in self).encode("utf-8")
        return hashlib.sha256(raw).hexdigest()[:_KEY_DIGEST_CHARS]


def actor_key(actor: Mapping[str, Any] | None) -> str | None:
    """The scoring key of a row's actor (CODING.md): country, else org, else "unknown";
    None for no actor. The same rule as the store's source_key/target_key columns."""
    if actor is None:
        return None
    return actor.get("country") or actor.get("org") or UNKNOWN_KEY


def story_key(row: Mapping[str, Any]) -> StoryKey:
    """The story key of a dyadic row (the nested shape of ``model.rows.event_rows``)."""
    first = actor_key(row["source"]) or ""
    second = actor_key(row["target"]) or ""
    directed = not (row["type"] in ORDER_FREE_TYPES or bool(row.get("joint")))
    if not directed and second < first:
        first, second = second, first
    return StoryKey(
        row["type"],
        first,
        second,
        directed,
        bool(row["negated"]),
        bool(row["future"]),
        bool(row["hypothetical"]),
    )


def mention_day(row_date: str | None, published: date | None) -> date | None:
    """The day a row counts for in a chain: its date when that names a day; else the
    publication day when the row has no (readable) date or the day lies in the period its
    date covers; else None (the row is a story of its own)."""
    lo, hi = date_bounds(row_date)
    if lo is not None and lo == hi:
        return lo
    if published is None:
        return None
    if lo is None or hi is None:
        return published
    return published if lo <= published <= hi else None


@dataclass(frozen=True, slots=True)
class Mention:
    """One stored row with what grouping needs: its key, its day and its outlet."""

    row: Mapping[str, Any]
    key: StoryKey
    day: date | None
    outlet: str | None = None

    @classmethod
    def of(cls, row: Mapping[str, Any], article: ArticleInfo | None = None) -> Mention:
        info = article or ArticleInfo()
        return cls(row, story_key(row), mention_day(row["date"], info.published), info.outlet)

    def sort_key(self) -> tuple[Any, ...]:
        """Key first, then chronological (rows without a day last), then position."""
        return (
            self.key,
            self.day is None,
            self.day or date.min,
            self.row["article_id"],
            self.row["evidence"]["start"],
            self.row["event_id"],
        )


@dataclass(frozen=True, slots=True)
class Story:
    """One event as reported by one or more dispatches. ``source``/``target`` are the most
    frequent full actors of the mentions on each side, ``mode``, ``cameo``, ``location``,
    ``quad`` and ``intensity`` the most frequent non-null values (ties: the earliest
    mention's); ``contexts`` the union in order of appearance. ``n_mentions`` counts
    mentions (a mention with two targets of one key is one), ``n_articles`` the distinct
    articles (two mentions in one article are one source), ``n_outlets`` the distinct
    outlet names plus one per article naming none. ``confidence`` is the highest of the
    mentions': one dispatch coded that surely is enough for the event to be there.
    ``evidence`` holds one entry per mention in chronological order: event_id,
    mention_id, article_id, outlet, date (the row's own), day (its day in the chain, or
    null), text, start, end."""

    story_id: str
    type: str
    mode: str | None
    cameo: str | None
    source: dict[str, Any] | None
    target: dict[str, Any] | None
    source_key: str | None
    target_key: str | None
    directed: bool
    date_first: str | None
    date_last: str | None
    location: dict[str, Any] | None
    negated: bool
    future: bool
    hypothetical: bool
    contexts: tuple[str, ...]
    quad: int | None
    intensity: float | None
    n_mentions: int
    n_articles: int
    n_outlets: int
    outlets: tuple[str, ...]
    confidence: float
    coder_version: str
    evidence: tuple[dict[str, Any], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the API and of `export --view story --format jsonl`."""
        out: dict[str, Any] = {}
        for name in STORY_FIELDS:
            value = getattr(self, name)
            if name == "evidence":
                value = [dict(e) for e in value]
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, dict):
                value = dict(value)
            out[name] = value
        return out

    def order(self) -> tuple[bool, str, str]:
        """Output order of stories: by first date (undated last), then id."""
        return (self.date_first is None, self.date_first or "", self.story_id)


STORY_FIELDS: tuple[str, ...] = tuple(Story.__dataclass_fields__)
EVIDENCE_FIELDS: tuple[str, ...] = (
    "event_id",
    "mention_id",
    "article_id",
    "outlet",
    "date",
    "day",
    "text",
    "start",
    "end",
)


# ---------------------------------------------------------------------------------------
# Grouping (pure)
# ---------------------------------------------------------------------------------------


def check_window(window_days: object) -> int:
    """``window_days`` as a valid window, or ``StoryError``."""
    if (
        isinstance(window_days, int)
        and not isinstance(window_days, bool)
        and 0 <= window_days <= MAX_WINDOW_DAYS
    ):
        return window_days
    raise StoryError(
        f"story window must be a whole number of days from 0 to {MAX_WINDOW_DAYS}, "
        f"got {window_days!r}",
        where=_WHERE,
        hint="use Settings.story_window_days (default 2) or a value such as 1, 2 or 7",
    )


def _continues(last: Mention, nxt: Mention, window_days: int) -> bool:
    return (
        last.key == nxt.key
        and last.day is not None
        and nxt.day is not None
        and (nxt.day - last.day).days <= window_days
    )


def group_mentions(mentions: Iterable[Mention], window_days: int) -> Iterator[Story]:
    """Stories of ``mentions`` given in ``Mention.sort_key`` order, yielded one at a time
    as each closes (only the open story is held). Raises ``StoryError`` when the input is
    out of order or the window is invalid."""
    window = check_window(window_days)
    open_story: list[Mention] = []
    previous: tuple[Any, ...] | None = None
    for mention in mentions:
        position = mention.sort_key()
        if previous is not None and position < previous:
            raise StoryError(
                f"row {mention.row['event_id']} comes after a row it sorts before",
                where=_WHERE,
                hint="sort mentions by Mention.sort_key() first (build_stories does)",
            )
        previous = position
        if open_story and not _continues(open_story[-1], mention, window):
            yield _story(open_story)
            open_story = []
        open_story.append(mention)
    if open_story:
        yield _story(open_story)


def build_stories(
    rows: Iterable[Mapping[str, Any]],
    window_days: int,
    articles: Mapping[str, ArticleInfo] | None = None,
) -> list[Story]:
    """The stories of stored rows (any order), in ``Story.order``. ``articles`` gives the
    publication day and outlet of each article id (missing: unknown)."""
    found = articles or {}
    mentions = sorted(
        (Mention.of(row, found.get(row["article_id"])) for row in rows),
        key=Mention.sort_key,
    )
    return sorted(group_mentions(mentions, window_days), key=Story.order)


def _most_frequent(values: Iterable[Any], ident: Callable[[Any], Hashable] = lambda v: v) -> Any:
    """The most frequent non-null value; ties go to the one seen first."""
    counts: dict[Hashable, list[Any]] = {}
    for value in values:
        if value is None:
            continue
        entry = counts.setdefault(ident(value), [0, value])
        entry[0] += 1
    best: Any = None
    best_count = 0
    for count, value in counts.values():  # insertion order = first appearance
        if count > best_count:
            best, best_count = value, count
    return best


def _actor_ident(actor: Mapping[str, Any]) -> Hashable:
    return tuple(actor.get(f) for f in ACTOR_FIELDS)


def _location_ident(place: Mapping[str, Any]) -> Hashable:
    return tuple(place.get(f) for f in LOCATION_FIELDS)


def _story(mentions: Sequence[Mention]) -> Story:
    first = mentions[0]
    rows = [m.row for m in mentions]
    directions = [(actor_key(r["source"]), actor_key(r["target"])) for r in rows]
    source_key, target_key = _most_frequent(directions)
    sources: list[Any] = []
    targets: list[Any] = []
    for row, direction in zip(rows, directions, strict=True):
        pair = (row["source"], row["target"])
        s, t = pair if direction == (source_key, target_key) else pair[::-1]
        sources.append(s)
        targets.append(t)
    days = [m.day for m in mentions if m.day is not None]
    contexts: dict[str, None] = {}
    evidence: list[dict[str, Any]] = []
    seen: set[str] = set()
    for m in mentions:
        contexts.update(dict.fromkeys(m.row["contexts"] or ()))
        if m.row["mention_id"] in seen:
            continue
        seen.add(m.row["mention_id"])
        ev = m.row["evidence"]
        evidence.append(
            {
                "event_id": m.row["event_id"],
                "mention_id": m.row["mention_id"],
                "article_id": m.row["article_id"],
                "outlet": m.outlet,
                "date": m.row["date"],
                "day": None if m.day is None else m.day.isoformat(),
                "text": ev["text"],
                "start": ev["start"],
                "end": ev["end"],
            }
        )
    outlet_of = {m.row["article_id"]: m.outlet for m in mentions}
    named = sorted({o for o in outlet_of.values() if o})
    unnamed = sum(1 for o in outlet_of.values() if not o)
    location = _most_frequent((r["location"] for r in rows), _location_ident)
    source = _most_frequent(sources, _actor_ident)
    target = _most_frequent(targets, _actor_ident)
    return Story(
        story_id=f"s{first.key.digest()}-{first.row['event_id']}",
        type=first.key.type,
        mode=_most_frequent(r["mode"] for r in rows),
        cameo=_most_frequent(r["cameo"] for r in rows),
        source=None if source is None else dict(source),
        target=None if target is None else dict(target),
        source_key=source_key,
        target_key=target_key,
        directed=first.key.directed,
        date_first=min(days).isoformat() if days else first.row["date"],
        date_last=max(days).isoformat() if days else first.row["date"],
        location=None if location is None else dict(location),
        negated=first.key.negated,
        future=first.key.future,
        hypothetical=first.key.hypothetical,
        contexts=tuple(contexts),
        quad=_most_frequent(r["quad"] for r in rows),
        intensity=_most_frequent(r["intensity"] for r in rows),
        n_mentions=len(seen),
        n_articles=len(outlet_of),
        n_outlets=len(named) + unnamed,
        outlets=tuple(named),
        confidence=max(float(r["confidence"]) for r in rows),
        coder_version=first.row["coder_version"],
        evidence=tuple(evidence),
    )


# ---------------------------------------------------------------------------------------
# Reading stories from a store (store methods every backend has; no SQL)
# ---------------------------------------------------------------------------------------


class StoryStore(Protocol):
    """What reading stories needs of a store: ``Store.events`` and ``Store.get_event`` of
    the protocol, and ``get_article``, which both SQL stores (DuckDB, PostgreSQL) offer
    for the HTTP API."""

    def events(self, flt: EventFilter) -> list[dict[str, Any]]: ...

    def get_event(self, event_id: str) -> dict[str, Any] | None: ...

    def get_article(self, article_id: str) -> dict[str, Any] | None: ...


@runtime_checkable
class ArticleBatchReader(Protocol):
    """A store that reads many articles' metadata in one query: ``{id: {"published",
    "source", "url", "title", "lang"}}`` for the stored ones of ``ids`` (the fields of
    ``get_article`` less the text). Optional: without it, ``get_article`` is called once
    per article."""

    def articles_info(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]: ...


def _info(article: Mapping[str, Any]) -> ArticleInfo:
    return ArticleInfo(
        published=_as_date(article.get("published")),
        outlet=article.get("source"),
        url=article.get("url"),
        title=article.get("title"),
        lang=article.get("lang"),
    )


class ArticleLookup:
    """``ArticleInfo`` of stored articles, read once each (per lookup): all at once with
    ``prefetch`` when the store is an ``ArticleBatchReader``, else with ``get_article``,
    one query per article (about 2 ms each on DuckDB)."""

    def __init__(self, store: StoryStore) -> None:
        self._store = store
        self._found: dict[str, ArticleInfo] = {}

    def prefetch(self, article_ids: Iterable[str]) -> None:
        """Read the info of ``article_ids`` in one call if the store can."""
        if not isinstance(self._store, ArticleBatchReader):
            return
        wanted = sorted(set(article_ids) - set(self._found))
        if wanted:
            found = self._store.articles_info(wanted)
            for article_id in wanted:
                self._found[article_id] = _info(found.get(article_id) or {})

    def info(self, article_id: str) -> ArticleInfo:
        found = self._found.get(article_id)
        if found is None:
            found = _info(self._store.get_article(article_id) or {})
            self._found[article_id] = found
        return found

    def get(self, article_id: str) -> ArticleInfo | None:
        """The info already read for ``article_id`` (None if it was never needed)."""
        return self._found.get(article_id)


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _row_filter(flt: EventFilter) -> EventFilter:
    """The part of ``flt`` that holds for whole stories: type, country and dyad are the
    same on every row of a story; dates, article and paging are applied to stories."""
    return replace(flt, since=None, until=None, article_id=None, limit=None, offset=0)


def _keep(story: Story, flt: EventFilter, needle: str | None) -> bool:
    if flt.since is not None or flt.until is not None:
        lo = date_bounds(story.date_first)[0]
        hi = date_bounds(story.date_last)[1]
        if lo is None or hi is None:
            return False
        if flt.since is not None and hi < flt.since:
            return False
        if flt.until is not None and lo > flt.until:
            return False
    if flt.article_id is not None and all(
        e["article_id"] != flt.article_id for e in story.evidence
    ):
        return False
    return needle is None or any(needle in e["text"].casefold() for e in story.evidence)


def _all_matching(
    store: StoryStore,
    flt: EventFilter,
    window_days: int,
    text: str | None,
    lookup: ArticleLookup,
) -> list[Story]:
    window = check_window(window_days)
    rows = store.events(_row_filter(flt))
    lookup.prefetch(r["article_id"] for r in rows)
    mentions = sorted(
        (Mention.of(r, lookup.info(r["article_id"])) for r in rows),
        key=Mention.sort_key,
    )
    needle = text.casefold() if text else None
    kept = (s for s in group_mentions(mentions, window) if _keep(s, flt, needle))
    return sorted(kept, key=Story.order)


def find_stories(
    store: StoryStore,
    flt: EventFilter | None = None,
    *,
    window_days: int,
    text: str | None = None,
    lookup: ArticleLookup | None = None,
) -> list[Story]:
    """The stories matching ``flt``, in ``Story.order``, paged by its limit and offset.

    ``type``, ``country`` and ``dyad`` select the rows read; ``since``/``until`` keep the
    stories whose period [date_first, date_last] overlaps them (stories are built from all
    the rows of their key, so a story is never cut by a date filter and keeps its id);
    ``article_id`` keeps stories with a mention in that article; ``text`` those with an
    evidence sentence containing it (case-insensitive). ``lookup`` lets a caller read the
    articles' url, title and language afterwards.
    """
    flt = flt if flt is not None else EventFilter()
    stories = _all_matching(store, flt, window_days, text, lookup or ArticleLookup(store))
    end = None if flt.limit is None else flt.offset + flt.limit
    return stories[flt.offset : end]


@dataclass(frozen=True, slots=True)
class StoryPosition:
    """Where a story sits in ``Story.order``: a page cursor."""

    date_first: str | None
    story_id: str

    def order(self) -> tuple[bool, str, str]:
        return (self.date_first is None, self.date_first or "", self.story_id)

    def encode(self) -> str:
        raw = json.dumps(
            [_CURSOR_VERSION, self.date_first, self.story_id], separators=(",", ":")
        ).encode("utf-8")
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, token: str) -> StoryPosition:
        """The position of a token made by ``encode``; ``CursorError`` for anything else."""
        bad = CursorError(
            "cursor is not a story cursor",
            where=_WHERE,
            hint="pass the next_cursor of the previous page of /api/stories unchanged, or "
            "omit cursor to start from the first page",
        )
        if not isinstance(token, str) or not token or len(token) > MAX_CURSOR_CHARS:
            raise bad
        try:
            data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise bad from None
        if not (isinstance(data, list) and len(data) == 3 and data[0] == _CURSOR_VERSION):
            raise bad
        _, first, story_id = data
        if not ((first is None or isinstance(first, str)) and isinstance(story_id, str)):
            raise bad
        return cls(first, story_id)


def story_page(
    store: StoryStore,
    flt: EventFilter,
    *,
    window_days: int,
    text: str | None = None,
    after: StoryPosition | None = None,
    limit: int,
) -> tuple[list[Story], StoryPosition | None]:
    """One page of the stories of ``find_stories`` (``flt``'s limit/offset ignored) after
    ``after``, at most ``limit``, and the position of its last story when more follow."""
    stories = _all_matching(store, flt, window_days, text, ArticleLookup(store))
    if after is not None:
        mark = after.order()
        stories = [s for s in stories if s.order() > mark]
    page = stories[:limit]
    if len(stories) <= limit or not page:
        return page, None
    return page, StoryPosition(page[-1].date_first, page[-1].story_id)


def _narrow_filter(key: StoryKey) -> EventFilter:
    """The rows that can share ``key``: its type, and its actor keys when filters take
    them (the "unknown" key and no-actor are no filter values)."""
    known = [k for k in (key.first, key.second) if k and k != UNKNOWN_KEY]
    if len(known) == 2:
        try:
            return EventFilter(type=key.type, dyad=(known[0], known[1]))
        except QueryError:
            pass
    for one in known:
        try:
            return EventFilter(type=key.type, country=one)
        except QueryError:
            continue
    return EventFilter(type=key.type)


def get_story(store: StoryStore, story_id: str, *, window_days: int) -> Story | None:
    """The story ``story_id`` names under ``window_days``, or None (unknown id, or an id
    that changed: see the module notes)."""
    match = _STORY_ID.fullmatch(story_id) if isinstance(story_id, str) else None
    if match is None:
        return None
    row = store.get_event(match[2])
    if row is None:
        return None
    key = story_key(row)
    if key.digest() != match[1]:
        return None
    for story in _all_matching(store, _narrow_filter(key), window_days, None, ArticleLookup(store)):
        if story.story_id == story_id:
            return story
    return None
