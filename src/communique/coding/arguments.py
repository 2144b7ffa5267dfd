"""Source and target of a trigger candidate, from the dependency parse with linear fallbacks.

Each actor mention is attached to the predicate by walking up the parse from the mention's
anchor tokens until a token directly under the predicate is reached; the label of that
token (nsubj, obj, obl...) and its preposition give the mention's role. When the parse
gives no subject (parsers often misattach long French sentences), the nearest actor
before the trigger in the same clause is used, with lower confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from communique.coding.triggers import Candidate
from communique.langpacks.loader import Grammar
from communique.nlp.view import ParsedDoc, Sent, Tok
from communique.resolve.actors import Mention, token_mention
from communique.textfold import fold

# Types whose passive subject, when no agent is named, is the actor itself (forces deployed).
DEPLOYED_SUBJECT_TYPES = frozenset({"MOBILIZE"})
# Maximum parse steps from a mention up to the predicate; deeper attachments are noise.
MAX_WALK = 8
# Confidence factors for fallbacks (multiplied into the rule's confidence).
LINEAR_SOURCE_FACTOR = 0.75
LINEAR_TARGET_FACTOR = 0.7

_SUBJ = frozenset({"nsubj", "csubj"})
_PASS_SUBJ = frozenset({"nsubj:pass"})
_OBJ = frozenset({"obj", "iobj", "obl:arg"})
_CLAUSE_DEPS = frozenset({"acl:relcl", "advcl", "ccomp", "parataxis", "csubj"})


@dataclass
class Attachment:
    mention: Mention
    dep: str  # label of the token directly under the predicate
    prep: str | None  # folded preposition of that token, if any
    via: Tok  # the token directly under the predicate


def _case_of(kids: dict[int, list[Tok]], t: Tok, g: Grammar) -> str | None:
    """The folded preposition(s) before ``t``, contractions expanded (grammar.yaml
    preposition_aliases: "au" -> "a")."""
    preps = [c for c in kids.get(t.i, ()) if c.dep in ("case", "mark") and c.i < t.i]
    if not preps:
        return None
    words = " ".join(fold(c.text) for c in sorted(preps, key=lambda c: c.i))
    return g.preposition_aliases.get(words, words)


def attach(
    doc: ParsedDoc,
    kids: dict[int, list[Tok]],
    mention: Mention,
    heads: set[int],
    g: Grammar,
) -> Attachment | None:
    """How ``mention`` attaches to any of the ``heads`` tokens, or None."""
    best: Attachment | None = None
    for anchor in mention.anchors(doc):
        t = doc.tokens[anchor]
        steps = 0
        while steps < MAX_WALK:
            if t.head in heads and t.i not in heads:
                prep = _case_of(kids, t, g) or _case_of(kids, doc.tokens[anchor], g)
                att = Attachment(mention, t.dep, prep, t)
                if best is None or _rank(att) < _rank(best):
                    best = att
                break
            if t.head == t.i or t.dep in _CLAUSE_DEPS:
                break
            t = doc.tokens[t.head]
            steps += 1
    return best


def _rank(a: Attachment) -> int:
    if a.dep in _SUBJ or a.dep in _PASS_SUBJ:
        return 0
    if a.dep in _OBJ:
        return 1
    if a.dep.startswith("obl") or a.dep.startswith("nmod"):
        return 2
    return 3


@dataclass
class Arguments:
    sources: list[Mention]
    targets: list[Mention]
    source_pronoun: Tok | None  # an unresolved pronoun subject (il, elle, je...)
    relative_head: Tok | None  # "qui" subject: the noun the relative clause modifies
    confidence: float
    trace: list[str]
    # the nearest actor after the trigger, for when neither the parse nor the phrase's
    # nationality gives a target (used by the coder as a last resort)
    linear_targets: list[Mention]
    # the subject is a bare pair number ("the two agreed", "les deux ont convenu")
    pair_subject: bool = False


def _predicate_heads(doc: ParsedDoc, cand: Candidate) -> set[int]:
    heads = {cand.predicate.i, cand.trigger.i}
    if cand.light is not None:
        heads.add(cand.light.i)
    return heads


def _is_passive(kids: dict[int, list[Tok]], pred: Tok, g: Grammar) -> bool:
    # a passive has its auxiliary ("a été reçu"); a lone nsubj:pass is a parser slip; a
    # participle modifying a noun with a "par" agent is passive too ("appuyés par X")
    children = kids.get(pred.i, ())
    if any(c.dep == "aux:pass" for c in children):
        return True
    return (
        pred.verb_form == "Part"
        and pred.dep in ("acl", "acl:relcl")
        and any(
            c.dep == "obl:agent"
            or any(fold(k.text) in g.agent_preps for k in kids.get(c.i, ()) if k.dep == "case")
            for c in children
        )
    )


# Verbal acts: a participle of one of these after a comma ("..., accusing X of", "...,
# urging Y to") reports what the main clause's subject said.
_VERBAL_TYPES = frozenset({"ACCUSE", "REQUEST", "THREATEN", "REJECT", "SUPPORT", "AGREE"})


def _subject_owner(
    doc: ParsedDoc, kids: dict[int, list[Tok]], pred: Tok, verbal: bool = False
) -> Tok:
    """The verb whose subject is also ``pred``'s subject: control (xcomp) and
    coordination (conj) pass the subject down."""
    t = pred
    if (
        verbal
        and pred.dep == "advcl"
        and pred.verb_form in ("Part", "Ger")
        and pred.i > 0
        and doc.tokens[pred.i - 1].text == ","
    ):
        # "X said the troops would leave, accusing Y of ...": a participle after a comma
        # speaks of the main clause's subject, wherever the parser hung it
        root = pred
        for _ in range(8):
            if root.head == root.i:
                break
            root = doc.tokens[root.head]
        if root.head == root.i and any(c.dep in _SUBJ for c in kids.get(root.i, ())):
            return root
    for _ in range(4):
        has_subj = any(c.dep in _SUBJ | _PASS_SUBJ for c in kids.get(t.i, ()))
        if has_subj or t.head == t.i:
            return t
        if t.dep in ("xcomp", "conj", "advcl") or (
            t.dep == "acl" and t.pos == "VERB" and t.verb_form == "Inf"
        ):
            t = doc.tokens[t.head]
            continue
        return t
    return t


def _object_controller(
    doc: ParsedDoc, kids: dict[int, list[Tok]], pred: Tok, mentions: Sequence[Mention]
) -> Mention | None:
    """The actor that is the object of the verb governing a non-finite ``pred``: object
    control ("accused Russia of striking", "urged the EU to impose", "a accusé Kiev
    d'avoir frappé", "a demandé à Bakou de libérer"). None when ``pred`` has its own
    subject or its governor no actor object."""
    if pred.head == pred.i or pred.dep not in ("xcomp", "advcl"):
        return None
    if pred.verb_form not in ("Inf", "Ger", "Part", ""):
        return None
    if any(c.dep in _SUBJ | _PASS_SUBJ for c in kids.get(pred.i, ())):
        return None
    # a complement clause opens with its marker ("of striking", "to impose", "de
    # collaborer"); a bare participle ("..., accusant Kinshasa") is an adjunct whose
    # subject is the main clause's
    if not any(
        c.i < pred.i and (c.dep == "mark" or (c.dep == "aux" and c.pos == "PART"))
        for c in kids.get(pred.i, ())
    ):
        return None
    gov = doc.tokens[pred.head]
    for c in kids.get(gov.i, ()):
        if c.dep in ("obj", "iobj", "obl:arg") and c.i < pred.i:
            m = token_mention(mentions, c)
            if m is not None and not m.locative:
                return m
    return None


def find_arguments(
    doc: ParsedDoc,
    sent: Sent,
    cand: Candidate,
    mentions: Sequence[Mention],
    kids: dict[int, list[Tok]],
    max_distance: int,
    g: Grammar,
) -> Arguments:
    spec = cand.spec
    pred = cand.predicate
    heads = _predicate_heads(doc, cand)
    passive = _is_passive(kids, pred, g)
    trace: list[str] = []
    controller = _object_controller(doc, kids, pred, mentions)
    owner = (
        pred
        if controller is not None
        else _subject_owner(doc, kids, pred, spec.type in _VERBAL_TYPES)
    )
    if controller is not None:
        trace.append(
            f"subject: the object of '{doc.tokens[pred.head].text}' ({controller.ref.name})"
        )
    if owner.i != pred.i:
        heads_subj = heads | {owner.i}
        trace.append(f"subject taken from governing verb '{owner.text}'")
    else:
        heads_subj = heads
    atts = [a for m in mentions if (a := attach(doc, kids, m, heads_subj, g)) is not None]
    sources: list[Mention] = []
    targets: list[Mention] = []
    conf = spec.confidence
    for a in atts:
        if a.mention.locative and a.dep in _SUBJ:
            continue
        if passive:
            if a.dep in _PASS_SUBJ:
                targets.append(a.mention)
            elif a.prep in g.agent_preps or a.dep == "obl:agent":
                sources.append(a.mention)
        elif a.dep in _SUBJ or a.dep in _PASS_SUBJ:
            sources.append(a.mention)
    if passive and not sources and spec.type in DEPLOYED_SUBJECT_TYPES and targets:
        # "Polish troops were deployed to Lithuania": with no agent, the force deployed
        # is the deploying side; the target is looked for in the trigger's slots
        sources, targets = targets, []
        trace.append("passive without agent: the deployed force is the source")
    # nominal predicates: "la rencontre entre X et Y", "la visite du président X"
    if cand.predicate.pos in ("NOUN", "PROPN") and not sources:
        own = [a for a in atts if a.dep.startswith("nmod") or a.dep == "amod"]
        entre = [a for a in own if a.prep in g.between_preps]
        if entre:
            sources = [entre[0].mention]
            targets = [a.mention for a in entre[1:]]
        else:
            genitive = [
                a
                for a in own
                if (a.prep is None or a.prep in g.genitive_case) and not a.mention.locative
            ]
            if genitive:
                sources = [genitive[0].mention]
                trace.append("source: genitive of the event noun")
    if not sources and controller is not None:
        sources = [controller]
    source_pronoun = None
    relative_head = None
    pair_subject = False
    if not sources:
        subj_tok = next(
            (c for c in kids.get(owner.i, ()) if c.dep in (_PASS_SUBJ if passive else _SUBJ)), None
        )
        if subj_tok is not None and subj_tok.pos == "PRON":
            w = fold(subj_tok.text)
            if (
                w in g.relative_subjects
                and owner.dep in ("acl:relcl", "acl")
                and owner.head != owner.i
            ):
                relative_head = doc.tokens[owner.head]
            elif w in g.subject_pronouns:
                source_pronoun = subj_tok
        elif subj_tok is None and owner.dep in ("acl", "acl:relcl") and owner.head != owner.i:
            relative_head = doc.tokens[owner.head]
        elif (
            subj_tok is not None
            and subj_tok.pos == "NUM"
            and fold(subj_tok.text) in g.pair_numbers
            and not any(c.dep not in ("det", "punct") for c in kids.get(subj_tok.i, ()))
        ):
            pair_subject = True
    # targets by slot, in the order the trigger prefers
    if not passive or not targets:
        chosen: list[Mention] = []
        for slot in spec.target:
            if slot == "place":
                continue
            for a in atts:
                if a.mention in sources or a.mention in chosen:
                    continue
                if a.mention.locative and spec.visit is None and slot not in g.locative_slots:
                    continue
                if slot in ("obj", "iobj"):
                    ok = a.dep in _OBJ and a.prep is None
                else:
                    ok = a.prep == slot or (a.prep is not None and a.prep.split(" ")[-1] == slot)
                if ok:
                    chosen.append(a.mention)
            if chosen:
                trace.append(f"target by slot '{slot}'")
                break
        targets = targets or chosen
    # linear fallbacks inside the sentence
    trig_start = cand.trigger.start
    if (
        not sources
        and source_pronoun is None
        and relative_head is None
        and pred.pos not in ("NOUN", "PROPN")
    ):
        before = [
            m
            for m in mentions
            if m.end <= trig_start
            and not m.locative
            and trig_start - m.end <= max_distance
            and m not in targets
        ]
        if before:
            sources = [before[-1]]
            conf *= LINEAR_SOURCE_FACTOR
            trace.append("source: nearest actor before the trigger (parse gave no subject)")
    linear: list[Mention] = []
    if not targets and spec.target and "place" not in spec.target:
        after = [
            m
            for m in mentions
            if m.start >= cand.trigger_end
            and m not in sources
            and (not m.locative or spec.visit == "subject")
            and m.start - cand.trigger_end <= max_distance
        ]
        if after:
            linear = _with_coordinated(
                doc, [after[0]], [m for m in mentions if m not in sources], g
            )
    sources = _with_coordinated(doc, sources, mentions, g)
    targets = _with_coordinated(doc, targets, [m for m in mentions if m not in sources], g)
    return Arguments(
        sources, targets, source_pronoun, relative_head, conf, trace, linear, pair_subject
    )


# Longest text between two coordinated actors: ", ainsi que la" is 14 characters. Checking
# the length before folding keeps the coordination pass linear in long sentences.
MAX_COORD_GAP = 20


def _with_coordinated(
    doc: ParsedDoc, chosen: list[Mention], mentions: Sequence[Mention], g: Grammar
) -> list[Mention]:
    """Add the actors coordinated with the chosen ones, read off the text: the parser often
    misattaches the first conjunct ("Le Kazakhstan et l'Ouzbékistan ont signé"). What may
    separate two coordinated actors is grammar.yaml's coordination_words ("X et Y", "X, Y
    et Z", "X ainsi que Y")."""
    if not chosen:
        return chosen
    out = list(chosen)
    ordered = sorted(mentions, key=lambda m: m.start)
    changed = True
    while changed:
        changed = False
        for m in ordered:
            if m in out or m.locative:
                continue
            for c in list(out):
                lo, hi = (m.end, c.start) if m.end <= c.start else (c.end, m.start)
                if hi < lo or hi - lo > MAX_COORD_GAP:
                    continue
                words = fold(doc.text[lo:hi]).replace(",", " , ").split()
                if (
                    words
                    and len(words) <= 3
                    and all(w in g.coordination_words for w in words)
                    and ("," in words or any(w in g.and_words for w in words))
                ):
                    out.append(m)
                    changed = True
                    break
    return sorted(out, key=lambda m: m.start)
