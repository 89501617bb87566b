"""Scan folders into the library: walk, read changed files in parallel, store in batches.

Incremental by design: a file whose size and modification time match what the library holds
is not opened at all, so a rescan of an unchanged library costs a directory walk and one
query. New and changed files are read in a process pool (tag parsing is CPU-bound Python, so
threads would queue on the GIL) and written in batches of one transaction each.

Never prints and never writes to a scanned file: progress goes to a callback, the outcome is
returned as a `ScanResult`, and a `threading.Event` cancels between batches.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from library.errors import ScanPathError, TagReadError
from library.formats import ALL_EXTENSIONS
from library.storage import FileStat, KnownFile, Store, display_path, track_row

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

    from library.notes.from_files import NoteConflict

_EXTENSIONS = frozenset(ext.encode() for ext in ALL_EXTENSIONS)
WRITE_BATCH = 500
# Tracks written by a scan past which it tidies the word index (`Store.tidy_word_index`).
TIDY_AFTER = 1_000


@dataclass(frozen=True, slots=True)
class ScanError:
    """A file or folder the scan could not read, and why."""

    path: str
    error: str


@dataclass(frozen=True, slots=True)
class ScanProgress:
    """How far a scan has come: files read (or skipped) out of files found."""

    done: int
    total: int


@dataclass(frozen=True, slots=True)
class ScanMove:
    """A known track whose file the scan found at a new path (moved or renamed)."""

    old: str
    new: str


@dataclass(slots=True)
class ScanResult:
    """The outcome of a scan; `missing` counts tracks under the scanned roots whose file is gone.

    `moved` tracks were found at a new path (by audio identity) and kept their id; they are
    counted neither as added nor as updated. `conflicts` are note fields read from files that
    were not taken (the library's differing value was kept, or the file's was unreadable).
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0
    errors: list[ScanError] = field(default_factory=list)
    cancelled: bool = False
    moves: list[ScanMove] = field(default_factory=list)
    conflicts: list[NoteConflict] = field(default_factory=list)

    @property
    def moved(self) -> int:
        """How many tracks moved to a new path."""
        return len(self.moves)

    def as_json(self) -> dict[str, Any]:
        """The shape `setlist scan --json` prints."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "missing": self.missing,
            "errors": [{"path": e.path, "error": e.error} for e in self.errors],
            "cancelled": self.cancelled,
            "moved": self.moved,
            "moves": [{"from": m.old, "to": m.new} for m in self.moves],
            "conflicts": [
                {"path": c.path, "field": c.field, "reason": c.reason} for c in self.conflicts
            ],
        }


@dataclass(slots=True)
class _Walk:
    """Files found under the roots, and folders that could not be listed."""

    files: dict[bytes, FileStat] = field(default_factory=dict)
    errors: list[tuple[bytes, str]] = field(default_factory=list)
    unlisted: list[bytes] = field(default_factory=list)


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "broken symbolic link" if error.filename else "not found"
    return error.strerror or str(error)


def _walk_root(root: bytes, walk: _Walk, visited: set[tuple[int, int]]) -> None:
    """Collect audio files under `root`: hidden entries skipped, symlink loops cut."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            walk.errors.append((folder, _os_reason(error)))
            walk.unlisted.append(folder)
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith(b"."):
                continue  # hidden folders, and macOS "._name.mp3" resource forks
            try:
                if entry.is_dir():
                    info = entry.stat()
                    identity = (info.st_dev, info.st_ino)
                    if identity not in visited:
                        visited.add(identity)
                        subfolders.append(entry.path)
                elif os.path.splitext(entry.name)[1].lower() in _EXTENSIONS:
                    if entry.is_symlink() and not os.path.exists(entry.path):
                        walk.errors.append((entry.path, "broken symbolic link"))
                    elif entry.is_file():
                        info = entry.stat()
                        walk.files[entry.path] = _stat(info)
            except OSError as error:
                walk.errors.append((entry.path, _os_reason(error)))
        stack.extend(reversed(subfolders))


def _stat(info: os.stat_result) -> FileStat:
    return FileStat(info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def resolve_roots(paths: Sequence[str | os.PathLike[str]]) -> list[bytes]:
    """Absolute byte paths of the roots; a root that does not exist stops the scan.

    Public so a caller can check the roots before it opens (and maybe creates) a library.
    """
    roots = []
    for path in paths:
        absolute = os.path.abspath(os.fsencode(path))
        if not os.path.exists(absolute):
            raise ScanPathError(f"{os.fsdecode(path)}: no such file or folder")
        roots.append(absolute)
    return roots


def walk(roots: Sequence[bytes]) -> _Walk:
    """Find the audio files under `roots` (absolute folders or single files, as bytes)."""
    result = _Walk()
    visited: set[tuple[int, int]] = set()
    for root in roots:
        if os.path.isdir(root):
            info = os.stat(root)
            visited.add((info.st_dev, info.st_ino))
            _walk_root(root, result, visited)
        else:
            info = os.stat(root)
            result.files[root] = _stat(info)
    return result


def _under(path: bytes, roots: Sequence[bytes]) -> bool:
    return any(path == root or path.startswith(root.rstrip(b"/") + b"/") for root in roots)


def read_batch(paths: Sequence[bytes]) -> list[tuple[bytes, dict[str, Any] | None, str | None]]:
    """Read a batch of files (in a worker process): (path, values, None) or (path, None, why)."""
    from library.tags import read_tag_values  # only when a file is read: rescans skip it

    results: list[tuple[bytes, dict[str, Any] | None, str | None]] = []
    for path in paths:
        try:
            results.append((path, read_tag_values(os.fsdecode(path)), None))
        except TagReadError as error:
            results.append((path, None, error.reason))
    return results


def _pool_context() -> BaseContext:
    """fork when it is safe (one thread, Linux): workers start in milliseconds, imports shared.

    With other threads running (a scan started from the TUI), forking can copy a held lock, so
    the workers start from a clean server process instead.
    """
    import multiprocessing  # imported here: a rescan with nothing to read never needs it

    if sys.platform == "linux":
        return multiprocessing.get_context(
            "fork" if threading.active_count() == 1 else "forkserver"
        )
    return multiprocessing.get_context("spawn")


def start_pool_helpers() -> None:
    """Start, from this thread and now, the helper processes that a pooled scan run later
    from another thread uses: multiprocessing's forkserver and resource tracker.

    They are started with this process's standard error as their own. A full-screen UI
    replaces `sys.stderr` while it runs by an object whose file descriptor is -1, from which
    they cannot be started (`bad value(s) in fds_to_keep`); it calls this with the real
    stream in place before its first scan. Later calls cost nothing.
    """
    if sys.platform == "linux":
        from multiprocessing import forkserver

        forkserver.ensure_running()
    elif os.name == "posix":
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()


def exit_with_parent() -> None:
    """In a reading worker (the pool's initializer): end this process when its parent ends.

    A scan killed outright (SIGKILL, a crash, a closed terminal) runs no clean-up, and its
    workers, waiting for work on a pipe their siblings also hold open, would otherwise live
    on forever. Each watches its parent's sentinel, which multiprocessing makes ready when
    the parent is gone, on every platform and start method; no polling.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _batches(paths: list[bytes], workers: int) -> list[list[bytes]]:
    """Small enough to balance the workers and report progress, big enough to amortise IPC."""
    size = max(8, min(64, len(paths) // (workers * 8) or 1))
    return [paths[i : i + size] for i in range(0, len(paths), size)]


def _read_all(
    paths: list[bytes], workers: int, cancel: threading.Event | None
) -> Iterator[list[tuple[bytes, dict[str, Any] | None, str | None]]]:
    """Yield read results batch by batch, in a pool when there is enough work for one."""
    batches = _batches(paths, workers)
    if workers <= 1 or len(batches) <= 1:
        for batch in batches:
            if cancel is not None and cancel.is_set():
                return
            yield read_batch(batch)
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    with ProcessPoolExecutor(
        max_workers=workers, mp_context=_pool_context(), initializer=exit_with_parent
    ) as pool:
        pending: set[Future[list[tuple[bytes, dict[str, Any] | None, str | None]]]] = {
            pool.submit(read_batch, batch) for batch in batches
        }
        try:
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
                if cancel is not None and cancel.is_set():
                    return
        finally:
            for future in pending:
                future.cancel()


def _merging(
    files: list[tuple[bytes, dict[str, Any], bool]], result: ScanResult
) -> Callable[[sqlite3.Connection], None] | None:
    """The step that merges the notes read from `files`, in the batch's transaction."""
    if not files:
        return None

    def run(connection: sqlite3.Connection) -> None:
        from library.notes.from_files import merge  # only when files were read

        result.conflicts.extend(merge(connection, files))

    return run


def scan(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    workers: int | None = None,
    progress: Callable[[ScanProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> ScanResult:
    """Bring the library up to date with the files under `paths`.

    New files are added, changed ones re-read, vanished ones marked missing (never deleted:
    notes and set entries hang on the track). A new file whose audio identity is that of a
    track whose file has gone is that track, moved: it takes the new path and keeps its id.
    The notes a file's tags hold are merged into its track's notes (`library.notes.from_files`).
    A cancelled scan keeps what it stored and marks nothing missing, since its walk may be
    incomplete. Folders scanned to the end are remembered (`Store.scan_roots`), so the app can
    offer to scan them again.
    """
    roots = resolve_roots(paths)
    found = walk(roots)
    known = store.known_files()
    failed = store.known_errors()
    result = ScanResult(errors=[ScanError(display_path(p), why) for p, why in found.errors])

    to_read: list[bytes] = []
    back: list[bytes] = []
    for path, stat in found.files.items():
        seen: KnownFile | None = known.get(path)
        if path in failed:
            failed_stat, failure = failed[path]
            if failed_stat == stat:  # still the file that failed: say so again, unopened
                result.errors.append(ScanError(display_path(path), failure))
            else:
                to_read.append(path)
        elif seen and seen.size == stat.size and seen.mtime_ns == stat.mtime_ns and seen.identified:
            result.unchanged += 1
            if seen.missing:
                back.append(path)
        else:
            to_read.append(path)
    total = len(found.files)
    done = total - len(to_read)
    if progress:
        progress(ScanProgress(done, total))

    rows: list[tuple[Any, ...]] = []
    errors: list[tuple[bytes, FileStat, str]] = []
    moved: list[tuple[int, tuple[Any, ...]]] = []
    noted: list[tuple[bytes, dict[str, Any], bool]] = []  # read files whose notes to merge
    moved_from: set[bytes] = set()
    if to_read:  # imported here: a rescan that reads nothing never needs it (nor the loop)
        from library.moves import MoveFinder

        finder = MoveFinder(store, known, found.files)
    for batch in _read_all(to_read, workers or os.cpu_count() or 1, cancel):
        moves = finder.match(
            [
                (path, values.get("audio_identity") or "")
                for path, values, _ in batch
                if values is not None and path not in known
            ]
        )
        for path, values, why in batch:
            stat = found.files[path]
            if values is None:
                errors.append((path, stat, why or "unreadable"))
                result.errors.append(ScanError(display_path(path), why or "unreadable"))
                continue
            row = track_row(path, stat.size, stat.mtime_ns, values)
            move = moves.get(path)
            noted.append((path, values, path in known or move is not None))
            if move is not None:
                moved.append((move.track_id, row))
                moved_from.add(move.old)
                result.moves.append(ScanMove(display_path(move.old), display_path(path)))
                continue
            rows.append(row)
            if path in known:
                result.updated += 1
            else:
                result.added += 1
        done += len(batch)
        if len(rows) + len(errors) + len(moved) >= WRITE_BATCH:
            store.save_scanned(rows, errors, back, moved, _merging(noted, result))
            rows, errors, back, moved, noted = [], [], [], [], []
        if progress:
            progress(ScanProgress(done, total))
    store.save_scanned(rows, errors, back, moved, _merging(noted, result))
    if result.added + result.updated + len(result.moves) >= TIDY_AFTER:
        store.tidy_word_index()

    if cancel is not None and cancel.is_set():
        result.cancelled = True
        return result
    unlisted = found.unlisted
    gone = [
        path
        for path in known
        if path not in found.files
        and path not in moved_from
        and _under(path, roots)
        and not _under(path, unlisted)
    ]
    store.mark_missing(path for path in gone if not known[path].missing)
    store.forget_errors(path for path in failed if path not in found.files and _under(path, roots))
    result.missing = len(gone)
    store.remember_scan_roots(root for root in roots if os.path.isdir(root))
    return result
