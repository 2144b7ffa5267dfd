"""Engines: drive reading, coding and writing. ``local`` runs in this process; workers of
any engine only ever code articles, the driver alone writes to the store."""

from __future__ import annotations

from communique.engines.local import IngestReport, run_ingest

__all__ = ["IngestReport", "run_ingest"]
