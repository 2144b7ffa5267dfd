"""Registry of subcommands. Each module exposes a click command; imports are lazy so that
`communique --help` does not load spaCy or DuckDB."""

from __future__ import annotations

import importlib

import click

# (module, attribute) of every subcommand.
_COMMANDS: tuple[tuple[str, str], ...] = (
    ("communique.cli.extract", "extract"),
    ("communique.cli.explain", "explain"),
    ("communique.cli.store_cmds", "ingest"),
    ("communique.cli.store_cmds", "events"),
    ("communique.cli.export_cmds", "export"),
    ("communique.cli.evaluate", "evaluate"),
    ("communique.cli.knowledge_cmds", "knowledge"),
    ("communique.cli.bench_cmds", "bench"),
    ("communique.cli.serve_cmd", "serve"),
)


def all_commands() -> list[click.Command]:
    found = []
    for module_name, attr in _COMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # not written yet
                continue
            raise
        found.append(getattr(module, attr))
    return found
