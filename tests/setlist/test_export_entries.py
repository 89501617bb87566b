"""Tests for loading a set's entries for the exporters: tracks, notes, exact paths, starts."""

from __future__ import annotations

import pytest
from factories import add_track

from library.notes import store as notes_store
from library.notes.model import TrackNotes
from library.storage import Store
from setlist.exporters.entries import MissingTrackError, cumulative_starts, load_entries
from setlist.models import SetEntry, SetList


def test_entries_in_set_order(store: Store) -> None:
    first = add_track(store, title="Première", duration=200.0, path=b"/m/caf\xe9.flac")
    second = add_track(store, title="Deuxième", duration=None)
    third = add_track(store, title="Troisième", duration=100.0)
    notes_store.save(store, second, TrackNotes(energy=8, text="monte"))
    setlist = SetList(
        id=7,
        name="Nuit",
        entries=[
            SetEntry(position=1, track_id=third),
            SetEntry(position=2, track_id=first, transition_note="fondu"),
            SetEntry(position=3, track_id=second),
        ],
    )
    entries = load_entries(store, setlist, transitions=[None, {"verdict": "smooth"}, None])
    assert [e.track.title for e in entries] == ["Troisième", "Première", "Deuxième"]
    assert [e.start for e in entries] == [0.0, 100.0, 300.0]
    assert entries[1].file_path() == b"/m/caf\xe9.flac"
    assert entries[1].track.path == "/m/caf\ufffd.flac"
    assert entries[1].transition_note == "fondu"
    assert entries[1].transition == {"verdict": "smooth"}
    assert entries[2].notes.energy == 8 and entries[2].notes.text == "monte"
    given = load_entries(store, setlist, starts=[5.0, 6.0, 7.0])
    assert [e.start for e in given] == [5.0, 6.0, 7.0]


def test_a_track_gone_from_the_library(store: Store) -> None:
    kept = add_track(store)
    setlist = SetList(
        id=1,
        name="Trou",
        entries=[SetEntry(position=1, track_id=kept), SetEntry(position=2, track_id=999)],
    )
    with pytest.raises(MissingTrackError, match="set 'Trou': no track with id 999 in the library"):
        load_entries(store, setlist)


def test_track_paths(store: Store) -> None:
    one = add_track(store, path=b"/m/\xff\xfe.mp3")
    two = add_track(store, path="/m/déjà.mp3".encode())
    assert store.track_paths([two, one, 12345, one]) == {
        one: b"/m/\xff\xfe.mp3",
        two: "/m/déjà.mp3".encode(),
    }
    assert store.track_paths([]) == {}


def test_cumulative_starts() -> None:
    assert cumulative_starts([]) == []
    assert cumulative_starts([60.5, None, 30.0]) == [0.0, 60.5, 60.5]
