"""Tests for the sets' storage: names without case, dense positions after every edit, repeats,
bad positions changing nothing, plays that outlive their set. A real SQLite library."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from factories import add_track
from hypothesis import given, settings
from hypothesis import strategies as st

from library.set_plays import plays, record_play
from library.set_store import (
    SetError,
    SetNotFoundError,
    SetStore,
    StoredEntry,
    StoredSet,
    name_key,
    parse_date,
)
from library.storage import Store

NAME = "Nuit [Dämmerung] = 5h"


@pytest.fixture
def sets(store: Store) -> SetStore:
    return SetStore(store)


@pytest.fixture
def tracks(store: Store) -> list[int]:
    return [add_track(store, title=f"Titre {n}") for n in range(1, 6)]


def order(sets: SetStore, name: str = NAME) -> list[int]:
    stored = sets.get(name)
    assert [e.position for e in stored.entries] == list(range(1, len(stored.entries) + 1))
    return [e.track_id for e in stored.entries]


def raw_positions(store: Store, set_id: int) -> list[int]:
    rows = store.connection().execute(
        "SELECT position FROM set_entries WHERE set_id = ? ORDER BY position", (set_id,)
    )
    return [row[0] for row in rows]


def test_create_and_read_back_every_field(sets: SetStore, tracks: list[int]) -> None:
    made = sets.create(
        f"  {NAME} ", description="Première\nligne", venue="De Melkweg",
        date=dt.date(2025, 3, 1), target_minutes=90, allow_repeat=True,
        track_ids=[tracks[0], tracks[1], tracks[0]],
    )  # fmt: skip
    assert made.name == NAME  # surrounding spaces go, the rest stays as typed
    got = sets.get(NAME.upper())
    assert got == made
    assert (got.description, got.venue, got.date, got.target_minutes, got.allow_repeat) == (
        "Première\nligne", "De Melkweg", dt.date(2025, 3, 1), 90, True,
    )  # fmt: skip
    assert order(sets) == [tracks[0], tracks[1], tracks[0]]
    assert got.created_at and got.updated_at


@pytest.mark.parametrize(
    ("first", "second"),
    [("Warm-Up", "warm-up"), ("Straße", "STRASSE"), ("Éclipse", "éCLIPSE"), ("a  b", "A B")],
)
def test_names_are_unique_ignoring_case(sets: SetStore, first: str, second: str) -> None:
    sets.create(first)
    with pytest.raises(SetError, match="already exists"):
        sets.create(second)
    assert sets.get(second).name == first


def test_accents_still_tell_names_apart(sets: SetStore) -> None:
    sets.create("Café")
    sets.create("Cafe")
    assert {s.name for s in sets.summaries()} == {"Café", "Cafe"}
    assert name_key("Café") != name_key("Cafe")


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_an_empty_name_is_refused(sets: SetStore, name: str) -> None:
    with pytest.raises(SetError, match="cannot be empty"):
        sets.create(name)
    assert sets.summaries() == []


def test_names_that_were_not_utf8(sets: SetStore, tracks: list[int]) -> None:
    """A shell argument that was not UTF-8 arrives surrogate-escaped: stored as U+FFFD."""
    made = sets.create("Nuit \udcff", venue="Bar \udcfe", track_ids=tracks[:1])
    assert made.name == "Nuit \ufffd" and sets.get("NUIT \udcff").venue == "Bar \ufffd"
    sets.note("nuit \ufffd", 1, "coupe \udcff")
    assert sets.get("Nuit \ufffd").entries[0].transition_note == "coupe \ufffd"


def test_unknown_set_suggests_close_names(sets: SetStore) -> None:
    sets.create("Dämmerung")
    with pytest.raises(SetNotFoundError, match="did you mean 'Dämmerung'"):
        sets.get("Dammerung")
    with pytest.raises(SetNotFoundError, match=r"no set named 'zzz'$"):
        sets.get("zzz")


def test_no_sets_yet_says_how_to_make_one(sets: SetStore) -> None:
    with pytest.raises(SetNotFoundError, match=r"no sets yet \(setlist sets new NAME\)"):
        sets.get("x")


def test_add_at_the_start_middle_and_end(sets: SetStore, tracks: list[int]) -> None:
    a, b, c, d, e = tracks
    sets.create(NAME)
    sets.add(NAME, [a, b])
    sets.add(NAME, [c], at=1)
    assert order(sets) == [c, a, b]
    sets.add(NAME, [d, e], at=3)
    assert order(sets) == [c, a, d, e, b]
    stored = sets.get(NAME)
    assert raw_positions(sets.store, stored.id) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("at", [0, -1, 3])
def test_add_at_a_position_outside_the_set_changes_nothing(
    sets: SetStore, tracks: list[int], at: int
) -> None:
    sets.create(NAME, track_ids=tracks[:1])
    before = sets.get(NAME)
    with pytest.raises(SetError, match=f"--at {at}: .* takes positions 1 to 2"):
        sets.add(NAME, [tracks[1]], at=at)
    assert sets.get(NAME) == before


def test_a_repeat_is_refused_unless_the_set_allows_it(sets: SetStore, tracks: list[int]) -> None:
    sets.create(NAME, track_ids=tracks[:2])
    before = sets.get(NAME)
    with pytest.raises(SetError, match=r"twice \(positions 1 and 4\)"):
        sets.add(NAME, [tracks[2], tracks[0]])
    with pytest.raises(SetError, match=r"twice \(positions 3 and 4\)"):
        sets.add(NAME, [tracks[3], tracks[3]])
    assert sets.get(NAME) == before  # the first track of the batch was not added either
    sets.edit(NAME, allow_repeat=True)
    sets.add(NAME, [tracks[0]])
    assert order(sets) == [tracks[0], tracks[1], tracks[0]]
    with pytest.raises(SetError, match="does not allow repeats"):
        sets.edit(NAME, allow_repeat=False)
    assert sets.get(NAME).allow_repeat


def test_an_unknown_track_is_refused(sets: SetStore, tracks: list[int]) -> None:
    sets.create(NAME)
    with pytest.raises(SetError, match="no track with id 999"):
        sets.add(NAME, [tracks[0], 999])
    assert order(sets) == []


def test_remove_at_either_end_and_in_the_middle(sets: SetStore, tracks: list[int]) -> None:
    a, b, c, d, e = tracks
    sets.create(NAME, track_ids=tracks)
    assert sets.remove(NAME, 1).track_id == a
    assert order(sets) == [b, c, d, e]
    assert sets.remove(NAME, 4).track_id == e
    assert order(sets) == [b, c, d]
    assert sets.remove(NAME, 2).track_id == c
    assert order(sets) == [b, d]
    sets.remove(NAME, 1)
    sets.remove(NAME, 1)
    assert order(sets) == []
    with pytest.raises(SetError, match=r"position 1: .* has no entries yet"):
        sets.remove(NAME, 1)


@pytest.mark.parametrize("position", [0, -3, 6])
def test_remove_outside_the_set_changes_nothing(
    sets: SetStore, tracks: list[int], position: int
) -> None:
    sets.create(NAME, track_ids=tracks)
    with pytest.raises(SetError, match=f"position {position}: .* has positions 1 to 5"):
        sets.remove(NAME, position)
    assert order(sets) == tracks


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        (1, 5, [2, 3, 4, 5, 1]),
        (5, 1, [5, 1, 2, 3, 4]),
        (2, 4, [1, 3, 4, 2, 5]),
        (4, 2, [1, 4, 2, 3, 5]),
        (3, 3, [1, 2, 3, 4, 5]),
        (4, 5, [1, 2, 3, 5, 4]),
    ],
)
def test_move(
    sets: SetStore, tracks: list[int], source: int, target: int, expected: list[int]
) -> None:
    sets.create(NAME, track_ids=tracks)
    sets.note(NAME, source, "la basse d'abord")
    sets.move(NAME, source, target)
    assert order(sets) == [tracks[n - 1] for n in expected]
    moved = sets.get(NAME).entries[target - 1]
    assert moved.transition_note == "la basse d'abord"  # the note travels with its entry


def test_move_to_the_same_place_writes_nothing(sets: SetStore, tracks: list[int]) -> None:
    sets.create(NAME, track_ids=tracks)
    before = sets.get(NAME)
    assert sets.move(NAME, 2, 2) == before
    assert sets.get(NAME).updated_at == before.updated_at


@pytest.mark.parametrize(("source", "target"), [(0, 1), (1, 0), (6, 1), (1, 6)])
def test_move_outside_the_set_changes_nothing(
    sets: SetStore, tracks: list[int], source: int, target: int
) -> None:
    sets.create(NAME, track_ids=tracks)
    with pytest.raises(SetError, match="has positions 1 to 5"):
        sets.move(NAME, source, target)
    assert order(sets) == tracks


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["add", "remove", "move"]), st.integers(-1, 8), st.integers(-1, 8)
        ),
        max_size=25,
    )
)
def test_any_sequence_of_edits_keeps_positions_dense(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, int, int]]
) -> None:
    """Whatever is asked, in whatever order: the set matches a plain list model of it."""
    store = Store(tmp_path_factory.mktemp("dense") / "library.db")
    try:
        sets = SetStore(store)
        ids = [add_track(store, title=f"n° {n}") for n in range(3)]
        sets.create(NAME, allow_repeat=True)
        model: list[int] = []
        for action, first, second in edits:
            try:
                if action == "add":
                    sets.add(NAME, [ids[second % 3]], at=first)
                    if not 1 <= first <= len(model) + 1:
                        raise AssertionError("an add outside the set was accepted")
                    model.insert(first - 1, ids[second % 3])
                elif action == "remove":
                    sets.remove(NAME, first)
                    model.pop(first - 1)
                else:
                    sets.move(NAME, first, second)
                    model.insert(second - 1, model.pop(first - 1))
            except SetError:
                assert action == "add" or not (
                    1 <= first <= len(model) and (action == "remove" or 1 <= second <= len(model))
                )
            assert order(sets) == model
            assert raw_positions(store, sets.get(NAME).id) == list(range(1, len(model) + 1))
    finally:
        store.close()


def test_note_sets_and_clears(sets: SetStore, tracks: list[int]) -> None:
    sets.create(NAME, track_ids=tracks[:2])
    hostile = "\x1b[31m[@click=app.quit]\nEQ =1+1 <b>"
    sets.note(NAME, 2, hostile)
    assert sets.get(NAME).entries[1].transition_note == hostile  # stored as written
    sets.note(NAME, 2, "")
    assert sets.get(NAME).entries[1].transition_note == ""
    with pytest.raises(SetError, match="position 3"):
        sets.note(NAME, 3, "x")


def test_rename_copy_delete(sets: SetStore, tracks: list[int]) -> None:
    sets.create(NAME, venue="Tresor", track_ids=tracks[:3])
    sets.note(NAME, 2, "filtre")
    sets.create("Autre")
    with pytest.raises(SetError, match="'Autre' already exists"):
        sets.rename(NAME, "AUTRE")
    sets.rename(NAME, NAME.lower())  # a change of case only
    assert sets.get(NAME).name == NAME.lower()
    copied = sets.copy(NAME, "Copie")
    original = sets.get(NAME)
    assert copied.id != original.id
    assert copied.entries == original.entries and copied.venue == "Tresor"
    sets.remove("Copie", 1)
    assert order(sets, NAME) == tracks[:3]  # the copy is its own set
    with pytest.raises(SetError, match="already exists"):
        sets.copy(NAME, "copie")
    deleted = sets.delete(NAME)
    assert deleted.entries == original.entries
    with pytest.raises(SetNotFoundError):
        sets.get(NAME)
    rows = sets.store.connection().execute(
        "SELECT count(*) FROM set_entries WHERE set_id = ?", (original.id,)
    )
    assert rows.fetchone()[0] == 0


def test_a_track_in_a_set_cannot_be_deleted(sets: SetStore, tracks: list[int]) -> None:
    sets.create(NAME, track_ids=tracks[:1])
    with pytest.raises(sqlite3.IntegrityError), sets.store.transaction() as connection:
        connection.execute("DELETE FROM tracks WHERE id = ?", (tracks[0],))
    assert order(sets) == tracks[:1]


def test_save_a_whole_set(sets: SetStore, tracks: list[int]) -> None:
    made = sets.create(NAME, track_ids=tracks[:2])
    edited = StoredSet(
        made.id, "Renommé", venue="Berghain", target_minutes=60,
        entries=(StoredEntry(7, tracks[4], "coupe"), StoredEntry(9, tracks[3])),
    )  # fmt: skip
    saved = sets.save(edited)
    assert [(e.position, e.track_id) for e in saved.entries] == [(1, tracks[4]), (2, tracks[3])]
    assert sets.get("renommé") == saved
    with pytest.raises(SetNotFoundError, match="no set with id 99"):
        sets.save(StoredSet(99, "x"))


def test_edit_fields(sets: SetStore) -> None:
    sets.create(NAME)
    sets.edit(NAME, venue="Ōsaka", date=dt.date(2025, 12, 31), target_minutes=120)
    got = sets.get(NAME)
    assert (got.venue, got.date, got.target_minutes) == ("Ōsaka", dt.date(2025, 12, 31), 120)
    sets.edit(NAME, date=None, target_minutes=None)
    assert sets.get(NAME).date is None and sets.get(NAME).target_minutes is None
    with pytest.raises(SetError, match="at least 1 minute"):
        sets.edit(NAME, target_minutes=0)


def test_summaries(sets: SetStore, store: Store) -> None:
    with_length = add_track(store, duration=300.0)
    without = add_track(store, duration=None)
    sets.create("B", track_ids=[with_length, without])
    sets.create("a")
    summary = {s.name: s for s in sets.summaries()}
    assert list(summary) == ["a", "B"]
    assert (summary["B"].tracks, summary["B"].seconds, summary["B"].unknown_durations) == (
        2, 300.0, 1,
    )  # fmt: skip
    assert summary["a"].tracks == 0 and summary["a"].plays == 0


def test_plays_outlive_edits_and_deletion(sets: SetStore, tracks: list[int]) -> None:
    sets.create(NAME, venue="De Melkweg", track_ids=tracks[:3])
    play = record_play(sets.store, NAME, dt.date(2025, 3, 1))
    assert (play.venue, play.tracks) == ("De Melkweg", 3)
    with pytest.raises(SetError, match="already recorded as played on 2025-03-01 at 'de melkweg'"):
        record_play(sets.store, NAME, dt.date(2025, 3, 1), venue="de melkweg")
    record_play(sets.store, NAME, dt.date(2025, 4, 1), venue="Tresor")
    assert [p.played_on for p in plays(sets.store, sets.get(NAME).id)] == [
        dt.date(2025, 3, 1), dt.date(2025, 4, 1),
    ]  # fmt: skip
    sets.remove(NAME, 1)
    sets.delete(NAME)
    rows = sets.store.connection().execute(
        "SELECT track_id, count(*) FROM track_plays GROUP BY track_id ORDER BY track_id"
    )
    assert rows.fetchall() == [(tracks[0], 2), (tracks[1], 2), (tracks[2], 2)]


def test_an_empty_set_cannot_be_played(sets: SetStore) -> None:
    sets.create(NAME)
    with pytest.raises(SetError, match="has no tracks"):
        record_play(sets.store, NAME, dt.date(2025, 1, 1))


@pytest.mark.parametrize("text", ["2025-13-01", "01/03/2025", "demain", ""])
def test_bad_dates(text: str) -> None:
    with pytest.raises(SetError, match=f"--date {text!r}: not a date; write it as YYYY-MM-DD"):
        parse_date(text, "--date")


def test_a_good_date() -> None:
    assert parse_date(" 2025-03-01 ") == dt.date(2025, 3, 1)
