"""Story-level events (communique.stories): grouping mention rows of several dispatches into
stories, their counts, evidence, ids, and reading them from a store."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from communique.model import ActorRef, Article, CodedArticle, DateRef, Event, TextSpan, event_rows
from communique.query import CursorError, EventFilter
from communique.settings import Settings
from communique.store import open_store
from communique.stories import (
    ArticleInfo,
    Mention,
    Story,
    StoryError,
    StoryPosition,
    build_stories,
    check_window,
    find_stories,
    get_story,
    group_mentions,
    mention_day,
    story_page,
)

VERSION = "stories-test-1"
WINDOW = Settings().story_window_days

MARTIN = ActorRef("Paul Martin", "person", country="FRA", sector="GOV", role="ministre")
MARTIN_BARE = ActorRef("Martin", "person", country="FRA", sector="GOV")
WEBER = ActorRef("Klaus Weber", "person", country="DEU", sector="GOV", role="minister")
NOBODY = ActorRef("des inconnus", "group")


@dataclass(frozen=True)
class Said:
    """One coded sentence of a hand-made dispatch."""

    sentence: str
    trigger: str
    type: str
    sources: tuple[ActorRef, ...]
    targets: tuple[ActorRef, ...] = ()
    when: str | None = "2025-03-03"
    extra: tuple[tuple[str, Any], ...] = ()


def said(sentence: str, trigger: str, etype: str, src: ActorRef, dst: ActorRef | None,
         when: str | None = "2025-03-03", **extra: Any) -> Said:  # fmt: skip
    return Said(sentence, trigger, etype, (src,), (dst,) if dst else (), when, tuple(extra.items()))


def dispatch(aid: str, outlet: str | None, published: date | None, *items: Said) -> CodedArticle:
    text = " ".join(i.sentence for i in items)
    events = []
    for i in items:
        start = text.index(i.sentence)
        tstart = text.index(i.trigger, start)
        extra = dict(i.extra)
        precision = None if i.when is None else {10: "day", 7: "month", 4: "year"}[len(i.when)]
        events.append(
            Event(
                type=i.type,
                mode=extra.pop("mode", None),
                sources=i.sources,
                targets=i.targets,
                date=DateRef(i.when, precision),
                evidence=TextSpan.of(text, start, start + len(i.sentence)),
                trigger=TextSpan.of(text, tstart, tstart + len(i.trigger)),
                rule=f"test.{i.type.lower()}",
                confidence=extra.pop("confidence", 0.8),
                quad=extra.pop("quad", 1),
                intensity=extra.pop("intensity", 1.0),
                **extra,
            )
        )
    article = Article(id=aid, text=text, lang="fr", published=published, source=outlet)
    return CodedArticle(article, tuple(events))


def meeting_reports() -> list[CodedArticle]:
    """Three outlets report one meeting of FRA and DEU ministers (a2 twice, a3 with the
    sides swapped and the next day); a1 also reports an accusation."""
    return [
        dispatch(
            "a1", "Agence Alpha", date(2025, 3, 3),
            said("Paul Martin a reçu Klaus Weber lundi à Lyon.", "a reçu", "CONSULT",
                 WEBER, MARTIN, mode="visit", contexts=("diplomatic",)),
            said("Paul Martin a reproché à Klaus Weber son silence.", "a reproché", "ACCUSE",
                 MARTIN, WEBER, quad=3, intensity=-2.0),
        ),
        dispatch(
            "a2", "Beta Wire", date(2025, 3, 4),
            said("Klaus Weber held talks with Paul Martin in Lyon on Monday.", "held talks",
                 "CONSULT", WEBER, MARTIN, confidence=0.95, contexts=("economic",)),
            said("The two ministers talked for three hours.", "talked", "CONSULT",
                 WEBER, MARTIN),
        ),
        dispatch(
            "a3", "Gamma Presse", date(2025, 3, 5),
            said("Martin s'est entretenu hier avec Klaus Weber.", "s'est entretenu", "CONSULT",
                 MARTIN_BARE, WEBER, "2025-03-04"),
        ),
    ]  # fmt: skip


def later_meeting(day: int = 14) -> CodedArticle:
    return dispatch(
        "a4", "Agence Alpha", date(2025, 3, day),
        said("Paul Martin a revu Klaus Weber.", "a revu", "CONSULT", MARTIN, WEBER,
             f"2025-03-{day:02d}"),
    )  # fmt: skip


def rows_and_articles(
    batch: list[CodedArticle],
) -> tuple[list[dict[str, Any]], dict[str, ArticleInfo]]:
    rows = [r for coded in batch for r in event_rows(coded, VERSION)]
    info = {c.article.id: ArticleInfo(c.article.published, c.article.source) for c in batch}
    return rows, info


def stories_of(batch: list[CodedArticle], window: int = WINDOW) -> list[Story]:
    rows, info = rows_and_articles(batch)
    return build_stories(rows, window, info)


def only(stories: list[Story], etype: str, **fields: Any) -> Story:
    found = [
        s for s in stories if s.type == etype and all(getattr(s, k) == v for k, v in fields.items())
    ]
    assert len(found) == 1, [(s.type, s.date_first, s.n_mentions) for s in stories]
    return found[0]


# -- grouping ------------------------------------------------------------------------------


def test_three_dispatches_of_one_meeting_are_one_story() -> None:
    story = only(stories_of(meeting_reports()), "CONSULT")
    assert (story.n_articles, story.n_mentions, story.n_outlets) == (3, 4, 3)
    assert story.outlets == ("Agence Alpha", "Beta Wire", "Gamma Presse")
    assert [e["article_id"] for e in story.evidence] == ["a1", "a2", "a2", "a3"]
    assert [e["day"] for e in story.evidence] == sorted(e["day"] for e in story.evidence)
    assert (story.date_first, story.date_last) == ("2025-03-03", "2025-03-04")
    for e in story.evidence:  # each evidence entry points into its dispatch
        text = next(c.article.text for c in meeting_reports() if c.article.id == e["article_id"])
        assert text[e["start"] : e["end"]] == e["text"]


def test_a_second_mention_in_one_article_is_not_another_source() -> None:
    batch = meeting_reports()
    without_a2_second = stories_of(batch[:1] + batch[2:])
    story = only(stories_of(batch), "CONSULT")
    assert only(without_a2_second, "CONSULT").n_articles == 2
    assert story.n_articles == 3 and story.n_mentions == 4


def test_story_fields_summarise_the_mentions() -> None:
    story = only(stories_of(meeting_reports()), "CONSULT")
    # three of four mentions have Weber as the source: the story's direction
    assert (story.source_key, story.target_key) == ("DEU", "FRA")
    assert story.source is not None and story.source["name"] == "Klaus Weber"
    # "Paul Martin" three times, "Martin" once: the most frequent full actor
    assert story.target is not None and story.target["name"] == "Paul Martin"
    assert story.mode == "visit"  # the only mode given; null modes do not vote
    assert story.contexts == ("diplomatic", "economic")
    assert story.confidence == 0.95  # the highest
    assert not story.directed and not story.negated


def test_same_dyad_other_type_is_another_story() -> None:
    stories = stories_of(meeting_reports())
    assert sorted(s.type for s in stories) == ["ACCUSE", "CONSULT"]
    accuse = only(stories, "ACCUSE")
    assert accuse.n_articles == 1 and accuse.directed
    assert accuse.story_id != only(stories, "CONSULT").story_id


def test_same_pair_ten_days_later_is_a_separate_story() -> None:
    stories = stories_of([*meeting_reports(), later_meeting(14)])
    consults = sorted((s for s in stories if s.type == "CONSULT"), key=Story.order)
    assert [(s.date_first, s.n_articles) for s in consults] == [
        ("2025-03-03", 3),
        ("2025-03-14", 1),
    ]


@pytest.mark.parametrize(("window", "expected"), [(2, 2), (9, 2), (10, 1), (30, 1)])
def test_a_wider_window_merges_the_chain(window: int, expected: int) -> None:
    # the chain's last day is 2025-03-04, the later meeting 2025-03-14: a gap of 10 days
    stories = stories_of([*meeting_reports(), later_meeting(14)], window)
    assert sum(s.type == "CONSULT" for s in stories) == expected


def test_window_zero_keeps_only_same_day_reports_together() -> None:
    stories = stories_of(meeting_reports(), 0)
    consults = sorted((s for s in stories if s.type == "CONSULT"), key=Story.order)
    assert [s.n_articles for s in consults] == [2, 1]


def test_chains_link_through_intermediate_reports() -> None:
    # days 3, 4 (the base story), then 6, 8: each within 2 days of the previous one
    extra = [later_meeting(6), dispatch("a5", "Delta", date(2025, 3, 8),
             said("Paul Martin a revu Klaus Weber.", "a revu", "CONSULT", MARTIN, WEBER,
                  "2025-03-08"))]  # fmt: skip
    story = only(stories_of([*meeting_reports(), *extra]), "CONSULT")
    assert (story.date_first, story.date_last, story.n_articles) == ("2025-03-03", "2025-03-08", 5)


def test_a_negated_report_stays_apart_from_the_asserted_ones() -> None:
    denial = dispatch(
        "a6", "Delta", date(2025, 3, 4),
        said("Klaus Weber n'a pas rencontré Paul Martin.", "rencontré", "CONSULT", WEBER,
             MARTIN, negated=True),
    )  # fmt: skip
    stories = stories_of([*meeting_reports(), denial])
    assert only(stories, "CONSULT", negated=False).n_articles == 3
    assert only(stories, "CONSULT", negated=True).evidence[0]["article_id"] == "a6"


@pytest.mark.parametrize("flag", ["future", "hypothetical"])
def test_future_and_hypothetical_reports_stay_apart(flag: str) -> None:
    plan = dispatch(
        "a6", "Delta", date(2025, 3, 4),
        said("Klaus Weber verra Paul Martin.", "verra", "CONSULT", WEBER, MARTIN,
             **{flag: True}),
    )  # fmt: skip
    stories = stories_of([*meeting_reports(), plan])
    assert only(stories, "CONSULT", **{flag: True}).n_articles == 1
    assert only(stories, "CONSULT", **{flag: False}).n_articles == 3


def test_direction_splits_directed_types() -> None:
    back = dispatch(
        "a7", "Delta", date(2025, 3, 3),
        said("Klaus Weber a reproché à Paul Martin son ton.", "a reproché", "ACCUSE",
             WEBER, MARTIN, quad=3, intensity=-2.0),
    )  # fmt: skip
    stories = stories_of([*meeting_reports(), back])
    accusations = [s for s in stories if s.type == "ACCUSE"]
    assert sorted((s.source_key, s.target_key) for s in accusations) == [
        ("DEU", "FRA"),
        ("FRA", "DEU"),
    ]
    assert all(s.directed for s in accusations)


def test_joint_rows_are_unordered_whatever_the_type() -> None:
    signed = [
        dispatch(aid, outlet, date(2025, 3, 3),
                 said(f"{a.name} et {b.name} ont signé l'accord.", "ont signé", "SUPPORT", a, b,
                      joint=True))
        for aid, outlet, a, b in (("s1", "Alpha", MARTIN, WEBER), ("s2", "Beta", WEBER, MARTIN))
    ]  # fmt: skip
    story = only(stories_of(signed), "SUPPORT")
    assert story.n_articles == 2 and not story.directed


# -- days of undated and coarsely dated mentions --------------------------------------------


@pytest.mark.parametrize(
    ("coded", "published", "day"),
    [
        ("2025-03-03", date(2025, 3, 9), date(2025, 3, 3)),  # a day: its own
        (None, date(2025, 3, 4), date(2025, 3, 4)),  # undated: the publication day
        ("2025-03", date(2025, 3, 4), date(2025, 3, 4)),  # the month holds the day
        ("2025-02", date(2025, 3, 4), None),  # published after the month: no day
        ("2025", date(2025, 3, 4), date(2025, 3, 4)),
        (None, None, None),
        ("2025-03", None, None),
    ],
)
def test_mention_day(coded: str | None, published: date | None, day: date | None) -> None:
    assert mention_day(coded, published) == day


def test_an_undated_report_joins_by_its_publication_day() -> None:
    undated = dispatch(
        "a8", "Delta", date(2025, 3, 5),
        said("Klaus Weber a discuté avec Paul Martin.", "a discuté", "CONSULT", WEBER, MARTIN,
             None),
    )  # fmt: skip
    story = only(stories_of([*meeting_reports(), undated]), "CONSULT")
    assert story.n_articles == 4 and story.date_last == "2025-03-05"
    assert story.evidence[-1]["date"] is None and story.evidence[-1]["day"] == "2025-03-05"


def test_a_report_without_a_usable_day_is_its_own_story() -> None:
    orphan = dispatch(
        "a9", None, None,
        said("Klaus Weber a discuté avec Paul Martin.", "a discuté", "CONSULT", WEBER, MARTIN,
             "2025-03"),
    )  # fmt: skip
    stories = stories_of([*meeting_reports(), orphan])
    consults = [s for s in stories if s.type == "CONSULT"]
    assert sorted(s.n_articles for s in consults) == [1, 3]
    alone = next(s for s in consults if s.n_articles == 1)
    assert (alone.date_first, alone.date_last, alone.n_outlets) == ("2025-03", "2025-03", 1)
    assert stories[0] is alone  # a month sorts before its days, as in `communique events`
    # an article naming no outlet still counts as one source
    assert alone.outlets == ()


# -- ids and determinism ---------------------------------------------------------------------


def test_story_ids_are_stable_across_input_orders() -> None:
    rows, info = rows_and_articles([*meeting_reports(), later_meeting()])
    first = [s.to_dict() for s in build_stories(rows, WINDOW, info)]
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert [s.to_dict() for s in build_stories(shuffled, WINDOW, info)] == first
    assert len({s["story_id"] for s in first}) == len(first)


def test_story_id_names_the_key_and_the_first_mention() -> None:
    story = only(stories_of(meeting_reports()), "CONSULT")
    assert story.story_id.startswith("s") and story.story_id.endswith(
        "-" + story.evidence[0]["event_id"]
    )
    # an earlier report joining the story changes its id (documented)
    early = dispatch(
        "a0", "Delta", date(2025, 3, 2),
        said("Klaus Weber est arrivé pour voir Paul Martin.", "voir", "CONSULT", WEBER, MARTIN,
             "2025-03-02"),
    )  # fmt: skip
    grown = only(stories_of([early, *meeting_reports()]), "CONSULT")
    assert grown.n_articles == 4 and grown.story_id != story.story_id
    assert grown.story_id.endswith("-" + grown.evidence[0]["event_id"])
    # a later report does not
    assert only(stories_of([*meeting_reports(), later_meeting(5)]), "CONSULT").story_id == (
        story.story_id
    )


def test_grouping_streams_one_story_at_a_time() -> None:
    rows, info = rows_and_articles([*meeting_reports(), later_meeting()])
    mentions = sorted((Mention.of(r, info[r["article_id"]]) for r in rows), key=Mention.sort_key)
    consumed = 0

    def feed() -> Iterator[Mention]:
        nonlocal consumed
        for m in mentions:
            consumed += 1
            yield m

    stories = group_mentions(feed(), WINDOW)
    next(stories)
    assert consumed < len(mentions)  # the first story came before the input ended
    assert 1 + len(list(stories)) == 3


def test_grouping_rejects_unsorted_input() -> None:
    rows, info = rows_and_articles(meeting_reports())
    mentions = sorted((Mention.of(r, info[r["article_id"]]) for r in rows), key=Mention.sort_key)
    with pytest.raises(StoryError) as caught:
        list(group_mentions(reversed(mentions), WINDOW))
    assert caught.value.code == "C620" and caught.value.hint


@pytest.mark.parametrize("bad", [-1, 367, True, 2.5, "2"])
def test_bad_windows_are_coded_errors(bad: object) -> None:
    with pytest.raises(StoryError, match="story window"):
        check_window(bad)


def test_to_dict_is_json_shaped() -> None:
    story = only(stories_of(meeting_reports()), "CONSULT").to_dict()
    assert isinstance(story["evidence"], list) and isinstance(story["outlets"], list)
    assert list(story["evidence"][0]) == [
        "event_id", "mention_id", "article_id", "outlet", "date", "day", "text", "start", "end",
    ]  # fmt: skip


# -- reading from a store ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stories") / "stories.duckdb"
    with open_store(path) as store:
        store.write([*meeting_reports(), later_meeting()], VERSION)
    return path


def read(store_path: Path, flt: EventFilter | None = None, **options: Any) -> list[Story]:
    options.setdefault("window_days", WINDOW)
    with open_store(store_path, read_only=True) as store:
        return find_stories(store, flt, **options)


def test_stories_from_a_store_match_the_pure_grouping(store_path: Path) -> None:
    assert [s.to_dict() for s in read(store_path)] == [
        s.to_dict() for s in stories_of([*meeting_reports(), later_meeting()])
    ]


def test_store_filters_select_whole_stories(store_path: Path) -> None:
    everything = read(store_path)
    assert len(everything) == 3
    whole = only(everything, "CONSULT", date_first="2025-03-03")
    assert [s.type for s in read(store_path, EventFilter(type="ACCUSE"))] == ["ACCUSE"]
    assert len(read(store_path, EventFilter(country="DEU"))) == 3
    assert len(read(store_path, EventFilter(dyad=("DEU", "FRA"), type="CONSULT"))) == 2
    assert read(store_path, EventFilter(country="JPN")) == []
    # a date filter that cuts the story keeps it whole, with the same id
    cut = read(store_path, EventFilter(type="CONSULT", since=date(2025, 3, 4),
                                       until=date(2025, 3, 4)))  # fmt: skip
    assert [s.to_dict() for s in cut] == [whole.to_dict()]
    assert read(store_path, EventFilter(since=date(2025, 3, 5), until=date(2025, 3, 13))) == []
    in_a3 = read(store_path, EventFilter(article_id="a3"))
    assert [s.story_id for s in in_a3] == [whole.story_id]
    assert [s.story_id for s in read(store_path, text="THREE HOURS")] == [whole.story_id]
    # limit and offset page stories, in story order
    paged = read(store_path, EventFilter(limit=2, offset=1))
    assert [s.story_id for s in paged] == [s.story_id for s in everything[1:3]]


def test_store_reads_follow_the_window(store_path: Path) -> None:
    assert sum(s.type == "CONSULT" for s in read(store_path, window_days=10)) == 1


def test_get_story_by_id(store_path: Path) -> None:
    with open_store(store_path, read_only=True) as store:
        for story in find_stories(store, window_days=WINDOW):
            assert get_story(store, story.story_id, window_days=WINDOW) == story
        merged_away = only(find_stories(store, window_days=WINDOW), "CONSULT",
                           date_first="2025-03-14")  # fmt: skip
        # under a wider window that story joined the earlier one: its id is gone
        assert get_story(store, merged_away.story_id, window_days=10) is None
        for unknown in ("s00000000-e0", "nope", "s12345678-" + "e" * 21, ""):
            assert get_story(store, unknown, window_days=WINDOW) is None


def test_story_pages_cover_every_story_once(store_path: Path) -> None:
    everything = read(store_path)
    seen: list[str] = []
    after = None
    with open_store(store_path, read_only=True) as store:
        for _ in range(10):
            page, after = story_page(store, EventFilter(), window_days=WINDOW, after=after, limit=1)
            seen += [s.story_id for s in page]
            if after is None:
                break
    assert seen == [s.story_id for s in everything]
    token = StoryPosition("2025-03-03", everything[0].story_id).encode()
    assert StoryPosition.decode(token) == StoryPosition("2025-03-03", everything[0].story_id)
    for bad in ("", "not-a-cursor", token[:-3] + "xyz"):
        with pytest.raises(CursorError):
            StoryPosition.decode(bad)


class CountingStore:
    """A store seen only through what stories read, counting article reads."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.calls = {"get_article": 0, "articles_info": 0}

    def events(self, flt: EventFilter) -> list[dict[str, Any]]:
        return list(self.store.events(flt))

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        return dict(self.store.get_event(event_id) or {}) or None

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        self.calls["get_article"] += 1
        return dict(self.store.get_article(article_id) or {}) or None


class BatchingStore(CountingStore):
    def articles_info(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        self.calls["articles_info"] += 1
        return {i: a for i in ids if (a := self.store.get_article(i)) is not None}


def test_articles_are_read_once_each_or_in_one_batch(store_path: Path) -> None:
    with open_store(store_path, read_only=True) as store:
        expected = [s.to_dict() for s in find_stories(store, window_days=WINDOW)]
        one_by_one = CountingStore(store)
        batched = BatchingStore(store)
        for wrapped in (one_by_one, batched):
            got = find_stories(wrapped, window_days=WINDOW)
            assert [s.to_dict() for s in got] == expected
    assert one_by_one.calls == {"get_article": 4, "articles_info": 0}  # a1..a4
    assert batched.calls == {"get_article": 0, "articles_info": 1}
