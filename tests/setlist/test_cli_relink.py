"""Tests for `setlist relink` and for how `setlist scan` reports moved files, via the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from factories import invoke as setlist
from factories import one_error_line

Copy = Callable[..., Path]


def paths_and_ids(db: Path) -> dict[str, int]:
    return {t["path"]: t["id"] for t in json.loads(setlist(db, "tracks", "--json").stdout)}


@pytest.fixture
def library(audio_copy: Copy, tmp_path: Path) -> Path:
    audio_copy("full.flac", "USB-A/techno/Entrée.flac")
    audio_copy("full.m4a", "USB-A/house/Été.m4a")
    db = tmp_path / "library.db"
    assert setlist(db, "scan", str(tmp_path / "USB-A")).exit_code == 0
    return db


def test_relink_after_a_drive_rename(library: Path, tmp_path: Path) -> None:
    before = paths_and_ids(library)
    (tmp_path / "USB-A").rename(tmp_path / "USB-B")
    result = setlist(library, "relink", str(tmp_path / "USB-A"), str(tmp_path / "USB-B"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == (
        f"Relinked 2 track(s) from {tmp_path / 'USB-A'} to {tmp_path / 'USB-B'}: "
        "2 present, 0 missing"
    )
    after = paths_and_ids(library)
    assert sorted(after.values()) == sorted(before.values())
    assert all(path.startswith(str(tmp_path / "USB-B")) for path in after)


def test_relink_dry_run_json(library: Path, tmp_path: Path) -> None:
    before = paths_and_ids(library)
    result = setlist(
        library, "relink", str(tmp_path / "USB-A" / "techno"), str(tmp_path / "X"), "--dry-run",
        "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "old_prefix": str(tmp_path / "USB-A" / "techno"),
        "new_prefix": str(tmp_path / "X"),
        "relinked": 1,
        "present": 0,
        "missing": 1,
        "dry_run": True,
    }
    assert paths_and_ids(library) == before


def test_relink_refusals_exit_2_with_one_line(library: Path, tmp_path: Path) -> None:
    result = setlist(library, "relink", str(tmp_path / "nowhere"), str(tmp_path / "USB-B"))
    assert result.exit_code == 2
    assert "no track in the library is under this path" in one_error_line(result.stderr)
    result = setlist(library, "relink", str(tmp_path / "USB-A"), str(tmp_path / "USB-A") + "/")
    assert result.exit_code == 2
    assert "the old and new prefixes are the same" in one_error_line(result.stderr)


def test_relink_onto_another_tracks_path_is_refused(
    library: Path, audio_copy: Copy, tmp_path: Path
) -> None:
    audio_copy("full.flac", "USB-B/techno/Entrée.flac")
    setlist(library, "scan", str(tmp_path / "USB-B"))
    before = paths_and_ids(library)
    result = setlist(library, "relink", str(tmp_path / "USB-A"), str(tmp_path / "USB-B"))
    assert result.exit_code == 2
    first, *listed = result.stderr.splitlines()
    assert first.startswith("setlist: error: ") and "already belong to other tracks" in first
    assert listed == [f"  {tmp_path / 'USB-B' / 'techno' / 'Entrée.flac'}"]
    assert paths_and_ids(library) == before


def test_scan_reports_moves(library: Path, tmp_path: Path) -> None:
    (tmp_path / "USB-A" / "techno").rename(tmp_path / "USB-A" / "tëchno")
    result = setlist(library, "scan", str(tmp_path / "USB-A"))
    assert result.exit_code == 0
    old, new = tmp_path / "USB-A/techno/Entrée.flac", tmp_path / "USB-A/tëchno/Entrée.flac"
    assert result.stdout.splitlines() == [
        f"moved: {old} -> {new}",
        "Scanned: 0 added, 1 moved, 0 updated, 1 unchanged, 0 missing, 0 unreadable",
    ]
