"""An ingest killed with SIGKILL loses nothing and duplicates nothing once re-run.

``test_killed_ingests_resume_to_the_clean_store``: the real `communique ingest` on the
generated corpus (5 store batches) is killed once its first batch is stored, re-run and
killed again half-way, then re-run to its end. After each kill the store holds whole
batches only: no orphan or duplicate row, and input files stamped only when all their
dispatches are stored. At the end it equals, table by table, the store of one clean
ingest of the same corpus (conftest.py's ``clean_ingest``).

``test_a_kill_during_a_write_keeps_whole_batches_only``: a process is killed in the
middle of a batch's write transaction (its articles, events, actors, signatures and
links sent, its input stamps being loaded): none of that batch is stored. Killed after
the commit but before the store let go of its file (DuckDB: the batch only in the
write-ahead log): all of it is. Either way a re-run completes the store. Coded by a fake
coder (no model), through the real driver.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from api_reads import CleanIngest
from conftest import NewTarget, create_empty
from ingest_runs import (
    finish,
    ingest,
    kill_when,
    problems,
    read,
    snapshot,
    stamped,
    start_ingest,
    stored_count,
)
from reliability_corpus import Corpus, write_corpus

import communique.engines.driver as driver
from communique.engines.driver import INGEST_BATCH_SIZE
from communique.engines.local import run_ingest
from communique.settings import Settings
from communique.store import store_target

ENGINES = Path(__file__).resolve().parent.parent / "engines"
sys.path.insert(0, str(ENGINES))

from engine_fakes import SeeingCoder  # noqa: E402


@pytest.mark.slow
@pytest.mark.model
def test_killed_ingests_resume_to_the_clean_store(
    clean_ingest: CleanIngest, new_target: NewTarget, corpus: Corpus
) -> None:
    target = create_empty(new_target())
    total = len(corpus.ids)
    assert total > 4 * INGEST_BATCH_SIZE  # a kill half-way leaves batches to come

    first = start_ingest(corpus, target)
    kill_when(first, lambda: stored_count(target) > 0, "its first batch was stored")
    after_first = stored_count(target)
    assert 0 < after_first < total
    assert problems(target, corpus) == {}

    second = start_ingest(corpus, target)
    kill_when(second, lambda: stored_count(target) >= total // 2, "half the corpus was stored")
    after_second = stored_count(target)
    assert after_first < after_second < total
    assert problems(target, corpus) == {}
    done = stamped(target)
    assert done < set(corpus.files)

    out = ingest(corpus, target)
    unread = sum(len(corpus.files[path]) for path in done)
    assert f"{total - unread} article(s) read" in out  # stamped files are not read again
    assert f"{len(done)} unchanged file(s) not read again" in out
    assert problems(target, corpus) == {}
    assert stamped(target) == set(corpus.files)
    assert stored_count(target) == total  # every dispatch exactly once
    assert snapshot(target) == snapshot(clean_ingest.target)


# -- a kill inside a write, and between its commit and the release of the file ----------

# The child: the real driver with a fake coder (tests/engines/engine_fakes.py) and store
# batches of 4. On the second batch that stamps input files it prints what that write
# sent (article ids by table) and sleeps until it is killed: "inside" the transaction,
# just as the stamps (the last rows of a batch) are being loaded; or "committed", once the
# transaction is committed but before the store lets go of its file (DuckDB: the batch is
# then only in the write-ahead log, not yet checkpointed into the file).
_CHILD = textwrap.dedent(
    """
    import json, sys, time
    sys.path.insert(0, {engines!r})
    from engine_fakes import SeeingCoder
    import communique.engines.driver as driver
    from communique.engines.local import run_ingest
    from communique.settings import Settings
    from communique.store import store_target
    from communique.store.duckdb import DuckDBStore
    from communique.store.postgres import PostgresStore

    MOMENT = {moment!r}
    driver.INGEST_BATCH_SIZE = 4
    stamping = []
    sent = {{}}  # table -> article ids sent by the write under way

    def stop():
        print(json.dumps(sent), flush=True)
        time.sleep(3600)

    def patch(cls):
        real_load, real_release = cls._load, cls.release
        def load(self, table, records, **kw):
            if table == "articles":
                sent.clear()
            key = {{"articles": "id", "duplicates": "duplicate_id"}}.get(table, "article_id")
            sent.setdefault(table, []).extend(r.get(key) for r in records)
            if table == "input_files":
                stamping.append(len(records))
                if len(stamping) == 2 and MOMENT == "inside":
                    stop()
            real_load(self, table, records, **kw)
        def release(self):
            if len(stamping) == 2 and MOMENT == "committed":
                stop()
            real_release(self)
        cls._load, cls.release = load, release

    patch(DuckDBStore)
    patch(PostgresStore)
    settings = Settings().with_(store_path=store_target({target!r}))
    run_ingest([{folder!r}], settings=settings, coder=SeeingCoder())
    print("finished", flush=True)
    """
)


def _small_corpus(folder: Path) -> Corpus:
    """24 dispatches in 3 feeds of 6 and 6 text files: 6 store batches of 4, with
    republished copies of the dispatch 5 places back (in another batch)."""
    return write_corpus(
        folder, jsonl_files=3, per_file=6, text_files=6, copy_every=5, copy_distance=5
    )


def _fake_ingest(corpus: Corpus, target: Path | str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same ingest as the child's, run here to its end."""
    monkeypatch.setattr(driver, "INGEST_BATCH_SIZE", 4)
    settings = Settings().with_(store_path=store_target(str(target)))
    run_ingest([corpus.folder], settings=settings, coder=SeeingCoder())


def _kill_at(moment: str, corpus: Corpus, target: Path | str) -> dict[str, list[str]]:
    """Run the child until it stops at ``moment``, SIGKILL it; what its write had sent."""
    script = _CHILD.format(
        engines=str(ENGINES), moment=moment, target=str(target), folder=str(corpus.folder)
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith("{"), (line, child.stderr.read() if child.stderr else "")
        sent: dict[str, list[str]] = json.loads(line)
    finally:
        child.send_signal(signal.SIGKILL)
        finish(child)
    return sent


@pytest.mark.parametrize("moment", ["inside", "committed"])
def test_a_kill_during_a_write_keeps_whole_batches_only(
    moment: str, new_target: NewTarget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _small_corpus(tmp_path / "corpus")
    target = create_empty(new_target())
    sent = _kill_at(moment, corpus, target)
    if isinstance(target, Path) and moment == "committed":
        assert Path(f"{target}.wal").exists()  # committed, not yet checkpointed

    # the write had sent its batch's articles, events, actors, signatures, band keys and
    # near-duplicate links (f01-0003 republishes f00-0004), and its stamps
    tables = {"articles", "events", "actors", "article_signatures", "signature_bands"}
    assert set(sent) == tables | {"duplicates", "input_files"}
    assert sent["duplicates"] == ["f01-0003"]
    batch = set(sent["articles"]) | set(sent["duplicates"])
    assert len(batch) == 4
    stored = {r[0] for r in read(target, "SELECT id FROM articles")}
    stored |= {r[0] for r in read(target, "SELECT duplicate_id FROM duplicates")}
    signed = {r[0] for r in read(target, "SELECT article_id FROM article_signatures")}
    assert stored == set(corpus.ids[: len(stored)])  # a prefix of the input, in order
    assert len(stored) > 0 and len(stored) % 4 == 0  # whole batches of 4
    if moment == "inside":  # nothing of the batch: neither its rows nor its stamps
        assert not stored & batch
        assert not signed & set(sent["articles"])
        assert len(stamped(target)) == 1  # the first stamping batch's file only
    else:  # all of it, read back from the write-ahead log on DuckDB
        assert batch <= stored
        assert set(sent["articles"]) <= signed
        assert len(stamped(target)) == 2
    assert problems(target, corpus) == {}

    _fake_ingest(corpus, target, monkeypatch)
    reference = create_empty(new_target())
    _fake_ingest(corpus, reference, monkeypatch)
    assert problems(target, corpus) == {}
    assert stamped(target) == set(corpus.files)
    assert snapshot(target) == snapshot(reference)
