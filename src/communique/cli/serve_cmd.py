"""`communique serve`: the HTTP API and web UI over a store, with uvicorn."""

from __future__ import annotations

from pathlib import Path

import click

from communique.settings import Settings


@click.command()
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="DuckDB store (default: Settings().store_path). Opened read-only.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default answers this machine only.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
def serve(store_path: Path | None, host: str, port: int) -> None:
    """Serve the HTTP API (/api) and the web UI (/) over a store."""
    import uvicorn

    from communique.api import check_store, create_app

    settings = Settings()
    path = store_path or settings.store_path
    check_store(path)
    click.echo(f"serving {path} at http://{host}:{port}/ (API: /api, schema: /api/openapi.json)")
    uvicorn.run(create_app(path, settings), host=host, port=port)
