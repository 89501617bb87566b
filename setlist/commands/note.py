"""`setlist note TRACK ...`: show, change, list the versions of and restore a track's notes."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

import click

from setlist.cli_state import CliState, UserError, pass_state
from setlist.terminal import dumps_json, printable

if TYPE_CHECKING:
    from library.models import Track
    from library.notes.model import TrackNotes
    from library.notes.store import NotesVersion

_LABEL_WIDTH = 10


def track_title(track: Track) -> str:
    """ "12: Artist – Title", printable."""
    return f"{track.id}: {printable(track.artist) or '?'} – {printable(track.title) or '?'}"


def _lines(label: str, texts: list[str]) -> list[str]:
    """A labelled field over one or more lines, each line made printable on its own."""
    out = []
    for number, text in enumerate(texts):
        head = label if number == 0 else ""
        out.append(f"  {head:<{_LABEL_WIDTH}}{printable(text)}".rstrip())
    return out


def render_notes(notes: TrackNotes) -> list[str]:
    """The notes for a terminal, one field per line; fields with nothing noted are left out.

    Multi-line text is split at its line breaks first, then each line made printable, so a
    note keeps its lines but no escape sequence or control character reaches the terminal.
    """
    from library.notes.values import format_time

    lines: list[str] = []
    if notes.moods:
        lines += _lines("moods", [", ".join(notes.moods)])
    if notes.energy is not None:
        lines += _lines("energy", [f"{notes.energy}/10"])
    if notes.roles:
        lines += _lines("roles", [", ".join(notes.roles)])
    if notes.rating is not None:
        lines += _lines(
            "rating", [f"{'★' * notes.rating}{'☆' * (5 - notes.rating)} ({notes.rating}/5)"]
        )
    if notes.colour:
        lines += _lines("colour", [notes.colour])
    if notes.closing_note:
        lines += _lines("closing", notes.closing_note.splitlines() or [""])
    if notes.text:
        lines += _lines("text", notes.text.splitlines() or [""])
    if notes.cues:
        width = max(len(format_time(cue.at)) for cue in notes.cues)
        lines += _lines(
            "cues", [f"{format_time(cue.at):<{width}}  {cue.text}" for cue in notes.cues]
        )
    if notes.updated_at:
        lines += _lines("updated", [notes.updated_at])
    return lines


def _changed_fields(version: NotesVersion) -> list[str]:
    before, after = version.previous.content(), version.notes.content()
    return [name for name in after if after[name] != before[name]]


def _history_json(versions: list[NotesVersion]) -> list[dict[str, Any]]:
    return [
        {
            "version": v.version,
            "changed_at": v.changed_at,
            "source": v.source,
            "changed": _changed_fields(v),
            "notes": v.notes.model_dump(mode="json"),
        }
        for v in versions
    ]


def _show_history(track: Track, versions: list[NotesVersion]) -> None:
    if not versions:
        click.echo(f"No notes were ever written for {track_title(track)}")
        return
    click.echo(f"Versions of the notes of {track_title(track)}")
    width = len(str(versions[-1].version))
    for v in versions:
        fields = ", ".join(_changed_fields(v)) or "nothing"
        click.echo(f"  {v.version:>{width}}  {v.changed_at}  {v.source:<10} {fields}")


def _hint_new_moods(added: tuple[str, ...], in_use: dict[str, int]) -> None:
    """On stderr: a mood no other track has may be a typo of one that is used."""
    from library.notes.values import mood

    for text in added:
        word = mood(text)
        if word in in_use:
            continue
        close = difflib.get_close_matches(word, list(in_use), n=3, cutoff=0.75)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        click.echo(f"note: {printable(repr(word))} is a new mood{printable(hint)}", err=True)


@click.command("note")
@click.argument("track")
@click.option("--mood", "add_moods", multiple=True, help="Add a mood (repeatable).")
@click.option("--no-mood", "remove_moods", multiple=True, help="Remove a mood (repeatable).")
@click.option("--energy", help="Energy from 1 to 10 (none clears).")
@click.option(
    "--role",
    "add_roles",
    multiple=True,
    help="Add a role: opener, warm-up, builder, peak, breakdown, closer, encore.",
)
@click.option("--no-role", "remove_roles", multiple=True, help="Remove a role (repeatable).")
@click.option("--closing-note", help='Why and how it closes a set ("" clears).')
@click.option("--text", help='Replace the free text ("" clears).')
@click.option("--append", help="Add a line at the end of the free text.")
@click.option("--rating", help="0 to 5 stars (none clears).")
@click.option(
    "--colour",
    "--color",
    "colour",
    help="pink red orange yellow green aqua blue purple (none clears).",
)
@click.option("--cue", "add_cues", multiple=True, help='Add a cue note: "m:ss=text".')
@click.option("--no-cue", "remove_cues", multiple=True, help="Remove the cue at m:ss.")
@click.option("--show", is_flag=True, help="Print the notes (the default without changes).")
@click.option("--history", is_flag=True, help="List every version of the notes.")
@click.option(
    "--restore",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Make version N the current notes again.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def note_command(
    state: CliState,
    /,
    track: str,
    *,
    show: bool,
    history: bool,
    restore: int | None,
    as_json: bool,
    **changes: Any,
) -> None:
    """Show or change the notes of TRACK (an id, a file path, or a query matching one track).

    \b
    Every change is kept: --history lists the versions, --restore N brings one back.
    Examples:
        setlist note 42 --mood haunting --energy 7 --role closer
        setlist note "mills metropolis" --closing-note "after 5am, into silence"
        setlist note 42 --cue 1:05="the bells come in" --cue 6:12=break
        setlist note 42 --show --json
    """
    from library.notes import store as notes_store
    from library.notes.edits import NoteEdit, apply
    from library.track_lookup import find_track

    edit = NoteEdit(**changes)  # the options' names are NoteEdit's fields
    modes = [name for name, on in (("--show", show), ("--history", history)) if on]
    if restore is not None:
        modes.append("--restore")
    if len(modes) > 1 or (modes and not edit.is_empty()):
        what = " and ".join(modes) if len(modes) > 1 else f"{modes[0]} and changes"
        raise UserError(f"{what} cannot be combined: do one at a time")
    store = state.store()
    found = find_track(store, track)
    if history:
        versions = notes_store.history(store, found.id)
        if as_json:
            click.echo(dumps_json(_history_json(versions)))
        else:
            _show_history(found, versions)
        return
    version: int | None = None
    if restore is not None:
        version = notes_store.restore(store, found.id, restore)
        message = (
            f"Restored version {restore} of the notes of {track_title(found)} "
            f"(now version {version})"
            if version
            else f"The notes of {track_title(found)} already are version {restore}"
        )
    elif not edit.is_empty():
        in_use = notes_store.moods_in_use(store) if edit.add_moods else {}
        current, version = notes_store.update(
            store, found.id, lambda notes: apply(notes, edit, found.duration)
        )
        if edit.add_moods:  # moods of other tracks (this track's own are not "in use")
            others = {word: n - (word in current.moods) for word, n in in_use.items()}
            _hint_new_moods(edit.add_moods, {word: n for word, n in others.items() if n > 0})
        message = (
            f"Saved version {version} of the notes of {track_title(found)}"
            if version
            else f"No change to the notes of {track_title(found)}"
        )
    else:
        message = ""
    notes = notes_store.load(store, found.id)
    if as_json:
        click.echo(dumps_json(notes.model_dump(mode="json")))
        return
    if message:
        click.echo(message)
    elif notes.is_empty():
        click.echo(f"No notes for {track_title(found)}")
        return
    else:
        click.echo(f"Notes of {track_title(found)}")
    for line in render_notes(notes):
        click.echo(line)
