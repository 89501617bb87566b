"""Tracks for a list that may hold the whole library: ids in order, then narrow rows by id.

A list view of 50,000 tracks cannot build 50,000 models, nor even fetch 50,000 full rows, each
time the search text changes. It asks for the ids a query matches, in the query's order (one
integer per track), and then for the few columns it shows of the rows on screen, by id, in
small batches. The first screenful can be asked for alone (`limit`): SQLite finds the top rows
of a sort without sorting every match, which is what makes a keystroke in a search box cheap.

`where` and `order_by` come from `library.query`, which builds them from fixed fragments;
every user value travels as a parameter.

A row carries the track's notes as a list shows them (energy, roles, moods), fetched in the
same statement by a join on the notes' primary key: a noted track shows its notes' moods, a
track nobody noted the moods of its tags (as `library.notes.store` defines them).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from library.notes.values import tag_moods
from library.storage import Store

# SQLite allows 32,766 parameters per statement; a screenful needs a few dozen.
_IDS_PER_STATEMENT = 500
# Candidates checked per statement when narrowing: a screenful of matches is usually in the
# first chunk; past NARROW_BUDGET candidates a full search is the cheaper way, and once
# NARROW_SAMPLE have been checked, so is a search whose matches are too sparse among them
# to fill a screenful within the budget (a rare word costs a few chunks, not twenty).
_NARROW_CHUNK = 500
NARROW_BUDGET = 10_000
NARROW_SAMPLE = 1_000


@dataclass(frozen=True, slots=True)
class ListingRow:
    """What a track list shows of one track (the panel loads the full `Track`)."""

    id: int
    artist: str | None
    title: str | None
    label: str | None
    catalog_number: str | None
    bpm: float | None
    camelot: str | None
    moods: tuple[str, ...]
    duration: float | None
    missing: bool
    energy: int | None = None
    roles: tuple[str, ...] = ()


_COLUMNS = (
    "t.id, t.artist, t.title, t.label, t.catalog_number, t.bpm, t.camelot, t.duration, "
    "t.missing, t.moods, n.moods, n.energy, n.roles"
)


def matching_ids(
    store: Store,
    where: str = "1",
    params: Sequence[object] = (),
    order_by: str = "id",
    limit: int | None = None,
) -> array[int]:
    """The ids of the tracks a compiled query matches, in `order_by` order (the first `limit`).

    An `array` of machine integers: 50,000 ids take 400 KB and index in constant time.
    """
    sql = f"SELECT id FROM tracks WHERE {where} ORDER BY {order_by}"
    bound = list(params)
    if limit is not None:
        sql += " LIMIT ?"
        bound.append(limit)
    # One JSON array, not one row per id: stepping through 50,000 rows costs the sqlite3
    # module twice the time, and hands the GIL back and forth 50,000 times while the UI
    # thread wants it. An aggregate reads an ordered subquery in its order (SQLite does not
    # flatten an ORDER BY subquery into an aggregate); the tests hold it to that.
    row = store.connection().execute(f"SELECT json_group_array(id) FROM ({sql})", bound)
    return array("q", json.loads(row.fetchone()[0]))


def narrowed_ids(
    store: Store,
    candidates: Sequence[int],
    where: str,
    params: Sequence[object],
    limit: int,
) -> array[int] | None:
    """The first `limit` of `candidates` that match, in the candidates' order.

    For a search that narrows an earlier one (see `library.query.narrows`; every search
    narrows the empty one, whose matches are the whole library): its matches are among the
    earlier matches, already in order, so its first screenful is found by checking those
    from the top, by id, instead of filtering and ordering the whole library. `where`
    should be a query's `probe` spelling, made for checking a few tracks. None when that
    would mean checking more than NARROW_BUDGET of them, or when the first NARROW_SAMPLE
    say it would.
    """
    found: array[int] = array("q")
    connection = store.connection()
    sql = (
        "SELECT json_group_array(id) FROM tracks "
        f"WHERE id IN (SELECT value FROM json_each(?)) AND ({where})"
    )
    many = len(candidates) > NARROW_BUDGET  # else checking them all costs less than that
    for start in range(0, len(candidates), _NARROW_CHUNK):
        if start >= NARROW_BUDGET or (
            many and start >= NARROW_SAMPLE and len(found) * NARROW_BUDGET < limit * start
        ):
            return None
        chunk = candidates[start : start + _NARROW_CHUNK]
        row = connection.execute(sql, [json.dumps(list(chunk)), *params]).fetchone()
        matched = set(json.loads(row[0]))
        found.extend(track_id for track_id in chunk if track_id in matched)
        if len(found) >= limit:
            return found[:limit]
    return found


def listing_rows(store: Store, ids: Iterable[int]) -> dict[int, ListingRow]:
    """The rows of these tracks by id; ids that no longer exist are simply absent."""
    wanted = list(dict.fromkeys(ids))
    rows: dict[int, ListingRow] = {}
    connection = store.connection()
    for start in range(0, len(wanted), _IDS_PER_STATEMENT):
        chunk = wanted[start : start + _IDS_PER_STATEMENT]
        marks = ", ".join("?" * len(chunk))
        cursor = connection.execute(
            f"SELECT {_COLUMNS} FROM tracks AS t LEFT JOIN track_notes AS n "
            f"ON n.track_id = t.id WHERE t.id IN ({marks})",
            chunk,
        )
        for id_, artist, title, label, catno, bpm, camelot, duration, missing, *notes in cursor:
            tag_mood_list, noted_moods, energy, roles = notes
            moods = (
                json.loads(noted_moods) if noted_moods is not None else _tag_moods(tag_mood_list)
            )
            rows[id_] = ListingRow(
                id_, artist, title, label, catno, bpm, camelot, tuple(moods), duration,
                bool(missing), energy, tuple(json.loads(roles)) if roles else (),
            )  # fmt: skip
    return rows


def _tag_moods(moods: str) -> list[str]:
    """The moods of an unnoted track's tags, as its notes would hold them."""
    return tag_moods(json.loads(moods)) if moods != "[]" else []
