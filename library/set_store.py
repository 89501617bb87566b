"""Sets in the library database: names, ordered entries, and the record of sets played.

All the SQL of sets lives here. Every change is one IMMEDIATE transaction that finds the set
by name, checks what it was asked (a position inside the set, a name nobody has, a repeat
the set allows) and writes, or raises a `SetError` and writes nothing. An edit of the entries
rewrites the set's entries whole, numbered 1..N: sets hold tens of tracks, so this costs
nothing and positions can never have a gap or a duplicate, whatever the edit.

Names are unique without regard to case (`name_key`: NFKC and Unicode case folding, spaces
collapsed), so "Warm-Up", "warm-up" and "WARM-UP" are one set, as are "Straße" and
"STRASSE"; accents still count ("Café" and "Cafe" are two sets). A name is stored as typed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from library.errors import SetlistError
from library.storage import Store, now_iso

_SURROGATE = re.compile("[\ud800-\udfff]")
_SET_COLUMNS = (
    "id, name, description, venue, date, target_minutes, allow_repeat, created_at, updated_at"
)
_NAMES_SHOWN = 3


class SetError(SetlistError):
    """A set edit that cannot be done as asked; nothing was changed."""


class SetNotFoundError(SetError):
    """No set has the name given."""


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """One place in a set: the track there and the note on how to mix into it."""

    position: int
    track_id: int
    transition_note: str = ""


@dataclass(frozen=True, slots=True)
class StoredSet:
    """A set as stored: its fields and its entries in order (positions 1..N)."""

    id: int
    name: str
    description: str = ""
    venue: str = ""
    date: dt.date | None = None
    target_minutes: int | None = None
    allow_repeat: bool = False
    created_at: str = ""
    updated_at: str = ""
    entries: tuple[StoredEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class SetSummary:
    """What `sets list` shows of a set: its fields and figures, without its entries."""

    id: int
    name: str
    venue: str
    date: dt.date | None
    target_minutes: int | None
    tracks: int
    seconds: float  # the known durations, added up
    unknown_durations: int
    plays: int
    last_played: dt.date | None
    updated_at: str


def clean_text(text: str) -> str:
    """Text as typed, except lone surrogates (an argument that was not UTF-8) become U+FFFD:
    SQLite cannot store them."""
    return _SURROGATE.sub("\ufffd", text)


def clean_name(name: str) -> str:
    """A set name as stored: as typed, without surrounding spaces; never empty."""
    cleaned = clean_text(name).strip()
    if not cleaned:
        raise SetError("a set name cannot be empty")
    return cleaned


def name_key(name: str) -> str:
    """What two names are compared by: case folded (Unicode-wide), spaces collapsed."""
    collapsed = " ".join(clean_text(name).split())
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", collapsed).casefold())


def parse_date(text: str, what: str = "date") -> dt.date:
    """A date written YYYY-MM-DD; anything else is a `SetError` naming `what`."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise SetError(f"{what} {text!r}: not a date; write it as YYYY-MM-DD") from None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _target(minutes: int | None) -> int | None:
    if minutes is not None and minutes < 1:
        raise SetError(f"target {minutes}: a target length is at least 1 minute")
    return minutes


def _positions(entries: Sequence[object]) -> str:
    return f"positions 1 to {len(entries)}" if entries else "no entries yet"


def find_set(connection: sqlite3.Connection, name: str) -> StoredSet:
    """The set named `name` (compared without case) with its entries, read on `connection`
    (inside the caller's transaction); `SetNotFoundError` names close names."""
    row = connection.execute(
        f"SELECT {_SET_COLUMNS} FROM sets WHERE name_key = ?", (name_key(name),)
    ).fetchone()
    if row is None:
        names = [n for (n,) in connection.execute("SELECT name FROM sets ORDER BY name_key")]
        keys = {name_key(n): n for n in names}
        close = difflib.get_close_matches(name_key(name), list(keys), n=_NAMES_SHOWN)
        hint = f"; did you mean {', '.join(repr(keys[k]) for k in close)}?" if close else ""
        if not names:
            hint = "; there are no sets yet (setlist sets new NAME)"
        raise SetNotFoundError(f"no set named {name!r}{hint}")
    entries = tuple(
        StoredEntry(*entry)
        for entry in connection.execute(
            "SELECT position, track_id, transition_note FROM set_entries "
            "WHERE set_id = ? ORDER BY position",
            (row[0],),
        )
    )
    set_id, stored_name, description, venue, date, target, repeat, created, updated = row
    return StoredSet(
        set_id, stored_name, description, venue, _date(date), target, bool(repeat),
        created, updated, entries,
    )  # fmt: skip


class SetStore:
    """Sets on top of the library's `Store` (its connection and transactions)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- reading ----------------------------------------------------------------------------

    def get(self, name: str) -> StoredSet:
        """The set named `name` (compared without case), with its entries."""
        connection = self.store.connection()
        connection.execute("BEGIN")  # the set and its entries from one snapshot
        try:
            return find_set(connection, name)
        finally:
            connection.execute("COMMIT")

    def summaries(self) -> list[SetSummary]:
        """Every set, by name, with its length and how often it was played."""
        rows = self.store.connection().execute(
            "SELECT s.id, s.name, s.venue, s.date, s.target_minutes, s.updated_at, "
            " (SELECT count(*) FROM set_entries e WHERE e.set_id = s.id), "
            " (SELECT coalesce(sum(t.duration), 0) FROM set_entries e "
            "  JOIN tracks t ON t.id = e.track_id WHERE e.set_id = s.id), "
            " (SELECT count(*) FROM set_entries e JOIN tracks t ON t.id = e.track_id "
            "  WHERE e.set_id = s.id AND t.duration IS NULL), "
            " (SELECT count(*) FROM set_plays p WHERE p.set_id = s.id), "
            " (SELECT max(played_on) FROM set_plays p WHERE p.set_id = s.id) "
            "FROM sets s ORDER BY s.name_key"
        )
        return [
            SetSummary(
                id=row[0],
                name=row[1],
                venue=row[2],
                date=_date(row[3]),
                target_minutes=row[4],
                updated_at=row[5],
                tracks=row[6],
                seconds=float(row[7]),
                unknown_durations=row[8],
                plays=row[9],
                last_played=_date(row[10]),
            )
            for row in rows
        ]

    # -- writing ----------------------------------------------------------------------------

    def _check_free(self, connection: sqlite3.Connection, name: str, keep: int | None) -> None:
        """Refuse a name another set has (the set `keep` may keep its own)."""
        row = connection.execute(
            "SELECT id, name FROM sets WHERE name_key = ?", (name_key(name),)
        ).fetchone()
        if row is not None and row[0] != keep:
            raise SetError(f"a set named {row[1]!r} already exists (names ignore case)")

    def _check_tracks(
        self, connection: sqlite3.Connection, entries: Sequence[StoredEntry], allow_repeat: bool
    ) -> None:
        """Every track exists, and (unless the set allows repeats) is in the set once."""
        wanted = sorted({entry.track_id for entry in entries})
        found = {
            track_id
            for (track_id,) in connection.execute(
                "SELECT id FROM tracks WHERE id IN (SELECT value FROM json_each(?))",
                (str(wanted),),
            )
        }
        for track_id in wanted:
            if track_id not in found:
                raise SetError(f"no track with id {track_id}")
        if allow_repeat:
            return
        seen: dict[int, int] = {}
        for entry in entries:
            if entry.track_id in seen:
                raise SetError(
                    f"track {entry.track_id} would be in the set twice (positions "
                    f"{seen[entry.track_id]} and {entry.position}); the set does not allow "
                    "repeats (setlist sets edit NAME --allow-repeat)"
                )
            seen[entry.track_id] = entry.position

    def _write(
        self, connection: sqlite3.Connection, stored: StoredSet, stamp: str | None = None
    ) -> StoredSet:
        """Store `stored`'s fields and its entries, renumbered 1..N, as changed at `stamp`
        (default: now); the set as stored."""
        entries = tuple(
            StoredEntry(number, entry.track_id, clean_text(entry.transition_note))
            for number, entry in enumerate(stored.entries, start=1)
        )
        self._check_tracks(connection, entries, stored.allow_repeat)
        stamp = stamp or now_iso()
        stored = replace(
            stored,
            description=clean_text(stored.description),
            venue=clean_text(stored.venue),
            target_minutes=_target(stored.target_minutes),
            entries=entries,
            updated_at=stamp,
        )
        connection.execute(
            "UPDATE sets SET name = ?, name_key = ?, description = ?, venue = ?, date = ?, "
            "target_minutes = ?, allow_repeat = ?, updated_at = ? WHERE id = ?",
            (
                stored.name, name_key(stored.name), stored.description, stored.venue,
                stored.date.isoformat() if stored.date else None, stored.target_minutes,
                int(stored.allow_repeat), stamp, stored.id,
            ),
        )  # fmt: skip
        connection.execute("DELETE FROM set_entries WHERE set_id = ?", (stored.id,))
        connection.executemany(
            "INSERT INTO set_entries (set_id, position, track_id, transition_note) "
            "VALUES (?, ?, ?, ?)",
            [(stored.id, e.position, e.track_id, e.transition_note) for e in entries],
        )
        return stored

    def create(
        self,
        name: str,
        *,
        description: str = "",
        venue: str = "",
        date: dt.date | None = None,
        target_minutes: int | None = None,
        allow_repeat: bool = False,
        track_ids: Iterable[int] = (),
        connection: sqlite3.Connection | None = None,
    ) -> StoredSet:
        """A new set (with `track_ids` as its entries, for importers), in one transaction of
        its own, or in the caller's (`store.transaction()`) when given its `connection`, so an
        import's sets and notes are made together or not at all."""
        entries = tuple(StoredEntry(0, track_id) for track_id in track_ids)
        fields = StoredSet(
            0, name, description, venue, date, target_minutes, allow_repeat, entries=entries
        )
        if connection is not None:
            return self._insert(connection, fields)
        with self.store.transaction() as own:
            return self._insert(own, fields)

    def _insert(self, connection: sqlite3.Connection, fields: StoredSet) -> StoredSet:
        """A new set with these fields and entries (its id and times are new)."""
        name = clean_name(fields.name)
        self._check_free(connection, name, keep=None)
        stamp = now_iso()
        cursor = connection.execute(
            "INSERT INTO sets (name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (name, name_key(name), stamp, stamp),
        )
        assert cursor.lastrowid is not None
        made = replace(fields, id=cursor.lastrowid, name=name, created_at=stamp)
        return self._write(connection, made)

    def save(
        self,
        stored: StoredSet,
        connection: sqlite3.Connection | None = None,
        stamp: str | None = None,
    ) -> StoredSet:
        """Store a whole set edited elsewhere (the app, an importer): its fields and entries.

        The set is found by id; its name must not be another set's. In a transaction of its
        own, or in the caller's when given its `connection`; changed at `stamp` (default:
        now), so an imported set keeps the time it was last changed.
        """
        if connection is None:
            with self.store.transaction() as own:
                return self.save(stored, own, stamp)
        name = clean_name(stored.name)
        if connection.execute("SELECT 1 FROM sets WHERE id = ?", (stored.id,)).fetchone():
            self._check_free(connection, name, keep=stored.id)
            (created,) = connection.execute(
                "SELECT created_at FROM sets WHERE id = ?", (stored.id,)
            ).fetchone()
            changed = replace(stored, name=name, created_at=created)
            return self._write(connection, changed, stamp)
        raise SetNotFoundError(f"no set with id {stored.id}")

    def _check_position(self, stored: StoredSet, position: int, what: str = "position") -> int:
        if not 1 <= position <= len(stored.entries):
            raise SetError(f"{what} {position}: {stored.name!r} has {_positions(stored.entries)}")
        return position - 1

    def add(self, name: str, track_ids: Sequence[int], at: int | None = None) -> StoredSet:
        """Put tracks into a set at position `at` (the tracks there move down), or at the end."""
        with self.store.transaction() as connection:
            stored = find_set(connection, name)
            entries = list(stored.entries)
            if at is None:
                at = len(entries) + 1
            if not 1 <= at <= len(entries) + 1:
                raise SetError(
                    f"--at {at}: {stored.name!r} takes positions 1 to {len(entries) + 1}"
                )
            if not track_ids:
                raise SetError("no track given")
            new = [StoredEntry(at + i, track_id) for i, track_id in enumerate(track_ids)]
            entries[at - 1 : at - 1] = new
            # Renumber so a repeat is reported at the positions it would have.
            numbered = [replace(e, position=n) for n, e in enumerate(entries, start=1)]
            return self._write(connection, replace(stored, entries=tuple(numbered)))

    def remove(self, name: str, position: int) -> StoredEntry:
        """Take the entry at `position` out of a set (the tracks after it move up)."""
        with self.store.transaction() as connection:
            stored = find_set(connection, name)
            index = self._check_position(stored, position)
            entries = list(stored.entries)
            removed = entries.pop(index)
            self._write(connection, replace(stored, entries=tuple(entries)))
            return removed

    def move(self, name: str, source: int, target: int) -> StoredSet:
        """Move the entry at `source` to `target` (the entries between shift by one)."""
        with self.store.transaction() as connection:
            stored = find_set(connection, name)
            start = self._check_position(stored, source, "from")
            end = self._check_position(stored, target, "to")
            if start == end:
                return stored
            entries = list(stored.entries)
            entries.insert(end, entries.pop(start))
            return self._write(connection, replace(stored, entries=tuple(entries)))

    def note(self, name: str, position: int, text: str) -> StoredSet:
        """Set the transition note of the entry at `position` ("" clears it)."""
        with self.store.transaction() as connection:
            stored = find_set(connection, name)
            index = self._check_position(stored, position)
            entries = list(stored.entries)
            entries[index] = replace(entries[index], transition_note=text)
            return self._write(connection, replace(stored, entries=tuple(entries)))

    def edit(self, name: str, /, **fields: Any) -> StoredSet:
        """Change a set's fields: `name`, `description`, `venue`, `date`, `target_minutes`,
        `allow_repeat` (those given). Refusing repeats is refused while the set holds one."""
        unknown = set(fields) - {
            "name", "description", "venue", "date", "target_minutes", "allow_repeat",
        }  # fmt: skip
        if unknown:
            raise TypeError(f"not fields of a set: {', '.join(sorted(unknown))}")
        with self.store.transaction() as connection:
            stored = find_set(connection, name)
            changed = replace(stored, **fields)
            changed = replace(changed, name=clean_name(changed.name))
            self._check_free(connection, changed.name, keep=stored.id)
            return self._write(connection, changed)

    def rename(self, old: str, new: str) -> StoredSet:
        """Give a set another name (a change of case alone is a rename too)."""
        return self.edit(old, name=new)

    def copy(self, name: str, new: str) -> StoredSet:
        """A new set with another set's fields and entries (not its plays)."""
        with self.store.transaction() as connection:
            return self._insert(connection, replace(find_set(connection, name), name=new))

    def delete(self, name: str) -> StoredSet:
        """Delete a set and its entries; its plays (and so the tracks' play counts) stay."""
        with self.store.transaction() as connection:
            stored = find_set(connection, name)
            connection.execute("DELETE FROM sets WHERE id = ?", (stored.id,))
            return stored
