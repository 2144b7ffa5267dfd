"""The HTTP API keeps answering reads while `communique ingest` writes the same store.

DuckDB admits no reader process beside a writer, so the ingest holds the file only for
its store operations and releases it while it reads and codes (engines/driver.py); a
request that finds the file held waits for it (api/context.py). PostgreSQL serves
readers beside the writer. Either way: every answer is 200, and what the answers count
never goes down and only ever shows whole store batches.
"""

from __future__ import annotations

from itertools import accumulate

import pytest
from api_reads import READS, CleanIngest, never_decrease
from ingest_runs import read
from reliability_corpus import Corpus

from communique.engines.driver import INGEST_BATCH_SIZE

pytestmark = [pytest.mark.slow, pytest.mark.model]


def test_every_read_during_an_ingest_answers_200(clean_ingest: CleanIngest) -> None:
    reads = clean_ingest.reads
    assert reads.ingest_exit == 0, reads.ingest_output
    assert reads.failures == []
    assert set(reads.statuses) == {200}
    assert reads.during >= 3 * len(READS)  # the reads did run beside the ingest


def test_counts_never_decrease(clean_ingest: CleanIngest) -> None:
    for url, counts in clean_ingest.reads.counts.items():
        assert never_decrease(counts), (url, counts)
        assert counts[0] == 0 and counts[-1] > 0, (url, counts)  # empty before, full after


def test_reads_see_whole_batches_only(clean_ingest: CleanIngest, corpus: Corpus) -> None:
    """Every event count read is the count of a prefix of whole store batches (the
    dispatches are read, and batched, in corpus order); and the reads saw at least one
    state between the empty and the full store."""
    per_article = dict(
        read(clean_ingest.target, "SELECT article_id, count(*) FROM events GROUP BY 1")
    )
    ids = corpus.ids
    batches = [ids[i : i + INGEST_BATCH_SIZE] for i in range(0, len(ids), INGEST_BATCH_SIZE)]
    after_batch = [0, *accumulate(sum(int(per_article.get(i, 0)) for i in b) for b in batches)]
    seen = clean_ingest.reads.counts["/api/events?limit=500"]
    assert set(seen) <= set(after_batch), (seen, after_batch)
    assert len(set(seen)) >= 3, seen
