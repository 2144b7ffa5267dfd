"""The scorer against CODING.md's "Scoring", one rule per test, on hand-built gold and rows."""

from __future__ import annotations

import json
from typing import Any

import pytest
from evaluation_fakes import actor, gold_doc, gold_event, row
from hypothesis import given, settings
from hypothesis import strategies as st

from communique.errors import GoldFileError, RecordError
from communique.evaluation.gold import PLOVER_TYPES
from communique.evaluation.scorer import (
    NEGATED_GOLD,
    NO_MATCH,
    OMITTED,
    EvalReport,
    dates_agree,
    score,
)


def _score(events: list[dict[str, Any]], rows: list[dict[str, Any]], **kw: Any) -> EvalReport:
    return score([gold_doc(events, **kw)], {"d1": rows})


def _counts(report: EvalReport) -> tuple[int, int, int]:
    o = report.overall
    assert o.tp_pred == o.tp_gold
    return (o.tp_pred, o.fp, o.fn)


def test_perfect_match_scores_one() -> None:
    events = [
        gold_event("CONSULT", "JPN", "AZE", mode="visit"),
        gold_event("SUPPORT", "AZE", "JPN"),
        gold_event("ACCUSE", "AZE", "ARM", "2024-08-09", mode="allege"),
    ]
    rows = [
        row("CONSULT", "JPN", "AZE", mode="visit"),
        row("SUPPORT", "AZE", "JPN"),
        row("ACCUSE", "AZE", "ARM", "2024-08-09", mode="allege"),
    ]
    report = _score(events, rows)
    assert _counts(report) == (3, 0, 0)
    o = report.overall
    assert (o.precision, o.recall, o.f1) == (1.0, 1.0, 1.0)


def test_nothing_predicted_scores_zero_recall_and_no_precision() -> None:
    report = _score([gold_event("CONSULT", "JPN", "AZE")], [])
    assert _counts(report) == (0, 0, 1)
    assert report.overall.recall == 0.0
    assert report.overall.precision is None  # 0/0: undefined, not 0 or 1
    assert report.overall.f1 is None


@pytest.mark.parametrize("etype", ["CONSULT", "AGREE", "COOPERATE"])
def test_reversed_direction_matches_for_order_free_types(etype: str) -> None:
    report = _score([gold_event(etype, "JPN", "AZE")], [row(etype, "AZE", "JPN")])
    assert _counts(report) == (1, 0, 0)
    assert report.secondary.direction.accuracy == 0.0


@pytest.mark.parametrize("etype", ["ACCUSE", "SUPPORT", "ASSAULT", "AID"])
def test_reversed_direction_fails_for_directed_types(etype: str) -> None:
    report = _score([gold_event(etype, "AZE", "ARM")], [row(etype, "ARM", "AZE")])
    assert _counts(report) == (0, 1, 1)


def test_joint_gold_accepts_reversed_direction() -> None:
    joint = gold_event("SUPPORT", "AZE", "KAZ", "2024-05", joint=True)
    assert _counts(_score([joint], [row("SUPPORT", "KAZ", "AZE", "2024-05")])) == (1, 0, 0)
    plain = gold_event("SUPPORT", "AZE", "KAZ", "2024-05")
    assert _counts(_score([plain], [row("SUPPORT", "KAZ", "AZE", "2024-05")])) == (0, 1, 1)


def test_alt_type_is_accepted_and_counted_by_each_side() -> None:
    gold = [gold_event("AGREE", "AZE", "JPN", None, alt_type="CONSULT")]
    report = _score(gold, [row("CONSULT", "AZE", "JPN")])
    assert _counts(report) == (1, 0, 0)
    # Recall is counted under the gold type, precision under the predicted type.
    agree, consult = report.by_type["AGREE"], report.by_type["CONSULT"]
    assert (agree.tp_gold, agree.fn, agree.tp_pred, agree.fp) == (1, 0, 0, 0)
    assert (consult.tp_gold, consult.fn, consult.tp_pred, consult.fp) == (0, 0, 1, 0)
    assert agree.recall == 1.0 and agree.precision is None
    assert consult.precision == 1.0 and consult.recall is None
    # A type that is neither the gold type nor its alt_type does not match.
    assert _counts(_score(gold, [row("SUPPORT", "AZE", "JPN")])) == (0, 1, 1)


def test_same_type_preferred_over_alt_type_when_both_predicted() -> None:
    gold = [gold_event("AGREE", "AZE", "JPN", None, alt_type="CONSULT")]
    report = _score(gold, [row("CONSULT", "AZE", "JPN"), row("AGREE", "AZE", "JPN")])
    assert _counts(report) == (1, 1, 0)
    assert report.documents[0].tp[0].pred.type == "AGREE"


def test_unknown_gold_key_accepts_any_entity() -> None:
    unnamed = {"name": "des inconnus", "country": None, "sector": None}
    gold = [gold_event("ASSAULT", unnamed, "AZE", mode="explosives")]
    for source in ("ARM", actor(org="NATO"), {"name": "x", "country": None}, None):
        rows = [row("ASSAULT", source, "AZE", mode="explosives")]
        assert _counts(_score(gold, rows)) == (1, 0, 0), source
    # The converse does not hold: an unknown predicted key does not match a named gold one.
    named = [gold_event("ASSAULT", "ARM", "AZE")]
    assert _counts(_score(named, [row("ASSAULT", {"name": "x"}, "AZE")])) == (0, 1, 1)


def test_null_gold_target_accepts_any_target() -> None:
    gold = [gold_event("MOBILIZE", "RUS", None, mode="troops")]
    for target in ("UKR", None, actor(org="NATO")):
        assert _counts(_score(gold, [row("MOBILIZE", "RUS", target)])) == (1, 0, 0), target
    # A gold target must be predicted.
    aimed = [gold_event("MOBILIZE", "RUS", "UKR")]
    assert _counts(_score(aimed, [row("MOBILIZE", "RUS", None)])) == (0, 1, 1)


@pytest.mark.parametrize(
    ("gold_date", "pred_date", "agree"),
    [
        ("2024-11-29", "2024-11-29", True),
        ("2024-11-29", "2024-11-28", True),
        ("2024-11-29", "2024-11-30", True),
        ("2024-11-30", "2024-12-01", True),  # across a month end
        ("2024-11-29", "2024-11-27", False),
        ("2024-11-29", "2024-12-01", False),
        (None, "2020-01-01", True),
        ("2024-11-29", None, True),
        ("2024-05", "2024-05-20", True),  # coarser precision: the month
        ("2024-05", "2024-06-01", False),
        ("2024-05-31", "2024-05", True),
        ("2024-05", "2024-05", True),
        ("2024-05", "2024-06", False),
        ("2024-11-29", "2024", True),
        ("2024-11-29", "2023", False),
    ],
)
def test_date_agreement(gold_date: str | None, pred_date: str | None, agree: bool) -> None:
    assert dates_agree(gold_date, pred_date) is agree
    report = _score(
        [gold_event("AID", "USA", "UKR", gold_date)], [row("AID", "USA", "UKR", pred_date)]
    )
    assert _counts(report) == ((1, 0, 0) if agree else (0, 1, 1))


def test_prediction_matching_omitted_is_ignored() -> None:
    omitted = [gold_event("SUPPORT", "JPN", "AZE", None, note="background")]
    report = _score([], [row("SUPPORT", "JPN", "AZE")], omitted=omitted)
    assert _counts(report) == (0, 0, 0)
    (ignored,) = report.documents[0].ignored
    assert ignored.reason == OMITTED
    assert report.ignored == {OMITTED: 1, NEGATED_GOLD: 0}
    # Omitted entries are not used up: a second matching prediction is ignored too.
    twice = _score([], [row("SUPPORT", "JPN", "AZE")] * 2, omitted=omitted)
    assert _counts(twice) == (0, 0, 0) and len(twice.documents[0].ignored) == 2
    # ...and they do not make a required event optional.
    both = _score(
        [gold_event("CONSULT", "JPN", "AZE")], [row("SUPPORT", "JPN", "AZE")], omitted=omitted
    )
    assert _counts(both) == (0, 0, 1)


def test_negated_gold_is_not_required() -> None:
    negated = gold_event("CONSULT", "AZE", "ARM", negated=True)
    report = _score([negated, gold_event("ACCUSE", "AZE", "ARM")], [row("ACCUSE", "AZE", "ARM")])
    assert _counts(report) == (1, 0, 0)
    assert report.overall.recall == 1.0


def test_non_negated_prediction_of_negated_gold_is_false_positive() -> None:
    negated = gold_event("CONSULT", "AZE", "ARM", negated=True)
    report = _score([negated], [row("CONSULT", "AZE", "ARM")])
    assert _counts(report) == (0, 1, 0)
    assert report.documents[0].fp[0].reason == NEGATED_GOLD


def test_negated_prediction_of_negated_gold_is_ignored() -> None:
    negated = gold_event("CONSULT", "AZE", "ARM", negated=True)
    report = _score([negated], [row("CONSULT", "AZE", "ARM", negated=True)])
    assert _counts(report) == (0, 0, 0)
    assert report.ignored[NEGATED_GOLD] == 1


def test_negated_prediction_does_not_satisfy_asserted_gold() -> None:
    report = _score(
        [gold_event("CONSULT", "AZE", "ARM")], [row("CONSULT", "AZE", "ARM", negated=True)]
    )
    assert _counts(report) == (0, 1, 1)
    assert report.documents[0].fp[0].reason == NO_MATCH


def test_required_gold_is_paired_before_negated_gold() -> None:
    # Same key twice: the negated one comes first in the gold, the prediction still counts.
    events = [
        gold_event("CONSULT", "AZE", "ARM", negated=True),
        gold_event("CONSULT", "AZE", "ARM"),
    ]
    assert _counts(_score(events, [row("CONSULT", "AZE", "ARM")])) == (1, 0, 0)


def test_pairing_is_one_to_one() -> None:
    gold = [gold_event("CONSULT", "JPN", "AZE")]
    report = _score(gold, [row("CONSULT", "JPN", "AZE"), row("CONSULT", "JPN", "AZE")])
    assert _counts(report) == (1, 1, 0)
    assert [u.pred.row for u in report.documents[0].fp] == [1]
    # Two gold events with one key need two predictions (CODING.md allows such gold).
    report = _score(gold * 2, [row("CONSULT", "JPN", "AZE")])
    assert _counts(report) == (1, 0, 1)


def test_rows_of_one_mention_with_one_key_are_one_prediction() -> None:
    # Two Azerbaijani officials meeting a Kazakh one: two rows, one AZE-KAZ prediction.
    rows = [
        row("CONSULT", actor("AZE"), "KAZ", mention_id="m1"),
        row("CONSULT", actor("AZE", sector="MIL"), "KAZ", mention_id="m1"),
    ]
    assert _counts(_score([gold_event("CONSULT", "AZE", "KAZ")], rows)) == (1, 0, 0)
    # The same key from two mentions stays two predictions.
    rows[1] = {**rows[1], "mention_id": "m2"}
    assert _counts(_score([gold_event("CONSULT", "AZE", "KAZ")], rows)) == (1, 1, 0)


def test_joint_three_party_signing_as_three_rows_of_one_mention() -> None:
    pairs = [("AZE", "KAZ"), ("AZE", "UZB"), ("KAZ", "UZB")]
    gold = [gold_event("SUPPORT", s, t, "2024-05", joint=True, alt_type="AGREE") for s, t in pairs]
    rows = [row("SUPPORT", t, s, "2024-05-20", mention_id="m1") for s, t in pairs]
    report = _score(gold, rows)
    assert _counts(report) == (3, 0, 0)
    assert report.secondary.direction.accuracy == 0.0
    assert report.secondary.date.accuracy == 0.0


def test_greedy_pairing_takes_the_closest_prediction() -> None:
    gold = [gold_event("CONSULT", "JPN", "AZE", mode="visit")]
    rows = [
        row("CONSULT", "AZE", "JPN", "2024-11-28"),  # reversed, a day off, no mode
        row("CONSULT", "JPN", "AZE", mode="visit"),  # exact
    ]
    report = _score(gold, rows)
    assert _counts(report) == (1, 1, 0)
    assert report.documents[0].tp[0].pred.row == 1
    sec = report.secondary
    assert (sec.mode.accuracy, sec.direction.accuracy, sec.date.accuracy) == (1.0, 1.0, 1.0)


def test_breakdown_per_type_and_language() -> None:
    fr = gold_doc(
        [
            gold_event("CONSULT", "JPN", "AZE"),
            gold_event("SUPPORT", "AZE", "JPN"),
            gold_event("ACCUSE", "AZE", "ARM"),
        ],
        doc_id="fr1",
    )
    en = gold_doc([gold_event("ACCUSE", "USA", "RUS")], doc_id="en1", lang="en")
    predictions = {
        "fr1": [
            row("CONSULT", "AZE", "JPN"),  # TP (order-free)
            row("SUPPORT", "AZE", "JPN"),  # TP
            row("ACCUSE", "ARM", "AZE"),  # FP (reversed); ACCUSE AZE-ARM is FN
        ],
        "en1": [row("ACCUSE", "USA", "RUS"), row("SANCTION", "USA", "RUS")],  # TP, FP
    }
    report = score([fr, en], predictions)
    assert _counts(report) == (3, 2, 1)
    assert report.overall.precision == pytest.approx(3 / 5)
    assert report.overall.recall == pytest.approx(3 / 4)
    assert report.overall.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    fr_s, en_s = report.by_lang["fr"], report.by_lang["en"]
    assert (fr_s.tp_pred, fr_s.fp, fr_s.fn) == (2, 1, 1)
    assert (en_s.tp_pred, en_s.fp, en_s.fn) == (1, 1, 0)
    assert list(report.by_type) == ["ACCUSE", "CONSULT", "SANCTION", "SUPPORT"]
    accuse = report.by_type["ACCUSE"]
    assert (accuse.tp_pred, accuse.fp, accuse.tp_gold, accuse.fn) == (1, 1, 1, 1)
    assert (accuse.precision, accuse.recall) == (0.5, 0.5)
    sanction = report.by_type["SANCTION"]
    assert (sanction.precision, sanction.recall, sanction.f1) == (0.0, None, None)
    assert report.by_type["CONSULT"].f1 == 1.0


def test_with_and_without_future_events() -> None:
    events = [
        gold_event("CONSULT", "AZE", "KAZ"),
        gold_event("PROTEST", "FRA", "FRA", "2024-12-05", future=True, mode="demo"),
    ]
    rows = [
        row("CONSULT", "AZE", "KAZ"),
        row("SANCTION", "USA", "IRN", future=True),
    ]
    report = _score(events, rows)
    assert _counts(report) == (1, 1, 1)
    nf = report.without_future
    assert (nf.tp_pred, nf.fp, nf.tp_gold, nf.fn) == (1, 0, 1, 0)
    assert nf.f1 == 1.0
    assert report.overall.f1 == 0.5


def test_secondary_measures_on_matched_pairs() -> None:
    events = [
        gold_event("CONSULT", actor("JPN"), actor("AZE"), mode="visit"),
        gold_event("ACCUSE", actor("AZE"), actor("ARM", sector="MIL"), mode="allege"),
        gold_event("AID", actor("USA"), None, "2024-11"),
        gold_event("REJECT", "IRN", "USA", mode="meet"),  # missed: not in secondary measures
    ]
    rows = [
        # reversed: direction wrong; sectors compared crosswise (AZE=GOV ok, JPN=MIL wrong)
        row("CONSULT", actor("AZE"), actor("JPN", sector="MIL"), "2024-11-28", mode="visit"),
        row("ACCUSE", actor("AZE"), actor("ARM", sector="GOV"), mode=None),  # mode, sector wrong
        row("AID", actor("USA", sector=None), actor("UKR"), "2024-11"),  # source sector missing
    ]
    report = _score(events, rows)
    assert _counts(report) == (3, 0, 1)
    sec = report.secondary
    assert (sec.mode.correct, sec.mode.total) == (2, 3)
    assert (sec.direction.correct, sec.direction.total) == (2, 3)
    assert (sec.date.correct, sec.date.total) == (2, 3)
    # actors: CONSULT 2 (1 right), ACCUSE 2 (1 right), AID 1 source (wrong), null target skipped
    assert (sec.sector.correct, sec.sector.total) == (2, 5)
    assert sec.mode.accuracy == pytest.approx(2 / 3)


def test_report_to_dict_is_json_with_details() -> None:
    report = _score(
        [gold_event("CONSULT", "JPN", "AZE"), gold_event("AID", "USA", "UKR")],
        [row("CONSULT", "JPN", "AZE"), row("ASSAULT", "RUS", "UKR")],
        omitted=[gold_event("SUPPORT", "JPN", "AZE")],
    )
    data = json.loads(json.dumps(report.to_dict()))
    assert data["overall"]["f1"] == 0.5
    assert set(data) >= {"overall", "without_future", "by_lang", "by_type", "secondary", "details"}
    (doc,) = data["details"]
    assert doc["tp"][0]["gold"]["key"] == ["CONSULT", "JPN", "AZE", "2024-11-29"]
    assert doc["fp"] == [
        {
            "key": ["ASSAULT", "RUS", "UKR", "2024-11-29"],
            "mode": None,
            "negated": False,
            "future": False,
            "row": 1,
            "mention_id": None,
            "reason": NO_MATCH,
        }
    ]
    assert doc["fn"][0]["key"] == ["AID", "USA", "UKR", "2024-11-29"]
    assert "details" not in report.to_dict(details=False)


def test_documents_without_predictions_and_stray_ids() -> None:
    docs = [gold_doc([gold_event("AID", "USA", "UKR")], doc_id="a")]
    assert _counts(score(docs, {})) == (0, 0, 1)
    with pytest.raises(GoldFileError, match="not in the gold"):
        score(docs, {"a": [], "zzz": [row("AID", "USA", "UKR")]})
    with pytest.raises(GoldFileError, match="twice"):
        score(docs * 2, {})


@pytest.mark.parametrize(
    "bad",
    [
        row("AID", "USA", "UKR", "29/11/2024"),
        row("AID", "USA", "UKR", "2024-02-30"),
        {**row("AID", "USA", "UKR"), "type": None},
        {**row("AID", "USA", "UKR"), "source": "USA"},
    ],
)
def test_malformed_prediction_row_is_a_typed_error(bad: dict[str, Any]) -> None:
    with pytest.raises(RecordError) as info:
        _score([], [bad])
    assert info.value.where == "predictions['d1'][0]"


# --- properties ---------------------------------------------------------------------------

_codes = st.sampled_from(["AZE", "ARM", "JPN", "KAZ", None])
_dates = st.sampled_from(["2024-11-28", "2024-11-29", "2024-12-01", "2024-11", None])
_events = st.builds(
    lambda t, s, tg, d, neg, fut, joint: gold_event(
        t, s, tg, d, negated=neg, future=fut, joint=joint
    ),
    st.sampled_from(sorted(PLOVER_TYPES)),
    _codes,
    _codes,
    _dates,
    st.booleans(),
    st.booleans(),
    st.booleans(),
)


def _as_row(event: dict[str, Any]) -> dict[str, Any]:
    return row(
        event["type"],
        event["source"],
        event["target"],
        event["date"],
        negated=event["negated"],
        future=event["future"],
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(_events, max_size=6))
def test_gold_scored_against_itself_is_perfect(events: list[dict[str, Any]]) -> None:
    report = _score(events, [_as_row(e) for e in events])
    required = sum(not e["negated"] for e in events)
    assert _counts(report) == (required, 0, 0)
    assert report.ignored[NEGATED_GOLD] == len(events) - required


@settings(max_examples=60, deadline=None)
@given(st.lists(_events, max_size=5), st.lists(_events, max_size=5), st.lists(_events, max_size=2))
def test_every_prediction_and_required_gold_is_accounted_for_once(
    events: list[dict[str, Any]], predicted: list[dict[str, Any]], omitted: list[dict[str, Any]]
) -> None:
    report = _score(events, [_as_row(e) for e in predicted], omitted=omitted)
    tp, fp, fn = _counts(report)
    assert tp + fn == sum(not e["negated"] for e in events)
    assert tp + fp + sum(report.ignored.values()) == len(predicted)
    for value in (report.overall.precision, report.overall.recall, report.overall.f1):
        assert value is None or 0.0 <= value <= 1.0
