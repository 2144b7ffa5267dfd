"""`communique explain EVENT_ID`: the evidence sentence with the trigger marked, the rule
that fired and how each actor, date and place was resolved."""

from __future__ import annotations

import click

from communique.settings import Settings


@click.command()
@click.argument("event_id")
@click.option(
    "--store",
    "store_path",
    type=click.Path(),
    default=None,
    help="DuckDB store file or postgresql://USER:PASSWORD@HOST/DB URL "
    "(default: Settings().store_path).",
)
def explain(event_id: str, store_path: str | None) -> None:
    """Explain how EVENT_ID was coded."""
    from communique.explain import explain_event, render_explanation
    from communique.store import store_target

    path = store_target(store_path) if store_path else Settings().store_path
    click.echo(render_explanation(explain_event(path, event_id)))
