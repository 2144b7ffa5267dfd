"""The fast path's sentence filter: which stretches of a dispatch are worth parsing.

Parsing (tok2vec, parser, NER) is most of the cost of coding a dispatch, and most
sentences of wire copy hold no event: background, figures, quotes about the weather of
relations. A sentence can only give an event when it has

* a trigger: a word that some inflection rule of the model's own lemmatizer could map to
  the first word of a trigger of the language pack (verb, noun or adjective), and
* an actor: a knowledge term (country, demonym, capital, person, title, organisation,
  group...) or a word the grammar lets stand for one (a subject pronoun, "the two").

Both tests are deliberately generous (every lemma an inflection rule or exception could
give, for every part of speech, and terms matched on folded text without checking token
boundaries), because a sentence wrongly left out loses its events, while one wrongly kept
only costs time. Consecutive kept sentences are parsed together as one run, so a
sentence split the cheap rule got wrong is parsed in context.

This module never imports spaCy: it reads the tokenizer and lemmatizer tables of the
pipeline it is given (``nlp.make_doc``, ``nlp.get_pipe("lemmatizer").lookups``).
"""

from __future__ import annotations

import re
from typing import Any

from communique.textfold import fold_key

# Parts of speech whose lemmatizer rules, exceptions and indexes may map a word to a
# trigger: triggers are verbs (auxiliaries included: "a eu lieu"), nouns and adjectives.
_TRIGGER_POS = ("verb", "aux", "noun", "adj")

# Term kinds that make a sentence without a trigger worth parsing anyway: the people and
# offices it names are what later sentences refer back to ("Il a ensuite remercié...",
# "le général a déclaré", "M. Ishikawa"), through the coder's discourse state.
_CONTEXT_KINDS = frozenset({"person", "title"})
CONTEXT_SENTENCES = True

# A line of text (no line break); a stop: sentence-final punctuation with any closing
# quotes, before a space; what may open the next sentence before its first letter.
_LINE = re.compile(r"[^\n]*[^\s][^\n]*")
_STOP = re.compile(r"[.!?…]+[\"»”’)']*(?=\s)")
_OPENING = re.compile(r"\s+[«\"“(\-–—]?\s*")
_LAST_WORD = re.compile(r"[^\W_]+(?=[.!?…]*$)")

_WORD = re.compile(r"[^\W_]+(?=[.!?…]*$)")
_SPACE = re.compile(r"\s*")

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*'?")


class SentenceSelector:
    """``runs(text, start, end)``: the character spans of ``text[start:end]`` to parse,
    each a run of consecutive sentences that may hold an event, in order.

    Built once per language from the loaded pipeline ``nlp``, the language pack and the
    knowledge terms' matcher; keeps a per-word cache of the trigger test (a vocabulary of
    a few tens of thousands of words)."""

    def __init__(self, nlp: Any, pack: Any, matcher: Any) -> None:
        self._tables = _lemma_tables(nlp)
        self._trigger_words = frozenset(
            key.split(" ")[0]
            for index in (pack.verbs(), pack.nouns(), pack.adjectives())
            for key in index
        )
        g = pack.grammar
        self._actor_words = frozenset(
            fold_key(w) for w in (*g.subject_pronouns, *g.pair_numbers, *g.relative_subjects)
        )
        self._honorifics = frozenset(fold_key(w).rstrip(".") for w in g.honorifics)
        self._matcher = matcher
        self._trigger_cache: dict[str, bool] = {}

    # ------------------------------------------------------------------ tests
    def _is_trigger(self, word: str) -> bool:
        hit = self._trigger_cache.get(word)
        if hit is None:
            hit = any(fold_key(c) in self._trigger_words for c in self._lemmas(word))
            self._trigger_cache[word] = hit
        return hit

    def _lemmas(self, word: str) -> set[str]:
        """Every lemma the model's tables could give ``word``, for any trigger POS."""
        low = word.lower()
        out = {low}
        exceptions, rules, lookup = self._tables
        for pos in _TRIGGER_POS:
            out.update(exceptions.get(pos, {}).get(low, ()))
            for old, new in rules.get(pos, ()):
                if low.endswith(old):
                    form = low[: len(low) - len(old)] + new
                    if form:
                        out.add(form)
        if lookup is not None:
            found = lookup.get(low)
            if isinstance(found, str):
                out.add(found)
            elif found:
                out.update(found)
        return out

    # ------------------------------------------------------------------ runs
    def sentences(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Cheap sentence spans of ``text[start:end]``: a line break ends a sentence, and
        so does a full stop (with any closing quote) followed by a space and a capital or
        an opening quote, unless the word before it is a single letter ("M.", "U.S.") or
        an honorific of the language pack ("Dr.", "Mme.")."""
        spans: list[tuple[int, int]] = []
        for line in _LINE.finditer(text, start, end):
            a, line_end = line.start(), line.end()
            for stop in _STOP.finditer(text, a, line_end):
                opening = _OPENING.match(text, stop.end(), line_end)
                if opening is None or opening.end() >= line_end:
                    continue
                if not text[opening.end()].isupper():
                    continue
                word = _LAST_WORD.search(text, a, stop.start() + 1)
                if word is not None and (
                    len(word.group(0)) == 1 or fold_key(word.group(0)) in self._honorifics
                ):
                    continue
                spans.append((a, stop.end()))
                gap = opening.group(0)
                a = stop.end() + len(gap) - len(gap.lstrip())
            if a < line_end:
                spans.append((a, line_end))
        return spans

    def keep(self, sentence: str) -> bool:
        """The sentence may hold an event: a trigger word and an actor."""
        return self._classify(sentence)[0]

    def _classify(self, sentence: str) -> tuple[bool, bool]:
        """(may hold an event, names a person or an office): the second makes a sentence
        worth parsing as context for the coder's discourse state."""
        words = _WORD.findall(sentence)
        kinds = self._matcher.kinds_in(sentence)
        names = not kinds.isdisjoint(_CONTEXT_KINDS)
        if not any(self._is_trigger(w) for w in words):
            return False, names
        actor = bool(kinds) or any(fold_key(w) in self._actor_words for w in words)
        return actor, names

    def runs(self, text: str, start: int, end: int) -> list[list[tuple[int, int]]]:
        """The sentences of ``text[start:end]`` to parse, grouped in runs of consecutive
        kept sentences (each a list of character spans): a run is parsed as one text, so
        its sentences keep their neighbours as context, as in a whole-text parse."""
        sentences = self.sentences(text, start, end)
        out: list[list[tuple[int, int]]] = []
        previous = False
        for a, b in sentences:
            event, names = self._classify(text[a:b])
            if not (event or (CONTEXT_SENTENCES and names)):
                previous = False
                continue
            if previous:
                out[-1].append((a, b))
            else:
                out.append([(a, b)])
            previous = True
        return out

    def needs_entities(self, doc: Any) -> bool:
        """A parsed run (spaCy Doc, tagged) names someone the knowledge base may not know,
        so the entity recogniser must look at it: a proper noun that occurs in no term, or
        a sequence of proper nouns ("Akira Sato") that is not itself a term. Runs whose
        names are all known terms ("Ilham Aliyev", "New Delhi") skip it: the coder reads
        the recogniser only for person names the knowledge base lacks."""
        run: list[str] = []
        for tok in [*doc, None]:
            if tok is not None and tok.pos_ == "PROPN":
                if not self._matcher.knows_word(tok.text):
                    return True
                run.append(tok.text)
                continue
            if len(run) > 1 and not self._matcher.is_term(" ".join(run)):
                return True
            run = []
        return False


def _lemma_tables(nlp: Any) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """(exceptions, rules, lookup) of the pipeline's lemmatizer, empty when it has none
    (then only a word's own folded form is tested)."""
    if "lemmatizer" not in nlp.pipe_names:
        return {}, {}, None
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None:
        return {}, {}, None

    def table(name: str) -> dict[str, Any]:
        if name not in lookups.tables:
            return {}
        return {pos: lookups.get_table(name).get(pos, {}) for pos in _TRIGGER_POS}

    lookup = lookups.get_table("lemma_lookup") if "lemma_lookup" in lookups.tables else None
    return table("lemma_exc"), table("lemma_rules"), lookup
