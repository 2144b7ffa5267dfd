"""Stores: where coded articles are written (by a single writer) and events read from.

``open_store`` opens a DuckDB file (the default) or, given a ``postgresql://`` URL, a
PostgreSQL database; importing this package imports neither driver (the CLI's ``--help``
stays fast).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, overload
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from communique.errors import StoreError
from communique.store.base import Store, WriteReport

if TYPE_CHECKING:
    from communique.store.duckdb import DuckDBStore
    from communique.store.sql import SqlStore

__all__ = [
    "Store",
    "WriteReport",
    "display_target",
    "is_store_url",
    "mask_dsn",
    "open_store",
    "store_target",
]

# What a store URL starts with (as libpq spells it); anything else is a DuckDB file path.
STORE_URL_SCHEMES = ("postgresql://", "postgres://")
# What a store URL looks like once Path() has collapsed its "//" (never a file to create).
_COLLAPSED_URL_PREFIXES = ("postgresql:/", "postgres:/")


def is_store_url(target: object) -> bool:
    """Whether ``target`` names a PostgreSQL database (a ``postgresql://`` or
    ``postgres://`` URL, as a str) rather than a DuckDB file."""
    return isinstance(target, str) and target.startswith(STORE_URL_SCHEMES)


def store_target(value: Path | str) -> Path | str:
    """User input (a ``--store`` option, a setting) as ``open_store`` takes it: a URL stays
    a str, unchanged; anything else is a file path."""
    return value if is_store_url(value) else Path(value)


def mask_dsn(url: str) -> str:
    """``url`` with its password (in the user part or a ``password=`` parameter) replaced
    by ``***``: the form every message of this store names its database by."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, hosts = netloc.rsplit("@", 1)
            if ":" in userinfo:
                userinfo = userinfo.split(":", 1)[0] + ":***"
            netloc = f"{userinfo}@{hosts}"
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            query = urlencode(
                [(k, "***" if k.lower() == "password" else v) for k, v in pairs], safe="*/:"
            )
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        return "postgresql://***"


def display_target(target: Path | str) -> str:
    """How messages name a store: its path, or its URL with the password masked."""
    return mask_dsn(str(target)) if is_store_url(target) else str(target)


@overload
def open_store(target: Path, *, read_only: bool = False) -> DuckDBStore: ...


@overload
def open_store(target: str | Path, *, read_only: bool = False) -> SqlStore: ...


def open_store(target: Path | str, *, read_only: bool = False) -> SqlStore:
    """Open the store ``target`` names: a PostgreSQL database for a ``postgresql://`` URL
    (see ``communique.store.postgres.open_store``), else the DuckDB file at that path (see
    ``communique.store.duckdb.open_store``). Raises ``StoreError``."""
    if isinstance(target, Path) and str(target).startswith(_COLLAPSED_URL_PREFIXES):
        # a URL passed through Path(): refuse it here, so that no file is made of it and
        # its password is never printed as a file name
        scheme, rest = str(target).split(":/", 1)
        raise StoreError(
            'a PostgreSQL URL was given as a file path, which lost the "//" after its scheme',
            where=mask_dsn(f"{scheme}://{rest}"),
            hint="pass the URL as a str, not a Path (communique.store.store_target converts "
            "user input)",
        )
    if is_store_url(target):
        from communique.store.postgres import open_store as _open_postgres

        return _open_postgres(str(target), read_only=read_only)
    from communique.store.duckdb import open_store as _open_duckdb

    return _open_duckdb(target, read_only=read_only)
