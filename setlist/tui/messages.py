"""Messages that workers post when their work is done (or has moved on).

Workers never touch widgets: they read the database or the disk and post one of these,
named in the past tense for what happened; only the handlers change what is on screen.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

    from library.models import Track
    from library.notes.model import TrackNotes
    from library.releases.model import Release
    from library.releases.store import Link
    from library.scanning import ScanResult
    from library.track_listing import ListingRow
    from setlist.tui.notes_saving import WriteResult


class TracksMatched(Message):
    """A search found its tracks: all their ids in order, or (`complete` False) the first
    screenful, with the rows to draw them at once."""

    def __init__(
        self,
        generation: int,
        ids: array[int],
        rows: dict[int, ListingRow],
        complete: bool,
        library_size: int,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.ids = ids
        self.rows = rows
        self.complete = complete
        self.library_size = library_size


class SearchFailed(Message):
    """The database could not answer a search; `error` says why in one line."""

    def __init__(self, generation: int, error: str) -> None:
        super().__init__()
        self.generation = generation
        self.error = error


class RowsFetched(Message):
    """Rows the track table asked for arrived (`version` tells stale answers apart); ids
    requested but absent from `rows` are gone or could not be read, and may be asked again."""

    def __init__(self, version: int, rows: dict[int, ListingRow], requested: list[int]) -> None:
        super().__init__()
        self.version = version
        self.rows = rows
        self.requested = requested


class TrackLoaded(Message):
    """The full record of a track (None: it is no longer in the library), with its notes
    and the release it is linked to, if any."""

    def __init__(
        self,
        track_id: int,
        track: Track | None,
        error: str | None = None,
        *,
        notes: TrackNotes | None = None,
        link: Link | None = None,
        release: Release | None = None,
    ) -> None:
        super().__init__()
        self.track_id = track_id
        self.track = track
        self.error = error
        self.notes = notes
        self.link = link
        self.release = release


class MoodsInUseLoaded(Message):
    """The moods of the library, most used first (for completing a mood as it is typed)."""

    def __init__(self, moods: list[str]) -> None:
        super().__init__()
        self.moods = moods


class NotesStaged(Message):
    """Edited notes wait in the app's `NotesSaver`: time to write them."""


class NotesWritten(Message):
    """A write of staged notes ended: what happened to each track's notes."""

    def __init__(self, results: list[WriteResult]) -> None:
        super().__init__()
        self.results = results


class ScanProgressed(Message):
    """A scan has read `done` of the `total` files it found."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        """Only the latest figure matters: a waiting older one is dropped, not drawn."""
        return isinstance(message, ScanProgressed)


class ScanFinished(Message):
    """A scan ended: its result, or the one-line reason it could not run."""

    def __init__(self, result: ScanResult | None, error: str | None = None) -> None:
        super().__init__()
        self.result = result
        self.error = error


class SettingsSaveFailed(Message):
    """The settings file could not be written; `error` names it and why."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class ArtworkLoaded(Message):
    """The cover art of the file at `path`: a decoded picture, or (None) a note saying why
    there is none to show."""

    def __init__(self, path: str, picture: PILImage | None, note: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.picture = picture
        self.note = note
