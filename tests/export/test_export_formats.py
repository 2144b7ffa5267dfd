"""Every export format, parsed back: columns, values, and row counts that add up."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from export_builders import ALL_ROWS, VERSION, batch, build_store

from communique.export import FORMATS, export_events
from communique.export.layouts import GDELT_LAYOUT, POLECAT_LAYOUT
from communique.model import event_rows
from communique.model.plover import PLOVER_TYPES
from communique.query import EventFilter, find_events
from communique.store.base import ROW_COLUMNS

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("export") / "events.duckdb")


def run(store: Path, fmt: str, flt: EventFilter | None = None) -> tuple[bytes, int]:
    buf = io.BytesIO()
    report = export_events(store, fmt, buf, flt)
    return buf.getvalue(), report.rows


def tsv(data: bytes) -> list[list[str]]:
    return [line.split("\t") for line in data.decode("utf-8").splitlines()]


def test_jsonl_is_the_events_shape(store: Path) -> None:
    data, rows = run(store, "jsonl")
    parsed = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    assert rows == len(parsed) == ALL_ROWS
    assert parsed == find_events(store, EventFilter())
    expected = {r["event_id"] for c in batch() for r in event_rows(c, VERSION)}
    assert {r["event_id"] for r in parsed} == expected


def test_jsonl_filtered(store: Path) -> None:
    data, rows = run(store, "jsonl", EventFilter.parse(dyad="jpn-aze"))
    parsed = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    assert rows == len(parsed) == 1
    assert parsed[0]["type"] == "CONSULT"
    assert all({r["source"]["country"], r["target"]["country"]} == {"AZE", "JPN"} for r in parsed)


def test_csv_columns_and_values(store: Path) -> None:
    data, rows = run(store, "csv")
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert rows == len(parsed) == ALL_ROWS
    assert list(parsed[0]) == list(ROW_COLUMNS)
    consult = next(r for r in parsed if r["type"] == "CONSULT")
    assert consult["contexts"] == "diplomatic;economic"
    assert consult["location_lat"] == "40.38"
    assert consult["negated"] == "false"
    odd = next(r for r in parsed if r["type"] == "ACCUSE")
    assert odd["source_name"] == 'Jean "le\tSage"\nDupont'  # quoted, not broken


def test_parquet_round_trip(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    report = export_events(store, "parquet", out, EventFilter.parse(since="2024-12-01"))
    table = pq.read_table(out)
    assert table.column_names == list(ROW_COLUMNS)
    assert report.rows == table.num_rows == 3  # the month covers the since day, 2 days
    assert not (tmp_path / "events.parquet.part").exists()
    contexts = table.column("contexts").to_pylist()
    assert all(isinstance(c, list) for c in contexts)


def test_empty_selection_still_writes_a_valid_file(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.parquet"
    report = export_events(store, "parquet", out, EventFilter.parse(type="PROTEST"))
    assert report.rows == 0
    assert pq.read_table(out).num_rows == 0
    data, rows = run(store, "gdelt", EventFilter.parse(type="PROTEST"))
    assert rows == 0 and len(tsv(data)) == 1  # the header


def test_graphml_parses_and_counts_add_up(store: Path) -> None:
    data, counted = run(store, "graphml")
    root = ET.fromstring(data)
    keys = {k.get("id"): k.get("attr.name") for k in root.findall("g:key", NS)}
    graph = root.find("g:graph", NS)
    assert graph is not None and graph.get("edgedefault") == "directed"
    nodes = {n.get("id"): n for n in graph.findall("g:node", NS)}
    edges = graph.findall("g:edge", NS)

    def data_of(el: ET.Element) -> dict[str, str]:
        return {keys[d.get("key")]: d.text or "" for d in el.findall("g:data", NS)}

    # known source and target, not negated: JPN->AZE, UNO->AZE, UNO->JPN, RUS->UKR, FRA->JPN
    assert counted == 5
    assert sum(int(data_of(e)["weight"]) for e in edges) == counted
    assert set(nodes) == {"AZE", "JPN", "UNO", "RUS", "UKR", "FRA"}
    assert data_of(nodes["AZE"])["label"] == "Azerbaijan"
    assert data_of(nodes["UNO"])["kind"] == "org"
    assert data_of(nodes["JPN"])["events"] == "3"  # as source once, as target twice
    rus = next(e for e in edges if e.get("source") == "RUS")
    values = data_of(rus)
    assert e_target(rus) == "UKR"
    assert values["weight"] == "1" and values["ASSAULT"] == "1" and values["conflict"] == "1"
    assert float(values["score"]) == -10.0
    assert all(t in values for t in PLOVER_TYPES)
    for edge in edges:
        d = data_of(edge)
        assert sum(int(d[t]) for t in PLOVER_TYPES) == int(d["weight"])


def e_target(edge: ET.Element) -> str | None:
    return edge.get("target")


def test_graphml_reads_with_networkx_when_installed(store: Path, tmp_path: Path) -> None:
    nx = pytest.importorskip("networkx")
    out = tmp_path / "g.graphml"
    export_events(store, "graphml", out)
    graph = nx.read_graphml(out)
    assert graph.is_directed() and graph.nodes["AZE"]["label"] == "Azerbaijan"


def test_gdelt_layout(store: Path) -> None:
    data, rows = run(store, "gdelt")
    lines = tsv(data)
    header, body = lines[0], lines[1:]
    assert header == [name for name, _ in GDELT_LAYOUT] and len(header) == 58
    assert rows == len(body) == ALL_ROWS
    assert all(len(line) == 58 for line in body)  # tabs and newlines in names replaced
    rec = [dict(zip(header, line, strict=True)) for line in body]
    consult = next(r for r in rec if r["EventCode"] == "042")
    assert consult["SQLDATE"] == "20241129" and consult["MonthYear"] == "202411"
    assert consult["Actor1Code"] == "JPNGOV" and consult["Actor2CountryCode"] == "AZE"
    assert consult["EventBaseCode"] == "042" and consult["EventRootCode"] == "04"
    assert consult["QuadClass"] == "1" and consult["GoldsteinScale"] == "1.0"
    assert consult["ActionGeo_FullName"] == "Bakou" and consult["ActionGeo_Lat"] == "40.38"
    assert consult["IsRootEvent"] == "1" and consult["AvgTone"] == ""
    assert consult["SOURCEURL"] == "https://example.org/baku"
    assert len(consult["DATEADDED"]) == 8
    uno = next(r for r in rec if r["Actor1KnownGroupCode"] == "UNO")
    assert uno["Actor1Code"] == "IGOUNO" and uno["Actor1CountryCode"] == ""
    month = next(r for r in rec if r["EventCode"] == "195")
    assert month["SQLDATE"] == "" and month["MonthYear"] == "202412" and month["Year"] == "2024"


def test_polecat_layout(store: Path) -> None:
    data, rows = run(store, "polecat", EventFilter.parse(country="JPN"))
    lines = tsv(data)
    header, body = lines[0], lines[1:]
    assert header == [name for name, _ in POLECAT_LAYOUT]
    assert header[:3] == ["Event ID", "Event Date", "Event Type"]
    assert rows == len(body) == 3
    rec = [dict(zip(header, line, strict=True)) for line in body]
    consult = next(r for r in rec if r["Event Type"] == "CONSULT")
    assert consult["Event Mode"] == "visit" and consult["Contexts"] == "diplomatic;economic"
    assert consult["Actor Name"] == "Masaki Ishikawa" and consult["Recipient Country"] == "AZE"
    assert consult["Recipient Title"] == "vice-ministre"
    assert consult["Placename"] == "Bakou" and consult["Latitude"] == "40.38"
    assert consult["Publication Date"] == "2024-11-29" and consult["Source"] == "AZERTAC"
    assert consult["Story People"] == "Elnour Mammadov;Masaki Ishikawa"
    assert consult["Story Organizations"] == "des inconnus;les Nations unies"
    assert consult["Story Locations"] == "Bakou"
    assert consult["Language"] == "fr" and consult["Version"] == VERSION
    assert consult["Headline"] == "Visite" and consult["Story ID"] == "a-baku"
    accuse = next(r for r in rec if r["Event Type"] == "ACCUSE")
    assert accuse["Actor Name"] == 'Jean "le Sage" Dupont'
    assert accuse["Publication Date"] == "2024-12"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_writes_a_file(store: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    report = export_events(store, fmt, out, EventFilter.parse(type="CONSULT"))
    assert out.stat().st_size > 0 and report.out == str(out) and report.format == fmt
    assert report.rows == 1
