"""The loader checks plover.yaml and contexts.yaml against communique.model.plover."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from communique.errors import DataFileError
from communique.langpacks.loader import (
    PACKS_DIR,
    PLOVER_FILE,
    load_contexts,
    load_pack,
    load_plover,
)
from communique.model.plover import CONTEXTS, MODES, PLOVER_TYPES, QUADS
from communique.textfold import fold, fold_key

FR_CONTEXTS = PACKS_DIR / "fr" / "contexts.yaml"


def _shipped() -> dict[str, Any]:
    data = yaml.safe_load(PLOVER_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _write(tmp_path: Path, data: Any, name: str = "plover.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _raises_naming(path: Path, load: Any) -> DataFileError:
    with pytest.raises(DataFileError) as info:
        load(path)
    assert info.value.where == str(path)
    assert str(path) in str(info.value)
    assert info.value.hint  # says how to fix it
    return info.value


# --- plover.yaml -------------------------------------------------------------------------


def test_shipped_file_gives_every_type_with_plovers_quad_and_modes() -> None:
    data = load_plover()
    assert tuple(data["types"]) == PLOVER_TYPES
    for etype, info in data["types"].items():
        assert set(info) == {"quad", "intensity", "cameo", "modes"}
        assert info["quad"] == QUADS[etype]
        assert tuple(info["modes"]) == MODES[etype]
        assert re.fullmatch(r"\d{2}", info["cameo"])


def test_shipped_intensity_has_the_sign_of_the_quad() -> None:
    for etype, info in load_plover()["types"].items():
        if QUADS[etype] <= 2:
            assert info["intensity"] > 0, etype  # cooperation
        else:
            assert info["intensity"] < 0, etype  # conflict


def test_shipped_cameo_by_mode_names_real_modes() -> None:
    for key in load_plover()["cameo_by_mode"]:
        etype, mode = key.split(".", 1)
        assert mode in MODES[etype], key


def test_shipped_file_leaves_plovers_own_fields_to_the_model() -> None:
    for entry in _shipped()["types"].values():
        assert "quad" not in entry and "modes" not in entry


def test_stated_modes_equal_to_plovers_are_accepted(tmp_path: Path) -> None:
    data = _shipped()
    data["types"]["CONSULT"]["modes"] = list(reversed(MODES["CONSULT"]))
    data["types"]["CONSULT"]["quad"] = 1
    loaded = load_plover(_write(tmp_path, data))
    assert tuple(loaded["types"]["CONSULT"]["modes"]) == MODES["CONSULT"]


def test_a_wrong_mode_is_refused_naming_the_file(tmp_path: Path) -> None:
    data = _shipped()
    data["types"]["CONSULT"]["modes"] = ["visit", "third-party", "multilateral", "telephone"]
    err = _raises_naming(_write(tmp_path, data), load_plover)
    assert "CONSULT" in err.message and "telephone" in err.message


def test_a_missing_mode_is_refused(tmp_path: Path) -> None:
    data = _shipped()
    data["types"]["RETREAT"]["modes"] = list(MODES["RETREAT"][:-1])
    _raises_naming(_write(tmp_path, data), load_plover)


def test_a_mode_given_to_a_type_without_modes_is_refused(tmp_path: Path) -> None:
    data = _shipped()
    data["types"]["AGREE"]["modes"] = ["visit"]
    _raises_naming(_write(tmp_path, data), load_plover)


def test_a_wrong_quad_is_refused(tmp_path: Path) -> None:
    data = _shipped()
    data["types"]["SANCTION"]["quad"] = 3
    err = _raises_naming(_write(tmp_path, data), load_plover)
    assert "SANCTION" in err.message


def test_a_cameo_by_mode_key_with_an_unknown_mode_is_refused(tmp_path: Path) -> None:
    data = _shipped()
    data["cameo_by_mode"]["CONSULT.host"] = "043"
    _raises_naming(_write(tmp_path, data), load_plover)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["types"].pop("ASSAULT"),
        lambda d: d["types"].update(DEMAND={"intensity": -5.0, "cameo": "10"}),
        lambda d: d["types"]["AID"].update(cameo=7),  # unquoted code
        lambda d: d["types"]["AID"].update(intensity=42),
        lambda d: d["types"]["AID"].update(goldstein=7.4),  # unknown key
        lambda d: d.update(contexts=["economic"]),  # unknown top-level key
    ],
    ids=["missing-type", "unknown-type", "cameo-not-string", "intensity-range", "unknown-key",
         "unknown-top-level"],
)  # fmt: skip
def test_other_mistakes_are_refused_naming_the_file(tmp_path: Path, change: Any) -> None:
    data = _shipped()
    change(data)
    _raises_naming(_write(tmp_path, data), load_plover)


# --- contexts.yaml -----------------------------------------------------------------------


def test_an_unknown_context_key_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, {"economic": ["econom"], "peace": ["paix"]}, "contexts.yaml")
    err = _raises_naming(path, load_contexts)
    assert "peace" in err.message


def test_a_special_context_key_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, {"future": ["demain"]}, "contexts.yaml")
    err = _raises_naming(path, load_contexts)
    assert err.hint is not None and "modality" in err.hint


def test_a_near_miss_gets_a_suggestion(tmp_path: Path) -> None:
    path = _write(tmp_path, {"diplomacy": ["diplomat"]}, "contexts.yaml")
    err = _raises_naming(path, load_contexts)
    assert err.hint is not None and "'diplomatic'" in err.hint


def test_a_context_without_cues_is_refused(tmp_path: Path) -> None:
    _raises_naming(_write(tmp_path, {"economic": []}, "contexts.yaml"), load_contexts)


def test_load_pack_refuses_a_pack_with_a_bad_context(tmp_path: Path) -> None:
    pack = tmp_path / "xx"
    pack.mkdir()
    (pack / "triggers.yaml").write_text("verbs: []\n", encoding="utf-8")
    (pack / "modality.yaml").write_text("negation_words: [pas]\n", encoding="utf-8")
    bad = _write(pack, {"territory": ["territoir"]}, "contexts.yaml")
    with pytest.raises(DataFileError) as info:
        load_pack("xx", pack_dir=tmp_path)
    assert info.value.where == str(bad)


def test_french_contexts_are_plover_contexts_with_folded_cues() -> None:
    raw = yaml.safe_load(FR_CONTEXTS.read_text(encoding="utf-8"))
    assert set(raw) <= set(CONTEXTS)
    assert len(raw) >= 25
    for name, cues in raw.items():
        assert cues, name
        assert all(fold_key(c) == c for c in cues), name  # written folded already
        assert len(cues) == len(set(cues)), name
    loaded = load_contexts(FR_CONTEXTS)
    assert [name for name, _ in loaded] == list(raw)


def _contexts_of(sentence: str) -> set[str]:
    """The cue matching of the coder: a cue starts a word of the folded sentence."""
    text = fold(sentence)
    return {
        name
        for name, cues in load_contexts(FR_CONTEXTS)
        if any(re.search(r"(?<![\w])" + re.escape(c), text) for c in cues)
    }


@pytest.mark.parametrize(
    ("sentence", "expected", "not_expected"),
    [
        ("Le ministre a parlé du processus de paix à Gaza.", {"diplomatic"},
         {"legal", "resource"}),
        ("Les détenus ont entamé une grève de la faim.", set(), {"human_security"}),
        ("Il a rencontré à Islamabad des élus, en protestant contre le climat de tension.",
         set(), {"religion_ethnicity", "enviro_disaster"}),
        ("La Cour pénale internationale ouvre le procès des chefs de la junte.",
         {"legal", "political_institutions"}, set()),
        ("Des casques bleus de la MINUSCA ont été tués dans un attentat.",
         {"peacekeeping", "terrorism"}, set()),
        ("L'Iran poursuit l'enrichissement d'uranium.", {"cbrn", "resource"}, set()),
    ],
)  # fmt: skip
def test_french_cues_attach_the_right_contexts(
    sentence: str, expected: set[str], not_expected: set[str]
) -> None:
    found = _contexts_of(sentence)
    assert expected <= found
    assert not (not_expected & found)
