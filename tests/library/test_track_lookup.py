"""TRACK arguments: an id, a path, or a query that matches exactly one track."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import add_track

from library.scanning import scan
from library.storage import Store
from library.track_lookup import AmbiguousTrackError, TrackNotFoundError, find_track


def test_by_id(store: Store) -> None:
    wanted = add_track(store, title="Perfecture")
    add_track(store, title="Autre")
    assert find_track(store, str(wanted)).title == "Perfecture"


def test_unknown_id(store: Store) -> None:
    with pytest.raises(TrackNotFoundError, match="no track with id 999"):
        find_track(store, "999")


def test_by_path_absolute_and_relative(
    store: Store, music: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan(store, [music], workers=1)
    assert find_track(store, str(music / "full.flac")).format == "flac"
    monkeypatch.chdir(music)
    assert find_track(store, "full.ogg").format == "ogg"


def test_a_file_outside_the_library_says_so(store: Store, music: Path) -> None:
    with pytest.raises(TrackNotFoundError, match="not in the library"):
        find_track(store, str(music / "full.flac"))


def test_by_query_matching_one(store: Store) -> None:
    add_track(store, title="Entrée", artist="Jëff Mills")
    add_track(store, title="Perfecture", artist="Jëff Mills")
    assert find_track(store, "mills perfecture").title == "Perfecture"


def test_ambiguous_query_lists_candidates(store: Store) -> None:
    ids = [add_track(store, title=f"Métropolis {n}") for n in range(3)]
    with pytest.raises(AmbiguousTrackError) as caught:
        find_track(store, "metropolis")
    message = str(caught.value)
    assert "matches 3 tracks" in message
    assert all(f"  {i}: " in message for i in ids)
    assert [t.id for t in caught.value.candidates] == sorted(ids)


def test_many_candidates_are_cut(store: Store) -> None:
    for n in range(14):
        add_track(store, title=f"Loop {n}")
    with pytest.raises(AmbiguousTrackError, match="and 4 more"):
        find_track(store, "loop")


def test_no_match_and_empty(store: Store) -> None:
    add_track(store)
    with pytest.raises(TrackNotFoundError, match="no track matches"):
        find_track(store, "nothing like this")
    with pytest.raises(TrackNotFoundError, match="no track given"):
        find_track(store, "  ")
