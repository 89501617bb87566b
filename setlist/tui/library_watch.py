"""Noticing what other processes change in the library, so the app shows it.

A DJ keeps the app open while `setlist note`, `setlist scan` or a second app write to the same
library from another terminal. SQLite says when anything was committed, cheaply:
`Store.data_version` reads a counter in the WAL's shared memory, no table and no disk. The
watch asks for it every `POLL_SECONDS` and whenever the terminal gives the app focus back, in
a thread worker, and posts `LibraryChanged` when it moved; the app then has its views read
again (`library_changed`), which keeps the selected track.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from textual.app import App
from textual.message import Message

from library.errors import SetlistError
from library.storage import Store

POLL_SECONDS = 1.5


class LibraryChanged(Message):
    """Something was committed to the library since the last look (another process, a scan
    of this one): what is on screen may be out of date."""


class LibraryWatch:
    """Polls the library's data version for `app` and posts `LibraryChanged` to it."""

    def __init__(self, app: App[Any], store: Store, interval: float = POLL_SECONDS) -> None:
        self._app = app
        self._store = store
        self._interval = interval
        self._seen: int | None = None  # the version last seen; None before the first look
        self._lock = threading.Lock()  # looks may overlap: a focus while the timer's runs

    def start(self) -> None:
        """Take the first look now, then one every `interval` seconds."""
        self.check()
        self._app.set_interval(self._interval, self.check, name="library-watch")

    def check(self) -> None:
        """Look (in a thread: the first look opens a connection) whether the library moved."""
        self._app.run_worker(self._look, thread=True, group="library-watch", exit_on_error=False)

    def _look(self) -> None:
        try:
            version = self._store.data_version()
        except (SetlistError, sqlite3.Error):
            return  # the library cannot be read now: the views say so on their next read
        with self._lock:
            moved = self._seen is not None and version != self._seen
            self._seen = version
        if moved:
            self._app.post_message(LibraryChanged())
