"""Response models of the HTTP API (docs/API_CONTRACT.md), with the examples shown in its
OpenAPI schema. Pure declarations: no I/O, nothing computed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


_JPN = {
    "name": "Masaki Ishikawa",
    "country": "JPN",
    "sector": "GOV",
    "org": None,
    "role": "special representative",
    "actor_id": None,
}
_AZE = {
    "name": "Elnour Mammadov",
    "country": "AZE",
    "sector": "GOV",
    "org": None,
    "role": "deputy minister of foreign affairs",
    "actor_id": "person:elnour-mammadov",
}
_EVIDENCE = {
    "text": "Le vice-ministre Elnour Mammadov a rencontré Masaki Ishikawa à Bakou.",
    "start": 29,
    "end": 98,
}
_ROW: dict[str, Any] = {
    "event_id": "e3f1c2a9b8d7e6f5a4b3c",
    "mention_id": "m0a1b2c3d4e5f6a7b8c9d",
    "article_id": "ba2d6775b7985a1c",
    "type": "CONSULT",
    "mode": "visit",
    "cameo": "042",
    "source": _JPN,
    "target": _AZE,
    "date": "2024-11-29",
    "date_precision": "day",
    "location": {"name": "Bakou", "country": "AZE", "lat": 40.38, "lon": 49.89},
    "negated": False,
    "future": False,
    "historical": False,
    "hypothetical": False,
    "joint": False,
    "alt_type": None,
    "contexts": ["diplomatic"],
    "quad": 1,
    "intensity": 1.0,
    "evidence": _EVIDENCE,
    "confidence": 0.9,
    "rule": "fr.consult.rencontrer",
    "coder_version": "0.1.0+abc123",
}


_ARTICLE: dict[str, Any] = {
    "id": "ba2d6775b7985a1c",
    "title": "Vice-ministre des Affaires étrangères rencontre un envoyé japonais",
    "lang": "fr",
    "published": "2024-11-29",
    "published_month": None,
    "source": "AZERTAC",
    "url": None,
    "origin": "seeds/000_ba2d6775b7985a1c.txt",
    "coder_version": "0.1.0+abc123",
    "text": "Bakou, 29 novembre, AZERTAC. Le vice-ministre Elnour Mammadov ...",
}


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable error code (C6xx: query, C3xx: store).")
    message: str = Field(description="What went wrong.")
    hint: str | None = Field(default=None, description="How to fix it.")


class ErrorResponse(BaseModel):
    """Every error: a 4xx (or 503 while the store cannot be read) with this body."""

    model_config = _examples(
        {
            "error": {
                "code": "C600",
                "message": "unknown event type 'MEETING'",
                "hint": "use one of ACCUSE, AGREE, AID, ...",
            }
        }
    )
    error: ErrorDetail


class Actor(BaseModel):
    """A source or target of a row: ``country`` is ISO alpha-3; bodies and regions have
    ``country`` null and an ``org`` code."""

    model_config = _examples(_JPN)
    name: str
    country: str | None = None
    sector: str | None = None
    org: str | None = None
    role: str | None = None
    actor_id: str | None = None


class Location(BaseModel):
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class Evidence(BaseModel):
    """The evidence sentence; ``article.text[start:end] == text``."""

    text: str
    start: int
    end: int


class EventRow(BaseModel):
    """One dyadic event row, as `communique events --format jsonl` prints it."""

    model_config = _examples(_ROW)
    event_id: str
    mention_id: str
    article_id: str
    type: str
    mode: str | None = None
    cameo: str | None = None
    source: Actor | None = None
    target: Actor | None = None
    date: str | None = None
    date_precision: str | None = None
    location: Location | None = None
    negated: bool
    future: bool
    historical: bool
    hypothetical: bool
    joint: bool
    alt_type: str | None = None
    contexts: list[str]
    quad: int | None = None
    intensity: float | None = None
    evidence: Evidence
    confidence: float
    rule: str
    coder_version: str


class EventsPage(BaseModel):
    """A page of rows in (date, article, position) order. ``next_cursor`` is an opaque
    token for the next page, null on the last one."""

    model_config = _examples({"events": [_ROW], "next_cursor": "WyJjMSIsIjIwMjQtMTEt..."})
    events: list[EventRow]
    next_cursor: str | None = None


_STORY_EVIDENCE = [
    {
        "event_id": "e3f1c2a9b8d7e6f5a4b3c",
        "mention_id": "m0a1b2c3d4e5f6a7b8c9d",
        "article_id": "ba2d6775b7985a1c",
        "outlet": "AZERTAC",
        "date": "2024-11-29",
        "day": "2024-11-29",
        "text": _EVIDENCE["text"],
        "start": 29,
        "end": 98,
    },
    {
        "event_id": "e9a8b7c6d5e4f3a2b1c0d",
        "mention_id": "m1b2c3d4e5f6a7b8c9d0e",
        "article_id": "c41f0e2a9d3b7765",
        "outlet": "Kyodo",
        "date": "2024-11-29",
        "day": "2024-11-29",
        "text": "Japan's envoy Masaki Ishikawa held talks in Baku with Elnour Mammadov.",
        "start": 0,
        "end": 71,
    },
]
_STORY: dict[str, Any] = {
    "story_id": "s5d41402a-e3f1c2a9b8d7e6f5a4b3c",
    "type": "CONSULT",
    "mode": "visit",
    "cameo": "042",
    "source": _JPN,
    "target": _AZE,
    "source_key": "JPN",
    "target_key": "AZE",
    "directed": False,
    "date_first": "2024-11-29",
    "date_last": "2024-11-29",
    "location": _ROW["location"],
    "negated": False,
    "future": False,
    "hypothetical": False,
    "contexts": ["diplomatic"],
    "quad": 1,
    "intensity": 1.0,
    "n_mentions": 2,
    "n_articles": 2,
    "n_outlets": 2,
    "outlets": ["AZERTAC", "Kyodo"],
    "confidence": 0.9,
    "coder_version": "0.1.0+abc123",
    "evidence": _STORY_EVIDENCE,
}


class StoryEvidence(BaseModel):
    """One mention of a story: its row, dispatch and sentence
    (``article.text[start:end] == text``)."""

    event_id: str = Field(description="The mention's first row (see /api/events/{id}).")
    mention_id: str
    article_id: str
    outlet: str | None = Field(default=None, description="The article's source (outlet).")
    date: str | None = Field(default=None, description="The row's own date.")
    day: str | None = Field(
        default=None,
        description="The day the mention counts for in the story's chain: its date, or the "
        "publication day when its date is coarser or missing.",
    )
    text: str
    start: int
    end: int


class Story(BaseModel):
    """One event as reported by one or more dispatches (README, Stories): rows of the same
    type, actor keys (unordered for CONSULT, AGREE, COOPERATE and joint rows) and polarity,
    chained day by day within the story window."""

    model_config = _examples(_STORY)
    story_id: str = Field(description="Stable id: key digest + the first mention's event id.")
    type: str
    mode: str | None = Field(default=None, description="Most frequent non-null mode.")
    cameo: str | None = None
    source: Actor | None = Field(default=None, description="Most frequent source actor.")
    target: Actor | None = Field(default=None, description="Most frequent target actor.")
    source_key: str | None = None
    target_key: str | None = None
    directed: bool = Field(description="False when the pair is unordered.")
    date_first: str | None = None
    date_last: str | None = None
    location: Location | None = None
    negated: bool
    future: bool
    hypothetical: bool
    contexts: list[str]
    quad: int | None = None
    intensity: float | None = None
    n_mentions: int = Field(description="Mentions (sentences) reporting the event.")
    n_articles: int = Field(description="Distinct dispatches: the number of sources.")
    n_outlets: int = Field(
        description="Distinct outlets named by the dispatches, plus one per dispatch naming none."
    )
    outlets: list[str]
    confidence: float = Field(description="The highest confidence of the mentions.")
    coder_version: str
    evidence: list[StoryEvidence] = Field(description="One entry per mention, by date.")


class StoriesPage(BaseModel):
    """A page of stories by first date, then id. ``next_cursor`` is an opaque token for
    the next page, null on the last one."""

    model_config = _examples({"stories": [_STORY], "next_cursor": "WyJzMSIsIjIwMjQtMTEt..."})
    stories: list[Story]
    next_cursor: str | None = None


class StoryResponse(BaseModel):
    model_config = _examples({"story": _STORY})
    story: Story


class Trigger(BaseModel):
    """The trigger words; ``article.text[start:end] == text``."""

    text: str
    start: int
    end: int


class StoredArticle(BaseModel):
    """A stored dispatch. ``published`` is YYYY-MM-DD, or null with ``published_month``
    (YYYY-MM) when only the month is known."""

    model_config = _examples(_ARTICLE)
    id: str
    title: str | None = None
    lang: str | None = None
    published: str | None = None
    published_month: str | None = None
    source: str | None = None
    url: str | None = None
    origin: str | None = None
    coder_version: str | None = None
    text: str


class EventDetail(EventRow):
    """A row with what `explain` shows: trigger, resolution trace and article."""

    trigger: Trigger
    trace: list[str]
    sentence_index: int
    article: StoredArticle


class EventExplained(BaseModel):
    model_config = _examples(
        {
            "event": {
                **_ROW,
                "trigger": {"text": "a rencontré", "start": 62, "end": 73},
                "trace": ["source: gazetteer", "target: title+demonym"],
                "sentence_index": 1,
                "article": _ARTICLE,
            },
            "explain": [
                "event     e3f1c2a9b8d7e6f5a4b3c (mention m0a1b2c3d4e5f6a7b8c9d)",
                "type      CONSULT / visit",
                "source    Masaki Ishikawa [JPN, GOV, special representative]",
            ],
        }
    )
    event: EventDetail
    explain: list[str] = Field(description="The lines of `communique explain EVENT_ID`.")


class ActorSummary(BaseModel):
    key: str = Field(description="Scoring key: ISO alpha-3 country, else org/region code.")
    name: str = Field(description="English name from the knowledge base (the key if unknown).")
    kind: str = Field(description="country, org, region or other.")
    events: int = Field(description="Rows in which the key is source or target.")


class ActorsResponse(BaseModel):
    model_config = _examples(
        {"actors": [{"key": "AZE", "name": "Azerbaijan", "kind": "country", "events": 12}]}
    )
    actors: list[ActorSummary]


class DyadMonth(BaseModel):
    month: str = Field(description="YYYY-MM")
    counts: dict[str, int] = Field(description="Rows by PLOVER type.")
    events: int = Field(description="All rows of the month, either direction.")
    a_to_b: int = Field(description="Rows with a as source.")
    b_to_a: int = Field(description="Rows with b as source.")
    score: float | None = Field(
        description="Mean signed intensity of the month's scored rows (+ cooperation, "
        "- conflict, -10..+10); null when none scores. See README, HTTP API."
    )
    scored: int = Field(description="Rows counted in score (not negated nor hypothetical).")


class DyadResponse(BaseModel):
    model_config = _examples(
        {
            "a": "AZE",
            "b": "JPN",
            "a_name": "Azerbaijan",
            "b_name": "Japan",
            "months": [
                {
                    "month": "2024-11",
                    "counts": {"CONSULT": 2},
                    "events": 2,
                    "a_to_b": 0,
                    "b_to_a": 2,
                    "score": 1.0,
                    "scored": 2,
                }
            ],
            "undated": 0,
        }
    )
    a: str
    b: str
    a_name: str
    b_name: str
    months: list[DyadMonth]
    undated: int = Field(description="Rows of the dyad dated to a year only, or undated.")


class GraphNode(BaseModel):
    id: str
    label: str
    kind: str
    events: int


class GraphEdge(BaseModel):
    source: str = Field(description="The smaller key of the pair (edges are undirected).")
    target: str
    weight: int = Field(description="Rows between the two keys, either direction.")
    forward: int = Field(description="Rows with `source` as the acting side.")
    score: float | None = Field(description="Mean signed intensity (see DyadMonth.score).")


class GraphResponse(BaseModel):
    model_config = _examples(
        {
            "nodes": [
                {"id": "AZE", "label": "Azerbaijan", "kind": "country", "events": 12},
                {"id": "JPN", "label": "Japan", "kind": "country", "events": 3},
            ],
            "edges": [{"source": "AZE", "target": "JPN", "weight": 3, "forward": 1, "score": 0.5}],
        }
    )
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class MapPoint(BaseModel):
    name: str | None = None
    country: str | None = None
    lat: float
    lon: float
    events: int
    score: float | None = None
    event_ids: list[str] = Field(description="The first event ids there, in date order.")


class MapResponse(BaseModel):
    model_config = _examples(
        {
            "points": [
                {
                    "name": "Baku",
                    "country": "AZE",
                    "lat": 40.4,
                    "lon": 49.9,
                    "events": 3,
                    "score": 1.0,
                    "event_ids": ["e3f1c2a9b8d7e6f5a4b3c"],
                }
            ]
        }
    )
    points: list[MapPoint]


class ArticleEvent(BaseModel):
    """One row of the article, with offsets into ``article.text`` for highlighting."""

    event_id: str
    mention_id: str
    type: str
    mode: str | None = None
    date: str | None = None
    negated: bool
    future: bool
    hypothetical: bool
    quad: int | None = None
    intensity: float | None = None
    evidence_start: int
    evidence_end: int
    evidence_text: str
    trigger_start: int
    trigger_end: int
    trigger_text: str
    sentence_index: int
    source: Actor | None = None
    target: Actor | None = None
    location: Location | None = None
    rule: str
    confidence: float


class ArticleResponse(BaseModel):
    model_config = _examples(
        {
            "article": _ARTICLE,
            "events": [
                {
                    "event_id": "e3f1c2a9b8d7e6f5a4b3c",
                    "mention_id": "m0a1b2c3d4e5f6a7b8c9d",
                    "type": "CONSULT",
                    "mode": "visit",
                    "date": "2024-11-29",
                    "negated": False,
                    "future": False,
                    "hypothetical": False,
                    "quad": 1,
                    "intensity": 1.0,
                    "evidence_start": 29,
                    "evidence_end": 98,
                    "evidence_text": _EVIDENCE["text"],
                    "trigger_start": 62,
                    "trigger_end": 73,
                    "trigger_text": "a rencontré",
                    "sentence_index": 1,
                    "source": _JPN,
                    "target": _AZE,
                    "location": {"name": "Bakou", "country": "AZE", "lat": 40.38, "lon": 49.89},
                    "rule": "fr.consult.rencontrer",
                    "confidence": 0.9,
                }
            ],
        }
    )
    article: StoredArticle
    events: list[ArticleEvent]


# -- the write endpoint (POST /api/ingest) ----------------------------------------------------

_DISPATCH: dict[str, Any] = {
    "id": "kabar-2024-11-29-001",
    "text": "Bichkek, 29 novembre. Le ministre kirghize des Affaires étrangères a rencontré "
    "vendredi son homologue kazakh pour parler des routes commerciales.",
    "lang": "fr",
    "published": "2024-11-29",
    "url": "https://example.org/depeches/001",
    "title": "Rencontre des ministres à Bichkek",
    "source": "Agence Exemple",
}


class Dispatch(BaseModel):
    """One dispatch, with the fields of a JSONL input line (README, Input formats)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_DISPATCH]})
    id: str = Field(description="The article id: stored as given; a stored id is skipped.")
    text: str = Field(description="The dispatch's text (plain text, UTF-8).")
    lang: str | None = Field(default=None, description="fr or en; null: detected.")
    published: str | None = Field(
        default=None, description="Publication date, YYYY-MM-DD (or YYYY-MM)."
    )
    url: str | None = None
    title: str | None = None
    source: str | None = Field(default=None, description="The outlet (agency) name.")


# The request body as the OpenAPI schema shows it (the endpoint reads the body itself, after
# checking the token and the size, so FastAPI does not declare it from a parameter).
INGEST_REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["dispatches"],
                "additionalProperties": False,
                "properties": {
                    "dispatches": {
                        "type": "array",
                        "minItems": 1,
                        "items": Dispatch.model_json_schema(),
                        "description": "At most Settings.api_max_dispatches (default "
                        "100) dispatches, at most Settings.api_max_request_bytes (default "
                        "2 MB) in all.",
                    }
                },
            },
            "example": {"dispatches": [_DISPATCH]},
        }
    },
}


class IngestedArticle(BaseModel):
    id: str
    status: str = Field(
        description="coded (new, or re-coded by another coder version), skipped (already "
        "stored by this coder version) or duplicate (a near-copy linked to original_id)."
    )
    original_id: str | None = None


class InputNote(BaseModel):
    where: str = Field(description="dispatches[INDEX]")
    message: str


class IngestResponse(BaseModel):
    """What one POST /api/ingest stored (one transaction)."""

    model_config = _examples(
        {
            "received": 1,
            "articles_added": 1,
            "articles_skipped": 0,
            "duplicates": 0,
            "events_added": 1,
            "coder_version": "0.1.0+abc123",
            "articles": [{"id": _DISPATCH["id"], "status": "coded", "original_id": None}],
            "warnings": [],
        }
    )
    received: int
    articles_added: int
    articles_skipped: int
    duplicates: int
    events_added: int = Field(description="Event rows stored (dyadic rows).")
    coder_version: str
    articles: list[IngestedArticle] = Field(description="One entry per dispatch, in order.")
    warnings: list[InputNote] = Field(description="Dispatches coded with a warning.")
