"""Tests for play history: tracks' play counts and last plays, and the query language's
`played:`, `venue:` and `set:` with `--sort played`. Real library; SQLite does the matching."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from factories import add_track, invoke

from library.errors import QueryError
from library.query import compile_query, compile_sort
from library.set_plays import record_play
from library.set_store import SetStore
from library.storage import Store


def ids(store: Store, text: str, sort: str | None = None) -> list[int]:
    compiled = compile_query(text)
    return [t.id for t in store.tracks(compiled.where, compiled.params, compile_sort(sort))]


@pytest.fixture
def history(store: Store) -> dict[str, int]:
    """`twice`: played at De Melkweg and at Trésor; `once`: at Trésor; `planned`: in the set
    Nuit, never played; `never`: in no set."""
    found = {name: add_track(store, title=f"Titre {name}") for name in
             ("twice", "once", "planned", "never")}  # fmt: skip
    sets = SetStore(store)
    sets.create("Soirée", venue="De Melkweg", track_ids=[found["twice"]])
    record_play(store, "Soirée", dt.date(2025, 3, 1))
    sets.create("Matin", track_ids=[found["once"], found["twice"]])
    record_play(store, "matin", dt.date(2025, 4, 2), venue="Trésor")
    sets.create("Nuit [=1]", track_ids=[found["planned"], found["once"]])
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("played:>=1", {"twice", "once"}),
        ("played:0", {"planned", "never"}),
        ("played:2", {"twice"}),
        ("played:1..2", {"twice", "once"}),
        ("played:<2", {"once", "planned", "never"}),
        ('venue:"de melkweg"', {"twice"}),
        ("venue:MELKWEG", {"twice"}),
        ("venue:tresor", {"twice", "once"}),  # folded: Trésor
        ("-venue:tresor", {"planned", "never"}),
        ('set:"nuit [=1]"', {"planned", "once"}),
        ('set:"NUIT [=1]"', {"planned", "once"}),
        ("set:nuit", set()),  # the whole name
        ("-set:matin", {"planned", "never"}),
    ],
)
def test_history_fields(
    store: Store, history: dict[str, int], text: str, expected: set[str]
) -> None:
    assert set(ids(store, text)) == {history[name] for name in expected}


def test_played_needs_a_number(store: Store) -> None:
    with pytest.raises(QueryError, match="played:often: expected a number"):
        compile_query("played:often")


def test_sort_by_plays(store: Store, history: dict[str, int]) -> None:
    everything = ids(store, "", "-played")
    assert everything[:2] == [history["twice"], history["once"]]
    assert ids(store, "played:>=1", "played") == [history["once"], history["twice"]]
    assert ids(store, "", "-last_played")[:2] == [history["twice"], history["once"]]


def test_tracks_carry_their_plays(store: Store, history: dict[str, int]) -> None:
    tracks = {t.id: t for t in store.tracks()}
    assert (tracks[history["twice"]].play_count, tracks[history["twice"]].last_played) == (
        2, dt.date(2025, 4, 2),
    )  # fmt: skip
    assert (tracks[history["never"]].play_count, tracks[history["never"]].last_played) == (0, None)


def test_plays_survive_the_set(store: Store, history: dict[str, int]) -> None:
    sets = SetStore(store)
    sets.remove("Matin", 1)
    sets.delete("Soirée")
    sets.rename("Matin", "Autre")
    assert set(ids(store, "played:>=1")) == {history["twice"], history["once"]}
    assert ids(store, "played:2") == [history["twice"]]
    assert ids(store, 'venue:"de melkweg"') == [history["twice"]]


def test_cli(db: Path) -> None:
    store = Store(db)
    try:
        track = add_track(store)
        other = add_track(store, title="Autre")
        SetStore(store).create("Nuit", venue="De Melkweg", track_ids=[track])
    finally:
        store.close()
    assert invoke(db, "sets", "played", "Nuit", "--date", "2025-03-01").exit_code == 0
    listed = {t["id"]: t for t in json.loads(invoke(db, "tracks", "--json").stdout)}
    assert (listed[track]["play_count"], listed[track]["last_played"]) == (1, "2025-03-01")
    assert (listed[other]["play_count"], listed[other]["last_played"]) == (0, None)
    found = json.loads(invoke(db, "tracks", "venue:de melkweg", "--json").stdout)
    assert [t["id"] for t in found] == [track]
    found = json.loads(invoke(db, "tracks", "played:0", "--sort", "-played", "--json").stdout)
    assert [t["id"] for t in found] == [other]
