"""The ClearNLP -> Universal Dependencies rewrite, on hand-written parses (no model)."""

from __future__ import annotations

from communique.nlp.clear2ud import clear_to_ud, uses_clear_labels

_LEMMAS = {"is": "be", "was": "be"}


def _parse(rows: list[tuple[str, str, int, str]]) -> dict[str, tuple[str, str]]:
    """rows: (word, ClearNLP label, head index, POS); returns word -> (UD label, head word)."""
    words = [r[0] for r in rows]
    deps, heads = clear_to_ud(
        [r[1] for r in rows],
        [r[2] for r in rows],
        [r[3] for r in rows],
        [_LEMMAS.get(w, w.lower()) for w in words],
    )
    return {w: (d, words[h]) for w, d, h in zip(words, deps, heads, strict=True)}


def test_prepositional_object_takes_the_prepositions_place() -> None:
    # Aliyev met with Iwaya .
    out = _parse(
        [
            ("Aliyev", "nsubj", 1, "PROPN"),
            ("met", "ROOT", 1, "VERB"),
            ("with", "prep", 1, "ADP"),
            ("Iwaya", "pobj", 2, "PROPN"),
            (".", "punct", 1, "PUNCT"),
        ]
    )
    assert out["Iwaya"] == ("obl", "met")
    assert out["with"] == ("case", "Iwaya")
    assert out["Aliyev"] == ("nsubj", "met")


def test_passive_agent_becomes_obl_agent() -> None:
    # He was received by Aliyev
    out = _parse(
        [
            ("He", "nsubjpass", 2, "PRON"),
            ("was", "auxpass", 2, "AUX"),
            ("received", "ROOT", 2, "VERB"),
            ("by", "agent", 2, "ADP"),
            ("Aliyev", "pobj", 3, "PROPN"),
        ]
    )
    assert out["He"] == ("nsubj:pass", "received")
    assert out["was"] == ("aux:pass", "received")
    assert out["Aliyev"] == ("obl:agent", "received")
    assert out["by"] == ("case", "Aliyev")


def test_preposition_under_a_noun_gives_nmod() -> None:
    # talks with Japan
    out = _parse(
        [("talks", "ROOT", 0, "NOUN"), ("with", "prep", 0, "ADP"), ("Japan", "pobj", 1, "PROPN")]
    )
    assert out["Japan"] == ("nmod", "talks")


def test_clause_after_a_preposition_is_an_adverbial_clause() -> None:
    # accused Kyiv of attacking
    out = _parse(
        [
            ("accused", "ROOT", 0, "VERB"),
            ("Kyiv", "dobj", 0, "PROPN"),
            ("of", "prep", 0, "ADP"),
            ("attacking", "pcomp", 2, "VERB"),
        ]
    )
    assert out["Kyiv"] == ("obj", "accused")
    assert out["attacking"] == ("advcl", "accused")
    assert out["of"] == ("mark", "attacking")


def test_copula_complement_heads_the_clause() -> None:
    # Baku is ready to talk
    out = _parse(
        [
            ("Baku", "nsubj", 1, "PROPN"),
            ("is", "ROOT", 1, "AUX"),
            ("ready", "acomp", 1, "ADJ"),
            ("to", "aux", 4, "PART"),
            ("talk", "xcomp", 2, "VERB"),
        ]
    )
    assert out["ready"] == ("ROOT", "ready")
    assert out["is"] == ("cop", "ready")
    assert out["Baku"] == ("nsubj", "ready")
    assert out["talk"] == ("xcomp", "ready")


def test_coordinated_prepositions_make_conjoined_objects() -> None:
    # met with Japan and with Korea
    out = _parse(
        [
            ("met", "ROOT", 0, "VERB"),
            ("with", "prep", 0, "ADP"),
            ("Japan", "pobj", 1, "PROPN"),
            ("and", "cc", 1, "CCONJ"),
            ("with2", "conj", 1, "ADP"),
            ("Korea", "pobj", 4, "PROPN"),
        ]
    )
    assert out["Japan"] == ("obl", "met")
    assert out["Korea"] == ("conj", "Japan")
    assert out["with2"] == ("case", "Korea")


def test_renames_and_roots_are_kept() -> None:
    out = _parse(
        [
            ("his", "poss", 1, "PRON"),
            ("visit", "ROOT", 1, "NOUN"),
            ("which", "nsubj", 3, "PRON"),
            ("ended", "relcl", 1, "VERB"),
        ]
    )
    assert out["his"] == ("nmod:poss", "visit")
    assert out["ended"] == ("acl:relcl", "visit")
    assert out["visit"] == ("ROOT", "visit")


def test_label_scheme_detection() -> None:
    assert uses_clear_labels(["nsubj", "dobj", "pobj", "prep"])
    assert not uses_clear_labels(["nsubj", "obj", "obl", "case", "nmod"])
