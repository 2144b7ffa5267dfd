"""PLOVER's auxiliary modes for one trigger: negated, future, hypothetical, historical,
plus the two reasons not to code at all (aggregates, events governed by another trigger)."""

from __future__ import annotations

import re
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
    # "not only ... but also", "not just": a correlative, not a denial
    children = [c for c in children if not _correlative(c, kids, modality)]
    words = {fold(c.text) for c in children}
    # "No country recognised ...", "Neither X nor Y attended": a negated subject
    subject_words = _subject_negation(pred, kids, modality)
    # negation: "ne ... pas" on the predicate, or a denying governor
    if gram.negation_particles:
        negated = bool(words & gram.negation_particles) and bool(
            (words | subject_words) & modality.negation_words
        )
        if not negated and (fold(children[0].text) if children else "") in modality.negation_words:
            negated = any(fold(c.text) in gram.negation_particles for c in children)
    else:
        # a negation word on its own negates ("did not meet", "never signed")
        negated = bool((words | subject_words) & modality.negation_words)
    govs = _governors(doc, pred)
    if negated:
        cues.append(
            "negation: " + ", ".join(sorted((words | subject_words) & modality.negation_words))
        )
    else:
        denial = _denying_governor(doc, pred, kids, modality, gram)
        if denial is not None:
            negated = True
            cues.append(denial)
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
    # hypothetical: conditional mood not explained by reported speech, a modal ("could",
    # "might"), an "if" clause on the event or on the clause it depends on, or a clause
    # that is the subject of a conditional ("sending troops would risk war")
    hypothetical = False
    reported = any(g.pos == "VERB" and g.tense == "Past" for g in govs)
    condition = _condition(pred, kids, modality)
    modal = next(
        (
            c
            for c in children
            if c.dep.startswith("aux") and fold_key(c.lemma) in modality.hypothetical_governors
        ),
        None,
    )
    if condition is not None:
        hypothetical = True
        cues.append(f"conditional: '{condition.text}' clause")
    elif pred.mood == "Cnd" or (
        modal is not None and fold_key(modal.lemma) in modality.future_auxiliaries
    ):
        if reported:
            future = True
            cues.append("future in the past (conditional after a past verb)")
        else:
            hypothetical = True
            cues.append("conditional mood")
    elif modal is not None:
        hypothetical = True
        cues.append(f"modal '{modal.text}'")
    if hypothetical and "aller + infinitive" in cues:
        # "would" is a future auxiliary too: under a condition it is no plan
        future = False
        cues.remove("aller + infinitive")
    marks = {fold(c.text) for c in kids.get(pred.i, ()) if c.dep == "mark"}
    if not hypothetical and marks & set(modality.hypothetical_markers):
        hypothetical = True
        cues.append("if-clause")
    if not hypothetical:
        cue = _hypothetical_frame(doc, pred, kids, modality)
        if cue is not None:
            hypothetical = True
            future = False
            cues.append(cue)
    # anterior: "a déjà envoyé"
    anterior = any(fold(c.text) in modality.anterior_adverbs for c in children)
    if anterior:
        cues.append("anterior adverb: date unknown")
    # aggregates and background, on the folded text around the trigger
    text = doc.text
    after = fold(text[trig.start : min(sent.end, trig.end + AGGREGATE_WINDOW)])
    # cumulative adverbials ("has so far visited") only count on a present perfect, the
    # tense of a running tally ("avaient lancé leur attaque la plus importante à ce jour")
    present_perfect = any(
        c.dep.startswith("aux")
        and not c.dep.startswith("aux:pass")
        and fold_key(c.lemma) in gram.perfect_auxiliaries
        and c.tense == "Pres"
        for c in children
    )
    aggregate = any(
        p.search(after) for p in modality.aggregate_patterns if not _dependents_only(p)
    ) or any(
        p.search(span)
        for span in _adverbial_spans(doc, (pred, trig), kids)
        for p in modality.aggregate_patterns
        if present_perfect or not _dependents_only(p)
    )
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


# --- scope helpers ---------------------------------------------------------------------

# Relations of an adverbial dependent of the predicate ("so far", "three times", "since
# assuming office"): counted or cumulative adverbials are read in these.
_ADVERBIAL_DEPS = frozenset(
    {"advmod", "obl", "obl:npmod", "obl:tmod", "obl:mod", "npadvmod", "nmod:tmod", "advcl"}
)
# Clauses inside an adverbial that say something of their own ("visited Moscow, where he
# met Putin three times"): their words are not the predicate's.
_OWN_CLAUSE_DEPS = frozenset(
    {"acl", "acl:relcl", "relcl", "ccomp", "xcomp", "conj", "parataxis", "csubj", "advcl"}
)
# Modifiers of a subject that negate it ("no country", "neither X nor Y").
_SUBJECT_NEGATORS = frozenset({"det", "det:predet", "cc:preconj", "preconj", "advmod"})
# A pattern of aggregate_patterns that begins with this comment is read only in the
# predicate's own adverbials, never in the text after the trigger ("has so far visited"
# is cumulative; "the largest attack so far" says nothing of the attack's count).
DEPENDENTS_ONLY = "(?#dependent)"


def _dependents_only(pattern: re.Pattern[str]) -> bool:
    return pattern.pattern.startswith(DEPENDENTS_ONLY)


def _correlative(tok: Tok, kids: dict[int, list[Tok]], modality: Modality) -> bool:
    """ "not only", "not just": a negation word with an adverb of its own is a correlative."""
    return fold(tok.text) in modality.negation_words and any(
        k.dep == "advmod" and k.i == tok.i + 1 for k in kids.get(tok.i, ())
    )


def _subject_negation(pred: Tok, kids: dict[int, list[Tok]], modality: Modality) -> set[str]:
    """Negation words on the predicate's subject: "No country recognised...", "Neither X
    nor Y attended", "None of the leaders attended", "Aucun pays n'a reconnu..."."""
    out: set[str] = set()
    for s in kids.get(pred.i, ()):
        if s.dep not in ("nsubj", "nsubj:pass"):
            continue
        if fold(s.text) in modality.negation_words:
            out.add(fold(s.text))
        for m in kids.get(s.i, ()):
            if m.dep in _SUBJECT_NEGATORS and fold(m.text) in modality.negation_words:
                out.add(fold(m.text))
    return out


def _locally_negated(
    tok: Tok, kids: dict[int, list[Tok]], modality: Modality, gram: Grammar
) -> bool:
    """Is ``tok`` itself negated ("did not expect", "n'a pas voulu")?"""
    children = list(kids.get(tok.i, ()))
    children += [g for c in list(children) if c.dep.startswith("aux") for g in kids.get(c.i, ())]
    children = [c for c in children if not _correlative(c, kids, modality)]
    words = {fold(c.text) for c in children}
    if not words & modality.negation_words:
        return False
    return not gram.negation_particles or bool(words & gram.negation_particles)


def _negative_noun(
    doc: ParsedDoc, noun: Tok, kids: dict[int, list[Tok]], modality: Modality, gram: Grammar
) -> str | None:
    """The negative determiner of a governing noun: "no plans", "aucune intention"."""
    det = next(
        (
            c
            for c in kids.get(noun.i, ())
            if c.dep.startswith("det") and fold(c.text) in modality.negation_words
        ),
        None,
    )
    if det is None:
        return None
    if gram.negation_particles:
        # French: "n'a aucune intention": the particle is on the noun's verb
        near = list(kids.get(noun.i, ()))
        if noun.head != noun.i:
            near += kids.get(noun.head, ())
        if not any(fold(c.text) in gram.negation_particles for c in near):
            return None
    return det.text


def _denying_governor(
    doc: ParsedDoc, pred: Tok, kids: dict[int, list[Tok]], modality: Modality, gram: Grammar
) -> str | None:
    """A governor that says the event did not happen: a denial ("a démenti avoir déployé"),
    an abstention ("refrained from criticising", "stopped short of criticising"), a noun
    with a negative determiner ("had no plans to restore"), a negated control verb ("is not
    expected to attend"). Only a clause that is the governor's content is covered."""
    t = pred
    for _ in range(4):
        if t.head == t.i:
            return None
        g = doc.tokens[t.head]
        content = t.dep in _CONTENT_DEPS
        # a prepositional complement right after its governor: "refrained from X-ing",
        # "short of X-ing" (not "denied the claims after meeting ...")
        prepositional = t.dep in ("advcl", "acl", "obl", "pcomp") and any(
            c.dep in ("mark", "case") and c.pos == "ADP" and c.i == g.i + 1
            for c in kids.get(t.i, ())
        )
        if (content or prepositional) and fold_key(g.lemma) in modality.negating_verbs:
            return f"denied by '{g.text}'"
        if g.pos in ("NOUN", "PROPN") and t.dep in ("acl", "advcl", "nmod", "xcomp"):
            det = _negative_noun(doc, g, kids, modality, gram)
            if det is not None:
                return f"negated governor: '{det} {g.text}'"
        if t.dep == "xcomp" and _locally_negated(g, kids, modality, gram):
            return f"negated governor: '{g.text}'"
        if not (content or prepositional or t.dep in ("acl", "nmod")):
            return None
        t = g
    return None


def _condition(tok: Tok, kids: dict[int, list[Tok]], modality: Modality) -> Tok | None:
    """The subordinator of a condition on ``tok`` ("would retaliate | if attacked"), not of
    a concession ("even if", "même si": an adverb right before the subordinator)."""
    markers = set(modality.hypothetical_markers)
    for c in kids.get(tok.i, ()):
        if c.dep != "advcl":
            continue
        sub = kids.get(c.i, ())
        for m in sub:
            if m.dep == "mark" and fold(m.text) in markers:
                if any(a.dep == "advmod" and a.i == m.i - 1 for a in sub):
                    break  # "even if"
                return m
    return None


def _hypothetical_frame(
    doc: ParsedDoc, pred: Tok, kids: dict[int, list[Tok]], modality: Modality
) -> str | None:
    """A frame above the predicate that makes it hypothetical: a speculative adverb
    ("possibly"), a raising governor ("seems likely to", "pourrait attaquer", "risks
    provoking"), a governor under a modal or a condition ("could decide to send"), or a
    conditional whose subject the clause is ("sending troops would risk war")."""
    hyp = modality.hypothetical_governors
    for c in kids.get(pred.i, ()):
        if c.dep == "advmod" and fold_key(c.lemma) in hyp:
            return f"speculative adverb '{c.text}'"
    t = pred
    for _ in range(3):
        if t.head == t.i or t.dep not in ("xcomp", "csubj"):
            return None
        g = doc.tokens[t.head]
        gkids = kids.get(g.i, ())
        aux = {fold_key(c.lemma) for c in gkids if c.dep.startswith("aux")}
        if t.dep == "csubj" and (
            aux & (hyp | modality.future_auxiliaries) or g.mood == "Cnd" or fold_key(g.lemma) in hyp
        ):
            return f"subject of a conditional '{g.text}'"
        if t.dep == "xcomp":
            # "a pu organiser", "was likely": a settled past, not a possibility
            if fold_key(g.lemma) in hyp and g.tense != "Past":
                return f"governed by '{g.text}'"
            if aux & (hyp - modality.future_auxiliaries):
                return f"governor under a modal: '{g.text}'"
            if _condition(g, kids, modality) is not None:
                return f"governor under a condition: '{g.text}'"
        t = g
    return None


def _adverbial_spans(
    doc: ParsedDoc, heads: tuple[Tok, ...], kids: dict[int, list[Tok]]
) -> list[str]:
    """Folded text of each adverbial dependent of the predicate and the trigger, without the
    clauses inside it."""
    out = []
    for h in {x.i: x for x in heads}.values():
        for c in kids.get(h.i, ()):
            if c.dep not in _ADVERBIAL_DEPS:
                continue
            toks = [c]
            stack = [c]
            while stack:
                x = stack.pop()
                for k in kids.get(x.i, ()):
                    if k.dep not in _OWN_CLAUSE_DEPS:
                        toks.append(k)
                        stack.append(k)
            # a function word the parser hung on the head right before the adverbial
            # ("jusqu' | ici" as mark + advmod)
            first = min(toks, key=lambda x: x.i)
            siblings = {k.i: k for k in kids.get(h.i, ()) if k.dep in ("mark", "case")}
            while first.i - 1 in siblings:
                first = siblings[first.i - 1]
                toks.append(first)
            out.append(fold(doc.text[min(x.start for x in toks) : max(x.end for x in toks)]))
    return out
