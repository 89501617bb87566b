"""`setlist tags write`: put tracks' notes into their files, touching only what changed.

For each track with notes, the tag values that hold them (`library.notes.file_form.encode`)
are compared with what its file holds as far as setlist knows (`track_notes.file_hash`, set
at the last write or scan). Equal: the file is not opened. Different: the file's current tags
are read first, and if its notes changed since setlist last looked (another tool wrote
moods, say) the file is skipped with the reason, so nothing the library has not seen is
overwritten: a scan merges it (and reports conflicts), then a write can proceed. Otherwise
the fields are written with `library.tags.write_tags` (atomic: a copy is written, fsynced,
read back and renamed over the original; any failure leaves the original untouched).

Each file is recorded as written right after its write, so an interrupted run loses nothing
and a second run carries on: a file killed between its write and its record already holds the
notes, and is recorded then; the temporary copies killed writes left in a folder are removed
by the next write there. Missing and read-only files are reported, never forced.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from library.errors import SetlistError
from library.notes import store as notes_store
from library.notes.file_form import EMPTY_HASH, content_hash, decode, encode
from library.storage import Store, display_path, now_iso


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A file that was not written, and why."""

    path: str
    reason: str


@dataclass(slots=True)
class WriteReport:
    """What `write_notes` did (or, with dry_run, would do)."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[FileProblem] = field(default_factory=list)  # missing, or changed meanwhile
    failed: list[FileProblem] = field(default_factory=list)  # the write itself failed
    dry_run: bool = False

    def as_json(self) -> dict[str, object]:
        """The shape `setlist tags write --json` prints."""
        return {
            "written": self.written,
            "unchanged": self.unchanged,
            "skipped": [{"path": p.path, "reason": p.reason} for p in self.skipped],
            "failed": [{"path": p.path, "error": p.reason} for p in self.failed],
            "dry_run": self.dry_run,
        }


def _files(store: Store, track_ids: Sequence[int]) -> dict[int, tuple[bytes, bool]]:
    """Path bytes and missing flag of tracks, by id."""
    found: dict[int, tuple[bytes, bool]] = {}
    for start in range(0, len(track_ids), 500):
        chunk = track_ids[start : start + 500]
        rows = store.connection().execute(
            "SELECT id, path_bytes, missing FROM tracks "
            f"WHERE id IN ({', '.join('?' * len(chunk))})",
            list(chunk),
        )
        found.update((track_id, (path, bool(missing))) for track_id, path, missing in rows)
    return found


def _changed_since_seen(path: str, known_hash: str, wanted: str) -> str | None:
    """Why the file must not be written now (its notes are not what setlist saw), "" when
    it already holds the notes to write, or None when it may be written."""
    from library.tags import read_tag_values

    found = decode(read_tag_values(path))
    for name, why in found.problems:  # another writer's notes field is never overwritten
        if name == "setlist_notes":
            return f"its {name} cannot be read as setlist's ({why}); left alone"
    if found.digest == wanted:  # a run killed between a write and its record wrote it
        return ""
    if found.digest != known_hash:
        return "its notes changed since setlist last read them; scan it first"
    return None


def write_notes(store: Store, track_ids: Sequence[int], *, dry_run: bool = False) -> WriteReport:
    """Write the notes of `track_ids` (those that have notes) into their files."""
    from library.errors import TagReadError
    from library.tags import remove_stale_copies, write_tags

    report = WriteReport(dry_run=dry_run)
    cleaned: set[str] = set()  # folders rid of the copies killed writes left
    stored = notes_store.read_many(store.connection(), track_ids)
    files = _files(store, sorted(stored))
    for track_id in sorted(stored, key=lambda i: files[i][0]):
        notes = stored[track_id]
        known = notes.file_hash or EMPTY_HASH
        wanted = content_hash(notes.content)
        if wanted == known:
            report.unchanged += 1
            continue
        path_bytes, missing = files[track_id]
        shown, path = display_path(path_bytes), os.fsdecode(path_bytes)
        if missing or not os.path.exists(path):
            report.skipped.append(FileProblem(shown, "the file is missing"))
            continue
        try:
            why = _changed_since_seen(path, known, wanted)
        except TagReadError as error:
            report.failed.append(FileProblem(shown, error.reason))
            continue
        if why == "":
            if not dry_run:
                _record(store, track_id, wanted)
            report.unchanged += 1
            continue
        if why is not None:
            report.skipped.append(FileProblem(shown, why))
            continue
        if not dry_run:
            folder = os.path.dirname(path)
            if folder not in cleaned:
                remove_stale_copies(folder)
                cleaned.add(folder)
            try:
                write_tags(path, encode(notes.content))
            except SetlistError as error:
                report.failed.append(FileProblem(shown, getattr(error, "reason", str(error))))
                continue
            _record(store, track_id, wanted)
        report.written.append(shown)
    return report


def _record(store: Store, track_id: int, digest: str) -> None:
    """Note that a track's file holds the notes of `digest` now, written by setlist."""
    with store.transaction() as connection:
        notes_store.set_file_hashes(connection, [(track_id, digest)], now_iso())
