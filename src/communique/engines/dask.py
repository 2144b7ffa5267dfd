"""The Dask engine: the shared driver (engines/driver.py) reads the inputs and writes the
store; a Dask cluster codes partitions of articles.

The driver cuts each store batch's articles to code into partitions
(``Settings.batch_size`` articles by default) and this engine's pool submits each to the
cluster (at most ``IN_FLIGHT_PER_THREAD`` per worker thread at once, so the driver's
memory stays bounded however large the input) and gives the results back in input order;
the driver writes them in the local engine's transactions: one ``Store.write`` per
``INGEST_BATCH_SIZE`` articles. Workers never open the store.

Each worker process builds its coder once, on its first partition, and keeps it for later
partitions and later runs with the same settings (a long-lived cluster polled by repeated
ingests loads its models once).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communique.engines.driver import IngestReport, drive, open_for_ingest
from communique.errors import CommuniqueError, SettingsError
from communique.model import Article, CodedArticle
from communique.settings import Settings

if TYPE_CHECKING:
    from distributed import Client, Future

# Partitions submitted but not yet written, per worker thread. Two keeps every worker busy
# (one partition coding, the next already queued while the driver writes) and bounds the
# driver's memory to 2 x threads partitions (64 articles each by default) and their
# results, plus the one store batch being gathered.
IN_FLIGHT_PER_THREAD = 2

# Seconds to wait for a scheduler to answer. A scheduler on the LAN answers in
# milliseconds; 10 s tolerates a busy one and still fails fast on a wrong address.
SCHEDULER_CONNECT_TIMEOUT_S = 10.0

# Seconds to wait for a scheduler without workers to get one before giving up: a cluster
# whose workers are still starting has them within seconds, an empty one never does.
WORKER_WAIT_TIMEOUT_S = 60.0

_HINT_VERSIONS = (
    "install the same communique version (and spaCy models) on the workers as on the driver"
)


class DaskEngineError(CommuniqueError):
    """The Dask cluster could not be started or reached, or a worker failed."""

    code = "C700"


# ---------------------------------------------------------------------------------------
# Worker side
# ---------------------------------------------------------------------------------------


def code_partition(
    articles: Sequence[Article], settings: Settings, coder: Any | None = None
) -> list[CodedArticle]:
    """Code one partition, in order: the pure function engines run on workers.

    ``coder`` defaults to a new ``communique.pipeline.Coder(settings)``; pass one to reuse
    its loaded models."""
    if coder is None:
        from communique.pipeline import Coder

        coder = Coder(settings)
    return list(coder.code(articles))


# The coder of this worker process, built on its first partition and kept for later
# partitions and later runs with the same settings: {settings key: coder}, at most one
# entry, so a long-lived worker holds one set of models however often settings change.
# A process-local memo (like functools.cache), deliberately outside the "nothing global"
# rule: a worker process has no other place that lives across tasks.
_WORKER_CODER: dict[str, Any] = {}
# A Coder is not thread-safe: a worker with several threads codes one partition at a time
# (start workers with `--nthreads 1`, one per core, to use every core).
_WORKER_LOCK = threading.Lock()


def _settings_key(settings: Settings) -> str:
    # store_path does not change how articles are coded: ignore it, so runs into different
    # stores share the coder. Settings holds a dict, so it is not hashable: use its repr.
    return repr(settings.with_(store_path=Path()))


def _code_on_worker(
    articles: list[Article], settings: Settings, coder: Any | None
) -> tuple[str, list[CodedArticle]]:
    """The task: code ``articles`` with ``coder`` or this process's cached
    ``Coder(settings)``; returns the coder version with the coded articles, so the driver
    can check that its workers run the same rules as itself."""
    with _WORKER_LOCK:
        if coder is None:
            key = _settings_key(settings)
            coder = _WORKER_CODER.get(key)
            if coder is None:
                from communique.pipeline import Coder

                _WORKER_CODER.clear()  # drop the models of other settings first
                coder = _WORKER_CODER[key] = Coder(settings)
        return str(coder.coder_version), code_partition(articles, settings, coder)


# ---------------------------------------------------------------------------------------
# Driver side
# ---------------------------------------------------------------------------------------


@contextmanager
def _connect(scheduler: str | None, workers: int) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler``, or of a new local cluster of
    ``workers`` single-threaded worker processes on 127.0.0.1 (closed at the end)."""
    from distributed import Client, LocalCluster

    where = scheduler or "local Dask cluster"
    cluster: LocalCluster | None = None
    try:
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                # the scheduler's HTTP server (health, metrics) on a free 127.0.0.1 port:
                # never a fixed 8787 that another cluster may hold
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0", "dashboard": False},
                # worker failures reach the user as a DaskEngineError: keep the workers'
                # own warnings (task tracebacks) off the console
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=SCHEDULER_CONNECT_TIMEOUT_S)
    except Exception as exc:  # OSError, TimeoutError, ValueError (bad address)...
        if cluster is not None:
            cluster.close()
        hint = (
            "check the address (tcp://HOST:8786) and that `dask scheduler` runs there"
            if scheduler
            else "check that 127.0.0.1 ports are free and that the machine has memory for "
            f"{workers} worker(s), or pass --workers 1"
        )
        raise DaskEngineError(
            f"could not start or reach the Dask scheduler: {type(exc).__name__}: {exc}",
            where=where,
            hint=hint,
        ) from exc
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_TIMEOUT_S)
        except Exception as exc:
            raise DaskEngineError(
                f"the Dask scheduler has no worker after {WORKER_WAIT_TIMEOUT_S:.0f} s",
                where=where,
                hint="start workers with `dask worker ADDRESS --nthreads 1`",
            ) from exc
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class DaskCodingPool:
    """Codes partitions of articles on the cluster of ``client``, like the local engine's
    ``CodingPool``: ``code_chunks`` takes ``(partition, tag)`` pairs lazily and yields
    ``(coded partition, tag)`` in input order, with at most ``IN_FLIGHT_PER_THREAD`` x
    (worker threads) partitions in flight.

    ``coder`` (None: each worker process builds and keeps ``Coder(settings)``) is sent
    once to every worker. ``coder_version`` is the driver's: a worker coding with another
    version (another communique installed there) fails the run."""

    def __init__(
        self, client: Client, settings: Settings, coder_version: str, coder: Any | None = None
    ) -> None:
        self.client = client
        self.settings = settings
        self.coder_version = coder_version
        self.where = str(client.scheduler.address) if client.scheduler else "Dask cluster"
        self._run_id = uuid.uuid4().hex[:12]
        self._coder: Any = None
        if coder is not None:
            try:
                self._coder = client.scatter(coder, broadcast=True, hash=False)
            except Exception as exc:
                raise DaskEngineError(
                    f"could not send the coder to the workers: {type(exc).__name__}: {exc}",
                    where=self.where,
                    hint="a custom coder must pickle; " + _HINT_VERSIONS,
                ) from exc

    def code_chunks(
        self, chunks: Iterable[tuple[list[Article], Any]]
    ) -> Generator[tuple[list[CodedArticle], Any], None, None]:
        """Code ``(partition, tag)`` pairs; yield ``(coded partition, tag)`` in input
        order. Leaving early (an error, a closed generator) cancels what is in flight."""
        threads = max(1, sum(self.client.nthreads().values()))
        limit = IN_FLIGHT_PER_THREAD * threads
        pending: deque[tuple[int, Future, Any]] = deque()
        try:
            for index, (chunk, tag) in enumerate(chunks):
                future = self.client.submit(
                    _code_on_worker,
                    chunk,
                    self.settings,
                    self._coder,
                    key=f"communique-code-{self._run_id}-{index}",
                    pure=False,
                )
                pending.append((index, future, tag))
                if len(pending) >= limit:
                    yield self._result(*pending.popleft())
            while pending:
                yield self._result(*pending.popleft())
        finally:
            if pending:
                self.client.cancel([future for _, future, _ in pending])

    def _result(self, index: int, future: Future, tag: Any) -> tuple[list[CodedArticle], Any]:
        """The coded articles of partition ``index``; worker failures become coded errors."""
        from distributed import KilledWorker

        try:
            version, coded = future.result()
        except CommuniqueError:
            raise  # already coded (e.g. no spaCy model for a language on the worker)
        except KilledWorker as exc:
            raise DaskEngineError(
                f"partition {index} killed the worker(s) that tried to code it: {exc}",
                where=self.where,
                hint="a worker process died (often out of memory): give workers more "
                "memory and run the same command again (stored articles are skipped)",
            ) from exc
        except Exception as exc:
            raise DaskEngineError(
                f"coding partition {index} failed on a worker: {type(exc).__name__}: {exc}",
                where=self.where,
                hint="fix the cause and run the same command again (stored articles are "
                f"skipped); if it is an import or attribute error, {_HINT_VERSIONS}",
            ) from exc
        finally:
            future.release()  # the cluster may drop the result now
        if version != self.coder_version:
            raise DaskEngineError(
                f"a worker codes with coder version {version}, the driver with "
                f"{self.coder_version}",
                where=self.where,
                hint=_HINT_VERSIONS,
            )
        return coded, tag


def run_ingest_dask(
    paths: Sequence[Path | str],
    *,
    settings: Settings,
    published: date | None = None,
    lang: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    coder: Any | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    partition_size: int | None = None,
) -> IngestReport:
    """``engines.local.run_ingest`` with the coding done on a Dask cluster.

    Same inputs, store writes and report as the local engine. ``scheduler`` is the address
    of a running scheduler (``tcp://host:8786``); None starts a local cluster of
    ``workers`` processes on 127.0.0.1 and closes it at the end. ``coder`` (default:
    ``communique.pipeline.Coder(settings)``, built and kept by each worker process) is
    shipped once to each worker, so it must pickle. A task codes ``partition_size``
    articles (None: ``settings.batch_size``, one ``nlp.pipe`` batch, so that even a few
    hundred articles keep every worker busy); the driver writes them in the local engine's
    transactions of ``INGEST_BATCH_SIZE`` articles, in input order.

    Raises ``DaskEngineError`` (C700) when the cluster cannot be started or reached or a
    worker fails; partitions written before the failure stay written and a re-run skips
    them.
    """
    size = settings.batch_size if partition_size is None else partition_size
    if workers < 1 or size < 1:
        raise SettingsError(
            f"workers ({workers}) and partition size ({size}) must be at least 1",
            where="engines/dask.py",
            hint="pass --workers 1 or more",
        )
    # a bad store fails before the cluster starts; the driver holds it only for its store
    # operations, not while the cluster codes
    with open_for_ingest(settings) as store:
        if coder is None:
            from communique.pipeline import Coder

            coder_version = str(Coder(settings).coder_version)  # cheap: models load lazily
        else:
            coder_version = str(coder.coder_version)
        with _connect(scheduler, workers) as client:
            return drive(
                store,
                DaskCodingPool(client, settings, coder_version, coder),
                paths,
                settings=settings,
                coder_version=coder_version,
                published=published,
                lang=lang,
                on_progress=on_progress,
                chunk_size=size,
            )
