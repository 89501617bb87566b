"""A notes document merged into a library: tracks placed, then notes, releases, links, sets
and plays, in one transaction, never overwriting what the library has that is newer.

Each track of the document is placed on a track of the library by its audio identity first
(the audio, wherever the file now lives), then by its exact path; a track placed nowhere is
reported and what hangs on it is left out. For each thing both sides hold, the side
changed last wins: notes by their `updated_at`, releases by theirs, a link by its
`linked_at` (a manual link here is never replaced by an automatic one), a set by its
`updated_at`; a play already recorded (same set name, date and venue) is not recorded
twice. Imported data keeps its time, so importing the same document again changes nothing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from library.errors import SetlistError
from library.notes import store as notes_store
from library.releases.model import Release
from library.releases.store import Link, ReleaseStore, identity
from library.search_text import fold
from library.set_plays import insert_play
from library.set_store import (
    SetNotFoundError,
    SetStore,
    StoredEntry,
    StoredSet,
    find_set,
    name_key,
)
from library.storage import Store
from library.transfer import TransferError
from library.transfer.document import DocPlay, DocRelease, DocSet, DocTrack, NotesDocument

SOURCE = "import-notes"  # the journal's name for notes changed by an import


@dataclass
class Tally:
    """What became of one kind of thing: added, updated, already the same, or kept (the
    library's was newer)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0

    def count(self, outcome: str) -> None:
        """One more of `outcome` ("added", "updated", "unchanged" or "kept")."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def as_json(self) -> dict[str, int]:
        return {
            "added": self.added, "updated": self.updated,
            "unchanged": self.unchanged, "kept": self.kept,
        }  # fmt: skip


@dataclass
class MergeReport:
    """What an import did (or, with `dry_run`, would do)."""

    dry_run: bool = False
    by_identity: int = 0
    by_path: int = 0
    not_placed: list[DocTrack] = field(default_factory=list)
    notes: Tally = field(default_factory=Tally)
    releases: Tally = field(default_factory=Tally)
    links: Tally = field(default_factory=Tally)
    sets: Tally = field(default_factory=Tally)
    plays: Tally = field(default_factory=Tally)
    left_out: list[str] = field(default_factory=list)  # what could not be placed, in words

    def tallies(self) -> dict[str, Tally]:
        """The tallies by name, in the order a report lists them."""
        return {
            "notes": self.notes, "releases": self.releases, "links": self.links,
            "sets": self.sets, "plays": self.plays,
        }  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        """The report as `import-notes --json` prints it."""
        not_placed = [
            {"path": t.path, "identity": t.identity, "artist": t.artist, "title": t.title}
            for t in self.not_placed
        ]
        return {
            "dry_run": self.dry_run,
            "tracks": {
                "placed_by_identity": self.by_identity,
                "placed_by_path": self.by_path,
                "not_placed": not_placed,
            },
            **{name: tally.as_json() for name, tally in self.tallies().items()},
            "left_out": self.left_out,
        }


class _DryRun(Exception):
    """Raised inside the import's transaction to roll it back once everything was done."""


def _newer(theirs: str | None, ours: str | None) -> bool:
    """Whether the document's time is later than the library's (an unknown time is old)."""
    return (theirs or "") > (ours or "")


class _Merge:
    """One import: the document, the library, and the ids of the document's keys here."""

    def __init__(self, store: Store, connection: sqlite3.Connection, report: MergeReport) -> None:
        self.connection = connection
        self.releases = ReleaseStore(store)
        self.sets = SetStore(store)
        self.report = report
        self.tracks: dict[int, int] = {}  # document track key -> track id here
        self.release_ids: dict[int, int] = {}  # document release key -> release id here

    # -- tracks -----------------------------------------------------------------------------

    def place(self, tracks: list[DocTrack]) -> None:
        """Find each track here: by audio identity, else by path."""
        taken: set[int] = set()
        for track in tracks:
            path = track.path_bytes()
            found = self._by_identity(track.identity, path, taken) if track.identity else None
            if found is not None:
                self.report.by_identity += 1
            else:
                row = self.connection.execute(
                    "SELECT id FROM tracks WHERE path_bytes = ?", (path,)
                ).fetchone()
                found = row[0] if row else None
                if found is None:
                    self.report.not_placed.append(track)
                    continue
                self.report.by_path += 1
            taken.add(found)
            self.tracks[track.key] = found

    def _by_identity(self, audio: str, path: bytes, taken: set[int]) -> int | None:
        """The track with this audio; among copies, one not placed yet, at the same path,
        with the same file name, in that order."""
        rows = self.connection.execute(
            "SELECT id, path_bytes FROM tracks WHERE audio_identity = ?", (audio,)
        ).fetchall()
        if not rows:
            return None
        base = os.path.basename(path)

        def rank(row: tuple[int, bytes]) -> tuple[bool, bool, bool, int]:
            return (row[0] in taken, row[1] != path, os.path.basename(row[1]) != base, row[0])

        return int(min(rows, key=rank)[0])

    # -- notes and links --------------------------------------------------------------------

    def notes(self, track: DocTrack, track_id: int) -> None:
        if track.notes is None:
            return
        found = notes_store.current(self.connection, track_id)
        content = track.notes.content()
        if found.content == content:
            self.report.notes.count("unchanged")
        elif found.stored and not _newer(track.notes.updated_at, found.updated_at):
            self.report.notes.count("kept")
        else:
            stamp = track.notes.updated_at
            notes_store.write_content(self.connection, track_id, content, SOURCE, stamp)
            self.report.notes.count("updated" if found.stored else "added")

    def link(self, track: DocTrack, track_id: int) -> None:
        if track.link is None:
            return
        doc = track.link
        wanted = (self.release_ids[doc.release], doc.position, doc.confidence, doc.method)
        row = self.connection.execute(
            "SELECT release_id, position, confidence, method, manual, linked_at "
            "FROM release_links WHERE track_id = ?",
            (track_id,),
        ).fetchone()
        if row is not None:
            if (*row[:4], bool(row[4])) == (*wanted, doc.manual):
                self.report.links.count("unchanged")
                return
            manual_here = bool(row[4]) and not doc.manual
            if manual_here or not _newer(doc.linked_at, row[5]):
                self.report.links.count("kept")
                return
        link = Link(track_id, *wanted, manual=doc.manual)
        self.releases.set_links([link], False, self.connection, doc.linked_at)
        self.report.links.count("added" if row is None else "updated")

    # -- releases ---------------------------------------------------------------------------

    def release(self, doc: DocRelease, manual: dict[tuple[str, str, str], int]) -> None:
        """Add the release, or update the one here with its identity (a manual entry: the
        same title, artists and labels) when the document's is newer."""
        release = doc.release
        key = identity(release)
        if key is not None:
            row = self.connection.execute(
                "SELECT id FROM releases WHERE identity = ?", (key,)
            ).fetchone()
            found = row[0] if row else None
        else:
            found = manual.get(_manual_key(release))
        if found is None:
            made = self.releases.write(
                self.connection, release.model_copy(update={"id": None}), doc.updated_at
            )
            self.release_ids[doc.key] = made
            if key is None:
                manual[_manual_key(release)] = made
            self.report.releases.count("added")
            return
        self.release_ids[doc.key] = found
        stored = self.releases.get(found)  # this thread's connection: inside the transaction
        (changed,) = self.connection.execute(
            "SELECT updated_at FROM releases WHERE id = ?", (found,)
        ).fetchone()
        if _dumped(stored) == _dumped(release):
            self.report.releases.count("unchanged")
        elif not _newer(doc.updated_at, changed):
            self.report.releases.count("kept")
        else:
            merged = stored.model_copy(
                update={name: getattr(release, name) for name in release.model_fields_set - {"id"}}
            )
            self.releases.write(self.connection, merged, doc.updated_at)
            self.report.releases.count("updated")

    def manual_releases(self) -> dict[tuple[str, str, str], int]:
        """The manual entries here (they have no identity), by title, artists and labels."""
        return {
            _manual_key(release): release.id or 0
            for release in self.releases.all()
            if release.source == "manual"
        }

    # -- sets and plays ---------------------------------------------------------------------

    def entries(self, doc: DocSet) -> tuple[StoredEntry, ...]:
        """The set's entries whose tracks were placed (a repeat dropped when the set allows
        none: two tracks of the document can be one track here)."""
        kept: list[StoredEntry] = []
        seen: set[int] = set()
        unplaced = repeats = 0
        for entry in doc.entries:
            track_id = self.tracks.get(entry.track)
            if track_id is None:
                unplaced += 1
            elif track_id in seen and not doc.allow_repeat:
                repeats += 1
            else:
                seen.add(track_id)
                kept.append(StoredEntry(len(kept) + 1, track_id, entry.transition_note))
        if unplaced:
            self.report.left_out.append(
                f"set {doc.name!r}: {unplaced} entries left out (their tracks were not placed)"
            )
        if repeats:
            self.report.left_out.append(
                f"set {doc.name!r}: {repeats} entries left out (the same track here twice)"
            )
        return tuple(kept)

    def one_set(self, doc: DocSet) -> None:
        entries = self.entries(doc)
        fields: dict[str, Any] = {
            "name": doc.name, "description": doc.description, "venue": doc.venue,
            "date": doc.date, "target_minutes": doc.target_minutes,
            "allow_repeat": doc.allow_repeat, "entries": entries,
        }  # fmt: skip
        try:
            stored: StoredSet | None = find_set(self.connection, doc.name)
        except SetNotFoundError:
            stored = None
        if stored is None:
            made = self.sets.create(doc.name, connection=self.connection)
            self.sets.save(replace(made, **fields), self.connection, doc.updated_at)
            self.report.sets.count("added")
            return
        if {name: getattr(stored, name) for name in fields} == fields:
            self.report.sets.count("unchanged")
        elif not _newer(doc.updated_at, stored.updated_at):
            self.report.sets.count("kept")
        else:
            self.sets.save(replace(stored, **fields), self.connection, doc.updated_at)
            self.report.sets.count("updated")

    def play(self, doc: DocPlay) -> None:
        recorded = self.connection.execute(
            "SELECT set_name, venue_fold FROM set_plays WHERE played_on = ?",
            (doc.played_on.isoformat(),),
        ).fetchall()
        same = (name_key(doc.set_name), fold(doc.venue))
        if any((name_key(name), venue) == same for name, venue in recorded):
            self.report.plays.count("unchanged")
            return
        tracks = [
            (played.position, self.tracks[played.track])
            for played in doc.tracks
            if played.track in self.tracks
        ]
        what = f"play of {doc.set_name!r} on {doc.played_on}"
        if len(tracks) < len(doc.tracks):
            left = len(doc.tracks) - len(tracks)
            self.report.left_out.append(f"{what}: {left} tracks left out (not placed)")
        if doc.tracks and not tracks:
            return
        set_id = None
        if doc.set is not None:
            row = self.connection.execute(
                "SELECT id FROM sets WHERE name_key = ?", (name_key(doc.set),)
            ).fetchone()
            set_id = row[0] if row else None
        insert_play(
            self.connection, set_id, doc.set_name, played_on=doc.played_on,
            venue=doc.venue, tracks=tracks, recorded_at=doc.recorded_at,
        )  # fmt: skip
        self.report.plays.count("added")


def _dumped(release: Release) -> dict[str, Any]:
    return release.model_dump(mode="json", exclude={"id"})


def _manual_key(release: Release) -> tuple[str, str, str]:
    return (fold(release.title), fold(release.artist_line), fold(release.label_line))


@contextmanager
def _where(name: str, part: str) -> Iterator[None]:
    """A library refusal (a set name taken twice...) as an error naming the document's part."""
    try:
        yield
    except TransferError:
        raise
    except SetlistError as error:
        raise TransferError(f"{name}: {part}: {error}") from error


def merge(store: Store, document: NotesDocument, name: str, dry_run: bool = False) -> MergeReport:
    """Merge `document` (read from the file `name`) into the library in one transaction;
    with `dry_run`, do it all and roll it back, reporting what would have changed."""
    report = MergeReport(dry_run=dry_run)
    try:
        with store.transaction() as connection:
            job = _Merge(store, connection, report)
            job.place(document.tracks)
            manual = job.manual_releases()
            for number, release in enumerate(document.releases):
                with _where(name, f"releases.{number}"):
                    job.release(release, manual)
            for track in document.tracks:
                if track.key in job.tracks:
                    job.notes(track, job.tracks[track.key])
                    job.link(track, job.tracks[track.key])
            for number, one_set in enumerate(document.sets):
                with _where(name, f"sets.{number}"):
                    job.one_set(one_set)
            for number, play in enumerate(document.plays):
                with _where(name, f"plays.{number}"):
                    job.play(play)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def read_and_merge(store: Store, name: str, data: bytes, dry_run: bool = False) -> MergeReport:
    """Parse the document in `data` (from the file `name`) and merge it (see `merge`)."""
    from library.transfer.document import parse_document

    return merge(store, parse_document(name, data), name, dry_run)
