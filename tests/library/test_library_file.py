"""Damaged and foreign library files: refused with one line, and never modified.

Real SQLite files, damaged the ways files get damaged: cut short (a full disk, a copy that
stopped), pages overwritten (a bad sector, another program writing where it should not), a
write-ahead log left beside another program's database. Every file of the folder is hashed
before and after: a refusal that wrote anything, even beside the file, fails.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import textwrap
from pathlib import Path

import pytest
from processes import python, run

from library.errors import DamagedDatabaseError, ForeignDatabaseError
from library.library_file import database_problem
from library.storage import Store, track_row

PAGE = 4096


def folder_state(folder: Path) -> dict[str, str]:
    """Every file of the folder with its hash: a refusal must leave all of them as they were."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


def library(path: Path, tracks: int = 400) -> Path:
    """A closed setlist library holding `tracks` tracks (many pages), with no WAL beside it."""
    store = Store(path)
    rows = [
        track_row(
            f"/musique/caisse-{n // 50}/piste {n} é.flac".encode(),
            n,
            1,
            {"title": f"Entrée n°{n}", "artist": "Jëff Mills", "has_artwork": False},
        )
        for n in range(tracks)
    ]
    store.save_scanned(rows, [])
    store.close()
    assert not Path(f"{path}-wal").exists()
    return path


def overwrite(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(data)


def root_page(path: Path, table: str) -> int:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        (page,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    finally:
        connection.close()
    return int(page)


def integrity(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    finally:
        connection.close()


def damaged_pages(tmp_path: Path) -> Path:
    """A library whose tracks table's root page is garbage: its header is fine, so only
    reading (or checking) the pages finds the damage."""
    path = library(tmp_path / "library.db")
    overwrite(path, (root_page(path, "tracks") - 1) * PAGE, b"\x0d\xff\xee" * (PAGE // 3))
    assert integrity(path) != ["ok"]
    return path


# -- truncated ----------------------------------------------------------------------------


@pytest.mark.parametrize("cut", ["half-the-pages", "inside-a-page"])
def test_a_truncated_library_is_refused_untouched(tmp_path: Path, cut: str) -> None:
    path = library(tmp_path / "library.db")
    size = path.stat().st_size
    keep = (size // PAGE // 2) * PAGE if cut == "half-the-pages" else size - PAGE // 2
    os.truncate(path, keep)
    before = folder_state(tmp_path)
    with pytest.raises(DamagedDatabaseError, match="truncated") as caught:
        Store(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: the library database is damaged")
    assert "setlist restore" in message
    assert "\n" not in message
    assert folder_state(tmp_path) == before


# -- damaged pages ------------------------------------------------------------------------


def test_damaged_pages_are_refused_before_any_write(tmp_path: Path) -> None:
    path = damaged_pages(tmp_path)
    before = folder_state(tmp_path)
    store = Store(path)  # the header is sound: opening alone cannot tell
    try:
        with pytest.raises(sqlite3.DatabaseError) as read:
            store.tracks()
        problem = database_problem(read.value, path)
        assert isinstance(problem, DamagedDatabaseError)
        with pytest.raises(DamagedDatabaseError, match="damaged"), store.transaction():
            pytest.fail("a damaged library was opened for writing")
    finally:
        store.close()
    assert folder_state(tmp_path) == before


def test_a_damaged_schema_page_is_refused_on_opening(tmp_path: Path) -> None:
    path = library(tmp_path / "library.db")
    overwrite(path, 100, b"\xff" * 200)  # page 1 after the header: where the schema starts
    before = folder_state(tmp_path)
    with pytest.raises(DamagedDatabaseError, match="damaged"):
        Store(path)
    assert folder_state(tmp_path) == before


@pytest.mark.parametrize("damage", ["truncated", "pages"])
def test_commands_refuse_a_damaged_library_with_one_line(tmp_path: Path, damage: str) -> None:
    if damage == "truncated":
        path = library(tmp_path / "library.db")
        os.truncate(path, path.stat().st_size // 2)
    else:
        path = damaged_pages(tmp_path)
    music = tmp_path / "musique"
    music.mkdir()
    before = folder_state(tmp_path)
    for command in (
        ["tracks"],
        ["scan", str(music)],
        ["note", "1", "--energy", "5"],
        ["sets", "new", "Nacht [Dämmerung]"],
    ):
        done = run("--db", str(path), *command)
        assert done.returncode == 2, (command, done.stderr)
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith(f"setlist: error: {path}: the library database is damaged")
        assert "Traceback" not in done.stderr
        assert folder_state(tmp_path) == before, command


# -- a write-ahead log beside another program's database ----------------------------------

CRASHED_WRITER = textwrap.dedent(
    """
    import os, sqlite3, sys
    connection = sqlite3.connect(sys.argv[1], isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    if sys.argv[2] == "checkpointed":
        connection.execute("CREATE TABLE albums (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        connection.execute("CREATE TABLE albums (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO albums (name) VALUES ('Été')")
    os._exit(0)  # killed: no checkpoint, the log stays beside the file
    """
)


@pytest.mark.parametrize("state", ["all-in-the-log", "checkpointed"])
def test_a_log_beside_a_foreign_database_is_left_alone(tmp_path: Path, state: str) -> None:
    """Another program crashed with its database's latest changes (here, maybe all of its
    tables) still in the write-ahead log beside it: the file is refused, and neither it, nor
    the log, nor SQLite's shared-memory index beside them is written."""
    path = tmp_path / "photos.db"
    done = python(CRASHED_WRITER, str(path), state)
    assert done.returncode == 0, done.stderr
    assert Path(f"{path}-wal").stat().st_size > 0
    before = folder_state(tmp_path)
    with pytest.raises(ForeignDatabaseError, match="albums"):
        Store(path)
    assert folder_state(tmp_path) == before
    refused = run("--db", str(path), "tracks")
    assert refused.returncode == 2
    assert "not a setlist database" in refused.stderr
    assert folder_state(tmp_path) == before


def test_a_foreign_database_in_use_is_left_alone(tmp_path: Path) -> None:
    """The other program still has its database open, its changes in the log."""
    path = tmp_path / "photos.db"
    owner = sqlite3.connect(path, isolation_level=None)
    try:
        owner.execute("PRAGMA journal_mode = WAL")
        owner.execute("PRAGMA wal_autocheckpoint = 0")
        owner.execute("CREATE TABLE albums (id INTEGER PRIMARY KEY, name TEXT)")
        owner.execute("INSERT INTO albums (name) VALUES ('Été')")
        before = folder_state(tmp_path)
        with pytest.raises(ForeignDatabaseError, match="albums"):
            Store(path)
        assert folder_state(tmp_path) == before
        assert owner.execute("SELECT name FROM albums").fetchall() == [("Été",)]
    finally:
        owner.close()
