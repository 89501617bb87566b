"""Listen mode: a queue (search results, or a set) played track by track, tagged by ear.

The screen shows the track playing, its place in the queue and its notes, large enough to
read from the decks; the keys are those of `PlayingKeys` (space, ←/→, n, the digits, m, c, x)
and escape, which goes back and leaves the music playing. Every change is saved as it is
made, like anywhere else in the app.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from library.errors import SetlistError
from library.notes.values import format_time
from setlist.terminal import printable
from setlist.tui.playing_keys import PlayingKeys
from setlist.tui.widgets.now_playing import NowPlayingBar, track_name

if TYPE_CHECKING:
    from library.storage import Store
    from setlist.tui.playing_updates import Playing


class SetQueueLoaded(Message):
    """A set's tracks, in order, to listen to (None and `error`: the set cannot be had)."""

    def __init__(self, name: str, track_ids: list[int] | None, error: str = "") -> None:
        super().__init__()
        self.name = name
        self.track_ids = track_ids
        self.error = error


def notes_lines(playing: Playing) -> list[tuple[str, str]]:
    """The track's notes as (field, value) lines, every field shown even when empty."""
    notes = playing.notes
    lines = [
        ("Energy", str(notes.energy) if notes.energy else "–  (1-9, 0 is 10)"),
        ("Moods", ", ".join(notes.moods) or "–  (m)"),
        ("Roles", ", ".join(notes.roles) or "–  (x: closer)"),
        ("Closing note", notes.closing_note or "–"),
    ]
    cues = [f"{format_time(cue.at)}  {cue.text}" for cue in notes.cues]
    lines.append(("Cues", cues[0] if cues else "–  (c: a cue at the playing time)"))
    lines += [("", cue) for cue in cues[1:]]
    return lines


class ListenScreen(PlayingKeys, Screen[None]):
    """Listening through a queue; made with the queue, or with a set's name to load."""

    HELP_TITLE = "Listen mode"
    HELP_TEXT = (
        "Tag while listening: each change is saved at once. n saves and plays the next "
        "track; at the end of a track the next one starts. Escape goes back, still playing."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back", tooltip="Back (the music plays on)", id="listen.leave"),
        # Shown here, where tagging is the point (the library's footer has no room for them).
        Binding("m", "add_mood", "Mood", tooltip="Add a mood (-mood removes)", id="listen.mood"),
        Binding("c", "add_cue", "Cue", tooltip="A cue at the playing time", id="listen.cue"),
        Binding("x", "toggle_closer", "Closer", tooltip="Closer role, closing note", id="listen.x"),
    ]

    DEFAULT_CSS = """
    ListenScreen { layout: vertical; }
    #listen { padding: 1 2; height: 1fr; }
    #listen-queue { color: $text-muted; }
    #listen-track { text-style: bold; color: $text-accent; margin: 1 0; }
    #listen-notes { height: auto; }
    """

    def __init__(
        self,
        track_ids: list[int] | None = None,
        index: int = 0,
        source: str = "",
        *,
        set_name: str | None = None,
    ) -> None:
        super().__init__()
        self._queue = track_ids or []
        self._index = index
        self._source = source
        self._set_name = set_name
        self._heard = False  # a track of the queue has played

    def compose(self) -> ComposeResult:
        with Vertical(id="listen"):
            yield Static(id="listen-queue", markup=False)
            yield Static(id="listen-track", markup=False)
            yield Static(id="listen-notes", markup=False)
        yield NowPlayingBar(id="listen-bar")
        yield Footer()

    def on_mount(self) -> None:
        self.playback.changed.subscribe(self, lambda _: self.redraw())
        if self._set_name is not None:
            self.query_one("#listen-queue", Static).update(Content("Loading the set…"))
            self._load_set(self.playback.store, self._set_name)
        else:
            self._start()

    def on_screen_resume(self) -> None:
        self.playback.reread_notes()

    def playing_queue(self) -> tuple[list[int], int, str] | None:
        """Space after the end of the queue, or a track that could not play, plays it again
        from there."""
        playback = self.playback
        if not playback.queue:
            return None
        return playback.queue, min(playback.index, len(playback.queue) - 1), playback.source

    def _start(self) -> None:
        """Play the queue from its place, unless that track plays already (space in the
        library, then listen mode: the music goes on, and the queue is adopted)."""
        playback = self.playback
        playing = playback.playing
        if not self._queue:
            self.notify("Nothing to listen to: the queue is empty.", markup=False)
            self.dismiss(None)
            return
        if playing is not None and playing.track_id == self._queue[self._index]:
            playback.queue, playback.index = list(self._queue), self._index
            playback.source = self._source
        else:
            playback.play(self._queue, self._index, self._source)
        self.redraw()

    @work(thread=True, exclusive=True, exit_on_error=False, group="listen-set")
    def _load_set(self, store: Store, name: str) -> None:
        from library.set_store import SetStore

        try:
            found = SetStore(store).get(name)
        except (sqlite3.Error, SetlistError) as error:
            self.post_message(SetQueueLoaded(name, None, str(error)))
            return
        ids = [entry.track_id for entry in found.entries]
        self.post_message(SetQueueLoaded(found.name, ids))

    def on_set_queue_loaded(self, message: SetQueueLoaded) -> None:
        if message.track_ids is None:
            self.notify(message.error, severity="error", markup=False)
            self.dismiss(None)
            return
        self._queue, self._index = message.track_ids, 0
        self._source = f"set {printable(message.name)}"
        self._start()

    def redraw(self) -> None:
        playback = self.playback
        playing = playback.playing
        where = f"track {playback.index + 1} of {len(playback.queue)}" if playback.queue else ""
        heading = " · ".join(part for part in ("Listen", playback.source, where) if part)
        self.query_one("#listen-queue", Static).update(Content(heading))
        track = self.query_one("#listen-track", Static)
        notes = self.query_one("#listen-notes", Static)
        if playing is None:
            if playback.unavailable is not None:
                said = "No playback"
            else:
                said = "Stopped: space plays it again" if self._heard else "Starting…"
            track.update(Content(said))
            notes.update(Content(""))
            return
        self._heard = True
        track.update(Content(track_name(playing)))
        lines = [f"{field:<14}{printable(value)}" for field, value in notes_lines(playing)]
        notes.update(Content("\n".join(lines)))

    def action_leave(self) -> None:
        self.dismiss(None)
