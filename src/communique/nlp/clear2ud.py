"""ClearNLP dependency labels (spaCy's English models) -> Universal Dependencies shape.

The coder reads one dependency scheme: Universal Dependencies, as spaCy's French models
give it. The English models are trained on the ClearNLP conversion of OntoNotes, which
differs in labels and, for prepositions and copulas, in shape:

    ClearNLP                                   UD
    met -prep-> with -pobj-> Aliyev            met -obl-> Aliyev -case-> with
    received -agent-> by -pobj-> Aliyev        received -obl:agent-> Aliyev -case-> by
    is -acomp-> ready,  is -nsubj-> Baku       ready -cop-> is,  ready -nsubj-> Baku
    dobj, nsubjpass, auxpass, poss, relcl      obj, nsubj:pass, aux:pass, nmod:poss, acl:relcl

This module rewrites labels and heads of one parse; it knows nothing of spaCy. Pure
function over parallel lists, so it is tested on hand-written parses.
"""

from __future__ import annotations

from collections.abc import Sequence

# Labels that only change name.
_RENAME = {
    "dobj": "obj",
    "nsubjpass": "nsubj:pass",
    "csubjpass": "csubj:pass",
    "auxpass": "aux:pass",
    "poss": "nmod:poss",
    "relcl": "acl:relcl",
    "prt": "compound:prt",
    "neg": "advmod",
    "npadvmod": "obl:npmod",
    "preconj": "cc:preconj",
    "predet": "det:predet",
    "quantmod": "advmod",
    "oprd": "xcomp",
    "acomp": "xcomp",
    "dative": "iobj",
    "nmod": "compound",
    "intj": "discourse",
    "meta": "dep",
    "pcomp": "xcomp",
    "pobj": "obl",
    "agent": "advmod",
    "prep": "advmod",
}
# ClearNLP labels the English models emit that UD spells the same or that we keep.
_PREP_LABELS = frozenset({"prep", "agent"})
_OBJECT_LABELS = frozenset({"pobj", "pcomp"})
_PREDICATE_POS = frozenset({"VERB", "AUX", "ADJ"})
_COPULA_COMPLEMENTS = frozenset({"acomp", "attr"})


def uses_clear_labels(labels: Sequence[str]) -> bool:
    """True for a parser whose label set is ClearNLP's (it has pobj and dobj)."""
    s = set(labels)
    return "pobj" in s and "dobj" in s


def clear_to_ud(
    deps: Sequence[str], heads: Sequence[int], pos: Sequence[str], lemmas: Sequence[str]
) -> tuple[list[str], list[int]]:
    """UD-shaped (deps, heads) for a ClearNLP parse given as parallel lists. Token i is a
    root when heads[i] == i; the result keeps that convention."""
    n = len(deps)
    dep = list(deps)
    head = list(heads)
    kids: list[list[int]] = [[] for _ in range(n)]
    for i, h in enumerate(heads):
        if h != i:
            kids[h].append(i)

    # 1. prepositional phrases: the object takes the preposition's place, the preposition
    # becomes its case marker (or the mark of a clause: "by signing").
    touched: set[int] = set()  # tokens given a UD label here: not renamed again
    obj_of: dict[int, int] = {}
    preps = [
        i
        for i in range(n)
        if deps[i] in _PREP_LABELS
        or (deps[i] == "dative" and pos[i] == "ADP")
        or (deps[i] == "conj" and pos[i] == "ADP" and deps[heads[i]] in _PREP_LABELS)
    ]
    for i in preps:
        obj = next((j for j in kids[i] if deps[j] in _OBJECT_LABELS), None)
        if obj is None:
            dep[i] = "advmod" if deps[i] != "conj" else "conj"
            touched.add(i)
            continue
        obj_of[i] = obj
    for i in preps:
        obj = obj_of.get(i)
        if obj is None:
            continue
        p_head = heads[i]
        if deps[i] == "conj" and p_head in obj_of:
            # "with X and with Y": the second object is a conjunct of the first
            head[obj], dep[obj] = obj_of[p_head], "conj"
        else:
            if deps[obj] == "pcomp" and pos[obj] in ("VERB", "AUX"):
                new = "advcl"
            elif deps[i] == "agent":
                new = "obl:agent"
            elif p_head == i or pos[p_head] in _PREDICATE_POS:
                new = "obl"
            else:
                new = "nmod"
            head[obj], dep[obj] = (obj if p_head == i else p_head), new
            if p_head == i:
                dep[obj] = "ROOT"
        touched.update((i, obj))
        head[i] = obj
        dep[i] = "mark" if deps[obj] == "pcomp" and pos[obj] in ("VERB", "AUX") else "case"

    # 2. copulas: the adjective or noun complement of "be" heads the clause.
    for i in range(n):
        if lemmas[i] != "be" or deps[i] in ("aux", "auxpass"):
            continue
        comp = next((j for j in kids[i] if deps[j] in _COPULA_COMPLEMENTS), None)
        if comp is None:
            continue
        for c in kids[i]:
            if c != comp and head[c] == i:
                head[c] = comp
        if head[i] == i:
            head[comp], dep[comp] = comp, dep[i]
        else:
            head[comp], dep[comp] = head[i], dep[i]
        head[i], dep[i] = comp, "cop"
        touched.add(i)
        if dep[comp] in _RENAME:
            dep[comp] = _RENAME[dep[comp]]
        touched.add(comp)

    # 3. plain renames of what is left
    for i in range(n):
        if i not in touched:
            dep[i] = _RENAME.get(dep[i], dep[i])
    return dep, head
