"""Tests for `setlist.sets`: SetList models to and from the store, and the ExportContext the
exporters write from (tracks, notes, start times, transitions, the analysis). Real library."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import add_track

from library.notes import store as notes_store
from library.notes.model import Cue, TrackNotes
from library.set_store import SetError, SetNotFoundError, SetStore
from library.storage import Store
from setlist.models import SetEntry
from setlist.sets import export_context, load, save

NAME = "Nuit = [Tresor]"


@pytest.fixture
def three(store: Store) -> list[int]:
    """A noted track, a track nobody noted (moods in its tags), a track of unknown length."""
    noted = add_track(store, artist="Ōta", title="Noté", key="8A", bpm=126.0, duration=301.5)
    notes_store.save(
        store, noted, TrackNotes(energy=6, moods=["hanté"], cues=[Cue(at=30, text="entrée")])
    )
    tagged = add_track(store, artist="Nina", title="Tags", key="9A", bpm=128.0, moods=["Dark"])
    unknown = add_track(store, title="Sans durée", key="9A", bpm=128.0, duration=None)
    SetStore(store).create(NAME, venue="Tresor", target_minutes=30, track_ids=[noted, tagged])
    SetStore(store).add(NAME, [unknown])
    SetStore(store).note(NAME, 2, "coupe les basses")
    return [noted, tagged, unknown]


def test_load_gives_the_model(store: Store, three: list[int]) -> None:
    setlist = load(store, NAME.lower())
    assert (setlist.name, setlist.venue, setlist.target_minutes) == (NAME, "Tresor", 30)
    assert setlist.entries == [
        SetEntry(position=1, track_id=three[0]),
        SetEntry(position=2, track_id=three[1], transition_note="coupe les basses"),
        SetEntry(position=3, track_id=three[2]),
    ]
    assert setlist.created_at and setlist.updated_at
    with pytest.raises(SetNotFoundError):
        load(store, "autre")


def test_save_a_model(store: Store, three: list[int]) -> None:
    setlist = load(store, NAME)
    reordered = setlist.model_copy(
        update={
            "name": "Renommée",
            "entries": [setlist.entries[2], setlist.entries[0]],
            "target_minutes": 45,
        }
    )
    saved = save(store, reordered)
    assert [(e.position, e.track_id) for e in saved.entries] == [(1, three[2]), (2, three[0])]
    assert load(store, "renommée") == saved
    assert saved.created_at == setlist.created_at
    repeat = saved.model_copy(update={"entries": [*saved.entries, saved.entries[0]]})
    with pytest.raises(SetError, match="twice"):
        save(store, repeat)
    assert load(store, "Renommée") == saved


def test_export_context(store: Store, three: list[int], tmp_path: Path) -> None:
    setlist = load(store, NAME)
    context = export_context(store, setlist, relative_to=tmp_path)
    assert context.setlist == setlist and context.relative_to == tmp_path
    first, second, third = context.entries
    assert [e.position for e in context.entries] == [1, 2, 3]
    assert [e.track.id for e in context.entries] == three
    assert [e.start for e in context.entries] == [0.0, 301.5, 486.5]
    assert first.notes.energy == 6 and first.notes.cues == [Cue(at=30, text="entrée")]
    assert second.notes.moods == ["dark"]  # nobody noted it: the moods of its tags
    assert second.transition_note == "coupe les basses"
    assert first.transition is None
    assert second.transition is not None
    assert second.transition["key"]["relation"] == "+1"
    assert second.transition["bpm"]["percent"] == 1.59
    assert third.start == 486.5  # after a track of known length, as any other
    codes = [w["code"] for w in context.analysis["warnings"]]
    assert codes == ["unknown-duration", "under-target"]
    assert context.analysis["totals"]["unknown_durations"] == 1
    assert context.analysis["starts"] == [0.0, 301.5, 486.5]


def test_an_unknown_length_before_the_end_keeps_the_starts_going(store: Store) -> None:
    ids = [add_track(store, duration=d) for d in (200.0, None, 100.0, 50.0)]
    SetStore(store).create("Trous", track_ids=ids)
    context = export_context(store, load(store, "Trous"))
    assert [e.start for e in context.entries] == [0.0, 200.0, 200.0, 300.0]
    assert context.analysis["warnings"][0]["position"] == 2


def test_an_empty_set_exports_nothing(store: Store) -> None:
    SetStore(store).create("Vide")
    context = export_context(store, load(store, "Vide"))
    assert context.entries == [] and context.analysis["totals"]["tracks"] == 0
