"""The GDELT-like and POLECAT-like tables: tab-separated, one line per dyadic event row,
a header line first. Each layout is a list of (column, SQL expression); ``None`` marks a
column of the original layout that communique has nothing for, written empty. The README
("Exports and programmatic use") has the table of what maps to what.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, BinaryIO

from communique.export.source import events_sql, stream

if TYPE_CHECKING:
    from communique.query import EventFilter
    from communique.store.sql import SqlStore

Layout = Sequence[tuple[str, str | None]]

# Tabs and line breaks would break a tab-separated line (GDELT files have no quoting).
_BREAKS = re.compile(r"[\t\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")

_DAY = 'length(e."date") = 10'


def _actor_code(side: str) -> str:
    """CAMEO-style actor code: country + sector (JPNGOV), else sector + org for IGOs and
    NGOs (IGOUNO), else the org code."""
    return (
        f"CASE WHEN e.{side}_country IS NOT NULL "
        f"THEN e.{side}_country || coalesce(e.{side}_sector, '') "
        f"WHEN e.{side}_org IS NOT NULL THEN "
        f"(CASE WHEN e.{side}_sector IN ('IGO', 'NGO') THEN e.{side}_sector ELSE '' END) "
        f"|| e.{side}_org END"
    )


def _gdelt_actor(n: int, side: str) -> list[tuple[str, str | None]]:
    p = f"Actor{n}"
    return [
        (f"{p}Code", _actor_code(side)),
        (f"{p}Name", f"e.{side}_name"),
        (f"{p}CountryCode", f"e.{side}_country"),
        (f"{p}KnownGroupCode", f"e.{side}_org"),
        (f"{p}EthnicCode", None),
        (f"{p}Religion1Code", None),
        (f"{p}Religion2Code", None),
        (f"{p}Type1Code", f"e.{side}_sector"),
        (f"{p}Type2Code", None),
        (f"{p}Type3Code", None),
    ]


def _gdelt_geo(prefix: str, located: bool) -> list[tuple[str, str | None]]:
    return [
        (f"{prefix}_Type", None),
        (f"{prefix}_FullName", "e.location_name" if located else None),
        (f"{prefix}_CountryCode", "e.location_country" if located else None),
        (f"{prefix}_ADM1Code", None),
        (f"{prefix}_Lat", "e.location_lat" if located else None),
        (f"{prefix}_Long", "e.location_lon" if located else None),
        (f"{prefix}_FeatureID", None),
    ]


# The 58 fields of a GDELT 1.0 daily event file (codebook v1.03), in order.
GDELT_LAYOUT: Layout = [
    ("GLOBALEVENTID", "e.event_id"),
    ("SQLDATE", f"CASE WHEN {_DAY} THEN replace(e.\"date\", '-', '') END"),
    (
        "MonthYear",
        "CASE WHEN length(e.\"date\") >= 7 THEN replace(left(e.\"date\", 7), '-', '') END",
    ),
    ("Year", 'CASE WHEN length(e."date") >= 4 THEN left(e."date", 4) END'),
    (
        "FractionDate",
        # rounded as a decimal, then a float again: PostgreSQL rounds no float to places
        f"CASE WHEN {_DAY} THEN CAST(round(CAST(extract(year FROM e.date_lo) + "
        "(extract(month FROM e.date_lo) * 30 + extract(day FROM e.date_lo)) / 365.0 "
        "AS NUMERIC(18, 8)), 4) AS FLOAT8) END",
    ),
    *_gdelt_actor(1, "source"),
    *_gdelt_actor(2, "target"),
    ("IsRootEvent", "CASE WHEN e.sentence_index = 0 THEN 1 ELSE 0 END"),
    ("EventCode", "e.cameo"),
    ("EventBaseCode", "left(e.cameo, 3)"),
    ("EventRootCode", "left(e.cameo, 2)"),
    ("QuadClass", "e.quad"),
    ("GoldsteinScale", "e.intensity"),
    ("NumMentions", "1"),
    ("NumSources", "1"),
    ("NumArticles", "1"),
    ("AvgTone", None),
    *_gdelt_geo("Actor1Geo", located=False),
    *_gdelt_geo("Actor2Geo", located=False),
    *_gdelt_geo("ActionGeo", located=True),
    ("DATEADDED", "replace(CAST(CAST(a.ingested_at AS DATE) AS VARCHAR), '-', '')"),
    ("SOURCEURL", "coalesce(a.url, a.source)"),
]


def _polecat_actor(prefix: str, side: str) -> list[tuple[str, str | None]]:
    return [
        (f"{prefix} Name", f"e.{side}_name"),
        (f"{prefix} Country", f"e.{side}_country"),
        (f"{prefix} COW", None),
        (f"Primary {prefix} Sector", f"e.{side}_sector"),
        (f"{prefix} Sectors", f"e.{side}_sector"),
        (f"{prefix} Title", f"e.{side}_role"),
        (f"{prefix} Name Raw", f"e.{side}_name"),
        (f"Wikipedia {prefix} ID", None),
    ]


# The columns of POLECAT's public weekly files, in order, then five of ours.
POLECAT_LAYOUT: Layout = [
    ("Event ID", "e.event_id"),
    ("Event Date", 'e."date"'),
    ("Event Type", 'e."type"'),
    ("Event Mode", 'e."mode"'),
    ("Event Intensity", "e.intensity"),
    ("Quad Code", "e.quad"),
    ("Contexts", "array_to_string(e.contexts, ';')"),
    *_polecat_actor("Actor", "source"),
    *_polecat_actor("Recipient", "target"),
    ("Placename", "e.location_name"),
    ("City", None),
    ("District", None),
    ("Province", None),
    ("Country", "e.location_country"),
    ("Latitude", "e.location_lat"),
    ("Longitude", "e.location_lon"),
    ("GeoNames ID", None),
    ("Raw Placename", "e.location_name"),
    ("Feature Type", None),
    ("Source", "a.source"),
    ("Publication Date", "coalesce(CAST(a.published AS VARCHAR), a.published_month)"),
    ("Story People", "s.people"),
    ("Story Organizations", "s.organizations"),
    ("Story Locations", "l.locations"),
    ("Language", "a.lang"),
    ("Version", "e.coder_version"),
    # ours, after POLECAT's own columns so that positional readers still work
    ("Event Text", "e.evidence_text"),
    ("Story ID", "e.article_id"),
    ("Mention ID", "e.mention_id"),
    ("Headline", "a.title"),
    ("Feed", "a.origin"),
]

# Per-article lists for POLECAT's Story People / Organizations / Locations columns.
_POLECAT_JOINS = (
    " LEFT JOIN (SELECT article_id,"
    " string_agg(DISTINCT name, ';' ORDER BY name) FILTER (WHERE kind = 'person') AS people,"
    " string_agg(DISTINCT name, ';' ORDER BY name) FILTER (WHERE kind IN ('org', 'group'))"
    " AS organizations"
    " FROM actors GROUP BY article_id) s ON s.article_id = e.article_id"
    " LEFT JOIN (SELECT article_id,"
    " string_agg(DISTINCT location_name, ';' ORDER BY location_name) AS locations"
    " FROM events GROUP BY article_id) l ON l.article_id = e.article_id"
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _BREAKS.sub(" ", value)
    return str(value)


def _write_layout(
    store: SqlStore, flt: EventFilter, out: BinaryIO, layout: Layout, joins: str
) -> int:
    select = [f"{expr or 'NULL'} AS c{i}" for i, (_, expr) in enumerate(layout)]
    sql, params = events_sql(flt, select, join_articles=True, extra_joins=joins)
    _, batches = stream(store, sql, params)
    out.write(("\t".join(name for name, _ in layout) + "\n").encode("utf-8"))
    count = 0
    for batch in batches:
        columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        lines = ["\t".join(_cell(v) for v in row) + "\n" for row in zip(*columns, strict=True)]
        out.write("".join(lines).encode("utf-8"))
        count += len(lines)
    return count


def write_gdelt(store: SqlStore, flt: EventFilter, out: BinaryIO) -> int:
    """GDELT 1.0 event table layout (58 tab-separated fields, plus a header line)."""
    return _write_layout(store, flt, out, GDELT_LAYOUT, "")


def write_polecat(store: SqlStore, flt: EventFilter, out: BinaryIO) -> int:
    """POLECAT weekly-file layout (tab-separated, header line), plus five columns of ours."""
    return _write_layout(store, flt, out, POLECAT_LAYOUT, _POLECAT_JOINS)
