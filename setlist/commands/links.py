"""`setlist link auto`, `setlist link TRACK RELEASE`, `setlist unlink TRACK`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from library.errors import SetlistError
from library.track_lookup import find_track
from setlist.cli_state import CliState, pass_state
from setlist.terminal import dumps_json, printable

if TYPE_CHECKING:
    from library.matching import Match
    from library.models import Track
    from library.releases.model import Release


def _track_name(track: Track) -> str:
    return f"#{track.id} {printable(track.artist) or '?'} – {printable(track.title) or '?'}"


def _release_name(release: Release) -> str:
    return (
        f"release {release.id} {printable(release.artist_line) or '?'} – {printable(release.title)}"
    )


def _auto(state: CliState, dry_run: bool, as_json: bool) -> None:
    from library.matching import THRESHOLD, link_auto
    from library.releases.store import ReleaseStore

    store = state.store()
    matches = link_auto(store, dry_run=dry_run)
    if as_json:
        click.echo(dumps_json([match.as_json() for match in matches]))
        return
    applied = sum(match.applied for match in matches)
    verb = "Would apply" if dry_run else "Applied"
    click.echo(
        f"{verb} {applied} links, proposed {len(matches) - applied} "
        f"(applied at confidence {THRESHOLD:.2f} or more)"
    )
    releases = {release.id: release for release in ReleaseStore(store).all()}
    tracks = {track.id: track for track in store.tracks()}
    for match in matches:
        click.echo("  " + _line(match, tracks[match.track_id], releases[match.release_id]))


def _line(match: Match, track: Track, release: Release) -> str:
    state = "applied " if match.applied else "proposed"
    where = f" at {printable(match.position)}" if match.position else ""
    return (
        f"{state}  {match.confidence:.2f}  {_track_name(track)} → {_release_name(release)}"
        f"{where}  ({printable(match.method)})"
    )


@click.command("link")
@click.argument("args", nargs=-1, required=True, metavar="auto | TRACK RELEASE")
@click.option(
    "--dry-run", is_flag=True, help="With auto: show what would be linked, store nothing."
)
@click.option("--json", "as_json", is_flag=True, help="With auto: print the matches as JSON.")
@click.option("--position", default=None, help="With TRACK RELEASE: the tracklist position.")
@pass_state
def link_command(
    state: CliState, args: tuple[str, ...], dry_run: bool, as_json: bool, position: str | None
) -> None:
    """Link library tracks to release entries.

    \b
    setlist link auto [--dry-run] [--json]
        Match every track to the release entries by the evidence in its tags (release ids,
        catalog number and label, album and artist). Confident matches are linked, the
        others are listed as proposals. Manual links are never changed.
    setlist link TRACK RELEASE [--position A1]
        Link one track by hand. TRACK is an id, a path, or a query matching one track;
        RELEASE is a release id (see `setlist releases list`).
    """
    if args == ("auto",):
        if position is not None:
            raise click.UsageError("--position goes with TRACK RELEASE, not with auto")
        _auto(state, dry_run, as_json)
        return
    if len(args) != 2:
        raise click.UsageError("give 'auto', or a TRACK and a RELEASE id")
    if dry_run or as_json:
        raise click.UsageError("--dry-run and --json go with 'link auto'")
    from library.releases.store import Link, ReleaseStore

    store = state.store()
    track = find_track(store, args[0])
    if not args[1].strip().isdigit():
        raise SetlistError(f"RELEASE: {args[1]!r} is not a release id (see setlist releases list)")
    releases = ReleaseStore(store)
    release = releases.get(int(args[1]))
    positions = [entry.position for entry in release.tracklist if entry.position]
    if position is not None and positions and position not in positions:
        raise SetlistError(
            f"--position {position!r}: release {release.id} has {', '.join(positions)}"
        )
    releases.set_links(
        [Link(track.id, release.id or 0, position or None, 1.0, "manual", manual=True)],
        keep_manual=False,
    )
    where = f" at {printable(position)}" if position else ""
    click.echo(f"Linked {_track_name(track)} → {_release_name(release)}{where}")


@click.command("unlink")
@click.argument("track_text", metavar="TRACK")
@pass_state
def unlink_command(state: CliState, track_text: str) -> None:
    """Remove a track's release link (manual or automatic).

    TRACK is an id, a path, or a query matching one track. `link auto` may link it again
    later; link it by hand to keep it where you want it.
    """
    from library.releases.store import ReleaseStore

    store = state.store()
    track = find_track(store, track_text)
    if not ReleaseStore(store).unlink(track.id):
        raise SetlistError(f"track {track.id} is not linked to a release")
    click.echo(f"Unlinked {_track_name(track)}")
