"""The `setlist` command line: a click group whose commands live in `setlist.commands`.

Imports stay light on purpose: `setlist scan` on an unchanged library must finish in a few
tens of milliseconds, so Textual, pydantic and mutagen are only imported by the code paths
that need them. A `SetlistError` from anywhere becomes a one-line message and exit status 2.
"""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path
from typing import Any

import click

from library.errors import SetlistError
from library.library_file import database_problem
from setlist.cli_state import CliState, UserError

# Command name -> "module:attribute". Commands are imported when run, not at start-up: each
# pulls in what it needs (the scanner, pydantic models, later Textual) and a rescan should
# not pay for the others.
COMMANDS = {
    "scan": "setlist.commands.scan:scan_command",
    "tracks": "setlist.commands.tracks:tracks_command",
    "demo": "setlist.commands.demo:demo_command",
    "releases": "setlist.commands.releases:releases_command",
    "link": "setlist.commands.links:link_command",
    "unlink": "setlist.commands.links:unlink_command",
    "tui": "setlist.commands.app:tui_command",
    "relink": "setlist.commands.relink:relink_command",
    "note": "setlist.commands.note:note_command",
    "tags": "setlist.commands.tags:tags_group",
    "export": "setlist.commands.export:export_command",
    "import": "setlist.commands.playlist_import:import_group",
    "sets": "setlist.commands.sets:sets_group",
    "play": "setlist.commands.play:play_command",
    "backup": "setlist.commands.backup:backup_command",
    "restore": "setlist.commands.backup:restore_command",
    "export-notes": "setlist.commands.notes_transfer:export_notes_command",
    "import-notes": "setlist.commands.notes_transfer:import_notes_command",
}


class SetlistGroup(click.Group):
    """Loads commands lazily, and turns the domain's errors into `UserError`s so no traceback
    reaches a user."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module, _, attribute = COMMANDS[cmd_name].partition(":")
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SetlistError as error:
            raise UserError(str(error)) from error
        except sqlite3.Error as error:
            # A damaged library, or one kept busy past the timeout, can surface from any
            # query: it becomes one line (and the command's transaction was rolled back).
            state = ctx.find_object(CliState)
            if state is None or not state.opened():
                raise
            problem = database_problem(error, state.path())
            if problem is None:
                raise  # not a failure a user can act on: a bug, with its traceback
            raise UserError(str(problem)) from error


@click.group(
    cls=SetlistGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="SETLIST_DB",
    help="Library database file (default: the platform's data folder; env SETLIST_DB).",
)
@click.version_option(package_name="setlist")
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """setlist: a terminal companion for DJs. With no command, opens the app."""
    state = CliState(db=db)
    ctx.obj = state
    ctx.call_on_close(state.close)
    if ctx.invoked_subcommand is None:
        from setlist.commands.app import open_app

        open_app(db)


def main() -> None:
    """Entry point of the `setlist` script."""
    cli(prog_name="setlist")
