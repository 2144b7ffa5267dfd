"""The local engine: the shared driver (engines/driver.py) codes on this machine, in this
process (``workers=1``) or in a pool of worker processes.

The driver is the store's single writer. Inputs are streamed: memory holds one batch
(plus, with ``workers > 1``, a bounded number of chunks in flight in worker processes).
The store's file is held only for the driver's store operations, never while coding
(engines/driver.py), so readers in other processes get in between batches.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from pathlib import Path
from typing import Any

from communique.engines.driver import (
    INGEST_BATCH_SIZE,
    ChunkCoder,
    IngestReport,
    InProcessPool,
    drive,
    open_for_ingest,
)
from communique.errors import SettingsError
from communique.model import Article, CodedArticle
from communique.settings import Settings

__all__ = ["INGEST_BATCH_SIZE", "CodingPool", "IngestReport", "default_coder", "run_ingest"]

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
    ) -> Generator[tuple[list[CodedArticle], Any], None, None]:
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

    Input files stored whole and unchanged since are not read again, and near-duplicates
    of coded articles are linked instead of coded (engines/driver.py); the report counts
    both.

    The store is opened first (an invalid store, or one another process holds for more
    than ``settings.store_lock_wait_seconds``, fails before any model loads), then held
    only while the driver reads or writes it. Batches already written stay written if a
    later one fails or the process is killed; re-running skips them.
    """
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

    with open_for_ingest(settings) as store:
        if coder is None:
            # with workers > 1 this driver-side coder only tells the version: Coder loads
            # its models lazily, on the first article it codes
            coder = factory(settings)
        pool: AbstractContextManager[ChunkCoder] = (
            nullcontext(InProcessPool(coder))
            if workers == 1
            else CodingPool(settings, workers, factory)
        )
        with pool as coding:
            return drive(
                store,
                coding,
                paths,
                settings=settings,
                coder_version=str(coder.coder_version),
                published=published,
                lang=lang,
                on_progress=on_progress,
                chunk_size=None if workers == 1 else settings.batch_size,
            )
