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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from library.notes.values import EMPTY_NOTES, NOTE_FIELDS, NoteValueError, moods_fold, tag_moods
from library.search_text import fold
from library.storage import now_iso

if TYPE_CHECKING:
    from library.models import Track
    from library.notes.model import TrackNotes
    from library.storage import Store

FIELDS = NOTE_FIELDS
_JSON_FIELDS = ("moods", "roles", "cues")
_CHUNK = 500  # values per IN (...) list
_SELECT = f"SELECT {', '.join(FIELDS)}, updated_at FROM track_notes WHERE track_id = ?"
_COLUMNS = (
    *FIELDS, "updated_at", "filled", "cue_count", "moods_fold", "notes_fold", "notes_search",
)  # fmt: skip


def _upsert(columns: Sequence[str]) -> str:
    return (
        f"INSERT INTO track_notes (track_id, {', '.join(columns)}) "
        f"VALUES (?, {', '.join('?' * len(columns))}) ON CONFLICT (track_id) DO UPDATE SET "
        + ", ".join(f"{column} = excluded.{column}" for column in columns)
    )


_UPSERT = _upsert(_COLUMNS)
_UPSERT_SEEN = _upsert((*_COLUMNS, "file_hash"))  # notes read from the file they came from


def is_filled(content: Mapping[str, Any]) -> bool:
    """Whether anything at all is noted."""
    return any(content.get(name) != EMPTY_NOTES[name] for name in FIELDS)


# One encoder for every row: json.dumps builds a new one per call when given options.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def dumps(content: Mapping[str, Any], updated_at: str | None) -> str:
    """Whole notes as the journal keeps them: every field, and `updated_at`."""
    return _ENCODER.encode({**content, "updated_at": updated_at})


def _json(value: object) -> str:
    return _ENCODER.encode(value) if value else "[]"


def _row_values(content: Mapping[str, Any], updated_at: str | None) -> tuple[Any, ...]:
    """The upsert's values after the track id: the fields, then the derived columns."""
    moods = content["moods"]
    cue_texts = [cue["text"] for cue in content["cues"]]
    search = [*moods, *content["roles"], content["closing_note"], content["text"], *cue_texts]
    return (
        *(_json(content[name]) if name in _JSON_FIELDS else content[name] for name in FIELDS),
        updated_at,
        int(is_filled(content)),
        len(content["cues"]),
        moods_fold(moods),
        f"{fold(content['closing_note'])}\n{fold(content['text'])}",
        "\x1f".join(fold(part) for part in search if part),
    )


def implicit_content(moods: list[str]) -> dict[str, Any]:
    """The notes of a track nobody noted: the moods of its tags and nothing else."""
    content: dict[str, Any] = json.loads(_NOTHING_CONTENT)
    content["moods"] = moods
    return content


def current(connection: sqlite3.Connection, track_id: int) -> StoredNotes:
    """A track's notes: its row, or (without one) the moods its tags hold, as version 0.

    The file of a track without a row holds, as far as setlist knows, just those moods: that
    is its `file_hash` then, so that `setlist tags write` finds the file as it expects.
    """
    row = read_many(connection, [track_id]).get(track_id)
    if row is not None:
        return row
    from library.notes.file_form import content_hash

    found = connection.execute("SELECT moods FROM tracks WHERE id = ?", (track_id,)).fetchone()
    content = implicit_content(tag_moods(json.loads(found[0])) if found else [])
    return StoredNotes(content, None, content_hash(content), 0, stored=False)


def write_content(
    connection: sqlite3.Connection,
    track_id: int,
    content: Mapping[str, Any],
    source: str,
    stamp: str | None = None,
) -> int | None:
    """Store `content` as the track's notes and journal it; the new version, or None if
    nothing changed. Runs inside the caller's transaction."""
    before = current(connection, track_id)
    if before.content == dict(content):
        return None
    version = before.version + 1
    hashes = None if before.stored else {track_id: before.file_hash or ""}
    write_versions(
        connection,
        [(track_id, content, (before.content, before.updated_at), version)],
        source,
        stamp,
        file_hashes=hashes,
    )
    return version


Before = tuple[Mapping[str, Any], str | None] | None  # a track's notes and updated_at, if any


_NOTHING_CONTENT = json.dumps(EMPTY_NOTES)
_NOTHING = dumps(EMPTY_NOTES, None)  # the previous notes of a track noted for the first time


def _previous(before: Before) -> str:
    return _NOTHING if before is None else dumps(*before)


def write_versions(
    connection: sqlite3.Connection,
    items: Sequence[tuple[int, Mapping[str, Any], Before, int]],
    source: str,
    stamp: str | None = None,
    file_hashes: Mapping[int, str] | None = None,
) -> None:
    """Store new notes for several tracks at once, each journaled with its previous notes:
    (track id, new content, previous notes or None, the new version's number). With
    `file_hashes`, each track's file is recorded as holding those notes (see `set_file_hashes`).
    """
    stamp = stamp or now_iso()
    if file_hashes is None:
        connection.executemany(
            _UPSERT, [(track_id, *_row_values(content, stamp)) for track_id, content, _, _ in items]
        )
    else:
        connection.executemany(
            _UPSERT_SEEN,
            [
                (track_id, *_row_values(content, stamp), file_hashes[track_id])
                for track_id, content, _, _ in items
            ],
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
    """A track's notes (the moods of its tags, and nothing else, when nobody noted it)."""
    found = current(store.connection(), track_id)
    return _model({**found.content, "updated_at": found.updated_at})


def load_many(store: Store, tracks: Mapping[int, Track]) -> dict[int, TrackNotes]:
    """The notes of several tracks in one query; a track nobody noted has its tags' moods
    (the `Track.moods` already read), as `load` gives them one by one."""
    rows = read_many(store.connection(), list(tracks))
    notes: dict[int, TrackNotes] = {}
    for track_id, track in tracks.items():
        row = rows.get(track_id)
        if row is None:
            notes[track_id] = _model(implicit_content(track.moods))
        else:
            notes[track_id] = _model({**row.content, "updated_at": row.updated_at})
    return notes


def save(store: Store, track_id: int, notes: TrackNotes, source: str = "note") -> int | None:
    """Store `notes` (one transaction, journaled); the new version, or None if unchanged.

    This replaces the notes whole: for an edit of the notes as they are now, use `update`,
    which reads them in the same transaction as it writes.
    """
    with store.transaction() as connection:
        return write_content(connection, track_id, notes.content(), source)


def update(
    store: Store,
    track_id: int,
    change: Callable[[TrackNotes], TrackNotes],
    source: str = "note",
) -> tuple[TrackNotes, int | None]:
    """Apply `change` to a track's current notes and store the result, in one transaction.

    Reading the notes outside the transaction that writes them would let another process
    (the app, a second terminal) save in between, and that save would be lost under a
    whole-notes write. Here the read happens after BEGIN IMMEDIATE has the write lock, so
    concurrent edits queue and each sees the one before. Returns the notes `change` was
    given, and the new version (None when nothing changed). `change` may raise to store
    nothing.
    """
    with store.transaction() as connection:
        found = current(connection, track_id)
        before = _model({**found.content, "updated_at": found.updated_at})
        return before, write_content(connection, track_id, change(before).content(), source)


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
    """Every mood of some track (noted, or in the tags of a track nobody noted), with how
    many tracks have it."""
    counts: dict[str, int] = {}
    rows = store.connection().execute(
        "SELECT coalesce(notes.moods, tracks.moods), notes.track_id IS NULL FROM tracks "
        "LEFT JOIN track_notes AS notes ON notes.track_id = tracks.id "
        "WHERE coalesce(notes.moods, tracks.moods) != '[]'"
    )
    for moods, from_tags in rows:
        for mood in tag_moods(json.loads(moods)) if from_tags else json.loads(moods):
            counts[mood] = counts.get(mood, 0) + 1
    return counts


@dataclass(frozen=True, slots=True)
class StoredNotes:
    """A track's notes as the journal and the file synchronisation need them."""

    content: dict[str, Any]
    updated_at: str | None
    file_hash: str | None  # what the file held at the last write or read (None: nothing)
    version: int  # the last journaled version (0: never noted)
    stored: bool = True  # False: no row yet; the content is the moods of the tags


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
