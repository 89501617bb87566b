"""Release entries and track links in the library database; all their SQL lives here.

Saving follows one rule for every source: a release whose identity is already stored
(`identity`) is updated, never copied, and an update replaces only the fields the new import
carries (`Release.model_fields_set`), so a collection CSV row does not wipe the tracklist a
Discogs JSON import gave, and a page copied without its reviews keeps the reviews stored.
Each call that writes is one transaction: a batch is stored whole or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from library.errors import ReleaseNotFoundError, SetlistError
from library.releases.fields import label_key
from library.releases.model import Release
from library.search_text import fold, normalise_catno
from library.storage import Store, now_iso

# Release fields stored as JSON columns, and the scalar ones; labels and the tracklist
# have tables of their own.
_JSON_FIELDS = (
    "artists", "genres", "styles", "formats", "identifiers", "companies", "reviews",
    "collection",
)  # fmt: skip
_SCALAR_FIELDS = (
    "source", "source_id", "artist_credit", "title", "year", "released", "country", "notes",
    "review_count", "url",
)  # fmt: skip
_COLUMNS = ("id", *_SCALAR_FIELDS, *_JSON_FIELDS)


@dataclass(frozen=True, slots=True)
class Link:
    """A track tied to a release (and to a tracklist position when one is known)."""

    track_id: int
    release_id: int
    position: str | None
    confidence: float
    method: str
    manual: bool = False


@dataclass(frozen=True, slots=True)
class Saved:
    """A stored release and whether the save added it or updated an existing entry."""

    release: Release
    added: bool


def identity(release: Release) -> str | None:
    """What makes two imports the same release: the source's id, or for page text the first
    label, its catalog number and the title (folded); manual entries have none."""
    if release.source == "manual":
        return None
    if release.source == "discogs-page":
        label = release.labels[0] if release.labels else None
        parts = [
            label_key(label.name) if label else "",
            normalise_catno(label.catalog_number) if label else "",
            fold(release.title),
        ]
        return "discogs-page:" + "\x1f".join(parts)
    return f"{release.source}:{release.source_id}"


def merge(stored: Release, imported: Release) -> Release:
    """`stored` with the fields `imported` carries replaced (its id stays)."""
    update = {name: getattr(imported, name) for name in imported.model_fields_set - {"id"}}
    return stored.model_copy(update=update)


def _row(release: Release) -> dict[str, Any]:
    dumped = release.model_dump(mode="json")
    values = {name: dumped[name] for name in _SCALAR_FIELDS}
    for name in _JSON_FIELDS:
        values[name] = json.dumps(dumped[name], ensure_ascii=False)
    values["identity"] = identity(release)
    return values


class ReleaseStore:
    """Releases and links on top of the library's `Store` (its connection and transactions)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- reading ----------------------------------------------------------------------------

    def _load(self, where: str, params: Sequence[object]) -> list[Release]:
        connection = self.store.connection()
        rows = connection.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM releases WHERE {where} ORDER BY id", params
        ).fetchall()
        ids = [row[0] for row in rows]
        labels: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        tracks: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        marks = ", ".join("?" * len(ids))
        for release_id, name, catno in connection.execute(
            f"SELECT release_id, name, catalog_number FROM release_labels "
            f"WHERE release_id IN ({marks}) ORDER BY release_id, ord",
            ids,
        ):
            labels[release_id].append({"name": name, "catalog_number": catno})
        for release_id, position, title, duration, artists in connection.execute(
            f"SELECT release_id, position, title, duration, artists FROM release_tracks "
            f"WHERE release_id IN ({marks}) ORDER BY release_id, ord",
            ids,
        ):
            tracks[release_id].append(
                {"position": position, "title": title, "duration": duration,
                 "artists": json.loads(artists)}
            )  # fmt: skip
        releases = []
        for row in rows:
            values = dict(zip(_COLUMNS, row, strict=True))
            for name in _JSON_FIELDS:
                values[name] = json.loads(values[name]) if values[name] is not None else None
            values["labels"] = labels[values["id"]]
            values["tracklist"] = tracks[values["id"]]
            releases.append(Release.model_validate(values))
        return releases

    def get(self, release_id: int) -> Release:
        """The release with this id; `ReleaseNotFoundError` when there is none."""
        found = self._load("id = ?", (release_id,))
        if not found:
            raise ReleaseNotFoundError(f"no release with id {release_id}")
        return found[0]

    def all(self) -> list[Release]:
        """Every release, oldest first (the order of their ids)."""
        return self._load("1", ())

    # -- writing ----------------------------------------------------------------------------

    def write(
        self, connection: sqlite3.Connection, release: Release, stamp: str | None = None
    ) -> int:
        """Insert (no id) or rewrite (id) one release with its labels and tracklist, in the
        caller's transaction, as changed at `stamp` (default: now); its id."""
        return self._write(connection, release, stamp)

    def _write(
        self, connection: sqlite3.Connection, release: Release, stamp: str | None = None
    ) -> int:
        values = _row(release)
        stamp = stamp or now_iso()
        names = list(values)
        if release.id is None:
            cursor = connection.execute(
                f"INSERT INTO releases ({', '.join(names)}, added_at, updated_at) "
                f"VALUES ({', '.join('?' * len(names))}, ?, ?)",
                [*values.values(), stamp, stamp],
            )
            release_id = int(cursor.lastrowid or 0)
        else:
            release_id = release.id
            connection.execute(
                f"UPDATE releases SET {', '.join(f'{n} = ?' for n in names)}, updated_at = ? "
                "WHERE id = ?",
                [*values.values(), stamp, release_id],
            )
            connection.execute("DELETE FROM release_labels WHERE release_id = ?", (release_id,))
            connection.execute("DELETE FROM release_tracks WHERE release_id = ?", (release_id,))
        connection.executemany(
            "INSERT INTO release_labels (release_id, ord, name, catalog_number, catno_norm) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (release_id, n, label.name, label.catalog_number,
                 normalise_catno(label.catalog_number))
                for n, label in enumerate(release.labels)
            ],
        )  # fmt: skip
        connection.executemany(
            "INSERT INTO release_tracks (release_id, ord, position, title, duration, artists) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (release_id, n, track.position, track.title, track.duration,
                 json.dumps(track.artists, ensure_ascii=False))
                for n, track in enumerate(release.tracklist)
            ],
        )  # fmt: skip
        return release_id

    def save(
        self, releases: Iterable[Release], connection: sqlite3.Connection | None = None
    ) -> list[Saved]:
        """Store imported releases in one transaction: a known identity is updated (only the
        fields the import carries), anything else is added. In a transaction of its own, or
        in the caller's when given its `connection` (`store.transaction()`)."""
        if connection is None:
            with self.store.transaction() as own:
                return self.save(releases, own)
        saved: list[Saved] = []
        for release in releases:
            key = identity(release)
            row = None
            if key is not None:
                row = connection.execute(
                    "SELECT id FROM releases WHERE identity = ?", (key,)
                ).fetchone()
            if row is None:
                release_id = self._write(connection, release.model_copy(update={"id": None}))
                saved.append(Saved(release.model_copy(update={"id": release_id}), True))
                continue
            merged = merge(self.get(row[0]), release)  # same connection: sees this batch
            self._write(connection, merged)
            saved.append(Saved(merged, False))
        return [Saved(self.get(item.release.id or 0), item.added) for item in saved]

    def replace(self, release: Release) -> Release:
        """Rewrite a stored release (by its id) as given."""
        if release.id is None:
            raise ReleaseNotFoundError("a release without an id cannot be replaced")
        return self.edit(release.id, lambda _stored: release)

    def edit(self, release_id: int, change: Callable[[Release], Release]) -> Release:
        """Rewrite a stored release as `change` makes it from the release as stored now:
        what `releases edit` does.

        The release is read inside the write transaction, so an edit made meanwhile by
        another process (another field of the same release) is the one changed, not lost.
        """
        try:
            with self.store.transaction() as connection:
                changed = change(self.get(release_id))  # same connection: inside the lock
                self._write(connection, changed.model_copy(update={"id": release_id}))
        except sqlite3.IntegrityError:
            other = (
                self.store.connection()
                .execute("SELECT id FROM releases WHERE identity = ?", (identity(changed),))
                .fetchone()
            )
            raise SetlistError(
                f"release {release_id}: that label, catalog number and title are release "
                f"{other[0] if other else '?'}'s already"
            ) from None
        return self.get(release_id)

    # -- links ------------------------------------------------------------------------------

    def _links(self, where: str, params: Sequence[object]) -> list[Link]:
        rows = self.store.connection().execute(
            "SELECT track_id, release_id, position, confidence, method, manual "
            f"FROM release_links WHERE {where} ORDER BY track_id",
            params,
        )
        return [Link(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows]

    def links(self, release_id: int | None = None) -> list[Link]:
        """Every link, or those of one release, in track order."""
        if release_id is None:
            return self._links("1", ())
        return self._links("release_id = ?", (release_id,))

    def link_of(self, track_id: int) -> Link | None:
        """The link of one track, if it has one."""
        found = self._links("track_id = ?", (track_id,))
        return found[0] if found else None

    def linked_counts(self) -> dict[int, int]:
        """How many tracks are linked to each release (releases without any are absent)."""
        rows = self.store.connection().execute(
            "SELECT release_id, count(*) FROM release_links GROUP BY release_id"
        )
        return dict(rows.fetchall())

    def set_links(
        self,
        links: Iterable[Link],
        keep_manual: bool = True,
        connection: sqlite3.Connection | None = None,
        stamp: str | None = None,
    ) -> int:
        """Store links in one transaction, replacing each track's link; with `keep_manual`
        a track whose link is manual keeps it. Returns how many links were written. In a
        transaction of its own, or in the caller's when given its `connection`; linked at
        `stamp` (default: now)."""
        if connection is None:
            with self.store.transaction() as own:
                return self.set_links(links, keep_manual, own, stamp)
        stamp = stamp or now_iso()
        written = 0
        for link in links:
            guard = " WHERE release_links.manual = 0" if keep_manual else ""
            cursor = connection.execute(
                "INSERT INTO release_links "
                "(track_id, release_id, position, confidence, method, manual, linked_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (track_id) DO UPDATE SET "
                "release_id = excluded.release_id, position = excluded.position, "
                "confidence = excluded.confidence, method = excluded.method, "
                "manual = excluded.manual, linked_at = excluded.linked_at" + guard,
                (link.track_id, link.release_id, link.position, link.confidence,
                 link.method, int(link.manual), stamp),
            )  # fmt: skip
            written += cursor.rowcount
        return written

    def unlink(self, track_id: int) -> bool:
        """Remove a track's link (manual or not); whether there was one."""
        with self.store.transaction() as connection:
            cursor = connection.execute("DELETE FROM release_links WHERE track_id = ?", (track_id,))
        return cursor.rowcount > 0
