"""The scan bar: runs a scan in a thread worker and shows its progress, with a cancel.

The scanner reports progress through a callback, from the worker's thread; each report is
posted as a `ScanProgressed` message that replaces any report still waiting, so a fast scan
never floods the screen with figures nobody can read. The bar is hidden while no scan runs.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Sequence
from contextlib import redirect_stderr
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, ProgressBar, Static
from textual.worker import Worker, WorkerState

from library.errors import SetlistError
from library.scanning import ScanProgress, scan, start_pool_helpers
from setlist.tui.messages import ScanFinished, ScanProgressed

if TYPE_CHECKING:
    from library.storage import Store


class ScanBar(Horizontal):
    """Progress of the running scan: files read of files found, and a cancel button."""

    DEFAULT_CSS = """
    ScanBar {
        dock: bottom;
        height: 1;
        display: none;
        background: $boost;
        &.-scanning { display: block; }
        #scan-label { width: auto; padding: 0 1; }
        #scan-progress { width: 1fr; }
        #scan-cancel { min-width: 10; height: 1; border: none; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._cancel: threading.Event | None = None
        self.done = 0
        self.total = 0

    def compose(self) -> ComposeResult:
        yield Static(id="scan-label", markup=False)
        # A total from the start: a bar without one animates 15 times a second, hidden or
        # not, and each of its frames is a frame of the whole app (an idle app must idle).
        yield ProgressBar(id="scan-progress", show_eta=False, total=1)
        yield Button("Cancel", id="scan-cancel", compact=True)

    @property
    def scanning(self) -> bool:
        """Whether a scan is running (or finishing after a cancel)."""
        return self._cancel is not None

    def start(self, store: Store, paths: Sequence[str], workers: int | None) -> None:
        """Scan `paths` into the library in a worker; the outcome is a `ScanFinished`."""
        if workers != 1 and sys.__stderr__ is not None:
            # Textual's stand-in for sys.stderr has no file descriptor; the pool's helper
            # processes must be started with the real one (see start_pool_helpers).
            with redirect_stderr(sys.__stderr__):
                start_pool_helpers()
        self._cancel = threading.Event()
        self.done = self.total = 0
        self.add_class("-scanning")
        self.query_one("#scan-label", Static).update(Content("Scanning: looking for files…"))
        self.query_one(ProgressBar).update(total=None, progress=0)
        self._scan(store, list(paths), workers, self._cancel)

    def cancel(self) -> None:
        """Ask the scan to stop after the files being read; what it stored stays."""
        if self._cancel is not None and not self._cancel.is_set():
            self._cancel.set()
            self.query_one("#scan-label", Static).update(Content("Cancelling the scan…"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def _scan(
        self, store: Store, paths: list[str], workers: int | None, cancel: threading.Event
    ) -> None:
        def progressed(progress: ScanProgress) -> None:
            self.post_message(ScanProgressed(progress.done, progress.total))

        try:
            result = scan(store, paths, workers=workers, progress=progressed, cancel=cancel)
        except (SetlistError, sqlite3.Error, OSError) as error:
            self.post_message(ScanFinished(None, str(error)))
            return
        self.post_message(ScanFinished(result))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A scan that broke in an unforeseen way (a worker process died...) still ends:
        the bar goes away and the app says what happened."""
        if event.worker.group == "scan" and event.state == WorkerState.ERROR:
            error = event.worker.error
            self.post_message(ScanFinished(None, f"{type(error).__name__}: {error}"))

    def on_scan_progressed(self, message: ScanProgressed) -> None:
        message.stop()
        self.done, self.total = message.done, message.total
        if self._cancel is not None and self._cancel.is_set():
            return
        self.query_one(ProgressBar).update(total=max(1, message.total), progress=message.done)
        label = f"Scanning: {message.done:,} of {message.total:,} files"
        self.query_one("#scan-label", Static).update(Content(label))

    def on_scan_finished(self, message: ScanFinished) -> None:
        """Hide the bar; the message goes on to the app, which reports the outcome."""
        self._cancel = None
        self.remove_class("-scanning")
        self.query_one(ProgressBar).update(total=1, progress=0)  # still again (see compose)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.cancel()
