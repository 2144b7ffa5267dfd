"""The HTTP API and web UI: ``create_app(store_path, settings)`` builds a FastAPI app over a
store that it opens read-only, shared by overlapping requests and closed when idle
(api/context.py, docs/API_CONTRACT.md). With a write
token in the settings it also takes dispatches at POST /api/ingest (api/write.py). Nothing
happens at import; `communique serve` runs the app with uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from communique._version import __version__
from communique.api.context import STORE_BUSY_WAIT_SECONDS, ApiContext
from communique.api.errors import install_error_handlers
from communique.api.gate import StoreGate
from communique.api.limits import check_limits, read_limiter, write_limiter
from communique.api.middleware import ReadRateLimit, SecurityHeaders
from communique.api.routes import router
from communique.api.write import StoreWriter, check_token_setting
from communique.errors import StoreError
from communique.settings import Settings

# The web UI's files (filled by the UI's own package of work) and the offline basemap.
STATIC_DIR = Path(__file__).resolve().parent / "static"
BASEMAP_PATH = Path(__file__).resolve().parent / "data" / "countries.geojson"

_DESCRIPTION = """\
Access to a communique store: PLOVER event rows with their evidence, actors, dyads month
by month, a relations graph, event locations, articles and the `explain` trace. Read-only
unless the server has a write token: then POST /api/ingest, with `Authorization: Bearer
TOKEN`, codes and stores dispatches. Errors are `{"error": {"code", "message", "hint"}}`
with a 4xx status (503 while the store is missing or being written).
"""


def create_app(
    store_path: Path | str | None = None,
    settings: Settings | None = None,
    *,
    static_dir: Path | None = None,
    basemap_path: Path | None = None,
    coder: Any | None = None,
) -> FastAPI:
    """A FastAPI app over the store at ``store_path`` (default ``settings.store_path``).

    The store is opened read-only, shared by overlapping requests, and never held while
    the API is idle (api/context.py).
    ``settings.api_write_token`` turns on POST /api/ingest, which codes with ``coder``
    (default: a ``communique.pipeline.Coder`` built on the first write); its limits are
    the ``api_*`` settings. ``static_dir`` (default: the packaged web UI) is served at
    ``/`` and ``/ui`` when it exists; ``basemap_path`` is the GeoJSON file of
    ``/api/basemap``. Raises ``SettingsError`` for a write token or limits that are unsafe
    or unusable.
    """
    settings = settings or Settings()
    from communique.store import display_target, is_store_url, store_target

    check_token_setting(settings.api_write_token)
    check_limits(settings)

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
    writes = settings.api_write_token is not None
    # DuckDB allows no read-only and read-write handle on one file in one process at once
    # (api/gate.py); PostgreSQL sessions need no such care.
    gate = StoreGate(STORE_BUSY_WAIT_SECONDS, display_target(path)) if writes else None
    app.state.store_gate = None if is_store_url(path) else gate
    app.state.writer = (
        StoreWriter(path, settings, gate=app.state.store_gate, coder=coder) if writes else None
    )
    app.state.write_limiter = write_limiter(settings)
    install_error_handlers(app)
    app.include_router(router)
    static = static_dir or STATIC_DIR
    if static.is_dir():
        app.mount("/ui", StaticFiles(directory=static, html=True), name="ui")
        app.mount("/", StaticFiles(directory=static, html=True), name="root")
    limiter = read_limiter(settings)
    if limiter is not None:
        app.add_middleware(ReadRateLimit, limiter=limiter)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so 429s get them too
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
