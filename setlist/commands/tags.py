"""`setlist tags write [QUERY]`: put track notes into the files' own tags."""

from __future__ import annotations

import click

from setlist.cli_state import CliState, pass_state
from setlist.commands.tracks import QUERY_COMMAND_SETTINGS, query_text
from setlist.terminal import dumps_json, printable


@click.group("tags")
def tags_group() -> None:
    """Write what setlist knows into the files' tags."""


@tags_group.command("write", context_settings=QUERY_COMMAND_SETTINGS)
@click.argument("query", nargs=-1, type=click.UNPROCESSED)
@click.option("--dry-run", is_flag=True, help="List the files that would be written.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@pass_state
def write_command(state: CliState, query: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    """Write the notes of the tracks matching QUERY (all without one) into their files.

    \b
    Moods go to the standard mood tag, energy where Mixed In Key keeps it, and the rest of
    the notes to one field setlist owns (see the README for each format's fields). Only files
    whose notes changed since setlist last wrote or read them are touched. Each write is
    atomic and keeps the other tags, the ID3 version and the audio. A file whose notes
    changed since the last scan is skipped (scan it first); read-only and missing files are
    reported. Exit status 1 when a file could not be written.
    """
    from library.notes.to_files import write_notes
    from library.query import compile_query

    compiled = compile_query(query_text(query))
    store = state.store()
    report = write_notes(store, store.track_ids(compiled.where, compiled.params), dry_run=dry_run)
    if as_json:
        click.echo(dumps_json(report.as_json()))
    else:
        verb = "would write" if dry_run else "wrote"
        for path in report.written:
            click.echo(f"{verb}: {printable(path)}")
        for problem in report.skipped:
            click.echo(f"skipped: {printable(problem.path)}: {printable(problem.reason)}", err=True)
        for problem in report.failed:
            click.echo(f"failed: {printable(problem.path)}: {printable(problem.reason)}", err=True)
        counts = (
            f"{len(report.written)} {'to write' if dry_run else 'written'}, "
            f"{report.unchanged} unchanged, {len(report.skipped)} skipped, "
            f"{len(report.failed)} failed"
        )
        click.echo(f"{'Dry run' if dry_run else 'Tags'}: {counts}")
    if report.failed:
        raise SystemExit(1)
