"""Article -> CodedArticle.

Stages, each with what it needs and adds:
  parse     (Article.text, lang)            -> ParsedDoc          nlp/
  mentions  (ParsedDoc, knowledge)          -> actor mentions     resolve/actors.py
  dates     (sentence, published)           -> DateRefs           resolve/dates.py
  places    (sentence, gazetteer, dateline) -> Places             resolve/places.py
  code      (all of the above, triggers)    -> Events             coding/
Heavy resources (spaCy pipelines, knowledge, gazetteers) are built on first use per
language by `build_tools` and held by the Coder instance, never globally.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from communique._version import __version__
from communique.errors import UnknownLanguageError
from communique.model import Article, CodedArticle
from communique.settings import Settings

# Bump when rules or data change in a way that changes output: stored articles coded by an
# older coder version are re-coded on the next ingest.
CODER_VERSION = f"{__version__}+rules.1"


def build_tools(lang: str, settings: Settings, kb: Any = None, terms: Any = None) -> Any:
    """Factory for everything the coder needs in one language (knowledge, gazetteer,
    vocabulary). Expensive: call once per language and keep the result.

    ``kb`` and ``terms`` replace the default knowledge base and its surface forms (the
    PETRARCH suite codes with its own dictionaries)."""
    from communique.coding.coder import CoderTools
    from communique.knowledge import load_knowledge, load_terms
    from communique.knowledge.loader import load_agency_countries
    from communique.knowledge.places import load_gazetteer
    from communique.langpacks.loader import load_combining_forms, load_pack, load_plover
    from communique.resolve.actors import ActorResolver
    from communique.resolve.dates import find_dates, load_date_vocab
    from communique.resolve.places import find_places, resolve_place_name
    from communique.resolve.terms import TermMatcher

    pack = load_pack(lang)
    if kb is None:
        kb = load_knowledge(imported=settings.imported_knowledge)
    if terms is None:
        terms = load_terms(lang, kb)
    matcher = TermMatcher(terms)
    resolver = ActorResolver(kb, matcher, load_combining_forms(lang, kb), pack.grammar)
    vocab = load_date_vocab(lang)
    gazetteer = load_gazetteer(lang)
    country_index = {}
    for term in terms:
        if term.kind == "country":
            from communique.textfold import fold_key

            country_index[fold_key(term.text)] = term.key

    def country_of(name: str) -> str | None:
        from communique.textfold import fold_key

        key = fold_key(name)
        for article in pack.grammar.country_articles:
            prefix = article if article.endswith("'") else article + " "
            if key.startswith(prefix):
                key = key[len(prefix) :]
        return country_index.get(key)

    def _find_dates(text: str, start: int, end: int, published: Any, prefer: str) -> list[Any]:
        return find_dates(
            text, start, end, published, vocab, prefer="future" if prefer == "future" else "past"
        )

    return CoderTools(
        pack=pack,
        resolver=resolver,
        kb=kb,
        plover=load_plover(),
        find_dates=_find_dates,
        find_places=partial(_places, find_places, gazetteer, country_of),
        resolve_place_name=partial(resolve_place_name, gazetteer=gazetteer),
        agency_country=load_agency_countries().get,
        max_argument_distance=settings.max_argument_distance,
        keep_historical=settings.keep_historical,
        keep_hypothetical=settings.keep_hypothetical,
        min_confidence=settings.min_confidence,
        max_sentence_tokens=settings.max_sentence_tokens,
    )


def _places(
    find_places: Any, gazetteer: Any, country_of: Any, text: str, start: int, end: int
) -> Any:
    return find_places(text, start, end, gazetteer, country_of)


@dataclass
class _LangState:
    nlp: Any
    tools: Any
    coder: Any
    selector: Any = None  # nlp.select.SentenceSelector, built on first use


@dataclass
class Coder:
    """Codes articles. Not thread-safe; one per process (engines create their own)."""

    settings: Settings = field(default_factory=Settings)
    coder_version: str = CODER_VERSION
    _langs: dict[str, _LangState] = field(default_factory=dict, repr=False)

    def _state(self, lang: str) -> _LangState:
        state = self._langs.get(lang)
        if state is None:
            from communique.nlp.models import choose_model

            model = choose_model(
                lang, self.settings.models.get(lang), self.settings.prefer_official_models
            )
            if model is None:
                raise UnknownLanguageError(
                    f"no spaCy model is configured for language {lang!r}",
                    where=lang,
                    hint=f"supported: {', '.join(sorted(self.settings.models))}; pass --lang",
                )
            from communique.coding.coder import DocumentCoder
            from communique.nlp.pipeline import load_model

            tools = build_tools(lang, self.settings)
            state = _LangState(load_model(model), tools, DocumentCoder(tools))
            self._langs[lang] = state
        return state

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        """Code articles in order, parsing them in batches per language."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.settings.batch_size:
                yield from self._code_batch(batch)
                batch = []
        if batch:
            yield from self._code_batch(batch)

    def _parse(self, state: _LangState, items: list[tuple[str, int, int]]) -> Iterator[Any]:
        from communique.nlp.pipeline import parse_many, parse_runs

        if not self.settings.fast_path:
            return parse_many(state.nlp, items, self.settings.batch_size)
        if state.selector is None:
            from communique.nlp.select import SentenceSelector

            state.selector = SentenceSelector(
                state.nlp, state.tools.pack, state.tools.resolver.matcher
            )
        runs = [(text, state.selector.runs(text, a, b)) for text, a, b in items]
        return parse_runs(
            state.nlp,
            runs,
            self.settings.batch_size,
            needs_entities=None
            if self.settings.fast_path_ner_all
            else state.selector.needs_entities,
        )

    def _code_batch(self, batch: list[Article]) -> Iterator[CodedArticle]:
        by_lang: dict[str, list[int]] = {}
        for i, a in enumerate(batch):
            by_lang.setdefault(a.lang or self.settings.default_lang, []).append(i)
        results: dict[int, CodedArticle] = {}
        for lang, idxs in by_lang.items():
            state = self._state(lang)
            items = [
                (
                    batch[i].text,
                    batch[i].body_start,
                    min(len(batch[i].text), batch[i].body_start + self.settings.max_chars_per_doc),
                )
                for i in idxs
            ]
            for i, doc in zip(idxs, self._parse(state, items), strict=True):
                events, actors = state.coder.code(batch[i], doc)
                results[i] = CodedArticle(batch[i], tuple(events), tuple(actors))
        for i in range(len(batch)):
            yield results[i]


def code_partition(articles: list[Article], settings: Settings) -> list[CodedArticle]:
    """The unit of work engines run: a pure top-level function over a list of articles."""
    return list(Coder(settings).code(articles))
