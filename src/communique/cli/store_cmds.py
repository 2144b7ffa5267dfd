"""`communique ingest` (inputs -> store) and `communique events` (store -> rows)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from communique.cli.output import FORMATS, render_table, to_csv, to_jsonl
from communique.engines.local import run_ingest
from communique.query import EventFilter, find_events
from communique.settings import Settings
from communique.store import store_target

if TYPE_CHECKING:
    from communique.ingest import InputProblem
    from communique.ingest.readers import InputWarning

_STORE_HELP = (
    "DuckDB store file, or a PostgreSQL database as postgresql://USER:PASSWORD@HOST/DB "
    "(default: communique.duckdb in the working directory)."
)


def _settings(store: str | None) -> Settings:
    """Settings with ``--store`` applied: a URL stays a str (Path would collapse "//")."""
    settings = Settings()
    return settings if store is None else settings.with_(store_path=store_target(store))


def problem_line(problem: InputProblem) -> str:
    """One line per unreadable input: "skipped WHERE: message (fix: hint)"."""
    line = f"skipped {problem.where}: {problem.error.message}"
    return f"{line} (fix: {problem.error.hint})" if problem.error.hint else line


def warning_line(warning: InputWarning) -> str:
    """One line per input read with a warning: "warning WHERE: message"."""
    return f"warning {warning.where}: {warning.message}"


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None]]:
    """A rich progress display on stderr; yields the engine's on_progress callback."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("ingesting"),
        BarColumn(),  # no total (inputs are streamed): the bar pulses
        TextColumn("{task.completed} articles, {task.fields[events]} events"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("ingest", total=None, events=0)

        def update(articles: int, events: int) -> None:
            progress.update(task, completed=articles, events=events)

        yield update


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--store", type=click.Path(dir_okay=False), help=_STORE_HELP)
@click.option(
    "--published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date (YYYY-MM-DD) for inputs that do not give one.",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en", "auto"]),
    default="auto",
    show_default=True,
    help="Language of the inputs; auto detects it per article.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: this machine; dask: a Dask cluster codes the partitions, this process "
    "writes the store.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Dask scheduler address (tcp://host:8786); default: a local cluster.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Coding processes (local engine) or local-cluster workers (dask engine).",
)
def ingest(
    paths: tuple[Path, ...],
    store: str | None,
    published: datetime | None,
    lang: str,
    engine: str,
    scheduler: str | None,
    workers: int,
) -> None:
    """Read, code and store dispatches (files, folders or JSONL)."""
    extra: dict[str, Any] = {"workers": workers} if workers > 1 else {}
    runner: Callable[..., Any]
    if engine == "dask":
        from communique.engines import run_engine

        runner = functools.partial(run_engine, "dask", scheduler=scheduler, workers=workers)
        extra = {}
    else:
        runner = run_ingest
    with _progress() as on_progress:
        report = runner(
            list(paths),
            settings=_settings(store),
            published=published.date() if published else None,
            lang=None if lang == "auto" else lang,
            on_progress=on_progress,
            **extra,
        )
    for warning in report.warnings:
        click.echo(warning_line(warning), err=True)
    for problem in report.problems:
        click.echo(problem_line(problem), err=True)
    summary = [
        f"{report.articles_read} article(s) read: {report.articles_added} added, "
        f"{report.articles_skipped} already stored, {report.events_added} event row(s) "
        f"added, {len(report.problems)} input(s) skipped"
    ]
    if report.duplicates:  # near-duplicates and unchanged files: only when there are some
        summary.append(f"{report.duplicates} near-duplicate(s) linked to their original")
    if report.files_unchanged:
        summary.append(f"{report.files_unchanged} unchanged file(s) not read again")
    click.echo("; ".join(summary))
    if report.problems:
        click.get_current_context().exit(1)


@click.command()
@click.option("--store", type=click.Path(dir_okay=False), help=_STORE_HELP)
@click.option("--country", help="Source or target key (ISO alpha-3 or org code), e.g. AZE.")
@click.option("--dyad", help="Two keys in either order, e.g. AZE-JPN.")
@click.option("--type", "type_", metavar="TYPE", help="PLOVER type, e.g. CONSULT.")
@click.option("--since", metavar="YYYY-MM-DD", help="Events on or after this day.")
@click.option("--until", metavar="YYYY-MM-DD", help="Events on or before this day.")
@click.option("--article", "article_id", help="Only the events of this article id.")
@click.option("--limit", metavar="N", help="At most N rows.")
@click.option("--offset", metavar="N", help="Skip the first N rows.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def events(
    store: str | None,
    country: str | None,
    dyad: str | None,
    type_: str | None,
    since: str | None,
    until: str | None,
    article_id: str | None,
    limit: str | None,
    offset: str | None,
    fmt: str,
) -> None:
    """List stored event rows (the dyadic shape of `extract`), ordered by date."""
    flt = EventFilter.parse(
        country=country,
        dyad=dyad,
        type=type_,
        since=since,
        until=until,
        article_id=article_id,
        limit=limit,
        offset=offset,
    )
    rows = find_events(_settings(store).store_path, flt)
    if fmt == "table":
        render_table(rows)
        return
    lines = to_jsonl(rows) if fmt == "jsonl" else to_csv(rows)
    for line in lines:
        click.echo(line, nl=False)
