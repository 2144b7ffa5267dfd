"""The communique coder as a spaCy pipeline component.

    import spacy
    import communique.spacy_component  # registers the "communique" factory

    nlp = spacy.load("fr_core_news_md")  # or any pipeline, even spacy.blank("fr")
    nlp.add_pipe("communique", config={"published": "2024-11-30"})
    doc = nlp(text)
    doc._.events  # the dyadic event rows of `communique extract`

The component codes ``doc.text`` with communique's own pipeline for the language (it
needs its own parse, with its own components, whatever the host pipeline holds), built
on first use and kept by the component. It also puts each event's evidence, labelled
with its PLOVER type, in ``doc.spans["communique"]`` when the text needed no
normalisation (offsets of ``doc._.events`` refer to communique's normalised text).

Config: ``lang`` ("fr", "en"; default: the host pipeline's language when communique
codes it, else detected per text) and ``published`` ("YYYY-MM-DD", the date relative
expressions are resolved against; default: the dateline, if any). A document can carry
its own date in ``doc._.published`` (a date or "YYYY-MM-DD"), which wins over the config.

Importing this module registers the factory, as spaCy components do (a
``spacy_factories`` entry point does it without the import); the ``Doc`` extensions are
set when a component is created. Nothing else happens at import.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from communique.errors import InputError, SettingsError
from communique.settings import Settings

FACTORY = "communique"
SPANS_KEY = "communique"

# Documents coded together by ``nlp.pipe``: communique parses them in one
# ``Language.pipe`` call per language, which is where batching pays.
DEFAULT_BATCH_SIZE = 32


def _ensure_extensions() -> None:
    """``doc._.events`` (set by the component) and ``doc._.published`` (read by it)."""
    for name in ("events", "published"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def _day(value: object, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(
        f"published: {value!r} is not a date",
        where=where,
        hint='give the publication date as "YYYY-MM-DD"',
    )


class CommuniqueComponent:
    """Sets ``doc._.events`` to the dyadic rows of the events communique codes in the doc."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        lang: str | None = None,
        published: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        _ensure_extensions()
        self.name = name
        self.settings = settings or Settings()
        if lang is None and nlp.lang in self.settings.models:
            lang = nlp.lang
        if lang is not None and lang not in self.settings.models:
            raise SettingsError(
                f"communique has no model for language {lang!r}",
                where=f"spaCy component {name!r}",
                hint=f"use lang {' or '.join(sorted(self.settings.models))}, or None to "
                "detect the language of each text",
            )
        self.lang = lang
        self.published = _day(published, f"spaCy component {name!r}")
        # communique's Coder, built on first use (it loads a spaCy model per language);
        # tests and callers may set their own
        self.coder: Any = None

    def __call__(self, doc: Doc) -> Doc:
        (coded,) = self._code([doc])
        return coded

    def pipe(self, stream: Iterable[Doc], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Doc]:
        docs = iter(stream)
        while batch := list(islice(docs, batch_size)):
            yield from self._code(batch)

    def _code(self, docs: list[Doc]) -> list[Doc]:
        from communique.ingest import article_from_text
        from communique.model import event_rows

        if self.coder is None:
            from communique.pipeline import Coder

            self.coder = Coder(self.settings)
        articles = []
        for doc in docs:
            own = _day(doc._.published, f"doc._.published of {doc.text[:40]!r}")
            articles.append(
                article_from_text(
                    doc.text,
                    id=None,
                    origin=f"<spaCy component {self.name}>",
                    published=own or self.published,
                    lang=self.lang,
                    settings=self.settings,
                )
            )
        for doc, coded in zip(docs, self.coder.code(articles), strict=True):
            rows = event_rows(coded, self.coder.coder_version)
            doc._.events = rows
            if coded.article.text == doc.text:
                doc.spans[SPANS_KEY] = _evidence_spans(doc, rows)
        return docs


def _evidence_spans(doc: Doc, rows: list[dict[str, Any]]) -> SpanGroup:
    spans = []
    seen: set[str] = set()
    for row in rows:
        if row["mention_id"] in seen:  # dyadic rows of one mention share their evidence
            continue
        seen.add(row["mention_id"])
        ev = row["evidence"]
        span = doc.char_span(ev["start"], ev["end"], label=row["type"], alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return SpanGroup(doc, name=SPANS_KEY, spans=spans)


@Language.factory(
    FACTORY,
    default_config={"lang": None, "published": None},
    assigns=["doc._.events", "doc.spans"],
)
def make_communique(
    nlp: Language, name: str, lang: str | None, published: str | None
) -> CommuniqueComponent:
    """spaCy factory of the "communique" component (config: lang, published)."""
    return CommuniqueComponent(nlp, name, lang=lang, published=published)


def register() -> str:
    """Make sure the factory is registered (importing this module does it); returns its
    name, for ``nlp.add_pipe(communique.spacy_component.register())``."""
    return FACTORY
