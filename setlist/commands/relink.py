"""`setlist relink OLD_PREFIX NEW_PREFIX`: move track paths in bulk after a folder rename."""

from __future__ import annotations

import click

from library.moves import relink
from setlist.cli_state import CliState, pass_state
from setlist.terminal import dumps_json, printable


@click.command("relink")
@click.argument("old_prefix")
@click.argument("new_prefix")
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@pass_state
def relink_command(
    state: CliState, old_prefix: str, new_prefix: str, dry_run: bool, as_json: bool
) -> None:
    """Give every track under folder OLD_PREFIX the same path under NEW_PREFIX.

    For a renamed drive or folder: `setlist relink /media/OLD_USB /media/DJ_USB`. Tracks keep
    their ids, notes and links. Whole folder names only (/music never matches /music-old).
    Refused, changing nothing, when a new path already belongs to another track. Each track
    is marked missing or present by whether its file is at the new path.
    """
    result = relink(state.store(), old_prefix, new_prefix, dry_run=dry_run)
    if as_json:
        click.echo(dumps_json(result.as_json()))
        return
    verb = "Would relink" if dry_run else "Relinked"
    missing = len(result.moves) - result.present
    click.echo(
        f"{verb} {len(result.moves)} track(s) from {printable(result.old_prefix)} to "
        f"{printable(result.new_prefix)}: {result.present} present, {missing} missing"
    )
