"""The scan dialog: which folders to scan, offering the ones scanned before.

The folders this library was scanned from are listed, ticked; another folder can be typed.
The dialog only gathers paths: the scan (and its checks that a path exists) runs in a
worker, so a slow or dead mount never freezes the app.
"""

from __future__ import annotations

import os
import sqlite3
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from library.errors import SetlistError
from library.storage import display_path
from setlist.terminal import printable
from setlist.tui.widgets.literal_text import LiteralInput

if TYPE_CHECKING:
    from library.storage import Store


class ScanRootsLoaded(Message):
    """The folders this library was scanned from, most recent first."""

    def __init__(self, roots: list[bytes]) -> None:
        super().__init__()
        self.roots = roots


class ScanDialog(ModalScreen[list[str] | None]):
    """Returns the paths to scan, or None when cancelled."""

    HELP_TITLE = "Scan dialog"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="scan.cancel"),
        Binding("ctrl+r", "start", "Scan", id="scan.start"),
    ]

    DEFAULT_CSS = """
    ScanDialog { align: center middle; }
    ScanDialog > #scan-dialog { height: auto; max-height: 90%; }
    #scan-roots { height: auto; max-height: 12; margin-bottom: 1; }
    #scan-roots.-empty { display: none; }
    """

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store

    def compose(self) -> ComposeResult:
        with Vertical(id="scan-dialog", classes="dialog-frame") as frame:
            frame.border_title = "Scan folders into the library"
            label = "Folders scanned before (space ticks or unticks the highlighted one):"
            yield Static(Content(label), id="scan-roots-label")
            yield SelectionList[str](id="scan-roots", classes="-empty")
            yield LiteralInput(placeholder="Another folder, e.g. ~/Music", id="scan-path")
            yield Static(id="scan-error", classes="dialog-error", markup=False)
            with Horizontal(id="scan-buttons", classes="dialog-buttons"):
                yield Button("Scan", variant="primary", id="scan-start")
                yield Button("Cancel", id="scan-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scan-path", Input).focus()
        self.query_one("#scan-roots-label").display = False
        self._load_roots(self._store)

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan-roots")
    def _load_roots(self, store: Store) -> None:
        try:
            roots = store.scan_roots()
        except (sqlite3.Error, SetlistError):
            roots = []  # nothing to offer; a folder can still be typed
        self.post_message(ScanRootsLoaded(roots))

    def on_scan_roots_loaded(self, message: ScanRootsLoaded) -> None:
        if not message.roots:
            return
        roots = self.query_one("#scan-roots", SelectionList)
        for root in message.roots:
            label = Content(printable(display_path(root)))
            roots.add_option(Selection(label, os.fsdecode(root), True))
        roots.remove_class("-empty")
        self.query_one("#scan-roots-label").display = True
        self.query_one("#scan-start", Button).focus()  # enter scans them at once

    def chosen_paths(self) -> list[str]:
        """The ticked folders, then the typed one (with ~ expanded)."""
        paths: list[str] = list(self.query_one("#scan-roots", SelectionList).selected)
        typed = self.query_one("#scan-path", Input).value.strip()
        if typed:
            paths.append(os.path.expanduser(typed))
        return list(dict.fromkeys(paths))

    def action_start(self) -> None:
        paths = self.chosen_paths()
        if not paths:
            error = "Tick a folder or type one to scan."
            self.query_one("#scan-error", Static).update(Content(error))
            return
        self.dismiss(paths)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#scan-path")
    def _submitted(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#scan-start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#scan-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
