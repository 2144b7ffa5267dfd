"""The endpoints of docs/API_CONTRACT.md. Each read parses its parameters into the
library's typed filters, makes one store call and shapes the answer; bad parameters raise
coded errors that errors.py turns into 4xx answers. The one write, POST /api/ingest, checks
its limits and token here and leaves the rest to api/write.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from communique.api.context import ApiContext
from communique.api.errors import (
    NotFoundError,
    ParameterError,
    ReadOnlyError,
    WritesDisabledError,
)
from communique.api.gate import StoreGate
from communique.api.limits import client_address, read_body
from communique.api.schemas import (
    INGEST_REQUEST_BODY,
    ActorsResponse,
    ArticleResponse,
    DyadResponse,
    ErrorResponse,
    EventExplained,
    EventsPage,
    GraphResponse,
    IngestResponse,
    MapResponse,
    StoriesPage,
    StoryResponse,
)
from communique.api.write import (
    WRITE_TOKEN_ENV,
    StoreWriter,
    check_json_type,
    check_token,
    parse_dispatches,
)
from communique.query import (
    MAX_ARTICLE_ID_CHARS,
    MAX_CURSOR_CHARS,
    MAX_TEXT_QUERY_CHARS,
    EventFilter,
    EventSearch,
    RowPosition,
    parse_bound,
)
from communique.stories import StoryPosition, get_story, story_page

if TYPE_CHECKING:
    from communique.store.sql import SqlStore

# Rows per page of /api/events: 50 fills a screen of the UI's list; 500 keeps one answer
# under about a megabyte (a row is 1-2 kB of JSON).
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Actors listed by /api/actors: 100 covers a picker's suggestions; 1000 is more countries
# and bodies than the knowledge base has.
DEFAULT_ACTORS = 100
MAX_ACTORS = 1000
# Longest actor-name query of /api/actors (names are short).
MAX_ACTOR_QUERY_CHARS = 100
# Event ids listed per map point: enough for a popup's list; "events" gives the total.
MAP_MAX_EVENT_IDS = 50
# Longest event id accepted (ids are "e" + 20 hex digits; leave room for other schemes).
MAX_EVENT_ID_CHARS = 128
# Longest story id accepted: "s", 8 hex digits, "-" and an event id.
MAX_STORY_ID_CHARS = MAX_EVENT_ID_CHARS + 10

_WHERE = "communique/api"

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Bad parameter (code C600-C602)."},
    503: {"model": ErrorResponse, "description": "Store missing or being written (C3xx)."},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "Unknown id (code C604)."},
    **_ERRORS,
}

# The one path that writes.
INGEST_PATH = "/api/ingest"

_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Bad body or dispatches (C603, problems)."},
    401: {"model": ErrorResponse, "description": "Missing or wrong bearer token (C607)."},
    403: {"model": ErrorResponse, "description": "Writes are off: no token configured (C606)."},
    413: {"model": ErrorResponse, "description": "Body or dispatch count over the limit (C608)."},
    415: {"model": ErrorResponse, "description": "Body not application/json (C603)."},
    429: {"model": ErrorResponse, "description": "Rate limit (C609), with Retry-After."},
    503: {"model": ErrorResponse, "description": "Store busy or missing (C3xx), Retry-After."},
}


async def _no_nul(request: Request) -> None:
    """Refuse NUL characters in any query or path value: no identifier, key, date or text
    holds one, and PostgreSQL cannot even compare text with one. (async: it runs on the
    event loop, without a trip through the thread pool.)"""
    values = [*request.query_params.values(), *map(str, request.path_params.values())]
    if any("\x00" in v for v in values):
        raise ParameterError(
            "a parameter holds a NUL character",
            where=_WHERE,
            hint="remove %00 from the address",
        )


router = APIRouter(prefix="/api", tags=["events"], dependencies=[Depends(_no_nul)])


def _context(request: Request) -> ApiContext:
    ctx: ApiContext = request.app.state.communique
    return ctx


@contextmanager
def _reading(request: Request) -> Iterator[SqlStore]:
    """The store opened read-only for this request, through the app's gate when it has
    one (a DuckDB store with writes on: api/gate.py)."""
    gate: StoreGate | None = request.app.state.store_gate
    with gate.reading() if gate is not None else nullcontext(), _context(request).store() as store:
        yield store


# -- shared parameters --------------------------------------------------------------------

Since = Annotated[
    str | None,
    Query(
        description="Events on or after this day (YYYY-MM-DD) or month (YYYY-MM).",
        examples=["2024-08"],
        max_length=10,
    ),
]
Until = Annotated[
    str | None,
    Query(
        description="Events on or before this day (YYYY-MM-DD) or month (YYYY-MM, its end).",
        examples=["2024-12-31"],
        max_length=10,
    ),
]
CursorParam = Annotated[
    str | None,
    Query(description="next_cursor of the previous page.", max_length=MAX_CURSOR_CHARS),
]
TypeParam = Annotated[
    str | None,
    Query(description="PLOVER event type.", examples=["CONSULT"], max_length=20),
]
Country = Annotated[
    str | None,
    Query(
        description="Actor key as source or target: ISO alpha-3, or org/region code.",
        examples=["AZE"],
        max_length=10,
    ),
]


def _filter(
    ctx: ApiContext,
    *,
    country: str | None = None,
    dyad: str | tuple[str, str] | None = None,
    type: str | None = None,
    since: str | None = None,
    until: str | None = None,
    article_id: str | None = None,
) -> EventFilter:
    return EventFilter.parse(
        country=country,
        dyad=dyad,
        type=type,
        since=parse_bound(since, "since"),
        until=parse_bound(until, "until", end=True),
        article_id=article_id,
        orgs=ctx.org_codes() if (country or dyad) else None,
    )


# -- events ---------------------------------------------------------------------------------


@router.get(
    "/events",
    response_model=EventsPage,
    responses=_ERRORS,
    summary="Event rows, filtered and paged",
)
def list_events(
    request: Request,
    country: Country = None,
    dyad: Annotated[
        str | None,
        Query(description="Two actor keys, either order: A-B.", examples=["AZE-JPN"]),
    ] = None,
    type: TypeParam = None,
    since: Since = None,
    until: Until = None,
    article_id: Annotated[
        str | None, Query(description="Rows of one article.", max_length=MAX_ARTICLE_ID_CHARS)
    ] = None,
    q: Annotated[
        str | None,
        Query(
            description="Text the evidence sentence contains (case-insensitive, literal).",
            examples=["Bakou"],
            max_length=MAX_TEXT_QUERY_CHARS,
        ),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description="Rows per page.")
    ] = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> dict[str, Any]:
    """Rows in (date, article, position) order; follow ``next_cursor`` for the next page.
    Paging is by position, so rows stored meanwhile never repeat or shift a page."""
    ctx = _context(request)
    search = EventSearch(
        filter=_filter(
            ctx,
            country=country,
            dyad=dyad,
            type=type,
            since=since,
            until=until,
            article_id=article_id,
        ),
        text=q or None,
        after=RowPosition.decode(cursor) if cursor else None,
        limit=limit,
    )
    with _reading(request) as store:
        rows, last = store.search_events(search)
    return {"events": rows, "next_cursor": None if last is None else last.encode()}


@router.get(
    "/events/{event_id}",
    response_model=EventExplained,
    responses=_NOT_FOUND,
    summary="One event with its explain trace",
)
def get_event(
    request: Request,
    event_id: Annotated[str, PathParam(max_length=MAX_EVENT_ID_CHARS)],
) -> dict[str, Any]:
    """The row, its trigger, resolution trace and article, and the lines of
    `communique explain`."""
    from communique.explain import render_explanation

    with _reading(request) as store:
        found = store.get_event(event_id)
    if found is None:
        raise NotFoundError(
            f"no event {event_id!r} in the store",
            where=_WHERE,
            hint="take event ids from /api/events",
        )
    return {"event": found, "explain": render_explanation(found).splitlines()}


# -- stories ----------------------------------------------------------------------------------


@router.get(
    "/stories",
    response_model=StoriesPage,
    responses=_ERRORS,
    summary="Stories: events reported by one or more dispatches, filtered and paged",
    tags=["stories"],
)
def list_stories(
    request: Request,
    country: Country = None,
    dyad: Annotated[
        str | None,
        Query(description="Two actor keys, either order: A-B.", examples=["AZE-JPN"]),
    ] = None,
    type: TypeParam = None,
    since: Since = None,
    until: Until = None,
    article_id: Annotated[
        str | None,
        Query(
            description="Stories with a mention in this article.",
            max_length=MAX_ARTICLE_ID_CHARS,
        ),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            description="Text one of the evidence sentences contains (case-insensitive).",
            examples=["Bakou"],
            max_length=MAX_TEXT_QUERY_CHARS,
        ),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description="Stories per page.")
    ] = DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> dict[str, Any]:
    """Stories by first date, then id; follow ``next_cursor`` for the next page. Filters
    select whole stories: since/until keep those whose period overlaps them. Mentions are
    grouped within the ``story_window_days`` setting."""
    ctx = _context(request)
    flt = _filter(
        ctx,
        country=country,
        dyad=dyad,
        type=type,
        since=since,
        until=until,
        article_id=article_id,
    )
    after = StoryPosition.decode(cursor) if cursor else None
    with _reading(request) as store:
        stories, last = story_page(
            store,
            flt,
            window_days=ctx.settings.story_window_days,
            text=q or None,
            after=after,
            limit=limit,
        )
    return {
        "stories": [s.to_dict() for s in stories],
        "next_cursor": None if last is None else last.encode(),
    }


@router.get(
    "/stories/{story_id}",
    response_model=StoryResponse,
    responses=_NOT_FOUND,
    summary="One story with its evidence sentences",
    tags=["stories"],
)
def get_one_story(
    request: Request,
    story_id: Annotated[str, PathParam(max_length=MAX_STORY_ID_CHARS)],
) -> dict[str, Any]:
    """The story and every mention's evidence, by date."""
    ctx = _context(request)
    with _reading(request) as store:
        found = get_story(store, story_id, window_days=ctx.settings.story_window_days)
    if found is None:
        raise NotFoundError(
            f"no story {story_id!r} in the store",
            where=_WHERE,
            hint="take story ids from /api/stories; an id changes when an earlier report "
            "joins the story or the story window setting changes",
        )
    return {"story": found.to_dict()}


# -- actors, dyads, graph, map --------------------------------------------------------------


@router.get("/actors", response_model=ActorsResponse, responses=_ERRORS, summary="Actor keys")
def list_actors(
    request: Request,
    q: Annotated[
        str | None,
        Query(
            description="Substring of the key or the name (case-insensitive).",
            examples=["azer"],
            max_length=MAX_ACTOR_QUERY_CHARS,
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_ACTORS)] = DEFAULT_ACTORS,
) -> dict[str, Any]:
    """Actor keys that take part in stored events, most active first."""
    ctx = _context(request)
    with _reading(request) as store:
        counts = store.actor_counts(EventFilter())
    names = ctx.names()
    needle = (q or "").strip().casefold()
    actors = []
    for key, n in counts:
        name = names.name(key)
        if needle and needle not in key.casefold() and needle not in name.casefold():
            continue
        actors.append({"key": key, "name": name, "kind": names.kind(key), "events": n})
        if len(actors) >= limit:
            break
    return {"actors": actors}


@router.get(
    "/dyads",
    response_model=DyadResponse,
    responses=_ERRORS,
    summary="A dyad month by month: counts by type and a cooperation/conflict score",
)
def get_dyad(
    request: Request,
    a: Annotated[str, Query(description="First actor key.", examples=["AZE"], max_length=10)],
    b: Annotated[str, Query(description="Second actor key.", examples=["JPN"], max_length=10)],
    since: Since = None,
    until: Until = None,
    type: TypeParam = None,
) -> dict[str, Any]:
    """Rows between a and b (either direction) per month. ``score`` is the mean, over the
    month's rows that are neither negated nor hypothetical, of the type's intensity signed
    + for cooperation (quads 1-2) and - for conflict (quads 3-4)."""
    ctx = _context(request)
    flt = _filter(ctx, dyad=(a, b), type=type, since=since, until=until)
    key_a, key_b = a.strip().upper(), b.strip().upper()
    with _reading(request) as store:
        found = store.dyad_months(key_a, key_b, flt)
    names = ctx.names()
    return {
        "a": key_a,
        "b": key_b,
        "a_name": names.name(key_a),
        "b_name": names.name(key_b),
        **found,
    }


@router.get(
    "/graph",
    response_model=GraphResponse,
    responses=_ERRORS,
    summary="Relations graph: actor keys and the events between them",
)
def get_graph(
    request: Request,
    since: Since = None,
    until: Until = None,
    type: TypeParam = None,
    country: Country = None,
) -> dict[str, Any]:
    """Nodes are actor keys (with their rows); edges join two keys with rows between them,
    weighted by rows, scored like /api/dyads. ``country`` keeps one key's events."""
    ctx = _context(request)
    flt = _filter(ctx, country=country, type=type, since=since, until=until)
    with _reading(request) as store:
        counts = store.actor_counts(flt)
        edges = store.graph_edges(flt)
    names = ctx.names()
    nodes = [
        {"id": key, "label": names.name(key), "kind": names.kind(key), "events": n}
        for key, n in counts
    ]
    return {"nodes": nodes, "edges": edges}


@router.get("/map", response_model=MapResponse, responses=_ERRORS, summary="Event locations")
def get_map(
    request: Request,
    since: Since = None,
    until: Until = None,
    type: TypeParam = None,
    country: Country = None,
) -> dict[str, Any]:
    """Located rows grouped by place, busiest first."""
    ctx = _context(request)
    flt = _filter(ctx, country=country, type=type, since=since, until=until)
    with _reading(request) as store:
        points = store.map_points(flt, MAP_MAX_EVENT_IDS)
    return {"points": points}


# -- articles, basemap ------------------------------------------------------------------------


@router.get(
    "/articles/{article_id:path}",
    response_model=ArticleResponse,
    responses=_NOT_FOUND,
    summary="An article with its events' evidence and trigger offsets",
)
def get_article(
    request: Request,
    article_id: Annotated[str, PathParam(max_length=MAX_ARTICLE_ID_CHARS)],
) -> dict[str, Any]:
    """The dispatch's text and, for each row, offsets into it of the evidence sentence
    and the trigger (``text[start:end]``)."""
    with _reading(request) as store:
        article = store.get_article(article_id)
        rows = store.article_events(article_id) if article is not None else []
    if article is None:
        raise NotFoundError(
            f"no article {article_id!r} in the store",
            where=_WHERE,
            hint="take article ids from the article_id of /api/events rows",
        )
    events = [
        {
            "event_id": r["event_id"],
            "mention_id": r["mention_id"],
            "type": r["type"],
            "mode": r["mode"],
            "date": r["date"],
            "negated": r["negated"],
            "future": r["future"],
            "hypothetical": r["hypothetical"],
            "quad": r["quad"],
            "intensity": r["intensity"],
            "evidence_start": r["evidence"]["start"],
            "evidence_end": r["evidence"]["end"],
            "evidence_text": r["evidence"]["text"],
            "trigger_start": r["trigger"]["start"],
            "trigger_end": r["trigger"]["end"],
            "trigger_text": r["trigger"]["text"],
            "sentence_index": r["sentence_index"],
            "source": r["source"],
            "target": r["target"],
            "location": r["location"],
            "rule": r["rule"],
            "confidence": r["confidence"],
        }
        for r in rows
    ]
    return {"article": article, "events": events}


@router.get(
    "/basemap",
    responses={
        200: {
            "content": {"application/geo+json": {}},
            "description": "GeoJSON FeatureCollection of country outlines.",
        },
        404: {"model": ErrorResponse, "description": "The basemap file is missing (C604)."},
    },
    summary="Offline basemap",
    tags=["ui"],
)
def get_basemap(request: Request) -> FileResponse:
    """Country outlines for the map, from the data file shipped with communique."""
    path: Path = request.app.state.basemap_path
    if not path.is_file():
        raise NotFoundError(
            f"the basemap file is missing: {path}",
            where=_WHERE,
            hint="reinstall communique, or generate src/communique/api/data/countries.geojson "
            "(see src/communique/api/data/README.md)",
        )
    return FileResponse(path, media_type="application/geo+json")


# -- writing -----------------------------------------------------------------------------------


@router.post(
    "/ingest",
    response_model=IngestResponse,
    responses=_WRITE_ERRORS,
    summary="Code and store dispatches (needs the server's write token)",
    tags=["write"],
    openapi_extra={"requestBody": INGEST_REQUEST_BODY},
)
async def ingest(request: Request) -> dict[str, Any]:
    """Off unless the server was started with a write token (403 C606). Checks, in this
    order: the client's write rate (429), ``Authorization: Bearer TOKEN`` (401), the
    content type (415), the body size (413), the number of dispatches (413) and every
    dispatch (400, listing each problem; nothing is stored). Then codes the dispatches and
    stores them in one transaction: all or nothing."""
    writer: StoreWriter | None = request.app.state.writer
    if writer is None:
        raise WritesDisabledError(
            "this server does not take writes: it was started without a write token",
            where=_WHERE,
            hint=f"start `communique serve` with {WRITE_TOKEN_ENV} set to a secret of 16+ "
            "characters, or load dispatches with `communique ingest`",
        )
    request.app.state.write_limiter.check(client_address(request), "write requests")
    check_token(request.headers.get("authorization"), writer.token)
    check_json_type(request.headers.get("content-type"))
    settings = writer.settings
    body = await read_body(request, settings.api_max_request_bytes)
    dispatches = parse_dispatches(body, settings)
    ctx = _context(request)
    result = await run_in_threadpool(writer.ingest, dispatches.articles, ctx.store)
    return result.to_dict(dispatches.warnings)


@router.api_route(
    "/{rest:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
def unknown_endpoint(request: Request, rest: str) -> None:
    """Coded answers for paths under /api that name no endpoint (and for writes)."""
    if f"/api/{rest}" == INGEST_PATH:
        raise ReadOnlyError(
            f"{request.method} is not allowed on {INGEST_PATH}",
            where=_WHERE,
            hint="send dispatches with POST",
        )
    if request.method != "GET":
        writes = request.app.state.writer is not None
        raise ReadOnlyError(
            f"{request.method} is not allowed on /api/{rest}: "
            + ("the only write is POST /api/ingest" if writes else "this API is read-only"),
            where=_WHERE,
            hint="use GET" + (" (or POST /api/ingest to add dispatches)" if writes else ""),
        )
    raise NotFoundError(
        f"no endpoint /api/{rest}",
        where=_WHERE,
        hint="see /api/openapi.json for the endpoints",
    )
