"""A command's changes to a track's notes, applied with every value checked first.

`setlist note` (and later the TUI) describes what to change as a `NoteEdit` of raw strings;
`apply` checks all of them against the field rules and the track (a cue past the end of the
track is refused) before anything is stored, so an edit is all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from library.notes import values
from library.notes.values import NoteValueError

if TYPE_CHECKING:
    from library.notes.model import TrackNotes

UNSET = None  # an option not given: the field is left as it is


@dataclass(frozen=True, slots=True)
class NoteEdit:
    """Changes to make; removals apply before additions, `text` before `append`."""

    add_moods: tuple[str, ...] = ()
    remove_moods: tuple[str, ...] = ()
    energy: str | None = UNSET  # "none" or "" clears
    add_roles: tuple[str, ...] = ()
    remove_roles: tuple[str, ...] = ()
    closing_note: str | None = UNSET  # "" clears
    text: str | None = UNSET  # replaces the free text; "" clears
    append: str | None = UNSET  # a new line (or more) at the end of the free text
    rating: str | None = UNSET
    colour: str | None = UNSET
    add_cues: tuple[str, ...] = ()  # "m:ss=text"
    remove_cues: tuple[str, ...] = ()  # "m:ss"

    def is_empty(self) -> bool:
        """Whether the edit changes nothing at all (the command then shows the notes)."""
        return all(getattr(self, name) in (None, ()) for name in self.__slots__)


def _duration_text(seconds: float) -> str:
    return values.format_time(round(seconds))


def apply(notes: TrackNotes, edit: NoteEdit, duration: float | None) -> TrackNotes:
    """`notes` with `edit` applied; raises NoteValueError (nothing applied) on a bad value.

    `duration` is the track's length in seconds, when known: a cue after it is refused.
    """
    from library.notes.model import Cue, TrackNotes

    removed_moods = set(values.moods(edit.remove_moods))
    moods = [m for m in notes.moods if m not in removed_moods] + list(edit.add_moods)
    removed_roles = set(values.roles(edit.remove_roles))
    roles = [r for r in notes.roles if r not in removed_roles] + list(edit.add_roles)

    cues = {cue.at: cue.text for cue in notes.cues}
    for when in edit.remove_cues:
        at = values.parse_time(when)
        if at not in cues:
            listed = ", ".join(values.format_time(t) for t in sorted(cues)) or "none"
            raise NoteValueError(
                f"--no-cue {when}: no cue at {values.format_time(at)} (cues: {listed})"
            )
        del cues[at]
    for spec in edit.add_cues:
        at, text = values.parse_cue(spec)
        if duration is not None and at > duration:
            raise NoteValueError(
                f"cue {spec!r}: {values.format_time(at)} is past the end of the track "
                f"({_duration_text(duration)})"
            )
        cues[at] = text

    text = notes.text if edit.text is None else values.clean_text(edit.text)
    if edit.append:
        addition = values.clean_text(edit.append)
        text = f"{text}\n{addition}" if text else addition
    changed = notes.model_dump(mode="json")
    changed.update(
        moods=moods,
        roles=roles,
        cues=[Cue(at=at, text=note) for at, note in cues.items()],
        text=text,
    )
    if edit.energy is not None:
        changed["energy"] = values.energy(edit.energy)
    if edit.rating is not None:
        changed["rating"] = values.rating(edit.rating)
    if edit.colour is not None:
        changed["colour"] = values.colour(edit.colour)
    if edit.closing_note is not None:
        changed["closing_note"] = values.clean_text(edit.closing_note)
    return TrackNotes(**changed)


def cue_at_playback(
    notes: TrackNotes, position: float, text: str, duration: float | None
) -> TrackNotes:
    """`notes` with a cue at a playback `position` (seconds, as a player reports it).

    Listening, a DJ marks "now": the position is rounded to the millisecond, as typed cues
    are, and kept within the track, because the player's idea of the length can exceed the
    library's by a few milliseconds at the very end. A cue already at that time is replaced.
    """
    at = values.cue_at(max(0.0, position))
    if duration is not None:
        at = min(at, round(duration, 3))
    return apply(notes, NoteEdit(add_cues=(f"{values.format_time(at)}={text}",)), duration)
