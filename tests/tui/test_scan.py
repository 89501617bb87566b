"""Scanning from the app: the dialog, progress in a worker, the outcome, cancelling.

Real audio: the committed fixtures copied into the test's folder (the `music` fixture).
Cancelling is made deterministic without timing: the test holds the database's write lock,
so the scan cannot store its last batch, and so cannot finish, before the cancel arrives.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from app_testing import LIBRARY, SIZE, screen_lines, settle, status
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, ProgressBar, SelectionList

from library.storage import Store
from setlist.settings import Settings
from setlist.tui.app import SetlistApp
from setlist.tui.messages import ScanFinished, ScanProgressed
from setlist.tui.screens.scan_dialog import ScanDialog
from setlist.tui.widgets.scan_bar import ScanBar

M = TypeVar("M", bound=Message)
BROKEN = 5  # not-audio.mp3 and four truncated files among the fixtures


@pytest.fixture
def music(music: Path) -> Path:
    """Every committed fixture, plus an unreadable file whose name is markup."""
    shutil.copyfile(music / "not-audio.mp3", music / "[@click=app.quit]piège.mp3")
    return music


def posted(messages: list[Message], kind: type[M]) -> list[M]:
    """The messages of one kind, once each (a bubbling message passes several nodes)."""
    unique = {id(message): message for message in messages if isinstance(message, kind)}
    return list(unique.values())


def audio_files(folder: Path) -> int:
    return sum(1 for path in folder.iterdir() if path.is_file())


@asynccontextmanager
async def open_app(
    tui_library: Store, settings: Settings, messages: list[Message]
) -> AsyncIterator[Pilot[None]]:
    app = SetlistApp(tui_library, settings)
    async with app.run_test(size=SIZE, notifications=True, message_hook=messages.append) as pilot:
        await settle(pilot)
        yield pilot


async def open_dialog(pilot: Pilot[None]) -> ScanDialog:
    """Open the scan dialog (ctrl+r) and wait for the folders it offers."""
    await pilot.press("ctrl+r")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ScanDialog)
    return dialog


async def start_scan(pilot: Pilot[None], path: str) -> None:
    """Type a folder into the scan dialog and start (enter)."""
    dialog = await open_dialog(pilot)
    box = dialog.query_one("#scan-path", Input)
    box.focus()
    box.insert_text_at_cursor(path)
    await pilot.press("enter")


async def test_a_scan_from_the_app_shows_progress_and_adds_the_tracks(
    tui_library: Store, music: Path
) -> None:
    messages: list[Message] = []
    async with open_app(tui_library, Settings(), messages) as pilot:
        app = pilot.app
        assert isinstance(app, SetlistApp)
        await start_scan(pilot, str(music))
        await settle(pilot)
        found = audio_files(music)
        progress = posted(messages, ScanProgressed)
        assert progress, "no progress was reported"
        assert progress[-1].done == progress[-1].total == found
        assert [m.done for m in progress] == sorted(m.done for m in progress)
        (finished,) = posted(messages, ScanFinished)
        assert finished.result is not None
        added = found - BROKEN - 1
        assert (finished.result.added, len(finished.result.errors)) == (added, BROKEN + 1)
        bar = app.main_screen.scan_bar
        assert not bar.scanning and (bar.done, bar.total) == (found, found)
        assert status(app) == f"{len(LIBRARY) + added} of {len(LIBRARY) + added} tracks"
        text = "\n".join(screen_lines(app))
        assert f"Scanned: {added} added" in text
        assert "[@click=app.quit]piège.mp3" in text  # an unreadable file, named literally
        assert app.is_running
        assert tui_library.scan_roots() == [os.fsencode(music)]


async def test_the_dialog_offers_the_folders_scanned_before(
    tui_library: Store, music: Path
) -> None:
    tui_library.remember_scan_roots([os.fsencode(music)])
    messages: list[Message] = []
    async with open_app(tui_library, Settings(scan_workers=1), messages) as pilot:
        dialog = await open_dialog(pilot)
        assert dialog.query_one(SelectionList).selected == [str(music)]
        assert str(music) in "\n".join(screen_lines(pilot.app))
        await pilot.press("enter")
        await settle(pilot)
        (finished,) = posted(messages, ScanFinished)
        assert finished.result is not None
        assert finished.result.added == audio_files(music) - BROKEN - 1


async def test_a_scan_can_be_cancelled(tui_library: Store, music: Path) -> None:
    messages: list[Message] = []
    async with open_app(tui_library, Settings(scan_workers=1), messages) as pilot:
        app = pilot.app
        assert isinstance(app, SetlistApp)
        writer = sqlite3.connect(tui_library.path, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")  # the scan cannot store, so cannot finish
            await start_scan(pilot, str(music))
            for _ in range(200):
                if posted(messages, ScanProgressed):
                    break
                await pilot.pause()
            assert "ctrl+x" in app.screen.active_bindings  # offered (in the footer) now
            await pilot.press("ctrl+x")
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        await settle(pilot)
        (finished,) = posted(messages, ScanFinished)
        assert finished.result is not None and finished.result.cancelled
        assert "Scan cancelled" in "\n".join(screen_lines(app))
        assert tui_library.scan_roots() == []  # an incomplete walk is not remembered
        assert not app.main_screen.query_one(ScanBar).scanning
        assert "ctrl+x" not in app.screen.active_bindings
        assert still(app)  # cancelled while looking for files: the bar is still again


def still(app: SetlistApp) -> bool:
    """The hidden scan bar draws nothing: no progress bar animates (15 frames a second,
    each one a frame of the whole app, which an idle app must not draw)."""
    progress = app.main_screen.query_one(ScanBar).query_one(ProgressBar)
    return all(part.auto_refresh is None for part in (progress, *progress.query("*")))


async def test_an_idle_app_draws_no_frames_for_its_hidden_scan_bar(tui_library: Store) -> None:
    messages: list[Message] = []
    async with open_app(tui_library, Settings(), messages) as pilot:
        app = pilot.app
        assert isinstance(app, SetlistApp)
        assert still(app)
        bar = app.main_screen.query_one(ScanBar).query_one(ProgressBar)
        bar.update(total=None)  # what a scan shows while it looks for files
        assert not still(app)  # so the check above can fail


async def test_a_folder_that_does_not_exist_is_reported(tui_library: Store, tmp_path: Path) -> None:
    messages: list[Message] = []
    async with open_app(tui_library, Settings(scan_workers=1), messages) as pilot:
        await start_scan(pilot, str(tmp_path / "nulle-part"))
        await settle(pilot)
        text = "\n".join(screen_lines(pilot.app))
        assert "Scan failed:" in text and "nulle-part: no such file or folder" in text


async def test_the_dialog_asks_for_a_folder_when_none_is_given(tui_library: Store) -> None:
    messages: list[Message] = []
    async with open_app(tui_library, Settings(), messages) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press("enter")
        assert pilot.app.screen is dialog
        assert "Tick a folder or type one to scan." in "\n".join(screen_lines(pilot.app))
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, ScanDialog)
        assert not posted(messages, ScanFinished)
