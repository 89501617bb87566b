"""Copies of the library: `setlist backup`, `setlist restore`, and the copy taken before a
schema migration.

A backup is made with SQLite's backup API from one read snapshot, so it is consistent even
while another process (the app, a scan) writes: WAL readers never block writers. The copy
is written beside its destination under a temporary name, switched to a single file
(rollback journal: no `-wal` beside it), checked with `PRAGMA integrity_check`, and only then
given its name, which it never takes from an existing file.

Backups go to a `backups` folder beside the library unless a file is named:
`backups/library-20260601-041209.db`. Before a migration: `library-before-schema-7-...db`,
the last `KEEP_MIGRATION_BACKUPS` of them kept. Before a restore: `library-before-restore-...`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from library.errors import DamagedDatabaseError, DatabaseError, NewerSchemaError
from library.library_file import (
    BUSY_TIMEOUT_MS,
    SQLITE_MAGIC,
    damaged,
    database_problem,
    inspect,
)
from library.migrations import APPLICATION_ID, SCHEMA_VERSION, migrate

BACKUPS_FOLDER = "backups"
KEEP_MIGRATION_BACKUPS = 5
_JOURNALS = ("-wal", "-journal")


class BackupError(DatabaseError):
    """A backup or restore that cannot be made; the library was not changed."""


class LibraryInUseError(BackupError):
    """Another process has the library open; a restore waits until it is closed."""


def backups_folder(library: Path) -> Path:
    """Where a library's backups go: a `backups` folder beside it."""
    return library.parent / BACKUPS_FOLDER


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def backup_path(library: Path, reason: str = "") -> Path:
    """A new file name in the backups folder: the library's name, `reason`, the UTC time."""
    stem = "-".join(part for part in (library.stem, reason, _stamp()) if part)
    folder = backups_folder(library)
    path = folder / f"{stem}.db"
    number = 1
    while path.exists():  # two backups in one second
        number += 1
        path = folder / f"{stem}-{number}.db"
    return path


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # folders cannot be opened for fsync elsewhere; the rename is what matters
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _give_name(temp: Path, target: Path) -> None:
    """Rename `temp` to `target`, which must not exist: a hard link fails when it does (no
    file is ever overwritten); where links are not possible (FAT), the check comes first."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise BackupError(f"{target}: exists already; name another file") from None
    except OSError:
        if target.exists():
            raise BackupError(f"{target}: exists already; name another file") from None
        os.replace(temp, target)
    else:
        temp.unlink()
    _fsync_folder(target.parent)


def _integrity(connection: sqlite3.Connection) -> str | None:
    """What `PRAGMA integrity_check` finds wrong (its first line), or None."""
    try:
        found = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return str(error)
    return None if found == ["ok"] else found[0]


def copy_to(source: sqlite3.Connection, library: Path, target: Path) -> Path:
    """Copy the database of `source` (a connection to `library`) to the new file `target`.

    One step of the backup API reads one snapshot; the copy is checked before it is named.
    """
    if target.exists():
        raise BackupError(f"{target}: exists already; name another file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", dir=target.parent)
        os.close(handle)
    except OSError as error:
        raise BackupError(f"{target}: cannot write: {error.strerror or error}") from error
    temp = Path(name)
    try:
        copy = sqlite3.connect(temp, isolation_level=None)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            problem = _integrity(copy)
        finally:
            copy.close()
        if problem is not None:
            raise damaged(library, problem)
        with temp.open("rb+") as written:
            os.fsync(written.fileno())
        _give_name(temp, target)
    except sqlite3.Error as error:
        raise BackupError(f"{target}: cannot write the backup: {error}") from error
    except OSError as error:
        raise BackupError(f"{target}: cannot write: {error.strerror or error}") from error
    finally:
        temp.unlink(missing_ok=True)
    return target


def back_up(connection: sqlite3.Connection, library: Path, target: Path | None = None) -> Path:
    """`setlist backup`: copy the library (open on `connection`) to `target`, or to a new
    file of its backups folder."""
    return copy_to(connection, library, target or backup_path(library))


def backup_before_migration(connection: sqlite3.Connection, library: Path, version: int) -> Path:
    """The copy taken before a library at schema `version` is migrated; older such copies
    beyond the last `KEEP_MIGRATION_BACKUPS` are removed."""
    target = copy_to(
        connection, library, backup_path(library, f"before-schema-{SCHEMA_VERSION}-from-{version}")
    )
    made = sorted(
        backups_folder(library).glob(f"{library.stem}-before-schema-*.db"),
        key=lambda path: (path.stat().st_mtime_ns, path.name),
    )
    for old in made[:-KEEP_MIGRATION_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


# -- restore ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore did."""

    library: Path
    source: Path
    kept: Path | None  # the replaced library, kept in the backups folder (None: there was none)
    migrated_from: int | None  # the backup's schema version when it had to be upgraded


@contextmanager
def _private_copy(source: Path) -> Iterator[sqlite3.Connection]:
    """A connection to a copy of `source` (and its journal) in a folder of our own, so the
    backup file is never opened, let alone written, in place."""
    with tempfile.TemporaryDirectory(prefix="setlist-restore-") as folder:
        copy = Path(folder) / "restore.db"
        try:
            shutil.copyfile(source, copy)
            for suffix in _JOURNALS:
                if Path(f"{source}{suffix}").exists():
                    shutil.copyfile(f"{source}{suffix}", f"{copy}{suffix}")
        except OSError as error:
            raise BackupError(f"{source}: cannot read: {error.strerror or error}") from error
        connection = sqlite3.connect(copy, isolation_level=None)
        try:
            yield connection
        finally:
            connection.close()


def _checked(connection: sqlite3.Connection, source: Path) -> int:
    """Check the copy of a backup; its schema version."""
    try:
        app_id, version = (
            connection.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("application_id", "user_version")
        )
    except sqlite3.DatabaseError as error:
        raise _damaged_backup(source, str(error)) from error
    if app_id != APPLICATION_ID or version == 0:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master LIMIT 5")]
        what = (
            f"tables: {', '.join(tables)}"
            if tables
            else "an empty SQLite file"
            if app_id == 0
            else f"application id {app_id:#x}"
        )
        raise BackupError(f"{source}: not a setlist database ({what})")
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"{source}: written by a newer setlist (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade setlist to restore it"
        )
    problem = _integrity(connection)
    if problem is None and connection.execute("PRAGMA foreign_key_check").fetchone():
        problem = "rows point at rows that are not there (foreign_key_check)"
    if problem is not None:
        raise _damaged_backup(source, problem)
    return int(version)


def _damaged_backup(source: Path, problem: str) -> BackupError:
    return BackupError(
        f"{source}: the backup is damaged ({problem}); nothing was changed. Try another one"
    )


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:
        return False


def _new_file(target: Path, write: Callable[[Path], object], replace: bool = False) -> None:
    """Make the file `target` by `write` on a temporary file beside it, fsynced, then named:
    as a new name (an existing `target` is refused), or over `target` with `replace`."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", dir=target.parent)
    os.close(handle)
    temp = Path(name)
    try:
        write(temp)
        with temp.open("rb+") as written:
            os.fsync(written.fileno())
        if replace:
            os.replace(temp, target)
            _fsync_folder(target.parent)
        else:
            _give_name(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def _keep(library: Path) -> Path:
    """Copy the library file, and the log beside it if any, to the backups folder."""
    target = backup_path(library, "before-restore")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _new_file(target, lambda temp: shutil.copyfile(library, temp))
        log = Path(f"{library}-wal")
        if log.exists():  # a damaged library's log: what SQLite had not yet written back
            _new_file(Path(f"{target}-wal"), lambda temp: shutil.copyfile(log, temp))
    except OSError as error:
        raise BackupError(
            f"{target}: cannot keep the library: {error.strerror or error}"
        ) from error
    return target


def restore(library: Path, source: Path) -> Restored:
    """Replace the library's content by the backup `source`, keeping the replaced library.

    The backup is checked first, on a private copy (a setlist database, not newer than this
    setlist, `integrity_check` and `foreign_key_check` clean) and upgraded there if older.
    A library another process has open is refused (`LibraryInUseError`): the app would go on
    from what it holds in memory. The replacement is one SQLite transaction (backup API into
    the library), so a crash during it leaves the old library, and a process opening the
    library meanwhile sees the old content or the new, never a mix.
    """
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    if _same_file(source, library):
        raise BackupError(f"{source}: is the library itself")
    try:
        with source.open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"{source}: cannot read: {error.strerror or error}") from error
    if magic != SQLITE_MAGIC:
        raise BackupError(f"{source}: not a setlist database (not an SQLite file)")
    with _private_copy(source) as copy:
        version = _checked(copy, source)
        migrated_from = None
        if version < SCHEMA_VERSION:
            migrate(copy)
            migrated_from = version
        if library.exists() and library.stat().st_size > 0:
            # Never overwrite another program's database; a damaged library is what
            # restoring is for (it is kept all the same).
            with contextlib.suppress(DamagedDatabaseError):
                inspect(library)
            kept = _replace(library, copy)
        else:
            library.parent.mkdir(parents=True, exist_ok=True)
            _write_into(copy, library)
            kept = None
    return Restored(library, source, kept, migrated_from)


def _replace_damaged(library: Path, copy: sqlite3.Connection) -> Path:
    """Replace a library too damaged for SQLite to write into, file for file: keep it (and
    its log), write the backup to a new file beside it, remove the old log (it belongs to the
    damaged file, and SQLite would apply it to the new one), and rename the new file over it.
    """
    kept = _keep(library)

    def write(temp: Path) -> None:
        target = sqlite3.connect(temp, isolation_level=None)
        try:
            copy.backup(target)
        finally:
            target.close()
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{library}{suffix}").unlink(missing_ok=True)

    try:
        _new_file(library, write, replace=True)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"{library}: cannot restore into it: {error}") from error
    return kept


def _write_into(copy: sqlite3.Connection, library: Path) -> None:
    """Copy `copy`'s database into the (new) library file, in one transaction, in WAL mode."""
    live = sqlite3.connect(library, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        copy.backup(live)
        live.execute("PRAGMA journal_mode = WAL")
    finally:
        live.close()


def _replace(library: Path, copy: sqlite3.Connection) -> Path:
    """Keep the library, then write `copy` into it; refused while another process has it.

    Leaving WAL mode needs the only connection to the file, so it is the test: SQLite
    refuses it while any other process holds the library open (and it checkpoints the log
    into the file, so the file alone is the whole library, for keeping).
    """
    live = sqlite3.connect(library, isolation_level=None, timeout=0)
    try:
        try:
            mode = live.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.DatabaseError as error:
            if database_problem(error, library) is None:
                raise BackupError(f"{library}: cannot restore into it: {error}") from error
            if not isinstance(database_problem(error, library), DamagedDatabaseError):
                mode = "wal"  # busy: another process holds it
            else:
                live.close()
                return _replace_damaged(library, copy)
        if mode != "delete":
            raise LibraryInUseError(
                f"{library}: in use by another setlist (the app, or a command still running); "
                "close it and run setlist restore again. Nothing was changed"
            )
        try:
            kept = _keep(library)
            live.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            copy.backup(live)
        finally:
            live.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:
        raise BackupError(f"{library}: cannot restore into it: {error}") from error
    finally:
        live.close()
    return kept
