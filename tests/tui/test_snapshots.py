"""Snapshots (SVG) of the main views at a fixed size, compared with the accepted ones.

The library has fixed, made-up paths and values, the cursor does not blink, and nothing
time-dependent is on screen, so a snapshot changes only when the app's look does. After a
deliberate change of look: `pytest tests/tui/test_snapshots.py --snapshot-update`, then
look at the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from app_testing import SIZE, library_entries, settle, store_tracks, type_text
from textual.pilot import Pilot
from textual.widgets import Input

from library.storage import Store
from setlist.settings import Settings
from setlist.tui.app import SetlistApp

SnapCompare = Callable[..., bool]


@pytest.fixture
def snapshot_app(tmp_path: Path) -> Any:
    store = Store(tmp_path / "library.db")
    store_tracks(store, library_entries())
    store.remember_scan_roots([b"/musique"])
    yield SetlistApp(store, Settings())
    store.close()


async def steady(pilot: Pilot[Any]) -> None:
    """The searches done and no cursor blinking, on every screen."""
    await settle(pilot)
    for screen in pilot.app.screen_stack:
        for box in screen.query(Input):
            box.cursor_blink = False
    await settle(pilot)


def test_library_view(snap_compare: SnapCompare, snapshot_app: SetlistApp) -> None:
    assert snap_compare(snapshot_app, terminal_size=SIZE, run_before=steady)


def test_library_view_searched_and_sorted(
    snap_compare: SnapCompare, snapshot_app: SetlistApp
) -> None:
    async def search(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("S")  # artist, descending
        await pilot.press("slash")
        await type_text(pilot, "lowtide")
        await steady(pilot)

    assert snap_compare(snapshot_app, terminal_size=SIZE, run_before=search)


def test_a_bad_query(snap_compare: SnapCompare, snapshot_app: SetlistApp) -> None:
    async def search(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "bpm:vite")
        await steady(pilot)

    assert snap_compare(snapshot_app, terminal_size=SIZE, run_before=search)


def test_track_panel(snap_compare: SnapCompare, snapshot_app: SetlistApp) -> None:
    async def open_track(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down", "enter")
        await steady(pilot)

    assert snap_compare(snapshot_app, terminal_size=SIZE, run_before=open_track)


def test_help_screen(snap_compare: SnapCompare, snapshot_app: SetlistApp) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await steady(pilot)

    assert snap_compare(snapshot_app, terminal_size=SIZE, run_before=open_help)


def test_scan_dialog(snap_compare: SnapCompare, snapshot_app: SetlistApp) -> None:
    async def open_dialog(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await steady(pilot)

    assert snap_compare(snapshot_app, terminal_size=SIZE, run_before=open_dialog)
