"""Stores: where coded articles are written (by a single writer) and events read from.

``open_store`` opens the default DuckDB store; importing this package does not import
DuckDB (the CLI's ``--help`` stays fast).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from communique.store.base import Store, WriteReport

if TYPE_CHECKING:
    from communique.store.duckdb import DuckDBStore

__all__ = ["Store", "WriteReport", "open_store"]


def open_store(path: Path | str, *, read_only: bool = False) -> DuckDBStore:
    """Open the DuckDB store at ``path`` (see ``communique.store.duckdb.open_store``)."""
    from communique.store.duckdb import open_store as _open

    return _open(path, read_only=read_only)
