"""The local engine: read inputs, code them in batches, write each batch to the store.

The driver is the store's single writer. Inputs are streamed: memory holds one batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
) -> IngestReport:
    """Read ``paths``, code the articles and store them in ``settings.store_path``.

    ``published`` and ``lang`` (None: detect) apply to inputs that do not carry their own.
    ``on_progress(articles_done, events_added)`` is called after each stored batch.
    ``coder`` is anything with ``.code(articles) -> Iterator[CodedArticle]`` and
    ``.coder_version``; by default ``communique.pipeline.Coder(settings)``.

    The store is opened first (a locked or invalid store fails before any model loads).
    Batches already written stay written if a later one fails; re-running skips them.
    """
    from communique.ingest import read_paths  # lazy: keeps `communique --help` light
    from communique.ingest.readers import warnings_of

    with open_store(settings.store_path) as store:
        if coder is None:
            from communique.pipeline import Coder

            coder = Coder(settings)
        coder_version: str = coder.coder_version
        problems: list[InputProblem] = []
        warnings: list[InputWarning] = []
        read = added = skipped = events = 0

        def flush(batch: list[Article]) -> None:
            nonlocal added, skipped, events
            if not batch:
                return
            coded: list[CodedArticle] = list(coder.code(batch))
            report = store.write(coded, coder_version)
            added += report.articles_added
            skipped += report.articles_skipped
            events += report.events_added
            if on_progress is not None:
                on_progress(added + skipped, events)

        batch: list[Article] = []
        items: Iterable[Any] = read_paths(paths, settings=settings, published=published, lang=lang)
        for item in items:
            if isinstance(item, Article):
                read += 1
                warnings.extend(warnings_of(item))
                batch.append(item)
                if len(batch) >= INGEST_BATCH_SIZE:
                    flush(batch)
                    batch = []
            else:
                problems.append(item)
        flush(batch)

    return IngestReport(
        articles_read=read,
        articles_added=added,
        articles_skipped=skipped,
        events_added=events,
        problems=problems,
        warnings=warnings,
    )
