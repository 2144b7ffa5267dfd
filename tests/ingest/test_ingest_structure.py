"""Header structure: rubric, headline, dateline variants, body start."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from communique.ingest import parse_header, read_text
from communique.model import TextSpan
from communique.settings import Settings

SEED_000 = Path("/work/shared/seeds/000_ba2d6775b7985a1c.txt")


def assert_span(text: str, span: TextSpan | None) -> None:
    assert span is not None
    assert text[span.start : span.end] == span.text


OPENING = [
    # (first paragraph, place, date text, agency, parsed date, start of the body)
    ("PARIS, 12 mars 2024 (AFP) - Le conseil s'est réuni.", "PARIS", "12 mars 2024", "AFP",
     date(2024, 3, 12), "Le conseil"),
    ("MOSCOU, 5 avril (Reuters) -Les pourparlers ont repris.", "MOSCOU", "5 avril", "Reuters",
     None, "Les pourparlers"),
    ("Pékin, 2 juin (Xinhua) -- Une délégation est arrivée.", "Pékin", "2 juin", "Xinhua",
     None, "Une délégation"),
    ("Alger, 3 fév. (APS) - Le sommet s'ouvre demain.", "Alger", "3 fév.", "APS", None,
     "Le sommet"),
    ("Rabat, 14/05/2024 (MAP) - Un accord a été paraphé.", "Rabat", "14/05/2024", "MAP",
     date(2024, 5, 14), "Un accord"),
    ("ANKARA (AA) - Le ministre a démenti.", "ANKARA", None, "Anadolu", None, "Le ministre"),
    ("Washington, le 3 mai - La séance est levée.", "Washington", "3 mai", None, None,
     "La séance"),
    ("KIEV, 3 oct 2024 (AFP) - Des sirènes ont retenti.", "KIEV", "3 oct 2024", "AFP",
     date(2024, 10, 3), "Des sirènes"),
    ("Rio de Janeiro, 1er juillet 2024 (EFE) — Le forum s'achève.", "Rio de Janeiro",
     "1er juillet 2024", "EFE", date(2024, 7, 1), "Le forum"),
    ("PARIS (AFP) Le gouvernement a tranché.", "PARIS", None, "AFP", None, "Le gouvernement"),
    ("LONDRES - Le scrutin est clos.", "LONDRES", None, None, None, "Le scrutin"),
    ("Nairobi, mardi 4 juin 2024 (Agence de presse inventée) - Un texte.", "Nairobi",
     "mardi 4 juin 2024", "Agence de presse inventée", date(2024, 6, 4), "Un texte"),
]  # fmt: skip


@pytest.mark.parametrize(("para", "place", "date_text", "agency", "value", "body"), OPENING)
def test_dateline_opening_the_first_paragraph(
    para: str, place: str, date_text: str | None, agency: str | None, value: date | None, body: str
) -> None:
    text = "Un titre sans point final\n" + para + "\nSecond paragraphe."
    header = parse_header(text)
    dl = header.dateline
    assert dl is not None
    assert_span(text, dl.span)
    assert_span(text, dl.place)
    assert dl.place is not None and dl.place.text == place
    if date_text is None:
        assert dl.date_text is None
    else:
        assert_span(text, dl.date_text)
        assert dl.date_text is not None and dl.date_text.text == date_text
    assert dl.agency == agency
    assert header.dateline_date == value
    assert text[header.body_start :].startswith(body)
    assert header.headline is not None and header.headline.text == "Un titre sans point final"
    assert dl.span.start == text.index(para)


@pytest.mark.parametrize(
    "para",
    [
        "Emmanuel Dupont (AFP) a quitté la salle.",
        "Le président - qui rentrait de voyage - a parlé.",
        "Paris - la ville - accueille le sommet.",
        "Le 9 août, le président a participé à une réunion.",
        "Selon le ministre, 300 personnes ont été évacuées - un record.",
    ],
)
def test_ordinary_sentences_are_not_datelines(para: str) -> None:
    header = parse_header(para + "\nSuite du texte.")
    assert header.dateline is None
    assert header.body_start == 0


def test_own_line_dateline_with_rubric_and_headline() -> None:
    text = (
        "DIPLOMATIE\n"
        "Deux ministres évoquent l’énergie\n"
        "Tbilissi, 4 mars, Kazinform\n"
        "Le ministre a reçu son homologue.\n"
    )
    header = parse_header(text)
    assert header.rubric is not None and header.rubric.text == "DIPLOMATIE"
    assert header.headline is not None and header.headline.text.startswith("Deux ministres")
    dl = header.dateline
    assert dl is not None and dl.span.text == "Tbilissi, 4 mars, Kazinform"
    assert dl.place is not None and dl.place.text == "Tbilissi"
    assert dl.date_text is not None and dl.date_text.text == "4 mars"
    assert dl.agency == "Kazinform"
    assert header.dateline_date is None  # no year: left to the caller
    assert text[header.body_start :].startswith("Le ministre")
    for span in (header.rubric, header.headline, dl.span, dl.place, dl.date_text):
        assert_span(text, span)


def test_own_line_dateline_with_year_and_parenthesised_agency() -> None:
    header = parse_header("Astana, 9 août 2024 (Kazinform)\nLe sommet s’est tenu.")
    assert header.dateline is not None and header.dateline.agency == "Kazinform"
    assert header.dateline_date == date(2024, 8, 9)


def test_month_and_year_only() -> None:
    header = parse_header("Bruxelles, novembre 2024 (Belga) - Un texte suit.")
    assert header.dateline_date is None
    assert header.dateline_month == "2024-11"


def test_impossible_date_gives_no_value() -> None:
    header = parse_header("Bruxelles, 31 février 2024 (Belga) - Un texte suit.")
    assert header.dateline is not None
    assert header.dateline_date is None


def test_plain_body_has_no_header() -> None:
    text = "Le sommet s’est ouvert ce matin.\nLes délégations sont arrivées."
    header = parse_header(text)
    assert (header.rubric, header.headline, header.dateline, header.body_start) == (
        None,
        None,
        None,
        0,
    )


def test_headline_then_body_without_dateline() -> None:
    text = "Accord sur le gaz\nLes deux pays ont conclu un accord."
    header = parse_header(text)
    assert header.headline is not None and header.headline.text == "Accord sur le gaz"
    assert header.body_start == text.index("Les deux")


def test_empty_text() -> None:
    header = parse_header("")
    assert header.dateline is None and header.body_start == 0


def test_seed_000_structure() -> None:
    article = read_text(SEED_000.read_bytes(), origin=str(SEED_000), settings=Settings())
    text = article.text
    assert article.rubric is not None and article.rubric.text == "POLITIQUE"
    assert article.headline is not None and "Japon" in article.headline.text
    dl = article.dateline
    assert dl is not None
    assert dl.place is not None and dl.place.text == "Bakou"
    assert dl.agency == "AZERTAC"
    assert dl.date_text is not None and dl.date_text.text == "29 novembre"
    assert article.published is None  # the dateline has no year
    assert text[article.body_start :].startswith("Le vice-ministre")
    for span in (article.rubric, article.headline, dl.span, dl.place, dl.date_text):
        assert_span(text, span)
    assert "saluées" in text  # the seed's text is kept as written
    assert article.lang == "fr"


def test_seed_000_with_published_argument() -> None:
    article = read_text(
        SEED_000.read_bytes(), origin="seed", settings=Settings(), published=date(2024, 11, 29)
    )
    assert article.published == date(2024, 11, 29)
    assert article.meta["published_from"] == "argument"
