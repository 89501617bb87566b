"""Tests for next-track suggestions: what the SQL narrowing keeps and leaves out, the ranking
and its reasons, the energy direction from the target, openers for an empty set. A real
library with hand-made tracks and notes."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from factories import add_track, invoke

from library.notes import store as notes_store
from library.notes.model import TrackNotes
from library.set_store import SetError, SetStore
from library.storage import Store
from setlist.analysis import PlannedTrack
from setlist.sets import load
from setlist.suggestions import (
    Place,
    Suggestion,
    mixing_keys,
    phase,
    rank,
    suggest,
    tempo_windows,
    weigh,
)

SET = "Nuit [à Tresor]"


def noted(
    store: Store,
    key: str | None,
    bpm: float | None,
    energy: int | None = None,
    moods: tuple[str, ...] = (),
    *,
    roles: tuple[str, ...] = (),
    **tags: object,
) -> int:
    track = add_track(store, key=key, bpm=bpm, **tags)
    if energy is not None or moods or roles:
        notes = TrackNotes(energy=energy, moods=list(moods), roles=list(roles))
        notes_store.save(store, track, notes)
    return track


def mark_missing(store: Store, track: int) -> None:
    path = next(p for p, known in store.known_files().items() if known.id == track)
    store.mark_missing([path])


@pytest.fixture
def library(store: Store) -> dict[str, int]:
    """A set holding one track (8A, 128 BPM, energy 5, haunting), and candidates around it."""
    ids = {
        "first": noted(store, "8A", 128.0, 5, ("haunting",), title="Début"),
        "best": noted(store, "9A", 130.0, 6, ("haunting", "late night"), title="Meilleur"),
        "same": noted(store, "8A", 128.0, 5, title="Pareil"),
        "half": noted(store, "Am", 64.5, 5, title="Demi"),
        "relative": noted(store, "8B", 127.0, 4, title="Relatif"),
        "clash": noted(store, "3B", 128.0, 6, ("haunting",), title="Faux"),
        "fast": noted(store, "9A", 150.0, 6, title="Rapide"),
        "nokey": noted(store, None, 128.0, 6, title="Sans clé"),
        "gone": noted(store, "9A", 128.0, 6, title="Disparu"),
    }
    mark_missing(store, ids["gone"])
    SetStore(store).create(SET, track_ids=[ids["first"]])
    return ids


def titles(suggestions: list[Suggestion]) -> list[str]:
    return [s.track.title or "" for s in suggestions]


def test_the_narrow_query_keeps_mixable_keys_and_tempos(
    store: Store, library: dict[str, int]
) -> None:
    found = suggest(store, load(store, SET), limit=4)
    assert titles(found) == ["Meilleur", "Pareil", "Demi", "Relatif"]
    best = found[0]
    assert best.reasons == (
        "8A → 9A", "+1.6% BPM", "energy 5 → 6, building", "shares 'haunting'",
    )  # fmt: skip
    assert found[2].reasons[:2] == ("8A → 8A", "+0.8% BPM at half time")
    assert found[3].reasons[0] == "8A → 8B (relative)"
    assert best.into is not None and best.into.verdict == "good" and best.onward is None
    assert 0 < found[-1].score < best.score <= 100


def test_too_few_widens_to_any_key_then_anything(store: Store, library: dict[str, int]) -> None:
    found = suggest(store, load(store, SET), limit=20)
    # Clashing and unknown keys come after, the tempo jump last; a missing file never.
    assert titles(found)[:4] == ["Meilleur", "Pareil", "Demi", "Relatif"]
    assert set(titles(found)[4:]) == {"Faux", "Sans clé", "Rapide"}
    assert titles(found)[-1] == "Rapide"
    clash = next(s for s in found if s.track.title == "Faux")
    assert clash.reasons[0] == "8A → 3B (clash)"


def test_tracks_in_the_set_only_with_repeats(store: Store, library: dict[str, int]) -> None:
    sets = SetStore(store)
    sets.add(SET, [library["best"], library["same"]], at=1)
    found = suggest(store, load(store, SET), after=1, limit=20)
    assert not {"Début", "Meilleur", "Pareil"} & set(titles(found))
    sets.edit(SET, allow_repeat=True)
    found = suggest(store, load(store, SET), after=1, limit=20)
    # Repeats allowed: the set's other tracks are back, but never the neighbours themselves.
    assert "Début" in titles(found)
    assert not {"Meilleur", "Pareil"} & set(titles(found))


def test_between_two_tracks_both_count(store: Store, library: dict[str, int]) -> None:
    closing = noted(store, "10A", 132.0, 7, title="Suite")
    SetStore(store).add(SET, [closing])
    found = suggest(store, load(store, SET), after=1, limit=1)
    assert titles(found) == ["Meilleur"]  # 8A → 9A → 10A, 128 → 130 → 132, 5 → 6 → 7
    assert found[0].reasons == (
        "8A → 9A", "+1.6% BPM", "then 9A → 10A", "+1.5% BPM", "energy 5 → 6, on the way to 7",
        "shares 'haunting'",
    )  # fmt: skip
    assert found[0].onward is not None and found[0].onward.position == 3


def test_an_empty_set_gets_openers(store: Store) -> None:
    noted(store, "5A", 120.0, 8, roles=("peak",), title="Pic")
    noted(store, "6A", 118.0, 3, title="Calme")
    noted(store, "7A", 122.0, 6, roles=("opener",), title="Ouverture")
    SetStore(store).create("Vide", target_minutes=60)
    found = suggest(store, load(store, "Vide"), limit=2)
    assert titles(found) == ["Ouverture", "Calme"]  # "Pic" is not even read: not an opener
    assert found[0].reasons == ("an opener fits here",)


@pytest.mark.parametrize(
    ("progress", "name", "direction"),
    [(0.0, "opening", 1), (0.3, "building toward the peak", 1), (0.7, "at the peak", 0),
     (0.9, "closing", -1), (1.2, "past the target", -1)],
)  # fmt: skip
def test_phases(progress: float, name: str, direction: int) -> None:
    assert phase(progress)[:2] == (name, direction)


def planned(n: int, energy: int | None, roles: tuple[str, ...] = ()) -> PlannedTrack:
    return PlannedTrack(n, "Ōta", f"n°{n}", 128.0, "8A", energy, roles, (), 300.0)


def test_energy_falls_toward_the_closer_at_the_end() -> None:
    previous = planned(1, 8)
    candidates = [planned(2, 9, ("peak",)), planned(3, 7, ("closer",)), planned(4, 8)]
    near_end = Place(previous, None, progress=0.92, position=10)
    assert [s.track.track_id for s in rank(candidates, near_end, 3)] == [3, 4, 2]
    assert rank(candidates, near_end, 1)[0].reasons[-2:] == (
        "energy 8 → 7, closing", "a closer fits here",
    )  # fmt: skip
    early = Place(previous, None, progress=0.3, position=3)
    assert rank(candidates, early, 1)[0].track.track_id == 2  # rising: 8 → 9


def test_without_a_target_the_set_builds_then_holds() -> None:
    candidates = [planned(2, 6), planned(3, 7), planned(4, 9)]
    assert rank(candidates, Place(planned(1, 6), None), 1)[0].track.track_id == 3  # +1
    assert rank(candidates, Place(planned(1, 9), None), 1)[0].track.track_id == 4  # hold


def test_weigh_with_nothing_known() -> None:
    bare = PlannedTrack(5)
    result = weigh(bare, Place(PlannedTrack(1), None))
    assert result.reasons == () and 0 < result.score < 50


def test_mixing_keys_and_tempo_windows() -> None:
    from library.keys import Camelot

    assert mixing_keys(Camelot(8, "A")) == sorted(["8A", "9A", "7A", "8B", "9B", "7B", "10A", "3A"])
    # Before a track in 8A: the keys from which 8A is a good or named move.
    assert mixing_keys(Camelot(8, "A"), after=False) == sorted(
        ["8A", "9A", "7A", "8B", "9B", "7B", "6A", "1A"]
    )
    low, high = tempo_windows(100.0)[1]
    assert low == pytest.approx(94.0, abs=0.02) and high == pytest.approx(106.0, abs=0.02)
    assert tempo_windows(100.0)[0][0] == pytest.approx(47.0, abs=0.01)


def test_after_outside_the_set(store: Store, library: dict[str, int]) -> None:
    with pytest.raises(SetError, match=r"--after 2: .* has positions 1 to 1 \(0: before"):
        suggest(store, load(store, SET), after=2)
    SetStore(store).create("Vide")
    with pytest.raises(SetError, match=r"is empty \(only --after 0\)"):
        suggest(store, load(store, "Vide"), after=1)


def test_cli(db: Path) -> None:
    store = Store(db)
    try:
        first = noted(store, "8A", 128.0, 5, ("haunting",), title="Début")
        best = noted(store, "9A", 130.7, 6, ("haunting",), title="Suivant")
        SetStore(store).create(SET, track_ids=[first])
    finally:
        store.close()
    data = json.loads(invoke(db, "sets", "suggest", SET, "--json").stdout)
    assert (data["set"], data["after"]) == (SET, 1)
    (only,) = data["suggestions"]
    assert only["track_id"] == best
    assert only["reasons"] == ["8A → 9A", "+2.1% BPM", "energy 5 → 6, building",
                               "shares 'haunting'"]  # fmt: skip
    assert only["transition"]["key"]["relation"] == "+1"
    lines = invoke(db, "sets", "suggest", SET).stdout.splitlines()
    assert lines[0] == f"Suggestions for '{SET}' after #1:"
    assert lines[2].split()[:4] == ["1", str(best), f"{only['score']:.1f}", "Jëff"]
    assert lines[3].strip() == "8A → 9A, +2.1% BPM, energy 5 → 6, building, shares 'haunting'"


# -- reading best bound first: the bound holds, and the result is what ranking all gives ------

MOODS = ("hanté", "hante", "dark", "late night", "warm")
ROLE_NAMES = ("opener", "warm-up", "builder", "peak", "breakdown", "closer", "encore")


def random_library(store: Store, count: int, seed: int) -> None:
    from library.keys import Camelot

    rng = random.Random(seed)
    keys = [str(Camelot(n, letter)) for n in range(1, 13) for letter in "AB"]
    for n in range(count):
        track = add_track(
            store,
            title=f"n°{n}",
            key=rng.choice([*keys, None]),
            bpm=rng.choice([None, round(rng.uniform(60, 180), 1)]),
            moods=rng.sample(MOODS, rng.randint(0, 2)),  # tag moods, for tracks left unnoted
        )
        if rng.random() < 0.6:
            notes = TrackNotes(
                energy=rng.choice([None, *range(1, 11)]),
                moods=rng.sample(MOODS, rng.randint(0, 3)),
                roles=rng.sample(ROLE_NAMES, rng.randint(0, 2)),
            )
            notes_store.save(store, track, notes)


def random_place(rng: random.Random) -> Place:
    from library.keys import Camelot

    def neighbour(n: int) -> PlannedTrack | None:
        if rng.random() < 0.2:
            return None
        key = rng.choice([None, str(Camelot(rng.randint(1, 12), rng.choice("AB")))])
        return PlannedTrack(
            -n, bpm=rng.choice([None, rng.uniform(60, 180)]), camelot=key,
            energy=rng.choice([None, *range(1, 11)]),
            moods=tuple(rng.sample(MOODS, rng.randint(0, 3))),
        )  # fmt: skip

    return Place(neighbour(1), neighbour(2), rng.choice([None, rng.uniform(0, 1.3)]), 2)


def test_the_bound_is_never_below_the_score(store: Store) -> None:
    from library.set_candidates import candidates
    from setlist.suggestions import from_candidate, score_bound

    random_library(store, 150, seed=1)
    rng = random.Random(2)
    for _ in range(60):
        place = random_place(rng)
        for row in candidates(store, bound=score_bound(place)):
            assert row.bound is not None
            score = weigh(from_candidate(row), place).exact
            assert 100 * row.bound >= score - 1e-9, (place, row)


@pytest.mark.parametrize("seed", range(6))
def test_reading_in_chunks_gives_what_ranking_every_candidate_gives(
    store: Store, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    from library.set_candidates import candidates
    from setlist import suggestions as suggestions_module
    from setlist.suggestions import from_candidate, mixing_keys, place_in, tempo_windows

    random_library(store, 250, seed=seed)
    rng = random.Random(seed)
    picked = rng.sample(range(1, 251), 6)
    SetStore(store).create("Hasard", target_minutes=rng.choice([None, 30]), track_ids=picked)
    setlist = load(store, "Hasard")
    monkeypatch.setattr(suggestions_module, "READ_CHUNK", 7)
    after = rng.randint(0, 6)
    place = place_in(store, setlist, after)
    anchor = place.previous or place.following
    assert anchor is not None
    narrow = candidates(
        store,
        keys=mixing_keys(anchor.key, after=place.previous is not None) if anchor.key else None,
        bpm_ranges=tempo_windows(anchor.bpm) if anchor.bpm else None,
        exclude_set=setlist.id,
    )
    # Every seed here gives enough for the narrow query alone: the test compares chunked
    # reading with ranking all of it, not the widening to other tiers.
    assert len(narrow) >= 5, f"seed {seed}: too few in the narrow query to compare"
    expected = rank([from_candidate(row) for row in narrow], place, 5)
    found = suggest(store, setlist, after=after, limit=5)
    assert [s.track.track_id for s in found] == [s.track.track_id for s in expected]
