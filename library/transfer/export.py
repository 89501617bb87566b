"""Everything a DJ made in a library, as the notes document (`library.transfer.document`).

Read in one read transaction, so the document is one consistent moment of the library even
while the app or a scan writes. The tracks in it are those something hangs on: notes, a
release link, a place in a set or a play; every release entry is in it.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from library.storage import display_path, now_iso
from library.transfer import FORMAT, VERSION

if TYPE_CHECKING:
    import sqlite3

    from library.storage import Store

_TRACKS_WITH_SOMETHING = """
SELECT id, path_bytes, coalesce(audio_identity, ''), artist, title FROM tracks WHERE id IN (
    SELECT track_id FROM track_notes UNION SELECT track_id FROM release_links
    UNION SELECT track_id FROM set_entries UNION SELECT track_id FROM track_plays
) ORDER BY id
"""


@contextlib.contextmanager
def _snapshot(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    connection.execute("BEGIN")  # every read below sees the same moment
    try:
        yield connection
    finally:
        connection.execute("COMMIT")


def _path_fields(path: bytes) -> dict[str, str]:
    shown = display_path(path)
    if shown.encode("utf-8") == path:
        return {"path": shown}
    return {"path": shown, "path_base64": base64.b64encode(path).decode("ascii")}


def _tracks(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    from library.notes import store as notes_store

    rows = connection.execute(_TRACKS_WITH_SOMETHING).fetchall()
    notes = notes_store.read_many(connection, [row[0] for row in rows])
    links = {
        row[0]: row[1:]
        for row in connection.execute(
            "SELECT track_id, release_id, position, confidence, method, manual, linked_at "
            "FROM release_links"
        )
    }
    tracks = []
    for track_id, path, identity, artist, title in rows:
        entry: dict[str, Any] = {"key": track_id, "identity": identity, **_path_fields(path)}
        entry.update(artist=artist, title=title, notes=None, link=None)
        if track_id in notes:
            stored = notes[track_id]
            entry["notes"] = {**stored.content, "updated_at": stored.updated_at}
        if track_id in links:
            release, position, confidence, method, manual, linked_at = links[track_id]
            entry["link"] = {
                "release": release, "position": position, "confidence": confidence,
                "method": method, "manual": bool(manual), "linked_at": linked_at,
            }  # fmt: skip
        tracks.append(entry)
    return tracks


def _releases(store: Store, connection: sqlite3.Connection) -> list[dict[str, Any]]:
    from library.releases.store import ReleaseStore

    changed = dict(connection.execute("SELECT id, updated_at FROM releases").fetchall())
    return [
        {
            "key": release.id,
            "updated_at": changed.get(release.id),
            "release": release.model_dump(mode="json", exclude={"id"}),
        }
        for release in ReleaseStore(store).all()
    ]


def _sets(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    from library.set_store import find_set

    sets = []
    for (name,) in connection.execute("SELECT name FROM sets ORDER BY name_key").fetchall():
        stored = find_set(connection, name)
        sets.append(
            {
                "name": stored.name, "description": stored.description, "venue": stored.venue,
                "date": stored.date.isoformat() if stored.date else None,
                "target_minutes": stored.target_minutes, "allow_repeat": stored.allow_repeat,
                "updated_at": stored.updated_at,
                "entries": [
                    {"track": entry.track_id, "transition_note": entry.transition_note}
                    for entry in stored.entries
                ],
            }
        )  # fmt: skip
    return sets


def _plays(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    tracks: dict[int, list[dict[str, int]]] = {}
    for play_id, position, track_id in connection.execute(
        "SELECT play_id, position, track_id FROM track_plays ORDER BY play_id, position"
    ):
        tracks.setdefault(play_id, []).append({"position": position, "track": track_id})
    rows = connection.execute(
        "SELECT p.id, s.name, p.set_name, p.played_on, p.venue, p.recorded_at "
        "FROM set_plays p LEFT JOIN sets s ON s.id = p.set_id ORDER BY p.id"
    )
    names = ("set", "set_name", "played_on", "venue", "recorded_at")
    return [
        {**dict(zip(names, row[1:], strict=True)), "tracks": tracks.get(row[0], [])} for row in rows
    ]


def collect(store: Store) -> dict[str, Any]:
    """The library's notes document, as JSON-ready values."""
    with _snapshot(store.connection()) as connection:
        return {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": now_iso(),
            "tracks": _tracks(connection),
            "releases": _releases(store, connection),
            "sets": _sets(connection),
            "plays": _plays(connection),
        }
