"""`communique extract`: print events for files or folders without touching the store."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from communique.cli.output import FORMATS, render_table, to_csv, to_jsonl


def parse_date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD") from exc


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--published", callback=parse_date_option, help="Publication date YYYY-MM-DD.")
@click.option("--lang", type=click.Choice(["fr", "en", "auto"]), default="auto", show_default=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
def extract(paths: tuple[Path, ...], published: date | None, lang: str, fmt: str) -> None:
    """Print dyadic event rows for PATHS (.txt, .html, .jsonl files or folders)."""
    from communique.extract import extract_paths

    result = extract_paths(list(paths), published=published, lang=None if lang == "auto" else lang)
    if fmt == "table":
        render_table(result.rows)
    else:
        writer = to_jsonl if fmt == "jsonl" else to_csv
        for chunk in writer(result.rows):
            sys.stdout.write(chunk)
    for warning in result.warnings:
        click.echo(f"warning {warning.where}: {warning.message}", err=True)
    for problem in result.problems:
        err = problem.error
        hint = f" (fix: {err.hint})" if err.hint else ""
        click.echo(f"skipped {problem.where}: {err.message}{hint}", err=True)
    if result.problems:
        sys.exit(1)
