"""Tests for `setlist scan`: JSON and summary output, exit codes, and real processes.

Most tests drive `setlist.cli.cli` in-process with click's CliRunner; a few start the real
program in a subprocess, because exit codes, stderr and two processes sharing one database
are only honest there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from factories import one_error_line
from processes import PROGRAM, ROOT, run

from setlist.cli import cli

pytestmark = pytest.mark.usefixtures("no_real_library")

BROKEN = {"not-audio.mp3", "truncated.flac", "truncated.m4a", "truncated.mp3", "truncated.ogg"}


def setlist(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


# -- output -------------------------------------------------------------------------------


def test_json_shape(music: Path, tmp_path: Path) -> None:
    result = setlist(tmp_path / "library.db", "scan", str(music), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {
        "added", "updated", "unchanged", "missing", "errors", "cancelled", "moved", "moves",
        "conflicts",
    }  # fmt: skip
    assert report["added"] == len(list(music.iterdir())) - len(BROKEN)
    assert (report["updated"], report["unchanged"], report["missing"]) == (0, 0, 0)
    assert report["cancelled"] is False
    assert (report["moved"], report["moves"], report["conflicts"]) == (0, [], [])
    assert all(set(error) == {"path", "error"} for error in report["errors"])
    assert {Path(error["path"]).name for error in report["errors"]} == BROKEN
    assert all(error["error"] for error in report["errors"])


def test_summary_line_and_unreadable_files_on_stderr(music: Path, tmp_path: Path) -> None:
    result = setlist(tmp_path / "library.db", "scan", str(music))
    assert result.exit_code == 0
    added = len(list(music.iterdir())) - len(BROKEN)
    assert result.stdout.splitlines() == [
        f"Scanned: {added} added, 0 updated, 0 unchanged, 0 missing, 5 unreadable"
    ]
    lines = result.stderr.splitlines()
    assert len(lines) == len(BROKEN)
    for name in BROKEN:
        assert any(line.startswith(f"unreadable: {music / name}: ") for line in lines)


def test_rescan_counts_unchanged_and_keeps_ids(music: Path, tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    setlist(db, "scan", str(music))
    before = {t["path"]: t["id"] for t in json.loads(setlist(db, "tracks", "--json").stdout)}
    target = music / "full.flac"
    info = target.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
    report = json.loads(setlist(db, "scan", str(music), "--json").stdout)
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 1, len(before) - 1)
    after = {t["path"]: t["id"] for t in json.loads(setlist(db, "tracks", "--json").stdout)}
    assert after == before


def test_hostile_file_name_is_shown_harmlessly(tmp_path: Path) -> None:
    crate = tmp_path / "crate"
    crate.mkdir()
    evil = crate / "evil\x1b[2J\x1b]8;;http:x\x07\u202e.mp3"
    evil.write_text("not audio")
    result = setlist(tmp_path / "library.db", "scan", str(crate))
    assert result.exit_code == 0
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in result.stderr
        assert raw not in result.stdout
    assert "evil[2J" in result.stderr
    report = setlist(tmp_path / "library.db", "scan", str(crate), "--json").stdout
    assert "\x1b" not in report
    assert "\u202e" not in report
    assert json.loads(report)["errors"][0]["path"] == str(evil)


# -- exit codes ---------------------------------------------------------------------------


def test_unreadable_files_exit_0_unless_strict(music: Path, tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    assert setlist(db, "scan", str(music)).exit_code == 0
    assert setlist(db, "scan", str(music), "--strict").exit_code == 1
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copyfile(music / "full.ogg", clean / "a.ogg")
    assert setlist(db, "scan", str(clean), "--strict").exit_code == 0


def test_path_that_does_not_exist_exits_2_naming_it(music: Path, tmp_path: Path) -> None:
    ghost = tmp_path / "nulle part"
    result = setlist(tmp_path / "library.db", "scan", str(music), str(ghost))
    assert result.exit_code == 2
    assert str(ghost) in one_error_line(result.stderr)
    assert result.stdout == ""


@pytest.mark.parametrize("workers", ["0", "-1", "many"])
def test_bad_worker_count_is_a_usage_error(music: Path, tmp_path: Path, workers: str) -> None:
    result = setlist(tmp_path / "library.db", "scan", str(music), "--workers", workers)
    assert result.exit_code == 2
    assert "--workers" in result.stderr
    assert not (tmp_path / "library.db").exists()


def test_worker_counts_agree(music: Path, tmp_path: Path) -> None:
    reports = [
        json.loads(
            setlist(tmp_path / f"{n}.db", "scan", str(music), "--workers", n, "--json").stdout
        )
        for n in ("1", "3")
    ]
    assert reports[0] == reports[1]


def test_scan_needs_a_path(tmp_path: Path) -> None:
    result = setlist(tmp_path / "library.db", "scan")
    assert result.exit_code == 2
    assert "PATHS" in result.stderr


# -- the real program ---------------------------------------------------------------------


def test_real_process_exit_codes_and_messages(music: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "library.db")
    ok = run("--db", db, "scan", str(music), "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["added"] > 0
    assert run("--db", db, "scan", str(music), "--strict").returncode == 1

    ghost = run("--db", db, "scan", str(tmp_path / "absent"))
    assert ghost.returncode == 2
    assert str(tmp_path / "absent") in one_error_line(ghost.stderr)

    foreign = tmp_path / "notes.txt"
    foreign.write_text("Jëff's notes\n")
    refused = run("--db", str(foreign), "scan", str(music))
    assert refused.returncode == 2
    assert str(foreign) in one_error_line(refused.stderr)
    assert foreign.read_text() == "Jëff's notes\n"


def test_two_scans_into_one_database_at_once(music: Path, tmp_path: Path) -> None:
    crates = [tmp_path / "crate-a", tmp_path / "crate-b"]
    for crate, prefix in zip(crates, ("full", "alias"), strict=True):
        crate.mkdir()
        for source in music.glob(f"{prefix}.*"):
            shutil.copyfile(source, crate / source.name)
    db = str(tmp_path / "library.db")
    scans = [
        subprocess.Popen(
            [*PROGRAM, "--db", db, "scan", str(crate), "--json", "--workers", "2"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
        )
        for crate in crates
    ]
    outputs = [process.communicate(timeout=120) for process in scans]
    for process, (_, stderr) in zip(scans, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert "locked" not in stderr
    added = [json.loads(stdout)["added"] for stdout, _ in outputs]
    assert added == [len(list(crate.iterdir())) for crate in crates]
    listed = json.loads(run("--db", db, "tracks", "--json").stdout)
    assert len(listed) == sum(added)


def test_a_mistyped_path_creates_no_library_file(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    result = setlist(db, "scan", str(tmp_path / "Musik"))
    assert result.exit_code == 2
    assert not db.exists()


def test_error_messages_never_carry_escape_sequences(tmp_path: Path) -> None:
    hostile = tmp_path / "x\x1b[31mred\x1b]8;;http://evil\x07"
    result = setlist(tmp_path / "lib.db", "scan", str(hostile))
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "x[31mred" in result.stderr


def test_help_lists_every_command_though_they_load_lazily() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("scan", "tracks", "demo"):
        assert f"  {command} " in result.stdout
