"""Tests for the query language over track notes: mood, role, colour, energy, rating, has,
notes, and free words reaching into the notes. Real library; SQLite does the matching."""

from __future__ import annotations

import pytest
from factories import add_track

from library.errors import QueryError
from library.notes import store as notes_store
from library.notes.model import Cue, TrackNotes
from library.query import compile_query, compile_sort
from library.storage import Store


def ids(store: Store, text: str) -> set[int]:
    compiled = compile_query(text)
    return {track.id for track in store.tracks(compiled.where, compiled.params)}


@pytest.fixture
def noted(store: Store) -> dict[str, int]:
    """Four tracks: a closer, a peak-time track, one with a cue only, one without notes."""
    tracks = {
        "closer": TrackNotes(
            moods=["hanté", "late night"], energy=4, roles=["closer"], rating=5, colour="purple",
            closing_note="Après 5h, vers le silence", text="Ødegaard l'a joué à Tresor",
            cues=[Cue(at=65, text="les cloches")],
        ),
        "peak": TrackNotes(moods=["euphoric"], energy=9, roles=["peak", "builder"], rating=3,
                           colour="red", text="100% banger_"),
        "cue": TrackNotes(cues=[Cue(at=10, text="break")]),
    }  # fmt: skip
    found = {}
    for name, notes in tracks.items():
        found[name] = add_track(store, title=f"Titre {name}")
        notes_store.save(store, found[name], notes)
    found["bare"] = add_track(store, title="Titre nu")
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mood:hanté", {"closer"}),
        ("mood:HANTE", {"closer"}),  # folded like every search
        ('mood:"late night"', {"closer"}),
        ("mood:late", set()),  # a mood is matched whole
        ("-mood:hanté", {"peak", "cue", "bare"}),
        ("role:closer", {"closer"}),
        ("role:builder", {"peak"}),
        ("role:warmup", set()),
        ("colour:red", {"peak"}),
        ("color:purple", {"closer"}),
        ("energy:>=7", {"peak"}),
        ("energy:4..9", {"closer", "peak"}),
        ("energy:4", {"closer"}),
        ("rating:>=4", {"closer"}),
        ("rating:<4", {"peak"}),
        ("has:notes", {"closer", "peak", "cue"}),
        ("has:cues", {"closer", "cue"}),
        ("-has:notes", {"bare"}),
        ("has:energy", {"closer", "peak"}),
        ("has:text", {"closer", "peak"}),
        ("notes:silence", {"closer"}),
        ("notes:odegaard", {"closer"}),
        ("notes:cloches", set()),  # notes: is the closing note and the free text only
        ("cloches", {"closer"}),  # free words reach cue texts
        ("euphoric", {"peak"}),  # and moods
        ("closer", {"closer"}),  # and roles
        ("titre silence", {"closer"}),  # one word in the tags, one in the notes
        ('"100%"', {"peak"}),
        ("banger_", {"peak"}),
        ("100_", set()),  # LIKE wildcards are literal
        ("-silence", {"peak", "cue", "bare"}),
    ],
)
def test_note_fields(store: Store, noted: dict[str, int], text: str, expected: set[str]) -> None:
    assert ids(store, text) == {noted[name] for name in expected}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("role:closing", "not a role"),
        ("colour:beige", "not in the palette"),
        ("colour:none", "-has:colour"),
        ("has:everything", "has: one of notes, cues"),
        ("energy:high", "expected a number"),
        ("mood:a;b", "';'"),
    ],
)
def test_bad_note_terms_say_why(text: str, fragment: str) -> None:
    with pytest.raises(QueryError, match=fragment) as caught:
        compile_query(text)
    assert str(caught.value).startswith(text)


def test_sorting_by_energy_and_rating(store: Store, noted: dict[str, int]) -> None:
    order = [t.id for t in store.tracks(order_by=compile_sort("-energy"))]
    assert order[:2] == [noted["peak"], noted["closer"]]  # tracks without energy come last
    order = [t.id for t in store.tracks(order_by=compile_sort("rating"))]
    assert order[:2] == [noted["peak"], noted["closer"]]


def test_hostile_note_values_travel_as_parameters(store: Store) -> None:
    track = add_track(store)
    notes_store.save(store, track, TrackNotes(text="'); DROP TABLE track_notes; --"))
    assert ids(store, 'notes:"\'); DROP TABLE track_notes; --"') == {track}
    assert ids(store, "has:notes") == {track}


def test_a_track_nobody_noted_is_found_by_the_moods_of_its_tags(store: Store) -> None:
    tagged = add_track(store, title="Tagué", moods=["Hanté", "Sombre"])
    noted = add_track(store, title="Noté", moods=["Hanté"])
    notes_store.save(store, noted, TrackNotes(text="sans mood"))  # its notes: no mood
    assert ids(store, "mood:hanté") == {tagged}
    assert ids(store, "mood:sombre") == {tagged}
    assert ids(store, "sombre") == {tagged}  # free words reach the tags' moods too
    assert ids(store, "has:moods") == {tagged}
    assert ids(store, "has:notes") == {tagged, noted}
