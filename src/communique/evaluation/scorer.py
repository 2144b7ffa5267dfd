"""The scorer of CODING.md ("Scoring"): gold events against predicted dyadic rows.

Each gold event and each prediction is reduced to (type, source key, target key, date),
the key of an entity being its country, else its org, else "unknown". Predictions are
paired one-to-one with gold events, greedily in gold order; micro precision, recall and F1
are reported overall, per language, per type and without ``future`` events, and mode,
direction, date and sector are checked on the matched pairs.

Decisions where CODING.md is silent (each is tested in ``tests/evaluation``):

* Duplicates. Gold and predictions are multisets: CODING.md lets two gold events share a
  key, and two mentions predicting the same key are two predictions (one can be a false
  positive). The dyadic rows of *one* mention (same ``mention_id``) that reduce to the same
  key are one prediction, since the key reduction alone made them identical (two Azerbaijani
  officials meeting one Kazakh one give one AZE-KAZ event, as an annotator would write it).
* Dates of different precision are compared at the coarser one: "2024-05" agrees with any
  day of May 2024 and "2024" with any date in 2024; the one-day tolerance applies between
  two days only.
* Order-free keys: the type that decides is the matched one (the predicted type, which is
  the gold type or its ``alt_type``), or the gold event is ``joint``.
* Polarity. A negated prediction never satisfies a required (non-negated) gold event: it
  says the event did not happen. Required events are paired first, so a prediction that
  could match both a required and a negated gold event goes to the required one. A negated
  gold event is then paired with a matching negated prediction first (ignored), else with a
  non-negated one (a false positive).
* ``omitted`` entries are not consumed: any number of predictions may match one of them,
  whatever their polarity.
* Among the unpaired predictions that match a gold event, the greedy step takes the
  closest: same type before ``alt_type``, then ordered keys, identical keys (an "unknown"
  or null gold key prefers the same), exact date, same mode, then the earliest row. A gold
  set scored against its own events is therefore always perfect.
* Per-type and per-language scores count true positives by the gold event for recall and
  by the prediction for precision; "without future" drops gold events with
  ``future: true`` from recall and predictions with ``future: true`` from precision.
* Sector accuracy is per actor: the gold source (and target, when the gold target is not
  null) with a non-null sector, compared with the predicted actor in the orientation the
  pair matched in (reversed when only the order-free reading matched).
* A ratio with a zero denominator is None (``-`` in tables), never 0 or 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from communique.errors import GoldFileError, RecordError
from communique.evaluation.gold import UNKNOWN_KEY, GoldDoc, GoldEvent, entity_key, is_valid_date

# CODING.md, Scoring 3: dates match when within one day of each other (a day's slack absorbs
# the usual "yesterday"/"today" ambiguity of dispatches filed around midnight).
DATE_TOLERANCE_DAYS = 1

# CODING.md, Scoring 3: types whose source and target may be swapped.
ORDER_FREE_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})

# Reasons a prediction is a false positive or is ignored, as they appear in details.
NO_MATCH = "no-match"
NEGATED_GOLD = "negated-gold"
OMITTED = "omitted"

EventKey = tuple[str, str, str | None, str | None]


@dataclass(frozen=True)
class PredEvent:
    """One prediction (a dyadic row) reduced for scoring; ``row`` is its index in the
    document's prediction list."""

    row: int
    type: str
    source_key: str
    target_key: str | None
    date: str | None
    mode: str | None
    negated: bool
    future: bool
    source_sector: str | None
    target_sector: str | None
    mention_id: str | None

    @property
    def key(self) -> EventKey:
        return (self.type, self.source_key, self.target_key, self.date)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": list(self.key),
            "mode": self.mode,
            "negated": self.negated,
            "future": self.future,
            "row": self.row,
            "mention_id": self.mention_id,
        }


@dataclass(frozen=True)
class Pair:
    """A true positive: a required gold event and the prediction paired with it."""

    gold: GoldEvent
    pred: PredEvent


@dataclass(frozen=True)
class Unpaired:
    """A prediction that is a false positive or is ignored, and why."""

    pred: PredEvent
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.pred.to_dict(), "reason": self.reason}


@dataclass(frozen=True)
class DocResult:
    doc_id: str
    lang: str
    tp: tuple[Pair, ...]
    fp: tuple[Unpaired, ...]
    fn: tuple[GoldEvent, ...]
    ignored: tuple[Unpaired, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.doc_id,
            "lang": self.lang,
            "tp": [{"gold": _gold_dict(p.gold), "pred": p.pred.to_dict()} for p in self.tp],
            "fp": [u.to_dict() for u in self.fp],
            "fn": [_gold_dict(g) for g in self.fn],
            "ignored": [u.to_dict() for u in self.ignored],
        }


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True)
class PRF:
    """Micro counts of one slice. ``tp_pred`` counts true positives whose prediction is in the
    slice (precision side), ``tp_gold`` those whose gold event is (recall side); they differ
    only for per-type slices, when a prediction matched through ``alt_type``."""

    tp_pred: int
    fp: int
    tp_gold: int
    fn: int

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp_pred, self.tp_pred + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp_gold, self.tp_gold + self.fn)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp_pred": self.tp_pred,
            "fp": self.fp,
            "tp_gold": self.tp_gold,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class Ratio:
    correct: int
    total: int

    @property
    def accuracy(self) -> float | None:
        return _ratio(self.correct, self.total)

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.accuracy}


@dataclass(frozen=True)
class Secondary:
    """CODING.md, Scoring 6, over matched pairs only. ``sector`` counts actors, the others
    pairs."""

    mode: Ratio
    direction: Ratio
    date: Ratio
    sector: Ratio

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode.to_dict(),
            "direction": self.direction.to_dict(),
            "date": self.date.to_dict(),
            "sector": self.sector.to_dict(),
        }


@dataclass(frozen=True)
class EvalReport:
    documents: tuple[DocResult, ...]
    overall: PRF
    without_future: PRF
    by_lang: Mapping[str, PRF]
    by_type: Mapping[str, PRF]
    secondary: Secondary

    @property
    def ignored(self) -> dict[str, int]:
        counts = {OMITTED: 0, NEGATED_GOLD: 0}
        for doc in self.documents:
            for u in doc.ignored:
                counts[u.reason] += 1
        return counts

    def to_dict(self, *, details: bool = True) -> dict[str, Any]:
        """A JSON-able summary; ``details`` adds every document's tp/fp/fn/ignored lists."""
        out: dict[str, Any] = {
            "documents": len(self.documents),
            "overall": self.overall.to_dict(),
            "without_future": self.without_future.to_dict(),
            "by_lang": {k: v.to_dict() for k, v in self.by_lang.items()},
            "by_type": {k: v.to_dict() for k, v in self.by_type.items()},
            "secondary": self.secondary.to_dict(),
            "ignored": self.ignored,
        }
        if details:
            out["details"] = [d.to_dict() for d in self.documents]
        return out


def _gold_dict(g: GoldEvent) -> dict[str, Any]:
    return {
        "key": list(g.key),
        "alt_type": g.alt_type,
        "mode": g.mode,
        "joint": g.joint,
        "negated": g.negated,
        "future": g.future,
        "evidence": g.evidence,
    }


# --- predictions --------------------------------------------------------------------------


def prediction_from_row(row: Mapping[str, Any], *, index: int, where: str) -> PredEvent:
    """Reduce one dyadic row (``model.rows.event_rows`` shape) to a :class:`PredEvent`."""

    def bad(message: str) -> RecordError:
        return RecordError(
            message,
            where=where,
            hint="predictions are dyadic rows as made by communique.model.rows.event_rows",
        )

    if not isinstance(row, Mapping):
        raise bad(f"a prediction must be a mapping, not {type(row).__name__}")
    etype = row.get("type")
    if not isinstance(etype, str):
        raise bad(f"prediction 'type' is {etype!r}")
    actors: list[Mapping[str, Any] | None] = []
    for side in ("source", "target"):
        actor = row.get(side)
        if actor is not None and not isinstance(actor, Mapping):
            raise bad(f"prediction {side!r} must be a mapping or null")
        actors.append(actor)
    source, target = actors
    when = row.get("date")
    if when is not None and not is_valid_date(when, allow_year=True):
        raise bad(f"prediction 'date' is {when!r}, not YYYY-MM-DD, YYYY-MM or YYYY")
    return PredEvent(
        row=index,
        type=etype,
        # An event without a source still has an acting entity, just not a known one.
        source_key=entity_key(source) or UNKNOWN_KEY,
        target_key=entity_key(target),
        date=when,
        mode=row.get("mode"),
        negated=bool(row.get("negated", False)),
        future=bool(row.get("future", False)),
        source_sector=source.get("sector") if source else None,
        target_sector=target.get("sector") if target else None,
        mention_id=row.get("mention_id"),
    )


def reduce_predictions(rows: Sequence[Mapping[str, Any]], *, doc_id: str) -> list[PredEvent]:
    """All predictions of a document, with the rows of one mention that share a key merged."""
    preds: list[PredEvent] = []
    seen: set[tuple[str, EventKey]] = set()
    for i, row in enumerate(rows):
        pred = prediction_from_row(row, index=i, where=f"predictions[{doc_id!r}][{i}]")
        if pred.mention_id is not None:
            ident = (pred.mention_id, pred.key)
            if ident in seen:
                continue
            seen.add(ident)
        preds.append(pred)
    return preds


# --- matching -----------------------------------------------------------------------------


def dates_agree(gold: str | None, pred: str | None) -> bool:
    """Within DATE_TOLERANCE_DAYS for two days; equal at the coarser precision otherwise;
    a null date on either side is not compared."""
    if gold is None or pred is None:
        return True
    if len(gold) == len(pred) == 10:
        delta = date.fromisoformat(gold) - date.fromisoformat(pred)
        return abs(delta.days) <= DATE_TOLERANCE_DAYS
    # "YYYY-MM-DD", "YYYY-MM" and "YYYY" are prefixes of one another.
    n = min(len(gold), len(pred))
    return gold[:n] == pred[:n]


def _key_ok(gold: str | None, pred: str | None) -> bool:
    """A null gold target or an "unknown" gold key accepts anything."""
    return gold is None or gold in (UNKNOWN_KEY, pred)


def direction_strict(gold: GoldEvent, pred: PredEvent) -> bool:
    """Keys agree in order (source with source, target with target)."""
    return _key_ok(gold.source_key, pred.source_key) and _key_ok(gold.target_key, pred.target_key)


def _direction_reversed(gold: GoldEvent, pred: PredEvent) -> bool:
    return _key_ok(gold.source_key, pred.target_key) and _key_ok(gold.target_key, pred.source_key)


def keys_agree(gold: GoldEvent, pred: PredEvent) -> bool:
    if direction_strict(gold, pred):
        return True
    order_free = pred.type in ORDER_FREE_TYPES or gold.joint
    return order_free and _direction_reversed(gold, pred)


def matches(gold: GoldEvent, pred: PredEvent) -> bool:
    """CODING.md, Scoring 3 (polarity is handled by the pairing, not here)."""
    return (
        pred.type in (gold.type, gold.alt_type)
        and keys_agree(gold, pred)
        and dates_agree(gold.date, pred.date)
    )


def _closeness(gold: GoldEvent, pred: PredEvent) -> tuple[bool, bool, bool, bool, bool, int]:
    return (
        pred.type == gold.type,
        direction_strict(gold, pred),
        (pred.source_key, pred.target_key) == (gold.source_key, gold.target_key),
        pred.date == gold.date,
        pred.mode == gold.mode,
        -pred.row,
    )


def _pick(
    gold: GoldEvent, free: list[PredEvent], accept: Callable[[PredEvent], bool]
) -> PredEvent | None:
    candidates = [p for p in free if accept(p) and matches(gold, p)]
    if not candidates:
        return None
    best = max(candidates, key=lambda p: _closeness(gold, p))
    free.remove(best)
    return best


def score_document(doc: GoldDoc, rows: Sequence[Mapping[str, Any]]) -> DocResult:
    """Pair one document's predictions with its gold events (CODING.md, Scoring 2-4)."""
    free = reduce_predictions(rows, doc_id=doc.id)
    tp: list[Pair] = []
    fn: list[GoldEvent] = []
    fp: list[Unpaired] = []
    ignored: list[Unpaired] = []
    for gold in doc.events:
        if gold.negated:
            continue
        pred = _pick(gold, free, lambda p: not p.negated)
        if pred is None:
            fn.append(gold)
        else:
            tp.append(Pair(gold, pred))
    for gold in doc.events:
        if not gold.negated:
            continue
        pred = _pick(gold, free, lambda p: p.negated) or _pick(gold, free, lambda p: True)
        if pred is not None:
            (ignored if pred.negated else fp).append(Unpaired(pred, NEGATED_GOLD))
    for pred in free:
        if any(matches(o, pred) for o in doc.omitted):
            ignored.append(Unpaired(pred, OMITTED))
        else:
            fp.append(Unpaired(pred, NO_MATCH))
    fp.sort(key=lambda u: u.pred.row)
    ignored.sort(key=lambda u: u.pred.row)
    return DocResult(doc.id, doc.lang, tuple(tp), tuple(fp), tuple(fn), tuple(ignored))


# --- aggregation --------------------------------------------------------------------------


def _prf(
    docs: Iterable[DocResult],
    gold_in: Callable[[GoldEvent], bool] = lambda g: True,
    pred_in: Callable[[PredEvent], bool] = lambda p: True,
) -> PRF:
    tp_pred = fp = tp_gold = fn = 0
    for d in docs:
        tp_pred += sum(pred_in(p.pred) for p in d.tp)
        tp_gold += sum(gold_in(p.gold) for p in d.tp)
        fp += sum(pred_in(u.pred) for u in d.fp)
        fn += sum(gold_in(g) for g in d.fn)
    return PRF(tp_pred=tp_pred, fp=fp, tp_gold=tp_gold, fn=fn)


def _type_is(etype: str) -> Callable[[GoldEvent | PredEvent], bool]:
    return lambda event: event.type == etype


def _sector_checks(pair: Pair) -> Iterable[bool]:
    g, p = pair.gold, pair.pred
    if direction_strict(g, p):
        oriented = (p.source_sector, p.target_sector)
    else:
        oriented = (p.target_sector, p.source_sector)
    if g.source_sector is not None:
        yield g.source_sector == oriented[0]
    if g.target_key is not None and g.target_sector is not None:
        yield g.target_sector == oriented[1]


def _secondary(pairs: Sequence[Pair]) -> Secondary:
    sectors = [ok for pair in pairs for ok in _sector_checks(pair)]
    n = len(pairs)
    return Secondary(
        mode=Ratio(sum(p.pred.mode == p.gold.mode for p in pairs), n),
        direction=Ratio(sum(direction_strict(p.gold, p.pred) for p in pairs), n),
        date=Ratio(sum(p.pred.date == p.gold.date for p in pairs), n),
        sector=Ratio(sum(sectors), len(sectors)),
    )


def score(
    gold_docs: Sequence[GoldDoc], predictions: Mapping[str, Sequence[Mapping[str, Any]]]
) -> EvalReport:
    """Score predicted dyadic rows (doc id -> rows) against gold documents.

    A gold document without an entry in ``predictions`` has no predictions; an entry for an
    id that is not in the gold raises GoldFileError (the two files do not belong together).
    """
    ids = [d.id for d in gold_docs]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise GoldFileError(
            f"gold document id {dup!r} appears twice", hint="give every gold record a distinct id"
        )
    stray = sorted(set(predictions) - set(ids))
    if stray:
        raise GoldFileError(
            f"predictions for {len(stray)} document(s) not in the gold: {', '.join(stray[:5])}",
            where="predictions",
            hint="key predictions by the gold records' ids",
        )
    docs = tuple(score_document(d, predictions.get(d.id, ())) for d in gold_docs)
    langs = sorted({d.lang for d in docs})
    types = sorted(
        {p.gold.type for d in docs for p in d.tp}
        | {p.pred.type for d in docs for p in d.tp}
        | {g.type for d in docs for g in d.fn}
        | {u.pred.type for d in docs for u in d.fp}
    )
    return EvalReport(
        documents=docs,
        overall=_prf(docs),
        without_future=_prf(docs, lambda g: not g.future, lambda p: not p.future),
        by_lang={lang: _prf([d for d in docs if d.lang == lang]) for lang in langs},
        by_type={t: _prf(docs, _type_is(t), _type_is(t)) for t in types},
        secondary=_secondary([p for d in docs for p in d.tp]),
    )
