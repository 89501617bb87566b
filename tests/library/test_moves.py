"""Tests for moves and renames: a scan follows a file by its audio identity; relink in bulk.

Real fixture copies, real renames on disk, a real library file. A track's id is what notes,
release links and set entries hang on, so every test checks ids, not just paths.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import AUDIO

from library.moves import RelinkError, relink
from library.scanning import scan
from library.storage import Store
from library.tags import write_tags

Copy = Callable[..., Path]


def ids_by_path(store: Store) -> dict[str, int]:
    return {track.path: track.id for track in store.tracks()}


def missing(store: Store) -> set[str]:
    return {track.path for track in store.tracks("missing = 1")}


@pytest.fixture
def crate(audio_copy: Copy, tmp_path: Path) -> Path:
    """music/crate with three tracks of three different audio streams."""
    audio_copy("full.flac", "music/crate/Entrée.flac")
    audio_copy("full.mp3", "music/crate/Métropolis.mp3")
    audio_copy("full.opus", "music/crate/sub/Nuit.opus")
    return tmp_path / "music" / "crate"


def test_a_renamed_folder_moves_its_tracks(store: Store, crate: Path) -> None:
    scan(store, [crate.parent], workers=1)
    before = ids_by_path(store)
    crate.rename(crate.with_name("caisse"))
    result = scan(store, [crate.parent], workers=2)
    assert (result.added, result.moved, result.missing, result.updated) == (0, 3, 0, 0)
    after = ids_by_path(store)
    assert sorted(after.values()) == sorted(before.values())
    assert (
        after[str(crate.with_name("caisse") / "sub" / "Nuit.opus")]
        == before[str(crate / "sub" / "Nuit.opus")]
    )
    assert missing(store) == set()
    assert {(Path(m.old).name, Path(m.new).parent.name) for m in result.moves} == {
        ("Entrée.flac", "caisse"),
        ("Métropolis.mp3", "caisse"),
        ("Nuit.opus", "sub"),
    }


def test_scanning_only_the_new_folder_name_moves_the_tracks(store: Store, crate: Path) -> None:
    scan(store, [crate], workers=1)
    before = ids_by_path(store)
    renamed = crate.with_name("ailleurs")
    crate.rename(renamed)
    result = scan(store, [renamed], workers=1)  # the old folder is not among the roots
    assert (result.added, result.moved) == (0, 3)
    assert sorted(ids_by_path(store).values()) == sorted(before.values())


def test_a_renamed_file_keeps_its_track(store: Store, crate: Path) -> None:
    scan(store, [crate], workers=1)
    old_id = ids_by_path(store)[str(crate / "Entrée.flac")]
    (crate / "Entrée.flac").rename(crate / "01 - Entrée (Original Mix).flac")
    result = scan(store, [crate], workers=1)
    assert (result.added, result.moved, result.missing) == (0, 1, 0)
    assert ids_by_path(store)[str(crate / "01 - Entrée (Original Mix).flac")] == old_id


def test_a_file_retagged_and_moved_at_once(store: Store, crate: Path, tmp_path: Path) -> None:
    scan(store, [tmp_path / "music"], workers=1)
    old_id = ids_by_path(store)[str(crate / "Métropolis.mp3")]
    write_tags(crate / "Métropolis.mp3", {"title": "Nouveau titre", "bpm": 131.0})
    target = tmp_path / "music" / "rangé" / "Nouveau.mp3"
    target.parent.mkdir()
    (crate / "Métropolis.mp3").rename(target)
    result = scan(store, [tmp_path / "music"], workers=1)
    assert (result.added, result.moved, result.updated, result.missing) == (0, 1, 0, 0)
    (track,) = store.tracks("id = ?", [old_id])
    assert (track.path, track.title, track.bpm, track.missing) == (
        str(target),
        "Nouveau titre",
        131.0,
        False,
    )


def test_a_track_missing_for_a_while_is_found_again_elsewhere(
    store: Store, crate: Path, tmp_path: Path
) -> None:
    scan(store, [crate], workers=1)
    old_id = ids_by_path(store)[str(crate / "sub" / "Nuit.opus")]
    parked = tmp_path / "parked.opus"
    (crate / "sub" / "Nuit.opus").rename(parked)
    assert scan(store, [crate], workers=1).missing == 1
    assert missing(store) == {str(crate / "sub" / "Nuit.opus")}
    shutil.move(parked, crate / "Nuit.opus")
    result = scan(store, [crate], workers=1)
    assert (result.moved, result.missing) == (1, 0)
    assert ids_by_path(store)[str(crate / "Nuit.opus")] == old_id
    assert missing(store) == set()


def test_a_copy_is_a_new_track_while_the_original_exists(
    store: Store, crate: Path, tmp_path: Path
) -> None:
    scan(store, [crate], workers=1)
    elsewhere = tmp_path / "clé USB"
    elsewhere.mkdir()
    shutil.copyfile(crate / "Entrée.flac", elsewhere / "Entrée.flac")
    result = scan(store, [elsewhere], workers=1)  # the original is not under this root
    assert (result.added, result.moved) == (1, 0)
    assert len(ids_by_path(store)) == 4


def test_identical_copies_that_all_move_pair_up_by_name(store: Store, audio_copy: Copy) -> None:
    first = audio_copy("full.flac", "a/un.flac")
    audio_copy("full.flac", "a/deux.flac")
    scan(store, [first.parent], workers=1)
    before = ids_by_path(store)
    renamed = first.parent.with_name("b")
    first.parent.rename(renamed)
    result = scan(store, [renamed], workers=1)
    assert (result.added, result.moved) == (0, 2)
    after = ids_by_path(store)
    assert after[str(renamed / "un.flac")] == before[str(first)]
    assert after[str(renamed / "deux.flac")] == before[str(first.with_name("deux.flac"))]


def test_a_new_file_with_other_audio_is_added(store: Store, crate: Path) -> None:
    scan(store, [crate], workers=1)
    (crate / "Entrée.flac").unlink()
    shutil.copyfile(AUDIO / "full.wav", crate / "Autre.wav")
    result = scan(store, [crate], workers=1)
    assert (result.added, result.moved, result.missing) == (1, 0, 1)


def test_tracks_stored_without_an_identity_are_read_once_more(store: Store, crate: Path) -> None:
    """A library from before audio identities: its tracks get one on the next scan."""
    scan(store, [crate], workers=1)
    with store.transaction() as connection:
        connection.execute("UPDATE tracks SET audio_identity = NULL")
    assert scan(store, [crate], workers=1).updated == 3
    assert scan(store, [crate], workers=1).unchanged == 3
    (crate / "Entrée.flac").rename(crate / "Renommé.flac")
    assert scan(store, [crate], workers=1).moved == 1


# -- relink ----------------------------------------------------------------------------------


def test_relink_moves_whole_folders_only(store: Store, crate: Path, audio_copy: Copy) -> None:
    sibling = audio_copy("full.wav", "music/crate-old/x.wav")
    scan(store, [crate.parent], workers=1)
    before = ids_by_path(store)
    crate.rename(crate.with_name("disque"))
    result = relink(store, str(crate), str(crate.with_name("disque")) + "/")
    assert (len(result.moves), result.present) == (3, 3)
    after = ids_by_path(store)
    assert after[str(sibling)] == before[str(sibling)]  # "crate" is not a prefix of "crate-old"
    assert (
        after[str(crate.with_name("disque") / "Entrée.flac")] == before[str(crate / "Entrée.flac")]
    )
    assert missing(store) == set()
    assert scan(store, [crate.parent], workers=1).unchanged == 4  # nothing read again


def test_relink_marks_tracks_missing_when_the_files_are_not_there(
    store: Store, crate: Path, tmp_path: Path
) -> None:
    scan(store, [crate], workers=1)
    result = relink(store, crate, tmp_path / "pas encore monté")
    assert (len(result.moves), result.present) == (3, 0)
    assert len(missing(store)) == 3


def test_relink_dry_run_changes_nothing(store: Store, crate: Path, tmp_path: Path) -> None:
    scan(store, [crate], workers=1)
    before = ids_by_path(store)
    result = relink(store, crate, tmp_path / "autre", dry_run=True)
    assert len(result.moves) == 3 and result.as_json()["dry_run"] is True
    assert ids_by_path(store) == before


def test_relink_refuses_paths_that_belong_to_other_tracks(
    store: Store, crate: Path, audio_copy: Copy, tmp_path: Path
) -> None:
    taken = audio_copy("full.flac", "music/autre/Entrée.flac")
    scan(store, [tmp_path / "music"], workers=1)
    before = {track.id: (track.path, track.missing) for track in store.tracks()}
    with pytest.raises(RelinkError, match=r"1 new path.*already belong") as caught:
        relink(store, crate, taken.parent)
    assert str(taken) in str(caught.value)
    assert {track.id: (track.path, track.missing) for track in store.tracks()} == before


def test_relink_swaps_nothing_into_a_collision_within_itself(
    store: Store, audio_copy: Copy, tmp_path: Path
) -> None:
    """Relinking /m to /m/sous: /m/sous/x becomes /m/sous/sous/x while /m/x becomes /m/sous/x."""
    outer = audio_copy("full.flac", "m/x.flac")
    audio_copy("full.mp3", "m/sous/x.flac.mp3")
    inner = audio_copy("full.opus", "m/sous/x.flac")
    scan(store, [tmp_path / "m"], workers=1)
    before = ids_by_path(store)
    relink(store, tmp_path / "m", tmp_path / "m" / "sous")
    after = ids_by_path(store)
    assert after[str(inner)] == before[str(outer)]
    assert after[str(tmp_path / "m" / "sous" / "sous" / "x.flac")] == before[str(inner)]


def test_relink_errors(store: Store, crate: Path, tmp_path: Path) -> None:
    scan(store, [crate], workers=1)
    with pytest.raises(RelinkError, match="same"):
        relink(store, crate, str(crate) + "/")
    with pytest.raises(RelinkError, match="no track"):
        relink(store, tmp_path / "nulle part", tmp_path / "ailleurs")


def test_relink_non_utf8_names_byte_for_byte(store: Store, tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path) + b"/caf\xe9"
    os.mkdir(folder)
    shutil.copyfile(AUDIO / "full.mp3", folder + b"/\xff.mp3")
    scan(store, [os.fsdecode(folder)], workers=1)
    os.rename(folder, os.fsencode(tmp_path) + b"/neu")
    relink(store, os.fsdecode(folder), tmp_path / "neu")
    assert os.fsencode(tmp_path) + b"/neu/\xff.mp3" in store.known_files()
    assert missing(store) == set()


def test_a_library_from_before_identities_is_upgraded_and_read_once_more(
    tmp_path: Path, crate: Path
) -> None:
    """A schema 1 library (the foundation's) gets the new steps; its unchanged file is read
    once more, for its identity and the folded moods of its tags."""
    import sqlite3

    from library.migrations import APPLICATION_ID, MIGRATIONS

    path = tmp_path / "old.db"
    known = crate / "Entrée.flac"
    info = known.stat()
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0])
    old.execute(
        "INSERT INTO tracks (path_bytes, path, size, mtime_ns, moods, added_at, updated_at) "
        "VALUES (?, ?, ?, ?, '[\"Hanté\"]', 'then', 'then')",
        (bytes(known), str(known), info.st_size, info.st_mtime_ns),
    )
    old.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()
    store = Store(path)
    try:
        result = scan(store, [crate], workers=1)
        assert (result.added, result.updated, result.unchanged) == (2, 1, 0)
        assert ids_by_path(store)[str(known)] == 1  # the same track
        assert 1 in {t.id for t in store.tracks("tracks.moods_fold LIKE '%hant%'")}
        assert scan(store, [crate], workers=1).unchanged == 3
    finally:
        store.close()
