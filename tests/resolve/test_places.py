"""Finding places in sentences and resolving dateline places (resolve/places.py)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communique.knowledge.places import Gazetteer, fold_place_name, load_gazetteer
from communique.model import Place, TextSpan
from communique.resolve.places import find_places, resolve_place_name

# The country knowledge is another module's job; tests inject a small stand-in.
COUNTRIES = {
    "kazakhstan": "KAZ",
    "azerbaidjan": "AZE",
    "japon": "JPN",
    "koweit": "KWT",
    "mexique": "MEX",
    "ukraine": "UKR",
    "russie": "RUS",
    "kazakhe": "KAZ",
    "republique democratique du congo": "COD",
    "djibouti": "DJI",
}


def country_of(name: str) -> str | None:
    return COUNTRIES.get(fold_place_name(name))


@pytest.fixture(scope="module")
def fr() -> Gazetteer:
    return load_gazetteer("fr")


def places(sentence: str, gazetteer: Gazetteer) -> list[Place]:
    return find_places(sentence, 0, len(sentence), gazetteer, country_of)


def check_spans(text: str, found: list[Place], start: int, end: int) -> None:
    for place in found:
        assert place.span is not None
        assert text[place.span.start : place.span.end] == place.span.text
        assert start <= place.span.start < place.span.end <= end
    spans = [p.span for p in found if p.span is not None]
    assert spans == sorted(spans, key=lambda s: s.start)
    assert all(not a.overlaps(b) for a, b in pairwise(spans))


def test_a_bakou(fr: Gazetteer) -> None:
    text = "« Je serai heureux de voir notre nouvelle réunion à Bakou en novembre », a-t-il dit."
    [baku] = places(text, fr)
    assert (baku.name, baku.country, baku.method) == ("Baku", "AZE", "gazetteer:exonym")
    assert baku.lat == pytest.approx(40.4, abs=0.1)
    assert baku.lon == pytest.approx(49.9, abs=0.1)
    assert baku.span == TextSpan(text.index("Bakou"), text.index("Bakou") + 5, "Bakou")


def test_capital_of_a_country(fr: Gazetteer) -> None:
    text = (
        "Le 9 août, le président Ilham Aliyev a participé à une réunion des chefs d’État "
        "d’Asie centrale dans la capitale du Kazakhstan."
    )
    [astana] = places(text, fr)
    assert (astana.name, astana.country, astana.method) == ("Astana", "KAZ", "capital-of:KAZ")
    assert astana.span is not None and astana.span.text == "la capitale du Kazakhstan"
    check_spans(text, [astana], 0, len(text))


@pytest.mark.parametrize(
    ("phrase", "capital", "iso"),
    [
        ("la capitale de l'Ukraine", "Kyiv", "UKR"),
        ("la capitale de la Russie", "Moscow", "RUS"),
        ("la capitale kazakhe", "Astana", "KAZ"),
        ("la capitale de la République démocratique du Congo", "Kinshasa", "COD"),
    ],
)
def test_capital_phrases(fr: Gazetteer, phrase: str, capital: str, iso: str) -> None:
    text = f"Les ministres se sont retrouvés dans {phrase} lundi."
    [place] = places(text, fr)
    assert (place.name, place.country, place.method) == (capital, iso, f"capital-of:{iso}")
    assert place.span is not None and place.span.text == phrase


def test_offsets_are_absolute_inside_a_longer_text(fr: Gazetteer) -> None:
    before = "Premier paragraphe sans lieu. "
    sentence = "Le ministre s'est rendu au Caire puis à Addis-Abeba et Nairobi."
    text = before + sentence + " Il a fini à Pékin."
    start, end = len(before), len(before) + len(sentence)
    found = find_places(text, start, end, fr, country_of)
    assert [p.name for p in found] == ["Cairo", "Addis Ababa", "Nairobi"]  # not Beijing
    assert [p.span.text for p in found if p.span] == ["Caire", "Addis-Abeba", "Nairobi"]
    check_spans(text, found, start, end)


def test_no_place_no_result(fr: Gazetteer) -> None:
    assert places("Les parties ont discuté des aspects de la coopération bilatérale.", fr) == []
    assert places("", fr) == []


def test_countries_are_actors_not_places(fr: Gazetteer) -> None:
    text = "Masaki Ishikawa, en visite en Azerbaïdjan, a rencontré son homologue au Koweït."
    assert places(text, fr) == []


def test_after_a_town_preposition_the_town_of_a_country_name_is_meant(fr: Gazetteer) -> None:
    [kuwait] = places("La conférence s'est tenue à Koweït.", fr)
    assert (kuwait.name, kuwait.country) == ("Kuwait City", "KWT")
    [djibouti] = places("Il est arrivé à Djibouti.", fr)
    assert djibouti.country == "DJI" and djibouti.name == "Djibouti"


def test_a_common_word_that_is_a_town_needs_a_locative(fr: Gazetteer) -> None:
    # Sucre is Bolivia's capital and the French word for sugar.
    assert fr.lookup("Sucre")
    assert places("Sucre, farine et huile manquent dans les magasins.", fr) == []
    [sucre] = places("Le sommet s'est ouvert à Sucre.", fr)
    assert sucre.country == "BOL"


def test_a_person_named_like_a_town_is_not_a_place(fr: Gazetteer) -> None:
    assert places("Il a parlé à Florence Parly de la situation.", fr) == []
    assert places("La lettre a été remise à Ilham Aliyev.", fr) == []


def test_longest_name_wins(fr: Gazetteer) -> None:
    text = "La réunion aura lieu à Rio de Janeiro puis à Saint-Pétersbourg."
    found = places(text, fr)
    assert [p.span.text for p in found if p.span] == ["Rio de Janeiro", "Saint-Pétersbourg"]
    assert [p.country for p in found] == ["BRA", "RUS"]


def test_a_name_stops_before_a_connector(fr: Gazetteer) -> None:
    [moscow] = places("Le déplacement à Moscou du président a été annoncé.", fr)
    assert moscow.span is not None and moscow.span.text == "Moscou"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Des frappes ont eu lieu près d'Alger.", ["Algiers"]),
        ("Des tirs à l'est de Kharkiv et près du Caire.", ["Kharkiv", "Cairo"]),
        ("Le convoi est allé jusqu'à N'Djamena.", ["N'Djamena"]),
        ("À BAKOU, le sommet s'est ouvert.", ["Baku"]),
        ("Ils ont rejoint La Haye.", []),  # "rejoint" introduces nothing
        ("La Cour siège à La Haye.", ["The Hague"]),
        ("Manifestations au Québec.", []),  # "au" needs a name beginning with "Le"
    ],
)
def test_locative_vocabulary(fr: Gazetteer, text: str, expected: list[str]) -> None:
    found = places(text, fr)
    assert [p.name for p in found] == expected
    check_spans(text, found, 0, len(text))


def test_dateline_names(fr: Gazetteer) -> None:
    for name, expected in [("Bakou", "Baku"), ("PARIS", "Paris"), ("MOSCOU", "Moscow")]:
        place = resolve_place_name(name, fr)
        assert place is not None and place.name == expected, name
    assert resolve_place_name("Atlantide", fr) is None
    span = TextSpan(0, 6, "Bakou,")
    place = resolve_place_name("Bakou,", fr, span=span)
    assert place is not None and place.country == "AZE" and place.span == span
    pekin, beijing = resolve_place_name("Pékin", fr), resolve_place_name("Beijing", fr)
    assert pekin is not None and beijing is not None
    assert pekin.place_id == beijing.place_id


FRAGMENTS = [
    "Le ministre est arrivé à Bakou.",
    "Les discussions ont eu lieu dans la capitale du Kazakhstan",
    "en visite en Azerbaïdjan,",
    "Sucre et farine",
    "près d'Alger et à l'est de Kharkiv",
    "au Caire",
    "à Florence Parly",
    "«",
    "—",
    "à Rio de Janeiro",
    "à",
    "la capitale",
    "Il a déclaré",
    "à N'Djamena",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=8),
    st.text(alphabet="ab ", max_size=5),
    st.data(),
)
def test_spans_are_valid_whatever_the_sentence(
    fr: Gazetteer, parts: list[str], prefix: str, data: st.DataObject
) -> None:
    text = prefix + " ".join(parts)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    check_spans(text, find_places(text, start, end, fr, country_of), start, end)


# ------------------------------------------------------------ a hand-made small world


def test_small_town_named_like_a_word(tmp_path: Path) -> None:
    data, pack = tmp_path / "data", tmp_path / "pack"
    data.mkdir()
    pack.mkdir()
    (data / "places.tsv").write_text(
        "place_id\tname\tascii_name\tcountry\tlat\tlon\tpopulation\tis_capital\n"
        "100\tPaix\tPaix\tZZZ\t1.0\t2.0\t800\t0\n"
        "587084\tBaku\tBaku\tAZE\t40.3777\t49.8920\t2351300\t1\n",
        encoding="utf-8",
    )
    (pack / "places.yaml").write_text(
        "exonyms:\n  Bakou: {id: 587084, name: Baku}\nlocatives:\n  city: [à]\n",
        encoding="utf-8",
    )
    g = load_gazetteer("fr", data_dir=data, pack_dir=pack)
    text = "La Paix est revenue, a dit le ministre à Bakou."
    assert [p.name for p in find_places(text, 0, len(text), g, country_of)] == ["Baku"]
    text = "Le village de Paix a été évacué ; les secours sont arrivés à Paix."
    [paix] = find_places(text, 0, len(text), g, country_of)
    assert paix.span is not None and paix.span.start == text.rindex("Paix")
