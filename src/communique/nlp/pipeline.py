"""The only module that imports spaCy: loading pipelines and turning Docs into views."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from communique.errors import ModelNotInstalledError
from communique.nlp.clear2ud import clear_to_ud, uses_clear_labels
from communique.nlp.view import Entity, ParsedDoc, Sent, Tok

# Components the coder never reads; disabling them saves time. The French md pipeline has
# no component we can drop today (the lemmatizer needs the morphologizer and
# attribute_ruler), so the list is empty but kept as the single place to say so.
UNUSED_COMPONENTS: tuple[str, ...] = ()


PARAGRAPH_COMPONENT = "communique_paragraphs"


def _paragraph_starts(doc: Any) -> Any:
    """A line break always ends a sentence: wire copy puts one paragraph per line, and the
    parser otherwise runs a dateline or a headline into the next sentence."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            doc[i].is_sent_start = True
    return doc


COMPOUND_COMPONENT = "communique_proper_compounds"


def _merge_proper_compounds(doc: Any) -> Any:
    """Re-join hyphenated proper names the tokenizer split ("Royaume - Uni", "Guinée -
    Bissau"): letter-hyphen-Capital with no spaces. Split, they get parsed as separate
    nouns and sometimes as a sentence break."""
    spans = []
    i = 0
    n = len(doc)
    while i < n - 2:
        a, h, b = doc[i], doc[i + 1], doc[i + 2]
        if (
            h.text == "-"
            and not a.whitespace_
            and not h.whitespace_
            and a.is_alpha
            and b.is_alpha
            and b.text[:1].isupper()
        ):
            j = i + 2
            # "Bosnie-Herzégovine", "Saint-Vincent-et-les-Grenadines"
            while (
                j + 2 < n
                and doc[j + 1].text == "-"
                and not doc[j].whitespace_
                and not doc[j + 1].whitespace_
                and doc[j + 2].is_alpha
            ):
                j += 2
            spans.append(doc[i : j + 1])
            i = j + 1
        else:
            i += 1
    if spans:
        with doc.retokenize() as retok:
            for span in spans:
                retok.merge(span)
    return doc


def load_model(name: str) -> Any:
    """Load an installed spaCy pipeline by package name, or raise a coded error."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_COMPONENT):
        Language.component(PARAGRAPH_COMPONENT, func=_paragraph_starts)
    if not Language.has_factory(COMPOUND_COMPONENT):
        Language.component(COMPOUND_COMPONENT, func=_merge_proper_compounds)
    try:
        nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        raise ModelNotInstalledError(
            f"spaCy model {name!r} is not installed",
            where=name,
            hint="run `make install` (it installs the pinned models), or pip install the "
            "model package and set it in Settings.models",
        ) from exc
    nlp.add_pipe(COMPOUND_COMPONENT, first=True)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    return nlp


def _features(morph: str) -> dict[str, str]:
    """The first value of each feature of a UD morphology string ("Mood=Ind|Tense=Pres")."""
    if not morph:
        return {}
    out = {}
    for pair in morph.split("|"):
        key, _, values = pair.partition("=")
        out[key] = values.split(",", 1)[0]
    return out


def to_view(doc: Any, text: str, offset: int, clear_labels: bool = False) -> ParsedDoc:
    """Convert a spaCy Doc parsed from ``text[offset:...]`` into a view with absolute offsets.
    ``clear_labels``: the parser speaks ClearNLP (English models); its parse is rewritten
    to the Universal Dependencies shape the coder reads (nlp/clear2ud.py)."""
    toks, sents, ents = _view_parts(doc, offset, clear_labels, 0, 0)
    return ParsedDoc(text=text, tokens=toks, sents=sents, ents=ents)


def _view_parts(
    doc: Any, offset: int, clear_labels: bool, tok_base: int, sent_base: int
) -> tuple[tuple[Tok, ...], tuple[Sent, ...], tuple[Entity, ...]]:
    """Tokens, sentences and entities of ``doc`` (parsed from the text at ``offset``),
    numbered from ``tok_base`` and ``sent_base``: the pieces of one article's view."""
    toks = []
    sent_of = {}
    sents = []
    b = tok_base
    for si, sent in enumerate(doc.sents, start=sent_base):
        sents.append(
            Sent(si, offset + sent.start_char, offset + sent.end_char, b + sent.start, b + sent.end)
        )
        for i in range(sent.start, sent.end):
            sent_of[i] = si
    deps = [t.dep_ for t in doc]
    heads = [t.head.i for t in doc]
    if clear_labels:
        deps, heads = clear_to_ud(
            deps, heads, [t.pos_ for t in doc], [t.lemma_.lower() for t in doc]
        )
    for t in doc:
        feats = _features(str(t.morph))
        toks.append(
            Tok(
                i=b + t.i,
                text=t.text,
                lemma=t.lemma_.lower(),
                pos=t.pos_,
                dep=deps[t.i],
                head=b + heads[t.i],
                start=offset + t.idx,
                end=offset + t.idx + len(t.text),
                ent=t.ent_type_,
                tense=feats.get("Tense", ""),
                verb_form=feats.get("VerbForm", ""),
                mood=feats.get("Mood", ""),
                sent=sent_of.get(t.i, sent_base),
            )
        )
    ents = tuple(
        Entity(e.label_, offset + e.start_char, offset + e.end_char, b + e.start, b + e.end)
        for e in doc.ents
    )
    return tuple(toks), tuple(sents), ents


def parse_many(
    nlp: Any, items: Iterable[tuple[str, int, int]], batch_size: int
) -> Iterator[ParsedDoc]:
    """Parse ``text[start:end]`` for each (text, start, end), in order."""
    items = list(items) if not isinstance(items, list) else items
    texts = (text[start:end] for text, start, end in items)
    clear = parser_uses_clear_labels(nlp)
    for (text, start, _end), doc in zip(items, nlp.pipe(texts, batch_size=batch_size), strict=True):
        yield to_view(doc, text, start, clear)


def parse_runs(
    nlp: Any,
    items: Iterable[tuple[str, list[list[tuple[int, int]]]]],
    batch_size: int,
    disable: tuple[str, ...] = (),
    needs_entities: Callable[[Any], bool] | None = None,
) -> Iterator[ParsedDoc]:
    """The fast path's parse: for each (text, runs), parse only the runs of sentences
    chosen by nlp/select.py and join them into one view of the whole text, holding just
    those sentences (numbered in text order). A text with no runs gets an empty view.

    Each run is parsed as one text whose sentences may not be split further: the parser
    may still join two of them (an abbreviation the cheap splitter took for a full stop)
    but never cuts one in two, as it may do with a sentence parsed out of its context
    ("Réuni dimanche, le Conseil a exigé..."). ``disable`` names components to skip.

    ``needs_entities(doc)``, when given, runs the entity recogniser only on the runs it
    accepts, after the rest of the pipeline (it reads the tags: see nlp/select.py)."""
    items = list(items) if not isinstance(items, list) else items
    clear = parser_uses_clear_labels(nlp)

    def docs() -> Iterator[tuple[Any, tuple[int, int]]]:
        for k, (text, runs) in enumerate(items):
            for run in runs:
                a = run[0][0]
                yield _presplit(nlp.make_doc(text[a : run[-1][1]]), run, a), (k, a)

    parts: list[list[tuple[Any, int]]] = [[] for _ in items]
    skip = [name for name in disable if name in nlp.pipe_names]
    later = needs_entities is not None and "ner" in nlp.pipe_names and "ner" not in skip
    if later:
        skip.append("ner")
    parsed = list(nlp.pipe(docs(), batch_size=batch_size, as_tuples=True, disable=skip))
    if later:
        assert needs_entities is not None
        wanted = [doc for doc, _ in parsed if needs_entities(doc)]
        for _ in nlp.get_pipe("ner").pipe(wanted, batch_size=batch_size):
            pass  # annotates the docs in place
    for doc, (k, a) in parsed:
        parts[k].append((doc, a))
    for (text, _runs), parsed in zip(items, parts, strict=True):
        toks: list[Tok] = []
        sents: list[Sent] = []
        ents: list[Entity] = []
        for doc, a in parsed:
            t, s, e = _view_parts(doc, a, clear, len(toks), len(sents))
            toks.extend(t)
            sents.extend(s)
            ents.extend(e)
        yield ParsedDoc(text=text, tokens=tuple(toks), sents=tuple(sents), ents=tuple(ents))


def _presplit(doc: Any, sentences: list[tuple[int, int]], offset: int) -> Any:
    """Forbid sentence starts inside each of ``sentences`` (absolute spans; ``doc`` holds
    the text from ``offset``); their first tokens are left to the parser."""
    k = 0
    for tok in doc:
        at = offset + tok.idx
        while k < len(sentences) and at >= sentences[k][1]:
            k += 1
        if k < len(sentences) and sentences[k][0] < at and tok.i > 0:
            tok.is_sent_start = False
    return doc


def parser_uses_clear_labels(nlp: Any) -> bool:
    """True when the pipeline's parser emits ClearNLP labels (spaCy's English models)."""
    if "parser" not in nlp.pipe_names:
        return False
    return uses_clear_labels(nlp.get_pipe("parser").labels)
