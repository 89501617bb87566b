"""`setlist sets ...`: make, edit and record the playing of sets (show, list and suggest are
in `setlist.commands.set_views`).

Positions and numbers are read here rather than by click, so a bad one (`0`, `abc`, past the
end) is one `setlist: error:` line and exit status 2 like every other refusal, and nothing
is changed: each edit is one transaction in `library.set_store`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from setlist.cli_state import CliState, UserError, pass_state
from setlist.commands.set_views import (
    list_command,
    quoted,
    show_command,
    suggest_command,
    track_name,
    whole_number,
)
from setlist.terminal import printable

if TYPE_CHECKING:
    from library.models import Track
    from library.set_store import SetStore, StoredSet


def set_store(state: CliState) -> SetStore:
    from library.set_store import SetStore

    return SetStore(state.store())


def entry_line(position: int, track: Track) -> str:
    """ "  3. Artist – Title (#12)", printable."""
    return f"  {position:>2}. {track_name(track.artist, track.title)} (#{track.id})"


def set_fields(
    prefix: str = "--",
    /,
    *,
    target: str | None,
    venue: str | None,
    date: str | None,
    description: str | None,
) -> dict[str, Any]:
    """The set fields given (None: not given), checked (an empty date or target clears), for
    `SetStore.edit`. The app's "Set details" dialog checks with this too, so its errors are
    the CLI's, naming the field without the option's `prefix`."""
    from library.set_store import parse_date

    fields: dict[str, Any] = {}
    if target is not None:
        minutes = whole_number(target, f"{prefix}target", 1) if target.strip() else None
        fields["target_minutes"] = minutes
    if date is not None:
        fields["date"] = parse_date(date, f"{prefix}date") if date.strip() else None
    if venue is not None:
        fields["venue"] = venue
    if description is not None:
        fields["description"] = description
    return fields


def _field_options(command: Any) -> Any:
    for option in reversed(
        [
            click.option("--target", metavar="MIN", help="Target length in minutes."),
            click.option("--venue", metavar="V", help="Where the set is for."),
            click.option("--date", metavar="D", help="When, as YYYY-MM-DD."),
            click.option("--description", metavar="T", help="What the set is about."),
        ]
    ):
        command = option(command)
    return command


@click.group("sets")
def sets_group() -> None:
    """Sets: ordered tracks with the flow of keys, tempo and energy checked.

    \b
    Examples:
        setlist sets new "Nacht [Dämmerung]" --target 90 --venue "De Melkweg"
        setlist sets add "Nacht [Dämmerung]" 12 "mills metropolis" ~/Music/x.flac
        setlist sets show "Nacht [Dämmerung]"
        setlist sets suggest "Nacht [Dämmerung]" --limit 5
    """


sets_group.add_command(list_command)
sets_group.add_command(show_command)
sets_group.add_command(suggest_command)


@sets_group.command("new")
@click.argument("name")
@_field_options
@click.option("--allow-repeat", is_flag=True, help="Let a track appear more than once.")
@pass_state
def new_command(state: CliState, /, name: str, *, allow_repeat: bool, **given: str | None) -> None:
    """Make an empty set called NAME (names ignore case: one "Warm-up" per library)."""
    fields = set_fields(**given)
    made = set_store(state).create(name, allow_repeat=allow_repeat, **fields)
    click.echo(f"Created set {quoted(made.name)}")


@sets_group.command("edit")
@click.argument("name")
@_field_options
@click.option(
    "--allow-repeat/--no-allow-repeat",
    default=None,
    help="Let a track appear more than once, or not.",
)
@pass_state
def edit_command(
    state: CliState, /, name: str, *, allow_repeat: bool | None, **given: str | None
) -> None:
    """Change the fields of set NAME ("" clears --target, --date, --venue, --description)."""
    fields = set_fields(**given)
    if allow_repeat is not None:
        fields["allow_repeat"] = allow_repeat
    if not fields:
        raise UserError("nothing to change: give --target, --venue, --date, --description...")
    edited = set_store(state).edit(name, **fields)
    click.echo(f"Changed set {quoted(edited.name)}")


@sets_group.command("add")
@click.argument("name")
@click.argument("tracks", nargs=-1, required=True)
@click.option("--at", "at", metavar="POS", help="Put them at this position (default: the end).")
@pass_state
def add_command(state: CliState, name: str, tracks: tuple[str, ...], at: str | None) -> None:
    """Add TRACKs to set NAME: each an id, a file path, or a query matching one track."""
    from library.track_lookup import find_track

    store = state.store()
    found = [find_track(store, text) for text in tracks]
    position = whole_number(at, "--at") if at is not None else None
    stored = set_store(state).add(name, [track.id for track in found], position)
    first = position or len(stored.entries) - len(found) + 1
    click.echo(f"Added to {quoted(stored.name)} ({len(stored.entries)} tracks):")
    for offset, track in enumerate(found):
        click.echo(entry_line(first + offset, track))


def _track(state: CliState, track_id: int) -> Track:
    return state.store().tracks("id = ?", (track_id,))[0]


@sets_group.command("remove")
@click.argument("name")
@click.argument("position", metavar="POS")
@pass_state
def remove_command(state: CliState, name: str, position: str) -> None:
    """Take the track at POS out of set NAME (the ones after it move up)."""
    number = whole_number(position, "position")
    removed = set_store(state).remove(name, number)
    click.echo(f"Removed from {quoted(set_store(state).get(name).name)}:")
    click.echo(entry_line(number, _track(state, removed.track_id)))


@sets_group.command("move")
@click.argument("name")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@pass_state
def move_command(state: CliState, name: str, source: str, target: str) -> None:
    """Move the track at FROM to TO in set NAME (the ones between shift by one)."""
    start, end = whole_number(source, "from"), whole_number(target, "to")
    stored = set_store(state).move(name, start, end)
    moved = stored.entries[end - 1]
    click.echo(f"Moved in {quoted(stored.name)} from {start} to {end}:")
    click.echo(entry_line(end, _track(state, moved.track_id)))


@sets_group.command("note")
@click.argument("name")
@click.argument("position", metavar="POS")
@click.argument("text")
@pass_state
def note_command(state: CliState, name: str, position: str, text: str) -> None:
    """Note how to mix into the track at POS of set NAME ("" clears the note)."""
    number = whole_number(position, "position")
    stored = set_store(state).note(name, number, text)
    what = "Cleared the transition note" if not text else "Noted the transition"
    click.echo(f"{what} into {number} of {quoted(stored.name)}")


@sets_group.command("rename")
@click.argument("old")
@click.argument("new")
@pass_state
def rename_command(state: CliState, old: str, new: str) -> None:
    """Give set OLD the name NEW."""
    before = set_store(state).get(old).name
    renamed = set_store(state).rename(old, new)
    click.echo(f"Renamed set {quoted(before)} to {quoted(renamed.name)}")


@sets_group.command("copy")
@click.argument("name")
@click.argument("new")
@pass_state
def copy_command(state: CliState, name: str, new: str) -> None:
    """Copy set NAME (fields, tracks and notes; not its plays) to a new set NEW."""
    copied = set_store(state).copy(name, new)
    click.echo(f"Copied set {quoted(name)} to {quoted(copied.name)} ({_count(copied)})")


def _count(stored: StoredSet) -> str:
    count = len(stored.entries)
    return f"{count} track{'s' if count != 1 else ''}"


@sets_group.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Really delete it (its plays stay in the history).")
@pass_state
def delete_command(state: CliState, name: str, yes: bool) -> None:
    """Delete set NAME. The tracks' plays of it stay counted."""
    sets = set_store(state)
    if not yes:
        stored = sets.get(name)
        raise UserError(
            f"deleting set {quoted(stored.name)} ({_count(stored)}) needs --yes; "
            "nothing was deleted"
        )
    deleted = sets.delete(name)
    click.echo(f"Deleted set {quoted(deleted.name)} ({_count(deleted)})")


@sets_group.command("played")
@click.argument("name")
@click.option("--date", metavar="D", help="When it was played, YYYY-MM-DD (default: today).")
@click.option("--venue", metavar="V", help="Where (default: the set's venue).")
@pass_state
def played_command(state: CliState, name: str, date: str | None, venue: str | None) -> None:
    """Record that set NAME was played: each of its tracks gains a play."""
    from library.set_plays import record_play
    from library.set_store import parse_date

    played_on = parse_date(date, "--date") if date is not None else dt.date.today()
    play = record_play(state.store(), name, played_on, venue)
    where = f" at {printable(play.venue)}" if play.venue else ""
    click.echo(
        f"Recorded {quoted(play.set_name)} as played on {play.played_on}{where} "
        f"({play.tracks} tracks)"
    )
