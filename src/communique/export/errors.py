"""Coded errors of exports and of the DataFrame readers.

They live here because ``communique/errors.py`` belongs to the core; their codes follow its
scheme (``C4xx`` settings and optional packages, ``C6xx`` queries and exports).
"""

from __future__ import annotations

from communique.errors import SettingsError
from communique.query import QueryError


class ExportError(QueryError):
    """An export cannot be made as asked (unknown format, binary output to a terminal...)."""

    code = "C610"


class OptionalDependencyError(SettingsError):
    """A feature needs a package that is not installed (polars for engine="polars")."""

    code = "C402"
