"""Engines: drive reading, coding and writing. ``driver`` is the loop every engine runs
(incremental reading, near-duplicate selection, ordered writes); ``local`` codes on this
machine, ``dask`` on a Dask cluster. Workers of any engine only ever code articles; the
driver alone writes to the store."""

from __future__ import annotations

from typing import Any

from communique.engines.local import IngestReport, run_ingest

__all__ = ["IngestReport", "run_engine", "run_ingest"]


def run_engine(name: str, paths: Any, **kwargs: Any) -> IngestReport:
    """Run the engine called ``name`` ("local" or "dask") with run_ingest's arguments;
    the dask engine also takes ``scheduler`` (an address, None: a local cluster) and
    ``workers`` (local-cluster size)."""
    if name == "dask":
        from communique.engines.dask import run_ingest_dask

        return run_ingest_dask(paths, **kwargs)
    kwargs.pop("scheduler", None)
    return run_ingest(paths, **kwargs)
