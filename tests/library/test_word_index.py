"""Tests for the word index of the search (migration step 8) and the two spellings of a
query: `where` searches the library through the index, `probe` checks listed tracks by id.

Both must select the same tracks, and the index must follow every write: a search box that
drew one answer and confirmed another would change its results under the DJ's eyes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import add_track
from hypothesis import given, settings
from hypothesis import strategies as st

from library import scanning
from library.errors import QueryError
from library.query import compile_query
from library.scanning import scan
from library.storage import Store


def ids(store: Store, text: str) -> set[int]:
    compiled = compile_query(text)
    return {track.id for track in store.tracks(compiled.where, compiled.params)}


SPELLED_TEXTS = [
    ("Jëff Mills", "The Bells", 'Say "Yes"', "dark"),
    ("Ellen Allien", "Nacht 100%", "Ostgut Tön", "hanté"),
    ("Robert Hood", "Minimal_Nation", "M-Plant", ""),
    ("Çağrı", "Orbit \\ Drift", "Tresor", "warm"),
]


@pytest.fixture(scope="module")
def spelled_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Tracks with words worth looking for: quotes, wildcards, diacritics; some noted (the
    notes' words and moods), some not (their tags' moods)."""
    from library.notes import store as notes_store
    from library.notes.model import Cue, TrackNotes

    store = Store(tmp_path_factory.mktemp("spelled") / "library.db")
    for number, (artist, title, label, mood) in enumerate(SPELLED_TEXTS):
        track = add_track(store, artist=artist, title=title, label=label, moods=[mood] * bool(mood))
        if number % 2:
            notes = TrackNotes(
                moods=["peak"], text=f"closer after {title}", cues=[Cue(at=1, text="drop")]
            )
            notes_store.save(store, track, notes)
    yield store
    store.close()


SPELLED_WORDS = st.lists(
    st.one_of(
        st.sampled_from([w for row in SPELLED_TEXTS for w in " ".join(row).split()]),
        st.sampled_from(["mills", "ëff", "ach", "100%", "_nat", '"yes"', "peak", "drop", "ant"]),
        st.text(st.characters(exclude_categories=()), max_size=6),
    ).map(lambda word: f"-{word}" if word.startswith("x") else word),
    min_size=1,
    max_size=3,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=SPELLED_WORDS)
def test_both_spellings_select_the_same_tracks(spelled_store: Store, text: str) -> None:
    """The search box finds a first screenful by `probe` and confirms it by `where`: if they
    disagreed, results would change under the DJ's eyes, or a match never show."""
    try:
        compiled = compile_query(text)
    except QueryError:
        return
    assert compiled.probe.count("?") == len(compiled.probe_params)
    by_index = {t.id for t in spelled_store.tracks(compiled.where, compiled.params)}
    by_rows = {t.id for t in spelled_store.tracks(compiled.probe, compiled.probe_params)}
    assert by_index == by_rows, text


def test_word_indexes_follow_every_write(store: Store) -> None:
    """A rescan that changes a title, and notes saved, changed and emptied, are found (or no
    longer found) at once: the indexes are kept by triggers in the same transaction."""
    from library.notes import store as notes_store
    from library.notes.model import TrackNotes

    track = add_track(store, title="Kinetic", path=b"/musique/kinetic.flac")
    assert ids(store, "kinetic") == {track}
    add_track(store, title="Stahlwerk", path=b"/musique/kinetic.flac")  # rescanned, retitled
    assert ids(store, "kinetic") == set()
    assert ids(store, "stahl") == {track}
    notes_store.save(store, track, TrackNotes(text="long breakdown"))
    assert ids(store, "breakdown") == {track}
    notes_store.save(store, track, TrackNotes(text="short intro"))
    assert ids(store, "breakdown") == set()
    assert ids(store, "intro") == {track}
    stale = store.connection().execute("SELECT count(*) FROM track_words_stale").fetchone()
    assert stale == (0,)  # every commit left the index whole


def test_a_noted_track_is_found_by_its_notes_moods_and_unnoted_by_its_tags(store: Store) -> None:
    """The word index holds a track's tag moods only while nobody noted it, as the query
    language reads moods; removing the notes brings the tags' moods back."""
    from library.notes import store as notes_store
    from library.notes.model import TrackNotes

    track = add_track(store, moods=["Hypnotic"])
    assert ids(store, "hypnotic") == {track}
    notes_store.save(store, track, TrackNotes(moods=["driving"]))
    assert ids(store, "hypnotic") == set()
    assert ids(store, "driving") == {track}
    with store.transaction() as connection:
        connection.execute("DELETE FROM track_notes WHERE track_id = ?", (track,))
    assert ids(store, "hypnotic") == {track}
    assert ids(store, "driving") == set()


def segments(store: Store) -> int:
    """How many pieces the word index is in (FTS5's segments)."""
    row = store.connection().execute("SELECT count(DISTINCT segid) FROM track_words_idx")
    return int(row.fetchone()[0])


def test_a_scan_that_writes_many_tracks_tidies_the_word_index(
    store: Store, music: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each write transaction adds a piece to the index; a big scan merges them at its end,
    and what a search finds is the same before and after."""
    for number in range(3):
        add_track(store, title=f"Kinetic {number}")
    assert segments(store) >= 3
    found = ids(store, "kinetic")
    store.tidy_word_index()
    assert segments(store) == 1
    assert ids(store, "kinetic") == found
    add_track(store, title="Kinetic 3")
    assert segments(store) == 2
    monkeypatch.setattr(scanning, "TIDY_AFTER", 1)
    scan(store, [music], workers=1)
    assert segments(store) == 1
    assert len(ids(store, "kinetic")) == 4


def test_the_word_index_is_built_from_an_older_library(tmp_path: Path) -> None:
    """Migration step 8 fills the index from the tracks and notes already there."""
    from library.notes import store as notes_store
    from library.notes.model import TrackNotes

    path = tmp_path / "library.db"
    store = Store(path)
    plain = add_track(store, title="Kinetic Drift", moods=["warm"])
    noted = add_track(store, title="Signal")
    notes_store.save(store, noted, TrackNotes(text="use it to close a set"))
    connection = store.connection()  # back to what step 7 left, in autocommit
    for (trigger,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'track_words%'"
    ).fetchall():
        connection.execute(f"DROP TRIGGER {trigger}")
    connection.execute("DROP TABLE track_words")
    connection.execute("DROP TABLE track_words_stale")
    connection.execute("PRAGMA user_version = 7")
    store.close()
    store = Store(path)
    try:
        assert ids(store, "kinetic") == {plain}
        assert ids(store, "warm") == {plain}
        assert ids(store, "close a set") == {noted}
        assert ids(store, "signal") == {noted}
    finally:
        store.close()
