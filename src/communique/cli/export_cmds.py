"""`communique export`: stored event rows -> a file in one of the export formats."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from communique.export import FORMATS, export_events
from communique.export.runner import VIEWS
from communique.query import EventFilter
from communique.settings import Settings
from communique.store import store_target

_STORE_HELP = (
    "DuckDB store file, or a PostgreSQL database as postgresql://USER:PASSWORD@HOST/DB "
    "(default: communique.duckdb in the working directory)."
)


@click.command()
@click.option("--store", type=click.Path(dir_okay=False), help=_STORE_HELP)
@click.option(
    "--format",
    "fmt",
    required=True,
    metavar="|".join(FORMATS),
    help="jsonl, csv, parquet: event rows; graphml: actor graph; gdelt, polecat: "
    "GDELT-like and POLECAT-like tab-separated tables (see the README).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Output file (default: standard output; parquet needs a file or a pipe).",
)
@click.option(
    "--view",
    default="mention",
    show_default=True,
    metavar="|".join(VIEWS),
    help="mention: one record per event row; story: one per story, the reports of several "
    "dispatches grouped, with their number of sources and evidence sentences.",
)
@click.option(
    "--story-window",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="Story view: reports of one event chained within this many days "
    "(default: the story_window_days setting, 2).",
)
@click.option("--country", help="Source or target key (ISO alpha-3 or org code), e.g. AZE.")
@click.option("--dyad", help="Two keys in either order, e.g. AZE-JPN.")
@click.option("--type", "type_", metavar="TYPE", help="PLOVER type, e.g. CONSULT.")
@click.option("--since", metavar="YYYY-MM-DD", help="Events on or after this day.")
@click.option("--until", metavar="YYYY-MM-DD", help="Events on or before this day.")
def export(
    store: str | None,
    fmt: str,
    out: Path | None,
    view: str,
    story_window: int | None,
    country: str | None,
    dyad: str | None,
    type_: str | None,
    since: str | None,
    until: str | None,
) -> None:
    """Export stored events (all, or those matching the filters), streamed from the store."""
    flt = EventFilter.parse(country=country, dyad=dyad, type=type_, since=since, until=until)
    store_path = store_target(store) if store is not None else Settings().store_path
    report = export_events(
        store_path,
        fmt,
        out if out is not None else sys.stdout.buffer,
        flt,
        view=view,
        window_days=story_window,
    )
    what = "story(ies)" if report.view == "story" else "event row(s)"
    if report.format == "graphml":
        what += " in the graph"
    click.echo(f"{report.rows} {what} written to {report.out} ({report.format})", err=True)
