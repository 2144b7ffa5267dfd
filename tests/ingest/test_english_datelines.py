"""English wire datelines: the place, the date and the agency, and where the body starts."""

from __future__ import annotations

import pytest

from communique.ingest.structure import parse_header


@pytest.mark.parametrize(
    ("text", "place", "date_text", "agency", "body"),
    [
        ("BAKU, March 3 (Reuters) - The minister met", "BAKU", "March 3", "Reuters", "The"),
        ("WASHINGTON (AP) — The envoy said", "WASHINGTON", None, "AP", "The"),
        ("BEIJING, Jan. 5 (Xinhua) -- China and", "BEIJING", "Jan. 5", "Xinhua", "China"),
        ("MOSCOW, February 15. /TASS/. The ministry said", "MOSCOW", "February 15", "TASS", "The"),
        ("Baku, April 12, APA. Units of the army", "Baku", "April 12", "APA", "Units"),
        ("ASTANA. KAZINFORM – Head of State Tokayev", "ASTANA", None, "Kazinform", "Head"),
        ("New Delhi, May 10 (PTI) The minister held", "New Delhi", "May 10", "PTI", "The"),
    ],
)
def test_english_datelines(
    text: str, place: str, date_text: str | None, agency: str, body: str
) -> None:
    header = parse_header(text)
    assert header.dateline is not None
    assert header.dateline.place is not None and header.dateline.place.text == place
    got_date = header.dateline.date_text.text if header.dateline.date_text else None
    assert got_date == date_text
    assert header.dateline.agency == agency
    assert text[header.body_start :].startswith(body)


@pytest.mark.parametrize(
    "text",
    [
        "Emmanuel Macron, AFP. He said nothing.",  # a name, not an all-caps place, no date
        "The minister (AFP) said on Monday.",  # a sentence with an agency in it
        "Le ministre a dit. Il part.",
    ],
)
def test_sentences_are_not_datelines(text: str) -> None:
    assert parse_header(text).dateline is None
