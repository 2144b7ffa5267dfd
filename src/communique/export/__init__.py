"""Exports of stored event rows: JSONL, CSV, Parquet, GraphML and GDELT-like and
POLECAT-like tables (``export_events``). Importing this package imports no database
driver and no Arrow module; writers are loaded when used."""

from communique.export.errors import ExportError, OptionalDependencyError
from communique.export.runner import FORMATS, ExportReport, export_events

__all__ = ["FORMATS", "ExportError", "ExportReport", "OptionalDependencyError", "export_events"]
