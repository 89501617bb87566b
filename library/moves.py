"""Tracks whose file changed path: moved or renamed files found by a scan, and bulk relinks.

A track keeps its id when its file moves, and everything that hangs on the id (notes, release
links, set entries) follows without being touched. Two ways lead there:

- A scan finds a file it does not know whose audio identity (`library.tags.identity`) is the
  identity of a track whose file has gone: the track takes the new path (`MoveFinder`).
  "Gone" is checked on disk, not only by the scan's own walk, so renaming a folder and
  scanning only the new name still moves its tracks. A copy of a file whose original is still
  there is a new track, never a move.
- `relink` rewrites the paths under one folder to another in one transaction, after a drive
  or folder rename; it refuses when a new path already belongs to another track.

This is the storage module of the feature: its SQL lives here, with values as parameters.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from library.errors import SetlistError
from library.storage import KnownFile, Store, display_path, now_iso

_CHUNK = 500  # parameters per IN (...) list, under SQLite's limit on every version
_T = TypeVar("_T")


class RelinkError(SetlistError):
    """A relink that cannot be done; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Move:
    """A track that takes a new path: its id, the path it had and the path it gets."""

    track_id: int
    old: bytes
    new: bytes


def file_is_gone(path: bytes) -> bool:
    """Whether nothing is at `path`. A folder that cannot be read does not prove absence."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def _chunks(items: Sequence[_T]) -> list[Sequence[_T]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


class MoveFinder:
    """Matches the files a scan did not know to tracks whose file has gone, by identity.

    One finder serves one scan: a track it has matched is claimed and never matched twice.
    Among several gone tracks with the same identity (copies of one file that all moved), the
    one with the same file name wins, then the first by path. Only tracks the scan's walk did
    not find can have moved, so when every known file was found (a first scan, or nothing
    disappeared) matching costs nothing.
    """

    def __init__(
        self, store: Store, known: Mapping[bytes, KnownFile], found: Collection[bytes]
    ) -> None:
        self._store = store
        self._absent = {file.id for path, file in known.items() if path not in found}

    def match(self, new_files: Sequence[tuple[bytes, str]]) -> dict[bytes, Move]:
        """Moves for `(path, identity)` pairs of new files, keyed by the new path."""
        wanted = sorted({identity for _, identity in new_files if identity})
        if not wanted or not self._absent:
            return {}
        pool: dict[str, list[tuple[int, bytes]]] = {}
        for chunk in _chunks(wanted):
            rows = self._store.connection().execute(
                "SELECT id, path_bytes, audio_identity FROM tracks "
                f"WHERE audio_identity IN ({', '.join('?' * len(chunk))})",
                list(chunk),
            )
            for track_id, path, identity in rows:
                if track_id not in self._absent or not file_is_gone(path):
                    continue
                pool.setdefault(identity, []).append((track_id, path))
        moves: dict[bytes, Move] = {}
        for path, identity in sorted(new_files):
            options = pool.get(identity)
            if not options:
                continue
            name = os.path.basename(path)
            track_id, old = min(options, key=lambda o: (os.path.basename(o[1]) != name, o[1]))
            options.remove((track_id, old))
            self._absent.discard(track_id)  # claimed: never matched twice
            moves[path] = Move(track_id, old, path)
        return moves


# -- relink ----------------------------------------------------------------------------------


@dataclass(slots=True)
class RelinkResult:
    """What a relink changed (or, with dry_run, would change)."""

    old_prefix: str
    new_prefix: str
    moves: list[Move] = field(default_factory=list)
    present: int = 0  # tracks whose file exists at its new path
    dry_run: bool = False

    def as_json(self) -> dict[str, object]:
        """The shape `setlist relink --json` prints."""
        return {
            "old_prefix": self.old_prefix,
            "new_prefix": self.new_prefix,
            "relinked": len(self.moves),
            "present": self.present,
            "missing": len(self.moves) - self.present,
            "dry_run": self.dry_run,
        }


def _prefix(text: str | os.PathLike[str]) -> bytes:
    """An absolute path as bytes without a trailing separator (the root stays the root)."""
    path = os.path.abspath(os.fsencode(os.path.expanduser(text)))
    return path.rstrip(os.sep.encode()) or os.sep.encode()


def _under(path: bytes, prefix: bytes) -> bytes | None:
    """The rest of `path` after `prefix` when `prefix` is a whole leading part, else None."""
    separator = os.sep.encode()
    if path == prefix:
        return b""
    stem = prefix if prefix.endswith(separator) else prefix + separator
    if path.startswith(stem):
        return separator + path[len(stem) :]
    return None


def relink(
    store: Store,
    old: str | os.PathLike[str],
    new: str | os.PathLike[str],
    *,
    dry_run: bool = False,
) -> RelinkResult:
    """Give every track under folder `old` the same path under `new`, keeping its id.

    Whole path components only: `/music` covers `/music/a.mp3`, never `/music-old/a.mp3`.
    Paths are compared as bytes, so names that are not valid UTF-8 relink too. Each track is
    then marked missing or present by whether its file exists at the new path. One
    transaction; refused (nothing changed) when a new path already belongs to another track.
    """
    old_prefix, new_prefix = _prefix(old), _prefix(new)
    result = RelinkResult(display_path(old_prefix), display_path(new_prefix), dry_run=dry_run)
    if old_prefix == new_prefix:
        raise RelinkError(f"{result.old_prefix}: the old and new prefixes are the same")
    with store.transaction() as connection:
        stem = old_prefix.rstrip(os.sep.encode()) + os.sep.encode()
        rows = connection.execute(
            "SELECT id, path_bytes FROM tracks WHERE path_bytes = ? "
            "OR substr(path_bytes, 1, ?) = ?",
            (old_prefix, len(stem), stem),
        ).fetchall()
        for track_id, path in rows:
            rest = _under(path, old_prefix)
            if rest is not None:
                target = new_prefix.rstrip(os.sep.encode()) + rest if rest else new_prefix
                result.moves.append(Move(track_id, path, target))
        if not result.moves:
            raise RelinkError(f"{result.old_prefix}: no track in the library is under this path")
        moving = {move.track_id for move in result.moves}
        taken: list[tuple[int, str]] = []
        for chunk in _chunks([move.new for move in result.moves]):
            taken += connection.execute(
                f"SELECT id, path FROM tracks WHERE path_bytes IN ({', '.join('?' * len(chunk))})",
                list(chunk),
            ).fetchall()
        clashes = sorted(path for track_id, path in taken if track_id not in moving)
        if clashes:
            shown = "\n".join(f"  {path}" for path in clashes[:10])
            more = f"\n  … and {len(clashes) - 10} more" if len(clashes) > 10 else ""
            raise RelinkError(
                f"{result.new_prefix}: {len(clashes)} new path(s) already belong to other "
                f"tracks; nothing was relinked:\n{shown}{more}"
            )
        exists = {move.track_id: not file_is_gone(move.new) for move in result.moves}
        result.present = sum(exists.values())
        if dry_run:
            return result
        stamp = now_iso()
        # Two steps, so that paths swapping places never collide on the UNIQUE path column.
        connection.executemany(
            "UPDATE tracks SET path_bytes = ? WHERE id = ?",
            [(b"\0relink\0" + str(move.track_id).encode(), move.track_id) for move in result.moves],
        )
        connection.executemany(
            "UPDATE tracks SET path_bytes = ?, path = ?, missing = ?, updated_at = ? WHERE id = ?",
            [
                (
                    move.new,
                    display_path(move.new),
                    int(not exists[move.track_id]),
                    stamp,
                    move.track_id,
                )
                for move in result.moves
            ],
        )
        connection.execute(
            "DELETE FROM scan_errors WHERE path_bytes = ? OR substr(path_bytes, 1, ?) = ?",
            (old_prefix, len(stem), stem),
        )
    return result
