"""The now-playing bar: the track playing, its time, its notes and whether they are saved.

It reads `Playback.state()` four times a second (that asks mpv nothing, so it never blocks)
and redraws only when the line changed. It is shown while a track is loaded, hidden
otherwise. Tag text is drawn as `Content`, never as markup.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from setlist.durations import format_duration
from setlist.terminal import printable

if TYPE_CHECKING:
    from setlist.playback import PlaybackState
    from setlist.tui.playing import Playback
    from setlist.tui.playing_updates import Playing

REDRAW_SECONDS = 0.25


def clock(seconds: float | None) -> str:
    """`m:ss` of whole seconds gone (a second shows once it has passed), `?:??` unknown."""
    if seconds is None:
        return "?:??"
    return format_duration(math.floor(seconds)) or "0:00"


def track_name(playing: Playing) -> str:
    """`Artist – Title`, for one line of the screen."""
    return f"{printable(playing.artist) or '?'} – {printable(playing.title) or playing.path.name}"


def notes_summary(playing: Playing) -> str:
    """What was noted while listening: energy, moods, closer, cues."""
    notes = playing.notes
    parts = [f"energy {notes.energy}" if notes.energy else "energy –"]
    if notes.moods:
        parts.append(printable(", ".join(notes.moods)))
    if "closer" in notes.roles:
        parts.append("closer")
    if notes.cues:
        parts.append(f"{len(notes.cues)} cue{'s' if len(notes.cues) > 1 else ''}")
    return " · ".join(parts)


def status_line(playback: Playback, state: PlaybackState | None) -> str | None:
    """The bar's text, or None when nothing is loaded."""
    playing = playback.playing
    if playing is None or state is None:
        return None
    mark = "⏸" if state.paused else "▶"
    duration = state.duration if state.duration is not None else playing.duration
    time = f"{clock(state.position or 0.0)} / {clock(duration)}"
    line = f"{mark} {track_name(playing)}  {time}  ·  {notes_summary(playing)}"
    if playback.save_state:
        line += f"  ·  {playback.save_state}"
    return line


class NowPlayingBar(Static):
    """One line: ▶ Artist – Title  1:23 / 6:30  ·  energy 7 · warm  ·  saved."""

    DEFAULT_CSS = """
    NowPlayingBar {
        height: 1;
        padding: 0 1;
        background: $primary 25%;
        color: $text;
        display: none;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)
        self._shown: str | None = None

    @property
    def text(self) -> str:
        """What the bar says ("" while hidden)."""
        return self._shown or ""

    def on_mount(self) -> None:
        from setlist.tui.app import SetlistApp

        assert isinstance(self.app, SetlistApp)
        self._playback = self.app.playback
        self._playback.changed.subscribe(self, lambda _: self.redraw())
        self.set_interval(REDRAW_SECONDS, self.redraw)
        self.redraw()

    def redraw(self) -> None:
        line = status_line(self._playback, self._playback.state())
        if line == self._shown:
            return
        if (line is None) != (self._shown is None):
            self.display = line is not None
        self._shown = line
        if line is not None:
            self.update(Content(line), layout=False)
