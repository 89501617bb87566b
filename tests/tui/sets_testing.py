"""What the Sets view's tests share: a library with energies noted and a set, and helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from app_testing import SIZE, library_entries, settle, store_tracks, table
from textual.pilot import Pilot

from library.notes import store as notes_store
from library.notes.model import TrackNotes
from library.set_store import SetStore
from library.storage import Store
from setlist.settings import Settings
from setlist.tui.app import SetlistApp
from setlist.tui.widgets.set_editor import SetEditor
from setlist.tui.widgets.sets_view import SetsView

SET_NAME = "Nacht [Dämmerung] =1+1"
ENERGIES = (3, 4, 5, 6, 7, 8, 2, 4, 5, 6)  # per track of app_testing.LIBRARY
IN_SET = 5  # the set holds the library's first five tracks


def library_with_a_set(store: Store) -> list[int]:
    """The app_testing library, an energy noted on every track, and the set SET_NAME (60
    minutes, at a venue) holding the first IN_SET tracks; the track ids."""
    ids = store_tracks(store, library_entries())
    for track_id, energy in zip(ids, ENERGIES, strict=True):
        notes_store.save(store, track_id, TrackNotes(energy=energy))
    SetStore(store).create(SET_NAME, target_minutes=60, venue="Café Dëcor", track_ids=ids[:IN_SET])
    return ids


def sets_view(app: SetlistApp) -> SetsView:
    return app.main_screen.query_one(SetsView)


def editor(app: SetlistApp) -> SetEditor:
    return app.main_screen.query_one(SetEditor)


def entries(store: Store, name: str = SET_NAME) -> list[int]:
    """The track ids of a set, in order, as stored."""
    return [entry.track_id for entry in SetStore(store).get(name).entries]


def notices(app: SetlistApp) -> list[str]:
    """The messages of the notifications shown."""
    return [notification.message for notification in app._notifications]


async def open_the_set(pilot: Pilot[Any]) -> None:
    """Show the Sets view and open the highlighted (first) set."""
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def select_a_track_not_in_the_set(app: SetlistApp, ids: list[int]) -> int:
    """Select, in the library's table, the first track the set does not hold; its id."""
    tracks = table(app)
    wanted = next(i for i in tracks.ids if i not in ids[:IN_SET])
    tracks.move_cursor(list(tracks.ids).index(wanted))
    return wanted


@dataclass(frozen=True)
class Running:
    """The app on a library with a set (`ids`: the library's tracks, the set's first)."""

    pilot: Pilot[None]
    app: SetlistApp
    ids: list[int]


@pytest.fixture(name="running")
async def running_app(tmp_path: Path) -> AsyncIterator[Running]:
    """The app on a library with a set (`library_with_a_set`), shown and settled."""
    store = Store(tmp_path / "sets.db")
    ids = library_with_a_set(store)
    app = SetlistApp(store, Settings())
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            yield Running(pilot, app, ids)
    finally:
        store.close()
