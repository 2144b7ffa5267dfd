"""Actor mentions: from term matches and named entities to resolved ActorRefs.

Per sentence, the resolver builds *mentions*: a title phrase with its country complement
and the person named in apposition ("le vice-ministre azerbaïdjanais des Affaires
étrangères, Elnour Mammadov"), group nouns with their nationality ("l'armée russe", "la
partie japonaise"), countries, capitals used as metonyms, organisations, regions and
people. A second, document-level pass (``Discourse``) resolves what a sentence cannot:
"le chef de l'Etat", "son homologue", "il", "les deux parties".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from communique.langpacks.loader import Grammar
from communique.model import ActorRef, TextSpan
from communique.nlp.view import ParsedDoc, Sent, Tok
from communique.resolve.terms import TermMatch, TermMatcher
from communique.textfold import fold

# How far (in tokens) a title phrase's complement may run to the right before we stop
# looking for its nationality: long French offices ("représentant spécial du ministère
# japonais des Affaires étrangères pour l'Asie centrale, le Caucase et le GUAM") run ~20.
MAX_TITLE_COMPLEMENT = 24
# Tokens a list of nationalities may skip after a comma before the next country ("de la
# République fédérative du Brésil").
LIST_LOOKAHEAD = 4
# Tokens allowed between a title phrase and the person name in apposition.
MAX_APPOSITION_GAP = 2

_STOP_POS = frozenset({"VERB", "AUX"})
_STOP_PUNCT = frozenset({";", ":", "«", "»", "(", ")", '"', "“", "”", "—", "–"})
_ARGUMENT_DEPS = frozenset({"nsubj", "obj", "nsubj:pass", "obl:arg", "obl:agent"})


def _genitive_before(toks: Sequence[Tok], k: int, sent: Sent, g: Grammar) -> bool:
    j = k - 1
    while j >= sent.tok_start and toks[j].pos == "DET":
        j -= 1
    return j >= sent.tok_start and fold(toks[j].text) in g.genitive_preps


@dataclass
class Mention:
    """An actor mention in one sentence. ``pieces`` are token ranges (a title phrase and the
    name in apposition are two pieces of one mention)."""

    ref: ActorRef
    pieces: list[tuple[int, int]]
    sent: int
    kind: str
    office: str | None = None
    locative: bool = False  # introduced by a locative preposition ("en Azerbaïdjan")
    needs_country: bool = False  # a title with no nationality in the sentence
    counterpart: bool = False  # "son homologue": resolved against the other party
    plural_parties: bool = False  # "les deux parties"
    members: list[str] = field(default_factory=list)  # ISO3 of coordinated nationalities
    group: str | None = None  # group key for group nouns ("government", "army"...)

    @property
    def start(self) -> int:
        return self.ref.span.start if self.ref.span else 0

    @property
    def end(self) -> int:
        return self.ref.span.end if self.ref.span else 0

    def tokens(self) -> list[int]:
        return [i for a, b in self.pieces for i in range(a, b)]

    def anchors(self, doc: ParsedDoc) -> list[int]:
        """Tokens of the mention whose head lies outside it: where it attaches."""
        inside = set(self.tokens())
        out = [i for i in inside if doc.tokens[i].head not in inside or doc.tokens[i].head == i]
        return sorted(out)


def _is_locative(
    doc: ParsedDoc, tok_start: int, sent: Sent, g: Grammar, city: bool = False
) -> bool:
    """A preposition that makes the following name a place rather than an actor
    (grammar.yaml locative_country / locative_city: French "en Azerbaïdjan" is where, "à
    l'Azerbaïdjan" a recipient; cities take "à" for location)."""
    j = tok_start - 1
    # skip a determiner: "dans la capitale", "à la frontière"
    while j >= sent.tok_start and doc.tokens[j].pos == "DET":
        j -= 1
    if j < sent.tok_start:
        return False
    prev = fold(doc.tokens[j].text)
    return prev in (g.locative_city if city else g.locative_country)


def _case_ok(surface: str, form: str) -> bool:
    """A proper-noun form only matches a capitalised surface ("Réunion" is not "réunion";
    "Congo" is not "congo"); lower-case forms (demonyms) match any case; an all-capitals
    surface is an acronym and matches only an all-capitals form ("GUAM" is not "Guam")."""
    if not form or not form[0].isupper():
        return True
    if len(surface) > 1 and surface.isupper() and not form.isupper():
        return False
    return bool(surface) and surface[0].isupper()


class ActorResolver:
    """Builds mentions for one sentence; needs the knowledge base and the term matcher."""

    def __init__(
        self,
        kb: Any,
        matcher: TermMatcher,
        combining: dict[str, str] | None = None,
        grammar: Grammar | None = None,
    ):
        from communique.langpacks.loader import load_grammar

        self.kb = kb
        self.matcher = matcher
        self.g = grammar if grammar is not None else load_grammar("fr")
        # folded combining form ("franco", "russo") -> ISO3, for compound adjectives
        self.combining = combining or {}

    # ------------------------------------------------------------------ sentence level
    def sentence_mentions(self, doc: ParsedDoc, sent: Sent, on: date | None) -> list[Mention]:
        matches = self.matcher.match(doc, sent)
        toks = doc.tokens
        g = self.g
        used: set[int] = set()
        mentions: list[Mention] = []
        by_start = {m.tok_start: m for m in matches}
        per_spans = [
            (e.tok_start, e.tok_end)
            for e in doc.ents
            if e.label in ("PER", "PERSON") and sent.tok_start <= e.tok_start < sent.tok_end
        ]
        person_terms = [m for m in matches if m.term.kind == "person"]
        # Person-name spans: NER PER spans, merged with KB person-name matches.
        names: list[tuple[int, int, Any]] = []
        for m in person_terms:
            a, b = m.tok_start, m.tok_end
            # the entity recogniser's span may hold given names the alias lacks
            # ("Kassym-Jomart Tokayev" around the alias "Tokayev")
            for s_, e_ in per_spans:
                if s_ < b and a < e_:
                    while s_ < a and (fold(toks[s_].text) in g.honorifics or by_start.get(s_)):
                        s_ += 1
                    a, b = min(a, s_), max(b, e_)
            names.append((a, b, m.term))
        for a, b in per_spans:
            if not any(a < e and s < b for s, e, _ in names):
                # drop a leading title word that NER sometimes glues to the name
                while a < b and (fold(toks[a].text) in g.honorifics or by_start.get(a)):
                    a += 1
                if a < b:
                    names.append((a, b, None))
        names.sort()

        # 1. title and group phrases
        for m in matches:
            if m.term.kind not in ("title", "group") or m.tok_start in used:
                continue
            mention = self._phrase(doc, sent, m, matches, names, used, on)
            if mention:
                mentions.append(mention)

        # 2. person names not attached to a title
        for a, b, term in names:
            if any(i in used for i in range(a, b)):
                continue
            mentions.append(self._person(doc, sent, a, b, term, on))
            used.update(range(a, b))

        # 3. standalone countries, capitals, demonyms heading a noun phrase, orgs, regions
        for m in matches:
            if any(i in used for i in range(m.tok_start, m.tok_end)):
                continue
            kind = m.term.kind
            if kind in ("title", "group", "person"):
                continue
            mention = self._standalone(doc, sent, m)
            if mention:
                mentions.append(mention)
                used.update(range(m.tok_start, m.tok_end))
        # 4. compound nationality adjectives: "franco-allemand", "russo-biélorusses"
        for tok in doc.sent_tokens(sent):
            if tok.i in used or "-" not in tok.text:
                continue
            members = self._compound(tok.text)
            if members:
                span = TextSpan.of(doc.text, tok.start, tok.end)
                ref = ActorRef(
                    name=span.text,
                    kind="country",
                    country=members[0],
                    sector="GOV",
                    method="compound-nationality",
                    confidence=0.7,
                    span=span,
                )
                mentions.append(
                    Mention(
                        ref=ref,
                        pieces=[(tok.i, tok.i + 1)],
                        sent=sent.index,
                        kind="country",
                        members=members,
                    )
                )
                used.add(tok.i)
        mentions.sort(key=lambda x: x.start)
        return mentions

    def _compound(self, word: str) -> list[str]:
        """ISO3 codes joined by a compound adjective, or [] if it is not one."""
        parts = fold(word).split("-")
        if len(parts) < 2 or not self.combining:
            return []
        out = []
        for part in parts[:-1]:
            code = self.combining.get(part)
            if code is None:
                return []
            out.append(code)
        last = self.matcher.word_terms(parts[-1], "demonym")
        if not last:
            return []
        out.append(str(last[0].key))
        return list(dict.fromkeys(out)) if len(set(out)) > 1 else []

    # ------------------------------------------------------------------ helpers

    def _phrase(
        self,
        doc: ParsedDoc,
        sent: Sent,
        m: TermMatch,
        matches: Sequence[TermMatch],
        names: list[tuple[int, int, Any]],
        used: set[int],
        on: date | None,
    ) -> Mention | None:
        toks = doc.tokens
        term = m.term
        g = self.g
        # extend left over a determiner/possessive ("le", "son", "les deux")
        start = m.tok_start
        possessive = False
        plural_parties = False
        j = start - 1
        while (
            j >= sent.tok_start
            and j >= start - 2
            and (
                toks[j].pos in ("DET", "NUM")
                or (toks[j].pos == "PRON" and fold(toks[j].text) in g.possessive_determiners)
            )
        ):
            if fold(toks[j].text) in g.possessive_determiners:
                possessive = True
            if fold(toks[j].text) in g.pair_numbers:
                plural_parties = True
            j -= 1
        left = j + 1
        # complement to the right
        country: str | None = None
        org: str | None = None
        end = m.tok_end
        k = m.tok_end
        limit = min(sent.tok_end, m.tok_end + MAX_TITLE_COMPLEMENT)
        consumed: list[TermMatch] = []
        members: list[str] = []
        name_span: tuple[int, int, Any] | None = None
        # demonym or country right before the title ("les autorités azerbaïdjanaises" is
        # after; "l'ambassadeur" has nothing before), or in "X's president" order
        if country is None and org is None:
            # a nationality or a country name right before the title ("the Japanese foreign
            # minister", "U.S. Secretary of State", "Azerbaijani President"), after the
            # determiner or possessive the left extension took in
            before_title = m.tok_start
            prev = next(
                (
                    x
                    for x in matches
                    if x.tok_end == before_title and x.term.kind in ("demonym", "country", "org")
                ),
                None,
            )
            if prev is not None and _case_ok(doc.text[prev.start : prev.end], prev.term.text):
                if prev.term.kind == "org":
                    org = prev.term.key  # "Houthi rebels", "Hamas fighters"
                else:
                    country = prev.term.key
                    members.append(prev.term.key)
                consumed.append(prev)
                left = min(left, prev.tok_start)
                if left - 1 >= sent.tok_start and toks[left - 1].pos == "DET":
                    left -= 1  # "the | Kazakh president"
                # "the Armenian and Azerbaijani foreign ministers": coordinated nationalities
                while prev is not None and prev.term.kind != "org":
                    j = prev.tok_start - 1
                    if j <= sent.tok_start or not (
                        fold(toks[j].text) in g.and_words or toks[j].text == ","
                    ):
                        break
                    prev = next(
                        (
                            x
                            for x in matches
                            if x.tok_end == j and x.term.kind in ("demonym", "country")
                        ),
                        None,
                    )
                    if prev is not None:
                        members.insert(0, prev.term.key)
                        consumed.append(prev)
                        left = min(left, prev.tok_start)
        if country is None and org is None:
            # a possessive owner: "Japan's foreign minister", "the UN's envoy"
            owner = self._possessive_owner(doc, sent, matches, left)
            if owner is not None:
                if owner.term.kind in ("org", "region"):
                    org = owner.term.key
                else:
                    country = owner.term.key
                consumed.append(owner)
                left = min(left, owner.tok_start)
                j = left - 1
                if j >= sent.tok_start and toks[j].pos == "DET":
                    left = j
        while k < limit:
            t = toks[k]
            starts_term = any(
                x.tok_start == k and x.term.kind in ("demonym", "country") for x in matches
            )
            if not starts_term and (
                t.pos in _STOP_POS or t.text in _STOP_PUNCT or fold(t.text) in g.relative_pronouns
            ):
                break  # a matched nationality never stops the phrase ("président kazakh")
            if any(a == k for a, _, _ in names):
                break
            if t.text not in (",", "'", "’", "-") and (
                not any(ch.isalnum() for ch in t.text) or any(ch in "<>{}[]|\\" for ch in t.text)
            ):
                break  # markup, brackets or symbols end a title phrase
            if (country or org) and t.pos == "ADP" and fold(t.text) not in g.genitive_words:
                break  # "la partie japonaise | pour son soutien"
            if (
                g.complement_preps
                and t.pos == "ADP"
                and fold(t.text) not in g.complement_preps
                and fold(t.text) not in g.genitive_words
            ):
                break  # "journalists | in New York": not whose, but where
            if t.pos == "NUM" or (t.pos == "DET" and k + 1 < limit and toks[k + 1].pos == "NUM"):
                break  # "le ministre russe | le 3 mars": a date, not part of the title
            if (
                t.pos == "DET"
                and fold(t.text) not in g.genitive_preps
                and toks[k - 1].pos != "ADP"
                and fold(toks[k - 1].text) not in g.genitive_preps
            ):
                break  # "le chef de l'Etat | une invitation": a new noun phrase
            mm = next((x for x in matches if x.tok_start == k), None)
            if mm is not None:
                if mm.term.kind in ("title", "person"):
                    break
                if mm.term.kind == "capital" and _is_locative(doc, k, sent, g, city=True):
                    break  # "le ministre britannique | à Accra": where, not whose
                if mm.term.kind == "group" and not _genitive_before(toks, k, sent, g):
                    break
                consumed.append(mm)
                if mm.term.kind in ("country", "demonym"):
                    members.append(mm.term.key)
                if (
                    mm.term.kind in ("country", "demonym", "capital")
                    and country is None
                    and org is None
                ):
                    # "les autorités de Niamey": a capital in the complement names the state
                    country = mm.term.key
                elif mm.term.kind in ("org", "region") and country is None and org is None:
                    org = mm.term.key
                elif mm.term.kind == "group" and country is None and org is None:
                    # "du ministère japonais (des Affaires étrangères)": the nationality sits
                    # inside or right after the group noun
                    country = self._nationality_in(toks, mm.tok_start, min(limit, mm.tok_end + 1))
                k = mm.tok_end
                end = k
                continue
            if t.text == ",":
                # a comma continues the phrase only inside a list of complements
                nxt = k + 1
                while nxt < limit and (
                    toks[nxt].pos == "DET" or fold(toks[nxt].text) in g.genitive_words
                ):
                    nxt += 1
                nm = next((x for x in matches if x.tok_start == nxt), None)
                if nm is None and country:
                    # "de la République italienne, de la République fédérative du Brésil":
                    # a country a few words on, before any verb, continues the list
                    nm = next(
                        (
                            x
                            for x in matches
                            if nxt <= x.tok_start <= nxt + LIST_LOOKAHEAD
                            and x.term.kind in ("country", "demonym")
                            and not any(toks[i].pos in _STOP_POS for i in range(nxt, x.tok_start))
                        ),
                        None,
                    )
                if (
                    nm is not None
                    and nm.term.kind in ("region", "country", "org", "demonym")
                    and country
                ):
                    k = nxt
                    continue
                break
            if fold(t.text) in g.and_words and k + 1 < limit:
                nxt = k + 1
                while nxt < limit and (
                    toks[nxt].pos == "DET" or fold(toks[nxt].text) in g.genitive_words
                ):
                    nxt += 1
                nm = next((x for x in matches if x.tok_start == nxt), None)
                if nm is None or nm.term.kind in ("title", "group"):
                    break
            k += 1
            if t.pos in ("NOUN", "ADJ", "PROPN", "ADP", "DET", "CCONJ"):
                end = k
        # a phrase never ends on a function word ("Japan's special envoy | in Baku")
        while end > m.tok_end and toks[end - 1].pos in ("ADP", "DET", "CCONJ", "SCONJ", "PART"):
            end -= 1
        # a non-state group has a country of allegiance ("les rebelles houthis" -> YEM)
        if country is None and org is not None:
            org_rec = self.kb.org(org)
            if org_rec is not None and getattr(org_rec, "country", None):
                country = org_rec.country
        # an organisation the title names itself ("commissaire européen")
        if country is None and org is None and getattr(term, "org", None):
            org = term.org
        # a nationality inside the title itself ("ministre japonais des Affaires étrangères")
        if country is None and org is None:
            country = self._nationality_in(toks, m.tok_start, m.tok_end)
        # the person named in apposition: right after, possibly after a comma
        after = end
        gap = 0
        while (
            after < sent.tok_end
            and gap < MAX_APPOSITION_GAP
            and (toks[after].text == "," or fold(toks[after].text) in g.honorifics)
        ):
            after += 1
            gap += 1
        name_span = next((n for n in names if n[0] == after), None)
        if name_span is None and (country or org):
            # "..., pour l'Asie centrale, le Caucase et le GUAM, Masaki Ishikawa": the name
            # closes the title's complement, after a comma, before any verb
            j = end
            while j < min(sent.tok_end, end + MAX_TITLE_COMPLEMENT):
                tj = toks[j]
                if (
                    tj.pos in _STOP_POS
                    or tj.text in _STOP_PUNCT
                    or fold(tj.text) in g.relative_pronouns
                ):
                    break
                cand = next((n for n in names if n[0] == j), None)
                if cand is not None:
                    if j > 0 and toks[j - 1].text == ",":
                        name_span = cand
                        end = j - 1  # the complement runs up to the name's comma
                    break
                j += 1
        if name_span is None:
            # name before the title: "Ilham Aliyev, président de l'Azerbaïdjan"
            before = left - 1
            if before >= sent.tok_start and toks[before].text == ",":
                name_span = next((n for n in names if n[1] == before), None)
        if name_span is not None and any(i in used for i in range(name_span[0], name_span[1])):
            name_span = None
        if toks[m.tok_start].pos in _STOP_POS:
            return None  # "a envoyé des lettres": a participle, not the title "envoyé"
        both_sides = plural_parties or (term.kind == "group" and term.key in ("parties", "sides"))
        if getattr(term, "ambiguous", False) and not (country or org or name_span or both_sides):
            return None  # "la présidence", "la partie" alone are not actors
        pieces = [(left, max(end, m.tok_end))]
        for c in consumed:
            used.update(range(c.tok_start, c.tok_end))
        used.update(range(left, max(end, m.tok_end)))
        if name_span is not None:
            pieces.append((name_span[0], name_span[1]))
            used.update(range(name_span[0], name_span[1]))
        span_start = toks[min(p[0] for p in pieces)].start
        span_end = toks[max(p[1] for p in pieces) - 1].end
        span = TextSpan.of(doc.text, span_start, span_end)
        office = getattr(term, "office", None)
        sector = getattr(term, "sector", None)
        role = None
        if office:
            off = self.kb.office(office)
            if off is not None:
                role = off.role_en
                sector = sector or off.sector
        kind = "person" if term.kind == "title" else "group"
        counterpart = (
            office == "counterpart" or "homolog" in term.key if isinstance(term.key, str) else False
        )
        person_id = None
        name = span.text
        if name_span is not None:
            name = doc.text[toks[name_span[0]].start : toks[name_span[1] - 1].end]
            kb_person = name_span[2]
            if kb_person is not None:
                person_id = kb_person.key
                p = self.kb.person(kb_person.key)
                if p is not None:
                    # a known person's role on the date says whose official they are,
                    # better than the title's complement ("Kim Jong Un, general secretary of
                    # the Workers' Party of Korea"; "Secretary-General António Guterres")
                    held = self.kb.roles_of(p.id, on) if on is not None else []
                    kb_role = next((r for r in held if r.office == office), None) or (
                        held[0] if held else None
                    )
                    if kb_role is not None and kb_role.org:
                        org, country = kb_role.org, None
                    elif kb_role is not None and (kb_role.country or p.country):
                        country, org = kb_role.country or p.country, None
                    elif country is None and org is None:
                        country = p.country
        elif (
            kind == "person"
            and office
            and (country or org)
            and on is not None
            and not getattr(term, "plural", False)
            and len(set(members)) <= 1
        ):
            holders = self.kb.holders(office, country=country, org=org, on=on)
            if len(holders) == 1:
                person_id = holders[0].id
        method = "title" + ("+nationality" if country else "") + ("+name" if name_span else "")
        if person_id and name_span is None:
            method += "+holder-on-date"
        ref = ActorRef(
            name=name,
            kind=kind,
            country=country,
            sector=sector if not org else (sector or "IGO"),
            org=org,
            role=role,
            actor_id=f"person:{person_id}"
            if person_id
            else (f"group:{term.key}" if term.kind == "group" else None),
            method=method,
            confidence=0.9 if country or org else 0.5,
            span=span,
        )
        parties = both_sides
        return Mention(
            ref=ref,
            pieces=pieces,
            sent=sent.index,
            kind=kind,
            office=office,
            needs_country=country is None and org is None and not getattr(term, "plural", False),
            counterpart=counterpart or (possessive and kind == "person" and country is None),
            plural_parties=parties,
            members=sorted(set(members), key=members.index) if len(set(members)) > 1 else [],
            group=term.key if term.kind == "group" else None,
        )

    def _possessive_owner(
        self, doc: ParsedDoc, sent: Sent, matches: Sequence[TermMatch], left: int
    ) -> TermMatch | None:
        """The country, capital or organisation in a possessive right before ``left``
        ("Japan 's", "Moscow 's", "NATO 's")."""
        j = left - 1
        if j <= sent.tok_start or fold(doc.tokens[j].text) not in ("'s", "'"):
            return None
        if doc.tokens[j].dep != "case" and doc.tokens[j].pos != "PART":
            return None
        return next(
            (
                x
                for x in matches
                if x.tok_end == j and x.term.kind in ("country", "capital", "org", "region")
            ),
            None,
        )

    def _nationality_in(self, toks: Sequence[Tok], a: int, b: int) -> str | None:
        for i in range(a, b):
            dem = self.matcher.word_terms(toks[i].text, "demonym")
            if dem:
                return str(dem[0].key)
        return None

    def _person(
        self, doc: ParsedDoc, sent: Sent, a: int, b: int, term: Any, on: date | None
    ) -> Mention:
        toks = doc.tokens
        span = TextSpan.of(doc.text, toks[a].start, toks[b - 1].end)
        country = None
        role = None
        sector = None
        actor_id = None
        method = "ner"
        person = None
        if term is not None:
            person = self.kb.person(term.key)
        else:
            found = self.kb.persons_by_name(span.text)
            if len(found) == 1:
                person = found[0]
        if person is not None:
            actor_id = f"person:{person.id}"
            country = person.country
            method = "knowledge:person"
            roles = self.kb.roles_of(person.id, on)
            if roles:
                off = self.kb.office(roles[0].office)
                role = off.role_en if off else roles[0].office
                sector = off.sector if off else None
                country = roles[0].country or country
            elif person.roles:
                off = self.kb.office(person.roles[-1].office)
                sector = off.sector if off else None
        ref = ActorRef(
            name=span.text,
            kind="person",
            country=country,
            sector=sector,
            role=role,
            actor_id=actor_id,
            method=method,
            confidence=0.85 if person is not None else 0.5,
            span=span,
        )
        return Mention(
            ref=ref, pieces=[(a, b)], sent=sent.index, kind="person", needs_country=country is None
        )

    def _standalone(self, doc: ParsedDoc, sent: Sent, m: TermMatch) -> Mention | None:
        term = m.term
        toks = doc.tokens
        kind = term.kind
        surface = doc.text[m.start : m.end]
        if not _case_ok(surface, term.text):
            return None
        # an ambiguous proper name counts only as a clause argument, not in passing
        if (
            getattr(term, "ambiguous", False)
            and kind in ("country", "org", "region")
            and toks[m.tok_start].pos != "PROPN"
            and toks[m.tok_start].dep not in _ARGUMENT_DEPS
        ):
            return None
        locative = _is_locative(doc, m.tok_start, sent, self.g, city=kind == "capital")
        if kind == "demonym":
            # a bare demonym adjective is not an actor ("la coopération japonaise" is not
            # an act of Japan); demonyms count through the nouns they modify (phrases).
            head = toks[m.tok_start]
            if head.pos != "NOUN" and head.pos != "PROPN":
                return None
            # "des milliers d'Arméniens": the people of a country, civilians
            span = TextSpan.of(doc.text, m.start, m.end)
            ref = ActorRef(
                name=span.text,
                kind="group",
                country=term.key,
                sector="CVL",
                actor_id=f"people:{term.key}",
                method="gazetteer:demonym-noun",
                confidence=0.7,
                span=span,
            )
            return Mention(
                ref=ref,
                pieces=[(m.tok_start, m.tok_end)],
                sent=sent.index,
                kind="group",
                locative=locative,
            )
        if kind == "capital":
            # "à Bakou" is usually a place (resolve/places.py) but may be a recipient
            # ("Erevan a proposé à Bakou"): kept as a locative mention, which only triggers
            # that name an "à" recipient slot accept as a target
            if getattr(term, "ambiguous", False) and toks[m.tok_start].dep not in (
                "nsubj",
                "nsubj:pass",
            ):
                return None
            kind = "country"
        span = TextSpan.of(doc.text, m.start, m.end)
        if kind == "country":
            ref = country_actor(span.text, term.key, f"gazetteer:{term.kind}", 0.8, span)
        elif kind == "org":
            org = self.kb.org(term.key)
            sector = getattr(term, "sector", None) or getattr(org, "sector", None) or "IGO"
            ref = ActorRef(
                name=span.text,
                kind="org",
                country=getattr(org, "country", None),
                org=term.key,
                sector=sector,
                actor_id=f"org:{term.key}",
                method="gazetteer:org",
                confidence=0.85,
                span=span,
            )
        elif kind == "region":
            ref = ActorRef(
                name=span.text,
                kind="region",
                org=term.key,
                sector="GOV",
                actor_id=f"region:{term.key}",
                method="gazetteer:region",
                confidence=0.7,
                span=span,
            )
        else:
            return None
        return Mention(
            ref=ref,
            pieces=[(m.tok_start, m.tok_end)],
            sent=sent.index,
            kind=kind,
            locative=locative,
        )


def country_actor(
    name: str,
    iso3: str,
    method: str,
    confidence: float,
    span: TextSpan | None = None,
    kind: str = "country",
) -> ActorRef:
    """A state acting as a whole: its government (sector GOV), keyed on its ISO code."""
    return ActorRef(
        name=name,
        kind=kind,
        country=iso3,
        sector="GOV",
        actor_id=f"country:{iso3}",
        method=method,
        confidence=confidence,
        span=span,
    )


def with_country(mention: Mention, source: ActorRef, method: str) -> Mention:
    """A copy of ``mention`` whose actor takes nationality/identity from ``source``."""
    ref = replace(
        mention.ref,
        country=source.country,
        org=mention.ref.org or (source.org if not source.country else None),
        actor_id=mention.ref.actor_id or source.actor_id,
        sector=mention.ref.sector or source.sector,
        role=mention.ref.role or source.role,
        method=mention.ref.method + f"+{method}",
        confidence=min(mention.ref.confidence, source.confidence) * 0.9,
    )
    return replace(mention, ref=ref, needs_country=False)


def token_mention(mentions: Sequence[Mention], tok: Tok) -> Mention | None:
    for m in mentions:
        for a, b in m.pieces:
            if a <= tok.i < b:
                return m
    return None
