"""The ingest driver every engine runs: read the inputs, choose what to code, have the
engine's pool code it, write the store. Engines differ only in their pool.

One run, in input order:

1. signatures are backfilled once for stored articles that lack one (near-duplicate
   detection on: ``Settings.detect_near_duplicates``);
2. an ``InputLedger`` streams the input files, leaving out those unchanged since they were
   last stored whole; each file is read on its own with ``read_paths``;
3. articles are cut into store batches of ``INGEST_BATCH_SIZE``; when a batch is formed it
   takes the stamps of the files read to their end without a problem so far (so a file's
   stamp rides with the batch holding its last article, never an earlier one), and
   ``select_new`` splits it into articles to code, near-duplicates to link and ids to skip;
4. the articles to code go to the pool in chunks (anything with ``code_chunks``, which
   yields results in input order, maybe with several chunks in flight);
5. each batch is written by one ``store.write`` (coded articles, their signatures, the
   duplicate links and the file stamps), in input order, once all its chunks are back.

With several batches in flight, batch k+1 is selected before batch k is written: an
``InFlight`` index of the selections not written yet lets ``select_new`` skip their ids
and link copies of their articles, so every engine and worker count stores the same rows.

Holding the store. DuckDB lets no other process open a file that a writer holds, not
even to read. So the driver holds the store only for its store operations, each of which
ends with ``store.release()`` (DuckDB: close the file; the next operation reopens it,
waiting up to ``Settings.store_lock_wait_seconds`` for readers to let go; PostgreSQL: a
no-op): the opening (``open_for_ingest``), each chunk of the signature backfill, each
lookup of input stamps, each batch's selection and each batch's write. Reading the inputs
and coding (seconds a batch) happen with the file released, so a reader (the HTTP API, an
export) waits at most for one such operation (~0.1 s for a 256-article batch).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from communique.model import Article, CodedArticle
from communique.settings import Settings
from communique.store.base import DuplicateIndex, InputIndex

if TYPE_CHECKING:
    from communique.ingest import InputProblem
    from communique.ingest.incremental import InputLedger
    from communique.ingest.neardup import InFlight, MinHasher, Selection
    from communique.ingest.readers import InputWarning
    from communique.store.base import DuplicateLink, InputStamp, SignatureRecord, WriteReport
    from communique.store.sql import SqlStore

# Articles coded and written per store transaction. One batch is what an interrupted run
# loses (it is rolled back and redone on the next run), and what memory holds at once;
# 256 dispatches of ~400 words take ~15 s to code at ~7k words/s, while a DuckDB write of
# 256 articles takes ~0.05 s, so the per-transaction cost is well under 1% and a Ctrl-C
# loses seconds, not minutes. A multiple of Settings.batch_size (64) keeps nlp.pipe batches
# full. It is also the unit of near-duplicate selection (4 store lookups a batch).
INGEST_BATCH_SIZE = 256

# What a PostgreSQL URL looks like once Path() collapsed its "//": handed to
# store.open_store, which refuses it with a message that masks the password.
_COLLAPSED_URL_PREFIXES = ("postgresql:/", "postgres:/")


class ChunkCoder(Protocol):
    """What the driver needs from an engine's pool."""

    def code_chunks(
        self, chunks: Iterable[tuple[list[Article], Any]]
    ) -> Generator[tuple[list[CodedArticle], Any], None, None]:
        """Code ``(chunk, tag)`` pairs, read lazily; yield ``(coded chunk, tag)`` in input
        order. Closing the generator drops what is in flight."""
        ...


class IngestStore(DuplicateIndex, InputIndex, Protocol):
    """What the driver needs from a store: the near-duplicate and input-stamp lookups,
    the signature backfill (``neardup.SignatureBackfill``), a write that stores
    signatures, links and stamps in the batch's transaction, and ``release`` (let other
    processes at the store until the next call)."""

    def release(self) -> None: ...

    def unsigned_articles(self, scheme: str, after: str, limit: int) -> list[tuple[str, str]]: ...

    def write_signatures(self, signatures: Sequence[SignatureRecord]) -> None: ...

    def write(
        self,
        batch: Sequence[CodedArticle],
        coder_version: str,
        *,
        signatures: Sequence[SignatureRecord] = (),
        duplicates: Sequence[DuplicateLink] = (),
        inputs: Sequence[InputStamp] = (),
    ) -> WriteReport: ...


class InProcessPool:
    """Codes each chunk with ``coder.code`` in this process, when it is pulled: nothing
    is ever in flight (the local engine with one worker)."""

    def __init__(self, coder: Any) -> None:
        self.coder = coder

    def code_chunks(
        self, chunks: Iterable[tuple[list[Article], Any]]
    ) -> Generator[tuple[list[CodedArticle], Any], None, None]:
        for chunk, tag in chunks:
            yield (list(self.coder.code(chunk)) if chunk else []), tag


@dataclass(frozen=True)
class IngestReport:
    """Totals of one ingest run. ``articles_skipped`` counts articles already stored with
    the same coder version (or already linked as near-duplicates); ``duplicates`` the
    near-duplicates linked to a coded original instead of being coded; ``problems`` the
    inputs that could not be read; ``warnings`` the inputs read and coded but maybe not
    well (mixed languages); ``files_unchanged`` the input files not read because they were
    stored whole, unchanged, by the same coder version."""

    articles_read: int
    articles_added: int
    articles_skipped: int
    events_added: int
    problems: list[InputProblem] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)
    duplicates: int = 0
    files_unchanged: int = 0


@dataclass(eq=False)
class _Batch:
    """One store batch from its forming to its write."""

    selection: Selection
    inputs: list[InputStamp]
    parts: int = 0  # chunks sent to the pool
    received: int = 0  # chunks back from the pool
    coded: list[CodedArticle] = field(default_factory=list)


class _Run:
    """The state of one ``drive`` call: the batches formed but not written (in order), the
    in-flight index and the running totals."""

    def __init__(
        self,
        store: IngestStore,
        ledger: InputLedger,
        *,
        settings: Settings,
        coder_version: str,
        hasher: MinHasher | None,
        read_file: Callable[[Path], Iterable[Article | InputProblem]],
        on_progress: Callable[[int, int], None] | None,
        chunk_size: int | None,
    ) -> None:
        from communique.ingest.neardup import InFlight

        self.store = store
        self.ledger = ledger
        self.settings = settings
        self.coder_version = coder_version
        self.hasher = hasher
        self.read_file = read_file
        self.on_progress = on_progress
        self.chunk_size = chunk_size
        self.in_flight: InFlight = InFlight()
        self.queue: deque[_Batch] = deque()
        self.counts: Counter[str] = Counter()  # IngestReport's numbers, by field name
        self.problems: list[InputProblem] = []
        self.warnings: list[InputWarning] = []

    # -- reading -------------------------------------------------------------------------

    def batches(
        self, paths: Sequence[Path | str]
    ) -> Iterator[tuple[list[Article], list[InputStamp]]]:
        """Store batches of read articles, each with the stamps of the files completed
        when it was formed. A full batch is cut only when the next article arrives or its
        file ends, so that a file ending on it stamps it."""
        from communique.ingest import InputProblem
        from communique.ingest.readers import warnings_of

        batch: list[Article] = []
        for file in self.ledger.files(paths):
            if isinstance(file, InputProblem):
                self.problems.append(file)
                continue
            complete = True
            for item in self.read_file(file):
                if not isinstance(item, Article):
                    self.problems.append(item)
                    complete = False
                    continue
                if len(batch) >= INGEST_BATCH_SIZE:
                    yield batch, self.ledger.take()
                    batch = []
                self.counts["articles_read"] += 1
                self.warnings.extend(warnings_of(item))
                batch.append(item)
            self.ledger.done(file, complete=complete)
            if len(batch) >= INGEST_BATCH_SIZE:
                yield batch, self.ledger.take()
                batch = []
        stamps = self.ledger.take()
        if batch or stamps:
            yield batch, stamps

    def chunks(self, paths: Sequence[Path | str]) -> Iterator[tuple[list[Article], _Batch]]:
        """Chunks of articles to code, each tagged with its batch. A batch with nothing to
        code is written at once when nothing is in flight before it; otherwise it sends one
        empty chunk, to be written in its turn."""
        from communique.ingest.neardup import select_new

        for articles, stamps in self.batches(paths):
            with self.held() as store:  # one store operation: the batch's 4 lookups
                selection = select_new(
                    articles,
                    store,
                    settings=self.settings,
                    coder_version=self.coder_version,
                    hasher=self.hasher,
                    in_flight=self.in_flight,
                )
            self.in_flight.hold(selection)
            parts = _cut(selection.to_code, self.chunk_size)
            if not parts and not self.queue:  # nothing to code and nothing before it
                self.queue.append(_Batch(selection, stamps))
                self.write_ready()
                continue
            batch = _Batch(selection, stamps, parts=max(len(parts), 1))
            self.queue.append(batch)
            for part in parts or [[]]:
                yield part, batch

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def held(self) -> Iterator[IngestStore]:
        """The store for one store operation, released when it ends (even by an error)."""
        try:
            yield self.store
        finally:
            self.store.release()

    def received(self, coded: list[CodedArticle], batch: _Batch) -> None:
        batch.coded.extend(coded)
        batch.received += 1
        self.write_ready()

    def write_ready(self) -> None:
        """Write, in order, the batches at the head of the queue whose chunks are all back."""
        while self.queue and self.queue[0].received >= self.queue[0].parts:
            batch = self.queue.popleft()
            sel = batch.selection
            with self.held() as store:
                report = store.write(
                    batch.coded,
                    self.coder_version,
                    signatures=sel.signatures,
                    duplicates=sel.duplicates,
                    inputs=batch.inputs,
                )
            self.in_flight.release(sel)
            c = self.counts
            c.update(
                articles_added=report.articles_added,
                articles_skipped=report.articles_skipped + len(sel.skipped),
                duplicates=len(sel.duplicates),
                events_added=report.events_added,
            )
            if self.on_progress is not None:
                done = c["articles_added"] + c["articles_skipped"] + c["duplicates"]
                self.on_progress(done, c["events_added"])

    def report(self) -> IngestReport:
        c = self.counts
        return IngestReport(
            c["articles_read"],
            c["articles_added"],
            c["articles_skipped"],
            c["events_added"],
            self.problems,
            self.warnings,
            duplicates=c["duplicates"],
            files_unchanged=self.ledger.unchanged,
        )


class _ReleasedAfterEachCall:
    """The store as the input ledger and the signature backfill see it: each of their
    calls is one store operation, released when it returns (they compute between calls)."""

    def __init__(self, store: IngestStore) -> None:
        self._store = store

    def input_stamps(self, paths: Sequence[str]) -> dict[str, tuple[int, int, str]]:
        try:
            return self._store.input_stamps(paths)
        finally:
            self._store.release()

    def unsigned_articles(self, scheme: str, after: str, limit: int) -> list[tuple[str, str]]:
        try:
            return self._store.unsigned_articles(scheme, after, limit)
        finally:
            self._store.release()

    def write_signatures(self, signatures: Sequence[SignatureRecord]) -> None:
        try:
            self._store.write_signatures(signatures)
        finally:
            self._store.release()


def _cut(articles: list[Article], size: int | None) -> list[list[Article]]:
    """``articles`` in chunks of ``size`` (None: one chunk); no chunk when empty."""
    if not articles:
        return []
    if size is None:
        return [articles]
    return [articles[start : start + size] for start in range(0, len(articles), size)]


def open_for_ingest(settings: Settings) -> SqlStore:
    """The store of ``settings`` opened for an ingest (created and migrated, so that a
    bad or locked store fails before any model loads), then released until the driver's
    first store operation. A DuckDB store waits up to ``settings.store_lock_wait_seconds``
    for other processes to let go of its file, opening and reopening. Raises StoreError.
    """
    from communique.store import is_store_url, open_store

    target = settings.store_path
    if is_store_url(target) or str(target).startswith(_COLLAPSED_URL_PREFIXES):
        store = open_store(target)  # PostgreSQL, or a mangled URL that open_store refuses
    else:
        from communique.store.duckdb import open_store as open_duckdb

        store = open_duckdb(target, lock_wait=settings.store_lock_wait_seconds)
    try:
        store.release()
    except BaseException:
        store.close()
        raise
    return store


def drive(
    store: IngestStore,
    pool: ChunkCoder,
    paths: Sequence[Path | str],
    *,
    settings: Settings,
    coder_version: str,
    published: date | None = None,
    lang: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    chunk_size: int | None = None,
) -> IngestReport:
    """Ingest ``paths`` into the open ``store``, coding through ``pool``.

    ``coder_version`` is the version the pool codes with; ``published`` and ``lang``
    (None: detect) apply to inputs that do not carry their own; ``on_progress(articles
    done, events added)`` is called after each written batch. ``chunk_size`` cuts each
    batch's articles to code into pool chunks (None: one chunk a batch).

    Batches written before an error stay written, with the stamps of the files they
    complete; a re-run skips them.
    """
    from communique.ingest import read_paths  # lazy: keeps `communique --help` light
    from communique.ingest.incremental import InputLedger
    from communique.ingest.neardup import MinHasher, backfill_signatures

    store.release()  # whatever opened it may have held it since
    brief = _ReleasedAfterEachCall(store)
    hasher = MinHasher.from_settings(settings) if settings.detect_near_duplicates else None
    backfill_signatures(brief, settings, hasher=hasher)

    def read_file(file: Path) -> Iterable[Article | InputProblem]:
        return read_paths([file], settings=settings, published=published, lang=lang)

    run = _Run(
        store,
        InputLedger(brief, coder_version),
        settings=settings,
        coder_version=coder_version,
        hasher=hasher,
        read_file=read_file,
        on_progress=on_progress,
        chunk_size=chunk_size,
    )
    # closing(): an error while writing stops the pool's generator (cancelling what is in
    # flight) before the pool itself is closed
    with closing(pool.code_chunks(run.chunks(paths))) as results:
        for coded, batch in results:
            run.received(coded, batch)
    return run.report()
