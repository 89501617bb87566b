"""A scan reads notes back from the files: a fresh library gets them, a conflict is reported.

For each file a scan stores, the notes its tags hold (`library.notes.file_form`) are merged
into the track's notes, field by field, in the scan's own transaction:

- A field the library has nothing for takes the file's value (a new machine, or moods another
  tool wrote): the change is journaled like any other (source "scan").
- A field both hold with different values keeps the library's value, and the scan reports a
  conflict: the library wins, `setlist tags write` puts its value back into the file.
- Nothing happens when the file holds exactly what it held when setlist last wrote or read
  it (`track_notes.file_hash`): a library edit not yet written is not a conflict, and a value
  the DJ removed does not come back from the file.

Plain Python and batched SQL: the scanner's main process runs this for every batch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from library.notes import store as notes_store
from library.notes.file_form import EMPTY_HASH, decode, holds_notes
from library.notes.values import EMPTY_NOTES
from library.storage import display_path, now_iso

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class NoteConflict:
    """A note field a file holds that the scan did not take, and why."""

    path: str
    field: str
    reason: str


def _ids(connection: sqlite3.Connection, paths: Sequence[bytes]) -> dict[bytes, int]:
    found: dict[bytes, int] = {}
    for start in range(0, len(paths), _CHUNK):
        chunk = paths[start : start + _CHUNK]
        found.update(
            connection.execute(
                f"SELECT path_bytes, id FROM tracks WHERE path_bytes IN "
                f"({', '.join('?' * len(chunk))})",
                list(chunk),
            ).fetchall()
        )
    return found


def merge(
    connection: sqlite3.Connection, files: Sequence[tuple[bytes, Mapping[str, Any], bool]]
) -> list[NoteConflict]:
    """Merge the notes of stored files into their tracks' notes; the conflicts found.

    `files` are (path, tag values, whether the track existed before this scan). A new track
    whose file holds no notes costs nothing; a known one is looked at even then, to record
    that its file holds nothing now.
    """
    wanted = [(path, tags) for path, tags, known in files if known or holds_notes(tags)]
    if not wanted:
        return []
    ids = _ids(connection, [path for path, _ in wanted])
    stored = notes_store.read_many(connection, ids.values())
    conflicts: list[NoteConflict] = []
    versions: list[tuple[int, Mapping[str, Any], notes_store.Before, int]] = []
    hashes: list[tuple[int, str]] = []
    for path, tags in wanted:
        track_id = ids[path]
        found = decode(tags)
        shown = display_path(path)
        conflicts += [
            NoteConflict(shown, name, f"not taken from the file: {why}")
            for name, why in found.problems
        ]
        row = stored.get(track_id)
        if row is None:
            if found.present:
                versions.append((track_id, found.content, None, 1))
                hashes.append((track_id, found.digest))
            continue
        if (row.file_hash or EMPTY_HASH) == found.digest:
            continue  # the file holds what it held: nothing new from it
        merged = dict(row.content)
        for name in found.present:
            ours, theirs = row.content[name], found.content[name]
            if ours == EMPTY_NOTES[name]:
                merged[name] = theirs
            elif ours != theirs:
                conflicts.append(
                    NoteConflict(shown, name, "the library's value was kept (the file differs)")
                )
        if merged != row.content:
            versions.append((track_id, merged, (row.content, row.updated_at), row.version + 1))
        hashes.append((track_id, found.digest))
    stamp = now_iso()
    notes_store.write_versions(connection, versions, "scan", stamp)
    notes_store.set_file_hashes(connection, hashes, written_at=None)
    return conflicts
