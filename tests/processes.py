"""Helpers for tests that drive setlist as real processes: copies of the audio fixtures in
bulk, the program's command line, and the checks a library must pass after anything.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AUDIO = ROOT / "tests" / "fixtures" / "audio"
PROGRAM = [sys.executable, "-c", "from setlist.cli import main; main()"]
# Fixtures every scan reads (the broken ones are reported instead, and left out here).
READABLE = sorted(
    path
    for path in AUDIO.iterdir()
    if path.suffix != ".py" and not path.name.startswith(("truncated", "not-audio"))
)


def music_copies(folder: Path, count: int) -> list[Path]:
    """`count` copies of the readable fixtures under `folder`, ten to a subfolder, each with
    a name of its own (non-ASCII, as a DJ's files are)."""
    copies = []
    for number in range(count):
        source = READABLE[number % len(READABLE)]
        target = folder / f"caisse-{number // 10:02d}" / f"{number:04d} Piste à {source.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copies.append(target)
    return copies


def run(*args: str | bytes, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`setlist ARGS...` in its own process (arguments may be bytes, as a shell passes
    them), with a time limit."""
    return subprocess.run(
        [*PROGRAM, *args],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )


def python(code: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Python `code` in a fresh interpreter (`sys.argv[1:]` = `args`), with a time limit."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class Background:
    """Python code in a fresh interpreter (`sys.argv[1:]` = `args`) while a `with` block runs:
    another process using the library or its files at the same time as the test.

    The code prints `ready` once set up, which the block waits for. When the block ends, the
    code's stdin closes: its cue to finish. It must then exit with status 0; what it printed
    after `ready` is `output`.
    """

    def __init__(self, code: str, *args: str, ready: str = "ready") -> None:
        self.command = [sys.executable, "-c", code, *args]
        self.ready = ready
        self.output = ""
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> Background:
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if line != f"{self.ready}\n":
            self.process.kill()
            _, errors = self.process.communicate(timeout=30)
            raise AssertionError(f"{line!r} instead of {self.ready!r}: {errors}")
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        assert self.process is not None
        try:
            if kind is None:
                self.output, errors = self.process.communicate("", timeout=120)
                assert self.process.returncode == 0, errors
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.communicate(timeout=30)


def consistency(db: Path) -> tuple[list[str], list[tuple[object, ...]]]:
    """`PRAGMA integrity_check` and `PRAGMA foreign_key_check` of a library file, read the
    way SQLite reads it after a crash (the WAL beside it is recovered by this connection)."""
    connection = sqlite3.connect(db)
    try:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        foreign = list(connection.execute("PRAGMA foreign_key_check"))
    finally:
        connection.close()
    return integrity, foreign


def assert_consistent(db: Path) -> None:
    """The library file passes SQLite's own checks."""
    integrity, foreign = consistency(db)
    assert integrity == ["ok"], integrity
    assert foreign == [], foreign
