"""A file's cover art, read and decoded in a worker; a line of text when there is none.

`CoverArt.load(path)` reads the picture bytes through `library.tags.read_artwork` and decodes
them (`setlist.tui.pictures.decode`) in a thread worker, which posts `ArtworkLoaded`; only the
handler changes what is shown. Whatever goes wrong (no picture, a file that cannot be read, a
picture that does not decode, a terminal without pictures) ends as a short text in the
picture's place, so the panel around it never waits and never breaks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Container
from textual.content import Content
from textual.widgets import Static

from library.errors import TagReadError
from setlist.terminal import printable
from setlist.tui import pictures
from setlist.tui.messages import ArtworkLoaded

if TYPE_CHECKING:
    from PIL.Image import Image


class CoverArt(Container):
    """A picture of fixed size (set by CSS), or the reason there is none."""

    DEFAULT_CSS = """
    CoverArt {
        width: 24;
        height: 12;
        background: $boost;
        & > #cover-note {
            width: 1fr;
            height: 1fr;
            content-align: center middle;
            text-align: center;
            color: $text-muted;
            padding: 0 1;
        }
        & > .cover-picture { width: 1fr; height: 1fr; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._path: str | None = None
        self.state = "empty"
        """What is shown: empty, loading, picture, or none (a text in the picture's place)."""

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="cover-note", markup=False)

    def load(self, path: str | None, *, none: str = "no file") -> None:
        """Show the cover art embedded in the file at `path` (None: no file to read, and
        `none` says so in the picture's place)."""
        self._path = path
        if path is None:
            self._show_note(none, "none")
            return
        self._show_note("…", "loading")
        self._read(path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="cover-art")
    def _read(self, path: str) -> None:
        from library.tags import read_artwork

        try:
            data = read_artwork(path)
            if data is None:
                self.post_message(ArtworkLoaded(path, None, "no cover art in the file"))
                return
            why = pictures.unavailable()
            if why is not None:
                self.post_message(ArtworkLoaded(path, None, why))
                return
            self.post_message(ArtworkLoaded(path, pictures.decode(data)))
        except TagReadError as error:  # the path is on screen already: the reason will do
            self.post_message(ArtworkLoaded(path, None, f"cannot read the file: {error.reason}"))
        except pictures.PictureError as error:
            self.post_message(ArtworkLoaded(path, None, str(error)))

    def on_artwork_loaded(self, message: ArtworkLoaded) -> None:
        message.stop()
        if message.path != self._path:
            return  # an answer for a file shown before
        if message.picture is None:
            self._show_note(message.note or "no cover art", "none")
        else:
            self._show_picture(message.picture)

    def _show_note(self, text: str, state: str) -> None:
        self.query(".cover-picture").remove()
        note = self.query_one("#cover-note", Static)
        note.update(Content(printable(text)))
        note.display = True
        self.state = state

    def _show_picture(self, picture: Image) -> None:
        self.query(".cover-picture").remove()
        self.query_one("#cover-note").display = False
        widget = pictures.picture_widget(picture, headless=self.app.is_headless)
        widget.add_class("cover-picture")
        self.mount(widget)
        self.state = "picture"
