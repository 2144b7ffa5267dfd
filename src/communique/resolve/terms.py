"""Dictionary matching of knowledge terms over parsed sentences.

Terms (country names, demonyms, capitals, organisations, regions, people, titles, group
nouns) are matched on folded text at token boundaries, longest match first, so the matcher
does not depend on how the tokenizer splits hyphens or elisions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from communique.nlp.view import ParsedDoc, Sent
from communique.textfold import fold, fold_key

_WORD = re.compile(r"[^\W_]+")
# Leading articles and elisions that terms may carry in the data but that are not part of
# the name as it occurs after a preposition ("l'Occident" -> "Occident").
_LEADING_ARTICLE = re.compile(r"^(l'|d'|la |le |les |the )")


@dataclass(frozen=True, slots=True)
class TermMatch:
    tok_start: int
    tok_end: int  # exclusive
    start: int  # absolute char offsets
    end: int
    term: Any  # knowledge.Term


class TermMatcher:
    """Longest-match dictionary lookup keyed on the first word of each folded term."""

    def __init__(self, terms: Iterable[Any]):
        index: dict[str, list[tuple[str, Any]]] = {}
        for term in terms:
            raw = term.text
            slot = getattr(term, "slot", None)
            if slot is not None and 0 < slot < len(raw):
                # "ministre ~ des Affaires étrangères": a nationality adjective may sit at
                # the slot; stored with a "~" that matches one optional word.
                raw = raw[:slot].rstrip() + " ~ " + raw[slot:].lstrip()
            text = fold_key(raw)
            text = _LEADING_ARTICLE.sub("", text)
            first = _WORD.search(text)
            if not first or not text:
                continue
            index.setdefault(first.group(0), []).append((text, term))
        for entries in index.values():
            entries.sort(key=lambda e: -len(e[0]))
        self._index = index
        # one-word terms by folded text, to find a nationality inside a matched title
        self.words: dict[str, list[Any]] = {}
        for entries in index.values():
            for text, term in entries:
                if " " not in text and "~" not in text:
                    self.words.setdefault(text, []).append(term)

    def word_terms(self, word: str, kind: str) -> list[Any]:
        return [t for t in self.words.get(fold_key(word), ()) if t.kind == kind]

    def kinds_in(self, text: str) -> set[str]:
        """Kinds of the terms that occur in ``text`` at a word start (end boundaries
        unchecked): a cheap, generous test for the fast path's sentence filter
        (nlp/select.py). Runs on the text with whitespace collapsed, so that a term is a
        plain ``startswith``, or one regular expression when it has an optional slot."""
        folded = " ".join(fold(text).split())
        kinds: set[str] = set()
        quick = self._quick
        for word in _WORD.finditer(folded):
            entries = quick.get(word.group(0))
            if entries is None:
                continue
            at = word.start()
            for probe, kind in entries:
                if kind not in kinds and (
                    folded.startswith(probe, at)
                    if isinstance(probe, str)
                    else probe.match(folded, at) is not None
                ):
                    kinds.add(kind)
        return kinds

    def is_term(self, text: str) -> bool:
        """``text`` (whitespace collapsed) is exactly some term, ignoring case and accents."""
        folded = " ".join(fold(text).split())
        first = _WORD.search(folded)
        return first is not None and any(
            t == folded for t, _ in self._index.get(first.group(0), ())
        )

    def knows_word(self, word: str) -> bool:
        """``word`` occurs in some term."""
        return fold_key(word) in self._words_of_terms

    @cached_property
    def _words_of_terms(self) -> frozenset[str]:
        return frozenset(
            w.group(0)
            for entries in self._index.values()
            for t, _ in entries
            for w in _WORD.finditer(t)
        )

    @cached_property
    def _quick(self) -> dict[str, list[tuple[str | re.Pattern[str], str]]]:
        """The index for ``kinds_in``: a string per term, or a pattern where " ~ " stands
        for one optional word."""
        out: dict[str, list[tuple[str | re.Pattern[str], str]]] = {}
        for first, entries in self._index.items():
            probes: list[tuple[str | re.Pattern[str], str]] = []
            for text, term in entries:
                if " ~ " in text:
                    before, after = text.split(" ~ ", 1)
                    probe: str | re.Pattern[str] = re.compile(
                        re.escape(before) + r" (?:[^\W_]+ )?" + re.escape(after)
                    )
                else:
                    probe = text
                probes.append((probe, term.kind))
            out[first] = probes
        return out

    def match(self, doc: ParsedDoc, sent: Sent) -> list[TermMatch]:
        toks = doc.sent_tokens(sent)
        if not toks:
            return []
        base = toks[0].start
        folded = fold(doc.text[base : toks[-1].end])
        # Collapse runs of whitespace virtually: terms use single spaces, and dispatches
        # sometimes have double spaces; we compare with a normalised view per candidate.
        ends = {t.end: t.i for t in toks}
        out: list[TermMatch] = []
        i = 0
        n = len(toks)
        while i < n:
            tok = toks[i]
            key_m = _WORD.search(fold(tok.text))
            found = None
            if key_m and key_m.start() == 0:
                rel = tok.start - base
                for text, term in self._index.get(key_m.group(0), ()):
                    if _startswith_ws(folded, text, rel):
                        end_abs = base + rel + _span_len(folded, text, rel)
                        if end_abs in ends:
                            found = (ends[end_abs], term, end_abs)
                            break
            if found:
                last, term, end_abs = found
                out.append(TermMatch(tok.i, last + 1, tok.start, end_abs, term))
                i = last + 1 - toks[0].i
            else:
                i += 1
        return out


def _startswith_ws(hay: str, needle: str, pos: int) -> bool:
    """``hay[pos:]`` starts with ``needle``, where one space in needle matches any run of
    whitespace in hay, and " ~ " matches one optional word."""
    return _match_len(hay, needle, pos) is not None


def _span_len(hay: str, needle: str, pos: int) -> int:
    n = _match_len(hay, needle, pos)
    return 0 if n is None else n


def _match_len(hay: str, needle: str, pos: int) -> int | None:
    if " ~ " in needle:
        before, after = needle.split(" ~ ", 1)
        n = _match_len(hay, before, pos)
        if n is None:
            return None
        j = pos + n
        k = j
        while k < len(hay) and hay[k].isspace():
            k += 1
        direct = _match_len(hay, after, k)
        if direct is not None and k > j:
            return k + direct - pos
        w = _WORD.match(hay, k)
        if w is None:
            return None
        k2 = w.end()
        while k2 < len(hay) and hay[k2].isspace():
            k2 += 1
        rest = _match_len(hay, after, k2)
        return None if rest is None or k2 == w.end() else k2 + rest - pos
    got = _match_plain(hay, needle, pos)
    return None if got is None else got


def _match_plain(hay: str, needle: str, pos: int) -> int | None:
    j = pos
    for k, ch in enumerate(needle):
        if ch == " ":
            if j >= len(hay) or not hay[j].isspace():
                # allow "d'Asie" written "d' Asie" or no space after apostrophe
                if k > 0 and needle[k - 1] == "'":
                    continue
                return None
            while j < len(hay) and hay[j].isspace():
                j += 1
        else:
            if j >= len(hay) or hay[j] != ch:
                return None
            j += 1
    return j - pos
