"""The `communique` command: a click group; each subcommand lives in its own module and only
parses arguments, calls one library function and formats the result."""

from __future__ import annotations

import sys

import click

from communique.errors import CommuniqueError


class _Group(click.Group):
    """Turns any CommuniqueError into a one-line message and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except CommuniqueError as exc:
            click.echo(f"error: {exc.render()}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(package_name="communique")
def cli() -> None:
    """Turn news dispatches into evidence-linked PLOVER events."""


def _register() -> None:
    from communique.cli import commands

    for command in commands.all_commands():
        cli.add_command(command)


def main() -> None:
    _register()
    cli()
