"""The transition preview: hear each track of a set run out and the next one come in.

For a set A, B, C and N seconds (30 by default) the preview plays the last N seconds of A,
then the first N seconds of B (the transition A → B), then the last N seconds of B and the
first N seconds of C (B → C), and so on to the end of the set. `transition_segments` is that
schedule, worked out from the tracks' lengths alone; `TransitionPreview` plays it on a
`Player` and steps from transition to transition. mpv cuts each segment itself (its per-file
`start` and `end` options), so the preview runs on without being watched.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from library.errors import SetlistError
from setlist.playback.player import Clip, Player

DEFAULT_SECONDS = 30.0


class PreviewError(SetlistError):
    """A preview that cannot be made: too few tracks, a length that is not a length."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One stretch of one track in the preview.

    `transition` counts from 0 (entries `transition` and `transition + 1`); `entry` is the
    0-based place in the set of the track heard. `start` is in seconds from the start of the
    track, or from its end when negative (a track whose length is not known); `end` is None
    for "to the end of the track".
    """

    transition: int
    entry: int
    path: Path
    start: float
    end: float | None

    def clip(self) -> Clip:
        """The segment as the Player plays it."""
        return Clip(self.path, self.start, self.end)


def _length(seconds: float | None) -> float | None:
    """A usable track length, or None (unknown, zero, or not a number)."""
    if seconds is None or not math.isfinite(seconds) or seconds <= 0:
        return None
    return seconds


def transition_segments(
    entries: Sequence[tuple[Path, float | None]], seconds: float = DEFAULT_SECONDS
) -> list[Segment]:
    """The preview of a set whose tracks are `entries` (path, length in seconds or None):
    two segments per transition, the outgoing track's last `seconds`, then the incoming
    track's first `seconds`. A track shorter than `seconds` is heard whole."""
    if not math.isfinite(seconds) or seconds <= 0:
        raise PreviewError(f"preview length {seconds!r}: must be a positive number of seconds")
    if len(entries) < 2:
        raise PreviewError(
            f"a transition preview needs at least two tracks; the set has {len(entries)}"
        )
    segments = []
    for number, ((out_path, out_length), (in_path, in_length)) in enumerate(pairwise(entries)):
        length = _length(out_length)
        start = -seconds if length is None else max(0.0, length - seconds)
        segments.append(Segment(number, number, out_path, start, None))
        length = _length(in_length)
        end = None if length is not None and length <= seconds else seconds
        segments.append(Segment(number, number + 1, in_path, 0.0, end))
    return segments


class TransitionPreview:
    """Plays a set's transitions on `player`, from any one of them to the end of the set.

    `current()` and the stepping methods speak of what the player plays while this
    preview's list is playing; playing something else on the player ends the preview.
    """

    def __init__(self, player: Player, segments: Sequence[Segment]) -> None:
        if not segments:
            raise PreviewError("a transition preview needs at least two tracks; the set has 0")
        self.player = player
        self.segments = list(segments)
        self._first = 0  # the segment the playing list begins with

    @property
    def transitions(self) -> int:
        """How many transitions the set has (one fewer than its tracks)."""
        return self.segments[-1].transition + 1

    def play(self, transition: int = 0) -> None:
        """Play from the start of `transition` (counted from 0) to the end of the set."""
        if not 0 <= transition < self.transitions:
            raise PreviewError(
                f"transition {transition + 1}: the set has {self.transitions} transitions"
            )
        first = next(i for i, s in enumerate(self.segments) if s.transition == transition)
        self.player.play_list([segment.clip() for segment in self.segments[first:]])
        self._first = first

    def current(self) -> Segment | None:
        """The segment playing, or None when the preview has ended."""
        index = self.player.state().index
        if index is None or self._first + index >= len(self.segments):
            return None
        return self.segments[self._first + index]

    def next_transition(self) -> bool:
        """Skip to the start of the next transition; False (nothing done) after the last."""
        return self._step(+1)

    def previous_transition(self) -> bool:
        """Back to the start of this transition's predecessor; False at the first."""
        return self._step(-1)

    def _step(self, by: int) -> bool:
        playing = self.current()
        wanted = (playing.transition if playing else self.transitions) + by
        if not 0 <= wanted < self.transitions:
            return False
        self.play(wanted)
        return True
