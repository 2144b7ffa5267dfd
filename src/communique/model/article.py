"""The unit of input: one dispatch."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from communique.model.span import TextSpan


def content_id(text: str) -> str:
    """Stable article id for inputs without one: a hash of the normalised text."""
    return "a" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Dateline:
    """ "Bakou, 29 novembre, AZERTAC": where and when the dispatch was filed, and by whom."""

    span: TextSpan
    place: TextSpan | None = None
    date_text: TextSpan | None = None
    agency: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A dispatch after reading and normalisation. All offsets index ``text``.

    ``published`` is the publication date when the day is known; when only year and month
    are known it is None and ``published_month`` holds "YYYY-MM".
    """

    id: str
    text: str
    lang: str | None = None
    published: date | None = None
    published_month: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    origin: str | None = None  # file path or "file.jsonl:LINE", for messages
    rubric: TextSpan | None = None
    headline: TextSpan | None = None
    dateline: Dateline | None = None
    body_start: int = 0
    meta: dict[str, str] = field(default_factory=dict)
    # Things a reader should know but that did not stop the reading ("mixed languages
    # (fr 58%, en 42%): coded as fr, ..."), one sentence each; the CLI prints them.
    warnings: tuple[str, ...] = ()
