"""Coded events and the coded article."""

from __future__ import annotations

from dataclasses import dataclass, field

from communique.model.article import Article
from communique.model.refs import ActorRef, DateRef, Place
from communique.model.span import TextSpan


@dataclass(frozen=True, slots=True)
class Event:
    """One event mention. Sources/targets are tuples (PLOVER allows lists); exports turn an
    event into one dyadic row per (source, target) pair."""

    type: str
    mode: str | None
    sources: tuple[ActorRef, ...]
    targets: tuple[ActorRef, ...]
    date: DateRef
    evidence: TextSpan  # the sentence
    trigger: TextSpan
    rule: str
    confidence: float
    location: Place | None = None
    negated: bool = False
    future: bool = False
    historical: bool = False
    hypothetical: bool = False
    joint: bool = False
    alt_type: str | None = None
    cameo: str | None = None
    contexts: tuple[str, ...] = ()
    quad: int | None = None
    intensity: float | None = None
    sentence_index: int = 0
    trace: tuple[str, ...] = ()  # human-readable resolution steps, for `explain`


@dataclass(frozen=True, slots=True)
class CodedArticle:
    article: Article
    events: tuple[Event, ...]
    actors: tuple[ActorRef, ...] = ()  # every resolved actor mention
    warnings: tuple[str, ...] = field(default=())
