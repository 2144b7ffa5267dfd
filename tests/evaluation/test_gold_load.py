"""Gold files: the seed gold loads; every malformed field names its file, line and field."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from evaluation_fakes import gold_event, seeds_dir

from communique.errors import GoldFileError
from communique.evaluation.gold import PLOVER_TYPES, load_gold


def _record(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "d1",
        "file": "d1.txt",
        "lang": "fr",
        "published": "2024-11-29",
        "actors": [],
        "events": [gold_event("CONSULT", "JPN", "AZE", mode="visit")],
        "omitted": [],
    }
    record.update(changes)
    return record


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _error_for(tmp_path: Path, bad: dict[str, Any]) -> GoldFileError:
    """Line 1 is valid, line 2 is ``bad``: the error must name line 2."""
    path = _write(tmp_path, json.dumps(_record(id="ok")), json.dumps(bad))
    with pytest.raises(GoldFileError) as info:
        load_gold(path)
    assert info.value.code == "C500"
    assert info.value.where == f"{path}:2"
    assert info.value.hint
    return info.value


def test_seed_gold_loads() -> None:
    docs = load_gold(seeds_dir() / "gold.jsonl")
    assert [d.id for d in docs] == ["000_ba2d6775b7985a1c", "002_df765a5cd5958b86"]
    first, second = docs
    assert first.published == date(2024, 11, 29)
    assert first.file == "000_ba2d6775b7985a1c.txt"
    assert (len(first.events), len(first.omitted)) == (3, 2)
    assert (len(second.events), len(second.omitted)) == (7, 10)
    visit = first.events[0]
    assert visit.key == ("CONSULT", "JPN", "AZE", "2024-11-29")
    assert (visit.mode, visit.source_sector, visit.target_sector) == ("visit", "GOV", "GOV")
    joint = [e for e in second.events if e.joint]
    assert len(joint) == 3
    assert all(e.type == "SUPPORT" and e.alt_type == "AGREE" for e in joint)
    assert {e.date for e in joint} == {"2024-05"}
    # The Central Asian countries are a region: country null, org CAS.
    assert ("AGREE", "AZE", "CAS", None) in [e.key for e in second.events]
    assert first.line == 1 and second.line == 2


def test_keys_follow_country_then_org_then_unknown(tmp_path: Path) -> None:
    events = [
        gold_event("ASSAULT", {"name": "des inconnus", "country": None}, "AZE"),
        gold_event("AID", {"name": "UE", "country": None, "org": "EUR", "sector": "IGO"}, None),
    ]
    (doc,) = load_gold(_write(tmp_path, json.dumps(_record(events=events))))
    assert [(e.source_key, e.target_key) for e in doc.events] == [("unknown", "AZE"), ("EUR", None)]


def test_blank_lines_are_skipped_and_line_numbers_kept(tmp_path: Path) -> None:
    path = _write(tmp_path, "", json.dumps(_record(id="a")), "   ", json.dumps(_record(id="b")))
    assert [(d.id, d.line) for d in load_gold(path)] == [("a", 2), ("b", 4)]


def test_published_null_with_month(tmp_path: Path) -> None:
    line = json.dumps(_record(published=None, published_month="2024-05"))
    (doc,) = load_gold(_write(tmp_path, line))
    assert doc.published is None and doc.published_month == "2024-05"


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, json.dumps(_record()), '{"id": "x", "lang": ')
    with pytest.raises(GoldFileError) as info:
        load_gold(path)
    assert info.value.where == f"{path}:2"
    assert "invalid JSON" in info.value.message


def _event_with(**changes: Any) -> dict[str, Any]:
    event = gold_event("CONSULT", "JPN", "AZE", mode="visit")
    event.update(changes)
    return event


def _without(key: str) -> dict[str, Any]:
    event = _event_with()
    del event[key]
    return event


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (_event_with(type="MEET"), "'type'"),
        (_event_with(type="consult"), "'type'"),
        (_event_with(mode="phone call"), "'mode'"),
        (_event_with(type="AGREE", mode="visit"), "'mode'"),  # AGREE has no modes
        (_event_with(type="ASSAULT", mode="visit"), "'mode'"),
        (_event_with(alt_type="CONSULT"), "'alt_type'"),  # same as type
        (_event_with(alt_type="TALK"), "'alt_type'"),
        (_event_with(date="2024-13"), "'date'"),
        (_event_with(date="2024-02-30"), "'date'"),
        (_event_with(date="29/11/2024"), "'date'"),
        (_event_with(date="2024"), "'date'"),
        (_event_with(negated="no"), "'negated'"),
        (_event_with(future=None), "'future'"),
        (_event_with(joint=1), "'joint'"),
        (_event_with(evidence=""), "'evidence'"),
        (_event_with(alttype="AGREE"), "'alttype'"),
        (_event_with(source=None), "'source'"),
        (_event_with(target="AZE"), "'target'"),
        (_event_with(source={"name": "x", "country": "Azerbaijan"}), "source.country"),
        (_event_with(source={"name": "x", "country": "AZE", "sector": "GOVT"}), "source.sector"),
        (_event_with(target={"name": "x", "contry": "AZE"}), "'contry'"),
        (_without("future"), "'future'"),
        (_without("location"), "'location'"),
        (_without("mode"), "'mode'"),
    ],
)
def test_invalid_event_names_line_and_field(
    tmp_path: Path, event: dict[str, Any], field: str
) -> None:
    error = _error_for(tmp_path, _record(events=[_event_with(), event]))
    assert "events[1]" in error.message
    assert field in error.message


def test_invalid_omitted_entry_is_named(tmp_path: Path) -> None:
    error = _error_for(tmp_path, _record(omitted=[_event_with(type="BLAME")]))
    assert "omitted[0]" in error.message


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({k: v for k, v in _record().items() if k != "omitted"}, "'omitted'"),
        ({k: v for k, v in _record().items() if k != "published"}, "'published'"),
        (_record(id=""), "'id'"),
        (_record(lang=None), "'lang'"),
        (_record(published="2024-11"), "'published'"),
        (_record(published="yesterday"), "'published'"),
        (_record(published_month="May 2024"), "'published_month'"),
        (_record(events={"type": "AID"}), "'events'"),
        (_record(file=3), "'file'"),
        (_record(actors="none"), "'actors'"),
        (_record(id="ok"), "duplicate id"),
    ],
)
def test_invalid_record_names_line_and_field(
    tmp_path: Path, record: dict[str, Any], field: str
) -> None:
    assert field in _error_for(tmp_path, record).message


def test_record_that_is_not_an_object(tmp_path: Path) -> None:
    path = _write(tmp_path, "[1, 2]")
    with pytest.raises(GoldFileError, match="JSON object") as info:
        load_gold(path)
    assert info.value.where == f"{path}:1"


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(GoldFileError, match="not found"):
        load_gold(tmp_path / "nope.jsonl")
    with pytest.raises(GoldFileError, match="no records"):
        load_gold(_write(tmp_path, "", ""))


def test_every_plover_type_is_accepted_with_a_null_mode(tmp_path: Path) -> None:
    events = [gold_event(t, "AZE", "ARM") for t in sorted(PLOVER_TYPES)]
    (doc,) = load_gold(_write(tmp_path, json.dumps(_record(events=events))))
    assert len(PLOVER_TYPES) == 16
    assert {e.type for e in doc.events} == PLOVER_TYPES
