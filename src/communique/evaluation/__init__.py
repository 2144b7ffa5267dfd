"""Gold files and the scorer of CODING.md ("Scoring"); `communique evaluate` calls
:func:`evaluate_files`. Importing this package loads neither spaCy nor the pipeline."""

from communique.evaluation.gold import PLOVER_MODES, PLOVER_TYPES, GoldDoc, GoldEvent, load_gold
from communique.evaluation.runner import evaluate_files
from communique.evaluation.scorer import (
    PRF,
    DocResult,
    EvalReport,
    Pair,
    PredEvent,
    Ratio,
    Secondary,
    Unpaired,
    score,
)

__all__ = [
    "PLOVER_MODES",
    "PLOVER_TYPES",
    "PRF",
    "DocResult",
    "EvalReport",
    "GoldDoc",
    "GoldEvent",
    "Pair",
    "PredEvent",
    "Ratio",
    "Secondary",
    "Unpaired",
    "evaluate_files",
    "load_gold",
    "score",
]
