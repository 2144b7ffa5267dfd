"""PLOVER's auxiliary modes for one trigger: negated, future, hypothetical, historical,
plus the two reasons not to code at all (aggregates, events governed by another trigger)."""

from __future__ import annotations

from dataclasses import dataclass

from communique.coding.triggers import Candidate
from communique.langpacks.loader import Grammar, Modality
from communique.nlp.view import ParsedDoc, Sent, Tok
from communique.textfold import fold, fold_key

# Characters after the trigger in which a counted repetition ("16 fois") makes the event
# an aggregate: about one clause.
AGGREGATE_WINDOW = 60
# Characters around the trigger in which a background duration ("pendant 30 ans") marks
# the event as background.
BACKGROUND_WINDOW = 80


@dataclass(frozen=True)
class Modes:
    negated: bool
    future: bool
    hypothetical: bool
    historical: bool
    anterior: bool  # "déjà": happened at an unstated earlier time
    aggregate: bool
    cues: tuple[str, ...]


def _governors(doc: ParsedDoc, tok: Tok, depth: int = 3) -> list[Tok]:
    out = []
    t = tok
    for _ in range(depth):
        if t.head == t.i or t.dep not in (
            "xcomp",
            "ccomp",
            "acl",
            "obl",
            "obl:arg",
            "advcl",
            "obj",
            "nmod",
        ):
            break
        t = doc.tokens[t.head]
        out.append(t)
    return out


def assess(
    doc: ParsedDoc,
    sent: Sent,
    cand: Candidate,
    kids: dict[int, list[Tok]],
    modality: Modality,
    gram: Grammar,
) -> Modes:
    pred = cand.light or cand.predicate
    trig = cand.trigger
    cues: list[str] = []
    local = {pred.i, trig.i}
    children = [c for i in local for c in kids.get(i, ())]
    # "n'a pas rappelé": the parser may hang the negation on the auxiliary
    children += [g for c in list(children) if c.dep.startswith("aux") for g in kids.get(c.i, ())]
    words = {fold(c.text) for c in children}
    # negation: "ne ... pas" on the predicate, or a denying governor
    if gram.negation_particles:
        negated = bool(words & gram.negation_particles) and bool(words & modality.negation_words)
        if not negated and (fold(children[0].text) if children else "") in modality.negation_words:
            negated = any(fold(c.text) in gram.negation_particles for c in children)
    else:
        # a negation word on its own negates ("did not meet", "never signed")
        negated = bool(words & modality.negation_words)
    govs = _governors(doc, pred)
    if not negated:
        # "a démenti avoir déployé": only a clause that is the denial's content is denied
        t = pred
        while t.dep in _CONTENT_DEPS and t.head != t.i:
            g = doc.tokens[t.head]
            if fold_key(g.lemma) in modality.negating_verbs:
                negated = True
                cues.append(f"denied by '{g.text}'")
                break
            t = g
    elif negated:
        cues.append("negation: " + ", ".join(sorted(words & modality.negation_words)))
    # future: future tense, near future (aller + infinitive), or a planning governor
    future = pred.tense == "Fut" or trig.tense == "Fut"
    if future:
        cues.append("future tense")
    aux_lemmas = {fold_key(c.lemma) for c in children if c.dep.startswith("aux")}
    perfect = bool(aux_lemmas & gram.perfect_auxiliaries) and pred.verb_form in ("Part", "")
    if not future and aux_lemmas & modality.future_auxiliaries:
        future = True
        cues.append("aller + infinitive")
    if not future and pred.verb_form == "Inf" and not perfect:
        for g in govs:
            if fold_key(g.lemma) in modality.future_auxiliaries:
                future = True
                cues.append(f"near future with '{g.text}'")
                break
            if fold_key(g.lemma) in modality.future_governors:
                future = True
                cues.append(f"planned: governed by '{g.text}'")
                break
    # hypothetical: conditional mood not explained by reported speech, or an "if" clause
    hypothetical = False
    if pred.mood == "Cnd":
        reported = any(g.pos == "VERB" and g.tense == "Past" for g in govs)
        if reported:
            future = True
            cues.append("future in the past (conditional after a past verb)")
        else:
            hypothetical = True
            cues.append("conditional mood")
    marks = {fold(c.text) for c in kids.get(pred.i, ()) if c.dep == "mark"}
    if marks & set(modality.hypothetical_markers):
        hypothetical = True
        cues.append("if-clause")
    # anterior: "a déjà envoyé"
    anterior = any(fold(c.text) in modality.anterior_adverbs for c in children)
    if anterior:
        cues.append("anterior adverb: date unknown")
    # aggregates and background, on the folded text around the trigger
    text = doc.text
    after = fold(text[trig.start : min(sent.end, trig.end + AGGREGATE_WINDOW)])
    aggregate = any(p.search(after) for p in modality.aggregate_patterns)
    if aggregate:
        cues.append("counted repetition: aggregate")
    around = fold(
        text[
            max(sent.start, trig.start - BACKGROUND_WINDOW) : min(
                sent.end, trig.end + BACKGROUND_WINDOW
            )
        ]
    )
    historical = any(p.search(around) for p in modality.background_patterns)
    if historical:
        cues.append("background duration")
    return Modes(negated, future, hypothetical, historical, anterior, aggregate, tuple(cues))


# Relations by which a trigger's clause is the content of another trigger ("prêt à
# soutenir", "appelé à coopérer", "menacé de frapper", "accusant X de collaborer").
_CONTENT_DEPS = frozenset({"xcomp", "ccomp"})
_NOUN_COMPLEMENT_DEPS = frozenset({"obj", "obl:arg", "obl", "nmod", "nsubj:pass"})


def governing_trigger(doc: ParsedDoc, cand: Candidate, trigger_tokens: set[int]) -> Tok | None:
    """Another trigger whose content this one is: the governor is the event."""
    t = cand.predicate
    for _ in range(2):
        if t.head == t.i:
            return None
        head = doc.tokens[t.head]
        content = (
            t.dep in _CONTENT_DEPS
            or (t.dep in ("acl", "advcl") and head.pos == "ADJ")
            # an event noun that is another trigger's complement ("a participé à une
            # réunion", "a rejeté l'appel"): the verb's event covers it
            or (t.pos in ("NOUN", "PROPN") and t.dep in _NOUN_COMPLEMENT_DEPS)
        )
        if not content:
            return None
        if head.i in trigger_tokens:
            return head
        t = head
    return None
