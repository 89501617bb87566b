"""`setlist backup [FILE]` and `setlist restore FILE`: copies of the library, and back."""

from __future__ import annotations

from pathlib import Path

import click

from setlist.cli_state import CliState, pass_state
from setlist.terminal import printable


@click.command("backup")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@pass_state
def backup_command(state: CliState, file: Path | None) -> None:
    """Copy the library to FILE (default: backups/library-YYYYMMDD-HHMMSS.db beside it).

    The copy is consistent even while the app or a scan is writing, is checked before it is
    given its name, and never replaces an existing file.
    """
    from library.backups import back_up

    store = state.existing_store("back up")
    made = back_up(store.connection(), store.path, file)
    click.echo(f"Backed up {printable(str(store.path))} to {printable(str(made))}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_state
def restore_command(state: CliState, file: Path) -> None:
    """Replace the library by the backup FILE; the library it replaces is kept.

    \b
    FILE is checked first (a setlist database, not from a newer setlist, SQLite's
    integrity and foreign key checks clean) and upgraded if it is older; the library being
    replaced is copied to its backups folder. Refused while another process (the app, a
    scan) has the library open. Exit status 2, and nothing changed, when anything is wrong.
    """
    from library.backups import restore

    done = restore(state.path().expanduser(), file)
    upgraded = (
        f" (upgraded from schema {done.migrated_from})" if done.migrated_from is not None else ""
    )
    click.echo(f"Restored {printable(str(file))} into {printable(str(done.library))}{upgraded}")
    if done.kept is not None:
        click.echo(f"The library it replaced is kept as {printable(str(done.kept))}")
