"""`setlist export-notes` and `setlist import-notes`: what a DJ made, out of one library and
into another (a new machine, a rebuilt library), as one JSON document."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from setlist.cli_state import CliState, UserError, pass_state
from setlist.terminal import dumps_json, printable

if TYPE_CHECKING:
    from library.transfer.merge import MergeReport


@click.command("export-notes")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the document to this file (default: standard output).",
)
@pass_state
def export_notes_command(state: CliState, output: Path | None) -> None:
    """Write every note, release entry and link, set and play as one JSON document.

    Tracks are keyed by their audio identity and path, so `setlist import-notes` can put it
    all back into another library of the same files, wherever they now are. A file is
    written whole or not at all.
    """
    from library.transfer.export import collect
    from setlist.exporters.output import write_whole

    document = collect(state.existing_store("export"))
    text = dumps_json(document) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    write_whole(output, lambda stream: stream.write(text))
    counts = ", ".join(
        f"{len(document[part])} {part}" for part in ("tracks", "releases", "sets", "plays")
    )
    click.echo(f"Exported {counts} to {printable(str(output))}", err=True)


def _human(report: MergeReport) -> None:
    """The report in lines: what was placed, each kind's outcome, what was left out."""
    for track in report.not_placed:
        who = " – ".join(part for part in (track.artist, track.title) if part)
        about = f" ({printable(who)})" if who else ""
        click.echo(
            f"not placed: {printable(track.path)}{about}: no track here has its audio or path",
            err=True,
        )
    for line in report.left_out:
        click.echo(f"left out: {printable(line)}", err=True)
    placed = report.by_identity + report.by_path
    total = placed + len(report.not_placed)
    verb = "Would place" if report.dry_run else "Placed"
    click.echo(
        f"{verb} {placed} of {total} tracks ({report.by_identity} by audio identity, "
        f"{report.by_path} by path)"
    )
    for name, tally in report.tallies().items():
        click.echo(
            f"{name.capitalize()}: {tally.added} added, {tally.updated} updated, "
            f"{tally.unchanged} unchanged, {tally.kept} kept (newer here)"
        )
    if report.dry_run:
        click.echo("Dry run: nothing was changed")


@click.command("import-notes")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@pass_state
def import_notes_command(state: CliState, file: Path, dry_run: bool, as_json: bool) -> None:
    """Merge a document of `setlist export-notes` into this library.

    \b
    Each track is placed by its audio identity, else by its path; what hangs on a track
    placed nowhere is left out and listed. Where both sides hold something (notes, a
    release entry, a link, a set), the one changed last is kept; a play already recorded
    is not recorded twice. One transaction: a document that cannot be read or used
    changes nothing (exit status 2).
    """
    from library.transfer.merge import read_and_merge

    try:
        data = file.read_bytes()
    except OSError as error:
        raise UserError(f"{file}: cannot read: {error.strerror or error}") from error
    report = read_and_merge(state.store(), str(file), data, dry_run=dry_run)
    if as_json:
        click.echo(dumps_json(report.as_json()))
    else:
        _human(report)
