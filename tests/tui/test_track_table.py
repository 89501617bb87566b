"""The track table on more tracks than fit a screen: rows fetched as they come into view."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from app_testing import SIZE, screen_lines, settle, status, store_tracks, table
from textual.pilot import Pilot

from library.storage import Store
from setlist.settings import Settings
from setlist.tui.app import SetlistApp
from setlist.tui.widgets.library_view import FIRST_SCREENFUL

COUNT = 1_234  # ten times a first screenful, and not a round number


@pytest.fixture
async def big(tmp_path: Path) -> AsyncIterator[Pilot[None]]:
    store = Store(tmp_path / "grande.db")
    store_tracks(
        store,
        [
            {"artist": f"Ärtiste {n:04d}", "title": f"Morceau {n}", "bpm": 100.0 + n % 40}
            for n in range(COUNT)
        ],
    )
    app = SetlistApp(store, Settings())
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            yield pilot
    finally:
        store.close()


def track_lines(app: SetlistApp) -> list[str]:
    """The lines of the track list on screen, below its header, above the footer."""
    lines = screen_lines(app)
    header = next(i for i, line in enumerate(lines) if "Artist" in line and "Title" in line)
    return [line.strip() for line in lines[header + 1 : -1]]


def placeholders(app: SetlistApp) -> int:
    """Lines drawn as "…": rows still being fetched."""
    return sum(1 for line in track_lines(app) if line == "…")


async def test_a_big_library_is_counted_and_drawn_from_the_first_screenful(
    big: Pilot[None],
) -> None:
    app = big.app
    assert isinstance(app, SetlistApp)
    view = table(app)
    assert COUNT > FIRST_SCREENFUL
    assert view.complete and view.row_count == COUNT
    assert status(app) == f"{COUNT:,} of {COUNT:,} tracks"
    assert track_lines(app)[0].startswith("Ärtiste 0000")
    assert placeholders(app) == 0


async def test_paging_fetches_the_rows_that_come_into_view(big: Pilot[None]) -> None:
    app = big.app
    assert isinstance(app, SetlistApp)
    view = table(app)
    page = SIZE[1] - 7  # the screen less the tabs, the search bar, the header and footer
    for pages in range(1, 6):
        await big.press("pagedown")
        await settle(big)
        text = "\n".join(screen_lines(app))
        assert placeholders(app) == 0
        assert f"Ärtiste {view.cursor:04d}" in text
        assert view.cursor >= pages * (page - 2)
    await big.press("end")
    await settle(big)
    assert view.cursor == COUNT - 1
    assert f"Ärtiste {COUNT - 1:04d}" in "\n".join(screen_lines(app))
    assert placeholders(app) == 0
    await big.press("home")
    await settle(big)
    assert view.cursor == 0
    assert "Ärtiste 0000" in "\n".join(screen_lines(app))


async def test_a_missing_track_is_marked(tmp_path: Path) -> None:
    store = Store(tmp_path / "bibliothèque.db")
    store_tracks(
        store,
        [
            {"artist": "Présente", "title": "Là", "path": "/musique/là.flac"},
            {"artist": "Partie", "title": "Ailleurs", "path": "/musique/ailleurs.flac"},
        ],
    )
    store.mark_missing([b"/musique/ailleurs.flac"])
    app = SetlistApp(store, Settings())
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            lines = screen_lines(app)
            gone = next(line for line in lines if "Partie" in line)
            here = next(line for line in lines if "Présente" in line)
            assert gone.lstrip().startswith("✗")
            assert "✗" not in here
    finally:
        store.close()
