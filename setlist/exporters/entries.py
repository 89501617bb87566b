"""A set's entries as exporters see them, loaded from the library in one place.

`export NAME` needs each entry's track, notes and exact file path, and its start time and
transition from the analysis: `load_entries` gathers the library's part, and takes the
analysis's part (start times, transitions) as given, so exporters never query the library.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from library.errors import SetlistError
from library.notes import store as notes_store
from setlist.exporters import ExportEntry

if TYPE_CHECKING:
    from library.models import Track
    from library.storage import Store
    from setlist.models import SetList


class MissingTrackError(SetlistError):
    """A set names a track id the library no longer has."""


def cumulative_starts(durations: Sequence[float | None]) -> list[float]:
    """Each entry's start: the sum of the lengths before it (an unknown length counts 0)."""
    starts, at = [], 0.0
    for duration in durations:
        starts.append(at)
        at += duration or 0.0
    return starts


def load_entries(
    store: Store,
    setlist: SetList,
    starts: Sequence[float] | None = None,
    transitions: Sequence[Mapping[str, Any] | None] | None = None,
    tracks: Mapping[int, Track] | None = None,
) -> list[ExportEntry]:
    """The set's entries in order, with track, notes and path bytes from the library.

    `starts` and `transitions` (one per entry) come from the analysis; without `starts`, the
    lengths are added up (`cumulative_starts`). `tracks` saves reading them again when the
    caller (the analysis) already has them.
    """
    ids = [entry.track_id for entry in setlist.entries]
    if tracks is None:
        tracks = store.tracks_by_id(ids)
    gone = ", ".join(dict.fromkeys(str(track_id) for track_id in ids if track_id not in tracks))
    if gone:
        raise MissingTrackError(f"set {setlist.name!r}: no track with id {gone} in the library")
    paths = store.track_paths(ids)
    notes = notes_store.load_many(store, tracks)
    if starts is None:
        starts = cumulative_starts([tracks[track_id].duration for track_id in ids])
    return [
        ExportEntry(
            position=entry.position,
            start=starts[index],
            track=tracks[entry.track_id],
            notes=notes[entry.track_id],
            transition_note=entry.transition_note,
            transition=transitions[index] if transitions is not None else None,
            path_bytes=paths[entry.track_id],
        )
        for index, entry in enumerate(setlist.entries)
    ]
