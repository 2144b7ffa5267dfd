"""`communique explain EVENT_ID`: the evidence sentence with the trigger marked, the rule
that fired and how each actor, date and place was resolved."""

from __future__ import annotations

from pathlib import Path

import click

from communique.settings import Settings


@click.command()
@click.argument("event_id")
@click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path),
    default=None,
    help="DuckDB store (default: Settings().store_path).",
)
def explain(event_id: str, store_path: Path | None) -> None:
    """Explain how EVENT_ID was coded."""
    from communique.explain import explain_event, render_explanation

    path = store_path or Settings().store_path
    click.echo(render_explanation(explain_event(path, event_id)))
