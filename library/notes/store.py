"""The notes' SQL: one row per noted track, the journal of every change, history and restore.

Every change is one IMMEDIATE transaction that reads the current notes, writes the new ones
and appends a journal entry holding both, whole, as JSON: any earlier version can be shown and
restored, and a restore is itself a change (journaled), so nothing is ever lost to an edit.
Unchanged notes write nothing.

Rows are read and written as plain dicts (`content`: the fields without `updated_at`), so the
scanner can merge notes read from files without importing pydantic; `TrackNotes` models are
built for commands only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from library.notes.values import EMPTY_NOTES, NOTE_FIELDS, NoteValueError
from library.search_text import fold
from library.storage import now_iso

if TYPE_CHECKING:
    from library.notes.model import TrackNotes
    from library.storage import Store

FIELDS = NOTE_FIELDS
_JSON_FIELDS = ("moods", "roles", "cues")
_CHUNK = 500  # values per IN (...) list
_SELECT = f"SELECT {', '.join(FIELDS)}, updated_at FROM track_notes WHERE track_id = ?"
_COLUMNS = (
    *FIELDS, "updated_at", "filled", "cue_count", "moods_fold", "notes_fold", "notes_search",
)  # fmt: skip
_UPSERT = (
    f"INSERT INTO track_notes (track_id, {', '.join(_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' * len(_COLUMNS))}) ON CONFLICT (track_id) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in _COLUMNS)
)


def empty_content() -> dict[str, Any]:
    """The content of notes nobody wrote (a fresh copy)."""
    return json.loads(json.dumps(EMPTY_NOTES))  # type: ignore[no-any-return]


def is_filled(content: Mapping[str, Any]) -> bool:
    """Whether anything at all is noted."""
    return any(content.get(name) != EMPTY_NOTES[name] for name in FIELDS)


def dumps(content: Mapping[str, Any], updated_at: str | None) -> str:
    """Whole notes as the journal keeps them: every field, and `updated_at`."""
    return json.dumps({**content, "updated_at": updated_at}, ensure_ascii=False)


def _row_values(content: Mapping[str, Any], updated_at: str | None) -> tuple[Any, ...]:
    """The upsert's values after the track id: the fields, then the derived columns."""
    moods = content["moods"]
    cue_texts = [cue["text"] for cue in content["cues"]]
    search = [*moods, *content["roles"], content["closing_note"], content["text"], *cue_texts]
    return (
        *(
            json.dumps(content[name], ensure_ascii=False) if name in _JSON_FIELDS else content[name]
            for name in FIELDS
        ),
        updated_at,
        int(is_filled(content)),
        len(content["cues"]),
        "".join(f"\x1f{fold(mood)}" for mood in moods) + ("\x1f" if moods else ""),
        f"{fold(content['closing_note'])}\n{fold(content['text'])}",
        "\x1f".join(fold(part) for part in search if part),
    )


def read_content(
    connection: sqlite3.Connection, track_id: int
) -> tuple[dict[str, Any], str | None] | None:
    """A track's stored notes as (content, updated_at), or None when it has no row."""
    row = connection.execute(_SELECT, (track_id,)).fetchone()
    if row is None:
        return None
    content = dict(zip(FIELDS, row[:-1], strict=True))
    for name in _JSON_FIELDS:
        content[name] = json.loads(content[name])
    return content, row[-1]


def write_content(
    connection: sqlite3.Connection,
    track_id: int,
    content: Mapping[str, Any],
    source: str,
    stamp: str | None = None,
) -> int | None:
    """Store `content` as the track's notes and journal it; the new version, or None if
    nothing changed. Runs inside the caller's transaction."""
    current = read_content(connection, track_id)
    if current is not None and dict(current[0]) == dict(content):
        return None
    if current is None and not is_filled(content):
        return None
    version: int = connection.execute(
        "SELECT coalesce(max(version), 0) + 1 FROM track_notes_journal WHERE track_id = ?",
        (track_id,),
    ).fetchone()[0]
    write_versions(connection, [(track_id, content, current, version)], source, stamp)
    return version


Before = tuple[Mapping[str, Any], str | None] | None  # a track's notes and updated_at, if any


def _previous(before: Before) -> str:
    return dumps(*(before or (EMPTY_NOTES, None)))


def write_versions(
    connection: sqlite3.Connection,
    items: Sequence[tuple[int, Mapping[str, Any], Before, int]],
    source: str,
    stamp: str | None = None,
) -> None:
    """Store new notes for several tracks at once, each journaled with its previous notes:
    (track id, new content, previous notes or None, the new version's number)."""
    stamp = stamp or now_iso()
    connection.executemany(
        _UPSERT, [(track_id, *_row_values(content, stamp)) for track_id, content, _, _ in items]
    )
    connection.executemany(
        "INSERT INTO track_notes_journal "
        "(track_id, version, changed_at, source, previous, notes) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (track_id, version, stamp, source, _previous(before), dumps(content, stamp))
            for track_id, content, before, version in items
        ],
    )


# -- for commands ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotesVersion:
    """One journal entry: the notes after change number `version`, and before it."""

    version: int
    changed_at: str
    source: str
    notes: TrackNotes
    previous: TrackNotes


def _model(data: Mapping[str, Any]) -> TrackNotes:
    from library.notes.model import TrackNotes

    return TrackNotes(**data)


def load(store: Store, track_id: int) -> TrackNotes:
    """A track's notes (empty notes when it has none)."""
    found = read_content(store.connection(), track_id)
    if found is None:
        return _model({})
    content, updated_at = found
    return _model({**content, "updated_at": updated_at})


def save(store: Store, track_id: int, notes: TrackNotes, source: str = "note") -> int | None:
    """Store `notes` (one transaction, journaled); the new version, or None if unchanged."""
    with store.transaction() as connection:
        return write_content(connection, track_id, notes.content(), source)


def history(store: Store, track_id: int) -> list[NotesVersion]:
    """Every version of a track's notes, oldest first."""
    rows = store.connection().execute(
        "SELECT version, changed_at, source, notes, previous FROM track_notes_journal "
        "WHERE track_id = ? ORDER BY version",
        (track_id,),
    )
    return [
        NotesVersion(version, at, source, _model(json.loads(after)), _model(json.loads(before)))
        for version, at, source, after, before in rows
    ]


def restore(store: Store, track_id: int, version: int) -> int | None:
    """Make version `version` the current notes again (a new, journaled version); the new
    version's number, or None when the notes already are that version."""
    with store.transaction() as connection:
        row = connection.execute(
            "SELECT notes FROM track_notes_journal WHERE track_id = ? AND version = ?",
            (track_id, version),
        ).fetchone()
        if row is None:
            last: int = connection.execute(
                "SELECT coalesce(max(version), 0) FROM track_notes_journal WHERE track_id = ?",
                (track_id,),
            ).fetchone()[0]
            known = f"versions 1 to {last}" if last else "no versions yet"
            raise NoteValueError(f"--restore {version}: track {track_id} has {known}")
        content = json.loads(row[0])
        content.pop("updated_at", None)
        return write_content(connection, track_id, content, f"restore {version}")


def moods_in_use(store: Store) -> dict[str, int]:
    """Every mood noted on some track, with how many tracks have it."""
    counts: dict[str, int] = {}
    for (moods,) in store.connection().execute("SELECT moods FROM track_notes WHERE moods != '[]'"):
        for mood in json.loads(moods):
            counts[mood] = counts.get(mood, 0) + 1
    return counts


@dataclass(frozen=True, slots=True)
class StoredNotes:
    """A track's notes row as the file synchronisation needs it."""

    content: dict[str, Any]
    updated_at: str | None
    file_hash: str | None  # what the file held at the last write or read (None: nothing)
    version: int  # the last journaled version


def read_many(connection: sqlite3.Connection, track_ids: Iterable[int]) -> dict[int, StoredNotes]:
    """The notes rows of several tracks (tracks without notes are left out)."""
    wanted = list(track_ids)
    found: dict[int, StoredNotes] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = connection.execute(
            f"SELECT track_id, {', '.join(FIELDS)}, updated_at, file_hash, "
            "(SELECT coalesce(max(version), 0) FROM track_notes_journal j "
            " WHERE j.track_id = n.track_id) "
            f"FROM track_notes n WHERE track_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        for row in rows:
            content = dict(zip(FIELDS, row[1 : 1 + len(FIELDS)], strict=True))
            for name in _JSON_FIELDS:
                content[name] = json.loads(content[name])
            updated_at, file_hash, version = row[1 + len(FIELDS) :]
            found[row[0]] = StoredNotes(content, updated_at, file_hash, version)
    return found


def set_file_hashes(
    connection: sqlite3.Connection, hashes: Sequence[tuple[int, str]], written_at: str | None
) -> None:
    """Record what the files of tracks hold now: (track id, `file_form.content_hash`).

    `written_at` is set when setlist itself wrote them; a scan that read them passes None
    and leaves the last write's time alone.
    """
    if written_at is None:
        connection.executemany(
            "UPDATE track_notes SET file_hash = ? WHERE track_id = ?",
            [(digest, track_id) for track_id, digest in hashes],
        )
    else:
        connection.executemany(
            "UPDATE track_notes SET file_hash = ?, written_at = ? WHERE track_id = ?",
            [(digest, written_at, track_id) for track_id, digest in hashes],
        )
