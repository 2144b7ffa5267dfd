"""Near-duplicate dispatches: MinHash signatures of word shingles, LSH band keys, and the
choice, batch by batch, of which articles to code.

The same agency copy is often republished with a new headline, an added sentence, other
quotes or spacing: its text (so its content id) differs, but it should be linked to the
first stored copy, not coded again. An article's body (its text from ``body_start``: the
rubric, headline and dateline, which copies rewrite and unrelated dispatches share, do not
count; the whole text when the body has no words) is folded (``textfold.fold``: case, accents,
apostrophes), cut into words (``\\w+``: punctuation, quotes and whitespace do not count),
and its shingles (runs of ``near_duplicate_shingle_words`` words) are hashed with
``blake2b``; the signature keeps, for each of ``near_duplicate_hashes`` seeded functions
``(a*x + b) mod p``, the smallest value. The share of equal positions in two signatures
estimates the Jaccard similarity of their shingle sets; with the stored shingle counts it
also estimates how many shingles a copy adds, which tells a republished copy (an added
sentence) from an update (new paragraphs, maybe new events). Signatures are cut into bands of
``near_duplicate_band_rows`` values; each band hashes to a key, and only articles sharing a
key are compared, so a lookup reads a few stored signatures, never stored texts.

Everything is derived from fixed seeds and ``blake2b`` (never Python's salted ``hash()``),
so a signature is the same in every process, on every machine and in every run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from communique.errors import SettingsError
from communique.ingest.structure import load_header_vocabulary, parse_header
from communique.model import Article
from communique.settings import Settings
from communique.store.base import DuplicateIndex, DuplicateLink, SignatureRecord
from communique.textfold import fold

# Version of the tokenisation and hashing below. It is part of every scheme name, so
# changing how signatures are computed must bump it: old signatures are then ignored.
_ALGORITHM = 1

# Seed of the hash functions. Fixed: stored signatures are compared with new ones.
_SEED = 20_240_529

# Largest prime below 2**32. With x, a, b < 2**32, a*x + b < 2**64, so the universal hash
# (a*x + b) mod p is computed exactly in uint64, and its values fit in uint32.
_PRIME = 4_294_967_291

# Shingles hashed per numpy block: bounds the work array of a long text to
# _BLOCK * hashes * 8 bytes (~4 MB with 120 functions) whatever the text's length.
_BLOCK = 4096

# Words: runs of letters and digits of the folded text.
_WORD = re.compile(r"\w+")

Values = npt.NDArray[np.uint32]


@dataclass(frozen=True, slots=True, eq=False)
class Signature:
    """A MinHash signature: ``values`` (one uint32 minimum per hash function) and the
    number of distinct shingles it summarises (to estimate how much text is new)."""

    values: Values
    shingles: int

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Signature)
            and self.shingles == other.shingles
            and bool(np.array_equal(self.values, other.values))
        )

    __hash__ = None  # type: ignore[assignment]


def _seeded(seed: int, label: str, index: int) -> int:
    """An integer below _PRIME derived from (seed, label, index) with blake2b."""
    digest = hashlib.blake2b(f"{seed}:{label}:{index}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") % _PRIME


class MinHasher:
    """MinHash signatures and LSH band keys under one scheme (hashing parameters).

    Build it once per run (``MinHasher.from_settings``) and reuse it: it holds the seeded
    coefficients. Raises SettingsError for parameters that cannot work together.
    """

    def __init__(self, *, shingle_words: int, hashes: int, band_rows: int) -> None:
        if shingle_words < 1 or hashes < 1 or band_rows < 1 or hashes % band_rows:
            raise SettingsError(
                f"near-duplicate hashing needs positive numbers and hashes divisible by "
                f"band rows (got shingle words {shingle_words}, hashes {hashes}, band rows "
                f"{band_rows})",
                where="near_duplicate_hashes / near_duplicate_band_rows",
                hint="keep the defaults (120 hashes, 6 rows), or choose rows dividing hashes",
            )
        self.shingle_words = shingle_words
        self.hashes = hashes
        self.band_rows = band_rows
        self.bands = hashes // band_rows
        self.scheme = f"minhash{_ALGORITHM}-w{shingle_words}-k{hashes}-r{band_rows}-s{_SEED}"
        self._a = np.array(
            [1 + _seeded(_SEED, "a", i) % (_PRIME - 1) for i in range(hashes)], dtype=np.uint64
        )
        self._b = np.array([_seeded(_SEED, "b", i) for i in range(hashes)], dtype=np.uint64)

    @classmethod
    def from_settings(cls, settings: Settings) -> MinHasher:
        return cls(
            shingle_words=settings.near_duplicate_shingle_words,
            hashes=settings.near_duplicate_hashes,
            band_rows=settings.near_duplicate_band_rows,
        )

    def shingles(self, text: str) -> set[int]:
        """32-bit hashes of the text's word shingles; a text shorter than one shingle is
        one shingle; a text without words has none."""
        words = _WORD.findall(fold(text))
        if not words:
            return set()
        n = self.shingle_words
        runs = (words[i : i + n] for i in range(max(len(words) - n + 1, 1)))
        return {
            int.from_bytes(hashlib.blake2b(" ".join(run).encode(), digest_size=4).digest())
            for run in runs
        }

    def signature(self, text: str) -> Signature | None:
        """The MinHash signature of ``text``; None when it has no words."""
        hashed = self.shingles(text)
        if not hashed:
            return None
        shingles = np.fromiter(hashed, dtype=np.uint64, count=len(hashed))
        least = np.full(self.hashes, _PRIME, dtype=np.uint64)
        for start in range(0, len(shingles), _BLOCK):
            block = shingles[start : start + _BLOCK, None]
            permuted = (block * self._a[None, :] + self._b[None, :]) % np.uint64(_PRIME)
            np.minimum(least, permuted.min(axis=0), out=least)
        return Signature(least.astype(np.uint32), len(hashed))

    def article_signature(self, article: Article) -> Signature | None:
        """The signature of the article's body (from ``body_start``), or of its whole text
        when the body has no words; None when the text has none."""
        return self.body_signature(article.text, article.body_start)

    def body_signature(self, text: str, body_start: int) -> Signature | None:
        """``article_signature`` of a text whose body starts at ``body_start``."""
        body = self.signature(text[body_start:])
        return body if body is not None else self.signature(text)

    def band_keys(self, signature: Signature) -> tuple[int, ...]:
        """One signed 64-bit key per band: a hash of the scheme, the band number and the
        band's values (two signatures share a key when a whole band is equal)."""
        packed = pack(signature)
        width = 4 * self.band_rows
        prefix = self.scheme.encode()
        return tuple(
            int.from_bytes(
                hashlib.blake2b(
                    prefix + band.to_bytes(2, "little") + packed[band * width : (band + 1) * width],
                    digest_size=8,
                ).digest(),
                "little",
                signed=True,
            )
            for band in range(self.bands)
        )

    def record(self, article_id: str, signature: Signature) -> SignatureRecord:
        """What the store keeps of a coded article's signature."""
        return SignatureRecord(
            article_id,
            self.scheme,
            pack(signature),
            signature.shingles,
            self.band_keys(signature),
        )


def pack(signature: Signature) -> bytes:
    """Signature values -> bytes (little-endian uint32), the store's form."""
    return signature.values.astype("<u4").tobytes()


def unpack(data: bytes, shingles: int) -> Signature:
    """Bytes of ``pack`` and the shingle count -> signature."""
    return Signature(np.frombuffer(data, dtype="<u4").astype(np.uint32), shingles)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the shingle sets: the share of equal positions (0
    for signatures of different lengths, which only happens across schemes)."""
    if a.values.shape != b.values.shape or not len(a.values):
        return 0.0
    return float(np.count_nonzero(a.values == b.values)) / len(a.values)


def new_shingles(copy: Signature, original: Signature) -> float:
    """Estimated number of shingles of ``copy`` that ``original`` lacks: from the Jaccard
    estimate J and the set sizes, shared = J (|A| + |B|) / (1 + J)."""
    j = similarity(copy, original)
    shared = j * (copy.shingles + original.shingles) / (1 + j)
    return max(copy.shingles - shared, 0.0)


# ---------------------------------------------------------------------------------------
# The engine hook
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What to do with one batch of read articles.

    ``to_code``: new articles (or stored under another coder version), in input order.
    ``duplicates``: links of near-duplicates not to code, to the stored or in-batch
    original. ``signatures``: of the articles in ``to_code``, for the store.
    ``skipped``: ids already stored with this coder version, already linked as duplicates,
    or repeated inside the batch (the first is kept).
    """

    to_code: list[Article] = field(default_factory=list)
    duplicates: list[DuplicateLink] = field(default_factory=list)
    signatures: list[SignatureRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _link(article: Article, original_id: str, score: float, scheme: str) -> DuplicateLink:
    return DuplicateLink(
        duplicate_id=article.id,
        original_id=original_id,
        similarity=score,
        scheme=scheme,
        origin=article.origin,
        url=article.url,
        title=article.title,
        source=article.source,
        lang=article.lang,
        published=article.published,
        published_month=article.published_month,
    )


def is_near_duplicate(copy: Signature, original: Signature, settings: Settings) -> bool:
    """The rule: similar enough (``near_duplicate_threshold``) and bringing little new
    text (``near_duplicate_max_new_shingles``); a trimmed copy brings none."""
    return (
        similarity(copy, original) >= settings.near_duplicate_threshold
        and new_shingles(copy, original) <= settings.near_duplicate_max_new_shingles
    )


def select_new(
    articles: Iterable[Article],
    store: DuplicateIndex,
    *,
    settings: Settings,
    coder_version: str,
    hasher: MinHasher | None = None,
    in_flight: InFlight | None = None,
) -> Selection:
    """Split a batch into articles to code, near-duplicates to link, and articles to skip.

    Four store lookups per batch: stored ids, linked ids, band keys, and the candidates'
    signatures (never texts). A new article that ``is_near_duplicate`` of a stored coded
    article, or of an earlier article of the batch that will be coded, is linked to the
    most similar such original (ties: the smallest id). An article already stored (under
    another coder version) is recoded, never turned into a duplicate. Pass the coded
    ``to_code`` with ``signatures`` and ``duplicates`` to one ``store.write``.

    ``in_flight`` holds the selections of earlier batches not written yet (an engine with
    several batches in flight): their ids are skipped as if stored, and their articles to
    code are originals as if stored, so the result is the one of batches written one by one.
    """
    unique: dict[str, Article] = {}
    skipped: list[str] = []
    for article in articles:
        if article.id in unique or (in_flight is not None and article.id in in_flight):
            skipped.append(article.id)
        else:
            unique[article.id] = article
    ids = list(unique)
    versions = store.stored_versions(ids)
    linked = store.duplicate_ids([i for i in ids if i not in versions])
    fresh: list[Article] = []
    for aid, article in unique.items():
        if versions.get(aid) == coder_version or aid in linked:
            skipped.append(aid)
        else:
            fresh.append(article)
    if not settings.detect_near_duplicates:
        return Selection(to_code=fresh, skipped=skipped)

    hasher = hasher or MinHasher.from_settings(settings)
    signed: list[tuple[Article, Signature | None, tuple[int, ...]]] = []
    for article in fresh:
        sig = hasher.article_signature(article)
        signed.append((article, sig, () if sig is None else hasher.band_keys(sig)))
    wanted = sorted({k for a, _, keys in signed if a.id not in versions for k in keys})
    matches = store.band_matches(wanted)
    if in_flight is not None:
        matches = matches + in_flight.band_matches(wanted)
    by_key: dict[int, list[str]] = {}
    for key, aid in matches:
        by_key.setdefault(key, []).append(aid)
    candidates = sorted({a for found in by_key.values() for a in found})
    packed = store.signatures_of(candidates, hasher.scheme)
    if in_flight is not None:
        packed.update(in_flight.signatures_of(candidates, hasher.scheme))
    known = {aid: unpack(data, shingles) for aid, (data, shingles) in packed.items()}

    selection = Selection(skipped=skipped)
    for article, sig, keys in signed:
        if sig is None:
            selection.to_code.append(article)
            continue
        if article.id not in versions:
            best = _best_original(article.id, sig, keys, by_key, known, settings)
            if best is not None:
                selection.duplicates.append(_link(article, best[1], best[0], hasher.scheme))
                continue
        selection.to_code.append(article)
        selection.signatures.append(hasher.record(article.id, sig))
        known[article.id] = sig
        for key in keys:
            by_key.setdefault(key, []).append(article.id)
    return selection


class InFlight:
    """The selections of batches formed but not yet written, for ``select_new`` on the
    next batches: the ids they code or link (skipped as if stored) and the signatures of
    the articles they code (originals as if stored, found by band key).

    ``hold`` a selection when its batch is formed and ``release`` it once the batch is
    written: the index then holds only what is in flight (a few batches), never the run.
    An id is held by one selection at most, since ``select_new`` skips held ids.
    """

    def __init__(self) -> None:
        self._ids: set[str] = set()
        self._signatures: dict[str, SignatureRecord] = {}
        self._bands: dict[int, set[str]] = {}

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._ids

    def __len__(self) -> int:
        """Ids held (coded or linked by batches in flight)."""
        return len(self._ids)

    def hold(self, selection: Selection) -> None:
        self._ids.update(_selected_ids(selection))
        for record in selection.signatures:
            self._signatures[record.article_id] = record
            for key in record.band_keys:
                self._bands.setdefault(key, set()).add(record.article_id)

    def release(self, selection: Selection) -> None:
        self._ids.difference_update(_selected_ids(selection))
        for record in selection.signatures:
            if self._signatures.pop(record.article_id, None) is None:
                continue
            for key in record.band_keys:
                holders = self._bands.get(key)
                if holders is not None:
                    holders.discard(record.article_id)
                    if not holders:
                        del self._bands[key]

    def band_matches(self, keys: Sequence[int]) -> list[tuple[int, str]]:
        """``DuplicateIndex.band_matches`` over the held signatures."""
        return [(key, aid) for key in keys for aid in sorted(self._bands.get(key, ()))]

    def signatures_of(self, ids: Sequence[str], scheme: str) -> dict[str, tuple[bytes, int]]:
        """``DuplicateIndex.signatures_of`` over the held signatures."""
        found = (self._signatures.get(aid) for aid in ids)
        return {
            r.article_id: (r.signature, r.shingles)
            for r in found
            if r is not None and r.scheme == scheme
        }


def _selected_ids(selection: Selection) -> list[str]:
    return [a.id for a in selection.to_code] + [d.duplicate_id for d in selection.duplicates]


def _best_original(
    article_id: str,
    sig: Signature,
    keys: Sequence[int],
    by_key: dict[int, list[str]],
    known: dict[str, Signature],
    settings: Settings,
) -> tuple[float, str] | None:
    """(similarity, id) of the most similar candidate sharing a band key of which the
    article is a near-duplicate, if any."""
    best: tuple[float, str] | None = None
    candidates = {c for key in keys for c in by_key.get(key, ()) if c != article_id}
    for cand in sorted(candidates):
        other = known.get(cand)
        if other is None or not is_near_duplicate(sig, other, settings):
            continue  # signed under another scheme, or not a copy
        score = similarity(sig, other)
        if best is None or score > best[0]:
            best = (score, cand)
    return best


# ---------------------------------------------------------------------------------------
# Stores from before signatures
# ---------------------------------------------------------------------------------------


class SignatureBackfill(Protocol):
    def unsigned_articles(self, scheme: str, after: str, limit: int) -> list[tuple[str, str]]: ...

    def write_signatures(self, signatures: Sequence[SignatureRecord]) -> None: ...


# Articles signed per backfill transaction: 1,000 texts of ~2.5 kB is ~2.5 MB in memory.
_BACKFILL_CHUNK = 1000


def backfill_signatures(
    store: SignatureBackfill, settings: Settings, *, hasher: MinHasher | None = None
) -> int:
    """Sign stored articles that have no signature under the current scheme (a store
    migrated from version 1, or a changed scheme), so new copies of them are found.

    Reads each unsigned text once, in chunks, and finds its body as the reader did
    (``parse_header`` of the stored, normalised text); once everything is signed a call
    reads no text. Returns the number of articles signed.
    """
    if not settings.detect_near_duplicates:
        return 0
    hasher = hasher or MinHasher.from_settings(settings)
    vocab = load_header_vocabulary()
    signed = 0
    after = ""
    while True:
        chunk = store.unsigned_articles(hasher.scheme, after, _BACKFILL_CHUNK)
        if not chunk:
            return signed
        records = []
        for aid, text in chunk:
            sig = hasher.body_signature(text, parse_header(text, vocab).body_start)
            if sig is not None:
                records.append(hasher.record(aid, sig))
        store.write_signatures(records)
        signed += len(records)
        after = chunk[-1][0]
