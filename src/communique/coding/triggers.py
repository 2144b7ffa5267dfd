"""Finding trigger candidates in a parsed sentence.

A candidate pairs a trigger specification from the language pack with the token(s) that
realise it and the *predicate* token whose arguments carry source and target: the verb
itself, the light verb of a predicative noun ("exprimer sa gratitude"), the copula
adjective ("prêt à"), or the noun itself when it carries its own arguments ("la rencontre
entre X et Y").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from communique.langpacks.loader import LanguagePack, TriggerSpec
from communique.nlp.view import ParsedDoc, Sent, Tok
from communique.resolve.actors import Mention, token_mention
from communique.textfold import fold, fold_key

_REFLEXIVE = frozenset({"se", "s'", "me", "m'", "te", "t'", "nous", "vous"})
# Dependency labels of a verb's object phrase, where `objects:` constraints are checked.
_OBJECT_DEPS = frozenset(
    {"obj", "nsubj:pass", "obl:arg", "iobj", "xcomp", "obl", "obl:mod", "nmod"}
)
# Labels under which a predicative noun is the complement of its light verb; the parser
# often gives "obl:arg" or "obl" where "obj" is meant ("a imposé lundi de nouvelles sanctions").
_LIGHT_OBJECT_DEPS = frozenset({"obj", "nsubj:pass", "obl:arg", "obl", "obl:mod", "xcomp"})
# How many tokens after a multi-word trigger's first word its other words may appear.
MULTIWORD_WINDOW = 4


@dataclass(frozen=True)
class Candidate:
    spec: TriggerSpec
    trigger: Tok  # the trigger word (verb, noun or adjective)
    predicate: Tok  # where the arguments attach
    trigger_end: int  # char end of the (possibly multi-word) trigger
    light: Tok | None = None  # the light/happen verb for predicative nouns
    object_head: Tok | None = (
        None  # the noun a bare participle describes ("le mémorandum ..., signé")
    )


def _children(doc: ParsedDoc, sent: Sent) -> dict[int, list[Tok]]:
    kids: dict[int, list[Tok]] = {}
    for t in doc.sent_tokens(sent):
        if t.head != t.i:
            kids.setdefault(t.head, []).append(t)
    return kids


def _multiword_end(
    doc: ParsedDoc, sent: Sent, tok: Tok, rest: list[str], verb: bool = False
) -> int | None:
    """If the words of ``rest`` follow ``tok`` (within a small window), the end offset.
    For a verb, the first following word is a particle: a ``compound:prt`` child ("pulled
    its troops out") or right after the verb, adverbs aside ("called on", "mis en garde");
    "called the president on Tuesday" is no "call on"."""
    if not rest:
        return tok.end
    if verb and not _particle_follows(doc, sent, tok, rest[0]):
        return None
    j = tok.i + 1
    k = 0
    limit = min(sent.tok_end, tok.i + 1 + MULTIWORD_WINDOW + len(rest))
    end = None
    while j < limit and k < len(rest):
        w = fold(doc.tokens[j].text)
        if w == rest[k] or fold_key(doc.tokens[j].lemma) == rest[k]:
            k += 1
            end = doc.tokens[j].end
        elif k > 0:
            return None
        j += 1
    return end if k == len(rest) else None


def _phrase_head(doc: ParsedDoc, tok: Tok, rest: list[str], end: int) -> Tok:
    """The token a multi-word noun trigger is built on: the first word, unless it only
    modifies the phrase's last word ("phone call", "air strike": the call, the strike)."""
    if not rest or tok.dep not in ("compound", "amod") or tok.head == tok.i:
        return tok
    head = doc.tokens[tok.head]
    return head if head.end == end and head.i > tok.i else tok


def _particle_follows(doc: ParsedDoc, sent: Sent, tok: Tok, word: str) -> bool:
    j = tok.i + 1
    while (
        j < sent.tok_end
        and doc.tokens[j].pos in ("ADV", "PART")
        and fold(doc.tokens[j].text) != word
    ):
        j += 1
    if j < sent.tok_end and fold(doc.tokens[j].text) == word:
        return True
    return any(
        t.head == tok.i and t.dep == "compound:prt" and fold(t.text) == word
        for t in doc.sent_tokens(sent)
    )


def _subtree(
    kids: dict[int, list[Tok]], i: int, stop_deps: frozenset[str] = frozenset()
) -> list[Tok]:
    out: list[Tok] = []
    stack = list(kids.get(i, ()))
    while stack:
        t = stack.pop()
        if t.dep in stop_deps:
            continue
        out.append(t)
        stack.extend(kids.get(t.i, ()))
    return out


def _objects_ok(
    spec: TriggerSpec,
    doc: ParsedDoc,
    kids: dict[int, list[Tok]],
    pred: Tok,
    mentions: Sequence[Mention],
    pack: LanguagePack,
    skip: int | None = None,
) -> bool:
    if not spec.objects:
        return True
    stop = frozenset({"nsubj", "acl:relcl", "advcl", "ccomp", "parataxis", "conj"})
    heads = [pred]
    if pred.dep in ("acl", "acl:relcl") and pred.head != pred.i:
        # "le mémorandum ..., signé en mai": the participle's object is the noun it modifies
        heads.append(doc.tokens[pred.head])
    for h in heads[1:]:
        lem = fold_key(h.lemma)
        if lem in spec.objects or ("*AGREEMENT" in spec.objects and lem in pack.agreement_nouns):
            return True
    if "*PERSON" in spec.objects and _person_follows(
        doc, pred, mentions, pack.grammar.object_blockers
    ):
        return True
    for child in kids.get(pred.i, ()):
        if child.dep not in _OBJECT_DEPS or child.i == skip:
            continue
        for t in [child, *_subtree(kids, child.i, stop)]:
            lem = fold_key(t.lemma)
            word = fold(t.text)
            if lem in spec.objects or word in spec.objects:
                return True
            if "*AGREEMENT" in spec.objects and (
                lem in pack.agreement_nouns or word in pack.agreement_nouns
            ):
                return True
            # an actor heading the object or named right inside it ("la centralité de
            # l'ASEAN", "le chef de l'opposition")
            near = t.i == child.i or (
                t.head == child.i
                and t.dep.startswith("nmod")
                and all(
                    fold(c.text) in pack.grammar.genitive_preps
                    or fold(c.text) in pack.grammar.preposition_aliases
                    for c in kids.get(t.i, ())
                    if c.dep == "case" and c.i < t.i
                )
            )
            if "*PERSON" in spec.objects and near and token_mention(mentions, t) is not None:
                m = token_mention(mentions, t)
                if m is not None and not m.locative:
                    return True
    return False


def find_candidates(
    doc: ParsedDoc, sent: Sent, pack: LanguagePack, mentions: Sequence[Mention]
) -> list[Candidate]:
    verbs = pack.verbs()
    adjectives = pack.adjectives()
    kids = _children(doc, sent)
    out: list[Candidate] = []
    for tok in doc.sent_tokens(sent):
        lemma = fold_key(tok.lemma)
        if (
            tok.pos in ("VERB", "AUX") or (tok.pos == "ADJ" and tok.verb_form == "Part")
        ) and tok.dep != "amod":
            # Participles tagged ADJ ("signé") still act as verbs; one that only describes
            # its noun ("a jailed journalist", "les soldats blessés") names a state.
            for key in (lemma,):
                for spec in _verb_specs(pack, key):
                    rest = spec.lemma.split(" ")[1:]
                    end = _multiword_end(doc, sent, tok, rest, verb=True)
                    if end is None:
                        continue
                    reflexive = any(
                        fold(c.text) in _REFLEXIVE
                        and c.dep in ("expl:comp", "obj", "expl:pv", "iobj", "expl")
                        for c in kids.get(tok.i, ())
                    )
                    if spec.reflexive and not reflexive:
                        continue
                    if not spec.reflexive and reflexive and _has_reflexive_variant(verbs, key):
                        continue
                    obj_head = None
                    if not _objects_ok(spec, doc, kids, tok, mentions, pack):
                        obj_head = _participle_noun(doc, sent, tok, kids, spec, pack)
                        if obj_head is None:
                            continue
                    elif tok.dep in ("acl", "acl:relcl") and tok.head != tok.i:
                        obj_head = doc.tokens[tok.head]
                    out.append(Candidate(spec, tok, tok, end, object_head=obj_head))
                    break
        if tok.pos in ("NOUN", "PROPN") or (tok.pos == "VERB" and tok.dep in ("obj", "nsubj")):
            word = fold(tok.text)
            specs = list(pack.starting_with("noun", lemma))
            if word != lemma:
                specs += [s for s in pack.starting_with("noun", word) if s not in specs]
            specs.sort(key=lambda s: -len(s.lemma))
            for spec in specs:
                rest = spec.lemma.split(" ")[1:]
                end = _multiword_end(doc, sent, tok, rest)
                if end is None:
                    continue
                anchor = _phrase_head(doc, tok, rest, end)
                cand = _noun_candidate(doc, sent, anchor, spec, end, kids, mentions, pack)
                if cand is not None:
                    out.append(cand)
                    break
        if tok.pos == "ADJ" and tok.dep == "amod":
            # "joint exercises", "military drills": a noun phrase that starts with its
            # adjective, built on the head noun
            head = doc.tokens[tok.head]
            for spec in sorted(pack.starting_with("noun", lemma), key=lambda s: -len(s.lemma)):
                rest = spec.lemma.split(" ")[1:]
                if not rest or head.pos not in ("NOUN", "PROPN"):
                    continue
                end = _multiword_end(doc, sent, tok, rest)
                if end is None or end != head.end:
                    continue
                cand = _noun_candidate(doc, sent, head, spec, end, kids, mentions, pack)
                if cand is not None:
                    out.append(cand)
                    break
        if tok.pos == "ADJ":
            for spec in adjectives.get(lemma, []):
                if any(c.dep == "cop" for c in kids.get(tok.i, ())) or tok.dep in ("xcomp", "acl"):
                    out.append(Candidate(spec, tok, tok, tok.end))
                    break
    return out


# How far back (tokens) a bare participle ("..., signé en mai") may look for the noun it
# describes when the parse attached it elsewhere: a long agreement title is ~20 tokens.
PARTICIPLE_LOOKBACK = 30


def _participle_noun(
    doc: ParsedDoc,
    sent: Sent,
    tok: Tok,
    kids: dict[int, list[Tok]],
    spec: TriggerSpec,
    pack: LanguagePack,
) -> Tok | None:
    """For a past participle used without auxiliary ("le mémorandum ..., signé en mai"),
    the noun before it that satisfies the trigger's object constraint."""
    if tok.verb_form != "Part" or any(c.dep.startswith("aux") for c in kids.get(tok.i, ())):
        return None
    for j in range(tok.i - 1, max(sent.tok_start, tok.i - PARTICIPLE_LOOKBACK) - 1, -1):
        t = doc.tokens[j]
        if t.pos in ("VERB", "AUX") and t.verb_form == "Fin":
            return None
        lem = fold_key(t.lemma)
        if t.pos == "NOUN" and (
            lem in spec.objects or ("*AGREEMENT" in spec.objects and lem in pack.agreement_nouns)
        ):
            return t
    return None


# Tokens after a verb within which an actor counts as its object when the parse hung it
# elsewhere ("a reçu mardi à Accra le ministre britannique").
PERSON_OBJECT_WINDOW = 10


def _person_follows(
    doc: ParsedDoc, pred: Tok, mentions: Sequence[Mention], blockers: frozenset[str]
) -> bool:
    """An actor mention right after the verb, not behind a locative preposition
    (``blockers``, grammar.yaml object_blockers), is its object."""
    sent = doc.sents[pred.sent]
    for j in range(pred.i + 1, min(sent.tok_end, pred.i + 1 + PERSON_OBJECT_WINDOW)):
        t = doc.tokens[j]
        if t.pos in ("VERB", "AUX") and t.verb_form == "Fin":
            return False
        m = token_mention(mentions, t)
        if (
            m is not None
            and not m.locative
            and m.kind in ("person", "group", "country", "org", "region")
        ):
            # an actor right after the verb (not in a locative phrase) is its object
            prev = doc.tokens[j - 1]
            return fold(prev.text) not in blockers
        if m is None and t.pos == "NOUN":
            # "co-host a donor conference with the UN": the object is the conference
            return False
    return False


def _verb_specs(pack: LanguagePack, key: str) -> list[TriggerSpec]:
    # longer (multi-word, constrained) entries first, so "mettre en garde" beats "mettre"
    specs = list(pack.starting_with("verb", key))
    specs.sort(key=lambda s: (-len(s.lemma.split(" ")), -len(s.objects), not s.reflexive))
    return specs


def _has_reflexive_variant(verbs: dict[str, list[TriggerSpec]], key: str) -> bool:
    return any(s.reflexive for s in verbs.get(key, []))


def _noun_candidate(
    doc: ParsedDoc,
    sent: Sent,
    tok: Tok,
    spec: TriggerSpec,
    end: int,
    kids: dict[int, list[Tok]],
    mentions: Sequence[Mention],
    pack: LanguagePack,
) -> Candidate | None:
    head = doc.tokens[tok.head] if tok.head != tok.i else None
    # the noun may be inside a noun phrase object: "des lettres d'invitation"
    via = tok
    if (
        head is not None
        and head.pos in ("NOUN", "PRON", "NUM")
        and tok.dep in ("nmod",)
        and head.head != head.i
        and fold_key(head.lemma) in pack.container_nouns
    ):
        via = head
        head = doc.tokens[head.head]
    # nominal "signature de l'accord": the agreement is an nmod of the noun
    if (
        spec.objects
        and not _objects_ok(spec, doc, kids, tok, mentions, pack)
        and not any(
            fold_key(t.lemma) in pack.agreement_nouns
            for t in _subtree(kids, tok.i, frozenset({"acl:relcl"}))
        )
    ):
        return None
    if spec.only_with:
        if head is None or fold_key(head.lemma) not in spec.only_with:
            return None
        return Candidate(spec, tok, head, end, light=head)
    if (
        head is not None
        and via.dep in _LIGHT_OBJECT_DEPS
        and fold_key(head.lemma) in pack.light_verbs
    ):
        return Candidate(spec, tok, head, end, light=head)
    if head is not None and via.dep == "nsubj" and _is_happen(head, kids, pack):
        return Candidate(spec, tok, tok, end, light=head)
    if spec.needs_light:
        return None
    # own arguments: "la rencontre entre X et Y", "la visite du président X à Bakou"
    own = [c for c in kids.get(tok.i, ()) if c.dep in ("nmod", "acl", "amod")]
    has_actor_arg = any(
        token_mention(mentions, t) is not None
        for c in own
        for t in [c, *_subtree(kids, c.i, frozenset({"acl:relcl"}))]
    )
    if has_actor_arg and via.dep not in ("nmod",):
        return Candidate(spec, tok, tok, end)
    return None


def _is_happen(head: Tok, kids: dict[int, list[Tok]], pack: LanguagePack) -> bool:
    lemma = fold_key(head.lemma)
    for phrase in pack.happen_verbs:
        words = phrase.split(" ")
        if words[0] == "se" and len(words) > 1:
            if lemma == words[1] and any(fold(c.text) in _REFLEXIVE for c in kids.get(head.i, ())):
                return True
        elif lemma == words[0] and (
            len(words) == 1 or any(fold_key(c.lemma) == words[1] for c in kids.get(head.i, ()))
        ):
            return True
    return False
