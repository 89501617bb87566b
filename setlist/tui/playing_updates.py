"""What happens to playback off the app's thread, as the app is told of it.

The playback command thread and mpv's own thread never touch widgets: they post one
`PlaybackReported` message carrying one of these updates, and `Playback.handle` takes it in on
the app's thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from library.notes.model import TrackNotes
    from setlist.playback import PlayerEvent, TransitionPreview


@dataclass(frozen=True, slots=True)
class Playing:
    """A library track loaded in the player, with its notes as last changed."""

    track_id: int
    artist: str
    title: str
    path: Path
    duration: float | None
    notes: TrackNotes


@dataclass(frozen=True, slots=True)
class Started:
    """The track at `index` of the queue sounds."""

    playing: Playing
    index: int


@dataclass(frozen=True, slots=True)
class MoodsRead:
    """The moods in use in the library, for completing the mood prompt."""

    moods: list[str]


@dataclass(frozen=True, slots=True)
class PreviewStarted:
    """A transition preview plays, from its transition `transition`."""

    preview: TransitionPreview
    transition: int


@dataclass(frozen=True, slots=True)
class Failed:
    """A playback command failed; `unavailable`: because there is no usable mpv."""

    error: str
    unavailable: bool = False


@dataclass(frozen=True, slots=True)
class Reported:
    """mpv reported something on its own (a track ended, mpv stopped)."""

    event: PlayerEvent


@dataclass(frozen=True, slots=True)
class NotesRead:
    """The playing track's notes as stored, read again after `edits` changes of ours."""

    track_id: int
    notes: TrackNotes
    edits: int


Update = Started | MoodsRead | PreviewStarted | Failed | Reported | NotesRead


class PlaybackReported(Message):
    """Something happened to playback, off the app's thread; the app hands it to `handle`."""

    def __init__(self, update: Update) -> None:
        super().__init__()
        self.update = update
