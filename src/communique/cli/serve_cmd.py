"""`communique serve`: the HTTP API and web UI over a store, with uvicorn."""

from __future__ import annotations

import click

from communique.settings import Settings


@click.command()
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="DuckDB store file or postgresql://USER:PASSWORD@HOST/DB URL "
    "(default: Settings().store_path). Opened read-only.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default answers this machine only.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
def serve(store_path: str | None, host: str, port: int) -> None:
    """Serve the HTTP API (/api) and the web UI (/) over a store."""
    import uvicorn

    from communique.api import check_store, create_app
    from communique.store import display_target, store_target

    settings = Settings()
    if store_path:  # a URL stays a str: Path would collapse its "//"
        settings = settings.with_(store_path=store_target(store_path))
    path = settings.store_path
    check_store(path)
    where = display_target(path)
    click.echo(f"serving {where} at http://{host}:{port}/ (API: /api, schema: /api/openapi.json)")
    uvicorn.run(create_app(settings=settings), host=host, port=port)
