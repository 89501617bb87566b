"""The import dialog: a release page's text pasted in, or a file to read.

The same reading as `setlist releases import` (`library.releases.detect.read_releases`:
page text, Discogs or MusicBrainz release JSON, a Discogs collection CSV), run in a worker
with the save (one transaction: everything or nothing). What goes wrong is said in one line
under the boxes, naming the file (or "pasted text") and the problem; the dialog stays open
so it can be fixed. It returns the ids of the releases stored.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from library.errors import SetlistError
from setlist.terminal import printable
from setlist.tui.palette import PaletteCommand
from setlist.tui.release_messages import ReleasesImported
from setlist.tui.widgets.literal_text import LiteralInput, LiteralTextArea

if TYPE_CHECKING:
    from library.storage import Store

PASTED = "pasted text"  # what messages call the text box


class ImportDialog(ModalScreen[list[int] | None]):
    """Returns the ids of the imported releases, or None when cancelled."""

    HELP_TITLE = "Import dialog"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="import.cancel"),
        Binding("ctrl+s", "start", "Import", tooltip="Import the file, or the pasted text",
                id="import.start"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    ImportDialog { align: center middle; }
    ImportDialog > #import-dialog { height: 90%; }
    #import-text { height: 1fr; margin: 1 0; }
    """

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog", classes="dialog-frame") as frame:
            frame.border_title = "Import a release"
            yield LiteralInput(
                placeholder="A file: page text, Discogs or MusicBrainz JSON, collection CSV",
                id="import-path",
            )
            yield LiteralTextArea(
                id="import-text",
                placeholder="…or paste the text of a release page here (ctrl+s imports)",
            )
            yield Static(id="import-error", classes="dialog-error", markup=False)
            with Horizontal(id="import-buttons", classes="dialog-buttons"):
                yield Button("Import", variant="primary", id="import-start")
                yield Button("Cancel", id="import-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-text", LiteralTextArea).focus()

    @property
    def error(self) -> str:
        """The line under the boxes ("" when there is none)."""
        return str(self.query_one("#import-error", Static).render())

    def _show_error(self, text: str) -> None:
        self.query_one("#import-error", Static).update(Content(printable(text)))

    @on(Button.Pressed, "#import-start")
    def action_start(self) -> None:
        if self.busy:
            return
        path = self.query_one("#import-path", Input).value.strip()
        text = self.query_one("#import-text", LiteralTextArea).text
        if not path and not text.strip():
            self._show_error("give a file, or paste the text of a release page")
            return
        if path and text.strip():
            self._show_error("give a file or paste a page, not both")
            return
        self.busy = True
        self._show_error("")
        self.query_one("#import-start", Button).label = "Importing…"
        self._import(self._store, path, text)

    @on(Input.Submitted, "#import-path")
    def _path_submitted(self) -> None:
        self.action_start()

    @work(thread=True, exclusive=True, exit_on_error=False, group="release-import")
    def _import(self, store: Store, path: str, text: str) -> None:
        from library.releases.detect import read_file, read_releases
        from library.releases.store import ReleaseStore

        try:
            name, data = (path, read_file(path)) if path else (PASTED, text.encode("utf-8"))
            saved = ReleaseStore(store).save(read_releases(name, data))
        except (SetlistError, sqlite3.Error) as error:
            self.post_message(ReleasesImported([], 0, str(error)))
            return
        ids = [item.release.id or 0 for item in saved]
        self.post_message(ReleasesImported(ids, sum(item.added for item in saved)))

    def on_releases_imported(self, message: ReleasesImported) -> None:
        self.busy = False
        self.query_one("#import-start", Button).label = "Import"
        if message.error is not None:
            self._show_error(message.error)
            return
        updated = len(message.ids) - message.added
        self.app.notify(
            f"Imported {len(message.ids)} releases: {message.added} added, {updated} updated",
            markup=False,
        )
        self.dismiss(message.ids)

    @on(Button.Pressed, "#import-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> list[PaletteCommand]:
        """What the command palette offers while the dialog is open."""
        return [
            PaletteCommand("Import", "The file, or the pasted text (ctrl+s)", self.action_start),
            PaletteCommand("Cancel the import", "escape", self.action_cancel),
        ]
