"""Document-level coding: parsed article -> events.

Two passes over the sentences: the first builds actor mentions and quotations (a quote's
speaker may be named after it closes), the second finds triggers, attaches arguments,
resolves pronouns and titles through the discourse state, sets the auxiliary modes, dates
and places, and applies PLOVER's type rules (planned cooperation -> AGREE, visits,
joint signings). A last filter keeps one event per (type, source, target, date).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from communique.coding.arguments import LINEAR_TARGET_FACTOR, find_arguments
from communique.coding.modality import Modes, assess, governing_trigger
from communique.coding.triggers import Candidate, find_candidates
from communique.langpacks.loader import LanguagePack
from communique.model import ActorRef, Article, DateRef, Event, Place, TextSpan
from communique.nlp.view import ParsedDoc, Sent, Tok
from communique.resolve.actors import ActorResolver, Mention, country_actor, with_country
from communique.textfold import fold, fold_key

# Types whose direction does not matter for deduplication (CODING.md, scoring rule 3).
SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
# Offices a bare title ("le chef de l'Etat", "le président") most often refers to; they can
# be resolved from the article's dominant country when no earlier mention names them.
SALIENT_OFFICES = frozenset({"head_of_state", "head_of_government", "foreign_minister"})
# Types that, reported in a speaker's complement clause with another agent, are also an
# accusation by the speaker (CODING.md: ACCUSE covers allegations).
ALLEGEABLE_TYPES = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "THREATEN", "SANCTION", "REJECT"})
# Verbal acts whose target may be the actor their statement is about ("a dénoncé une
# « agression » de X", "exige que X rende...").
STATEMENT_TYPES = frozenset({"ACCUSE", "REQUEST"})
# Verbs of protest that are PROTEST when civilians do them and ACCUSE when a government does
# are grammar.yaml's crowd_protest_verbs.
CROWD_SECTORS = frozenset({"CVL", "MED", "OPP", "NGO", "BUS"})
# Types whose target, when no actor is named, is the state of the place hit.
PLACE_TARGET_TYPES = frozenset({"ASSAULT"})
# Parties from which a meeting is multilateral (PLOVER CONSULT mode).
MULTILATERAL_PARTIES = 3
# The press as a group: talking to it is a statement, never a CONSULT.
AUDIENCE_GROUP = "group:media"
# Group keys whose violence PLOVER codes as PROTEST (riot), not ASSAULT.
PROTESTER_GROUPS = frozenset({"group:protesters"})
# Role label of the "homologue" office (knowledge/data/offices.yaml).
COUNTERPART_ROLE = "counterpart"
# Sentences for which the last place named still locates domestic groups ("Ils ont été
# dispersés par la police" right after a sentence set in Bamako).
PLACE_MEMORY_SENTENCES = 1
# Maximum characters between a visitor and its "en visite" phrase.
VISIT_PHRASE_WINDOW = 60
# Characters after a closing quote in which its attribution ("», a déclaré X") is sought.
QUOTE_ATTRIBUTION_WINDOW = 120
# Confidence given to ACCUSE events derived from reported conflict (a reading, not a verb).
ALLEGE_CONFIDENCE = 0.6

# Quotations: French guillemets, curly quotes, and straight quotes within one paragraph.
_QUOTE = re.compile(r"«([^»]{1,4000})»|“([^”]{1,4000})”|\"([^\"\n]{1,4000})\"")


@dataclass
class Quote:
    start: int
    end: int
    speaker: ActorRef | None


@dataclass
class Discourse:
    """What earlier sentences tell about later ones."""

    mentions: list[Mention] = field(default_factory=list)
    last_subject: ActorRef | None = None
    last_pair: tuple[ActorRef, ActorRef] | None = None
    # the country a dispatch speaks from (its agency's or its dateline's): "le chef de
    # l'Etat" in an AZERTAC dispatch with no other clue is Azerbaijan's
    home_country: str | None = None
    # the country of the last place named: domestic groups in the next sentences are there
    last_place_country: str | None = None
    last_place_sent: int = -10

    def last_person(self, exclude_key: str | None = None) -> ActorRef | None:
        for m in reversed(self.mentions):
            if m.kind == "person" and not m.needs_country and m.ref.key != exclude_key:
                return m.ref
        return None

    def same_office(self, office: str | None) -> ActorRef | None:
        if not office:
            return None
        for m in reversed(self.mentions):
            if m.office == office and not m.needs_country:
                return m.ref
        return None

    def same_group(self, group: str) -> ActorRef | None:
        for m in reversed(self.mentions):
            if m.group == group and m.ref.key != "unknown":
                return m.ref
        return None

    def same_name(self, name: str) -> ActorRef | None:
        words = fold_key(name).split()
        if not words:
            return None
        for m in reversed(self.mentions):
            if m.kind != "person" or m.needs_country or m.ref.span is None:
                continue
            # compare with the name piece of the earlier mention (its actor name)
            other = fold_key(m.ref.name).split()
            if other and (other == words or other[-1] == words[-1]):
                return m.ref
        return None

    def dominant_country(self) -> str | None:
        counts = Counter(
            m.ref.country for m in self.mentions if m.ref.country and m.kind == "person"
        )
        if not counts:
            counts = Counter(m.ref.country for m in self.mentions if m.ref.country)
        return counts.most_common(1)[0][0] if counts else None


@dataclass(frozen=True)
class CoderTools:
    """Everything the coder needs, built once per language by a factory."""

    pack: LanguagePack
    resolver: ActorResolver
    kb: Any
    plover: dict[str, Any]
    find_dates: Callable[..., list[Any]]  # (text, start, end, published, prefer) -> mentions
    find_places: Callable[[str, int, int], list[Place]]
    resolve_place_name: Callable[[str], Place | None]
    agency_country: Callable[[str], str | None] = lambda name: None
    max_argument_distance: int = 220
    keep_historical: bool = False
    keep_hypothetical: bool = False
    min_confidence: float = 0.0
    max_sentence_tokens: int = 250


class DocumentCoder:
    def __init__(self, tools: CoderTools):
        self.t = tools
        # (rule, trigger, reason) of candidates not coded in the last document: for
        # debugging rules and for `explain`-style reports.
        self.dropped: list[tuple[str, str, str]] = []

    def _drop(self, cand: Candidate, reason: str) -> None:
        self.dropped.append((cand.spec.rule, cand.trigger.text, reason))

    # ------------------------------------------------------------------ entry point
    def code(self, article: Article, doc: ParsedDoc) -> tuple[list[Event], list[ActorRef]]:
        t = self.t
        published = article.published
        on = published
        # coding units: sentences, with pathological run-on sentences cut into windows so
        # that the per-trigger work stays bounded
        units = [w for sent in doc.sents for w in _windows(doc, sent, t.max_sentence_tokens)]
        sent_mentions = {
            i: t.resolver.sentence_mentions(doc, unit, on) for i, unit in enumerate(units)
        }
        quotes = self._quotes(doc, sent_mentions)
        dateline_place = None
        if article.dateline is not None and article.dateline.place is not None:
            dateline_place = t.resolve_place_name(article.dateline.place.text)
        state = Discourse(home_country=_home_country(article, dateline_place, t.agency_country))
        self.dropped = []
        events: list[Event] = []
        actors: list[ActorRef] = []
        for i, sent in enumerate(units):
            mentions = []
            for m in sent_mentions[i]:
                resolved = self._resolve_mention(m, state, on)
                mentions.append(resolved)
                state.mentions.append(resolved)  # later mentions may corefer with it
            surnames = _surname_mentions(doc, sent, mentions, state)
            if surnames:
                mentions = sorted([*mentions, *surnames], key=lambda m: m.start)
                state.mentions.extend(surnames)
                sent_mentions[i] = mentions
            sent_events = self._code_sentence(
                article, doc, sent, mentions, state, quotes, dateline_place
            )
            events.extend(sent_events)
            actors.extend(m.ref for m in mentions)
        kept = [e for e in events if e.confidence >= t.min_confidence]
        self.dropped.extend(
            (e.rule, e.trigger.text, f"confidence {e.confidence} below the threshold")
            for e in events
            if e.confidence < t.min_confidence
        )
        return dedupe(kept), actors

    # ------------------------------------------------------------------ discourse
    def _resolve_mention(self, m: Mention, state: Discourse, on: date | None) -> Mention:
        if m.kind == "group" and m.ref.key == "unknown" and m.group:
            # "les autorités" after "les autorités maliennes": the same body
            prior = state.same_group(m.group)
            if prior is not None:
                return with_country(m, prior, "coref:same-group")
            return m
        if not m.needs_country or m.kind != "person":
            return m
        if m.office is None:
            # a bare name: the same person named earlier ("Masaki Ishikawa", "M. Ishikawa")
            prior = state.same_name(m.ref.name)
            if prior is not None:
                return with_country(m, prior, "coref:same-name")
            return m
        if m.counterpart:
            return m  # resolved against the other party at event time
        prior = state.same_office(m.office)
        if prior is not None:
            return with_country(m, prior, "coref:same-office")
        if m.office in SALIENT_OFFICES:
            country = state.dominant_country() or state.home_country
            if country:
                holders = self.t.kb.holders(m.office, country=country, on=on)
                if len(holders) == 1:
                    p = holders[0]
                    ref = ActorRef(
                        name=p.name,
                        kind="person",
                        country=country,
                        sector=m.ref.sector,
                        actor_id=f"person:{p.id}",
                        role=m.ref.role,
                        confidence=0.7,
                        method="holder",
                    )
                else:
                    ref = ActorRef(
                        name=m.ref.name,
                        kind="person",
                        country=country,
                        sector=m.ref.sector,
                        role=m.ref.role,
                        confidence=0.6,
                        method="dominant-country",
                    )
                return with_country(m, ref, "coref:dominant-country")
        return m

    def _quotes(self, doc: ParsedDoc, sent_mentions: dict[int, list[Mention]]) -> list[Quote]:
        text = doc.text
        all_mentions = [m for ms in sent_mentions.values() for m in ms]
        speech = self.t.pack.speech_verbs
        out = []
        for qm in _QUOTE.finditer(text):
            start, end = qm.start(), qm.end()
            speaker = None
            # attribution after the quote: "», a déclaré Ilham Aliyev."
            tail = text[end : end + QUOTE_ATTRIBUTION_WINDOW]
            tail_end = end + min(len(tail), _sentence_stop(tail))
            after = [
                m
                for m in all_mentions
                if end <= m.start < tail_end and m.kind in ("person", "country", "org")
            ]
            tail_words = {
                fold_key(w) for w in re.findall(r"[\w'’-]+", fold(tail[: tail_end - end]))
            }
            if after and _has_speech(doc, end, tail_end, speech, tail_words):
                speaker = after[0].ref
            if speaker is None:
                # attribution before: "X a déclaré : « ..."
                before = [
                    m
                    for m in all_mentions
                    if m.end <= start
                    and start - m.end < QUOTE_ATTRIBUTION_WINDOW
                    and m.kind in ("person", "country", "org")
                ]
                if before:
                    speaker = before[-1].ref
            out.append(Quote(start, end, speaker))
        return out

    # ------------------------------------------------------------------ sentence
    def _code_sentence(
        self,
        article: Article,
        doc: ParsedDoc,
        sent: Sent,
        mentions: list[Mention],
        state: Discourse,
        quotes: list[Quote],
        dateline_place: Place | None,
    ) -> list[Event]:
        t = self.t
        kids: dict[int, list[Tok]] = {}
        for tok in doc.sent_tokens(sent):
            if tok.head != tok.i:
                kids.setdefault(tok.head, []).append(tok)
        cands = find_candidates(doc, sent, t.pack, mentions)
        date_mentions = (
            t.find_dates(doc.text, sent.start, sent.end, article.published, "past") if cands else []
        )
        # a trigger word inside a date is the date ("on March 3" is no "march")
        cands = [
            c
            for c in cands
            if not any(d.span.start <= c.trigger.start < d.span.end for d in date_mentions)
        ]
        if not cands:
            self._update_subject(doc, sent, mentions, kids, state)
            return []
        trigger_tokens = {c.trigger.i for c in cands} | {
            c.predicate.i for c in cands if c.light is None
        }
        governed_types: dict[int, str] = {}
        for c in cands:
            g = governing_trigger(doc, c, trigger_tokens)
            if g is not None:
                governed_types[g.i] = c.spec.type
        places = t.find_places(doc.text, sent.start, sent.end)
        evidence = _evidence(doc.text, sent)
        out: list[Event] = []
        seen_tokens: set[int] = set()
        for cand in cands:
            if cand.trigger.i in seen_tokens:
                continue
            seen_tokens.add(cand.trigger.i)
            if governing_trigger(doc, cand, trigger_tokens) is not None:
                self._drop(cand, "governed by another trigger")
                continue  # its governor is the event ("prêt à soutenir" -> AGREE)
            modes = assess(doc, sent, cand, kids, t.pack.modality, t.pack.grammar)
            if modes.aggregate:
                self._drop(cand, "aggregate")
                continue
            args = find_arguments(
                doc, sent, cand, mentions, kids, t.max_argument_distance, t.pack.grammar
            )
            trace = list(args.trace) + list(modes.cues)
            sources = [r for m in args.sources for r in _expand(m)]
            if state.last_pair and (
                args.pair_subject or (args.sources and any(m.plural_parties for m in args.sources))
            ):
                sources = list(state.last_pair)
                trace.append("'les parties' -> the two parties of the last meeting")
            if not sources:
                resolved = self._pronoun_source(doc, cand, args, mentions, state, quotes)
                if resolved is not None:
                    sources = [resolved[0]]
                    trace.append(resolved[1])
            if not sources or all(s.key == "unknown" for s in sources):
                # "des frappes israéliennes ont tué...": the nationality of the agent phrase
                nat = self._nationality_of_phrase(doc, cand, kids, ("nsubj",), mentions)
                if nat is not None:
                    sources = [nat]
                    trace.append(f"source: nationality in the subject phrase ('{nat.name}')")
            if cand.predicate.pos in ("NOUN", "PROPN") and all(s.key == "unknown" for s in sources):
                self._drop(cand, "nominal event without a named agent")
                continue  # a nominal event needs a named agent ("le soutien de X")
            targets = [
                self._counterpart(m, sources, state) if not m.members else r
                for m in args.targets
                for r in (_expand(m) if m.members else [m.ref])
            ]
            if sources and sources[0].role:
                # "son homologue": the counterpart holds the source's office
                targets = [
                    replace(x, role=sources[0].role) if x.role == COUNTERPART_ROLE else x
                    for x in targets
                ]
            if not targets and cand.spec.target:
                # "une attaque contre le réseau électrique ukrainien": the target is the
                # nationality of the affected object
                nat = self._nationality_of_phrase(doc, cand, kids, ("obj", "obl", "nmod"), mentions)
                if nat is not None and all(nat.key != x.key for x in sources):
                    targets = [nat]
                    trace.append(f"target: nationality in the object phrase ('{nat.name}')")
            if not targets and cand.spec.type in STATEMENT_TYPES:
                accused = self._accused_in_statement(doc, cand, kids, mentions, quotes, sources)
                if accused is not None:
                    targets = [accused]
                    trace.append(f"target: the actor the statement is about ('{accused.name}')")
            both_sides = args.pair_subject or (
                bool(args.sources) and any(m.plural_parties for m in args.sources)
            )
            if both_sides and cand.spec.type in SYMMETRIC_TYPES and len(sources) >= 2:
                # "the two sides discussed ...": the act is between them, whatever else the
                # sentence names
                targets = []
            elif (
                not targets
                and args.linear_targets
                and not (cand.spec.type in SYMMETRIC_TYPES and len(_unique_sides(sources)) >= 2)
            ):
                targets = [r for m in args.linear_targets for r in _expand(m)]
                args.confidence *= LINEAR_TARGET_FACTOR
                trace.append("target: nearest actor after the trigger (parse gave no complement)")
            if cand.spec.type in ALLEGEABLE_TYPES and not modes.negated and not modes.hypothetical:
                # reported by a speaker: also the speaker's accusation, made when speaking
                # (the publication date) unless the sentence dates the act itself
                speech_when = (
                    DateRef(
                        _iso(article.published),
                        "day" if article.published else None,
                        "published: when the speaker spoke",
                    )
                    if modes.historical
                    else self._date(doc, sent, cand, date_mentions, article, modes, False, kids)
                )
                out.extend(
                    self._allegation(
                        doc, sent, cand, sources, mentions, kids, state, speech_when, evidence
                    )
                )
            etype, mode, alt = cand.spec.type, cand.spec.mode, None
            if cand.trigger.i in governed_types and etype == "AGREE":
                alt = governed_types[cand.trigger.i]
            if etype == "CONSULT" and mode is None and self._remote(doc, cand, kids):
                mode = "phone"
                trace.append("remote meeting: a telephone/video cue in the clause")
            # visits: "X en visite à/en Y" marks a meeting as a visit by X
            if etype == "CONSULT" and cand.spec.visit is None:
                visitor = self._visitor(doc, sent, mentions, cand)
                if visitor is not None and (visitor in sources or visitor in targets):
                    others = [a for a in sources + targets if a is not visitor]
                    sources, targets = [visitor], others
                    mode = "visit"
                    trace.append(f"visit: '{visitor.name}' is the visitor")
            if etype == "CONSULT" and mode is None and len(sources) == 1 and len(targets) == 1:
                # a meeting held in one party's country is the other party's visit (PLOVER's
                # "visit" mode: the guest is the source, the host the target)
                where_country = next((p.country for p in places if p.country), None) or (
                    dateline_place.country if dateline_place and not places else None
                )
                s0, t0 = sources[0], targets[0]
                if where_country and s0.country and t0.country and s0.country != t0.country:
                    if t0.country == where_country:
                        mode = "visit"
                        trace.append(f"meeting in the target's country ({where_country}): a visit")
                    elif s0.country == where_country:
                        sources, targets, mode = [t0], [s0], "visit"
                        trace.append(
                            f"meeting in the source's country ({where_country}): "
                            "the other side visits"
                        )
            if cand.spec.visit == "object":
                sources, targets = targets, sources  # "X a reçu Y": Y visits X
                trace.append("host is the subject: visitor becomes the source")
            if cand.spec.visit == "subject" and not targets:
                host = _host_from_places(places, sources)
                if host is not None:
                    targets = [host]
                    trace.append(f"host from the place '{host.name}'")
            if "place" in cand.spec.target:
                host = _host_from_places(places, sources)
                if host is not None and all(h.key != host.key for h in targets):
                    targets = [host, *targets]
                    trace.append(f"host country from the place '{host.name}'")
            if cand.light is not None and fold_key(cand.light.lemma) in t.pack.receive_verbs:
                # "X a reçu les lettres de créance de l'ambassadeur de Y" (Y visits X),
                # "X a obtenu le soutien de Y" (Y supports X): the giver is in the object
                givers = [
                    a
                    for a in self._parties_in_object(doc, cand, mentions, kids, expand=True)
                    if all(a.key != h.key for h in sources)
                ]
                if not givers:
                    self._drop(cand, "receiving without a named giver")
                    continue
                sources, targets = givers, sources
                if etype == "CONSULT":
                    mode = mode or "visit"
                trace.append("receive verb: the giver in the object phrase is the source")
            # Domestic groups of unstated nationality (protesters, police, soldiers) belong
            # to the country where the event happens (CODING.md's convention for
            # protesters, applied to every group noun).
            place_country = next((p.country for p in places if p.country), None) or (
                dateline_place.country if dateline_place else None
            )
            recent = (
                state.last_place_country
                if sent.index - state.last_place_sent <= PLACE_MEMORY_SENTENCES
                else None
            )
            place_country = place_country or recent or state.home_country
            if place_country:
                sources = [_localise(x, place_country) for x in sources]
                targets = [_localise(x, place_country) for x in targets]
            # An unresolved person or title ("le ministre", "le juge") is no actor a user can
            # query; a named group without nationality still is ("des hommes armés").
            sources = [x for x in sources if x.key != "unknown" or x.kind == "group"]
            targets = [x for x in targets if x.key != "unknown" or x.kind == "group"]
            if etype == "CONSULT" and any(x.actor_id == AUDIENCE_GROUP for x in targets):
                # "speaking to journalists", "a déclaré à la presse": a statement, not talks
                targets = [x for x in targets if x.actor_id != AUDIENCE_GROUP]
                if not targets:
                    self._drop(cand, "talking to the press is no consultation")
                    continue
            if (
                etype == "ACCUSE"
                and cand.spec.lemma in t.pack.grammar.crowd_protest_verbs
                and sources
                and all(x.sector in CROWD_SECTORS for x in sources)
            ):
                # "des journalistes ont protesté contre...": a crowd's protest is PROTEST,
                # a government's is ACCUSE
                etype, mode = "PROTEST", "demo"
                trace.append("protest by civilians: coded PROTEST (demo)")
            if etype == "PROTEST" and not targets and sources and sources[0].country:
                home = sources[0].country
                targets = [country_actor(home, home, "protest-default-target", 0.5, kind="group")]
                trace.append("protest without a stated target: the government of the country")
            # joint acts: every party signs with every other
            joint = cand.spec.joint
            if joint:
                named = self._parties_in_object(doc, cand, mentions, kids)
                if (
                    cand.object_head is not None
                    and cand.predicate.verb_form == "Part"
                    and len(named) >= 2
                ):
                    # "le mémorandum entre A, B et C, signé en mai": the parties are the
                    # ones the instrument names, not whoever the parse made the subject
                    parties = named
                    instrument = True
                else:
                    parties = sources + targets + named
                    instrument = False
                parties = _unique_keys(parties)
                if len(parties) < 2:
                    self._drop(cand, f"joint act with {len(parties)} party")
                    continue
                one_side = _unique_keys(sources)
                if not instrument and len(one_side) == 1 and len(parties) >= 3:
                    # "Japan has signed pacts with Australia and Britain": each pact binds the
                    # subject and one partner, not the partners with each other
                    pairs: list[tuple[ActorRef, ActorRef | None]] = [
                        (one_side[0], b) for b in parties if b.key != one_side[0].key
                    ]
                else:
                    pairs = [(a, b) for i, a in enumerate(parties) for b in parties[i + 1 :]]
            else:
                src_keys = {s.key for s in sources}
                src_names = {fold_key(s.name) for s in sources}
                # a target may share the source's country (police vs protesters), but not be
                # the source itself or its bare country ("Aliyev ... l'Azerbaïdjan")
                src_pairs = {(s.key, s.sector) for s in sources}
                targets = [
                    x
                    for x in _unique(targets)
                    if fold_key(x.name) not in src_names
                    and not (x.kind == "country" and x.key in src_keys)
                    # a domestic dyad needs two sides (government vs opposition, police vs
                    # protesters): same country and same sector is the source itself
                    and not (x.key != "unknown" and (x.key, x.sector) in src_pairs)
                ]
                if not sources:
                    self._drop(cand, "no source")
                    continue
                if not targets and len(_unique_sides(sources)) >= 2 and etype in SYMMETRIC_TYPES:
                    # "X et Y ont convenu de...", "les deux parties ont discuté": a meeting
                    # or agreement between the subjects themselves (two sides of one
                    # country count: "the government and the ELN rebels agreed")
                    both = _unique_sides(sources)
                    sources, targets = [both[0]], both[1:]
                    trace.append("symmetric act between the coordinated subjects")
                if not targets and etype in PLACE_TARGET_TYPES:
                    # "warplanes struck homes across Gaza", "shelled Kharkiv": the state of
                    # the place attacked is the target
                    victim = self._place_target(doc, cand, kids, places, sources)
                    if victim is not None:
                        targets = [victim]
                        trace.append(f"target: the state of the place attacked ({victim.name})")
                if not targets and not cand.spec.no_target_ok:
                    self._drop(cand, "no target")
                    continue
                pairs = [
                    (s, x) for s in _unique(sources) for x in ([*targets] if targets else [None])
                ]
            target_keys = {x.key for x in targets}
            if etype == "REQUEST" and self._offers_ceasefire(
                doc, [m for m in mentions if m.ref.key in target_keys], kids
            ):
                # "Hamas called for a ceasefire with Israel": a party to the fighting
                # offering to stop it (CODING.md: AGREE)
                alt, etype, mode = "REQUEST", "AGREE", None
                trace.append("a party's call for a ceasefire with its adversary: AGREE")
            if (
                etype == "ASSAULT"
                and mode is None
                and any(
                    w in t.pack.grammar.aerial_agents
                    for x in sources
                    for w in fold_key(x.name).split()
                )
            ):
                mode = "aerial"
                trace.append("attack by aircraft: mode aerial")
            if (
                etype == "CONSULT"
                and mode is None
                and len(_unique_keys([*sources, *targets])) >= MULTILATERAL_PARTIES
            ):
                mode = "multilateral"
                trace.append(f"{MULTILATERAL_PARTIES} or more parties: mode multilateral")
            if (
                etype == "ASSAULT"
                and sources
                and all(x.actor_id in PROTESTER_GROUPS for x in sources)
            ):
                etype, mode = "PROTEST", "riot"
                trace.append("violence by protesters: coded PROTEST (riot)")
            # PLOVER's rules for plans
            future = modes.future
            mod = t.pack.modality
            if future and etype in mod.future_to_agree:
                alt, etype, mode, future = etype, "AGREE", None, False
                trace.append(f"planned {alt}: coded AGREE (alt_type {alt})")
            elif future and etype in mod.future_to_concede:
                alt, etype, mode, future = etype, "CONCEDE", None, False
                trace.append("announced retreat: coded CONCEDE")
            when = self._date(doc, sent, cand, date_mentions, article, modes, future, kids)
            if modes.historical and not t.keep_historical:
                self._drop(cand, "background (historical)")
                continue
            hearsay = (
                "conditional mood" in modes.cues and (cand.light or cand.predicate).mood == "Cnd"
            )
            if modes.hypothetical and not hearsay and not t.keep_hypothetical:
                # CODING.md: code only what the text asserts ("would retaliate if...").
                # The French conditional of unconfirmed reports ("l'armée aurait tué")
                # asserts a report: kept, flagged hypothetical.
                self._drop(cand, "hypothetical")
                continue
            where = _nearest_place(places, cand) or (
                dateline_place if when.value in (None, _iso(article.published)) else None
            )
            contexts = _contexts(fold(evidence.text), t.pack.context_patterns)
            tinfo = t.plover["types"][etype]
            cameo = t.plover["cameo_by_mode"].get(f"{etype}.{mode}", tinfo["cameo"])
            trig = TextSpan.of(doc.text, cand.trigger.start, cand.trigger_end)
            for s, x in pairs:
                conf = args.confidence * min(s.confidence, x.confidence if x else 1.0) ** 0.5
                out.append(
                    Event(
                        type=etype,
                        mode=mode,
                        sources=(s,),
                        targets=(x,) if x else (),
                        date=when,
                        evidence=evidence,
                        trigger=trig,
                        rule=cand.spec.rule,
                        confidence=round(conf, 3),
                        location=where,
                        negated=modes.negated,
                        future=future,
                        historical=modes.historical,
                        hypothetical=modes.hypothetical,
                        joint=joint,
                        alt_type=alt,
                        cameo=cameo,
                        contexts=contexts,
                        quad=tinfo["quad"],
                        intensity=float(tinfo["intensity"]),
                        sentence_index=sent.index,
                        trace=tuple(trace) + _resolution_lines(s, x, when, where),
                    )
                )
            if (etype in SYMMETRIC_TYPES or joint) and pairs and pairs[0][1] is not None:
                # "les deux parties/pays/dirigeants" later refers to this pair
                state.last_pair = (pairs[0][0], pairs[0][1])
        self._update_subject(doc, sent, mentions, kids, state)
        here = next((p.country for p in places if p.country), None)
        if here:
            state.last_place_country = here
            state.last_place_sent = sent.index
        return out

    # ------------------------------------------------------------------ helpers
    def _update_subject(
        self,
        doc: ParsedDoc,
        sent: Sent,
        mentions: list[Mention],
        kids: dict[int, list[Tok]],
        state: Discourse,
    ) -> None:
        for m in mentions:
            if m.needs_country or m.locative or m.ref.key == "unknown":
                continue
            if any(doc.tokens[a].dep in ("nsubj", "nsubj:pass") for a in m.anchors(doc)):
                state.last_subject = m.ref
                return

    def _pronoun_source(
        self,
        doc: ParsedDoc,
        cand: Candidate,
        args: Any,
        mentions: list[Mention],
        state: Discourse,
        quotes: list[Quote],
    ) -> tuple[ActorRef, str] | None:
        if args.relative_head is not None:
            for m in mentions:
                if any(a <= args.relative_head.i < b for a, b in m.pieces):
                    return m.ref, f"relative clause: source is '{m.ref.name}'"
            return None
        pron = args.source_pronoun
        if pron is None:
            return None
        word = fold(pron.text)
        if word in self.t.pack.grammar.first_person:
            q = _quote_at(quotes, pron.start)
            speaker = self._speaker(q, state)
            if speaker is not None:
                return speaker, f"'{pron.text}' in a quotation: the speaker"
            return None
        if word in self.t.pack.grammar.third_person:
            # "L'Allemagne a annoncé qu'elle livrerait...": the subject of the governing verb
            gov = self._governing_subject(doc, pron, mentions)
            if gov is not None:
                return gov, f"'{pron.text}': the subject of the governing clause ({gov.name})"
            before = [
                m.ref
                for m in mentions
                if m.end <= pron.start
                and not m.locative
                and m.ref.key != "unknown"
                and any(doc.tokens[a].dep in ("nsubj", "nsubj:pass") for a in m.anchors(doc))
            ]
            if before:
                return before[-1], f"'{pron.text}': the subject named earlier in the sentence"
            if state.last_subject is not None:
                return (
                    state.last_subject,
                    f"'{pron.text}': the last subject ({state.last_subject.name})",
                )
            p = state.last_person()
            if p is not None:
                return p, f"'{pron.text}': the last person named ({p.name})"
        return None

    def _governing_subject(
        self, doc: ParsedDoc, pron: Tok, mentions: list[Mention]
    ) -> ActorRef | None:
        verb = doc.tokens[pron.head]
        if verb.dep not in ("ccomp", "advcl", "xcomp", "conj") or verb.head == verb.i:
            return None
        gov = doc.tokens[verb.head]
        for m in mentions:
            if m.end <= pron.start and any(
                doc.tokens[a].head == gov.i and doc.tokens[a].dep in ("nsubj", "nsubj:pass")
                for a in m.anchors(doc)
            ):
                return m.ref
        return None

    def _nationality_of_phrase(
        self,
        doc: ParsedDoc,
        cand: Candidate,
        kids: dict[int, list[Tok]],
        deps: tuple[str, ...],
        mentions: list[Mention],
    ) -> ActorRef | None:
        """A country named by a nationality adjective inside an argument phrase of the
        predicate that holds no actor mention ("le réseau électrique ukrainien")."""
        heads = {cand.predicate.i, cand.trigger.i} | ({cand.light.i} if cand.light else set())
        mention_toks = {i for m in mentions for i in m.tokens()}
        slots = set(cand.spec.target)
        for h in sorted(heads):
            for child in kids.get(h, ()):
                # "obl:mod" counts as "obl"; a passive subject is a target, never a source
                base = child.dep.split(":")[0]
                if child.dep == "nsubj:pass" or base not in deps or child.i in heads:
                    continue
                preps = [fold(c.text) for c in kids.get(child.i, ()) if c.dep == "case"]
                if preps and not (set(preps) & slots) and child.dep != "nsubj":
                    continue  # "dans la capitale cubaine" is where, not whom
                stack = [child]
                seen = 0
                while stack and seen < 12:
                    tok = stack.pop()
                    seen += 1
                    if tok.i not in mention_toks and tok.pos == "ADJ":
                        dem = self.t.resolver.matcher.word_terms(tok.text, "demonym")
                        if dem:
                            name = (
                                doc.text[child.start : tok.end]
                                if tok.end > child.start
                                else tok.text
                            )
                            span = TextSpan.of(doc.text, tok.start, tok.end)
                            return country_actor(
                                name, dem[0].key, "nationality-of-phrase", 0.6, span
                            )
                    stack.extend(
                        k for k in kids.get(tok.i, ()) if k.dep not in ("acl:relcl", "advcl")
                    )
        return None

    def _accused_in_statement(
        self,
        doc: ParsedDoc,
        cand: Candidate,
        kids: dict[int, list[Tok]],
        mentions: list[Mention],
        quotes: list[Quote],
        sources: list[ActorRef],
    ) -> ActorRef | None:
        """For "« X frappe délibérément... », a dénoncé Y": the first actor of the statement
        (the complement clause or the quotation just before) other than the speaker."""
        src = {x.key for x in sources}
        pred = cand.predicate
        for child in kids.get(pred.i, ()):
            if child.dep in ("ccomp", "parataxis", "obj"):
                sub = {child.i} | {t.i for t in _descendants(kids, child.i)}
                for m in mentions:
                    if (
                        m.ref.key not in src
                        and m.ref.key != "unknown"
                        and not m.locative
                        and any(i in sub for i in m.tokens())
                    ):
                        return m.ref
        # a quotation that closes right before the verb
        for q in quotes:
            if 0 <= pred.start - q.end <= 40:
                for m in mentions:
                    if (
                        q.start <= m.start < q.end
                        and m.ref.key not in src
                        and m.ref.key != "unknown"
                        and not m.locative
                    ):
                        return m.ref
        return None

    def _speaker(self, q: Quote | None, state: Discourse) -> ActorRef | None:
        """The quote's speaker, resolved against what the article said before (the
        attribution often names the speaker by a bare name or title after the quote)."""
        if q is None or q.speaker is None:
            return None
        sp = q.speaker
        if sp.key != "unknown":
            return sp
        prior = state.same_name(sp.name)
        if prior is not None:
            return prior
        return sp

    def _counterpart(self, m: Mention, sources: list[ActorRef], state: Discourse) -> ActorRef:
        if not (m.counterpart and m.needs_country):
            return m.ref
        src_key = sources[0].key if sources else None
        if state.last_pair is not None:
            for p in state.last_pair:
                if p.key != src_key:
                    return with_country(m, p, "coref:counterpart").ref
        other = state.last_person(exclude_key=src_key)
        if other is not None:
            return with_country(m, other, "coref:counterpart").ref
        return m.ref

    def _remote(self, doc: ParsedDoc, cand: Candidate, kids: dict[int, list[Tok]]) -> bool:
        heads = {cand.predicate.i, cand.trigger.i} | ({cand.light.i} if cand.light else set())
        cues = self.t.pack.phone_cues
        for h in heads:
            for c in kids.get(h, ()):
                if fold_key(c.lemma) in cues or fold(c.text) in cues:
                    return True
                if any(fold(g.text) in cues for g in kids.get(c.i, ()) if g.dep == "amod"):
                    return True
        return False

    def _offers_ceasefire(
        self, doc: ParsedDoc, targets: Sequence[Mention], kids: dict[int, list[Tok]]
    ) -> bool:
        """A target attached to a ceasefire noun by "with" ("a ceasefire with Israel")."""
        g = self.t.pack.grammar
        for m in targets:
            for a in m.anchors(doc):
                tok = doc.tokens[a]
                head = doc.tokens[tok.head]
                if fold_key(head.lemma) in g.ceasefire_nouns and any(
                    c.dep == "case" and fold(c.text) in g.ceasefire_with
                    for c in kids.get(tok.i, ())
                ):
                    return True
        return False

    def _place_target(
        self,
        doc: ParsedDoc,
        cand: Candidate,
        kids: dict[int, list[Tok]],
        places: Sequence[Place],
        sources: Sequence[ActorRef],
    ) -> ActorRef | None:
        """The state of a place the act hits: a place named as the object ("shelled
        Kharkiv") or a place of the sentence."""
        obj_places = []
        heads = {cand.predicate.i, cand.trigger.i}
        for h in heads:
            for c in kids.get(h, ()):
                if c.dep not in ("obj", "obl", "nmod") or c.pos != "PROPN":
                    continue
                # the whole name: "Gaza City", "Nagorno-Karabakh"
                parts = [k for k in kids.get(c.i, ()) if k.dep in ("compound", "flat", "flat:name")]
                first = min([c, *parts], key=lambda k: k.i)
                place = self.t.resolve_place_name(doc.text[first.start : c.end])
                if place is None:
                    place = self.t.resolve_place_name(c.text)
                if place is not None:
                    obj_places.append(place)
        return _place_target_of(obj_places, places, sources)

    def _visitor(
        self, doc: ParsedDoc, sent: Sent, mentions: list[Mention], cand: Candidate
    ) -> ActorRef | None:
        visit_nouns = self.t.pack.grammar.visit_nouns
        for tok in doc.sent_tokens(sent):
            if fold_key(tok.lemma) not in visit_nouns or tok.i == cand.trigger.i:
                continue
            before = [
                m
                for m in mentions
                if m.end <= tok.start
                and tok.start - m.end <= VISIT_PHRASE_WINDOW
                and not m.locative
            ]
            if before:
                return max(before, key=lambda m: m.end).ref
        return None

    def _parties_in_object(
        self,
        doc: ParsedDoc,
        cand: Candidate,
        mentions: list[Mention],
        kids: dict[int, list[Tok]],
        expand: bool = False,
    ) -> list[ActorRef]:
        """Countries named inside the signed instrument's phrase ("le mémorandum ... de
        l'Azerbaïdjan, du Kazakhstan et de l'Ouzbékistan") or, for a participle, the noun it
        modifies."""
        root = cand.object_head or cand.predicate
        inside: set[int] = set()
        stack = [root.i]
        while stack:
            i = stack.pop()
            for c in kids.get(i, ()):
                if c.i == cand.trigger.i or c.dep in ("nsubj", "acl:relcl", "advcl", "parataxis"):
                    continue
                inside.add(c.i)
                stack.append(c.i)
        out = []
        for m in mentions:
            if (
                m.kind in ("country", "org", "person", "group")
                and not m.locative
                and any(i in inside for i in m.tokens())
            ):
                out.extend(_expand(m) if expand else [m.ref])
        return out

    def _allegation(
        self,
        doc: ParsedDoc,
        sent: Sent,
        cand: Candidate,
        agents: list[ActorRef],
        mentions: list[Mention],
        kids: dict[int, list[Tok]],
        state: Discourse,
        when: DateRef,
        evidence: TextSpan,
    ) -> list[Event]:
        """A conflictual act reported in a speaker's complement clause is also an accusation
        by the speaker against the agent."""
        t = self.t
        speech = t.pack.speech_verbs
        node = cand.predicate
        speaker_verb = None
        for _ in range(4):
            if node.head == node.i:
                break
            parent = doc.tokens[node.head]
            if (
                node.dep in ("ccomp", "parataxis", "xcomp", "advcl", "conj")
                and fold_key(parent.lemma) in speech
            ):
                speaker_verb = parent
                break
            node = parent
        if speaker_verb is None:
            return []
        if any(
            spec.type == "ACCUSE" for spec in t.pack.verbs().get(fold_key(speaker_verb.lemma), ())
        ):
            return []  # "accused Russia of striking": the accusation is coded by its own verb
        speaker = None
        for m in mentions:
            if any(
                doc.tokens[a].head == speaker_verb.i and doc.tokens[a].dep == "nsubj"
                for a in m.anchors(doc)
            ):
                speaker = m.ref
        if speaker is None:
            subj = next((c for c in kids.get(speaker_verb.i, ()) if c.dep == "nsubj"), None)
            if subj is not None and fold(subj.text) in t.pack.grammar.third_person:
                speaker = state.last_subject or state.last_person()
        if speaker is None or speaker.key == "unknown":
            return []
        out = []
        for a in agents:
            if a.key == speaker.key:
                continue
            tinfo = t.plover["types"]["ACCUSE"]
            out.append(
                Event(
                    type="ACCUSE",
                    mode="allege",
                    sources=(speaker,),
                    targets=(a,),
                    date=when,
                    evidence=evidence,
                    trigger=TextSpan.of(doc.text, speaker_verb.start, speaker_verb.end),
                    rule=f"{t.pack.lang}.accuse.reported-{cand.spec.type.lower()}",
                    confidence=ALLEGE_CONFIDENCE,
                    quad=tinfo["quad"],
                    intensity=float(tinfo["intensity"]),
                    cameo=tinfo["cameo"],
                    sentence_index=sent.index,
                    trace=(f"'{speaker_verb.text}' reports {cand.spec.type} by '{a.name}'",),
                )
            )
        return out

    def _date(
        self,
        doc: ParsedDoc,
        sent: Sent,
        cand: Candidate,
        date_mentions: Sequence[Any],
        article: Article,
        modes: Modes,
        future: bool,
        kids: dict[int, list[Tok]],
    ) -> DateRef:
        if modes.anterior:
            return DateRef(None, None, "anterior: happened at an unstated earlier time")
        mentions = [m for m in date_mentions if _same_clause(doc, sent, m.span.start, cand)]
        if (future or modes.future) and mentions:
            lo = min(m.span.start for m in mentions)
            hi = max(m.span.end for m in mentions)
            mentions = self.t.find_dates(doc.text, lo, hi, article.published, "future")
        if modes.future and not future:
            # a plan coded as AGREE/CONCEDE is dated by its announcement (CODING.md): the
            # planned day ("se rendra en mai") is not the event's date
            pub = _iso(article.published)
            mentions = [m for m in mentions if m.ref.value and pub and m.ref.value[:10] <= pub]
        if mentions:
            pos = cand.trigger.start
            best = min(
                mentions,
                key=lambda m: (
                    _attachment_depth(doc, sent, m.span.start, cand),
                    abs(m.span.start - pos),
                ),
            )
            return best.ref
        if modes.future and not future:
            return DateRef(
                _iso(article.published), "day" if article.published else None, "published"
            )
        if modes.future:
            return DateRef(None, None, "planned, no date stated")
        if article.published is not None:
            return DateRef(article.published.isoformat(), "day", "published")
        if article.published_month:
            return DateRef(article.published_month, "month", "published month")
        return DateRef(None, None, "unknown")


# Dependency labels that open a new clause: a date under one of them belongs to that
# clause's verb, not to a trigger above it.
_CLAUSE_OPENERS = frozenset(
    {"ccomp", "xcomp", "parataxis", "advcl", "acl", "acl:relcl", "conj", "csubj"}
)
# Complement clauses: a date inside one dates the complement's event, even right under the
# trigger ("agreed to hold talks in December", "a accepté de se rendre à Bakou en mai").
_COMPLEMENT_CLAUSES = frozenset({"ccomp", "xcomp", "csubj"})


def _same_clause(doc: ParsedDoc, sent: Sent, pos: int, cand: Candidate) -> bool:
    """The date at ``pos`` attaches to the trigger's clause (or to no other verb)."""
    tok = next((t for t in doc.sent_tokens(sent) if t.start <= pos < t.end), None)
    if tok is None:
        return True
    targets = {cand.trigger.i, cand.predicate.i}
    if cand.light is not None:
        targets.add(cand.light.i)
    # the clause root of the trigger: climb from the predicate over non-clause links
    t = tok
    for _ in range(12):
        if t.i in targets:
            return True
        if t.head == t.i:
            break
        parent = doc.tokens[t.head]
        if t.dep in _COMPLEMENT_CLAUSES and t.i not in targets:
            # "agreed to hold the next round in December": the date is the complement's
            return False
        if (
            t.dep == "advcl"
            and t.i not in targets
            and any(c.head == t.i and c.dep.startswith("nsubj") for c in doc.sent_tokens(sent))
        ):
            # "struck Gaza ... since a ceasefire took effect on Jan. 19": an adverbial clause
            # with its own subject dates its own event
            return False
        if t.dep in _CLAUSE_OPENERS and parent.i not in targets:
            # the date sits in a clause of its own under `parent`; it is ours only if that
            # clause is the trigger's own
            return t.i in targets
        t = parent
    # reached the sentence root without meeting the trigger: ours if the trigger's clause
    # is the root clause
    p = cand.light or cand.predicate
    for _ in range(12):
        if p.head == p.i:
            return True
        if p.dep in _CLAUSE_OPENERS:
            return False
        p = doc.tokens[p.head]
    return True


# Parse steps beyond which a date counts as attached indirectly (inside a noun's
# modifier, e.g. "le cessez-le-feu entré en vigueur le 3 août").
_DIRECT_DEPTH = 2


def _attachment_depth(doc: ParsedDoc, sent: Sent, pos: int, cand: Candidate) -> int:
    """0 when the date hangs directly off the predicate (or its light verb), 1 otherwise."""
    tok = next((t for t in doc.sent_tokens(sent) if t.start <= pos < t.end), None)
    if tok is None:
        return 1
    targets = {cand.predicate.i} | ({cand.light.i} if cand.light else set())
    t = tok
    for _ in range(_DIRECT_DEPTH + 1):
        if t.i in targets:
            return 0
        if t.head == t.i:
            break
        t = doc.tokens[t.head]
    return 1


def _sentence_stop(tail: str) -> int:
    m = re.search(r"[.!?](\s|$)", tail)
    return m.end() if m else len(tail)


def _has_speech(
    doc: ParsedDoc, start: int, end: int, speech: frozenset[str], words: set[str]
) -> bool:
    for tok in doc.tokens:
        if start <= tok.start < end and fold_key(tok.lemma) in speech:
            return True
    return bool(words & speech)


def _quote_at(quotes: list[Quote], pos: int) -> Quote | None:
    for q in quotes:
        if q.start <= pos < q.end:
            return q
    return None


def _evidence(text: str, sent: Sent) -> TextSpan:
    s, e = sent.start, sent.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return TextSpan.of(text, s, e)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _unique(actors: Sequence[ActorRef]) -> list[ActorRef]:
    out: list[ActorRef] = []
    for a in actors:
        if not any(
            a is b or (a.key == b.key and a.key != "unknown" and a.name == b.name) for b in out
        ):
            out.append(a)
    return out


def _home_country(
    article: Article, dateline_place: Place | None, agency_country: Callable[[str], str | None]
) -> str | None:
    if dateline_place is not None and dateline_place.country:
        return dateline_place.country
    if article.dateline is not None and article.dateline.agency:
        return agency_country(article.dateline.agency)
    return None


def _windows(doc: ParsedDoc, sent: Sent, size: int) -> list[Sent]:
    """``sent`` itself, or consecutive windows of at most ``size`` tokens of it."""
    if sent.tok_end - sent.tok_start <= size:
        return [sent]
    out = []
    for a in range(sent.tok_start, sent.tok_end, size):
        b = min(sent.tok_end, a + size)
        out.append(Sent(sent.index, doc.tokens[a].start, doc.tokens[b - 1].end, a, b))
    return out


def _localise(a: ActorRef, country: str) -> ActorRef:
    if a.kind != "group" or a.key != "unknown":
        return a
    return replace(
        a, country=country, method=a.method + "+country-of-the-place", confidence=a.confidence * 0.8
    )


def _actor_line(role: str, a: ActorRef) -> str:
    where = f" at [{a.span.start}:{a.span.end}]" if a.span else ""
    return f"{role} '{a.name}'{where} -> {a.key} ({a.sector or '?'}) by {a.method or '?'}"


def _resolution_lines(
    s: ActorRef, x: ActorRef | None, when: DateRef, where: Place | None
) -> tuple[str, ...]:
    """How each argument was resolved, for `explain`."""
    lines = [_actor_line("source", s)]
    if x is not None:
        lines.append(_actor_line("target", x))
    lines.append(
        f"date {when.value or 'unknown'} ({when.precision or '-'}) by {when.method or '?'}"
    )
    if where is not None:
        lines.append(f"place '{where.name}' ({where.country}) by {where.method or '?'}")
    return tuple(lines)


def _expand(m: Mention) -> list[ActorRef]:
    """A mention naming several nationalities ("les ambassadeurs d'Italie et du Brésil")
    stands for one actor per country."""
    if not m.members:
        return [m.ref]
    return [
        replace(m.ref, country=c, actor_id=None, method=m.ref.method + "+member") for c in m.members
    ]


def _descendants(kids: dict[int, list[Tok]], i: int) -> list[Tok]:
    out: list[Tok] = []
    stack = list(kids.get(i, ()))
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(kids.get(t.i, ()))
    return out


def _unique_sides(actors: Sequence[ActorRef]) -> list[ActorRef]:
    """One actor per known (key, sector): a government and its rebels are two sides."""
    out: list[ActorRef] = []
    seen: set[tuple[str, str | None]] = set()
    for a in actors:
        side = (a.key, a.sector)
        if a.key == "unknown" or side in seen:
            continue
        seen.add(side)
        out.append(a)
    return out


def _unique_keys(actors: Sequence[ActorRef]) -> list[ActorRef]:
    """One actor per known key, in order (parties of a joint act)."""
    out: list[ActorRef] = []
    keys: set[str] = set()
    for a in actors:
        if a.key == "unknown" or a.key in keys:
            continue
        keys.add(a.key)
        out.append(a)
    return out


def _place_target_of(
    obj_places: Sequence[Place], places: Sequence[Place], sources: Sequence[ActorRef]
) -> ActorRef | None:
    src = {s.country for s in sources}
    for p in [*obj_places, *places]:
        if p.country and p.country not in src:
            return country_actor(p.name, p.country, "victim-place", 0.6, p.span)
    return None


def _surname_mentions(
    doc: ParsedDoc, sent: Sent, mentions: Sequence[Mention], state: Discourse
) -> list[Mention]:
    """A capitalised word that is the surname of a person named earlier in the dispatch
    ("Jeyhun Bayramov ... Bayramov thanked"), when neither the knowledge base nor the
    entity recogniser made it a mention."""
    known: dict[str, ActorRef] = {}
    for m in state.mentions:
        if m.kind == "person" and not m.needs_country and m.ref.key != "unknown":
            words = m.ref.name.split()
            if len(words) >= 2 and words[-1][:1].isupper():
                known[fold_key(words[-1])] = m.ref
    if not known:
        return []
    covered = {i for m in mentions for i in m.tokens()}
    out = []
    for tok in doc.sent_tokens(sent):
        if tok.i in covered or tok.pos != "PROPN" or not tok.text[:1].isupper():
            continue
        ref = known.get(fold_key(tok.text))
        if ref is None:
            continue
        span = TextSpan.of(doc.text, tok.start, tok.end)
        new = replace(ref, name=span.text, span=span, method=ref.method + "+coref:surname")
        out.append(Mention(ref=new, pieces=[(tok.i, tok.i + 1)], sent=sent.index, kind="person"))
    return out


def _host_from_places(places: Sequence[Place], sources: Sequence[ActorRef]) -> ActorRef | None:
    src = {s.country for s in sources}
    for p in places:
        if p.country and p.country not in src:
            return country_actor(p.name, p.country, "host-from-place", 0.7, p.span)
    return None


def _nearest_place(places: Sequence[Place], cand: Candidate) -> Place | None:
    if not places:
        return None
    return min(places, key=lambda p: abs((p.span.start if p.span else 0) - cand.trigger.start))


def _contexts(
    folded_sentence: str, patterns: tuple[tuple[str, re.Pattern[str]], ...]
) -> tuple[str, ...]:
    return tuple(name for name, pat in patterns if pat.search(folded_sentence))


def dedupe(events: list[Event]) -> list[Event]:
    """One event per (type, source key, target key, date) in a document (CODING.md);
    symmetric types ignore order. The first (earliest, in text order) is kept."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for ev in events:
        s = ev.sources[0].key if ev.sources else "unknown"
        x = ev.targets[0].key if ev.targets else None
        pair: tuple[Any, ...] = (s, x)
        if ev.type in SYMMETRIC_TYPES or ev.joint:
            pair = tuple(sorted((s, x or "")))
        key = (ev.type, pair, ev.date.value, ev.negated)
        if key in seen:
            continue
        seen.add(key)
        out.append(ev)
    return out
