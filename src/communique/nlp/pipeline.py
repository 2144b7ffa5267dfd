"""The only module that imports spaCy: loading pipelines and turning Docs into views."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


def _morph(tok: Any, key: str) -> str:
    values = tok.morph.get(key)
    return values[0] if values else ""


def to_view(doc: Any, text: str, offset: int, clear_labels: bool = False) -> ParsedDoc:
    """Convert a spaCy Doc parsed from ``text[offset:...]`` into a view with absolute offsets.
    ``clear_labels``: the parser speaks ClearNLP (English models); its parse is rewritten
    to the Universal Dependencies shape the coder reads (nlp/clear2ud.py)."""
    toks = []
    sent_of = {}
    sents = []
    for si, sent in enumerate(doc.sents):
        sents.append(
            Sent(si, offset + sent.start_char, offset + sent.end_char, sent.start, sent.end)
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
        toks.append(
            Tok(
                i=t.i,
                text=t.text,
                lemma=t.lemma_.lower(),
                pos=t.pos_,
                dep=deps[t.i],
                head=heads[t.i],
                start=offset + t.idx,
                end=offset + t.idx + len(t.text),
                ent=t.ent_type_,
                tense=_morph(t, "Tense"),
                verb_form=_morph(t, "VerbForm"),
                mood=_morph(t, "Mood"),
                sent=sent_of.get(t.i, 0),
            )
        )
    ents = tuple(
        Entity(e.label_, offset + e.start_char, offset + e.end_char, e.start, e.end)
        for e in doc.ents
    )
    return ParsedDoc(text=text, tokens=tuple(toks), sents=tuple(sents), ents=ents)


def parse_many(
    nlp: Any, items: Iterable[tuple[str, int, int]], batch_size: int
) -> Iterator[ParsedDoc]:
    """Parse ``text[start:end]`` for each (text, start, end), in order."""
    items = list(items) if not isinstance(items, list) else items
    texts = (text[start:end] for text, start, end in items)
    clear = parser_uses_clear_labels(nlp)
    for (text, start, _end), doc in zip(items, nlp.pipe(texts, batch_size=batch_size), strict=True):
        yield to_view(doc, text, start, clear)


def parser_uses_clear_labels(nlp: Any) -> bool:
    """True when the pipeline's parser emits ClearNLP labels (spaCy's English models)."""
    if "parser" not in nlp.pipe_names:
        return False
    return uses_clear_labels(nlp.get_pipe("parser").labels)
