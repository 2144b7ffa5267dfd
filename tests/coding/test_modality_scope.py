"""Behavioural tests of the scope of negation, hypotheticals and aggregates
(``communique.coding.modality.assess``), written against ``CODING.md``.

Every sentence is an original wire-style sentence. Each test states one property of the
rows of ``communique.extract.extract_text`` in terms of the scorer's actor keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from behaviour_rows import Row, asserted, find, show

from communique.extract import extract_text

pytestmark = pytest.mark.model

# A Thursday: "on Tuesday" is 2024-09-10.
PUBLISHED = dt.date(2024, 9, 12)

Code = Callable[[str, str], list[Row]]


@pytest.fixture(scope="module")
def code() -> Code:
    from communique.pipeline import Coder
    from communique.settings import Settings

    coder = Coder(Settings())
    cache: dict[tuple[str, str], list[Row]] = {}

    def run(text: str, lang: str = "en") -> list[Row]:
        if (text, lang) not in cache:
            cache[(text, lang)] = extract_text(text, published=PUBLISHED, lang=lang, coder=coder)
        return cache[(text, lang)]

    return run


# ------------------------------------------------------------------------------ negation

# (text, lang, type, source, target): the event is coded, and negated.
NEGATED = [
    pytest.param(
        "Neither Hungary nor Slovakia condemned Russia.",
        "en",
        "ACCUSE",
        "HUN",
        "RUS",
        id="neither-nor-subject",
    ),
    pytest.param(
        "No EU country condemned Russia after the vote.",
        "en",
        "ACCUSE",
        "EUR",
        "RUS",
        id="no-subject",
    ),
    pytest.param(
        "None of the Gulf states condemned Israel.",
        "en",
        "ACCUSE",
        "PGS",
        "ISR",
        id="none-of-subject",
    ),
    pytest.param(
        "Germany has no intention of sending troops to Ukraine.",
        "en",
        "MOBILIZE",
        "DEU",
        "UKR",
        id="no-intention-of",
    ),
    pytest.param(
        "The Indian prime minister has no plans to visit Pakistan.",
        "en",
        "AGREE",
        "IND",
        "PAK",
        id="no-plans-to",
    ),
    pytest.param(
        "The Ugandan president refrained from criticising Kenya.",
        "en",
        "ACCUSE",
        "UGA",
        "KEN",
        id="refrained-from",
    ),
    pytest.param(
        "The Nigerian president stopped short of criticising Ghana.",
        "en",
        "ACCUSE",
        "NGA",
        "GHA",
        id="stopped-short-of",
    ),
    pytest.param(
        "Japan has failed to sign the treaty with China.",
        "en",
        "SUPPORT",
        "JPN",
        "CHN",
        id="failed-to",
    ),
    pytest.param(
        "Putin is not expected to meet Xi Jinping in Brazil.",
        "en",
        "AGREE",
        "RUS",
        "CHN",
        id="not-expected-to",
    ),
    pytest.param(
        "Le président malien n'a aucune intention de rencontrer son homologue français.",
        "fr",
        "AGREE",
        "MLI",
        "FRA",
        id="fr-aucune-intention-de",
    ),
    pytest.param(
        "Le Niger ne veut pas rencontrer la France.",
        "fr",
        "AGREE",
        "NER",
        "FRA",
        id="fr-ne-veut-pas",
    ),
]


@pytest.mark.parametrize(("text", "lang", "type_", "source", "target"), NEGATED)
def test_negation_scope(
    code: Code, text: str, lang: str, type_: str, source: str, target: str
) -> None:
    rows = code(text, lang)
    hits = find(rows, type_, source, target)
    assert hits, show(rows)
    assert all(r["negated"] for r in hits), show(rows)


def test_not_only_is_no_negation(code: Code) -> None:
    rows = code("Russia not only condemned Poland but also summoned the Polish ambassador.")
    hits = find(rows, "ACCUSE", "RUS", "POL")
    assert hits and not any(r["negated"] for r in hits), show(rows)


# ------------------------------------------------------------------------- hypotheticals

# (text, lang, types that must not be asserted)
HYPOTHETICAL = [
    pytest.param("Iran could attack Israel.", "en", {"ASSAULT"}, id="could"),
    pytest.param("Iran said it might attack Israel.", "en", {"ASSAULT"}, id="said-might"),
    pytest.param(
        "Israel would strike Iran's oil facilities unless Tehran halted its attacks.",
        "en",
        {"ASSAULT"},
        id="would-unless",
    ),
    pytest.param(
        "The Russian president warned France that deploying troops to Ukraine would "
        "risk a wider war.",
        "en",
        {"MOBILIZE"},
        id="clausal-subject-of-would",
    ),
    pytest.param(
        "North Korea is likely to send troops to Russia.",
        "en",
        {"MOBILIZE", "AGREE"},
        id="likely-to",
    ),
    pytest.param("China has possibly sent weapons to Russia.", "en", {"AID"}, id="possibly"),
    pytest.param("L'Iran pourrait attaquer Israël.", "fr", {"ASSAULT"}, id="fr-pourrait"),
]


@pytest.mark.parametrize(("text", "lang", "forbidden"), HYPOTHETICAL)
def test_hypothetical_scope(code: Code, text: str, lang: str, forbidden: set[str]) -> None:
    rows = code(text, lang)
    assert not [r for r in asserted(rows) if r["type"] in forbidden], show(rows)


HYPOTHETICAL_STRIKE = "Israel would strike Iran's oil facilities unless Tehran halted its attacks."


def test_hypothetical_is_not_coded_by_default(code: Code) -> None:
    # CODING.md: code only what the text asserts
    assert not find(code(HYPOTHETICAL_STRIKE), "ASSAULT", "ISR", "IRN")


def test_hypothetical_is_flagged_when_kept() -> None:
    from communique.pipeline import Coder
    from communique.settings import Settings

    coder = Coder(Settings().with_(keep_hypothetical=True))
    rows = extract_text(HYPOTHETICAL_STRIKE, published=PUBLISHED, lang="en", coder=coder)
    hits = find(rows, "ASSAULT", "ISR", "IRN")
    assert hits and all(r["hypothetical"] for r in hits), show(rows)


def test_reported_would_stays_a_plan(code: Code) -> None:
    # "said it would provide": a future in the past, not a hypothetical
    rows = code("Britain said it would provide humanitarian aid to Lebanon.")
    hits = find(rows, "AGREE", "GBR", "LBN")
    assert hits and not any(r["hypothetical"] or r["negated"] for r in hits), show(rows)


def test_even_if_is_a_concession(code: Code) -> None:
    rows = code("Poland said it would send troops to Lithuania even if Germany refused.")
    hits = find(rows, "MOBILIZE", "POL", "LTU")
    assert hits and not any(r["hypothetical"] for r in hits), show(rows)


def test_settled_past_of_a_modal_is_asserted(code: Code) -> None:
    rows = code("Le Mali a pu rencontrer le Niger mardi.", "fr")
    assert find(asserted(rows), "CONSULT", "MLI", "NER"), show(rows)


# ------------------------------------------------------------- aggregates and background

# (text, lang, type): a cumulative tally of undated events is not coded.
AGGREGATE = [
    pytest.param(
        "Muizzu has so far visited Turkey, the UAE and China since assuming office.",
        "en",
        "CONSULT",
        id="so-far-since-assuming-office",
    ),
    pytest.param(
        "Since taking office, the Maldivian president has visited Turkey and China.",
        "en",
        "CONSULT",
        id="since-taking-office",
    ),
    pytest.param(
        "The Turkish president has so far met Putin in Sochi, Tehran and Astana.",
        "en",
        "CONSULT",
        id="so-far-met",
    ),
    pytest.param(
        "The French president has visited Algeria three times.",
        "en",
        "CONSULT",
        id="three-times",
    ),
    pytest.param(
        "The two presidents have met 12 times.",
        "en",
        "CONSULT",
        id="met-12-times",
    ),
    pytest.param(
        "Le président français a jusqu'ici rencontré Vladimir Poutine à Moscou.",
        "fr",
        "CONSULT",
        id="fr-jusqu-ici",
    ),
    pytest.param(
        "Depuis son élection, le président sénégalais a visité la France et la Chine.",
        "fr",
        "CONSULT",
        id="fr-depuis-son-election",
    ),
]


@pytest.mark.parametrize(("text", "lang", "type_"), AGGREGATE)
def test_aggregate_is_not_coded(code: Code, text: str, lang: str, type_: str) -> None:
    rows = code(text, lang)
    assert not [r for r in rows if r["type"] in (type_, "AGREE")], show(rows)


def test_superlative_so_far_keeps_the_event(code: Code) -> None:
    # "its largest attack so far" describes one attack; it is no tally
    rows = code("Russia attacked Kyiv with drones on Tuesday, its largest attack so far.")
    assert [
        r for r in find(asserted(rows), "ASSAULT", "RUS", "UKR") if r["date"] == "2024-09-10"
    ], show(rows)


def test_superlative_a_ce_jour_keeps_the_event(code: Code) -> None:
    rows = code(
        "Mardi, les rebelles houthis avaient lancé leur attaque la plus importante à ce jour "
        "contre les États-Unis.",
        "fr",
    )
    assert [r for r in asserted(rows) if r["type"] == "ASSAULT"], show(rows)
