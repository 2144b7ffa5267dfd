"""Hand-built stand-ins for the evaluation tests: gold records, prediction rows and a coder
that echoes the gold events (not a test module; imported by the tests beside it)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import communique.ingest
from communique.evaluation.gold import GoldDoc, load_gold, parse_record
from communique.model import ActorRef, Article, CodedArticle, DateRef, Event, TextSpan


def seeds_dir() -> Path:
    """The seed dispatches and their gold: a copy under tests/golden/seeds when the
    repository has one, else the shared original; skips the calling test without either."""
    for candidate in (
        Path(__file__).resolve().parents[1] / "golden" / "seeds",
        Path("/work/shared/seeds"),
    ):
        if (candidate / "gold.jsonl").is_file():
            return candidate
    pytest.skip("the seed gold.jsonl is not available")


def actor(
    country: str | None = None, *, org: str | None = None, sector: str | None = "GOV"
) -> dict[str, Any]:
    return {"name": country or org or "someone", "country": country, "org": org, "sector": sector}


def gold_event(
    etype: str,
    source: dict[str, Any] | str | None,
    target: dict[str, Any] | str | None,
    when: str | None = "2024-11-29",
    **extra: Any,
) -> dict[str, Any]:
    """A gold event record; a str actor is a country code."""
    return {
        "type": etype,
        "mode": extra.pop("mode", None),
        "source": actor(source) if isinstance(source, str) or source is None else source,
        "target": actor(target) if isinstance(target, str) else target,
        "date": when,
        "location": None,
        "negated": extra.pop("negated", False),
        "future": extra.pop("future", False),
        "evidence": extra.pop("evidence", "Le ministre a rencontré"),
        **extra,
    }


def gold_doc(
    events: Iterable[dict[str, Any]],
    omitted: Iterable[dict[str, Any]] = (),
    *,
    doc_id: str = "d1",
    lang: str = "fr",
) -> GoldDoc:
    record = {
        "id": doc_id,
        "lang": lang,
        "published": "2024-11-29",
        "actors": [],
        "events": list(events),
        "omitted": list(omitted),
    }
    return parse_record(record, where="test", line=1)


def row(
    etype: str,
    source: dict[str, Any] | str | None,
    target: dict[str, Any] | str | None,
    when: str | None = "2024-11-29",
    **extra: Any,
) -> dict[str, Any]:
    """A dyadic prediction row (model.rows.event_rows shape, the fields the scorer reads)."""
    return {
        "type": etype,
        "mode": extra.pop("mode", None),
        "source": actor(source) if isinstance(source, str) else source,
        "target": actor(target) if isinstance(target, str) else target,
        "date": when,
        "negated": extra.pop("negated", False),
        "future": extra.pop("future", False),
        **extra,
    }


def _fake_article_from_text(
    text: str,
    *,
    id: str,
    origin: str | None = None,
    published: date | None = None,
    lang: str | None = None,
    settings: Any = None,
) -> Article:
    return Article(id=id, text=text, lang=lang, published=published, origin=origin)


def use_ingest(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use communique.ingest.article_from_text; a minimal stand-in until it exists."""
    if not hasattr(communique.ingest, "article_from_text"):
        monkeypatch.setattr(
            communique.ingest, "article_from_text", _fake_article_from_text, raising=False
        )


def _actor_ref(raw: Mapping[str, Any]) -> ActorRef:
    return ActorRef(
        name=raw.get("name") or "?",
        kind="person",
        country=raw.get("country"),
        sector=raw.get("sector"),
        org=raw.get("org"),
    )


def _event(article: Article, raw: Mapping[str, Any], index: int) -> Event:
    at = article.text.find(raw["evidence"])
    evidence = TextSpan.of(article.text, at, at + len(raw["evidence"])) if at >= 0 else None
    trigger = TextSpan(index, index, "")  # distinct per event: each is its own mention
    when = raw["date"]
    precision = None if when is None else ("day" if len(when) == 10 else "month")
    return Event(
        type=raw["type"],
        mode=raw["mode"],
        sources=(_actor_ref(raw["source"]),),
        targets=() if raw["target"] is None else (_actor_ref(raw["target"]),),
        date=DateRef(when, precision),
        evidence=evidence or trigger,
        trigger=trigger,
        rule="test.echo",
        confidence=1.0,
        negated=raw["negated"],
        future=raw["future"],
        joint=raw.get("joint", False),
        alt_type=raw.get("alt_type"),
    )


class GoldEchoCoder:
    """Codes each article as exactly its gold events (optionally plus its omitted ones)."""

    coder_version = "test-echo-1"

    def __init__(self, gold: Path | list[GoldDoc], *, include_omitted: bool = False):
        docs = load_gold(gold) if isinstance(gold, Path) else gold
        self.gold = {d.id: d for d in docs}
        self.include_omitted = include_omitted
        self.seen: list[Article] = []

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        for article in articles:
            self.seen.append(article)
            doc = self.gold[article.id]
            wanted = doc.events + (doc.omitted if self.include_omitted else ())
            events = tuple(_event(article, g.raw, i) for i, g in enumerate(wanted))
            yield CodedArticle(article=article, events=events)


def write_docs_jsonl(path: Path, gold_path: Path, texts: Path) -> Path:
    """A docs.jsonl holding the texts that ``gold_path``'s records name in 'file'."""
    with path.open("w", encoding="utf-8") as out:
        for doc in load_gold(gold_path):
            assert doc.file is not None
            line = {
                "id": doc.id,
                "text": (texts / doc.file).read_text(encoding="utf-8"),
                "lang": doc.lang,
                "published": doc.published.isoformat() if doc.published else None,
                "source": "test",
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path
