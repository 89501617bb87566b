"""Releases in a real SQLite library: exact round trips, updates instead of copies, merges
that keep what an import does not carry, links and their manual flag."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import RELEASES
from factories import add_track

from library.errors import ReleaseNotFoundError, SetlistError
from library.releases.detect import read_releases
from library.releases.model import Release
from library.releases.store import Link, ReleaseStore, identity
from library.storage import Store


def fixture(name: str) -> list[Release]:
    return read_releases(name, (RELEASES / name).read_bytes())


def counts(store: Store) -> tuple[int, int, int]:
    connection = store.connection()
    return tuple(
        connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("releases", "release_labels", "release_tracks")
    )


def test_round_trip_keeps_every_value_exactly(store: Store) -> None:
    releases = ReleaseStore(store)
    (imported,) = fixture("page-full.txt")
    (saved,) = releases.save([imported])
    assert saved.added
    stored = releases.get(saved.release.id or 0)
    assert stored == imported.model_copy(update={"id": stored.id})
    assert "A̶" in stored.identifiers[1].value
    # The stored JSON is text, not \\u escapes: readable with any SQLite tool.
    raw = store.connection().execute("SELECT identifiers FROM releases").fetchone()[0]
    assert "NLR-007-A\u0336" in raw


def test_hostile_values_round_trip(store: Store) -> None:
    releases = ReleaseStore(store)
    (imported,) = fixture("page-hostile.txt")
    (saved,) = releases.save([imported])
    assert releases.get(saved.release.id or 0).model_dump(exclude={"id"}) == imported.model_dump(
        exclude={"id"}
    )


def test_importing_again_updates_instead_of_copying(store: Store) -> None:
    releases = ReleaseStore(store)
    first = releases.save(fixture("page-full.txt"))[0].release
    again = releases.save(fixture("page-full.txt"))
    assert [(s.release.id, s.added) for s in again] == [(first.id, False)]
    assert counts(store) == (1, 1, 6)


def test_page_identity_is_label_catno_and_title_loosely_written(store: Store) -> None:
    releases = ReleaseStore(store)
    text = "Jeff Mills – Metropolis\nAxis – AX-022\n"
    other_spelling = "Jeff Mills – METROPOLIS\nAxis Records – ax 022\n"
    releases.save(read_releases("a.txt", text.encode()))
    (saved,) = releases.save(read_releases("b.txt", other_spelling.encode()))
    assert not saved.added
    assert saved.release.title == "METROPOLIS"  # the newer import's spelling
    decoy = "Jeff Mills – Metropolis Metropolis\nTresor – TRESOR 303\n"
    assert releases.save(read_releases("c.txt", decoy.encode()))[0].added


def test_an_update_keeps_fields_the_import_does_not_carry(store: Store) -> None:
    """A collection row (no tracklist) after the API JSON (no collection): one entry, both."""
    releases = ReleaseStore(store)
    api = Release.model_validate(
        {
            "source": "discogs", "source_id": "28461", "title": "Metropolis",
            "artists": ["Jeff Mills"], "tracklist": [{"position": "A1", "title": "Entrance"}],
        }
    )  # fmt: skip
    releases.save([api])
    (row, *_) = fixture("collection.csv")
    (saved,) = releases.save([row])
    assert not saved.added
    assert [t.title for t in saved.release.tracklist] == ["Entrance"]
    assert saved.release.collection is not None
    assert saved.release.collection.media_condition == "Very Good Plus (VG+)"


def test_a_section_present_but_empty_replaces(store: Store) -> None:
    releases = ReleaseStore(store)
    releases.save(fixture("page-full.txt"))
    text = (RELEASES / "page-full.txt").read_text(encoding="utf-8")
    without_reviews = text.split("Reviews Show All")[0] + "Reviews\n"
    (saved,) = releases.save(read_releases("p.txt", without_reviews.encode()))
    assert saved.release.reviews == [] and saved.release.review_count is None
    page_without_tracklist = "Hélène Voss – Tidal Archive\nNordlicht Records – NLR-007\n"
    (saved,) = releases.save(read_releases("q.txt", page_without_tracklist.encode()))
    assert len(saved.release.tracklist) == 6


def test_a_batch_is_stored_whole_or_not_at_all(store: Store) -> None:
    releases = ReleaseStore(store)
    good = fixture("page-full.txt")[0]
    # A value SQLite cannot store (a lone surrogate) fails the second release of the batch.
    bad = good.model_copy(update={"title": "\ud800", "labels": []})
    with pytest.raises(UnicodeEncodeError):
        releases.save([good, bad])
    assert counts(store) == (0, 0, 0)


def test_manual_entries_are_never_merged(store: Store) -> None:
    releases = ReleaseStore(store)
    entry = Release(source="manual", title="Untitled", artists=["Studio Rough"])
    assert identity(entry) is None
    first, second = releases.save([entry, entry])
    assert first.added and second.added and first.release.id != second.release.id


def test_get_unknown(store: Store) -> None:
    with pytest.raises(ReleaseNotFoundError, match="no release with id 7"):
        ReleaseStore(store).get(7)


def test_replace_refuses_to_duplicate_an_identity(store: Store) -> None:
    releases = ReleaseStore(store)
    a = releases.save(read_releases("a.txt", "A – One\nL – 1\n".encode()))[0].release
    b = releases.save(read_releases("b.txt", "A – Two\nL – 2\n".encode()))[0].release
    with pytest.raises(SetlistError, match=f"release {b.id}: .* release {a.id}'s already"):
        releases.replace(b.model_copy(update={"title": "One", "labels": a.labels}))
    assert releases.get(b.id or 0).title == "Two"


def test_links_keep_manual_ones(store: Store) -> None:
    releases = ReleaseStore(store)
    one, two = (s.release.id or 0 for s in releases.save(fixture("collection.csv")[:2]))
    track = add_track(store)
    other = add_track(store)
    releases.set_links([Link(track, one, "A1", 1.0, "manual", manual=True)])
    written = releases.set_links(
        [Link(track, two, None, 0.9, "catno+label"), Link(other, two, "B2", 0.95, "catno")]
    )
    assert written == 1
    assert [(k.track_id, k.release_id, k.manual) for k in releases.links()] == [
        (track, one, True), (other, two, False),
    ]  # fmt: skip
    assert [k.track_id for k in releases.links(two)] == [other]
    listed = {t.id: (t.release_id, t.position) for t in store.tracks()}
    assert listed == {track: (one, "A1"), other: (two, "B2")}
    assert releases.unlink(track) and not releases.unlink(track)
    assert store.tracks("id = ?", (track,))[0].release_id is None


def test_a_link_to_a_missing_release_is_refused(store: Store) -> None:
    track = add_track(store)
    with pytest.raises(sqlite3.IntegrityError):
        ReleaseStore(store).set_links([Link(track, 99, None, 1.0, "manual", True)])
    assert ReleaseStore(store).links() == []


def test_schema_reopens(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    first = Store(path)
    ReleaseStore(first).save(fixture("page-minimal.txt"))
    first.close()
    again = Store(path)
    try:
        assert [r.title for r in ReleaseStore(again).all()] == ["Untitled Sketch 3"]
        assert json.loads(again.connection().execute("SELECT formats FROM releases").fetchone()[0])[
            0
        ]["descriptions"] == ['12"', "Single Sided", "White Label"]
    finally:
        again.close()


def _write_lock_is_held(store: Store) -> bool:
    """Whether another connection is refused the write lock right now (without waiting)."""
    other = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    finally:
        other.close()


def test_an_edit_reads_the_release_under_the_write_lock(store: Store) -> None:
    """`edit` reads the release inside its write transaction: an edit made meanwhile by
    another process cannot be overwritten by a copy read before it."""
    releases = ReleaseStore(store)
    (saved,) = releases.save(
        read_releases("a.txt", "Jëff Mills – Metropolis\nAxis – AX-022\n".encode())
    )
    release_id = saved.release.id or 0
    locked: list[bool] = []

    def change(release: Release) -> Release:
        locked.append(_write_lock_is_held(store))
        return release.model_copy(update={"country": "Deutschland"})

    edited = releases.edit(release_id, change)
    assert locked == [True]
    assert (edited.country, edited.title) == ("Deutschland", "Metropolis")
    assert not _write_lock_is_held(store)
