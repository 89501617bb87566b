"""A scan reads notes back from the files: a fresh library gets them, a conflict is reported.

For each file a scan stores, the notes its tags hold (`library.notes.file_form`) are merged
into the track's notes, field by field, in the scan's own transaction. A track nobody noted
has the moods of its tags as notes: a file holding only moods needs nothing more, and costs
nothing here. Otherwise:

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
from library.notes.file_form import EMPTY_HASH, decode, holds_more_than_moods
from library.notes.store import implicit_content
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
    whose file holds no notes but moods costs nothing; a known one is looked at even then,
    since it may have notes the file should hold.
    """
    wanted = [(path, tags) for path, tags, known in files if known or holds_more_than_moods(tags)]
    if not wanted:
        return []
    ids = _ids(connection, [path for path, _ in wanted])
    stored = notes_store.read_many(connection, ids.values())
    conflicts: list[NoteConflict] = []
    versions: list[tuple[int, Mapping[str, Any], notes_store.Before, int]] = []
    hashes: dict[int, str] = {}  # with a new version
    seen: list[tuple[int, str]] = []  # without one: only what the file holds is recorded
    for path, tags in wanted:
        track_id = ids[path]
        row = stored.get(track_id)
        if row is None and not holds_more_than_moods(tags):
            continue  # not noted, and its file holds moods at most: they are its notes' moods
        found = decode(tags)
        shown = display_path(path)
        conflicts += [
            NoteConflict(shown, name, f"not taken from the file: {why}")
            for name, why in found.problems
        ]
        if row is None:
            if any(name != "moods" for name in found.present):
                implicit = implicit_content(found.content["moods"])
                versions.append((track_id, found.content, (implicit, None), 1))
                hashes[track_id] = found.digest
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
            hashes[track_id] = found.digest
        else:
            seen.append((track_id, found.digest))
    notes_store.write_versions(connection, versions, "scan", now_iso(), file_hashes=hashes)
    notes_store.set_file_hashes(connection, seen, written_at=None)
    return conflicts
