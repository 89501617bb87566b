"""Tests for track notes in the library: the field rules, edits, the journal and restore.

A real SQLite library with tracks stored as a scan stores them (`factories.add_track`).
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from factories import add_track
from hypothesis import given
from hypothesis import strategies as st

from library.notes import store as notes_store
from library.notes import values
from library.notes.edits import NoteEdit, apply, cue_at_playback
from library.notes.model import Cue, TrackNotes
from library.notes.values import NoteValueError
from library.storage import Store, track_row

# -- the rules of each field -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1:05", 65.0), ("0:00", 0.0), ("1:05.5", 65.5), ("65.25", 65.25), ("1:02:03", 3723.0),
     ("12:00.125", 720.125), (" 3:07 ", 187.0), ("0.0004", 0.0)],
)  # fmt: skip
def test_times(text: str, seconds: float) -> None:
    assert values.parse_time(text) == seconds


@pytest.mark.parametrize("text", ["", "1:60", "1:2:60:00", "-1:00", "1m05", "1:05,5", "1:60:00"])
def test_bad_times(text: str) -> None:
    with pytest.raises(NoteValueError, match="time"):
        values.parse_time(text)


@given(st.floats(min_value=0, max_value=36_000, allow_nan=False).map(lambda s: round(s, 3)))
def test_time_format_reads_back(seconds: float) -> None:
    assert values.parse_time(values.format_time(seconds)) == pytest.approx(seconds, abs=0.0011)


def test_moods_roles_colours() -> None:
    assert values.moods(["Hanté", "  late \n night ", "hanté"]) == ["hanté", "late night"]
    assert values.roles(["closer", "Warmup", "opener", "warm up"]) == [
        "opener",
        "warm-up",
        "closer",
    ]
    assert values.colour("Cyan") == "aqua"
    assert values.colour("none") is None


@pytest.mark.parametrize(
    ("check", "value", "fragment"),
    [
        (values.mood, "", "empty"),
        (values.mood, "dark; deep", "';'"),
        (values.mood, "a\x00b", "control"),
        (values.mood, "x" * 61, "at most 60"),
        (values.role, "closing", "not a role"),
        (values.colour, "beige", "not in the palette"),
        (values.energy, 11, "from 1 to 10"),
        (values.energy, "0", "from 1 to 10"),
        (values.energy, "7.5", "whole number"),
        (values.rating, 6, "from 0 to 5"),
        (values.rating, "-1", "from 0 to 5"),
        (values.cue_at, -1, "zero or more"),
        (values.cue_at, float("nan"), "zero or more"),
        (values.parse_cue, "1:05 bells", "TIME=TEXT"),
    ],
)
def test_bad_values_name_the_field(check: object, value: object, fragment: str) -> None:
    with pytest.raises(NoteValueError, match=fragment):
        check(value)  # type: ignore[operator]


def test_model_normalises_and_sorts() -> None:
    notes = TrackNotes(
        moods=["Sombre", "euphorique"],
        roles=["closer", "warmup"],
        energy="7",
        rating=0,
        colour="RED",
        cues=[Cue(at="1:05", text="b"), Cue(at=3, text="a"), Cue(at=65, text="c")],
    )
    assert notes.moods == ["euphorique", "sombre"]
    assert notes.roles == ["warm-up", "closer"]
    assert (notes.energy, notes.rating, notes.colour) == (7, 0, "red")
    assert [(cue.at, cue.text) for cue in notes.cues] == [(3.0, "a"), (65.0, "c")]
    assert not notes.is_empty() and TrackNotes().is_empty()


def test_surrogates_become_replacement_characters() -> None:
    notes = TrackNotes(text="caf\udce9", closing_note="\udcff")
    assert (notes.text, notes.closing_note) == ("caf\ufffd", "\ufffd")


# -- edits ---------------------------------------------------------------------------------


def test_an_edit_applies_every_change() -> None:
    start = TrackNotes(moods=["sombre"], roles=["peak"], text="première ligne",
                       cues=[Cue(at=30, text="intro")])  # fmt: skip
    edit = NoteEdit(
        add_moods=("Hanté",), remove_moods=("sombre",), energy="8", add_roles=("closer",),
        remove_roles=("peak",), closing_note="après 5h", append="deuxième", rating="5",
        colour="blue", add_cues=("1:05=les cloches", "0:30=intro réécrite"),
    )  # fmt: skip
    notes = apply(start, edit, duration=300)
    assert notes.moods == ["hanté"] and notes.roles == ["closer"]
    assert (notes.energy, notes.rating, notes.colour) == (8, 5, "blue")
    assert notes.text == "première ligne\ndeuxième" and notes.closing_note == "après 5h"
    assert [(c.at, c.text) for c in notes.cues] == [(30.0, "intro réécrite"), (65.0, "les cloches")]
    clear = NoteEdit(energy="none", rating="", colour="none", text="", closing_note="",
                     remove_cues=("0:30", "1:05"))  # fmt: skip
    cleared = apply(notes, clear, 300)
    assert cleared.model_dump(exclude={"moods", "roles"}) == TrackNotes().model_dump(
        exclude={"moods", "roles"}
    )


def test_a_cue_past_the_end_or_a_missing_cue_is_refused() -> None:
    notes = TrackNotes(cues=[Cue(at=10, text="x")])
    with pytest.raises(NoteValueError, match=r"3:21 is past the end of the track \(3:20\)"):
        apply(notes, NoteEdit(add_cues=("3:21=trop tard",)), duration=200.4)
    assert apply(notes, NoteEdit(add_cues=("3:20=fin",)), duration=200).cues[-1].at == 200
    assert apply(notes, NoteEdit(add_cues=("99:00=?",)), duration=None).cues[-1].at == 5940
    with pytest.raises(NoteValueError, match=r"no cue at 0:11 \(cues: 0:10\)"):
        apply(notes, NoteEdit(remove_cues=("0:11",)), duration=200)


def test_a_cue_at_the_playback_position() -> None:
    notes = TrackNotes(cues=[Cue(at=10, text="x")])
    marked = cue_at_playback(notes, 65.2504, "les cloches = 5h", duration=300)
    assert [(c.at, c.text) for c in marked.cues] == [(10.0, "x"), (65.25, "les cloches = 5h")]
    assert cue_at_playback(marked, 10.0004, "remplacé", 300).cues[0].text == "remplacé"
    assert cue_at_playback(notes, 200.45, "fin", duration=200.4).cues[-1].at == 200.4
    assert cue_at_playback(notes, -0.01, "début", duration=None).cues[0].at == 0


# -- storing, the journal, restore ----------------------------------------------------------


def test_save_load_and_journal(store: Store) -> None:
    track = add_track(store)
    assert notes_store.load(store, track).is_empty()
    first = TrackNotes(moods=["hanté"], energy=6, text="ligne\n[bold]x[/] \x1b[31m")
    assert notes_store.save(store, track, first) == 1
    assert notes_store.save(store, track, first) is None  # unchanged: no new version
    second = apply(first, NoteEdit(energy="9", add_roles=("closer",)), None)
    assert notes_store.save(store, track, second) == 2
    loaded = notes_store.load(store, track)
    assert loaded.content() == second.content() and loaded.updated_at
    versions = notes_store.history(store, track)
    assert [(v.version, v.source) for v in versions] == [(1, "note"), (2, "note")]
    assert versions[0].previous.is_empty()
    assert versions[1].previous.content() == first.content()
    assert versions[1].notes.content() == second.content()


def test_restore_is_itself_a_version(store: Store) -> None:
    track = add_track(store)
    notes_store.save(store, track, TrackNotes(text="ce que j'ai écrit", energy=4))
    notes_store.save(store, track, TrackNotes(text="effacé par erreur"))
    assert notes_store.restore(store, track, 1) == 3
    assert (
        notes_store.load(store, track).content()
        == TrackNotes(text="ce que j'ai écrit", energy=4).content()
    )
    assert notes_store.restore(store, track, 1) is None  # already that version
    assert notes_store.restore(store, track, 2) == 4
    assert [v.source for v in notes_store.history(store, track)] == [
        "note", "note", "restore 1", "restore 2",
    ]  # fmt: skip
    with pytest.raises(NoteValueError, match="has versions 1 to 4"):
        notes_store.restore(store, track, 9)
    other = add_track(store)
    with pytest.raises(NoteValueError, match="no versions yet"):
        notes_store.restore(store, other, 1)


def test_journal_holds_whole_notes_as_json(store: Store) -> None:
    track = add_track(store)
    notes = TrackNotes(moods=["x"], cues=[Cue(at=1.5, text="ça")], closing_note="fin\n")
    notes_store.save(store, track, notes)
    row = (
        store.connection()
        .execute("SELECT previous, notes FROM track_notes_journal WHERE track_id = ?", (track,))
        .fetchone()
    )
    previous, after = json.loads(row[0]), json.loads(row[1])
    assert previous == {**TrackNotes().model_dump(mode="json")}
    assert after == notes_store.load(store, track).model_dump(mode="json")


def test_a_track_with_notes_cannot_be_deleted(store: Store) -> None:
    """Notes never vanish as a side effect: the foreign key refuses the delete."""
    track = add_track(store)
    notes_store.save(store, track, TrackNotes(text="à garder"))
    with pytest.raises(sqlite3.IntegrityError), store.transaction() as connection:
        connection.execute("DELETE FROM tracks WHERE id = ?", (track,))
    assert notes_store.load(store, track).text == "à garder"


def test_moods_in_use(store: Store) -> None:
    for moods in (["hanté", "sombre"], ["sombre"], []):
        notes_store.save(store, add_track(store), TrackNotes(moods=moods, text="x"))
    assert notes_store.moods_in_use(store) == {"hanté": 1, "sombre": 2}


def test_tracks_show_the_notes(store: Store) -> None:
    track = add_track(store, moods=["Du Tag", "x" * 61])  # the second breaks the mood rules
    (before,) = store.tracks()
    assert (before.moods, before.energy, before.roles, before.rating) == (
        ["du tag"],
        None,
        [],
        None,
    )
    assert notes_store.load(store, track).moods == ["du tag"]  # not noted: the tags' moods
    notes_store.save(store, track, TrackNotes(moods=["hanté"], energy=7, roles=["closer"],
                                              rating=4))  # fmt: skip
    (after,) = store.tracks()
    assert (after.moods, after.energy, after.roles, after.rating) == (["hanté"], 7, ["closer"], 4)
    (first,) = notes_store.history(store, track)
    assert first.previous.moods == ["du tag"]  # what it replaced is kept


def test_a_noted_track_no_longer_takes_the_moods_of_its_tags(store: Store) -> None:
    track = add_track(store, moods=["sombre"])
    notes_store.save(store, track, TrackNotes(text="plus de mood"))  # moods cleared
    assert store.tracks()[0].moods == []
    rescanned = {"format": "flac", "moods": ["autre"], "has_artwork": False}
    store.save_scanned([track_row(store.tracks()[0].path.encode(), 2, 2, rescanned)], [])
    assert store.tracks()[0].moods == []


def test_update_reads_the_notes_under_the_write_lock(store: Store) -> None:
    """`update` reads the notes inside its write transaction, so a save by another process
    between reading and writing cannot be lost (tests/setlist/test_concurrent_use.py races
    real processes on it)."""
    track = add_track(store)
    notes_store.save(store, track, TrackNotes(text="première ligne"))
    held: list[bool] = []

    def change(notes: TrackNotes) -> TrackNotes:
        other = sqlite3.connect(store.path, isolation_level=None, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            held.append(True)
        finally:
            other.close()
        return TrackNotes.model_validate({**notes.model_dump(), "energy": 7})

    before, version = notes_store.update(store, track, change)
    assert held == [True]
    assert (before.text, before.energy, version) == ("première ligne", None, 2)
    after = notes_store.load(store, track)
    assert (after.text, after.energy) == ("première ligne", 7)
    assert notes_store.update(store, track, lambda notes: notes)[1] is None  # unchanged


def test_update_that_raises_stores_nothing(store: Store) -> None:
    track = add_track(store)

    def refuse(notes: TrackNotes) -> TrackNotes:
        raise NoteValueError("energy 11: energy is 1 to 10")

    with pytest.raises(NoteValueError):
        notes_store.update(store, track, refuse)
    assert notes_store.history(store, track) == []
