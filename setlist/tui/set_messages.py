"""Messages of the Sets view: what its workers found or did, and a track to add to a set.

Workers read and write sets in threads and post one of these; only the handlers change what
is on screen (see `setlist.tui.messages` for the library's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from library.set_store import SetSummary
    from setlist.sets import AnalysedSet
    from setlist.suggestions import Suggestion


class SetsListed(Message):
    """Every set, by name, with its figures."""

    def __init__(self, summaries: list[SetSummary]) -> None:
        super().__init__()
        self.summaries = summaries


class SetOpened(Message):
    """A set was read (opened, or edited and read back): its tracks and analysis; `cursor`
    is the entry to select (0-based; None: keep the selection), `done` what an edit did."""

    def __init__(self, found: AnalysedSet, cursor: int | None = None, done: str = "") -> None:
        super().__init__()
        self.found = found
        self.cursor = cursor
        self.done = done


class SetClosed(Message):
    """The set shown is gone (deleted here or elsewhere); `done` says what happened."""

    def __init__(self, done: str) -> None:
        super().__init__()
        self.done = done


class SetEditFailed(Message):
    """An edit or a read of sets was refused or failed; `error` says why in one line.
    `queued`: it was one of the view's queued changes (the next may now run)."""

    def __init__(self, error: str, *, queued: bool = True) -> None:
        super().__init__()
        self.error = error
        self.queued = queued


class SuggestionsFound(Message):
    """Tracks for the place after entry `after` of the set `set_id` (stale ones are dropped
    by `generation`), or the one-line reason none could be found."""

    def __init__(
        self,
        generation: int,
        after: int,
        suggestions: list[Suggestion],
        error: str | None = None,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.after = after
        self.suggestions = suggestions
        self.error = error


class TrackAddRequested(Message):
    """A track (selected in the library) is to go at the end of the current set."""

    def __init__(self, track_id: int) -> None:
        super().__init__()
        self.track_id = track_id
