"""The library database: SQLite in WAL mode, one connection per thread; all SQL lives here.

Opening is careful, because the path can come from a user (`--db`, `SETLIST_DB`): the file is
inspected read-only first (`library.library_file`), and a file that is not a setlist
database, belongs to a newer setlist, or is damaged, is refused with a one-line reason and
never modified. Every write runs in a `BEGIN IMMEDIATE` transaction, so two processes (the
app and a CLI scan) queue on the write lock instead of failing half-way; `busy_timeout` makes
them wait for it rather than error. Reads that then write happen inside that transaction,
never before it, so no process overwrites what another saved meanwhile.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from library.errors import DatabaseError
from library.library_file import BUSY_TIMEOUT_MS, check_pages, database_problem, inspect
from library.migrations import REFRESH_WORDS, SCHEMA_VERSION, migrate
from library.notes.values import moods_fold, tag_moods
from library.search_text import fold, normalise_catno

if TYPE_CHECKING:
    from library.models import Track

# Reads through memory-mapped pages instead of read() calls: a search scans the whole tracks
# table (22 MB at 50,000 tracks), and copying it through syscalls was a quarter of its time.
MMAP_BYTES = 256 * 1024 * 1024

# Columns a scan writes from a file's tags; the order is the order of the upsert's parameters.
TAG_COLUMNS: tuple[str, ...] = (
    "format", "codec", "title", "artist", "album", "album_artist", "track_number",
    "disc_number", "year", "genre", "label", "catalog_number", "bpm", "key", "comment",
    "isrc", "discogs_release_id", "musicbrainz_album_id", "musicbrainz_track_id", "duration",
    "bitrate", "sample_rate", "channels", "has_artwork",
)  # fmt: skip
_DERIVED_COLUMNS = (
    "camelot", "moods", "artist_fold", "title_fold", "album_fold", "label_fold", "catno_norm",
    "search", "moods_fold",
)  # fmt: skip
_WRITE_COLUMNS = (
    "path_bytes", "path", "size", "mtime_ns", *TAG_COLUMNS, *_DERIVED_COLUMNS, "audio_identity",
)  # fmt: skip
_UPSERT = (
    f"INSERT INTO tracks ({', '.join(_WRITE_COLUMNS)}, missing, added_at, updated_at) "
    f"VALUES ({', '.join('?' * len(_WRITE_COLUMNS))}, 0, :now, :now) "
    "ON CONFLICT (path_bytes) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in _WRITE_COLUMNS[1:])
    + ", missing = 0, updated_at = excluded.updated_at"
).replace(":now", "?")
# A moved file: the track keeps its id (and all that hangs on it) and takes the new path.
_MOVE = (
    "UPDATE tracks SET "
    + ", ".join(f"{column} = ?" for column in _WRITE_COLUMNS)
    + ", missing = 0, updated_at = ? WHERE id = ?"
)
_TRACK_COLUMNS = ("id", "path", "size", "missing", "camelot", "moods", *TAG_COLUMNS)
# A track's notes as `Track` shows them (the rest: library.notes.store). A track without notes
# has its tags' moods as notes' moods.
_NOTE_COLUMNS = ("moods", "energy", "roles", "rating")
# A track's release link (library/releases/store.py keeps the links table).
_LINK_COLUMNS = {
    "release_id": "(SELECT release_id FROM release_links WHERE track_id = tracks.id)",
    "position": "(SELECT position FROM release_links WHERE track_id = tracks.id)",
}
# A track's plays (library/set_plays.py records them), also for the query language and sorting.
PLAY_COUNT = "(SELECT count(*) FROM track_plays tp WHERE tp.track_id = tracks.id)"
LAST_PLAYED = (
    "(SELECT max(sp.played_on) FROM track_plays tp JOIN set_plays sp ON sp.id = tp.play_id "
    "WHERE tp.track_id = tracks.id)"
)
_DERIVED_FIELDS = {**_LINK_COLUMNS, "play_count": PLAY_COUNT, "last_played": LAST_PLAYED}
_SELECT_TRACKS = (
    "SELECT "
    + ", ".join(
        [
            *(f"tracks.{c}" for c in _TRACK_COLUMNS),
            *(f"notes.{c}" for c in _NOTE_COLUMNS),
            *_DERIVED_FIELDS.values(),
        ]
    )
    + " FROM tracks LEFT JOIN track_notes AS notes ON notes.track_id = tracks.id"
)
_NOTED = {f"noted_{c}" for c in _NOTE_COLUMNS}
_IDS_PER_QUERY = 500  # values per IN (...) list, well under SQLite's limit


def default_path() -> Path:
    """Where the library lives when neither `--db` nor `SETLIST_DB` says otherwise."""
    import platformdirs

    return Path(platformdirs.user_data_dir("setlist", appauthor=False)) / "library.db"


def display_path(path_bytes: bytes) -> str:
    """A file name for people: valid UTF-8 as is, anything else as U+FFFD, never an error."""
    return path_bytes.decode("utf-8", errors="replace")


def now_iso() -> str:
    """The current time as ISO 8601 UTC, to the second: readable in JSON and sortable."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def track_row(path_bytes: bytes, size: int, mtime_ns: int, tags: dict[str, Any]) -> tuple[Any, ...]:
    """The upsert parameters for one scanned file, derived columns included."""
    from library.keys import parse_key  # here: a rescan that stores nothing never needs it

    camelot = parse_key(tags.get("key"))
    moods = tags.get("moods") or []
    catno = tags.get("catalog_number")
    folds = [fold(tags.get(name)) for name in ("artist", "title", "album", "label")]
    norm = normalise_catno(catno)
    search = "\x1f".join([*folds, fold(catno), norm])
    return (
        path_bytes,
        display_path(path_bytes),
        size,
        mtime_ns,
        *(tags.get(column) for column in TAG_COLUMNS),
        str(camelot) if camelot else None,
        json.dumps(moods, ensure_ascii=False) if moods else "[]",
        *folds,
        norm,
        search,
        moods_fold(tag_moods(moods)) if moods else "",
        tags.get("audio_identity") or "",
    )


class FileStat(NamedTuple):
    """What a scan compares to decide whether a file changed since it was last looked at."""

    size: int
    mtime_ns: int
    ctime_ns: int


@dataclass(frozen=True, slots=True)
class KnownFile:
    """What the database remembers of a file, enough to skip it when it has not changed.

    `identified` is False for a track stored before audio identities existed: the scan reads
    it once more to compute one.
    """

    id: int
    size: int
    mtime_ns: int
    missing: bool
    identified: bool = True


def _failure(error: sqlite3.Error, path: Path, doing: str) -> DatabaseError:
    return database_problem(error, path) or DatabaseError(f"{path}: {doing}: {error}")


def _refresh_words(connection: sqlite3.Connection) -> None:
    """Bring the word index up to date with this transaction's writes (migration step 8):
    the triggers noted which tracks changed; their rows are rebuilt here, in bulk."""
    if connection.execute("SELECT 1 FROM track_words_stale LIMIT 1").fetchone():
        for statement in REFRESH_WORDS:
            connection.execute(statement)


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch the file to WAL (it stays so), waiting out other processes doing the same.

    Changing the journal mode needs an exclusive lock, and SQLite answers "database is
    locked" at once, without the busy timeout, when two processes both hold a read lock and
    want it (as when two setlist commands create a new library together). So retry, within
    the same patience as `busy_timeout`.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.001
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            busy = error.sqlite_errorcode in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not busy or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


class Store:
    """The library database. Thread-safe: each thread gets its own connection."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()
        inspect(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseError(f"{self.path.parent}: cannot create folder: {error}") from error
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._marker: sqlite3.Connection | None = None  # see `data_version`
        self._marker_lock = threading.Lock()
        self._checked = False  # the pages were checked (before the first write)
        try:
            connection = self.connection()
            # Read first: a library already at this schema needs no write lock to open, so
            # opening never queues behind another process's long write.
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                if version:  # an existing library: checked, and copied, before it changes
                    self._check_pages()
                    self._back_up_before_migration(version)
                migrate(connection)
            # The word index needs FTS5's trigram tokenizer, which a library copied from
            # another machine may meet without: say so now, not at the first search.
            connection.execute("SELECT 1 FROM track_words LIMIT 0")
        except sqlite3.Error as error:
            self.close()
            if "fts5" in str(error) or "tokenizer" in str(error):  # migration step 8
                raise DatabaseError(
                    f"{self.path}: cannot prepare the database: this Python's SQLite "
                    f"({sqlite3.sqlite_version}) lacks FTS5 trigram indexes, which setlist's "
                    f"search needs (SQLite 3.34 or newer): {error}"
                ) from error
            raise _failure(error, self.path, "cannot prepare the database") from error
        except DatabaseError:
            self.close()
            raise

    def _back_up_before_migration(self, version: int) -> None:
        """Copy the library to its backups folder before a migration changes its schema."""
        from library.backups import BackupError, backup_before_migration

        try:
            backup_before_migration(self.connection(), self.path, version)
        except BackupError as error:
            raise DatabaseError(
                f"{self.path}: not upgraded from schema {version} to {SCHEMA_VERSION}: the "
                f"backup taken first failed ({error})"
            ) from error

    def _open(self) -> sqlite3.Connection:
        """A new connection, set up as every connection of the library is."""
        try:
            # check_same_thread=False only so `close()` may close every thread's connection
            # from the closing thread; each connection is otherwise used by its own thread.
            connection = sqlite3.connect(
                self.path, isolation_level=None, timeout=0, check_same_thread=False
            )
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _use_wal(connection)
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            raise _failure(error, self.path, "cannot open") from error
        with self._lock:
            self._connections.append(connection)
        return connection

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (autocommit; writes go through `transaction`)."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._open()
            self._local.connection = connection
        return connection

    def data_version(self) -> int:
        """A number that changes whenever a change to the library is committed, by another
        process or by any thread of this one: the cheap question "must I read again?".

        It is SQLite's `PRAGMA data_version` read on a connection of its own, which never
        writes, so every commit is another connection's and counts (SQLite's counter ignores
        the reading connection's own commits). Compare values from the same `Store` only.
        Reading it touches no table and no disk: the WAL index is shared memory, so an app
        may ask on every focus or every second.
        """
        with self._marker_lock:
            if self._marker is None:
                self._marker = self._open()
            version: int = self._marker.execute("PRAGMA data_version").fetchone()[0]
        return version

    def _check_pages(self) -> None:
        """Refuse to write to a damaged library (see `library_file.check_pages`); once."""
        if not self._checked:
            check_pages(self.connection(), self.path)
            self._checked = True

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock up front (BEGIN IMMEDIATE).

        The library's pages are checked before its first write: a damaged library is
        refused (`DamagedDatabaseError`) rather than written through. Before it commits,
        the rows of the word index its writes made stale are rebuilt (migration step 8), so
        every write to tracks or notes must go through here.
        """
        self._check_pages()
        connection = self.connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
            _refresh_words(connection)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def tidy_word_index(self) -> None:
        """Merge the word index's pieces into one (migration step 8) after many writes.

        Each write transaction adds a small piece to the index, and a search reads every
        piece: after a first scan of 50,000 tracks in batches, `mills orbit` took 5.6 ms in
        SQLite instead of 2.2 ms. Merging them takes about half a second at that size,
        once, at the end of a scan that wrote many. (The pages it frees stay in the file
        for later writes.)
        """
        with self.transaction() as connection:
            connection.execute("INSERT INTO track_words (track_words) VALUES ('optimize')")

    def close(self) -> None:
        """Close every thread's connection; the WAL is checkpointed by the last one."""
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
            self._marker = None
        self._local = threading.local()

    # -- scanning ---------------------------------------------------------------------------

    def known_files(self) -> dict[bytes, KnownFile]:
        """Every file the library knows, by its exact path bytes."""
        rows = self.connection().execute(
            "SELECT path_bytes, id, size, mtime_ns, missing, audio_identity IS NOT NULL FROM tracks"
        )
        return {
            row[0]: KnownFile(row[1], row[2], row[3], bool(row[4]), bool(row[5])) for row in rows
        }

    def save_scanned(
        self,
        rows: Sequence[tuple[Any, ...]],
        errors: Sequence[tuple[bytes, FileStat, str]],
        present: Iterable[bytes] = (),
        moved: Sequence[tuple[int, tuple[Any, ...]]] = (),
        then: Callable[[sqlite3.Connection], None] | None = None,
    ) -> None:
        """Store a batch of read files and of read errors (with the stat that failed to read);
        mark `present` files as not missing; give `moved` tracks (id, row) their new path.

        `then` runs last, in the same transaction: what depends on the stored rows (the notes
        read from the files) is stored with them or not at all.
        """
        stamp = now_iso()
        with self.transaction() as connection:
            connection.executemany(_MOVE, [(*row, stamp, track) for track, row in moved])
            connection.executemany(_UPSERT, [(*row, stamp, stamp) for row in rows])
            connection.executemany(
                "DELETE FROM scan_errors WHERE path_bytes = ?",
                [(row[0],) for row in [*rows, *(row for _, row in moved)]],
            )
            connection.executemany(
                "INSERT OR REPLACE INTO scan_errors "
                "(path_bytes, path, size, mtime_ns, ctime_ns, error, seen_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(path, display_path(path), *stat, why, stamp) for path, stat, why in errors],
            )
            connection.executemany(
                "UPDATE tracks SET missing = 0 WHERE path_bytes = ? AND missing = 1",
                [(path,) for path in present],
            )
            if then is not None:
                then(connection)

    def mark_missing(self, paths: Iterable[bytes]) -> None:
        """Flag tracks whose files are gone; their rows (and later their notes) stay."""
        stamp = now_iso()
        with self.transaction() as connection:
            connection.executemany(
                "UPDATE tracks SET missing = 1, updated_at = ? WHERE path_bytes = ?",
                [(stamp, path) for path in paths],
            )

    def forget_errors(self, paths: Iterable[bytes]) -> None:
        """Drop remembered read errors of files that no longer exist."""
        with self.transaction() as connection:
            connection.executemany(
                "DELETE FROM scan_errors WHERE path_bytes = ?", [(path,) for path in paths]
            )

    def remember_scan_roots(self, roots: Iterable[bytes]) -> None:
        """Note folders a scan went through completely, to offer them for the next scan."""
        stamp = now_iso()
        with self.transaction() as connection:
            query = "SELECT coalesce(max(turn), 0) + 1 FROM scan_roots"
            turn: int = connection.execute(query).fetchone()[0]
            connection.executemany(
                "INSERT INTO scan_roots (path_bytes, path, scanned_at, turn) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (path_bytes) DO UPDATE "
                "SET scanned_at = excluded.scanned_at, turn = excluded.turn",
                [(root, display_path(root), stamp, turn) for root in roots],
            )

    def scan_roots(self) -> list[bytes]:
        """Folders scanned into this library, most recently scanned first."""
        rows = self.connection().execute(
            "SELECT path_bytes FROM scan_roots ORDER BY turn DESC, path"
        )
        return [row[0] for row in rows]

    def known_errors(self) -> dict[bytes, tuple[FileStat, str]]:
        """Files the last scans could not read: the stat they had then, and why."""
        rows = self.connection().execute(
            "SELECT path_bytes, size, mtime_ns, ctime_ns, error FROM scan_errors"
        )
        return {row[0]: (FileStat(row[1], row[2], row[3]), row[4]) for row in rows}

    # -- reading ----------------------------------------------------------------------------

    def tracks(
        self,
        where: str = "1",
        params: Sequence[object] = (),
        order_by: str = "artist_fold = '', artist_fold, title_fold = '', title_fold, id",
        limit: int | None = None,
    ) -> list[Track]:
        """Tracks matching a compiled query (see `library.query`), as models.

        `where` and `order_by` come from `library.query`, which builds them from fixed
        fragments only; every user value travels in `params`. They name the columns of
        `tracks` unqualified; the notes joined in are `notes.*` (no column name is shared
        with `tracks` but `moods`, `moods_fold` and `updated_at`, which conditions only use
        qualified).
        """
        from library.models import Track

        sql = f"{_SELECT_TRACKS} WHERE {where} ORDER BY {order_by}"
        bound = list(params)
        if limit is not None:
            sql += " LIMIT ?"
            bound.append(limit)
        tracks = []
        names = [*_TRACK_COLUMNS, *(f"noted_{c}" for c in _NOTE_COLUMNS), *_DERIVED_FIELDS]
        for row in self.connection().execute(sql, bound):
            values = dict(zip(names, row, strict=True))
            noted = {name[6:]: values.pop(name) for name in _NOTED}
            if noted["moods"] is None:  # not noted: the moods of its tags
                values["moods"] = tag_moods(json.loads(values["moods"]))
            else:
                values["moods"] = json.loads(noted["moods"])
            values["roles"] = json.loads(noted["roles"] or "[]")
            values["energy"], values["rating"] = noted["energy"], noted["rating"]
            values["missing"] = bool(values["missing"])
            values["has_artwork"] = bool(values["has_artwork"])
            tracks.append(Track(**values))
        return tracks

    def track_ids(self, where: str = "1", params: Sequence[object] = ()) -> list[int]:
        """The ids of the tracks matching a compiled query, in id order (no models built)."""
        rows = self.connection().execute(f"SELECT id FROM tracks WHERE {where} ORDER BY id", params)
        return [row[0] for row in rows]

    def tracks_by_id(self, track_ids: Iterable[int]) -> dict[int, Track]:
        """Tracks by id (unknown ids are left out), for callers holding ids (sets, imports)."""
        wanted = list(dict.fromkeys(track_ids))
        found: dict[int, Track] = {}
        for start in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[start : start + _IDS_PER_QUERY]
            where = f"id IN ({', '.join('?' * len(chunk))})"
            found.update((track.id, track) for track in self.tracks(where, chunk))
        return found

    def track_paths(self, track_ids: Iterable[int]) -> dict[int, bytes]:
        """The exact path bytes of tracks' files, by track id (unknown ids are left out).

        `Track.path` is for display (undecodable bytes as U+FFFD); exports that name the file
        itself (M3U, Rekordbox, Traktor) need these bytes to name a file that is not UTF-8.
        """
        wanted = list(dict.fromkeys(track_ids))
        found: dict[int, bytes] = {}
        for start in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[start : start + _IDS_PER_QUERY]
            rows = self.connection().execute(
                f"SELECT id, path_bytes FROM tracks WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            found.update(rows)
        return found

    def count_tracks(self, where: str = "1", params: Sequence[object] = ()) -> int:
        """How many tracks match a compiled query."""
        row = self.connection().execute(f"SELECT count(*) FROM tracks WHERE {where}", params)
        count: int = row.fetchone()[0]
        return count
