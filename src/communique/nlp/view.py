"""A typed, read-only view of a parse. Everything downstream of nlp/ reads these, never spaCy
objects, so resolvers and coders can be tested with hand-built parses."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tok:
    i: int  # index in ParsedDoc.tokens
    text: str
    lemma: str  # lower-cased lemma
    pos: str
    dep: str
    head: int  # index of the head token (== i for roots)
    start: int  # absolute character offset into Article.text
    end: int
    ent: str  # NER label or ""
    tense: str  # Past | Pres | Fut | Imp | ""
    verb_form: str  # Fin | Inf | Part | ""
    mood: str  # Ind | Cnd | Sub | Imp | ""
    sent: int  # sentence index


@dataclass(frozen=True, slots=True)
class Sent:
    index: int
    start: int  # absolute character offsets
    end: int
    tok_start: int  # token index range [tok_start, tok_end)
    tok_end: int


@dataclass(frozen=True, slots=True)
class Entity:
    label: str
    start: int
    end: int
    tok_start: int
    tok_end: int


@dataclass(frozen=True, slots=True)
class ParsedDoc:
    text: str  # the whole article text (offsets index it)
    tokens: tuple[Tok, ...]
    sents: tuple[Sent, ...]
    ents: tuple[Entity, ...]

    def sent_tokens(self, sent: Sent) -> tuple[Tok, ...]:
        return self.tokens[sent.tok_start : sent.tok_end]
