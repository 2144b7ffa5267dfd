"""The story view of every export format (`communique export --view story`): one record per
story (``communique.stories``) instead of one per dyadic event row.

* jsonl: ``Story.to_dict()`` per line, evidence a nested list.
* csv: the flat ``STORY_COLUMNS``; ``contexts`` and ``outlets`` joined with ";";
  ``evidence`` a JSON array of the evidence objects (lossless in one cell, and read back
  with any JSON parser).
* parquet: the flat ``STORY_COLUMNS`` with types; ``contexts``/``outlets`` lists of
  strings, ``evidence`` a list of structs (queryable as such in DuckDB, pandas, polars).
* graphml: the graph of the mention view (``export/graphml.py``) with stories counted
  instead of rows: an undirected story (CONSULT, AGREE, COOPERATE, joint) is drawn in its
  majority direction.
* gdelt, polecat: the layouts of ``export/layouts.py``, one line per story. GDELT's
  NumMentions, NumArticles and NumSources get ``n_mentions``, ``n_articles`` and
  ``n_outlets``; POLECAT's columns get the story's values, and five columns of ours
  follow the mention view's ones (last event date and the three counts, article ids).

Stories are built from the store's rows by ``stories.find_stories`` (store methods both
backends offer), so this module holds no SQL and works on any store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, BinaryIO

from communique.export.source import BATCH_ROWS
from communique.store.base import ACTOR_FIELDS, LOCATION_FIELDS, date_bounds
from communique.stories import EVIDENCE_FIELDS, ArticleLookup, Story, find_stories

if TYPE_CHECKING:
    import pyarrow as pa

    from communique.query import EventFilter
    from communique.stories import StoryStore

# Nested story members flattened as in the mention view (``source_name``, ...).
_NESTED: dict[str, tuple[str, ...]] = {
    "source": ACTOR_FIELDS,
    "target": ACTOR_FIELDS,
    "location": LOCATION_FIELDS,
}
# The story fields of the flat formats, in ``Story`` order, nested ones flattened.
STORY_COLUMNS: tuple[str, ...] = tuple(
    f"{name}_{sub}" if name in _NESTED else name
    for name in Story.__dataclass_fields__
    for sub in _NESTED.get(name, ("",))
)

_BOOLS = {"directed", "negated", "future", "hypothetical"}
_INTS = {"quad", "n_mentions", "n_articles", "n_outlets"}
_FLOATS = {"intensity", "confidence", "location_lat", "location_lon"}
_LISTS = {"contexts", "outlets"}


def _schema(*, for_csv: bool) -> pa.Schema:
    import pyarrow as pa

    evidence = pa.list_(
        pa.struct(
            [(f, pa.int32() if f in ("start", "end") else pa.string()) for f in EVIDENCE_FIELDS]
        )
    )
    fields = []
    for name in STORY_COLUMNS:
        if name in _BOOLS:
            kind: pa.DataType = pa.bool_()
        elif name in _INTS:
            kind = pa.int32()
        elif name in _FLOATS:
            kind = pa.float64()
        elif name in _LISTS:
            kind = pa.string() if for_csv else pa.list_(pa.string())
        elif name == "evidence":
            kind = pa.string() if for_csv else evidence
        else:
            kind = pa.string()
        fields.append(pa.field(name, kind))
    return pa.schema(fields)


def flat_story(story: Story, *, for_csv: bool = False) -> dict[str, Any]:
    """The ``STORY_COLUMNS`` values of a story (CSV: lists joined, evidence as JSON)."""
    data = story.to_dict()
    flat: dict[str, Any] = {}
    for name, value in data.items():
        if name in _NESTED:
            for sub in _NESTED[name]:
                flat[f"{name}_{sub}"] = None if value is None else value[sub]
        elif for_csv and name in _LISTS:
            flat[name] = ";".join(value)
        elif for_csv and name == "evidence":
            flat[name] = json.dumps(value, ensure_ascii=False)
        else:
            flat[name] = value
    return flat


def story_batches(stories: Iterable[Story], *, for_csv: bool = False) -> Iterator[pa.RecordBatch]:
    """Stories as Arrow record batches of at most ``BATCH_ROWS`` stories."""
    import pyarrow as pa

    schema = _schema(for_csv=for_csv)
    chunk: list[dict[str, Any]] = []
    for story in stories:
        chunk.append(flat_story(story, for_csv=for_csv))
        if len(chunk) >= BATCH_ROWS:
            yield pa.RecordBatch.from_pylist(chunk, schema=schema)
            chunk = []
    if chunk:
        yield pa.RecordBatch.from_pylist(chunk, schema=schema)


def story_table(stories: Iterable[Story]) -> pa.Table:
    """All stories as one Arrow table (the Parquet columns); empty with the schema when
    there are none."""
    import pyarrow as pa

    return pa.Table.from_batches(list(story_batches(stories)), schema=_schema(for_csv=False))


def _read(
    store: StoryStore, flt: EventFilter, window_days: int, *, paged: bool = True
) -> tuple[list[Story], ArticleLookup]:
    lookup = ArticleLookup(store)
    if not paged:
        flt = replace(flt, limit=None, offset=0)
    return find_stories(store, flt, window_days=window_days, lookup=lookup), lookup


# -- row formats -----------------------------------------------------------------------------


def write_jsonl(store: StoryStore, flt: EventFilter, out: BinaryIO, window_days: int) -> int:
    """One story object per line (``Story.to_dict()``), evidence nested."""
    stories, _ = _read(store, flt, window_days)
    for start in range(0, len(stories), BATCH_ROWS):
        lines = [
            json.dumps(s.to_dict(), ensure_ascii=False) + "\n"
            for s in stories[start : start + BATCH_ROWS]
        ]
        out.write("".join(lines).encode("utf-8"))
    return len(stories)


def write_csv(store: StoryStore, flt: EventFilter, out: BinaryIO, window_days: int) -> int:
    """RFC 4180 CSV with a header: ``STORY_COLUMNS``, lists joined with ";", evidence a
    JSON array, booleans true/false, missing values empty."""
    import pyarrow.csv as pacsv

    stories, _ = _read(store, flt, window_days)
    with pacsv.CSVWriter(out, _schema(for_csv=True)) as writer:
        for batch in story_batches(stories, for_csv=True):
            writer.write_batch(batch)
    return len(stories)


def write_parquet(store: StoryStore, flt: EventFilter, out: BinaryIO, window_days: int) -> int:
    """Parquet with ``STORY_COLUMNS``: lists as lists, evidence a list of structs, zstd."""
    import pyarrow.parquet as pq

    stories, _ = _read(store, flt, window_days)
    with pq.ParquetWriter(out, _schema(for_csv=False), compression="zstd") as writer:
        for batch in story_batches(stories):
            writer.write_batch(batch)
    return len(stories)


# -- graph -------------------------------------------------------------------------------------


def story_score(story: Story) -> float | None:
    """The cooperation/conflict score of ``query.SCORE_SQL``, for a story: its intensity
    signed by its quad (+ cooperation, - conflict); None when negated, hypothetical or
    without quad or intensity."""
    if story.negated or story.hypothetical or story.intensity is None:
        return None
    if story.quad in (1, 2):
        return abs(story.intensity)
    if story.quad in (3, 4):
        return -abs(story.intensity)
    return None


def story_edges(stories: Iterable[Story]) -> list[tuple[object, ...]]:
    """Rows of ``graphml._lines``: (source key, target key, stories, mean score or None,
    cooperation, conflict, one count per PLOVER type), for stories that are not negated
    and have two known keys, by source then target key."""
    from communique.model.plover import PLOVER_TYPES

    edges: dict[tuple[str, str], list[Story]] = {}
    for story in stories:
        keys = (story.source_key, story.target_key)
        if story.negated or any(k is None or k == "unknown" for k in keys):
            continue
        edges.setdefault((str(keys[0]), str(keys[1])), []).append(story)
    rows: list[tuple[object, ...]] = []
    for (src, dst), group in sorted(edges.items()):
        scores = [s for s in map(story_score, group) if s is not None]
        rows.append(
            (
                src,
                dst,
                len(group),
                sum(scores) / len(scores) if scores else None,
                sum(s.quad in (1, 2) for s in group),
                sum(s.quad in (3, 4) for s in group),
                *(sum(s.type == t for s in group) for t in PLOVER_TYPES),
            )
        )
    return rows


def write_graphml(store: StoryStore, flt: EventFilter, out: BinaryIO, window_days: int) -> int:
    """The actor graph with edge weights counting stories; returns the stories counted."""
    from communique.export.graphml import _lines
    from communique.export.labels import key_labels

    stories, _ = _read(store, flt, window_days, paged=False)
    edges = story_edges(stories)
    labels = key_labels({str(k) for r in edges for k in r[:2]})
    for line in _lines(edges, labels):
        out.write(line.encode("utf-8"))
    return sum(int(str(r[2])) for r in edges)


# -- GDELT and POLECAT layouts -----------------------------------------------------------------


def _actor_code(actor: dict[str, Any] | None) -> str | None:
    """As ``layouts._actor_code``: JPNGOV, IGOUNO, else the org code."""
    if actor is None:
        return None
    if actor["country"]:
        return str(actor["country"]) + (actor["sector"] or "")
    if actor["org"]:
        prefix = actor["sector"] if actor["sector"] in ("IGO", "NGO") else ""
        return f"{prefix}{actor['org']}"
    return None


def _side(actor: dict[str, Any] | None, name: str) -> Any:
    return None if actor is None else actor[name]


def gdelt_values(story: Story, lookup: ArticleLookup) -> dict[str, object]:
    """Values of the GDELT 1.0 columns a story fills (the others are written empty)."""
    first = story.date_first or ""
    day = date_bounds(first)[0] if len(first) == 10 else None
    article = lookup.get(story.evidence[0]["article_id"]) if story.evidence else None
    located = story.location or {}
    values: dict[str, object] = {
        "GLOBALEVENTID": story.story_id,
        "SQLDATE": first.replace("-", "") if day else None,
        "MonthYear": first[:7].replace("-", "") if len(first) >= 7 else None,
        "Year": first[:4] if len(first) >= 4 else None,
        "FractionDate": round(day.year + (day.month * 30 + day.day) / 365.0, 4) if day else None,
        "EventCode": story.cameo,
        "EventBaseCode": None if story.cameo is None else story.cameo[:3],
        "EventRootCode": None if story.cameo is None else story.cameo[:2],
        "QuadClass": story.quad,
        "GoldsteinScale": story.intensity,
        "NumMentions": story.n_mentions,
        "NumSources": story.n_outlets,
        "NumArticles": story.n_articles,
        "ActionGeo_FullName": located.get("name"),
        "ActionGeo_CountryCode": located.get("country"),
        "ActionGeo_Lat": located.get("lat"),
        "ActionGeo_Long": located.get("lon"),
        "SOURCEURL": None if article is None else (article.url or article.outlet),
    }
    for n, actor in ((1, story.source), (2, story.target)):
        values[f"Actor{n}Code"] = _actor_code(actor)
        values[f"Actor{n}Name"] = _side(actor, "name")
        values[f"Actor{n}CountryCode"] = _side(actor, "country")
        values[f"Actor{n}KnownGroupCode"] = _side(actor, "org")
        values[f"Actor{n}Type1Code"] = _side(actor, "sector")
    return values


# POLECAT-layout columns of ours for the story view, after the mention view's columns.
POLECAT_STORY_EXTRA: tuple[str, ...] = (
    "Last Event Date",
    "Number of Mentions",
    "Number of Articles",
    "Number of Sources",
    "Article IDs",
)


def polecat_values(story: Story, lookup: ArticleLookup) -> dict[str, object]:
    """Values of the POLECAT columns (and ``POLECAT_STORY_EXTRA``) a story fills."""
    article_ids = list(dict.fromkeys(e["article_id"] for e in story.evidence))
    infos = [i for i in (lookup.get(a) for a in article_ids) if i is not None]
    first = infos[0] if infos else None
    located = story.location or {}
    values: dict[str, object] = {
        "Event ID": story.story_id,
        "Event Date": story.date_first,
        "Event Type": story.type,
        "Event Mode": story.mode,
        "Event Intensity": story.intensity,
        "Quad Code": story.quad,
        "Contexts": ";".join(story.contexts),
        "Placename": located.get("name"),
        "Country": located.get("country"),
        "Latitude": located.get("lat"),
        "Longitude": located.get("lon"),
        "Raw Placename": located.get("name"),
        "Source": ";".join(story.outlets) or None,
        "Publication Date": None if first is None or first.published is None
        else first.published.isoformat(),
        "Language": ";".join(sorted({i.lang for i in infos if i.lang})) or None,
        "Version": story.coder_version,
        "Event Text": story.evidence[0]["text"] if story.evidence else None,
        "Story ID": story.story_id,
        "Mention ID": ";".join(e["mention_id"] for e in story.evidence),
        "Headline": None if first is None else first.title,
        "Last Event Date": story.date_last,
        "Number of Mentions": story.n_mentions,
        "Number of Articles": story.n_articles,
        "Number of Sources": story.n_outlets,
        "Article IDs": ";".join(article_ids),
    }  # fmt: skip
    for prefix, actor in (("Actor", story.source), ("Recipient", story.target)):
        values[f"{prefix} Name"] = _side(actor, "name")
        values[f"{prefix} Country"] = _side(actor, "country")
        values[f"Primary {prefix} Sector"] = _side(actor, "sector")
        values[f"{prefix} Sectors"] = _side(actor, "sector")
        values[f"{prefix} Title"] = _side(actor, "role")
        values[f"{prefix} Name Raw"] = _side(actor, "name")
    return values


def _write_layout(
    stories: Sequence[Story],
    lookup: ArticleLookup,
    out: BinaryIO,
    columns: Sequence[str],
    values_of: Callable[[Story, ArticleLookup], dict[str, object]],
) -> int:
    from communique.export.layouts import _cell

    out.write(("\t".join(columns) + "\n").encode("utf-8"))
    for start in range(0, len(stories), BATCH_ROWS):
        lines = []
        for story in stories[start : start + BATCH_ROWS]:
            values = values_of(story, lookup)
            lines.append("\t".join(_cell(values.get(c)) for c in columns) + "\n")
        out.write("".join(lines).encode("utf-8"))
    return len(stories)


def gdelt_columns() -> tuple[str, ...]:
    from communique.export.layouts import GDELT_LAYOUT

    return tuple(name for name, _ in GDELT_LAYOUT)


def polecat_columns() -> tuple[str, ...]:
    from communique.export.layouts import POLECAT_LAYOUT

    return (*(name for name, _ in POLECAT_LAYOUT), *POLECAT_STORY_EXTRA)


def write_gdelt(store: StoryStore, flt: EventFilter, out: BinaryIO, window_days: int) -> int:
    """GDELT 1.0 event table layout, one line per story (58 fields, header line)."""
    stories, lookup = _read(store, flt, window_days)
    return _write_layout(stories, lookup, out, gdelt_columns(), gdelt_values)


def write_polecat(store: StoryStore, flt: EventFilter, out: BinaryIO, window_days: int) -> int:
    """POLECAT weekly-file layout plus the mention view's and the story view's columns of
    ours, one line per story."""
    stories, lookup = _read(store, flt, window_days)
    return _write_layout(stories, lookup, out, polecat_columns(), polecat_values)
