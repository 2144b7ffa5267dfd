"""Generate ``src/communique/api/data/countries.geojson`` (the web UI's offline basemap).

The web UI draws country outlines from a committed data file; nothing is fetched at run
time. This script is run by hand when the basemap needs refreshing. Its source is Natural
Earth's 1:110m "Admin 0 - Countries" (public domain), in the copy that the ``geopandas``
0.14.4 wheel ships as ``geopandas/datasets/naturalearth_lowres`` (later geopandas versions
dropped it; the pin keeps the output reproducible).

Set-up (a throwaway environment, not the project's)::

    python3 -m venv /tmp/geo
    /tmp/geo/bin/pip install pyshp==3.1.6
    /tmp/geo/bin/pip download --no-deps geopandas==0.14.4 -d /tmp/gp
    (cd /tmp/gp && unzip -o -q geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*')
    /tmp/geo/bin/python tools/build_basemap.py /tmp/gp/geopandas/datasets/naturalearth_lowres

Output: a GeoJSON FeatureCollection, one feature per country with properties ``iso_a3``
(ISO 3166-1 alpha-3, the store's country key) and ``name``; coordinates rounded to
``DECIMALS`` and rings thinned so that consecutive points are at least ``MIN_STEP_DEG``
apart (the map is drawn a few hundred pixels wide: finer detail is invisible).
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import shapefile  # pyshp

# Two decimals (about 1 km) is far below a pixel on a world map 1,000 px wide.
DECIMALS = 2
# Drop a vertex closer than this (degrees, on either axis) to the last kept one: the file
# stays small (about 200 KB) while coastlines keep their recognisable shape.
MIN_STEP_DEG = 0.15

# The Natural Earth 110m table gives "-99" as iso_a3 for a few countries whose ISO code is
# tied to a different admin unit; the codes below are the ones the knowledge base uses.
ISO_FIXES = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX"}

OUT = Path(__file__).resolve().parent.parent / "src/communique/api/data/countries.geojson"


def _thin(ring: list[tuple[float, float]]) -> list[list[float]]:
    kept: list[list[float]] = []
    for x, y in ring:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if kept and max(abs(point[0] - kept[-1][0]), abs(point[1] - kept[-1][1])) < MIN_STEP_DEG:
            continue
        kept.append(point)
    if len(kept) < 4:  # a ring needs three distinct points plus closure
        return []
    if kept[0] != kept[-1]:
        kept.append(kept[0])
    return kept


def _rings(shape: shapefile.Shape) -> list[list[list[float]]]:
    parts = [*shape.parts, len(shape.points)]
    rings = []
    for start, end in itertools.pairwise(parts):
        ring = _thin([(p[0], p[1]) for p in shape.points[start:end]])
        if ring:
            rings.append(ring)
    return rings


def build(source: Path) -> dict:
    reader = shapefile.Reader(str(source / "naturalearth_lowres"))  # .cpg gives the encoding
    features = []
    for record, shape in zip(reader.records(), reader.shapes(), strict=True):
        row = record.as_dict()
        name = row["name"]
        iso = ISO_FIXES.get(name, row["iso_a3"])
        # Each outer ring (clockwise in shapefiles) starts a polygon; holes are rare at
        # this scale and the UI fills with even-odd, so every ring is its own polygon.
        polygons = [[ring] for ring in _rings(shape)]
        if not polygons:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"iso_a3": iso, "name": name},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    features.sort(key=lambda f: f["properties"]["iso_a3"] + f["properties"]["name"])
    return {
        "type": "FeatureCollection",
        "attribution": "Natural Earth 1:110m Admin 0 countries (public domain), simplified",
        "features": features,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    collection = build(Path(argv[0]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(collection['features'])} countries, {OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
