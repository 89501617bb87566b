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
from app_testing import SIZE, library_entries, settle, store_tracks
from conftest import RELEASES
from textual.pilot import Pilot
from textual.widgets import Input

from library.releases.detect import read_releases
from library.releases.store import ReleaseStore
from library.storage import Store
from setlist.settings import Settings
from setlist.tui.app import SetlistApp

SnapCompare = Callable[..., bool]


@pytest.fixture
def snapshot_app(tmp_path: Path) -> Any:
    store = Store(tmp_path / "library.db")
    store_tracks(store, library_entries())
    store.remember_scan_roots([b"/musique"])
    page = RELEASES / "page-full.txt"
    ReleaseStore(store).save(read_releases(page.name, page.read_bytes()))
    yield SetlistApp(store, Settings())
    store.close()


async def steady(pilot: Pilot[Any]) -> None:
    """The searches done and no cursor blinking, on every screen."""
    await settle(pilot)
    for screen in pilot.app.screen_stack:
        for box in screen.query(Input):
            box.cursor_blink = False
    await settle(pilot)


VIEWS = {
    "library_view": [],
    "searched_and_sorted": ["S", "slash", *"lowtide"],  # artist descending, then a search
    "bad_query": ["slash", "b", "p", "m", "colon", *"vite"],
    "track_panel": ["down", "enter"],
    "help_screen": ["question_mark"],
    "scan_dialog": ["ctrl+r"],
    "releases_view": ["2"],
    "release_import": ["2", "i"],
}


@pytest.mark.parametrize("keys", VIEWS.values(), ids=VIEWS.keys())
def test_view(snap_compare: SnapCompare, snapshot_app: SetlistApp, keys: list[str]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await steady(pilot)

    assert snap_compare(snapshot_app, terminal_size=SIZE, run_before=run_before)


def test_sets_view(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """The Sets view with its set open: entries, verdicts, totals, curves, suggestions."""
    from sets_testing import library_with_a_set

    store = Store(tmp_path / "sets.db")
    library_with_a_set(store)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("enter", "down")
        await steady(pilot)

    try:
        assert snap_compare(
            SetlistApp(store, Settings()), terminal_size=SIZE, run_before=run_before
        )
    finally:
        store.close()
