"""Dyadic rows: the shape of every export and of `extract` output (DESIGN.md, "The event
record"). One row per (source, target) pair; rows of one mention share ``mention_id``."""

from __future__ import annotations

import hashlib
from typing import Any

from communique.model.event import CodedArticle, Event
from communique.model.refs import ActorRef

ROW_FIELDS = (
    "event_id",
    "mention_id",
    "article_id",
    "type",
    "mode",
    "cameo",
    "source",
    "target",
    "date",
    "date_precision",
    "location",
    "negated",
    "future",
    "historical",
    "hypothetical",
    "joint",
    "alt_type",
    "contexts",
    "quad",
    "intensity",
    "evidence",
    "confidence",
    "rule",
    "coder_version",
)


def _digest(*parts: object) -> str:
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:20]


def mention_id(article_id: str, event: Event) -> str:
    return "m" + _digest(article_id, event.rule, event.type, event.trigger.start, event.trigger.end)


def _actor_key(actor: ActorRef | None) -> str:
    if actor is None:
        return "-"
    return f"{actor.actor_id or actor.name}|{actor.key}"


def event_id(
    article_id: str, event: Event, source: ActorRef | None, target: ActorRef | None
) -> str:
    return "e" + _digest(mention_id(article_id, event), _actor_key(source), _actor_key(target))


def actor_dict(actor: ActorRef | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {
        "name": actor.name,
        "country": actor.country,
        "sector": actor.sector,
        "org": actor.org,
        "role": actor.role,
        "actor_id": actor.actor_id,
    }


def event_rows(coded: CodedArticle, coder_version: str) -> list[dict[str, Any]]:
    """All dyadic rows of one coded article, in event order."""
    rows: list[dict[str, Any]] = []
    aid = coded.article.id
    for ev in coded.events:
        sources: tuple[ActorRef | None, ...] = ev.sources or (None,)
        targets: tuple[ActorRef | None, ...] = ev.targets or (None,)
        mid = mention_id(aid, ev)
        loc = ev.location
        for s in sources:
            for t in targets:
                rows.append(
                    {
                        "event_id": event_id(aid, ev, s, t),
                        "mention_id": mid,
                        "article_id": aid,
                        "type": ev.type,
                        "mode": ev.mode,
                        "cameo": ev.cameo,
                        "source": actor_dict(s),
                        "target": actor_dict(t),
                        "date": ev.date.value,
                        "date_precision": ev.date.precision,
                        "location": None
                        if loc is None
                        else {
                            "name": loc.name,
                            "country": loc.country,
                            "lat": loc.lat,
                            "lon": loc.lon,
                        },
                        "negated": ev.negated,
                        "future": ev.future,
                        "historical": ev.historical,
                        "hypothetical": ev.hypothetical,
                        "joint": ev.joint,
                        "alt_type": ev.alt_type,
                        "contexts": list(ev.contexts),
                        "quad": ev.quad,
                        "intensity": ev.intensity,
                        "evidence": {
                            "text": ev.evidence.text,
                            "start": ev.evidence.start,
                            "end": ev.evidence.end,
                        },
                        "confidence": round(ev.confidence, 3),
                        "rule": ev.rule,
                        "coder_version": coder_version,
                    }
                )
    return rows
