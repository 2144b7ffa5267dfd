"""The PETRARCH suite harness: crosswalk, XML records, actor codes, scoring (fake coder)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from communique.errors import GoldFileError
from communique.evaluation.petrarch_suite import (
    SuiteRecord,
    cameo_to_plover,
    expected_actor,
    load_crosswalk,
    load_records,
    predicted_actor,
    run_suite,
    score_record,
)
from communique.model import ActorRef, Article, CodedArticle, DateRef, Event, TextSpan

REF = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "event-coding-reference"
needs_ref = pytest.mark.skipif(not REF.is_dir(), reason="../shared reference data absent")

CROSSWALK = """\
# CAMEO to PLOVER conversion table
03: AGREE
036: AGREE,  , diplomatic # Express intent to meet
04: CONSULT
041: CONSULT, phone,   # Discuss by telephone
06: COOPERATE
064: COOPERATE,   , intelligence  # Share intelligence
17: COERCE
174: COERCE, deport, legal            # Expel or deport individuals
~~~~~
"""

RECORDS = """\
<Validation><Sentences>
<!-- a comment -->
<Sentence date="19950101" id="DEMO-00" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<EventCoding sourcecode="ARNGOV" targetcode="---" eventcode="023"></EventCoding>
<Text>
Arnor is about to restore full diplomatic ties with Gondor.
</Text>
<Parse>(ROOT (S (NP (NNP Arnor))))</Parse>
</Sentence>
<Sentence date = "20121109" id ="DATE-04"  category="DATE" sentence="true">
<EventCoding sourcecode="HOBGOV" targetcode="BRE" eventcode="041"></EventCoding>
<Text>Hamfast Gamgee phoned Bree.</Text>
</Sentence>
<Sentence date="19950101" id="X-01" category="AGENTS" sentence="true">
<EventCoding noevents = "True"></EventCoding>
<Text>Nothing happens.</Text>
</Sentence>
<Sentence date="19950101" id="X-02" category="ERROR" sentence="true">
<EventCoding error="bad_input_parse"></EventCoding>
<Text>Arnor met Gondor.</Text>
</Sentence>
<Sentence date="19950101" id="X-03" category="DEMO" sentence="false">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<Text>Arnor met Gondor.</Text>
</Sentence>
<Sentence date="19950101" id="X-04" category="VERB" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="023"></EventCoding>
<Text>Arnor appealed to Gondor.</Text>
</Sentence>
</Sentences></Validation>
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "c2p.txt").write_text(CROSSWALK, encoding="utf-8")
    (tmp_path / "records.xml").write_text(RECORDS, encoding="utf-8")
    (tmp_path / "actors.txt").write_text(
        "ARNOR [ARN]\nGONDOR [GON]\nBREE [BRE]\nHAMFAST_GAMGEE [HOB]\n"
        "\t[HOBGOV 20121109-20130119]\n",
        encoding="utf-8",
    )
    (tmp_path / "agents.txt").write_text("POLICE {} [~COP]\n", encoding="utf-8")
    return {p.stem: p for p in tmp_path.iterdir()}


def test_crosswalk_mapping(files: dict[str, Path]) -> None:
    cw = load_crosswalk(files["c2p"])
    assert cameo_to_plover("064", cw) == "COOPERATE"
    assert cameo_to_plover("0641", cw) == "COOPERATE"  # parent
    assert cameo_to_plover("174K", cw) == "COERCE"  # trailing letters
    assert cameo_to_plover("030", cw) == "AGREE"  # root line
    assert cameo_to_plover("023", cw) is None  # appeals: no PLOVER type
    assert cameo_to_plover("903", cw) is None  # not a CAMEO root
    assert cameo_to_plover("abc", cw) is None


@needs_ref
def test_real_crosswalk() -> None:
    cw = load_crosswalk(REF / "schrodt-ngec" / "CAMEO2PLOVER-2021-09-17.txt")
    assert cameo_to_plover("042", cw) == "CONSULT"
    assert cameo_to_plover("0841", cw) == "RETREAT"
    assert cameo_to_plover("163", cw) == "COERCE"
    assert cameo_to_plover("010", cw) is None


def test_records_parse(files: dict[str, Path]) -> None:
    records = load_records(files["records"], load_crosswalk(files["c2p"]))
    assert [r.id for r in records] == ["DEMO-00", "DATE-04", "X-01", "X-02", "X-03", "X-04"]
    demo = records[0]
    assert demo.text == "Arnor is about to restore full diplomatic ties with Gondor."
    assert [(e.source, e.target, e.plover) for e in demo.events] == [
        ("ARN", "GON", "COOPERATE"),
        ("ARNGOV", "---", None),
    ]
    assert str(records[1].date) == "2012-11-09"
    assert records[2].expects_none and records[2].category == "AGENT"
    assert records[3].error == "bad_input_parse"
    assert not records[4].sentence


def test_bad_xml_is_a_coded_error(tmp_path: Path, files: dict[str, Path]) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<Validation><Sentence>\n</Validation>", encoding="utf-8")
    with pytest.raises(GoldFileError, match=r"bad.xml:\d+: invalid XML"):
        load_records(bad, {})
    bad.write_text('<V><Sentence id="A" date="1995"><Text>x</Text></Sentence></V>')
    with pytest.raises(GoldFileError, match="bad date"):
        load_records(bad, {})


def test_actor_codes() -> None:
    assert expected_actor("ARN", "root") == "ARN"
    assert expected_actor("ARN", "strict") == ("ARN", "GOV")  # a bare country is the state
    assert expected_actor("GONCOP", "strict") == ("GON", "GOV")
    assert expected_actor("RUSEDU", "strict") == ("RUS", "CVL")
    assert expected_actor("---GOV", "strict") == (None, "GOV")
    assert expected_actor('"THE MINISTRY OF MAGIC"', "root") is None
    assert expected_actor("IMGMOSALQ", "root") == "IMGMOS"
    assert predicted_actor({"country": "GON", "sector": "MIL"}, "strict") == ("GON", "MIL")
    assert predicted_actor({"country": None, "org": "IMGMOSALQ"}, "root") == "IMGMOS"
    assert predicted_actor(None, "root") is None


def _row(etype: str, src: str | None, tgt: str | None, sector: str = "GOV") -> dict[str, Any]:
    def actor(c: str | None) -> dict[str, Any] | None:
        return None if c is None else {"country": c, "sector": sector, "org": None}

    return {"type": etype, "source": actor(src), "target": actor(tgt), "negated": False}


def test_scoring_a_record(files: dict[str, Path]) -> None:
    demo = load_records(files["records"], load_crosswalk(files["c2p"]))[0]
    perfect = score_record(demo, [_row("COOPERATE", "ARN", "GON")], "strict")
    assert (perfect.score.tp, perfect.score.fp, perfect.score.fn, perfect.score.exact) == (
        1,
        0,
        0,
        1,
    )
    # a prediction on the dyad of the unmappable 023 (ARNGOV -> ---) is ignored
    res = score_record(
        demo, [_row("COOPERATE", "ARN", "GON"), _row("REQUEST", "ARN", None)], "strict"
    )
    assert (res.score.fp, len(res.ignored), res.score.exact) == (0, 1, 1)
    # wrong direction and wrong type
    res = score_record(
        demo, [_row("COOPERATE", "GON", "ARN"), _row("CONSULT", "ARN", "GON")], "root"
    )
    assert (res.score.tp, res.score.fp, res.score.fn, res.score.exact) == (0, 2, 1, 0)
    # sector matters only when strict
    mil = [_row("COOPERATE", "ARN", "GON", sector="MIL")]
    assert score_record(demo, mil, "root").score.tp == 1
    assert score_record(demo, mil, "strict").score.tp == 0


class ScriptedCoder:
    """Returns, for each article, the events scripted for its text."""

    coder_version = "test"

    def __init__(self, script: dict[str, list[tuple[str, str | None, str | None, str]]]):
        self.script = script

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        for a in articles:
            events = []
            for etype, src, tgt, sector in self.script.get(a.text, []):
                source = ActorRef(src or "?", "country", country=src, sector=sector)
                target = ActorRef(tgt, "country", country=tgt, sector="GOV") if tgt else None
                span = TextSpan(0, len(a.text), a.text)
                events.append(
                    Event(
                        type=etype,
                        mode=None,
                        sources=(source,),
                        targets=(target,) if target else (),
                        date=DateRef(None, None),
                        evidence=span,
                        trigger=span,
                        rule="test",
                        confidence=1.0,
                    )
                )
            yield CodedArticle(a, tuple(events), ())


def test_run_suite_with_a_fake_coder(files: dict[str, Path]) -> None:
    coder = ScriptedCoder(
        {
            "Arnor is about to restore full diplomatic ties with Gondor.": [
                ("COOPERATE", "ARN", "GON", "GOV")
            ],
            "Hamfast Gamgee phoned Bree.": [("CONSULT", "HOB", "BRE", "CVL")],
            "Nothing happens.": [("AGREE", "ARN", None, "GOV")],
        }
    )
    report = run_suite(
        files["records"],
        actors_path=files["actors"],
        agents_path=files["agents"],
        crosswalk_path=files["c2p"],
        coder=coder,
    )
    assert report.excluded == {
        "error=bad_input_parse": 1,
        'sentence="false"': 1,
        "unmappable": 1,
    }
    root, strict = report.levels["root"], report.levels["strict"]
    assert (root.records, root.tp, root.fp, root.fn, root.exact) == (3, 2, 1, 0, 2)
    # strict: Hamfast is HOBGOV on that day, not a civilian
    assert (strict.tp, strict.fp, strict.fn, strict.exact) == (1, 2, 1, 1)
    assert report.by_category["AGENT"]["root"].fp == 1  # noevents: any output is an FP
    d = report.to_dict(details=True)
    assert d["overall"]["root"]["precision"] == pytest.approx(2 / 3, abs=1e-4)


def test_suite_knowledge(files: dict[str, Path]) -> None:
    from datetime import date

    from communique.evaluation.petrarch_suite import build_suite_knowledge

    kb, terms = build_suite_knowledge(files["actors"], files["agents"])
    assert {"ARN", "GON", "BRE", "HOB"} <= set(kb.countries)
    person = kb.persons_by_name("Hamfast Gamgee")[0]
    role = kb.roles_of(person.id, date(2012, 12, 1))[0]
    assert role.country == "HOB" and kb.office(role.office).sector == "GOV"
    assert any(t.kind == "group" and t.text == "police" and t.sector == "GOV" for t in terms)
    assert any(t.kind == "country" and t.text == "Arnor" and t.key == "ARN" for t in terms)


@needs_ref
def test_real_suite_records_load() -> None:
    from communique.evaluation.petrarch_suite import SuiteReport, select_records

    cw = load_crosswalk(REF / "schrodt-ngec" / "CAMEO2PLOVER-2021-09-17.txt")
    records = load_records(REF / "petrarch2" / "PETR.UnitTest.records.xml", cw)
    assert len(records) == 284
    report = SuiteReport()
    chosen = select_records(records, report)
    assert report.excluded['sentence="false"'] == 5
    assert all(isinstance(r, SuiteRecord) for r in chosen) and len(chosen) > 150
