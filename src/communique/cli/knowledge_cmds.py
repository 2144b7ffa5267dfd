"""`communique knowledge ...`: import TABARI/PETRARCH dictionaries, lint the knowledge."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group("knowledge")
def knowledge() -> None:
    """Import and check knowledge data (countries, organisations, people, vocabularies)."""


@knowledge.command("import-petrarch")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["actors", "agents"]),
    default=None,
    help="Dictionary kind (default: detected from the file).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write the converted TSV into this folder (default: print a summary only).",
)
@click.option("--strict", is_flag=True, help="Treat every skipped line as an error.")
@click.option("--warnings", "show_warnings", is_flag=True, help="List every warning.")
def import_petrarch(
    file: Path, kind: str | None, out_dir: Path | None, strict: bool, show_warnings: bool
) -> None:
    """Convert a TABARI/PETRARCH actor or agent dictionary to the project's TSV format."""
    from communique.knowledge import load_knowledge
    from communique.knowledge.imported import import_dictionary, write_summary

    countries = load_knowledge(imported=False).countries
    summary = import_dictionary(file, kind, countries=countries, strict=strict)
    counts = ", ".join(f"{k} {v}" for k, v in summary.counts().items())
    click.echo(f"{file}: {summary.kind}: {counts}")
    if summary.warnings:
        shown = summary.warnings if show_warnings else summary.warnings[:5]
        for w in shown:
            click.echo(f"warning: {w}", err=True)
        if len(shown) < len(summary.warnings):
            click.echo(
                f"... {len(summary.warnings) - len(shown)} more (--warnings lists them)",
                err=True,
            )
    if out_dir is not None:
        click.echo(f"wrote {write_summary(summary, out_dir)}")


@knowledge.command("lint")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Knowledge data folder (default: the bundled knowledge/data).",
)
@click.option(
    "--packs",
    "pack_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Language packs folder (default: the bundled langpacks).",
)
@click.option("--errors-only", is_flag=True, help="Do not print warnings.")
def lint(data_dir: Path | None, pack_dir: Path | None, errors_only: bool) -> None:
    """Check the knowledge and language packs; exit 1 when there are errors."""
    from communique.knowledge.lint import lint_knowledge

    report = lint_knowledge(data_dir, pack_dir)
    for p in report.problems:
        if errors_only and p.level != "error":
            continue
        click.echo(p.render())
    click.echo(
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)",
        err=True,
    )
    sys.exit(1 if report.errors else 0)
