"""GraphML of who acts on whom: one node per actor key (country, else organisation or
region code), one directed edge per (source key, target key) with the number of event
rows, a cooperation/conflict score and a count per PLOVER type. Opens in Gephi, yEd,
networkx (``read_graphml``) and igraph.

Counted: rows matching the filter with a known source key and target key, not negated
(a denied attack is no conflict). The score is ``query.SCORE_SQL`` averaged over the
edge's rows, the measure of the HTTP API's dyads and graph: the PLOVER intensity
(``coding/data/plover.yaml``) signed by quad class, cooperation > 0 > conflict,
hypothetical rows not scored. ``cooperation`` and ``conflict`` count rows of quad classes
1-2 and 3-4.
Paging (limit, offset) does not apply to a graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, BinaryIO
from xml.sax.saxutils import escape, quoteattr

from communique.export.source import fetch_all
from communique.model.plover import PLOVER_TYPES
from communique.query import SCORE_SQL, where_sql

if TYPE_CHECKING:
    from communique.query import EventFilter
    from communique.store.sql import SqlStore

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"

# Characters XML 1.0 forbids, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# (id, for, attr.name, attr.type) of every GraphML attribute, nodes then edges.
NODE_KEYS = (
    ("n_label", "node", "label", "string"),
    ("n_kind", "node", "kind", "string"),
    ("n_events", "node", "events", "int"),
    ("n_out", "node", "events_as_source", "int"),
    ("n_in", "node", "events_as_target", "int"),
)
EDGE_KEYS = (
    ("e_weight", "edge", "weight", "int"),
    ("e_score", "edge", "score", "double"),
    ("e_coop", "edge", "cooperation", "int"),
    ("e_conflict", "edge", "conflict", "int"),
    *((f"e_{t}", "edge", t, "int") for t in PLOVER_TYPES),
)

_KNOWN = (
    "source_key IS NOT NULL AND target_key IS NOT NULL AND source_key <> 'unknown' "
    "AND target_key <> 'unknown' AND NOT negated"
)


def _where(flt: EventFilter) -> tuple[str, list[object]]:
    where, params = where_sql(replace(flt, limit=None, offset=0))
    return (f"{where} AND {_KNOWN}" if where else f"WHERE {_KNOWN}"), params


def _edges(store: SqlStore, flt: EventFilter) -> list[tuple[object, ...]]:
    where, params = _where(flt)
    # PLOVER_TYPES are constants of ours, safe to place in the SQL text
    per_type = ", ".join(f"count(*) FILTER (WHERE \"type\" = '{t}')" for t in PLOVER_TYPES)
    return fetch_all(
        store,
        f"SELECT source_key, target_key, count(*), avg({SCORE_SQL}), "
        "count(*) FILTER (WHERE quad IN (1, 2)), count(*) FILTER (WHERE quad IN (3, 4)), "
        f"{per_type} FROM events {where} GROUP BY source_key, target_key "
        "ORDER BY source_key, target_key",
        params,
    )


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _data(key: str, value: object) -> str:
    text = repr(round(value, 4)) if isinstance(value, float) else _clean(str(value))
    return f"<data key={quoteattr(key)}>{escape(text)}</data>"


def _lines(edges: list[tuple[object, ...]], labels: Mapping[str, tuple[str, str]]) -> Iterable[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        f'<graphml xmlns="{GRAPHML_NS}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd">\n'
    )
    for kid, target, name, kind in (*NODE_KEYS, *EDGE_KEYS):
        yield (
            f"  <key id={quoteattr(kid)} for={quoteattr(target)} "
            f"attr.name={quoteattr(name)} attr.type={quoteattr(kind)}/>\n"
        )
    yield '  <graph id="communique" edgedefault="directed">\n'
    out: dict[str, int] = {}
    inn: dict[str, int] = {}
    loops: dict[str, int] = {}
    for row in edges:
        src, dst, n = str(row[0]), str(row[1]), int(str(row[2]))
        out[src] = out.get(src, 0) + n
        inn[dst] = inn.get(dst, 0) + n
        if src == dst:
            loops[src] = n
    for node in sorted(set(out) | set(inn)):
        label, kind = labels.get(node, (node, "unknown"))
        n_out, n_in = out.get(node, 0), inn.get(node, 0)
        # a self-loop (domestic event) counts once in `events`
        node_values = (label, kind, n_out + n_in - loops.get(node, 0), n_out, n_in)
        data = "".join(_data(k[0], v) for k, v in zip(NODE_KEYS, node_values, strict=True))
        yield f"    <node id={quoteattr(_clean(node))}>{data}</node>\n"
    for i, row in enumerate(edges):
        src, dst = str(row[0]), str(row[1])
        values = list(row[2:])
        data = "".join(
            _data(k[0], v) for k, v in zip(EDGE_KEYS, values, strict=True) if v is not None
        )
        yield (
            f'    <edge id="e{i}" source={quoteattr(_clean(src))} '
            f"target={quoteattr(_clean(dst))}>{data}</edge>\n"
        )
    yield "  </graph>\n</graphml>\n"


def write_graphml(store: SqlStore, flt: EventFilter, out: BinaryIO) -> int:
    """Write the graph; returns the number of event rows it counts (sum of the weights)."""
    from communique.export.labels import key_labels

    edges = _edges(store, flt)
    labels = key_labels({str(k) for r in edges for k in r[:2]})
    for line in _lines(edges, labels):
        out.write(line.encode("utf-8"))
    return sum(int(str(r[2])) for r in edges)
