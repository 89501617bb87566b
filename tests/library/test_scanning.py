"""Tests for library.scanning against real copies of the committed fixtures and a real store.

Timestamps are moved with `os.utime(ns=...)`, never by waiting; every scan's effect on the
files themselves is checked by hashing bytes and reading mtimes before and after.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import AUDIO, Unprivileged

from library.errors import ScanPathError
from library.query import compile_query
from library.scanning import ScanProgress, ScanResult, scan
from library.storage import Store

BROKEN = {"not-audio.mp3", "truncated.flac", "truncated.m4a", "truncated.mp3", "truncated.ogg"}


def snapshot(root: Path) -> dict[bytes, tuple[str, int]]:
    """Every regular file under `root`: its bytes' hash and its mtime in nanoseconds."""
    files = {}
    for folder, _, names in os.walk(os.fsencode(root)):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
                files[path] = (digest, os.stat(path).st_mtime_ns)
    return files


def ids_by_name(store: Store) -> dict[str, int]:
    return {Path(track.path).name: track.id for track in store.tracks()}


def found(store: Store, text: str) -> set[str]:
    compiled = compile_query(text)
    return {Path(t.path).name for t in store.tracks(compiled.where, compiled.params)}


def shift_mtime(path: Path, seconds: int) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + seconds * 1_000_000_000))


def counts(result: ScanResult) -> tuple[int, int, int, int, int]:
    return result.added, result.updated, result.unchanged, result.missing, len(result.errors)


# -- a whole folder -----------------------------------------------------------------------


def test_cold_scan_adds_readable_files_and_lists_the_rest(store: Store, music: Path) -> None:
    audio = {p.name for p in music.iterdir()}
    result = scan(store, [music], workers=2)
    assert counts(result) == (len(audio) - len(BROKEN), 0, 0, 0, len(BROKEN))
    assert not result.cancelled
    assert {Path(e.path).name for e in result.errors} == BROKEN
    assert all(e.error and "\n" not in e.error for e in result.errors)
    assert set(ids_by_name(store)) == audio - BROKEN
    (full,) = store.tracks("path = ?", [str(music / "full.flac")])
    assert (full.title, full.artist, full.label, full.catalog_number) == (
        "Entrée à Métropolis",
        "Jëff Mills",
        "Axis Récords",
        "AX-022",
    )
    assert (full.bpm, full.key, full.camelot, full.format) == (128.0, "Am", "8A", "flac")


def test_rescan_of_an_unchanged_folder_reads_nothing_new(store: Store, music: Path) -> None:
    first = scan(store, [music], workers=2)
    ids = ids_by_name(store)
    again = scan(store, [music], workers=2)
    # Unreadable files are tried again (they may have been fixed), readable ones are not.
    assert counts(again) == (0, 0, first.added, 0, len(BROKEN))
    assert ids_by_name(store) == ids


def test_unchanged_size_and_mtime_means_the_file_is_not_opened(store: Store, music: Path) -> None:
    scan(store, [music], workers=1)
    target = music / "full.flac"
    info = target.stat()
    target.write_bytes(b"\0junk" * (info.st_size // 5) + b"!" * (info.st_size % 5))
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert target.stat().st_size == info.st_size

    result = scan(store, [music], workers=1)
    assert result.updated == 0
    assert "full.flac" not in {Path(e.path).name for e in result.errors}
    assert "full.flac" in found(store, "title:entrée format:flac label:axis")

    shift_mtime(target, 1)  # now it has visibly changed: it is read, and found unreadable
    result = scan(store, [music], workers=1)
    assert "full.flac" in {Path(e.path).name for e in result.errors}
    assert "full.flac" in found(store, "missing:no")  # the track and its tags are kept


def test_changed_mtime_means_updated_with_the_same_id(store: Store, music: Path) -> None:
    scan(store, [music], workers=1)
    ids = ids_by_name(store)
    shift_mtime(music / "full.mp3", 5)
    shutil.copyfile(music / "untagged.ogg", music / "full.ogg")  # new content, new size
    result = scan(store, [music], workers=1)
    assert (result.added, result.updated) == (0, 2)
    assert ids_by_name(store) == ids
    assert "full.ogg" in found(store, "format:ogg -mills")


def test_deleted_file_is_missing_and_comes_back(store: Store, music: Path, tmp_path: Path) -> None:
    scan(store, [music], workers=1)
    ids = ids_by_name(store)
    kept = tmp_path / "kept.flac"
    shutil.copy2(music / "full.flac", kept)
    (music / "full.flac").unlink()

    result = scan(store, [music], workers=1)
    assert result.missing == 1
    assert found(store, "missing:yes") == {"full.flac"}
    assert ids_by_name(store) == ids  # the row stays, with its id

    shutil.copy2(kept, music / "full.flac")  # same size and mtime: back without a read
    result = scan(store, [music], workers=1)
    assert (result.added, result.updated, result.missing) == (0, 0, 0)
    assert found(store, "missing:yes") == set()
    assert ids_by_name(store) == ids


def test_restored_file_with_new_contents_is_updated_and_present(store: Store, music: Path) -> None:
    scan(store, [music], workers=1)
    ids = ids_by_name(store)
    (music / "full.mp3").unlink()
    scan(store, [music], workers=1)
    shutil.copyfile(music / "v23.mp3", music / "full.mp3")
    result = scan(store, [music], workers=1)
    assert (result.added, result.updated, result.missing) == (0, 1, 0)
    assert ids_by_name(store)["full.mp3"] == ids["full.mp3"]
    assert found(store, "missing:yes") == set()


def test_missing_is_decided_per_scanned_root(
    store: Store, audio_copy: Callable[..., Path], tmp_path: Path
) -> None:
    crate_a = audio_copy("full.flac", "crate-a/x.flac").parent
    crate_b = audio_copy("full.flac", "crate-b/x.flac").parent
    scan(store, [crate_a], workers=1)
    scan(store, [crate_b], workers=1)
    (crate_a / "x.flac").rename(tmp_path / "elsewhere.flac")

    assert scan(store, [crate_b], workers=1).missing == 0
    assert found(store, "missing:yes") == set()
    assert scan(store, [crate_a], workers=1).missing == 1
    assert [t.path for t in store.tracks("missing = 1")] == [str(crate_a / "x.flac")]


def test_prefix_sibling_folder_is_not_under_the_root(
    store: Store, audio_copy: Callable[..., Path], tmp_path: Path
) -> None:
    """`/music` must not claim `/music-old/x.flac` as its own when deciding what is missing."""
    (tmp_path / "music").mkdir()
    audio_copy("full.flac", "music-old/x.flac")
    scan(store, [tmp_path / "music-old"], workers=1)
    (tmp_path / "music-old" / "x.flac").unlink()
    assert scan(store, [tmp_path / "music"], workers=1).missing == 0


# -- the walk -----------------------------------------------------------------------------


def test_hidden_folders_and_files_are_skipped(
    store: Store, audio_copy: Callable[..., Path], tmp_path: Path
) -> None:
    audio_copy("full.mp3", "crate/visible.mp3")
    audio_copy("full.mp3", "crate/.hidden/x.mp3")
    audio_copy("full.mp3", "crate/._visible.mp3")
    audio_copy("full.mp3", "crate/.secret.mp3")
    audio_copy("full.mp3", "crate/sub/.Trashes/y.mp3")
    result = scan(store, [tmp_path / "crate"], workers=1)
    assert (result.added, result.errors) == (1, [])
    assert set(ids_by_name(store)) == {"visible.mp3"}


def test_a_hidden_folder_given_as_root_is_scanned(
    store: Store, audio_copy: Callable[..., Path], tmp_path: Path
) -> None:
    audio_copy("full.mp3", ".crate/x.mp3")
    assert scan(store, [tmp_path / ".crate"], workers=1).added == 1


def test_symlink_loop_terminates_and_counts_files_once(store: Store, music: Path) -> None:
    (music / "sub").mkdir()
    shutil.copyfile(music / "full.flac", music / "sub" / "deep.flac")
    (music / "sub" / "loop").symlink_to(music, target_is_directory=True)
    (music / "again").symlink_to(music / "sub", target_is_directory=True)
    progress: list[ScanProgress] = []
    outcome: list[ScanResult] = []
    # In a daemon thread with a time limit: a walk that follows the loop never ends.
    walker = threading.Thread(
        target=lambda: outcome.append(scan(store, [music], workers=1, progress=progress.append)),
        daemon=True,
    )
    walker.start()
    walker.join(timeout=120)
    assert outcome, "the scan failed or did not finish (following the symlink loop?)"
    (result,) = outcome
    names = sorted(Path(t.path).name for t in store.tracks())
    assert names.count("deep.flac") == 1
    assert names.count("full.flac") == 1
    assert result.added == len(names)
    assert progress[-1].total == result.added + len(BROKEN)


def test_broken_symlink_is_reported(store: Store, music: Path) -> None:
    (music / "dead.mp3").symlink_to(music / "nowhere.mp3")
    result = scan(store, [music], workers=1)
    reasons = {Path(e.path).name: e.error for e in result.errors}
    assert "broken" in reasons["dead.mp3"]


def test_non_utf8_file_name_is_kept_losslessly(store: Store, music: Path) -> None:
    folder = os.fsencode(music)
    good = folder + b"/caf\xe9 \xff.mp3"
    bad = folder + b"/cass\xe9.flac"
    with open(music / "full.mp3", "rb") as handle:
        audio = handle.read()
    for path, data in ((good, audio), (bad, b"not audio at all")):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(descriptor, data)
        os.close(descriptor)

    result = scan(store, [music], workers=2)
    assert str(music / "cass\ufffd.flac") in {e.path for e in result.errors}
    assert good in store.known_files()
    (track,) = store.tracks("path_bytes = ?", [good])
    assert track.path == str(music) + "/caf\ufffd \ufffd.mp3"
    assert track.title == "Entrée à Métropolis"

    os.unlink(good)
    assert scan(store, [music], workers=1).missing == 1
    assert store.known_files()[good].missing


def test_root_that_does_not_exist_stops_before_storing(
    store: Store, music: Path, tmp_path: Path
) -> None:
    ghost = tmp_path / "nulle part"
    with pytest.raises(ScanPathError, match="nulle part"):
        scan(store, [music, ghost], workers=1)
    assert store.known_files() == {}
    assert store.known_errors() == {}


_SCAN_AS_USER = """
import json, sys
from library.scanning import scan
from library.storage import Store
store = Store(sys.argv[1])
result = scan(store, [sys.argv[2]], workers=1).as_json()
result["missing_tracks"] = store.count_tracks("missing = 1")
print(json.dumps(result))
"""


def test_unlistable_folder_is_reported_and_its_tracks_stay(unprivileged: Unprivileged) -> None:
    music = unprivileged.folder / "music"
    locked = music / "locked"
    locked.mkdir(parents=True)
    shutil.copyfile(AUDIO / "full.flac", locked / "x.flac")
    shutil.copyfile(AUDIO / "full.ogg", music / "y.ogg")
    db = str(unprivileged.folder / "library.db")
    first = unprivileged.run(_SCAN_AS_USER, db, str(music))
    assert first["added"] == 2
    locked.chmod(0)
    again = unprivileged.run(_SCAN_AS_USER, db, str(music))
    assert {e["path"]: e["error"] for e in again["errors"]} == {str(locked): "permission denied"}
    assert again["missing"] == 0
    assert again["missing_tracks"] == 0


def test_single_file_root(store: Store, music: Path) -> None:
    result = scan(store, [music / "full.opus"], workers=1)
    assert counts(result) == (1, 0, 0, 0, 0)
    assert counts(scan(store, [music / "full.opus"], workers=1)) == (0, 0, 1, 0, 0)
    assert scan(store, [music], workers=1).unchanged == 1


def test_empty_file_is_reported(store: Store, tmp_path: Path) -> None:
    (tmp_path / "empty.flac").touch()
    result = scan(store, [tmp_path], workers=1)
    assert [(Path(e.path).name, "empty" in e.error) for e in result.errors] == [
        ("empty.flac", True)
    ]


def test_fixed_and_deleted_broken_files_leave_the_error_list(store: Store, music: Path) -> None:
    scan(store, [music], workers=1)
    shutil.copyfile(music / "full.mp3", music / "not-audio.mp3")
    (music / "truncated.ogg").unlink()
    result = scan(store, [music], workers=1)
    assert result.added == 1
    assert {Path(e.path).name for e in result.errors} == BROKEN - {"not-audio.mp3", "truncated.ogg"}
    assert {Path(os.fsdecode(p)).name for p in store.known_errors()} == {
        "truncated.flac",
        "truncated.m4a",
        "truncated.mp3",
    }


# -- workers, progress, cancelling ------------------------------------------------------------


def test_one_worker_and_two_workers_build_the_same_library(music: Path, tmp_path: Path) -> None:
    libraries = []
    for workers in (1, 2):
        store = Store(tmp_path / f"library-{workers}.db")
        result = scan(store, [music], workers=workers)
        tracks = sorted((t.model_dump(exclude={"id"}) for t in store.tracks()), key=str)
        libraries.append((counts(result), sorted(e.path for e in result.errors), tracks))
        store.close()
    assert libraries[0] == libraries[1]


def test_progress_ends_with_everything_done(store: Store, music: Path) -> None:
    for _ in range(2):  # cold, then a rescan with nothing to read
        progress: list[ScanProgress] = []
        scan(store, [music], workers=2, progress=progress.append)
        total = len(list(music.iterdir()))
        assert progress[-1] == ScanProgress(total, total)
        assert {p.total for p in progress} == {total}
        assert [p.done for p in progress] == sorted(p.done for p in progress)


@pytest.mark.parametrize("workers", [1, 2])
def test_cancel_stops_and_marks_nothing_missing(store: Store, music: Path, workers: int) -> None:
    scan(store, [music], workers=1)
    (music / "full.flac").unlink()
    for number in range(40):
        shutil.copyfile(music / "full.mp3", music / f"new-{number}.mp3")
    cancel = threading.Event()

    def stop(progress: ScanProgress) -> None:
        cancel.set()

    result = scan(store, [music], workers=workers, progress=stop, cancel=cancel)
    assert result.cancelled
    assert result.missing == 0
    assert result.added < 40
    assert found(store, "missing:yes") == set()
    finished = scan(store, [music], workers=workers)
    assert not finished.cancelled
    assert (finished.added + result.added, finished.missing) == (40, 1)


def test_scanning_never_changes_a_file(store: Store, music: Path) -> None:
    (music / "sub").mkdir()
    shutil.copyfile(music / "full.m4a", music / "sub" / "b.m4a")
    before = snapshot(music)
    scan(store, [music], workers=2)
    shift_mtime(music / "full.wav", 3)  # force one re-read on the rescan
    before[os.fsencode(music / "full.wav")] = snapshot(music)[os.fsencode(music / "full.wav")]
    scan(store, [music], workers=1)
    assert snapshot(music) == before


def test_unchanged_broken_file_is_reported_again_without_being_opened(
    store: Store, music: Path
) -> None:
    """Proof it is not reopened: it becomes readable behind the scan's back (same size and
    times restored), and the scan still reports the old error."""
    broken = music / "not-audio.mp3"
    first = scan(store, [music], workers=1)
    assert "not-audio.mp3" in {Path(e.path).name for e in first.errors}
    info = broken.stat()
    good = (music / "full.mp3").read_bytes()[: info.st_size].ljust(info.st_size, b"\0")
    fd = os.open(broken, os.O_WRONLY)
    try:
        os.write(fd, good)
    finally:
        os.close(fd)
    os.utime(broken, ns=(info.st_atime_ns, info.st_mtime_ns))
    # Writing moved the ctime (no call can restore it), and the scan watches the ctime for a
    # chmod: record the new one, so that only "reopened or not" decides the outcome.
    with store.transaction() as connection:
        connection.execute(
            "UPDATE scan_errors SET ctime_ns = ? WHERE path_bytes = ?",
            (broken.stat().st_ctime_ns, os.fsencode(broken)),
        )
    again = scan(store, [music], workers=1)
    assert "not-audio.mp3" in {Path(e.path).name for e in again.errors}
    assert again.added == 0


def test_a_changed_mode_makes_a_broken_file_be_read_again(store: Store, music: Path) -> None:
    """chmod moves only the ctime; a file that was unreadable for its permissions is retried."""
    broken = music / "not-audio.mp3"
    scan(store, [music], workers=1)
    info = broken.stat()
    shutil.copyfile(music / "full.mp3", broken)
    os.utime(broken, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.chmod(broken, 0o600)
    result = scan(store, [music], workers=1)
    assert result.added == 1
    assert "not-audio.mp3" not in {Path(e.path).name for e in result.errors}


# -- scan roots ---------------------------------------------------------------------------


def test_a_complete_scan_remembers_its_folders_but_not_single_files(
    store: Store, music: Path
) -> None:
    scan(store, [music, music / "full.flac"], workers=1)
    assert store.scan_roots() == [os.fsencode(music)]


def test_a_cancelled_scan_remembers_no_folder(store: Store, music: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    result = scan(store, [music], workers=1, cancel=cancel)
    assert result.cancelled
    assert store.scan_roots() == []
