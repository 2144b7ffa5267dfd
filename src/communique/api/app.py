"""The HTTP API and web UI: ``create_app(store_path, settings)`` builds a FastAPI app over a
DuckDB store that it only ever opens read-only (docs/API_CONTRACT.md). Nothing happens at
import; `communique serve` runs the app with uvicorn."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from communique._version import __version__
from communique.api.context import ApiContext
from communique.api.errors import install_error_handlers
from communique.api.routes import router
from communique.errors import StoreError
from communique.settings import Settings

# The web UI's files (filled by the UI's own package of work) and the offline basemap.
STATIC_DIR = Path(__file__).resolve().parent / "static"
BASEMAP_PATH = Path(__file__).resolve().parent / "data" / "countries.geojson"

_DESCRIPTION = """\
Read-only access to a communique store: PLOVER event rows with their evidence, actors,
dyads month by month, a relations graph, event locations, articles and the `explain`
trace. Errors are `{"error": {"code", "message", "hint"}}` with a 4xx status (503 while
the store is missing or being written).
"""


def create_app(
    store_path: Path | str | None = None,
    settings: Settings | None = None,
    *,
    static_dir: Path | None = None,
    basemap_path: Path | None = None,
) -> FastAPI:
    """A FastAPI app over the store at ``store_path`` (default ``settings.store_path``).

    The store is opened read-only once per request, so the app never writes and never
    holds the file between requests. ``static_dir`` (default: the packaged web UI) is
    served at ``/`` and ``/ui`` when it exists; ``basemap_path`` is the GeoJSON file of
    ``/api/basemap``.
    """
    settings = settings or Settings()
    from communique.store import store_target

    path = store_target(store_path) if store_path is not None else settings.store_path
    app = FastAPI(
        title="communique",
        version=__version__,
        description=_DESCRIPTION,
        openapi_url="/api/openapi.json",
        # the interactive pages load their scripts from a CDN; the UI must stay offline
        docs_url=None,
        redoc_url=None,
    )
    app.state.communique = ApiContext(store_path=path, settings=settings)
    app.state.basemap_path = basemap_path or BASEMAP_PATH
    install_error_handlers(app)
    app.include_router(router)
    static = static_dir or STATIC_DIR
    if static.is_dir():
        app.mount("/ui", StaticFiles(directory=static, html=True), name="ui")
        app.mount("/", StaticFiles(directory=static, html=True), name="root")
    return app


def check_store(store_path: Path | str) -> None:
    """Fail early (``StoreError``) when ``store_path`` is not a readable communique store;
    a store locked by a running ingest passes (requests wait for it or answer 503)."""
    from communique.store import open_store

    try:
        with open_store(store_path, read_only=True):
            pass
    except StoreError as exc:
        if "locked" not in exc.message:
            raise
