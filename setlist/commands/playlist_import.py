"""`setlist import m3u FILE --set NAME` and `setlist import rekordbox FILE`: playlists in.

The parsers and matchers are `setlist.importers`; here they meet the sets store. Whatever an
import makes (sets, and for Rekordbox the notes it fills) is made in one transaction: a
failure leaves the library as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from setlist.cli_state import CliState, UserError, pass_state
from setlist.terminal import printable

if TYPE_CHECKING:
    from setlist.importers.path_matching import Matches


def _unique(track_ids: Sequence[int]) -> tuple[list[int], int]:
    """The ids in order without repeats, and how many repeats were dropped."""
    kept = list(dict.fromkeys(track_ids))
    return kept, len(track_ids) - len(kept)


def _report(matches: Matches[Any], where: str) -> None:
    """Entries found by file name (worth a look) and entries not found, on stderr."""
    for match in matches.by_name:
        written = printable(match.item.location.written)
        click.echo(f"{where}found by name: {written} -> track {match.track_id}", err=True)
    for miss in matches.unmatched:
        line = getattr(miss.item, "line", None)
        prefix = f"{where}line {line}: " if line else where
        written = printable(miss.item.location.written)
        click.echo(f"{prefix}{written}: {printable(miss.reason)}", err=True)


@click.group("import")
def import_group() -> None:
    """Make sets from playlists other tools wrote (M3U/M3U8, Rekordbox XML)."""


@import_group.command("m3u")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--set", "name", required=True, help="The name of the new set.")
@pass_state
def import_m3u(state: CliState, file: Path, name: str) -> None:
    """Make the new set NAME from an M3U or M3U8 playlist, in playlist order.

    Entries are found in the library by exact path, then by file name; the ones not found
    are listed. A name already taken, an unreadable playlist, or one with no entry in the
    library: exit 2, and no set is made.
    """
    from library.set_store import SetStore
    from setlist.importers.m3u import match_items, read_m3u

    playlist = read_m3u(file)
    store = state.store()
    matches = match_items(store, playlist.items)
    _report(matches, "")
    if not matches.matched:
        raise UserError(f"{file}: none of its {len(playlist.items)} entries is in the library")
    track_ids, repeats = _unique(matches.track_ids)
    if repeats:
        click.echo(f"{repeats} repeated entries added once", err=True)
    made = SetStore(store).create(name, track_ids=track_ids)
    click.echo(
        f"Set {printable(made.name)!r}: {len(track_ids)} tracks "
        f"({len(matches.unmatched)} entries not in the library)"
    )


@import_group.command("rekordbox")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_state
def import_rekordbox(state: CliState, file: Path) -> None:
    """Make a set of every playlist of a Rekordbox XML collection, and fill empty notes.

    Notes fields that are empty take Rekordbox's comments, rating, colour and named cues;
    nothing already noted is overwritten, and no file is written.
    """
    from library.set_store import SetStore, name_key
    from setlist.importers.rekordbox import match_playlists, match_tracks, read_rekordbox
    from setlist.importers.rekordbox_notes import fill_notes

    collection = read_rekordbox(file)
    for problem in collection.problems:
        click.echo(f"warning: {printable(problem)}", err=True)
    store = state.store()
    sets = SetStore(store)
    taken = {name_key(summary.name) for summary in sets.summaries()}
    playlists = match_playlists(store, collection)
    made: list[tuple[str, int]] = []
    with store.transaction() as connection:
        for playlist, matches in playlists:
            where = f"{printable(playlist.name)}: "
            if name_key(playlist.name) in taken:
                click.echo(f"{where}a set of that name exists; left alone", err=True)
                continue
            _report(matches, where)
            track_ids, _repeats = _unique(matches.track_ids)
            created = sets.create(playlist.name, track_ids=track_ids, connection=connection)
            taken.add(name_key(created.name))
            made.append((created.name, len(track_ids)))
        filled = fill_notes(store, match_tracks(store, collection).matched, connection)
    for set_name, count in made:
        click.echo(f"Set {printable(set_name)!r}: {count} tracks")
    click.echo(f"Notes filled on {len(filled.filled)} tracks (never overwritten)")
    for gap in filled.tag_gaps:
        missing = ", ".join(
            f"{label} {value}" for label, value in (("BPM", gap.bpm), ("key", gap.key)) if value
        )
        click.echo(f"track {gap.track_id}: tags lack what Rekordbox has: {missing}", err=True)
