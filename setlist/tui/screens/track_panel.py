"""The track panel: what the library knows of one track, over the view it was opened from.

For now it shows the file's tags, read-only. It is a column of sections so the notes editor
and the linked release can join it as further sections without changing how it opens,
loads or closes.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from library.errors import SetlistError
from setlist.terminal import printable
from setlist.tui.messages import TrackLoaded
from setlist.tui.widgets.track_tags import TrackTags

if TYPE_CHECKING:
    from library.storage import Store


class TrackPanel(ModalScreen[None]):
    """One track, opened with enter from a track list; escape closes it."""

    HELP_TITLE = "Track panel"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="track.close"),
        Binding("q", "close", "Close", show=False, id="track.close_q"),
    ]

    DEFAULT_CSS = """
    TrackPanel { align: right top; }
    TrackPanel > #track-panel {
        width: 70%;
        min-width: 60;
        height: 1fr;
        background: $panel;
        border-left: wide $primary;
    }
    #track-panel-title { padding: 1 2 0 2; text-style: bold; color: $text-accent; }
    #track-panel-sections { padding: 0 2; }
    .track-panel-heading { margin: 1 0 0 0; color: $text-muted; text-style: bold; }
    """

    def __init__(self, store: Store, track_id: int) -> None:
        super().__init__()
        self._store = store
        self.track_id = track_id

    def compose(self) -> ComposeResult:
        with Vertical(id="track-panel"):
            yield Static(Content("Loading…"), id="track-panel-title", markup=False)
            with VerticalScroll(id="track-panel-sections"):
                yield Static(Content("Tags in the file"), classes="track-panel-heading")
                yield TrackTags(id="track-tags")
                # The notes editor and the linked release join here as further sections.
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#track-panel-sections").focus()
        self._load(self._store, self.track_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="track-panel")
    def _load(self, store: Store, track_id: int) -> None:
        try:
            found = store.tracks("id = ?", (track_id,))
        except (sqlite3.Error, SetlistError) as error:
            self.post_message(TrackLoaded(track_id, None, str(error)))
            return
        self.post_message(TrackLoaded(track_id, found[0] if found else None))

    def on_track_loaded(self, message: TrackLoaded) -> None:
        tags = self.query_one(TrackTags)
        title = self.query_one("#track-panel-title", Static)
        if message.track is None:
            reason = message.error or f"track {message.track_id} is no longer in the library"
            title.update(Content("Track not available"))
            tags.show_message(reason)
            return
        track = message.track
        heading = f"{printable(track.artist) or '?'} – {printable(track.title) or '?'}"
        title.update(Content(heading))
        tags.show_track(track)

    def action_close(self) -> None:
        self.dismiss(None)
