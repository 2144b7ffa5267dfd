"""The local engine: read inputs, code them in batches, write each batch to the store.

The driver is the store's single writer. Inputs are streamed: memory holds one batch
(plus, with ``workers > 1``, a bounded number of chunks in flight in worker processes).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communique.errors import SettingsError
from communique.model import Article, CodedArticle
from communique.settings import Settings
from communique.store import open_store

if TYPE_CHECKING:
    from communique.ingest import InputProblem
    from communique.ingest.readers import InputWarning

# Articles coded and written per store transaction. One batch is what an interrupted run
# loses (it is rolled back and redone on the next run), and what memory holds at once;
# 256 dispatches of ~400 words take ~15 s to code at ~7k words/s, while a DuckDB write of
# 256 articles takes ~0.05 s, so the per-transaction cost is well under 1% and a Ctrl-C
# loses seconds, not minutes. A multiple of Settings.batch_size (64) keeps nlp.pipe batches
# full.
INGEST_BATCH_SIZE = 256

# With workers > 1, chunks (of Settings.batch_size articles, cut at transaction
# boundaries) queued or being coded per worker. 2 keeps every worker busy while the
# driver reads, pickles and writes (a chunk codes in seconds, the driver's share per chunk
# takes milliseconds) and bounds memory at ~2 x 64 articles per worker, as ingest must
# stream 100k dispatches.
CHUNKS_IN_FLIGHT_PER_WORKER = 2

# Start method of worker processes: "spawn" never copies the driver's open store
# connection, threads or locks into a child (fork can deadlock on them), and behaves the
# same on Linux, macOS and Windows. Each worker pays a fresh interpreter and model load once.
WORKER_START_METHOD = "spawn"

CoderFactory = Callable[[Settings], Any]


def default_coder(settings: Settings) -> Any:
    """The coder run_ingest builds when none is given: ``communique.pipeline.Coder``."""
    from communique.pipeline import Coder

    return Coder(settings)


# The coder of a worker process, built once by _init_worker. It is the one piece of
# per-process state: set only in pool workers, never in the driver.
_WORKER_CODER: dict[str, Any] = {}


def _init_worker(settings: Settings, factory: CoderFactory, preload: tuple[str, ...]) -> None:
    coder = factory(settings)
    for lang in preload:  # load models now, before the first chunk arrives
        coder_state = getattr(coder, "_state", None)
        if coder_state is not None:
            coder_state(lang)
    _WORKER_CODER["coder"] = coder


def _code_chunk(articles: list[Article]) -> list[CodedArticle]:
    return list(_WORKER_CODER["coder"].code(articles))


class CodingPool:
    """Worker processes that each build a coder once (``factory(settings)``) and code
    chunks of articles. ``code(articles)`` yields CodedArticles in input order, reading
    its input lazily and keeping at most ``workers * CHUNKS_IN_FLIGHT_PER_WORKER`` chunks
    in flight. ``preload`` names languages whose models each worker loads at start.

    Use as a context manager; leaving it stops the workers (cancelling queued chunks)."""

    def __init__(
        self,
        settings: Settings,
        workers: int,
        factory: CoderFactory = default_coder,
        preload: Sequence[str] = (),
    ) -> None:
        if workers < 1:
            raise SettingsError(
                f"workers must be at least 1, got {workers}", hint="pass --workers 1 or more"
            )
        self.settings = settings
        self.workers = workers
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context(WORKER_START_METHOD),
            initializer=_init_worker,
            initargs=(settings, factory, tuple(preload)),
        )

    def __enter__(self) -> CodingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def code_chunks(
        self, chunks: Iterable[tuple[list[Article], Any]]
    ) -> Iterator[tuple[list[CodedArticle], Any]]:
        """Code ``(chunk, tag)`` pairs; yield ``(coded chunk, tag)`` in input order."""
        limit = self.workers * CHUNKS_IN_FLIGHT_PER_WORKER
        pending: deque[tuple[Future[list[CodedArticle]], Any]] = deque()
        for chunk, tag in chunks:
            pending.append((self._executor.submit(_code_chunk, chunk), tag))
            if len(pending) >= limit:
                future, done_tag = pending.popleft()
                yield future.result(), done_tag
        while pending:
            future, done_tag = pending.popleft()
            yield future.result(), done_tag

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        """Code articles in order, in chunks of ``settings.batch_size``."""
        for coded, _ in self.code_chunks(
            (chunk, None) for chunk in _chunks(articles, self.settings.batch_size)
        ):
            yield from coded


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True)
class IngestReport:
    """Totals of one ingest run. ``articles_skipped`` counts articles already stored with
    the same coder version; ``problems`` the inputs that could not be read; ``warnings``
    the inputs read and coded but maybe not well (mixed languages)."""

    articles_read: int
    articles_added: int
    articles_skipped: int
    events_added: int
    problems: list[InputProblem] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)


def run_ingest(
    paths: Sequence[Path | str],
    *,
    settings: Settings,
    published: date | None = None,
    lang: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    coder: Any | None = None,
    workers: int = 1,
    coder_factory: CoderFactory | None = None,
) -> IngestReport:
    """Read ``paths``, code the articles and store them in ``settings.store_path``.

    ``published`` and ``lang`` (None: detect) apply to inputs that do not carry their own.
    ``on_progress(articles_done, events_added)`` is called after each stored batch.
    ``coder`` is anything with ``.code(articles) -> Iterator[CodedArticle]`` and
    ``.coder_version``; by default ``coder_factory(settings)``, and ``coder_factory``
    defaults to ``communique.pipeline.Coder``.

    ``workers > 1`` codes in that many worker processes, each building its own coder with
    ``coder_factory`` (a picklable top-level callable; ``coder`` must then be None). The
    result is the same as with one process: articles are written in input order, by this
    process only, in the same transactions, with the same report.

    The store is opened first (a locked or invalid store fails before any model loads).
    Batches already written stay written if a later one fails; re-running skips them.
    """
    from communique.ingest import read_paths  # lazy: keeps `communique --help` light
    from communique.ingest.readers import warnings_of

    if workers < 1:
        raise SettingsError(
            f"workers must be at least 1, got {workers}", hint="pass --workers 1 or more"
        )
    if workers > 1 and coder is not None:
        raise SettingsError(
            "a coder instance cannot be shared by worker processes",
            hint="pass coder_factory (a top-level callable) instead of coder, or workers=1",
        )
    factory = coder_factory or default_coder

    with open_store(settings.store_path) as store:
        if coder is None:
            # with workers > 1 this driver-side coder only tells the version: Coder loads
            # its models lazily, on the first article it codes
            coder = factory(settings)
        coder_version: str = coder.coder_version
        problems: list[InputProblem] = []
        warnings: list[InputWarning] = []
        read = added = skipped = events = 0

        def write(coded: list[CodedArticle]) -> None:
            nonlocal added, skipped, events
            report = store.write(coded, coder_version)
            added += report.articles_added
            skipped += report.articles_skipped
            events += report.events_added
            if on_progress is not None:
                on_progress(added + skipped, events)

        def articles() -> Iterator[Article]:
            nonlocal read
            items: Iterable[Any] = read_paths(
                paths, settings=settings, published=published, lang=lang
            )
            for item in items:
                if isinstance(item, Article):
                    read += 1
                    warnings.extend(warnings_of(item))
                    yield item
                else:
                    problems.append(item)

        if workers == 1:
            for batch in _chunks(articles(), INGEST_BATCH_SIZE):
                write(list(coder.code(batch)))
        else:
            with CodingPool(settings, workers, factory) as pool:
                pending: list[CodedArticle] = []
                for coded, ends_batch in pool.code_chunks(
                    _transaction_chunks(articles(), INGEST_BATCH_SIZE, settings.batch_size)
                ):
                    pending.extend(coded)
                    if ends_batch:
                        write(pending)
                        pending = []

    return IngestReport(
        articles_read=read,
        articles_added=added,
        articles_skipped=skipped,
        events_added=events,
        problems=problems,
        warnings=warnings,
    )


def _transaction_chunks(
    articles: Iterable[Article], batch_size: int, chunk_size: int
) -> Iterator[tuple[list[Article], bool]]:
    """Cut ``articles`` into chunks of at most ``chunk_size`` that never straddle a store
    batch of ``batch_size``; each chunk comes with True when it closes a store batch."""
    for batch in _chunks(articles, batch_size):
        for start in range(0, len(batch), chunk_size):
            chunk = batch[start : start + chunk_size]
            yield chunk, start + chunk_size >= len(batch)
