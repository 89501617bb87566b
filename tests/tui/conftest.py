"""Fixtures of the app's tests: the library, the settings file, the app, a running pilot."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from library.storage import Store
from setlist.settings import Settings
from setlist.tui.app import SetlistApp
from tui.app_testing import SIZE, library_entries, settle, store_tracks


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Store]:
    """A library database holding LIBRARY."""
    store = Store(tmp_path / "library.db")
    store_tracks(store, library_entries())
    yield store
    store.close()


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.toml"


@pytest.fixture
def app(library: Store, settings_file: Path) -> SetlistApp:
    """The app on `library`, saving its settings in this test's folder."""
    return SetlistApp(library, Settings(), settings_path=settings_file)


@pytest.fixture
async def pilot(app: SetlistApp) -> AsyncIterator[Pilot[None]]:
    """The app running headless at SIZE, its first search done."""
    async with app.run_test(size=SIZE, notifications=True) as running:
        await settle(running)
        yield running
