"""`communique evaluate`: code a gold set's texts and print precision, recall and F1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.console import Console

    from communique.evaluation.scorer import PRF, EvalReport, Ratio


@click.command("evaluate")
@click.option(
    "--gold",
    "gold_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Gold file (JSONL, the format of shared/seeds/gold.jsonl).",
)
@click.option(
    "--texts",
    "texts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of the texts named by each gold record's 'file'.",
)
@click.option(
    "--docs",
    "docs_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help='docs.jsonl with one {"id", "text", ...} line per gold record.',
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@click.option("--details", is_flag=True, help="Also list every document's TP, FP and FN.")
@click.option(
    "--full-parse",
    is_flag=True,
    help="Parse every sentence (Settings.fast_path off), to measure the fast path.",
)
def evaluate(
    gold_path: Path,
    texts_dir: Path | None,
    docs_path: Path | None,
    fmt: str,
    details: bool,
    full_parse: bool,
) -> None:
    """Score the coder against a gold file (rules: CODING.md, "Scoring")."""
    if (texts_dir is None) == (docs_path is None):
        raise click.UsageError("give exactly one of --texts DIR or --docs DOCS.jsonl")
    from communique.evaluation.runner import evaluate_files
    from communique.settings import Settings

    report = evaluate_files(
        gold_path,
        texts_dir=texts_dir,
        docs_path=docs_path,
        settings=Settings(fast_path=not full_parse),
    )
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(details=details), ensure_ascii=False, indent=2))
    else:
        render_report(report, details=details)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _prf_row(label: str, s: PRF) -> tuple[str, ...]:
    tp = str(s.tp_pred) if s.tp_pred == s.tp_gold else f"{s.tp_pred}/{s.tp_gold}"
    return (label, tp, str(s.fp), str(s.fn), _num(s.precision), _num(s.recall), _num(s.f1))


def _ratio_row(label: str, r: Ratio) -> tuple[str, ...]:
    return (label, str(r.correct), str(r.total), _num(r.accuracy))


def render_report(
    report: EvalReport, *, details: bool = False, console: Console | None = None
) -> None:
    """Print the report as rich tables."""
    from rich.console import Console
    from rich.table import Table

    out = console or Console()
    scores = Table(title=f"Events ({len(report.documents)} documents)")
    for col in ("scope", "TP", "FP", "FN", "P", "R", "F1"):
        scores.add_column(col, justify="left" if col == "scope" else "right")
    scores.add_row(*_prf_row("all (with future)", report.overall))
    scores.add_row(*_prf_row("without future", report.without_future))
    for lang, s in report.by_lang.items():
        scores.add_row(*_prf_row(f"lang {lang}", s))
    for etype, s in report.by_type.items():
        scores.add_row(*_prf_row(f"type {etype}", s))
    out.print(scores)
    out.print("TP a/b: true positives by predicted type / by gold type (alt_type matches).")

    secondary = Table(title="On matched pairs")
    for col in ("measure", "correct", "total", "accuracy"):
        secondary.add_column(col, justify="left" if col == "measure" else "right")
    sec = report.secondary
    secondary.add_row(*_ratio_row("mode", sec.mode))
    secondary.add_row(*_ratio_row("strict direction", sec.direction))
    secondary.add_row(*_ratio_row("exact date", sec.date))
    secondary.add_row(*_ratio_row("actor sector", sec.sector))
    out.print(secondary)
    ignored = report.ignored
    out.print(
        f"Ignored predictions: {ignored['omitted']} matching 'omitted', "
        f"{ignored['negated-gold']} negated matching negated gold."
    )
    if details:
        _render_details(report, out)


def _key(key: tuple[object, ...] | list[object]) -> str:
    return " ".join("-" if k is None else str(k) for k in key)


def _render_details(report: EvalReport, out: Console) -> None:
    from rich.table import Table

    for doc in report.documents:
        table = Table(title=f"{doc.doc_id} ({doc.lang})", title_justify="left")
        for col in ("", "gold (type source target date)", "prediction", "note"):
            table.add_column(col, overflow="fold")
        for pair in doc.tp:
            table.add_row("TP", _key(pair.gold.key), _key(pair.pred.key), f"row {pair.pred.row}")
        for gold in doc.fn:
            table.add_row("FN", _key(gold.key), "", gold.evidence)
        for u in doc.fp:
            table.add_row("FP", "", _key(u.pred.key), f"row {u.pred.row}, {u.reason}")
        for u in doc.ignored:
            table.add_row("--", "", _key(u.pred.key), f"row {u.pred.row}, ignored: {u.reason}")
        out.print(table)
