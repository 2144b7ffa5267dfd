"""communique.model.plover: the PLOVER ontology as one set of immutable constants."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from communique.model import plover
from communique.model.plover import (
    CONTEXTS,
    MODES,
    PLOVER_TYPES,
    QUAD_NAMES,
    QUADS,
    SPECIAL_CONTEXTS,
)

REPO = Path(__file__).resolve().parents[2]
CHECK_GOLD = REPO / "tests" / "golden" / "check_gold.py"
# The conventions live beside the repository (shared/conventions/CODING.md).
CODING_MD_CANDIDATES = (
    REPO / "shared" / "conventions" / "CODING.md",
    REPO.parent / "shared" / "conventions" / "CODING.md",
)


def test_sixteen_distinct_types_in_the_order_of_the_conventions() -> None:
    assert PLOVER_TYPES == (
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE",
        "COOPERATE", "AID", "RETREAT",
        "REQUEST", "ACCUSE", "REJECT", "THREATEN",
        "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    )  # fmt: skip
    assert len(set(PLOVER_TYPES)) == 16
    assert all(t.isupper() and t.isalpha() for t in PLOVER_TYPES)


def test_modes_are_given_for_every_type_and_only_for_types() -> None:
    assert tuple(MODES) == PLOVER_TYPES
    for etype, modes in MODES.items():
        assert isinstance(modes, tuple), etype
        assert len(modes) == len(set(modes)), f"duplicate mode in {etype}"
        assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", m) for m in modes), modes


def test_modes_per_type_are_those_of_coding_md() -> None:
    expected = {
        "AGREE": set(),
        "CONSULT": {"visit", "third-party", "multilateral", "phone"},
        "SUPPORT": set(),
        "CONCEDE": set(),
        "COOPERATE": set(),
        "AID": set(),
        "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
        "REQUEST": {"assist", "change", "yield", "meet"},
        "ACCUSE": {"disapprove", "investigate", "allege"},
        "REJECT": {"assist", "change", "yield", "meet"},
        "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
        "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
        "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
        "MOBILIZE": {"troops", "weapons", "police", "militia"},
        "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
                   "withhold", "misinformation", "cyber"},
        "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                    "firearms", "explosives", "suicide-attack", "aerial", "drone",
                    "heavy-weapons", "crowd-control", "unconventional"},
    }  # fmt: skip
    assert {t: set(m) for t, m in MODES.items()} == expected


def _coding_md_table() -> dict[str, tuple[str, ...]]:
    path = next((p for p in CODING_MD_CANDIDATES if p.is_file()), None)
    if path is None:
        pytest.skip("shared/conventions/CODING.md not found beside the repository")
    rows: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] in PLOVER_TYPES:
            modes = re.sub(r"\([^)]*\)", "", cells[2])  # drop glosses: "visit (source...)"
            rows[cells[0]] = (
                ()
                if modes.strip() in ("–", "-", "")
                else tuple(m.strip() for m in modes.split(","))
            )
    return rows


def test_modes_match_the_table_in_coding_md_when_it_is_there() -> None:
    table = _coding_md_table()
    assert tuple(table) == PLOVER_TYPES  # same types, same order
    assert dict(MODES) == table  # same modes, same order


def test_quads_group_the_types_as_plover_does() -> None:
    assert tuple(QUADS) == PLOVER_TYPES
    groups = {q: {t for t in PLOVER_TYPES if QUADS[t] == q} for q in QUAD_NAMES}
    assert groups == {
        1: {"AGREE", "CONSULT", "SUPPORT", "CONCEDE"},
        2: {"COOPERATE", "AID", "RETREAT"},
        3: {"REQUEST", "ACCUSE", "REJECT", "THREATEN"},
        4: {"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"},
    }
    # The types are listed from cooperation to conflict, so quads never go down.
    quads = [QUADS[t] for t in PLOVER_TYPES]
    assert quads == sorted(quads)
    assert QUAD_NAMES[1].startswith("verbal") and QUAD_NAMES[4].startswith("material")


def test_contexts_are_plovers_named_contexts() -> None:
    assert len(CONTEXTS) == 28  # the "General contexts" table of the manual, draft 0.8
    assert len(set(CONTEXTS)) == len(CONTEXTS)
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", c) for c in CONTEXTS), CONTEXTS
    for name in ("diplomatic", "economic", "military", "enviro_disaster", "cbrn", "executive"):
        assert name in CONTEXTS
    assert SPECIAL_CONTEXTS == ("historical", "future", "hypothetical", "negation")
    assert not set(SPECIAL_CONTEXTS) & set(CONTEXTS)


def test_the_constants_cannot_be_changed() -> None:
    with pytest.raises(TypeError):
        MODES["AGREE"] = ("x",)  # type: ignore[index]
    with pytest.raises(TypeError):
        QUADS["AGREE"] = 4  # type: ignore[index]
    assert isinstance(PLOVER_TYPES, tuple) and isinstance(CONTEXTS, tuple)


def test_the_module_imports_only_the_standard_library() -> None:
    tree = ast.parse(Path(plover.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported - {"__future__"} <= set(sys.stdlib_module_names), imported


def _check_gold() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_gold_for_test", CHECK_GOLD)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_stdlib_gold_checker_uses_the_same_types_and_modes() -> None:
    check_gold = _check_gold()
    assert set(check_gold.MODES) == set(PLOVER_TYPES)
    assert {t: frozenset(m) for t, m in check_gold.MODES.items()} == {
        t: frozenset(m) for t, m in MODES.items()
    }
