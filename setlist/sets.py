"""Sets as the rest of setlist uses them: `SetList` models, their tracks, their analysis, and
the `ExportContext` every exporter writes from.

`library.set_store` keeps sets as plain records (the library cannot import `setlist`); this
module turns them into `SetList` models and back, fetches a set's tracks and notes in a few
queries, and runs the analysis on them. `export_context` is what `setlist export` calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from library.set_store import SetStore, StoredEntry, StoredSet
from setlist.analysis import PlannedTrack, SetAnalysis, analyse

if TYPE_CHECKING:
    from library.models import Track
    from library.storage import Store
    from setlist.exporters import ExportContext
    from setlist.models import SetList


# The fields a `SetList` and a `StoredSet` share, besides the entries and the times.
_FIELDS = ("id", "name", "description", "venue", "date", "target_minutes", "allow_repeat")


def to_model(stored: StoredSet) -> SetList:
    """A stored set as a `SetList`."""
    from setlist.models import SetEntry, SetList

    return SetList(
        **{name: getattr(stored, name) for name in _FIELDS},
        created_at=stored.created_at or None,
        updated_at=stored.updated_at or None,
        entries=[
            SetEntry(position=e.position, track_id=e.track_id, transition_note=e.transition_note)
            for e in stored.entries
        ],
    )


def to_stored(setlist: SetList) -> StoredSet:
    """A `SetList` as the store keeps it (its entries in list order; positions renumbered)."""
    return StoredSet(
        **{name: getattr(setlist, name) for name in _FIELDS},
        entries=tuple(
            StoredEntry(e.position, e.track_id, e.transition_note) for e in setlist.entries
        ),
    )


def load(store: Store, name: str) -> SetList:
    """The set named `name` (without regard to case); `SetNotFoundError` otherwise."""
    return to_model(SetStore(store).get(name))


def save(store: Store, setlist: SetList) -> SetList:
    """Store a whole set edited as a model (found by id), in one transaction."""
    return to_model(SetStore(store).save(to_stored(setlist)))


def set_tracks(store: Store, setlist: SetList) -> dict[int, Track]:
    """The library tracks of a set's entries, by id."""
    ids = sorted({entry.track_id for entry in setlist.entries})
    if not ids:
        return {}
    found = store.tracks("id IN (SELECT value FROM json_each(?))", (str(ids),))
    return {track.id: track for track in found}


def planned(track: Track) -> PlannedTrack:
    """What the analysis needs of a library track."""
    return PlannedTrack(
        track_id=track.id,
        artist=track.artist,
        title=track.title,
        bpm=track.bpm,
        camelot=track.camelot,
        energy=track.energy,
        roles=tuple(track.roles),
        moods=tuple(track.moods),
        duration=track.duration,
        missing=track.missing,
    )


@dataclass(frozen=True, slots=True)
class AnalysedSet:
    """A set with its tracks (by id) and its analysis."""

    setlist: SetList
    tracks: Mapping[int, Track]
    analysis: SetAnalysis


def analysed(store: Store, setlist: SetList) -> AnalysedSet:
    """A set's tracks and the analysis of its order."""
    tracks = set_tracks(store, setlist)
    plan = [planned(tracks[entry.track_id]) for entry in setlist.entries]
    return AnalysedSet(setlist, tracks, analyse(plan, setlist.target_minutes))


def show_json(found: AnalysedSet) -> dict[str, Any]:
    """The JSON of `setlist sets show --json`: the set, its entries (each with its start and
    the transition into it), the totals and the warnings."""
    setlist, analysis = found.setlist, found.analysis
    entries = []
    for entry, start in zip(setlist.entries, analysis.starts, strict=True):
        track = found.tracks[entry.track_id]
        step = analysis.transition_into(entry.position)
        entries.append(
            {
                "position": entry.position,
                "track_id": entry.track_id,
                "start": round(start, 3),
                "artist": track.artist,
                "title": track.title,
                "bpm": track.bpm,
                "camelot": track.camelot,
                "energy": track.energy,
                "duration": track.duration,
                "missing": track.missing,
                "transition_note": entry.transition_note,
                "transition": step.to_json() if step else None,
            }
        )
    fields = setlist.model_dump(mode="json", exclude={"entries"})
    return {
        **fields,
        "entries": entries,
        "totals": analysis.totals(),
        "warnings": [warning.to_json() for warning in analysis.warnings],
    }


def export_context(
    store: Store, setlist: SetList, relative_to: Path | None = None
) -> ExportContext:
    """Everything an exporter writes of a set: each entry with its track, notes, start time
    and the transition into it, and the set's analysis as JSON.

    A track whose length is unknown counts as 0 s: the start times after it continue (early),
    and the analysis carries an `unknown-duration` warning the caller may print.
    """
    from setlist.exporters import ExportContext
    from setlist.exporters.entries import load_entries

    found = analysed(store, setlist)
    transitions = []
    for entry in setlist.entries:
        step = found.analysis.transition_into(entry.position)
        transitions.append(step.to_json() if step else None)
    entries = load_entries(store, setlist, found.analysis.starts, transitions, found.tracks)
    return ExportContext(setlist, entries, found.analysis.to_json(), relative_to)
