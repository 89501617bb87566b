"""Checking a library file before setlist uses it, and naming what is wrong with it.

The path can come from a user (`--db`, `SETLIST_DB`, `setlist restore FILE`), so a file is
looked at before anything may write to it: one that is not SQLite, another program's
database, a newer setlist's, or a setlist library whose pages are damaged (truncated by a
full disk or a bad copy, overwritten by a bad sector) is refused with a one-line reason and
never modified. The first looks need no SQLite at all: the 100-byte header says whose file
it is (`application_id`), how big a page is and how many pages there should be.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from library.errors import (
    DamagedDatabaseError,
    DatabaseError,
    ForeignDatabaseError,
    NewerSchemaError,
)
from library.migrations import APPLICATION_ID, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 10_000
SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100
_JOURNALS = ("-wal", "-journal")


def journal_beside(path: Path) -> bool:
    """Whether a rollback journal or a write-ahead log sits beside `path` (a writer was here)."""
    return any(Path(f"{path}{suffix}").exists() for suffix in _JOURNALS)


def damaged(path: Path, why: str) -> DamagedDatabaseError:
    """The error for a setlist library whose content cannot be trusted."""
    return DamagedDatabaseError(
        f"{path}: the library database is damaged ({why}); nothing was changed. "
        "Restore a backup with: setlist restore FILE"
    )


def database_problem(error: sqlite3.Error, path: Path) -> DatabaseError | None:
    """The one-line error a user sees for an SQLite failure a user can act on: a damaged
    library file, or a library kept busy past the busy timeout; None for any other failure.
    """
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return damaged(path, str(error))
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseError(
            f"{path}: the library stayed busy for {BUSY_TIMEOUT_MS // 1000} s (another setlist "
            "is writing to it); nothing was changed, try again"
        )
    return None


def _header_damage(header: bytes, size: int) -> str | None:
    """What the header says is wrong with a file of `size` bytes that holds the whole
    database (no journal beside it), or None."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return f"the header names a page size of {page_size} bytes"
    if size % page_size:
        return f"{size} bytes is not a whole number of {page_size}-byte pages: truncated"
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid only when its change counter matches.
    if header[24:28] == header[92:96] and pages * page_size > size:
        return f"truncated: {size} bytes of the {pages * page_size} its header announces"
    return None


def read_marks(path: Path, how: str = "locked") -> tuple[int, int, list[str]]:
    """application_id, user_version and a few table names, all from one snapshot.

    `how`: "immutable" reads the file alone, without locks or side files; "locked" reads it
    read-only with locks (SQLite then reads a WAL beside it, and may refresh its `-shm`
    index); "private" opens a copy of our own, which may be written (a hot journal rolled
    back). One read transaction, not three statements: separate reads could straddle the
    commit of another process creating this library, and see its tables but not yet its id.
    """
    if how == "private":
        target = str(path)
    else:
        query = "mode=ro&immutable=1" if how == "immutable" else "mode=ro"
        target = f"{path.resolve().as_uri()}?{query}"
    try:
        probe = sqlite3.connect(target, uri=how != "private")
    except sqlite3.Error as error:
        raise DatabaseError(f"{path}: cannot open: {error}") from error
    try:
        probe.isolation_level = None
        probe.execute("BEGIN")
        app_id: int = probe.execute("PRAGMA application_id").fetchone()[0]
        version: int = probe.execute("PRAGMA user_version").fetchone()[0]
        tables = [row[0] for row in probe.execute("SELECT name FROM sqlite_master LIMIT 5")]
        probe.execute("COMMIT")
    finally:
        probe.close()
    return app_id, version, tables


def _read_copy(path: Path) -> tuple[int, int, list[str]]:
    """The marks of a private copy of the file and the journal beside it."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="setlist-probe-") as folder:
        copy = Path(folder) / "probe.db"
        shutil.copyfile(path, copy)
        for suffix in _JOURNALS:
            if Path(f"{path}{suffix}").exists():
                shutil.copyfile(f"{path}{suffix}", f"{copy}{suffix}")
        return read_marks(copy, "private")


def _foreign(app_id: int, version: int, tables: list[str]) -> bool:
    """Whether these marks are another program's. An empty database is adopted only at
    user_version 0: `migrate` starts from the version it finds, so another program's empty
    file at version 5 would skip setlist's schema."""
    return app_id != APPLICATION_ID and (app_id != 0 or bool(tables) or version != 0)


def _probe(path: Path, ours: bool) -> tuple[int, int, list[str]]:
    """Read a database file's marks, writing nothing: not the file, not what lies beside it.

    A read-only connection to a WAL-mode file still creates `-wal` and `-shm` beside it (and
    refreshes the `-shm` index), so the file is first read as immutable: the file alone, no
    locks, no side files. That settles a file with no journal beside it, and another
    program's file whatever lies beside it. Setlist's own library in use (a WAL beside it)
    is read with locks, for its latest schema version. A file that looks empty with a
    journal beside it may hold everything in that journal (another program's database never
    checkpointed, or a library another setlist is creating): a private copy of both is read.
    """
    beside = journal_beside(path)
    if beside and ours:
        return read_marks(path, "locked")
    try:
        marks: tuple[int, int, list[str]] | None = read_marks(path, "immutable")
    except sqlite3.DatabaseError:
        if not (beside or journal_beside(path)):
            raise
        marks = None  # torn by a writer
    if marks is not None and (_foreign(*marks) or not (beside or journal_beside(path))):
        return marks
    try:
        return _read_copy(path)
    except (OSError, sqlite3.DatabaseError):
        return read_marks(path, "locked")


def inspect(path: Path) -> None:
    """Refuse a file that is not (or not yet) a setlist database, or is damaged, without
    writing to it. A missing or empty file passes: it becomes a new library."""
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a database file")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(_HEADER_SIZE)
    except OSError as error:
        raise DatabaseError(f"{path}: cannot read: {error.strerror or error}") from error
    if not header.startswith(SQLITE_MAGIC):
        raise ForeignDatabaseError(f"{path}: not a setlist database (not an SQLite file)")
    ours = len(header) == _HEADER_SIZE and int.from_bytes(header[68:72], "big") == APPLICATION_ID
    if ours and not journal_beside(path):
        why = _header_damage(header, path.stat().st_size)
        if why is not None:
            raise damaged(path, why)
    try:
        app_id, version, tables = _probe(path, ours)
    except sqlite3.DatabaseError as error:
        if ours:
            raise damaged(path, str(error)) from error
        raise ForeignDatabaseError(f"{path}: not a usable SQLite database ({error})") from error
    if app_id == APPLICATION_ID and version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"{path}: written by a newer setlist (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade setlist to open it"
        )
    if _foreign(app_id, version, tables):
        what = (
            f"tables: {', '.join(tables)}"
            if tables
            else f"application id {app_id:#x}, user_version {version}"
        )
        raise ForeignDatabaseError(f"{path}: not a setlist database ({what})")


def check_pages(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse a library whose pages are damaged (`PRAGMA quick_check`), before a write.

    Reading a damaged page fails on its own, but a write could go through damaged pages and
    spread the damage; so a store checks once before its first write. It reads every page
    once: about 1 ms per 1,400 tracks (36 ms at 50,000, warm).
    """
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        raise database_problem(error, path) or damaged(path, str(error)) from error
    if rows != [("ok",)]:
        raise damaged(
            path, f"{rows[0][0]}" + (f", and {len(rows) - 1} more" if len(rows) > 1 else "")
        )
