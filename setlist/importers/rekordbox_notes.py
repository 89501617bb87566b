"""What a Rekordbox collection knows about library tracks, into their EMPTY notes fields.

For each Rekordbox track found in the library (`rekordbox.match_tracks`), a notes field
that is empty takes what Rekordbox has: the text of its Comments (and the moods, when the
comment has setlist's `moods: a; b | text` shape), its rating (a rating of 0 is "not
rated"), its colour, its named cues. A field that holds anything (a track nobody noted has
the moods of its tags) is never overwritten. Every change is journaled with the source
"rekordbox", and all of one import is one transaction: a failure leaves the notes as they
were. Nothing is written to any file.

BPM and key are not notes: the library takes them from the files' tags, and a rescan would
undo anything stored beside them. So they are not stored; `NotesFill.tag_gaps` lists the
tracks whose tags lack a BPM or key that Rekordbox has, for the user to tag.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from library.notes import store as notes_store
from library.notes.model import TrackNotes
from library.notes.values import EMPTY_NOTES
from setlist.rekordbox_fields import parse_comments

if TYPE_CHECKING:
    from library.storage import Store
    from setlist.importers.path_matching import Matched
    from setlist.importers.rekordbox import RekordboxTrack

SOURCE = "rekordbox"


@dataclass(frozen=True, slots=True)
class TagGap:
    """A library track whose tags lack a BPM or key that Rekordbox knows."""

    track_id: int
    bpm: float | None  # Rekordbox's, when the tags have none
    key: str | None  # Rekordbox's Tonality, when the tags have none


@dataclass(frozen=True, slots=True)
class NotesFill:
    """What an import did to the notes."""

    filled: dict[int, list[str]] = field(default_factory=dict)  # track id -> fields filled
    kept: dict[int, list[str]] = field(default_factory=dict)  # noted otherwise: not changed
    tag_gaps: list[TagGap] = field(default_factory=list)


def rekordbox_values(track: RekordboxTrack) -> dict[str, Any]:
    """The notes fields a Rekordbox track has something for."""
    moods, text = parse_comments(track.comments)
    values: dict[str, Any] = {
        "moods": moods,
        "text": text.strip(),
        "rating": track.rating,
        "colour": track.colour,
        "cues": [{"at": at, "text": name} for at, name in track.cues],
    }
    return {name: value for name, value in values.items() if value not in (None, "", [])}


def _filled(current: dict[str, Any], offered: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """`current` with its empty fields taken from `offered`, checked as notes; the names."""
    names = [name for name in offered if current[name] == EMPTY_NOTES[name]]
    content = {**current, **{name: offered[name] for name in names}}
    return TrackNotes(**content).content(), names


def fill_notes(
    store: Store,
    matched: Sequence[Matched[RekordboxTrack]],
    connection: sqlite3.Connection | None = None,
) -> NotesFill:
    """Fill the empty notes fields of the matched library tracks (the first Rekordbox track
    of each library track counts), journaled as "rekordbox". In one transaction of its own,
    or in the caller's when given its `connection` (`store.transaction()`), so that an
    import's sets and notes are made together or not at all."""
    if connection is None:
        with store.transaction() as own:
            return fill_notes(store, matched, own)
    first: dict[int, RekordboxTrack] = {}
    for match in matched:
        first.setdefault(match.track_id, match.item)
    result = NotesFill()
    tags = store.tracks_by_id(first)
    for track_id, track in first.items():
        offered = rekordbox_values(track)
        current = notes_store.current(connection, track_id).content
        content, names = _filled(current, offered)
        if names:
            notes_store.write_content(connection, track_id, content, SOURCE)
            result.filled[track_id] = names
        if kept := [n for n in offered if n not in names and content[n] != offered[n]]:
            result.kept[track_id] = kept
        tagged = tags.get(track_id)
        if tagged is not None:
            bpm = track.bpm if track.bpm and not tagged.bpm else None
            key = track.tonality if track.tonality and not tagged.key else None
            if bpm or key:
                result.tag_gaps.append(TagGap(track_id, bpm, key))
    return result
