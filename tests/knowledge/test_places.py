"""The gazetteer: loading, validation, lookups (knowledge/places.py and its data files)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communique.errors import DataFileError
from communique.knowledge.places import (
    DATA_DIR,
    PACK_FILE,
    PLACES_FILE,
    Gazetteer,
    fold_place_name,
    load_gazetteer,
    read_places,
    tokenize,
)

REPO = Path(__file__).resolve().parents[2]
HEADER = "place_id\tname\tascii_name\tcountry\tlat\tlon\tpopulation\tis_capital\talternates"

# A small world, written by hand: two cities share a name, one of them a capital.
ROWS = [
    "587084\tBaku\tBaku\tAZE\t40.3777\t49.8920\t2351300\t1\t",
    "1526273\tAstana\tAstana\tKAZ\t51.1801\t71.4460\t1544142\t1\tNur-Sultan",
    "1\tSpringfield\tSpringfield\tUSA\t39.8017\t-89.6437\t116250\t0\t",
    "2\tSpringfield\tSpringfield\tUSA\t42.1015\t-72.5898\t155929\t0\t",
    "3\tMarin\tMarin\tAAA\t10.0000\t10.0000\t5000\t1\t",
    "4\tMarin\tMarin\tBBB\t11.0000\t11.0000\t900000\t0\t",
    "5\tŁódź\tLodz\tPOL\t51.7706\t19.4739\t768755\t0\t",
]
PACK = """\
exonyms:
  Bakou: {id: 587084, name: Baku}
  Nour-Soultan: {id: 1526273, name: Astana}
locatives:
  city: [à]
  area: [en, près de]
contractions:
  à: {au: le}
  de: {"d'": null, du: le}
coordination: [et]
name_connectors: [de]
capital_of:
  heads: [capitale]
  determiners: [la]
  links: [de]
  articles: [la, "l'"]
  adjectives: true
"""


def write_world(
    tmp_path: Path, rows: list[str] | None = None, pack: str = PACK, header: str = HEADER
) -> tuple[Path, Path]:
    data, packs = tmp_path / "data", tmp_path / "pack"
    data.mkdir(exist_ok=True)
    packs.mkdir(exist_ok=True)
    lines = ["# a comment line, skipped", header, *(ROWS if rows is None else rows)]
    (data / PLACES_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (packs / PACK_FILE).write_text(pack, encoding="utf-8")
    return data, packs


def small(tmp_path: Path) -> Gazetteer:
    data, packs = write_world(tmp_path)
    return load_gazetteer("fr", data_dir=data, pack_dir=packs)


@pytest.fixture(scope="module")
def fr() -> Gazetteer:
    return load_gazetteer("fr")


# ------------------------------------------------------------------- the shipped data


def test_bakou_is_baku_in_azerbaijan(fr: Gazetteer) -> None:
    found = fr.lookup("Bakou")
    assert found, "Bakou must resolve"
    baku = found[0]
    assert baku.country == "AZE"
    assert baku.name == "Baku"
    assert baku.lat == pytest.approx(40.4, abs=0.1)
    assert baku.lon == pytest.approx(49.9, abs=0.1)
    assert fr.best("Bakou") == (baku, "exonym")


@pytest.mark.parametrize("spelling", ["PARIS", "paris", "Paris", "PÂRIS"])
def test_case_and_accents_do_not_matter(fr: Gazetteer, spelling: str) -> None:
    found = fr.lookup(spelling)
    assert found and found[0].name == "Paris" and found[0].country == "FRA"


def test_french_and_english_names_are_the_same_place(fr: Gazetteer) -> None:
    pekin, beijing = fr.lookup("Pékin"), fr.lookup("Beijing")
    assert pekin and beijing
    assert pekin[0] == beijing[0]
    assert pekin[0].country == "CHN"
    assert fr.lookup("PEKIN")[0] == beijing[0]
    assert fr.lookup("Moscou")[0] == fr.lookup("Moscow")[0]


@pytest.mark.parametrize(
    ("a", "b"),
    [("Addis-Abeba", "ADDIS ABEBA"), ("N'Djamena", "Ndjamena"), ("N’Djamena", "n'djamena")],
)
def test_hyphens_and_apostrophes_do_not_matter(fr: Gazetteer, a: str, b: str) -> None:
    assert fr.lookup(a)
    assert fr.lookup(a) == fr.lookup(b)


def test_capital_of(fr: Gazetteer) -> None:
    astana = fr.capital_of("KAZ")
    assert astana is not None and astana.name == "Astana" and astana.is_capital
    assert fr.capital_of("kaz") == astana
    capital = fr.capital_of("AZE")
    assert capital is not None and capital.name == "Baku"
    assert fr.capital_of("XXX") is None


def test_exonym_wins_over_namesakes(fr: Gazetteer) -> None:
    # Two Tripolis are in the table; the French pack means Libya's.
    tripolis = fr.lookup("Tripoli")
    assert len(tripolis) >= 2
    assert tripolis[0].country == "LBY"


def test_shipped_table_is_small_and_sane(fr: Gazetteer) -> None:
    assert (DATA_DIR / PLACES_FILE).stat().st_size < 400_000
    entries = read_places(DATA_DIR / PLACES_FILE)
    assert len(fr) == len(entries)
    assert 3_000 <= len(entries) <= 6_000
    capitals = {e.country: e for e in entries if e.is_capital}
    assert len(capitals) >= 190  # every UN member and most territories
    for country, capital in capitals.items():
        assert fr.capital_of(country) == capital


def test_names_feed_a_matcher(fr: Gazetteer) -> None:
    names = fr.names()
    assert {"Bakou", "Baku", "Pékin", "Beijing"} <= set(names)
    assert list(names) == sorted(names)
    for name in ("Bakou", "Le Caire", "Nour-Soultan"):
        assert fr.lookup(name), name


def test_loading_twice_reuses_the_index() -> None:
    assert load_gazetteer("fr") is load_gazetteer("fr")


# ---------------------------------------------------------------- ranking (hand-made)


def test_capitals_first_then_larger_population(tmp_path: Path) -> None:
    g = small(tmp_path)
    marins = g.lookup("marin")
    assert [m.country for m in marins] == ["AAA", "BBB"]  # the capital, though smaller
    springfields = g.lookup("SPRINGFIELD")
    assert [s.place_id for s in springfields] == ["2", "1"]  # the larger first


def test_alternates_and_ascii_forms_are_indexed(tmp_path: Path) -> None:
    g = small(tmp_path)
    assert g.best("Nur-Sultan") == (g.get("1526273"), "alternate")
    assert g.best("Nour Soultan") == (g.get("1526273"), "exonym")
    assert g.lookup("LODZ") == g.lookup("Łódź") == [g.get("5")]


def test_vocabulary_expands_contractions(tmp_path: Path) -> None:
    vocab = small(tmp_path).vocabulary
    assert vocab.locatives[("a",)].city
    au = vocab.locatives[("au",)]
    assert au.city and au.article == "le"
    assert not vocab.locatives[("pres", "de")].city
    assert ("pres", "d") in vocab.locatives
    assert ("pres", "du") in vocab.locatives
    assert {("de",), ("d",), ("du",)} <= vocab.capital_links
    assert vocab.capital_adjectives


# ------------------------------------------------------------------- malformed files


def _where(exc: pytest.ExceptionInfo[DataFileError]) -> str:
    return exc.value.where or ""


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("9\tNowhere\tNowhere\tAZE\t95.0\t10.0\t10\t0\t", "lat"),
        ("9\tNowhere\tNowhere\tAZE\t10.0\t-181\t10\t0\t", "lon"),
        ("9\tNowhere\tNowhere\tAZE\tnan\t10.0\t10\t0\t", "lat"),
        ("9\tNowhere\tNowhere\tAZE\tnorth\t10.0\t10\t0\t", "lat"),
        ("x9\tNowhere\tNowhere\tAZE\t10.0\t10.0\t10\t0\t", "place_id"),
        ("9\tNowhere\tNowhere\tAZ\t10.0\t10.0\t10\t0\t", "alpha-3"),
        ("9\tNowhere\tNowhere\tAZE\t10.0\t10.0\t-3\t0\t", "population"),
        ("9\tNowhere\tNowhere\tAZE\t10.0\t10.0\t10\tyes\t", "is_capital"),
        ("9\t\tNowhere\tAZE\t10.0\t10.0\t10\t0\t", "name"),
        ("9\tNowhere\tAZE\t10.0\t10.0\t10\t0\t", "fields"),
        ("587084\tBaku again\tBaku\tAZE\t40.0\t49.0\t10\t0\t", "duplicate place_id"),
        ("9\tGanja\tGanja\tAZE\t40.0\t46.0\t10\t1\t", "second capital"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path: Path, bad_row: str, message: str) -> None:
    data, packs = write_world(tmp_path, rows=[*ROWS, bad_row])
    with pytest.raises(DataFileError) as exc:
        load_gazetteer("fr", data_dir=data, pack_dir=packs)
    # line 1 is a comment, line 2 the header, then the good rows, then the bad one
    bad_line = 2 + len(ROWS) + 1
    assert _where(exc) == f"{(data / PLACES_FILE).resolve()}:{bad_line}"
    assert message in exc.value.message
    assert exc.value.code == "C200"
    assert exc.value.hint


def test_unknown_column_is_refused_at_the_header(tmp_path: Path) -> None:
    data, packs = write_world(tmp_path, header=HEADER + "\tnickname")
    with pytest.raises(DataFileError, match="unknown column") as exc:
        load_gazetteer("fr", data_dir=data, pack_dir=packs)
    assert _where(exc).endswith(f"{PLACES_FILE}:2")


def test_missing_column_is_refused(tmp_path: Path) -> None:
    header = HEADER.replace("\tpopulation", "")
    rows = ["\t".join(r.split("\t")[:6] + r.split("\t")[7:]) for r in ROWS]
    data, packs = write_world(tmp_path, rows=rows, header=header)
    with pytest.raises(DataFileError, match="missing column"):
        load_gazetteer("fr", data_dir=data, pack_dir=packs)


def test_missing_files_say_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as exc:
        load_gazetteer("fr", data_dir=tmp_path / "nowhere", pack_dir=tmp_path)
    assert "build_gazetteer" in (exc.value.hint or "")
    data, packs = write_world(tmp_path)
    (packs / PACK_FILE).unlink()
    with pytest.raises(DataFileError) as exc:
        load_gazetteer("fr", data_dir=data, pack_dir=packs)
    assert _where(exc).endswith(PACK_FILE)


@pytest.mark.parametrize(
    ("pack", "line", "message"),
    [
        (PACK.replace("587084, name: Baku", "999, name: Baku"), 2, "not in places.tsv"),
        (PACK.replace("name: Baku", "name: Ganja"), 2, "not 'Ganja'"),
        (PACK.replace("  Bakou: {id: 587084, name: Baku}", "  Bakou: 587084"), 2, "must be"),
        (PACK.replace("exonyms:", "exonyms:\n  Bakou: {id: 1, name: x}"), 3, "duplicate key"),
        (PACK.replace("exonyms:", "places:"), 1, "unknown section"),
        (PACK.replace("city: [à]", "town: [à]"), 5, "unknown locative kind"),
        (PACK.replace("area: [en, près de]", "area: [en, à]"), 5, "listed twice"),
        (PACK.replace("adjectives: true", "adjectives: maybe"), 17, "true or false"),
        (PACK.replace("{id: 587084, name: Baku}", "{id: 587084, name: Baku"), 3, "invalid YAML"),
        (PACK.replace("  Bakou:", "  no:"), 2, "not text"),
    ],
)
def test_bad_pack_names_file_and_line(tmp_path: Path, pack: str, line: int, message: str) -> None:
    data, packs = write_world(tmp_path, pack=pack)
    with pytest.raises(DataFileError) as exc:
        load_gazetteer("fr", data_dir=data, pack_dir=packs)
    assert message in exc.value.message
    assert _where(exc) == f"{(packs / PACK_FILE).resolve()}:{line}"


def test_two_exonyms_reading_alike_for_different_places(tmp_path: Path) -> None:
    pack = PACK.replace(
        "  Nour-Soultan: {id: 1526273, name: Astana}",
        "  Nour-Soultan: {id: 1526273, name: Astana}\n  BAKOU: {id: 1526273, name: Astana}",
    )
    data, packs = write_world(tmp_path, pack=pack)
    with pytest.raises(DataFileError, match="reads like the one on line 2"):
        load_gazetteer("fr", data_dir=data, pack_dir=packs)


def test_bad_language_code() -> None:
    with pytest.raises(DataFileError, match="language"):
        load_gazetteer("../fr")


# ---------------------------------------------------------------------- folding


_NAME_CHARS = st.sampled_from(list("abcdeéèêëàâçïîôöüùûÿñłøABCÉÈÀÇÏÔŁØ -'’"))


@given(st.text(_NAME_CHARS, max_size=30))
def test_fold_is_idempotent_and_ignores_case(name: str) -> None:
    key = fold_place_name(name)
    assert fold_place_name(key) == key
    assert fold_place_name(name.upper()) == key
    assert key == key.strip() and "  " not in key
    assert key.isascii()


@given(st.lists(st.text("abcdéè", min_size=1, max_size=8), min_size=1, max_size=4))
def test_fold_reads_hyphens_as_spaces(words: list[str]) -> None:
    assert fold_place_name("-".join(words)) == fold_place_name(" ".join(words))


@given(st.text(max_size=80))
def test_token_offsets_index_the_text(text: str) -> None:
    previous_end = 0
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
        assert token.start >= previous_end
        previous_end = token.end


def test_elisions_are_split_but_names_are_not() -> None:
    words = [t.text for t in tokenize("près d'Alger, jusqu'à N'Djamena")]
    assert words == ["près", "d'", "Alger", "jusqu'", "à", "N'Djamena"]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_gazetteer", REPO / "tools/build_gazetteer.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_folds_like_the_loader() -> None:
    """tools/build_gazetteer.py cannot import the project; its key rule must still agree."""
    tool = _generator()
    for entry in read_places(DATA_DIR / PLACES_FILE):
        assert tool.fold(entry.name) == fold_place_name(entry.name), entry.name
        assert tool.ascii_form(entry.name) == entry.ascii_name
