"""Opening the Textual app: `setlist` with no command, `setlist tui`, and `setlist demo`.

Textual is imported here, inside the function, so commands that do not open the app never
load it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from setlist.cli_state import CliState, UserError, pass_state


def has_terminal() -> bool:
    """Whether the app can run: keys come from stdin, the screen goes to stderr (Textual's
    choice, which leaves stdout free)."""
    return sys.stdin.isatty() and sys.__stderr__ is not None and sys.__stderr__.isatty()


def open_app(db: Path | None) -> None:
    """Run the app on the library at `db` (the default one when None) until the user quits."""
    if not has_terminal():
        raise UserError(
            "the app needs a terminal (stdin and stderr); "
            "to list tracks from a script use 'setlist tracks'"
        )
    from setlist.tui import pictures

    pictures.start_probe()  # asks the terminal while the app's modules load
    from setlist.tui.app import run_app

    run_app(db)


@click.command("tui")
@pass_state
def tui_command(state: CliState) -> None:
    """Open the app (the same as `setlist` with no command)."""
    open_app(state.db)
