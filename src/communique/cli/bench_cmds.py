"""`communique bench ...`: benchmarks that score the coder on reference suites."""

from __future__ import annotations

import json
from pathlib import Path

import click

from communique.evaluation.petrarch_suite import (
    DEFAULT_ACTORS,
    DEFAULT_AGENTS,
    DEFAULT_CROSSWALK,
    DEFAULT_RECORDS,
)


@click.group("bench")
def bench() -> None:
    """Benchmarks on reference suites."""


def _path(default: Path) -> click.Path:
    return click.Path(dir_okay=False, path_type=Path)


@bench.command("petrarch-suite")
@click.option("--records", type=_path(DEFAULT_RECORDS), default=DEFAULT_RECORDS, show_default=True)
@click.option("--actors", type=_path(DEFAULT_ACTORS), default=DEFAULT_ACTORS, show_default=True)
@click.option("--agents", type=_path(DEFAULT_AGENTS), default=DEFAULT_AGENTS, show_default=True)
@click.option(
    "--crosswalk", type=_path(DEFAULT_CROSSWALK), default=DEFAULT_CROSSWALK, show_default=True
)
@click.option("--lang", default="en", show_default=True, help="Language the texts are coded in.")
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the figures (and per-record details) to this JSON file.",
)
def petrarch_suite(
    records: Path,
    actors: Path,
    agents: Path,
    crosswalk: Path,
    lang: str,
    json_out: Path | None,
) -> None:
    """Code the PETRARCH validation records with the suite's own dictionaries and score
    (source, target, PLOVER type) dyad-events (rules: evaluation/petrarch_suite.py)."""
    from communique.evaluation.petrarch_suite import run_suite

    report = run_suite(
        records, actors_path=actors, agents_path=agents, crosswalk_path=crosswalk, lang=lang
    )
    render(report)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(
            json.dumps(report.to_dict(details=True), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        click.echo(f"wrote {json_out}")


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def render(report: object) -> None:
    from rich.console import Console
    from rich.table import Table

    from communique.evaluation.petrarch_suite import SuiteReport

    assert isinstance(report, SuiteReport)
    table = Table(title="PETRARCH validation suite: dyad-events (source, target, PLOVER type)")
    for col in ("scope", "level", "records", "TP", "FP", "FN", "P", "R", "F1", "exact"):
        table.add_column(col, justify="left" if col in ("scope", "level") else "right")
    rows = [("all", report.levels), *sorted(report.by_category.items())]
    for scope, per in rows:
        for level, s in per.items():
            table.add_row(
                scope,
                level,
                str(s.records),
                str(s.tp),
                str(s.fp),
                str(s.fn),
                _num(s.precision),
                _num(s.recall),
                _num(s.f1),
                _num(s.exact_share),
            )
    out = Console()
    out.print(table)
    excluded = ", ".join(f"{k} {v}" for k, v in sorted(report.excluded.items()))
    out.print(
        f"Left out: {excluded or 'none'}. Expected events with no PLOVER type "
        f"(not scored): {sum(report.unmapped_codes.values())}. "
        f"Time {report.seconds:.1f}s."
    )
