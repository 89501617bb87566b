"""Tracks that could go at a place in a set, narrowed in SQL before anything ranks them.

A suggestion weighs every candidate in Python, which a 50,000-track library cannot afford
for every track. So the keys that mix with the neighbour and the tempo windows it can be
mixed at (half and double time included) are conditions of the query, on the indexed
`camelot` and `bpm` columns, and only the few thousand tracks left are read: narrow rows,
no models. Missing files are never candidates (they cannot be played).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from library.notes.values import tag_moods
from library.storage import Store

_SELECT = (
    "SELECT t.id, t.artist, t.title, t.bpm, t.camelot, t.duration, n.energy, "
    "coalesce(n.roles, '[]'), coalesce(n.moods, t.moods), n.track_id IS NULL "
    "FROM tracks t LEFT JOIN track_notes n ON n.track_id = t.id"
)
# What an opening track looks like, for an empty set: noted as an opener or a warm-up, or low
# in energy.
_OPENING = "(instr(n.roles, '\"opener\"') OR instr(n.roles, '\"warm-up\"') OR n.energy <= 4)"


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """What ranking needs of a candidate track."""

    id: int
    artist: str | None
    title: str | None
    bpm: float | None
    camelot: str | None
    duration: float | None
    energy: int | None
    roles: tuple[str, ...]
    moods: tuple[str, ...]


def candidates(
    store: Store,
    *,
    keys: Sequence[str] | None = None,
    bpm_ranges: Sequence[tuple[float, float]] | None = None,
    opening: bool = False,
    exclude_set: int | None = None,
    exclude_tracks: Sequence[int] = (),
    limit: int | None = None,
) -> list[CandidateRow]:
    """Present tracks in one of `keys` (Camelot, as stored) and one of the `bpm_ranges`
    (inclusive), or that look like openers (`opening`); None leaves that condition out.
    Tracks of the set `exclude_set` and `exclude_tracks` are left out. In id order."""
    conditions = ["t.missing = 0"]
    params: list[object] = []
    if keys is not None:
        conditions.append(f"t.camelot IN ({', '.join('?' * len(keys))})")
        params.extend(keys)
    if bpm_ranges is not None:
        ranges = " OR ".join("t.bpm BETWEEN ? AND ?" for _ in bpm_ranges)
        conditions.append(f"({ranges or '0'})")
        params.extend(bound for pair in bpm_ranges for bound in pair)
    if opening:
        conditions.append(_OPENING)
    if exclude_set is not None:
        conditions.append("t.id NOT IN (SELECT track_id FROM set_entries WHERE set_id = ?)")
        params.append(exclude_set)
    if exclude_tracks:
        conditions.append("t.id NOT IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(exclude_tracks)))
    sql = f"{_SELECT} WHERE {' AND '.join(conditions)} ORDER BY t.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    found = []
    for row in store.connection().execute(sql, params):
        track_id, artist, title, bpm, camelot, duration, energy, roles, moods, from_tags = row
        mood_list = json.loads(moods)
        found.append(
            CandidateRow(
                track_id, artist, title, bpm, camelot, duration, energy,
                tuple(json.loads(roles)),
                tuple(tag_moods(mood_list) if from_tags else mood_list),
            )
        )  # fmt: skip
    return found
