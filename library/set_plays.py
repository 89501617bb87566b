"""The record of sets played: when, where, and which tracks, kept apart from the sets.

A play copies the set's name and its tracks in order at the moment it is recorded, so a
track's play count and last play (`setlist tracks --json`, `played:`, `venue:`) stay true
when the set is later edited, renamed or deleted. All the SQL of plays lives here.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from library.search_text import fold
from library.set_store import SetError, clean_text, find_set
from library.storage import Store, now_iso


@dataclass(frozen=True, slots=True)
class Play:
    """A set played once: when, where, and how many tracks it held that night."""

    id: int
    set_name: str
    played_on: dt.date
    venue: str
    tracks: int


def plays(store: Store, set_id: int) -> list[Play]:
    """The times a set was played (recorded under any of its names), oldest first."""
    rows = store.connection().execute(
        "SELECT p.id, p.set_name, p.played_on, p.venue, "
        " (SELECT count(*) FROM track_plays tp WHERE tp.play_id = p.id) "
        "FROM set_plays p WHERE p.set_id = ? ORDER BY p.played_on, p.id",
        (set_id,),
    )
    return [Play(i, name, dt.date.fromisoformat(on), venue, n) for i, name, on, venue, n in rows]


def record_play(store: Store, name: str, played_on: dt.date, venue: str | None = None) -> Play:
    """Record that a set was played on a date, at a venue (default: the set's venue).

    Each track gets a play, kept apart from the set: edits and deletion leave it. The same
    set at the same date and venue (folded) is refused: a second record would count twice.
    """
    with store.transaction() as connection:
        stored = find_set(connection, name)
        if not stored.entries:
            raise SetError(f"{stored.name!r} has no tracks: nothing to record as played")
        where = clean_text(stored.venue if venue is None else venue).strip()
        twice = connection.execute(
            "SELECT 1 FROM set_plays WHERE set_id = ? AND played_on = ? AND venue_fold = ?",
            (stored.id, played_on.isoformat(), fold(where)),
        ).fetchone()
        if twice:
            at = f" at {where!r}" if where else ""
            raise SetError(f"{stored.name!r} is already recorded as played on {played_on}{at}")
        tracks = [(e.position, e.track_id) for e in stored.entries]
        play_id = insert_play(
            connection, stored.id, stored.name, played_on=played_on, venue=where, tracks=tracks
        )
        return Play(play_id, stored.name, played_on, where, len(stored.entries))


def insert_play(
    connection: sqlite3.Connection,
    set_id: int | None,
    set_name: str,
    *,
    played_on: dt.date,
    venue: str,
    tracks: Sequence[tuple[int, int]],
    recorded_at: str | None = None,
) -> int:
    """Store one play, in the caller's transaction: (position, track id) of each track; the
    play's id."""
    cursor = connection.execute(
        "INSERT INTO set_plays (set_id, set_name, played_on, venue, venue_fold, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (set_id, set_name, played_on.isoformat(), venue, fold(venue), recorded_at or now_iso()),
    )
    assert cursor.lastrowid is not None
    connection.executemany(
        "INSERT INTO track_plays (play_id, position, track_id) VALUES (?, ?, ?)",
        [(cursor.lastrowid, position, track_id) for position, track_id in tracks],
    )
    return cursor.lastrowid
