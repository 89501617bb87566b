"""`setlist backup`, `setlist restore` and the backup taken before a schema migration.

Real libraries, real processes: a backup taken while another process writes, a restore
refused while another process holds the library open, backups of an older schema.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import textwrap
from pathlib import Path

import pytest
from factories import add_track, invoke, one_error_line
from processes import Background, assert_consistent, run

from library.backups import KEEP_MIGRATION_BACKUPS, backup_before_migration
from library.errors import DatabaseError
from library.migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, _statements
from library.notes import store as notes_store
from library.notes.model import TrackNotes
from library.set_store import SetStore
from library.storage import Store


def library(path: Path) -> Path:
    """A closed library with two tracks, notes on the first and a set of both."""
    store = Store(path)
    first = add_track(store, title="Entrée à Métropolis")
    second = add_track(store, title="Nuit blanche")
    notes_store.save(store, first, TrackNotes(moods=["hanté"], energy=7, text="à garder"))
    SetStore(store).create("Nacht [Dämmerung]", track_ids=[first, second])
    store.close()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def marks(path: Path) -> tuple[int, int, str, str]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return (
            connection.execute("PRAGMA application_id").fetchone()[0],
            connection.execute("PRAGMA user_version").fetchone()[0],
            connection.execute("PRAGMA journal_mode").fetchone()[0],
            connection.execute("PRAGMA integrity_check").fetchone()[0],
        )
    finally:
        connection.close()


def energy(db: Path) -> int | None:
    store = Store(db)
    try:
        return notes_store.load(store, 1).energy
    finally:
        store.close()


# -- backup ---------------------------------------------------------------------------------


def test_backup_to_the_backups_folder_and_to_a_file(tmp_path: Path) -> None:
    db = library(tmp_path / "library.db")
    done = invoke(db, "backup")
    assert done.exit_code == 0, done.stderr
    (made,) = (tmp_path / "backups").iterdir()
    assert made.name.startswith("library-") and made.suffix == ".db"
    assert done.stdout.strip() == f"Backed up {db} to {made}"
    assert marks(made) == (APPLICATION_ID, SCHEMA_VERSION, "delete", "ok")
    assert not Path(f"{made}-wal").exists()  # one self-contained file
    named = tmp_path / "clé USB" / "avant la soirée.db"
    assert invoke(db, "backup", str(named)).exit_code == 0
    assert energy(named) == 7
    before = digest(named)
    again = invoke(db, "backup", str(named))
    assert again.exit_code == 2
    assert "exists already" in one_error_line(again.stderr)
    assert digest(named) == before  # never overwritten
    assert sorted(p.name for p in named.parent.iterdir()) == [named.name]  # no leftovers


def test_backup_of_no_library_or_a_damaged_one_is_refused(tmp_path: Path) -> None:
    missing = invoke(tmp_path / "nothing.db", "backup")
    assert missing.exit_code == 2
    assert "nothing to back up" in one_error_line(missing.stderr)
    assert not (tmp_path / "nothing.db").exists()
    db = library(tmp_path / "library.db")
    connection = sqlite3.connect(db)
    (root,) = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'sets'"
    ).fetchone()
    connection.close()
    with db.open("r+b") as handle:  # the sets table's page, overwritten
        handle.seek((root - 1) * 4096)
        handle.write(b"\x0d\xee" * 2048)
    refused = invoke(db, "backup", str(tmp_path / "copie.db"))
    assert refused.exit_code == 2
    assert "damaged" in one_error_line(refused.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.db"]


WRITER = textwrap.dedent(
    """
    import sys, threading
    from library.set_store import SetStore
    from library.storage import Store, track_row
    store = Store(sys.argv[1])
    store.save_scanned([track_row(f"/m/{n}.flac".encode(), n, 1, {"has_artwork": 0})
                        for n in range(20)], [])
    sets = SetStore(store)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    print("ready", flush=True)
    number = 0
    while not stop.is_set() and number < 5000:
        sets.create(f"set n°{number}", track_ids=range(1, 21))  # 20 entries, one transaction
        number += 1
    store.close()
    """
)


def test_a_backup_taken_while_another_process_writes_is_consistent(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    copies = [tmp_path / f"copie {n}.db" for n in range(5)]
    with Background(WRITER, str(db)):
        for copy in copies:
            done = run("--db", str(db), "backup", str(copy))
            assert done.returncode == 0, done.stderr
    for copy in copies:
        assert_consistent(copy)
        connection = sqlite3.connect(copy)
        sizes = connection.execute("SELECT count(*) FROM set_entries GROUP BY set_id").fetchall()
        connection.close()
        assert {size for (size,) in sizes} <= {20}  # every set whole: one snapshot
    assert len({digest(copy) for copy in copies}) > 1  # taken while the writes went on


# -- restore --------------------------------------------------------------------------------


def test_restore_brings_the_backup_back_and_keeps_the_replaced_library(tmp_path: Path) -> None:
    db = library(tmp_path / "library.db")
    backup = tmp_path / "sauvegarde.db"
    assert invoke(db, "backup", str(backup)).exit_code == 0
    assert invoke(db, "note", "1", "--energy", "3").exit_code == 0  # changed after the backup
    backup_digest = digest(backup)
    done = run("--db", str(db), "restore", str(backup))
    assert done.returncode == 0, done.stderr
    (kept,) = (tmp_path / "backups").iterdir()
    assert done.stdout.splitlines() == [
        f"Restored {backup} into {db}",
        f"The library it replaced is kept as {kept}",
    ]
    assert energy(db) == 7
    assert energy(kept) == 3
    assert digest(backup) == backup_digest  # the backup itself is only read
    assert marks(db)[2] == "wal"
    assert_consistent(db)
    tracks = json.loads(run("--db", str(db), "sets", "show", "Nacht [Dämmerung]", "--json").stdout)
    assert [entry["title"] for entry in tracks["entries"]] == [
        "Entrée à Métropolis",
        "Nuit blanche",
    ]


def test_restore_into_a_new_place(tmp_path: Path) -> None:
    backup = library(tmp_path / "ancienne machine.db")
    db = tmp_path / "nouvelle" / "library.db"
    done = invoke(db, "restore", str(backup))
    assert done.exit_code == 0, done.stderr
    assert "kept" not in done.stdout
    assert energy(db) == 7


def old_library(path: Path, version: int) -> Path:
    """A library made by the first `version` migrations, with a track, as an older setlist
    left it."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    for step in MIGRATIONS[:version]:
        for statement in _statements(step):
            connection.execute(statement)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version = {version}")
    connection.execute(
        "INSERT INTO tracks (path_bytes, path, size, mtime_ns, title, added_at, updated_at) "
        "VALUES (?, ?, 1, 1, 'Entrée ancienne', '2020-01-01', '2020-01-01')",
        (b"/m/ancienne.flac", "/m/ancienne.flac"),
    )
    connection.close()
    return path


def test_restore_upgrades_an_older_backup(tmp_path: Path) -> None:
    backup = old_library(tmp_path / "2020.db", SCHEMA_VERSION - 1)
    db = library(tmp_path / "library.db")
    done = invoke(db, "restore", str(backup))
    assert done.exit_code == 0, done.stderr
    assert f"(upgraded from schema {SCHEMA_VERSION - 1})" in done.stdout
    assert marks(db)[:2] == (APPLICATION_ID, SCHEMA_VERSION)
    listed = json.loads(invoke(db, "tracks", "--json").stdout)
    assert [track["title"] for track in listed] == ["Entrée ancienne"]
    assert marks(backup)[1] == SCHEMA_VERSION - 1  # the backup file is left as it was


def test_restore_over_a_damaged_library(tmp_path: Path) -> None:
    backup = library(tmp_path / "sauvegarde.db")
    db = library(tmp_path / "library.db")
    os.truncate(db, db.stat().st_size // 2)
    assert invoke(db, "tracks").exit_code == 2  # refused: damaged
    damaged = digest(db)
    done = invoke(db, "restore", str(backup))
    assert done.exit_code == 0, done.stderr
    (kept,) = (tmp_path / "backups").iterdir()
    assert digest(kept) == damaged  # the damaged file is kept as it was
    assert energy(db) == 7
    assert_consistent(db)


def _refusals(tmp_path: Path) -> list[tuple[Path, str]]:
    foreign = tmp_path / "photos.db"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE albums (name TEXT)")
    connection.commit()
    connection.close()
    empty = tmp_path / "vide.db"
    sqlite3.connect(empty).execute("CREATE TABLE t (x)").connection.close()
    sqlite3.connect(empty).execute("DROP TABLE t").connection.close()
    text = tmp_path / "notes.txt"
    text.write_text("Jëff Mills — à garder\n")
    truncated = library(tmp_path / "coupée.db")
    os.truncate(truncated, truncated.stat().st_size // 2)
    newer = library(tmp_path / "future.db")
    connection = sqlite3.connect(newer)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    return [
        (foreign, "not a setlist database"),
        (empty, "not a setlist database (an empty SQLite file)"),
        (text, "not an SQLite file"),
        (truncated, "the backup is damaged"),
        (newer, "written by a newer setlist"),
        (tmp_path / "absente.db", "no such file"),
    ]


def test_restore_checks_the_file_before_replacing_anything(tmp_path: Path) -> None:
    db = library(tmp_path / "bibliothèque" / "library.db")
    for source, message in _refusals(tmp_path):
        before = {p.name: digest(p) for p in tmp_path.rglob("*") if p.is_file()}
        done = invoke(db, "restore", str(source))
        assert done.exit_code == 2, source
        line = one_error_line(done.stderr)
        assert str(source) in line and message in line, line
        after = {p.name: digest(p) for p in tmp_path.rglob("*") if p.is_file()}
        assert after == before, source  # the library and the file alike
    itself = invoke(db, "restore", str(db))
    assert itself.exit_code == 2
    assert "the library itself" in itself.stderr


HOLDER = textwrap.dedent(
    """
    import sys
    from library.storage import Store
    store = Store(sys.argv[1])
    store.tracks()
    print("open", flush=True)
    sys.stdin.read()
    store.close()
    """
)


def test_restore_is_refused_while_another_process_has_the_library_open(tmp_path: Path) -> None:
    db = library(tmp_path / "library.db")
    backup = tmp_path / "sauvegarde.db"
    assert invoke(db, "backup", str(backup)).exit_code == 0
    assert invoke(db, "note", "1", "--energy", "2").exit_code == 0
    with Background(HOLDER, str(db), ready="open"):
        refused = run("--db", str(db), "restore", str(backup))
        assert refused.returncode == 2
        assert "in use by another setlist" in one_error_line(refused.stderr)
        assert not (tmp_path / "backups").exists()
    assert energy(db) == 2  # unchanged
    done = run("--db", str(db), "restore", str(backup))  # closed: now it goes
    assert done.returncode == 0, done.stderr
    assert energy(db) == 7


# -- before a migration ---------------------------------------------------------------------


def test_a_library_is_backed_up_before_its_schema_is_upgraded(tmp_path: Path) -> None:
    db = old_library(tmp_path / "library.db", SCHEMA_VERSION - 1)
    store = Store(db)
    store.close()
    (made,) = (tmp_path / "backups").iterdir()
    assert made.name.startswith(f"library-before-schema-{SCHEMA_VERSION}-from-{SCHEMA_VERSION - 1}")
    assert marks(made) == (APPLICATION_ID, SCHEMA_VERSION - 1, "delete", "ok")
    assert marks(db)[1] == SCHEMA_VERSION
    Store(db).close()  # up to date: no other backup
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_a_new_library_is_never_backed_up(tmp_path: Path) -> None:
    Store(tmp_path / "library.db").close()
    Store(tmp_path / "library.db").close()
    assert not (tmp_path / "backups").exists()


def test_only_the_last_migration_backups_are_kept(tmp_path: Path) -> None:
    db = library(tmp_path / "library.db")
    connection = sqlite3.connect(db)
    try:
        made = [
            backup_before_migration(connection, db, 4) for _ in range(KEEP_MIGRATION_BACKUPS + 2)
        ]
    finally:
        connection.close()
    manual = invoke(db, "backup")  # kept whatever happens to the others
    assert manual.exit_code == 0
    left = sorted(p.name for p in (tmp_path / "backups").iterdir() if "before-schema" in p.name)
    assert left == sorted(p.name for p in made[-KEEP_MIGRATION_BACKUPS:])
    assert len(list((tmp_path / "backups").iterdir())) == KEEP_MIGRATION_BACKUPS + 1


def test_a_failed_backup_stops_the_upgrade(tmp_path: Path) -> None:
    db = old_library(tmp_path / "library.db", SCHEMA_VERSION - 1)
    (tmp_path / "backups").write_text("un fichier, pas un dossier")  # cannot hold backups
    before = marks(db)[1]
    with pytest.raises(DatabaseError, match="not upgraded") as caught:
        Store(db)
    assert "backup" in str(caught.value)
    assert marks(db)[1] == before == SCHEMA_VERSION - 1
