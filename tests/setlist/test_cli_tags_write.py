"""Tests for `setlist tags write`: what is written, what is not touched, what is reported,
and that a scan then finds the files as the library left them. Real copies of the fixtures,
a real library, the CLI through click's runner."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from factories import invoke

from library.notes.file_form import decode, encode
from library.notes.model import TrackNotes
from library.tags import read_tag_values, write_tags

Copy = Callable[..., Path]


@pytest.fixture
def crate(audio_copy: Copy, tmp_path: Path, db: Path) -> Path:
    """Three scanned files: flac, mp3 (ID3v2.3) and m4a."""
    audio_copy("full.flac", "crate/un.flac")
    audio_copy("v23.mp3", "crate/deux.mp3")
    audio_copy("full.m4a", "crate/trois.m4a")
    assert invoke(db, "scan", str(tmp_path / "crate")).exit_code == 0
    return tmp_path / "crate"


def fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in folder.iterdir()
    }


def file_notes(path: Path) -> dict[str, Any]:
    return decode(read_tag_values(str(path))).content


def report(db: Path, *args: str) -> dict[str, Any]:
    result = invoke(db, "tags", "write", "--json", *args)
    outcome: dict[str, Any] = json.loads(result.stdout)
    outcome["exit_code"] = result.exit_code
    return outcome


def test_only_changed_notes_are_written(db: Path, crate: Path) -> None:
    before = fingerprint(crate)
    first = report(db)
    assert (first["written"], first["unchanged"], first["exit_code"]) == ([], 0, 0)
    assert fingerprint(crate) == before  # nothing noted: the moods of the tags are the notes'

    invoke(db, "note", str(crate / "un.flac"), "--energy", "7", "--role", "closer",
           "--closing-note", "après 5h")  # fmt: skip
    second = report(db)
    assert (second["written"], second["unchanged"]) == ([str(crate / "un.flac")], 0)
    after = fingerprint(crate)
    assert {name for name in after if after[name] != before[name]} == {"un.flac"}
    notes = file_notes(crate / "un.flac")
    assert (notes["energy"], notes["roles"], notes["closing_note"]) == (7, ["closer"], "après 5h")
    assert report(db)["written"] == []  # nothing changed since
    rescan = json.loads(invoke(db, "scan", str(crate), "--json").stdout)
    assert (rescan["updated"], rescan["conflicts"]) == (1, [])


def test_dry_run_and_human_output(db: Path, crate: Path) -> None:
    invoke(db, "note", str(crate / "deux.mp3"), "--mood", "sombre")
    before = fingerprint(crate)
    result = invoke(db, "tags", "write", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"would write: {crate / 'deux.mp3'}",
        "Dry run: 1 to write, 0 unchanged, 0 skipped, 0 failed",
    ]
    assert fingerprint(crate) == before
    result = invoke(db, "tags", "write")
    assert result.stdout.splitlines()[-1] == "Tags: 1 written, 0 unchanged, 0 skipped, 0 failed"
    assert (crate / "deux.mp3").read_bytes()[3] == 3  # still ID3v2.3
    assert file_notes(crate / "deux.mp3")["moods"] == ["hanté", "hypnotic", "sombre"]


def test_a_query_limits_the_files(db: Path, crate: Path) -> None:
    for name in ("un.flac", "trois.m4a"):
        invoke(db, "note", str(crate / name), "--rating", "5")
    outcome = report(db, "format:m4a")
    assert outcome["written"] == [str(crate / "trois.m4a")]
    assert file_notes(crate / "un.flac")["rating"] is None


def test_read_only_and_missing_files_are_reported(db: Path, crate: Path) -> None:
    for name in ("un.flac", "deux.mp3", "trois.m4a"):
        invoke(db, "note", str(crate / name), "--text", "à écrire")
    (crate / "un.flac").chmod(0o444)
    (crate / "trois.m4a").unlink()
    outcome = report(db)
    assert outcome["exit_code"] == 1
    assert outcome["written"] == [str(crate / "deux.mp3")]
    assert outcome["failed"] == [{"path": str(crate / "un.flac"), "error": "file is read-only"}]
    assert outcome["skipped"] == [
        {"path": str(crate / "trois.m4a"), "reason": "the file is missing"}
    ]
    assert file_notes(crate / "un.flac")["text"] == ""
    (crate / "un.flac").chmod(0o644)
    assert report(db)["written"] == [str(crate / "un.flac")]  # the failed one is retried


def test_a_file_changed_since_the_last_scan_is_skipped_until_scanned(db: Path, crate: Path) -> None:
    target = crate / "trois.m4a"
    invoke(db, "note", str(target), "--energy", "4")
    write_tags(target, encode(TrackNotes(moods=["d'ailleurs"], energy=9).content()))
    changed = fingerprint(crate)["trois.m4a"]
    outcome = report(db)
    assert outcome["skipped"] == [{
        "path": str(target),
        "reason": "its notes changed since setlist last read them; scan it first",
    }]  # fmt: skip
    assert fingerprint(crate)["trois.m4a"] == changed
    scanned = json.loads(invoke(db, "scan", str(crate), "--json").stdout)
    assert [(c["path"], c["field"]) for c in scanned["conflicts"]] == [
        (str(target), "moods"),
        (str(target), "energy"),
    ]
    assert report(db)["written"] == [str(target)]  # the library wins
    assert (file_notes(target)["energy"], file_notes(target)["moods"]) == (4, ["hanté", "hypnotic"])


def test_notes_of_a_newer_setlist_are_left_alone(db: Path, crate: Path) -> None:
    target = crate / "un.flac"
    write_tags(target, {"setlist_notes": '{"v": 2, "new": "thing"}'})
    invoke(db, "scan", str(crate))
    invoke(db, "note", str(target), "--text", "écrit ici")
    outcome = report(db)
    assert outcome["skipped"][0]["path"] == str(target)
    assert "cannot be read as setlist's" in outcome["skipped"][0]["reason"]
    assert read_tag_values(str(target))["setlist_notes"] == '{"v": 2, "new": "thing"}'


def test_scan_prints_note_conflicts(db: Path, crate: Path) -> None:
    target = crate / "un.flac"
    invoke(db, "note", str(target), "--energy", "4")
    write_tags(target, {"energy": 9})
    result = invoke(db, "scan", str(crate))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"note conflict: {target}: energy: the library's value was kept (the file differs)"
    ]
    assert result.stdout.splitlines()[-1] == (
        "Scanned: 0 added, 1 updated, 2 unchanged, 0 missing, 0 unreadable, 1 note conflicts"
    )


def test_a_mood_that_breaks_the_rules_is_replaced_not_a_blocker(db: Path, crate: Path) -> None:
    target = crate / "deux.mp3"
    write_tags(target, {"moods": ["x" * 70, "Sombre"]})
    invoke(db, "scan", str(crate))
    invoke(db, "note", str(target), "--mood", "hanté")
    outcome = report(db)
    assert (outcome["written"], outcome["skipped"]) == ([str(target)], [])
    assert file_notes(target)["moods"] == ["hanté", "sombre"]


def test_a_file_written_but_not_recorded_is_recorded_not_skipped(db: Path, crate: Path) -> None:
    """A run killed after a file's write and before its record: the file already holds the
    notes, so the next run records them instead of calling the file changed by someone."""
    from library.notes import store as notes_store
    from library.storage import Store

    path = crate / "un.flac"
    invoke(db, "note", str(path), "--energy", "7", "--text", "écrit, pas noté")
    store = Store(db)
    try:
        (track,) = [t for t in store.tracks() if t.path == str(path)]
        content = notes_store.current(store.connection(), track.id).content
    finally:
        store.close()
    write_tags(path, encode(content))  # what the killed run did, and no more
    before = fingerprint(crate)
    outcome = report(db)
    assert (outcome["written"], outcome["skipped"], outcome["unchanged"]) == ([], [], 1)
    assert fingerprint(crate) == before  # not written again
    assert report(db)["unchanged"] == 1  # recorded: known to hold its notes
