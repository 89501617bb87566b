"""Tests for library.storage: opening (and refusing) database files, ids, threads, processes.

Every database here is a real SQLite file in the test's folder. Files the store must refuse are
hashed before and after, and the folder is listed too, so a stray `-wal`/`-shm` beside a
foreign file counts as touching it.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import platformdirs
import pytest

from library.errors import DatabaseError, ForeignDatabaseError, NewerSchemaError
from library.library_file import BUSY_TIMEOUT_MS, database_problem
from library.migrations import APPLICATION_ID, SCHEMA_VERSION
from library.search_text import fold, normalise_catno
from library.storage import (
    MMAP_BYTES,
    FileStat,
    Store,
    default_path,
    display_path,
    track_row,
)

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"
ROOT = Path(__file__).resolve().parents[2]


def tags(**values: Any) -> dict[str, Any]:
    """Tag values as a scan reads them, non-ASCII by default."""
    return {
        "format": "flac",
        "title": "Entrée à Métropolis",
        "artist": "Jëff Mills",
        "label": "Axis Récords",
        "catalog_number": "AX-022",
        "key": "Am",
        "bpm": 128.0,
        "has_artwork": False,
        **values,
    }


def fingerprint(path: Path) -> tuple[str, list[str]]:
    """The file's hash and its folder's listing: both must survive a refusal unchanged."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), sorted(os.listdir(path.parent))


def sqlite_file(path: Path, *statements: str, wal: bool = False) -> Path:
    """A real SQLite file made by plain sqlite3, closed (and checkpointed) before returning."""
    connection = sqlite3.connect(path)
    if wal:
        connection.execute("PRAGMA journal_mode = WAL")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    return path


def pragma(path: Path, name: str) -> Any:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        connection.close()


def track_id(store: Store, path: bytes) -> int:
    return store.known_files()[path].id


# -- opening ------------------------------------------------------------------------------


def test_new_database_is_marked_as_setlists_and_uses_wal(tmp_path: Path) -> None:
    store = Store(tmp_path / "library.db")
    connection = store.connection()
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS > 0
    assert connection.execute("PRAGMA mmap_size").fetchone()[0] == MMAP_BYTES
    store.close()
    # The marks are in the file itself, seen by a plain sqlite3 connection after closing.
    assert pragma(tmp_path / "library.db", "application_id") == APPLICATION_ID
    assert pragma(tmp_path / "library.db", "user_version") == SCHEMA_VERSION


def test_reopening_keeps_the_library(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    store = Store(path)
    store.save_scanned([track_row(b"/m/a.flac", 10, 1, tags())], [])
    first = track_id(store, b"/m/a.flac")
    store.close()
    again = Store(path)
    try:
        assert track_id(again, b"/m/a.flac") == first
        assert [t.title for t in again.tracks()] == ["Entrée à Métropolis"]
    finally:
        again.close()


def test_missing_parent_folders_are_created(tmp_path: Path) -> None:
    store = Store(tmp_path / "déjà" / "vu" / "library.db")
    store.close()
    assert (tmp_path / "déjà" / "vu" / "library.db").is_file()


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal"])
def test_foreign_sqlite_database_is_refused_untouched(tmp_path: Path, wal: bool) -> None:
    path = sqlite_file(
        tmp_path / "photos.db",
        "CREATE TABLE albums (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO albums (name) VALUES ('Été')",
        wal=wal,
    )
    before = fingerprint(path)
    with pytest.raises(ForeignDatabaseError, match="albums") as caught:
        Store(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    assert fingerprint(path) == before


def test_foreign_application_id_without_tables_is_refused(tmp_path: Path) -> None:
    path = sqlite_file(tmp_path / "other.db", "PRAGMA application_id = 1234")
    before = fingerprint(path)
    with pytest.raises(ForeignDatabaseError, match="application id"):
        Store(path)
    assert fingerprint(path) == before


def test_empty_database_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    """No tables and no application id, but user_version 5: someone else's, not empty."""
    path = sqlite_file(tmp_path / "other.db", "PRAGMA user_version = 5")
    before = fingerprint(path)
    with pytest.raises(ForeignDatabaseError, match="user_version 5"):
        Store(path)
    assert fingerprint(path) == before


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: p.write_text("Jëff Mills — notes\n"), id="text"),
        pytest.param(lambda p: p.write_bytes((AUDIO / "full.mp3").read_bytes()), id="mp3"),
        pytest.param(
            lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200), id="bad-sqlite"
        ),
    ],
)
def test_non_database_files_are_refused_untouched(tmp_path: Path, make: Any) -> None:
    path = tmp_path / "library.db"
    make(path)
    before = fingerprint(path)
    with pytest.raises(ForeignDatabaseError) as caught:
        Store(path)
    assert str(path) in str(caught.value)
    assert fingerprint(path) == before


def test_empty_sqlite_database_is_adopted(tmp_path: Path) -> None:
    path = sqlite_file(tmp_path / "new.db", "CREATE TABLE t (x)", "DROP TABLE t")
    assert path.stat().st_size > 0
    assert pragma(path, "application_id") == 0
    store = Store(path)
    store.save_scanned([track_row(b"/m/a.flac", 1, 1, tags())], [])
    store.close()
    assert pragma(path, "application_id") == APPLICATION_ID


def test_zero_byte_file_is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    path.touch()
    store = Store(path)
    store.close()
    assert pragma(path, "user_version") == SCHEMA_VERSION


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    Store(path).close()
    sqlite_file(path, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = fingerprint(path)
    with pytest.raises(NewerSchemaError, match=f"schema {SCHEMA_VERSION + 1}") as caught:
        Store(path)
    assert str(path) in str(caught.value)
    assert fingerprint(path) == before


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="folder"):
        Store(tmp_path)


def test_default_path_lies_in_the_platform_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = default_path()
    assert path.name == "library.db"
    assert path.parent == Path(platformdirs.user_data_dir("setlist"))
    assert not path.parent.exists()  # computing the path creates nothing


# -- rows and ids -------------------------------------------------------------------------


def test_track_keeps_its_id_when_its_file_changes(store: Store) -> None:
    store.save_scanned([track_row(b"/m/a.flac", 10, 1, tags())], [])
    store.save_scanned([track_row(b"/m/b.flac", 10, 1, tags(title="Bé"))], [])
    first = track_id(store, b"/m/a.flac")
    store.save_scanned([track_row(b"/m/a.flac", 99, 2, tags(title="Nouveau"))], [])
    assert track_id(store, b"/m/a.flac") == first
    assert track_id(store, b"/m/b.flac") != first
    (track,) = store.tracks("id = ?", [first])
    assert (track.title, track.size) == ("Nouveau", 99)


def test_missing_tracks_keep_their_row_until_seen_again(store: Store) -> None:
    store.save_scanned([track_row(b"/m/a.flac", 10, 1, tags())], [])
    first = track_id(store, b"/m/a.flac")
    store.mark_missing([b"/m/a.flac"])
    assert store.known_files()[b"/m/a.flac"].missing
    assert [t.id for t in store.tracks("missing = 1")] == [first]
    store.save_scanned([], [], present=[b"/m/a.flac"])
    assert not store.known_files()[b"/m/a.flac"].missing


def test_read_errors_are_remembered_until_read_or_forgotten(store: Store) -> None:
    store.save_scanned(
        [],
        [
            (b"/m/bad.mp3", FileStat(5, 6, 7), "truncated"),
            (b"/m/gone.mp3", FileStat(0, 1, 1), "empty"),
        ],
    )
    assert store.known_errors() == {
        b"/m/bad.mp3": (FileStat(5, 6, 7), "truncated"),
        b"/m/gone.mp3": (FileStat(0, 1, 1), "empty"),
    }
    store.save_scanned([track_row(b"/m/bad.mp3", 1, 2, tags())], [])
    store.forget_errors([b"/m/gone.mp3"])
    assert store.known_errors() == {}


def test_undecodable_path_is_stored_losslessly(store: Store) -> None:
    raw = b"/m/caf\xe9 \xff.flac"
    store.save_scanned([track_row(raw, 1, 1, tags())], [])
    assert raw in store.known_files()
    (track,) = store.tracks()
    assert track.path == "/m/caf\ufffd \ufffd.flac"
    assert display_path(raw) == track.path
    assert (
        store.track_paths([track.id]).get(track.id) == raw
    )  # what a player opens: the exact bytes
    assert store.track_paths([track.id + 1]).get(track.id + 1) is None


def test_derived_search_columns(store: Store) -> None:
    store.save_scanned([track_row(b"/m/a.flac", 1, 1, tags(key="8A - 6"))], [])
    (track,) = store.tracks()
    assert (track.key, track.camelot) == ("8A - 6", "8A")
    assert fold("STRASSE") == fold("Straße")
    assert fold("Entre\u0301e") == fold("ENTRÉE")  # decomposed and composed é are one letter
    assert normalise_catno("AX-022") == normalise_catno("ax 022") == normalise_catno("AX022")


def test_failed_transaction_writes_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as connection:
        connection.execute(
            "UPDATE tracks SET title = 'x'"  # harmless statement, then a failure
        )
        raise RuntimeError("boom")
    store.save_scanned([track_row(b"/m/a.flac", 1, 1, tags())], [])
    assert [t.title for t in store.tracks()] == ["Entrée à Métropolis"]


def test_readers_are_not_blocked_by_a_writer(store: Store) -> None:
    """WAL: a held write lock (another process mid-scan) does not stop listing."""
    store.save_scanned([track_row(b"/m/a.flac", 1, 1, tags())], [])
    writer = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE tracks SET title = 'pending'")
        assert [t.title for t in store.tracks()] == ["Entrée à Métropolis"]
        writer.execute("ROLLBACK")
    finally:
        writer.close()


# -- concurrency --------------------------------------------------------------------------


def test_threads_get_their_own_connections_and_all_writes_land(store: Store) -> None:
    start = threading.Barrier(2, timeout=30)
    connections: dict[str, sqlite3.Connection] = {}
    failures: list[BaseException] = []

    def write(name: str) -> None:
        try:
            connections[name] = store.connection()
            start.wait()
            for number in range(100):
                path = f"/{name}/piste-{number}.flac".encode()
                store.save_scanned([track_row(path, number, number, tags(title=name))], [])
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=write, args=(name,)) for name in ("un", "deux")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert connections["un"] is not connections["deux"]
    assert store.connection() not in connections.values()
    assert store.count_tracks("title = ?", ["un"]) == store.count_tracks("title = ?", ["deux"])
    assert store.count_tracks() == 200
    store.close()  # closes connections made in other threads without complaint


WRITER = textwrap.dedent(
    """
    import sys
    from library.storage import Store, track_row

    store = Store(sys.argv[1])
    for number in range(150):
        path = f"/{sys.argv[2]}/{number}.flac".encode()
        store.save_scanned([track_row(path, 1, 1, {"title": sys.argv[2], "has_artwork": 0})], [])
    store.close()
    """
)


def test_two_processes_write_one_new_database_at_once(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), name],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("ünë", "deux")
    ]
    outcomes = [writer.communicate(timeout=120) for writer in writers]
    for writer, (_, stderr) in zip(writers, outcomes, strict=True):
        assert "locked" not in stderr
        assert writer.returncode == 0, stderr
    store = Store(path)
    try:
        assert store.count_tracks("title = ?", ["ünë"]) == 150
        assert store.count_tracks("title = ?", ["deux"]) == 150
    finally:
        store.close()


def _open_and_write(path: str, start: Any, outcomes: Any) -> None:
    """In a child process: open the library the moment every sibling is ready, then write."""
    start.wait(timeout=30)
    try:
        store = Store(path)
        store.save_scanned([track_row(f"/{os.getpid()}.flac".encode(), 1, 1, tags())], [])
        store.close()
        outcomes.put("ok")
    except Exception as error:  # noqa: BLE001 - sent to the parent, which asserts on it
        outcomes.put(f"{type(error).__name__}: {error}")


@pytest.mark.skipif(sys.platform != "linux", reason="forks helper processes (Linux only)")
def test_processes_creating_one_new_library_together_all_succeed(tmp_path: Path) -> None:
    """Switching a new file to WAL fails at once, without waiting, when two processes race.

    A race, so it is run many times; before `_use_wal` retried, about one round in ten failed.
    """
    context = multiprocessing.get_context("fork")
    for round_number in range(30):
        path = str(tmp_path / f"library-{round_number}.db")
        start = context.Barrier(4)
        outcomes = context.Queue()
        children = [
            context.Process(target=_open_and_write, args=(path, start, outcomes)) for _ in range(4)
        ]
        for child in children:
            child.start()
        results = [outcomes.get(timeout=60) for _ in children]
        for child in children:
            child.join(timeout=60)
        assert results == ["ok"] * 4, f"round {round_number}"
        store = Store(path)
        assert store.count_tracks() == 4
        store.close()


# -- scan roots ---------------------------------------------------------------------------


def test_scan_roots_are_remembered_most_recent_first(store: Store) -> None:
    assert store.scan_roots() == []
    store.remember_scan_roots([b"/musique/vinyles", b"/m/caf\xe9"])
    store.remember_scan_roots([b"/musique/vinyles"])
    assert store.scan_roots()[0] == b"/musique/vinyles"
    assert set(store.scan_roots()) == {b"/musique/vinyles", b"/m/caf\xe9"}


def test_a_library_of_schema_1_gains_the_scan_roots_table(tmp_path: Path) -> None:
    from library.migrations import MIGRATIONS, _statements

    path = tmp_path / "old.db"
    old = sqlite3.connect(path, isolation_level=None)
    for statement in _statements(MIGRATIONS[0]):
        old.execute(statement)
    old.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old.execute("PRAGMA user_version = 1")
    old.close()
    store = Store(path)
    try:
        store.remember_scan_roots([b"/musique"])
        assert store.scan_roots() == [b"/musique"]
        assert pragma(path, "user_version") == SCHEMA_VERSION
    finally:
        store.close()


def test_a_library_kept_busy_is_reported_in_words(store: Store) -> None:
    """The error SQLite gives when the write lock stays taken past the busy timeout becomes
    one line that says what happened and that nothing changed."""
    holder = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    impatient = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError) as caught:
            impatient.execute("BEGIN IMMEDIATE")
        holder.execute("ROLLBACK")
    finally:
        holder.close()
        impatient.close()
    problem = database_problem(caught.value, store.path)
    assert problem is not None
    assert str(problem).startswith(f"{store.path}: the library stayed busy")
    assert "locked" not in str(problem)
    assert "nothing was changed" in str(problem)
    syntax = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError) as other:
        syntax.execute("SELEC 1")
    assert database_problem(other.value, store.path) is None  # a bug, not the user's problem


def test_an_sqlite_without_trigram_indexes_is_named_and_nothing_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python builds on SQLite older than 3.34 lack the trigram tokenizer the word index
    needs (migration step 8): one line says so, and the library is left as it was."""
    from library import migrations

    steps = (
        *migrations.MIGRATIONS[:-1],
        migrations.MIGRATIONS[-1].replace("'trigram ", "'nogram "),
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)  # what such an SQLite answers
    path = tmp_path / "library.db"
    with pytest.raises(DatabaseError) as caught:
        Store(path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message and "FTS5 trigram" in message and "3.34" in message
    assert sqlite3.sqlite_version in message
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        connection.close()


def test_a_library_copied_to_an_sqlite_without_trigram_is_refused_in_one_line(
    tmp_path: Path,
) -> None:
    """A library made here, opened where the tokenizer is missing (an older SQLite): the
    word index cannot be read, and opening says so at once rather than at the first search.
    The missing tokenizer is made by renaming it in the stored schema."""
    path = tmp_path / "library.db"
    Store(path).close()
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute(
            "UPDATE sqlite_master SET sql = replace(sql, 'trigram', 'nogram') "
            "WHERE name = 'track_words'"
        )
    finally:
        connection.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as caught:
        Store(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    assert "FTS5 trigram" in message and "nogram" in message
    assert path.read_bytes() == before
