"""Tests for library.track_listing: ids in a query's order, and narrow rows fetched by id."""

from __future__ import annotations

import random
from array import array

import pytest
from factories import add_track

from library import track_listing
from library.query import compile_query, compile_sort
from library.storage import Store
from library.track_listing import ListingRow, listing_rows, matching_ids, narrowed_ids


def test_ids_follow_the_query_and_its_order(store: Store) -> None:
    slow = add_track(store, artist="Ängel", title="Lent", bpm=100.0)
    fast = add_track(store, artist="Zoë", title="Vite", bpm=140.0)
    other = add_track(store, artist="Björk", title="Jóga", bpm=120.0, label="One Little Índian")
    compiled = compile_query("label:axis")
    by_bpm = matching_ids(store, compiled.where, compiled.params, compile_sort("-bpm"))
    assert list(by_bpm) == [fast, slow]
    everything = matching_ids(store, order_by=compile_sort("artist"))
    assert list(everything) == [slow, other, fast]


def test_a_limit_gives_the_first_ids_of_the_same_order(store: Store) -> None:
    made = [add_track(store, artist=f"Ärtist {n:02d}") for n in range(30)]
    order = compile_sort("-artist")
    assert list(matching_ids(store, order_by=order, limit=5)) == made[::-1][:5]
    assert list(matching_ids(store, order_by=order)) == made[::-1]


def test_rows_come_back_by_id_with_moods_and_missing(store: Store) -> None:
    first = add_track(store, moods=["Sombre", "chaleureux", "bad;mood"], key="8A - 6")
    second = add_track(store, title=None, artist=None, bpm=None, duration=None, moods=[])
    store.mark_missing([store.tracks("id = ?", [second])[0].path.encode()])
    rows = listing_rows(store, [second, first, first, 999_999])
    assert set(rows) == {first, second}
    assert rows[first] == ListingRow(
        id=first,
        artist="Jëff Mills",
        title="Entrée à Métropolis",
        label="Axis Récords",
        catalog_number="AX-022",
        bpm=128.0,
        camelot="8A",
        moods=("chaleureux", "sombre"),  # as the notes of an unnoted track hold them
        duration=185.0,
        missing=False,
        energy=None,
        roles=(),
    )
    assert (rows[second].title, rows[second].bpm, rows[second].missing) == (None, None, True)


def test_a_noted_track_shows_its_notes_energy_roles_and_moods(store: Store) -> None:
    from library.notes import store as notes_store
    from library.notes.model import TrackNotes

    noted = add_track(store, moods=["chaleureux"])
    plain = add_track(store, moods=["hanté"])
    notes = TrackNotes(moods=["nuit tardive"], energy=7, roles=["closer", "opener"])
    notes_store.save(store, noted, notes)
    rows = listing_rows(store, [noted, plain])
    assert (rows[noted].moods, rows[noted].energy, rows[noted].roles) == (
        ("nuit tardive",),
        7,
        ("opener", "closer"),
    )
    assert (rows[plain].moods, rows[plain].energy, rows[plain].roles) == (("hanté",), None, ())
    notes_store.save(store, noted, TrackNotes())  # noted, then cleared: no tag moods come back
    assert listing_rows(store, [noted])[noted].moods == ()


def test_many_ids_are_fetched_in_several_statements(store: Store) -> None:
    made = [add_track(store, title=f"Pièce {n}") for n in range(1_203)]
    rows = listing_rows(store, made)
    assert len(rows) == len(made)
    assert rows[made[-1]].title == "Pièce 1202"


@pytest.mark.parametrize("sort", ["artist", "-title", "bpm", "-key", "label", "duration"])
def test_ids_keep_the_order_of_a_plain_select(store: Store, sort: str) -> None:
    """The ids come through an aggregate over an ordered subquery: the order must survive."""
    rng = random.Random(sort)
    for number in range(300):
        add_track(
            store,
            artist=rng.choice(["Ängel", "Björk", "", "Zoë", None]),
            title=f"Pièce {rng.randint(0, 40)}",
            bpm=rng.choice([None, 120.0, 126.5, 128.0]),
            key=rng.choice(["Am", "8A", "C", None]),
            label=rng.choice(["Axis Récords", None, "Tresor"]),
            duration=rng.choice([None, 300.0, 185.5]),
            catalog_number=f"AX-{number:03d}",
        )
    compiled = compile_query("-label:tresor")
    order = compile_sort(sort)
    plain = [t.id for t in store.tracks(compiled.where, compiled.params, order)]
    assert list(matching_ids(store, compiled.where, compiled.params, order)) == plain
    assert list(matching_ids(store, compiled.where, compiled.params, order, 50)) == plain[:50]


def test_narrowed_ids_are_the_first_matches_among_the_candidates(store: Store) -> None:
    for number in range(1_200):
        add_track(store, artist=f"Ärtiste {number:04d}", title=f"Pièce {number % 7}")
    order = compile_sort("-artist")
    wide = compile_query("pièce")
    narrow = compile_query("pièce 3")
    candidates = matching_ids(store, wide.where, wide.params, order)
    expected = list(matching_ids(store, narrow.where, narrow.params, order))
    found = narrowed_ids(store, candidates, narrow.probe, narrow.probe_params, 120)
    assert found is not None and list(found) == expected[:120]
    few = narrowed_ids(store, candidates, narrow.probe, narrow.probe_params, 10_000)
    assert few is not None and list(few) == expected  # all of them: fewer than asked


def test_narrowing_gives_up_past_its_budget(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    made = [add_track(store, title=f"Pièce {number}") for number in range(2_000)]
    monkeypatch.setattr(track_listing, "NARROW_BUDGET", 1_000)
    rare = compile_query("pièce 1999")
    assert narrowed_ids(store, made, rare.probe, rare.probe_params, 5) is None
    last = narrowed_ids(store, made[-600:], rare.probe, rare.probe_params, 5)
    assert last == array("q", [made[-1]])


def test_narrowing_gives_up_early_when_matches_are_too_sparse(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A screenful of 120 within a budget of 2,000 needs one match in 17 or so; 19 in the
    first 1,000 say it will not come, so the search box asks SQLite at once instead."""
    made = [add_track(store, title=f"Pièce {number}") for number in range(3_000)]
    monkeypatch.setattr(track_listing, "NARROW_BUDGET", 2_000)
    monkeypatch.setattr(track_listing, "NARROW_SAMPLE", 1_000)
    sparse = compile_query("pièce 99")  # 99, 199 ... 899, 990 ... 999: 19 in the first 1,000
    checked: list[int] = []
    connection = store.connection()
    connection.set_trace_callback(lambda sql: checked.extend([1] * ("json_each" in sql)))
    assert narrowed_ids(store, made, sparse.probe, sparse.probe_params, 120) is None
    connection.set_trace_callback(None)
    assert len(checked) == 2  # two chunks of 500, not four
    dense = compile_query("pièce")
    found = narrowed_ids(store, made, dense.probe, dense.probe_params, 120)
    assert found == array("q", made[:120])
