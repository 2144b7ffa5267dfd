"""`communique export --view story`: every format parsed back with story counts, the CLI
options, the DataFrame reader, and the mention view left as it was."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

import click
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result
from export_builders import JPN, build_store
from store_builders import event

import communique
from communique.cli import export_cmds
from communique.cli.main import _Group
from communique.export import FORMATS, ExportError, export_events
from communique.export.layouts import GDELT_LAYOUT, POLECAT_LAYOUT
from communique.export.stories import POLECAT_STORY_EXTRA, STORY_COLUMNS
from communique.model import ActorRef, Article, CodedArticle
from communique.query import EventFilter
from communique.store import open_store
from communique.stories import StoryError

VERSION = "export-stories-1"
NS = {"g": "http://graphml.graphdrawing.org/xmlns"}

KIM = ActorRef("Kim Soo", "person", country="KOR", sector="GOV", role="ministre")
JPN_ENVOY = ActorRef("Masaki Ishikawa", "person", country="JPN", sector="GOV")


def report(aid: str, outlet: str, day: int, *said: tuple[str, str, str, ActorRef, ActorRef, str],
           **extra: Any) -> CodedArticle:  # fmt: skip
    """A dispatch of ``outlet`` published on 2025-06-<day>; ``said``: (sentence, trigger,
    type, source, target, date)."""
    text = " ".join(s[0] for s in said)
    events = tuple(
        event(text, s, trig, etype, (src,), (dst,), when, cameo="040" if etype == "CONSULT"
              else "111", quad=1 if etype == "CONSULT" else 3,
              intensity=1.0 if etype == "CONSULT" else -2.0, **extra)
        for s, trig, etype, src, dst, when in said
    )  # fmt: skip
    article = Article(
        id=aid,
        text=text,
        lang="fr" if outlet != "Wire" else "en",
        published=date(2025, 6, day),
        url=f"https://example.org/{aid}",
        title=f"Dépêche {aid}",
        source=outlet,
    )
    return CodedArticle(article, events)


def world() -> list[CodedArticle]:
    """KOR-JPN: one meeting reported by three outlets (one twice), a second meeting ten
    days later, an accusation, and a denied meeting."""
    meet = "CONSULT"
    return [
        report("k1", "Alpha", 2,
               ("Kim Soo a reçu Masaki Ishikawa à Séoul.", "a reçu", meet, JPN_ENVOY, KIM,
                "2025-06-02"),
               ("Kim Soo a critiqué Masaki Ishikawa.", "a critiqué", "ACCUSE", KIM, JPN_ENVOY,
                "2025-06-02")),
        report("k2", "Wire", 3,
               ("Masaki Ishikawa met Kim Soo in Seoul.", "met", meet, JPN_ENVOY, KIM,
                "2025-06-02"),
               ("The talks lasted all afternoon.", "talks", meet, KIM, JPN_ENVOY,
                "2025-06-02")),
        report("k3", "Gamma", 4,
               ("Kim Soo s'est entretenu hier avec Masaki Ishikawa.", "s'est entretenu", meet,
                KIM, JPN_ENVOY, "2025-06-03")),
        report("k4", "Alpha", 12,
               ("Kim Soo a revu Masaki Ishikawa.", "a revu", meet, KIM, JPN_ENVOY,
                "2025-06-12")),
        report("k5", "Gamma", 3,
               ("Kim Soo n'a pas vu Masaki Ishikawa.", "vu", meet, KIM, JPN_ENVOY,
                "2025-06-02"), negated=True),
    ]  # fmt: skip


# the stories of world(): meeting (3 articles, 4 mentions), later meeting, accusation, denial
STORIES = 4
ROWS = 7


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export-stories") / "s.duckdb"
    with open_store(path) as handle:
        handle.write(world(), VERSION)
    return path


def run(store: Path, fmt: str, flt: EventFilter | None = None, **kw: Any) -> tuple[bytes, int]:
    buf = io.BytesIO()
    report = export_events(store, fmt, buf, flt, view=kw.pop("view", "story"), **kw)
    return buf.getvalue(), report.rows


def tsv(data: bytes) -> list[dict[str, str]]:
    lines = [line.split("\t") for line in data.decode("utf-8").splitlines()]
    return [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]


def meeting_of(records: list[dict[str, Any]], count: str, value: Any) -> dict[str, Any]:
    [found] = [r for r in records if r[count] == value]
    return found


def test_jsonl_story_view(store: Path) -> None:
    data, rows = run(store, "jsonl")
    stories = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    assert rows == len(stories) == STORIES
    meeting = meeting_of(stories, "n_articles", 3)
    assert (meeting["n_mentions"], meeting["n_outlets"]) == (4, 3)
    assert [e["article_id"] for e in meeting["evidence"]] == ["k1", "k2", "k2", "k3"]
    assert sorted(s["type"] for s in stories) == ["ACCUSE", "CONSULT", "CONSULT", "CONSULT"]


def test_csv_story_view(store: Path) -> None:
    data, rows = run(store, "csv")
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert rows == len(parsed) == STORIES
    assert list(parsed[0]) == list(STORY_COLUMNS)
    meeting = meeting_of(parsed, "n_articles", "3")
    assert meeting["n_mentions"] == "4" and meeting["negated"] == "false"
    assert meeting["outlets"] == "Alpha;Gamma;Wire"
    evidence = json.loads(meeting["evidence"])
    assert [e["article_id"] for e in evidence] == ["k1", "k2", "k2", "k3"]
    assert evidence[0]["text"] == "Kim Soo a reçu Masaki Ishikawa à Séoul."


def test_parquet_story_view(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "stories.parquet"
    report = export_events(store, "parquet", out, view="story")
    table = pq.read_table(out)
    assert report.rows == table.num_rows == STORIES and report.view == "story"
    assert table.column_names == list(STORY_COLUMNS)
    assert not (tmp_path / "stories.parquet.part").exists()
    meeting = meeting_of(table.to_pylist(), "n_articles", 3)
    assert meeting["outlets"] == ["Alpha", "Gamma", "Wire"]
    assert [e["outlet"] for e in meeting["evidence"]] == ["Alpha", "Wire", "Wire", "Gamma"]
    kind = table.schema.field("evidence").type
    assert pa.types.is_list(kind) and pa.types.is_struct(kind.value_type)


def graph(data: bytes) -> list[dict[str, str]]:
    root = ET.fromstring(data)
    keys = {k.get("id"): k.get("attr.name") for k in root.findall("g:key", NS)}
    edges = root.findall("g:graph/g:edge", NS)
    return [
        {"source": e.get("source") or "", "target": e.get("target") or "",
         **{str(keys[d.get("key")]): d.text or "" for d in e.findall("g:data", NS)}}
        for e in edges
    ]  # fmt: skip


def test_graphml_story_view_counts_stories(store: Path) -> None:
    data, counted = run(store, "graphml")
    edges = graph(data)
    # not negated: meeting, later meeting, accusation
    assert counted == 3 == sum(int(e["weight"]) for e in edges)
    accuse = next(e for e in edges if e["ACCUSE"] == "1")
    assert (accuse["source"], accuse["target"]) == ("KOR", "JPN")
    assert sum(int(e["CONSULT"]) for e in edges) == 2
    mention_data, mention_rows = run(store, "graphml", view="mention")
    assert mention_rows == 6  # rows, not stories: the mention view is unchanged
    assert sum(int(e["weight"]) for e in graph(mention_data)) == 6


def test_gdelt_story_view(store: Path) -> None:
    data, rows = run(store, "gdelt")
    records = tsv(data)
    assert rows == len(records) == STORIES
    assert list(records[0]) == [name for name, _ in GDELT_LAYOUT]
    meeting = meeting_of(records, "NumArticles", "3")
    assert (meeting["NumMentions"], meeting["NumSources"]) == ("4", "3")
    assert meeting["GLOBALEVENTID"].startswith("s") and meeting["SQLDATE"] == "20250602"
    assert meeting["EventRootCode"] == "04" and meeting["SOURCEURL"] == "https://example.org/k1"
    assert {meeting["Actor1Code"], meeting["Actor2Code"]} == {"KORGOV", "JPNGOV"}
    later = next(r for r in records if r["SQLDATE"] == "20250612")
    assert (later["NumMentions"], later["NumSources"], later["NumArticles"]) == ("1", "1", "1")


def test_polecat_story_view(store: Path) -> None:
    data, rows = run(store, "polecat")
    records = tsv(data)
    assert rows == len(records) == STORIES
    header = list(records[0])
    assert header == [name for name, _ in POLECAT_LAYOUT] + list(POLECAT_STORY_EXTRA)
    meeting = meeting_of(records, "Number of Articles", "3")
    assert meeting["Number of Mentions"] == "4" and meeting["Number of Sources"] == "3"
    assert meeting["Source"] == "Alpha;Gamma;Wire" and meeting["Language"] == "en;fr"
    assert meeting["Event Date"] == "2025-06-02" and meeting["Last Event Date"] == "2025-06-03"
    assert meeting["Story ID"] == meeting["Event ID"] and meeting["Article IDs"] == "k1;k2;k3"
    assert meeting["Publication Date"] == "2025-06-02" and meeting["Headline"] == "Dépêche k1"


def test_story_window_option_merges(store: Path) -> None:
    _, default = run(store, "jsonl")
    data, wide = run(store, "jsonl", window_days=10)
    assert (default, wide) == (STORIES, STORIES - 1)
    merged = meeting_of([json.loads(x) for x in data.decode().splitlines()], "n_articles", 4)
    assert merged["date_last"] == "2025-06-12"


def test_story_filters_and_paging(store: Path) -> None:
    _, accusations = run(store, "jsonl", EventFilter.parse(type="ACCUSE"))
    assert accusations == 1
    _, cut = run(store, "jsonl", EventFilter.parse(since="2025-06-03", until="2025-06-03"))
    assert cut == 1  # only the meeting's chain covers that day (its first day is 2 June)
    data, paged = run(store, "jsonl", EventFilter(limit=2, offset=1))
    everything, _ = run(store, "jsonl")
    assert paged == 2 and data.splitlines() == everything.splitlines()[1:3]


@pytest.mark.parametrize("fmt", FORMATS)
def test_mention_view_is_unchanged(store: Path, fmt: str) -> None:
    buf = io.BytesIO()
    default = export_events(store, fmt, buf)
    explicit, rows = run(store, fmt, view="mention")
    assert buf.getvalue() == explicit and default.rows == rows and default.view == "mention"
    if fmt in ("jsonl", "csv", "gdelt", "polecat"):
        assert rows == ROWS


def test_bad_view_and_window_write_nothing(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    with pytest.raises(ExportError) as caught:
        export_events(store, "jsonl", out, view="article")
    assert caught.value.code == "C610"
    with pytest.raises(StoryError):
        export_events(store, "jsonl", out, view="story", window_days=-3)
    assert list(tmp_path.iterdir()) == []


# -- CLI ------------------------------------------------------------------------------------


def cli(*args: str) -> Result:
    group = _Group(name="communique", commands=[export_cmds.export])
    assert isinstance(group, click.Group)
    return CliRunner().invoke(group, ["export", *args])


def test_cli_story_view(store: Path, tmp_path: Path) -> None:
    result = cli("--store", str(store), "--format", "jsonl", "--view", "story")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == STORIES
    assert f"{STORIES} story(ies) written to <stream> (jsonl)" in result.stderr
    out = tmp_path / "g.graphml"
    wide = cli("--store", str(store), "--format", "graphml", "--view", "story",
               "--story-window", "10", "--out", str(out))  # fmt: skip
    assert wide.exit_code == 0, wide.output
    assert f"2 story(ies) in the graph written to {out}" in wide.stderr


def test_cli_mention_view_by_default(store: Path) -> None:
    result = cli("--store", str(store), "--format", "jsonl")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == ROWS
    assert f"{ROWS} event row(s) written" in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [(["--view", "article"], "unknown export view"), (["--story-window", "-1"], "-1")],
)
def test_cli_bad_story_options(store: Path, args: list[str], words: str) -> None:
    result = cli("--store", str(store), "--format", "jsonl", *args)
    assert result.exit_code != 0 and words in result.output


# -- DataFrame ------------------------------------------------------------------------------


def test_read_stories_frame(store: Path) -> None:
    frame = communique.read_stories(store)
    assert isinstance(frame, pd.DataFrame) and len(frame) == STORIES
    assert list(frame.columns) == list(STORY_COLUMNS)
    meeting = frame[frame["n_articles"] == 3].iloc[0]
    assert meeting["n_mentions"] == 4 and meeting["outlets"] == ["Alpha", "Gamma", "Wire"]
    assert [e["article_id"] for e in meeting["evidence"]] == ["k1", "k2", "k2", "k3"]
    assert len(communique.read_stories(store, window_days=10)) == STORIES - 1
    assert list(communique.read_stories(store, type="ACCUSE")["type"]) == ["ACCUSE"]


def test_read_stories_of_an_empty_selection(store: Path) -> None:
    frame = communique.read_stories(store, country="FRA")
    assert len(frame) == 0 and list(frame.columns) == list(STORY_COLUMNS)


def test_export_builders_store_in_story_view(tmp_path: Path) -> None:
    # the shared export store: every row its own story except none merge (one per dispatch)
    path = build_store(tmp_path / "b.duckdb")
    data, rows = run(path, "jsonl", EventFilter.parse(country=JPN.country))
    stories = [json.loads(line) for line in data.decode().splitlines()]
    assert rows == len(stories) and all(s["n_articles"] == 1 for s in stories)
