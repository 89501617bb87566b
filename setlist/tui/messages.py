"""Messages that workers post when their work is done (or has moved on).

Workers never touch widgets: they read the database or the disk and post one of these,
named in the past tense for what happened; only the handlers change what is on screen.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from library.models import Track
    from library.scanning import ScanResult
    from library.track_listing import ListingRow


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
    """The full record of a track (None: it is no longer in the library)."""

    def __init__(self, track_id: int, track: Track | None, error: str | None = None) -> None:
        super().__init__()
        self.track_id = track_id
        self.track = track
        self.error = error


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
