"""`communique serve`: the HTTP API and web UI over a store, with uvicorn."""

from __future__ import annotations

import os

import click

from communique.settings import Settings


@click.command()
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="DuckDB store file or postgresql://USER:PASSWORD@HOST/DB URL "
    "(default: Settings().store_path). Opened read-only, and for writing by POST "
    "/api/ingest when COMMUNIQUE_API_TOKEN is set.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default answers this machine only.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
def serve(store_path: str | None, host: str, port: int) -> None:
    """Serve the HTTP API (/api) and the web UI (/) over a store.

    Read-only unless the environment variable COMMUNIQUE_API_TOKEN holds a write token
    (16+ characters): then POST /api/ingest takes dispatches from clients that send it as
    "Authorization: Bearer TOKEN"."""
    import uvicorn

    from communique.api import check_store, create_app
    from communique.api.write import WRITE_TOKEN_ENV
    from communique.store import display_target, store_target

    settings = Settings()
    if store_path:  # a URL stays a str: Path would collapse its "//"
        settings = settings.with_(store_path=store_target(store_path))
    token = os.environ.get(WRITE_TOKEN_ENV, "").strip()
    if token:  # from the environment only: a command-line option would show in `ps`
        settings = settings.with_(api_write_token=token)
    path = settings.store_path
    check_store(path)
    app = create_app(settings=settings)
    where = display_target(path)
    mode = f"writes on: POST /api/ingest with the {WRITE_TOKEN_ENV} token" if token else "read-only"
    click.echo(
        f"serving {where} at http://{host}:{port}/ (API: /api, schema: /api/openapi.json; {mode})"
    )
    uvicorn.run(app, host=host, port=port)
