"""The export dialog: a format and a file; the export is written in a worker.

It writes as `setlist export -o FILE` does (`write_export`: a temporary file beside FILE that
replaces it only once complete), so a failure leaves no half-written file and an existing
FILE as it was. A failure is one line in the dialog, which stays open to fix the path.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Select, Static
from textual.worker import Worker, WorkerState

from library.errors import SetlistError
from setlist.exporters import FORMATS
from setlist.terminal import printable
from setlist.tui.screens.set_dialogs import DIALOG_CSS
from setlist.tui.widgets.literal_text import LiteralInput

if TYPE_CHECKING:
    from library.storage import Store

# Each format's file extension and what it is for.
FORMAT_FILES: dict[str, tuple[str, str]] = {
    "m3u8": (".m3u8", "M3U8 playlist, for players"),
    "txt": (".txt", "tracklist to post"),
    "csv": (".csv", "spreadsheet (CSV)"),
    "json": (".json", "JSON with the analysis"),
    "md": (".md", "Markdown table"),
    "rekordbox": (".xml", "Rekordbox XML"),
    "nml": (".nml", "Traktor NML"),
}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\[\]]+')


def default_file(name: str, fmt: str, folder: Path) -> Path:
    """`folder/NAME.ext`, the name made safe for any file system."""
    stem = _UNSAFE.sub("_", name).strip(" ._") or "set"
    return folder / f"{stem[:80]}{FORMAT_FILES[fmt][0]}"


class ExportFinished(Message):
    """The export was written (`error` None), or the one-line reason it was not."""

    def __init__(self, path: Path, tracks: int, error: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.tracks = tracks
        self.error = error


class ExportDialog(ModalScreen[str | None]):
    """Exports one set; returns what was written, in words, or None when cancelled."""

    HELP_TITLE = "Export dialog"
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ExportDialog") + "ExportDialog Select { margin-bottom: 1; }"
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "export", "Export", id="export.write"),
    ]

    def __init__(self, store: Store, set_name: str, folder: Path | None = None) -> None:
        super().__init__()
        self._store = store
        self._set_name = set_name
        self._folder = folder or Path.cwd()
        self.writing = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-frame -small"):
            yield Static(
                Content(f"Export the set '{printable(self._set_name)}'"),
                classes="dialog-question",
            )
            yield Select(
                [(f"{fmt}: {FORMAT_FILES[fmt][1]}", fmt) for fmt in FORMATS],
                value="m3u8",
                allow_blank=False,
                id="export-format",
            )
            path = default_file(self._set_name, "m3u8", self._folder)
            yield LiteralInput(str(path), placeholder="The file to write", id="export-path")
            yield Static(classes="dialog-error", id="export-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export (ctrl+s)", variant="primary", id="export-start")
                yield Button("Cancel", id="export-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#export-format", Select).focus()

    @property
    def format(self) -> str:
        return str(self.query_one("#export-format", Select).value)

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        """A path ending in a known extension follows the format."""
        box = self.query_one("#export-path", Input)
        path = Path(box.value)
        extensions = {extension for extension, _ in FORMAT_FILES.values()}
        if path.suffix.lower() in extensions:
            box.value = str(path.with_suffix(FORMAT_FILES[self.format][0]))

    def action_export(self) -> None:
        if self.writing:
            return
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self._error("Give the file to write.")
            return
        path = Path(os.path.expanduser(text))
        if not path.is_absolute():
            path = self._folder / path
        self.writing = True
        self._error(None)
        self._write(self._store, self._set_name, self.format, path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="set-export")
    def _write(self, store: Store, set_name: str, fmt: str, path: Path) -> None:
        from setlist.exporters.output import write_export
        from setlist.sets import export_context, load

        try:
            context = export_context(store, load(store, set_name))
            write_export(fmt, context, path)
        except (SetlistError, sqlite3.Error) as error:
            self.post_message(ExportFinished(path, 0, str(error)))
            return
        self.post_message(ExportFinished(path, len(context.entries)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An export that failed in an unforeseen way is said, and may be tried again."""
        if event.worker.group == "set-export" and event.state == WorkerState.ERROR:
            self.writing = False
            self._error(f"Not exported: {event.worker.error}")

    def on_export_finished(self, message: ExportFinished) -> None:
        self.writing = False
        if message.error is not None:
            self._error(f"Not exported: {message.error}")
            return
        noun = "track" if message.tracks == 1 else "tracks"
        self.dismiss(
            f"Wrote {message.tracks} {noun} of '{printable(self._set_name)}' "
            f"as {self.format} to {printable(str(message.path))}"
        )

    def _error(self, text: str | None) -> None:
        self.query_one("#export-error", Static).update(Content(printable(text or "")))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#export-path")
    def _submitted(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-start")
    def _start_pressed(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
