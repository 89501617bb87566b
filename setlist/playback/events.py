"""What a Player reports on its own, as it happens: a clip started or ended, mpv stopped.

Events reach the `on_event` handler given to the Player (on a thread of the Player's own),
or wait in `Player.events`; `wait_for` takes the one wanted from that queue, within a time.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class TrackStarted:
    """Sound began for the clip at `index` of the list (at its start, if it has one)."""

    index: int
    path: Path


@dataclass(frozen=True, slots=True)
class TrackEnded:
    """The clip at `index` stopped. `reason` is mpv's: "eof" (played to its end), "stop"
    (replaced or stopped), "error" (`error` says why), "quit", "redirect"."""

    index: int
    path: Path
    reason: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class PlayerStopped:
    """mpv went away without `close()` (it crashed or was killed); the Player is unusable."""

    message: str


PlayerEvent = TrackStarted | TrackEnded | PlayerStopped


def wait_for(
    events: queue.Queue[PlayerEvent], wanted: Callable[[PlayerEvent], bool], seconds: float
) -> PlayerEvent | None:
    """The first event of `events` that is `wanted` within `seconds` (others are dropped)."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            event = events.get(timeout=left)
        except queue.Empty:
            return None
        if wanted(event):
            return event
    return None
