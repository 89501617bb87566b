"""Notes edited in the app, held until written, and written newest-last by one writer.

The editor hands every change here at once (`stage`: in memory, no I/O), so what is typed
belongs to the app, not to a widget: closing the panel or quitting cannot lose it. Writing
(`write_pending`) runs in a worker, or at exit in the app's own thread (`write_pending` again:
a few milliseconds). Each write takes the latest staged notes of each track and clears them,
under one lock, so a slow older write can never land after a newer one and overwrite it.

Each write is `library.notes.store.save`: one transaction, journaled with the source `app`,
so `setlist note TRACK --history` shows the app's changes and can restore what they replaced.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from library.errors import SetlistError

if TYPE_CHECKING:
    from library.notes.model import TrackNotes
    from library.storage import Store

SOURCE = "app"  # the journal's source for changes made in the app


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one write did for one track: the new version (None: nothing had changed), or
    the error that kept the notes from being stored (they stay staged, to be tried again)."""

    track_id: int
    version: int | None
    error: str | None = None


class NotesSaver:
    """The notes waiting to be written, by track id."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._staged: dict[int, TrackNotes] = {}
        self._staging = threading.Lock()  # guards _staged
        self._writing = threading.Lock()  # one writer at a time, so writes keep their order

    def stage(self, track_id: int, notes: TrackNotes) -> None:
        """Keep `notes` as the track's notes to write (replacing any staged before)."""
        with self._staging:
            self._staged[track_id] = notes

    def pending(self, track_id: int | None = None) -> bool:
        """Whether notes (of that track, or of any) are waiting to be written."""
        with self._staging:
            return bool(self._staged) if track_id is None else track_id in self._staged

    def write_pending(self) -> list[WriteResult]:
        """Write every staged track's latest notes; safe from any thread."""
        from library.notes import store as notes_store

        results: list[WriteResult] = []
        with self._writing:
            with self._staging:
                batch, self._staged = self._staged, {}
            for track_id, notes in batch.items():
                try:
                    version = notes_store.save(self._store, track_id, notes, source=SOURCE)
                except (sqlite3.Error, SetlistError) as error:
                    with self._staging:
                        self._staged.setdefault(track_id, notes)  # unless newer ones came
                    results.append(WriteResult(track_id, None, str(error)))
                    continue
                results.append(WriteResult(track_id, version))
        return results
