"""Playback through mpv: a `Player` over mpv's JSON IPC, and the transition preview.

No Textual here: the app drives a Player from its workers, `setlist play` from a terminal
loop, and both get the same errors (`PlayerUnavailableError` when mpv is missing, with how to
install it; `PlaybackError` for a file or output mpv refuses).
"""

from __future__ import annotations

from setlist.playback.errors import PlaybackError, PlayerUnavailableError
from setlist.playback.events import PlayerEvent, PlayerStopped, TrackEnded, TrackStarted, wait_for
from setlist.playback.player import Clip, PlaybackState, Player
from setlist.playback.preview import (
    DEFAULT_SECONDS,
    PreviewError,
    Segment,
    TransitionPreview,
    transition_segments,
)

__all__ = [
    "DEFAULT_SECONDS",
    "Clip",
    "PlaybackError",
    "PlaybackState",
    "Player",
    "PlayerEvent",
    "PlayerStopped",
    "PlayerUnavailableError",
    "PreviewError",
    "Segment",
    "TrackEnded",
    "TrackStarted",
    "TransitionPreview",
    "transition_segments",
    "wait_for",
]
