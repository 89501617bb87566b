"""Tag text that looks like markup, links, actions or escape codes is shown as text.

Each hostile value is stored as a scan stores it; the app must draw it literally (control
characters removed for display only), and clicking it or opening it must do nothing but
select and show it: no style, no link, no action, no crash.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from app_testing import (
    open_track_panel,
    screen_lines,
    search_error,
    settle,
    status,
    store_tracks,
    table,
)
from textual.pilot import Pilot
from textual.widgets import Input

from library.storage import Store
from setlist.settings import Settings
from setlist.terminal import printable
from setlist.tui.app import SetlistApp
from setlist.tui.widgets.library_view import SearchBox
from setlist.tui.widgets.track_table import TrackTable

HOSTILE_TITLES = (
    "[bold red]x[/]",
    "[@click=app.quit]Quit[/]",
    "Track [Remix] [/]",
    "[link=https://example.com]Lien[/link]",
    "[B]Gras[/B]",  # capitalised tags slip through textual.markup.escape (issue #6525)
    "\x1b[31mRouge\x1b[0m",
    "NUL\x00octet",
    "\u202eélimaerd",
    "ligne\ncassée",
)


@pytest.fixture
async def hostile(tmp_path: Path) -> AsyncIterator[Pilot[None]]:
    store = Store(tmp_path / "hostile.db")
    store_tracks(
        store,
        [
            {
                "title": title,
                "artist": "[@click=app.quit]Ärtist",
                "label": "[red]Label[/]",
                "catalog_number": "[b]CAT-1[/b]",
                "moods": ["[@click=app.bell]mood"],
                "comment": "première ligne [i]x[/i]\n[@click=app.quit]seconde\x1b[2J",
                "album": "Älbum",
                "bpm": 120.0 + number,
                "path": f"/musique/[@click=app.quit]/{number}.flac",
            }
            for number, title in enumerate(HOSTILE_TITLES)
        ],
    )
    app = SetlistApp(store, Settings(library_sort="bpm"))
    try:
        # Wide enough for every value to fit its column uncut.
        async with app.run_test(size=(200, 40), notifications=True) as pilot:
            await settle(pilot)
            yield pilot
    finally:
        store.close()


async def test_hostile_titles_are_drawn_literally(hostile: Pilot[None]) -> None:
    app = hostile.app
    assert isinstance(app, SetlistApp)
    text = "\n".join(screen_lines(app))
    for title in HOSTILE_TITLES:
        assert printable(title) in text, title
    assert "[@click=app.quit]Ärtist" in text
    assert "[red]Label[/] – [b]CAT-1[/b]" in text
    assert "[@click=app.bell]mood" in text
    assert "\x1b" not in text and "\x00" not in text and "\u202e" not in text
    assert status(app) == f"{len(HOSTILE_TITLES)} of {len(HOSTILE_TITLES)} tracks"


async def test_clicking_hostile_cells_selects_and_triggers_nothing(hostile: Pilot[None]) -> None:
    app = hostile.app
    assert isinstance(app, SetlistApp)
    view = table(app)
    header = next(line for line in screen_lines(app) if "Artist" in line and "Title" in line)
    for row in range(len(HOSTILE_TITLES)):
        for column in ("Artist", "Title", "Release", "Moods"):
            await hostile.click(TrackTable, offset=(header.index(column) + 2, row + 1))
            assert view.cursor == row
    await settle(hostile)
    assert app.is_running
    assert app.return_code is None
    assert app.screen is app.main_screen


async def test_the_track_panel_shows_hostile_tags_literally(hostile: Pilot[None]) -> None:
    app = hostile.app
    assert isinstance(app, SetlistApp)
    text = await open_track_panel(hostile, "down")
    assert "[@click=app.quit]Ärtist – [@click=app.quit]Quit[/]" in text
    assert "[@click=app.bell]mood ×" in text  # a mood chip of the notes editor
    await hostile.press("end")  # the tags are below the notes
    await settle(hostile)
    text = "\n".join(screen_lines(app))
    assert "première ligne [i]x[/i]" in text
    assert "[@click=app.quit]seconde[2J" in text  # the escape character itself is gone
    assert "/musique/[@click=app.quit]/1.flac" in text
    await hostile.click("#track-panel-title", offset=(5, 1))
    await hostile.click("#track-tags", offset=(20, 1))
    await hostile.press("escape")
    assert app.screen_stack[-1] is app.main_screen
    assert app.is_running


async def test_a_query_error_quoting_markup_is_shown_literally(hostile: Pilot[None]) -> None:
    app = hostile.app
    assert isinstance(app, SetlistApp)
    await hostile.press("slash")
    box = app.main_screen.query_one(SearchBox)
    box.insert_text_at_cursor("couleur:[@click=app.quit][bold]y")
    await settle(hostile)
    assert "unknown field" in (search_error(app) or "")
    assert any("couleur:[@click=app.quit][bold]y: unknown" in line for line in screen_lines(app))
    box.value = '"[@click=app.quit]"'
    await settle(hostile)
    assert status(app) == f"{len(HOSTILE_TITLES)} of {len(HOSTILE_TITLES)} tracks"
    assert app.is_running


async def test_control_characters_typed_or_pasted_into_a_box_are_not_drawn(
    hostile: Pilot[None],
) -> None:
    """The box keeps what was given (it is searched or stored as is); the screen never gets
    an escape character."""
    app = hostile.app
    assert isinstance(app, SetlistApp)
    await hostile.press("slash")
    box = app.main_screen.query_one(SearchBox)
    box.value = "\x1b[31mRouge\u202e"
    await settle(hostile)
    assert box.value == "\x1b[31mRouge\u202e"
    text = "\n".join(screen_lines(app))
    assert "[31mRouge" in text
    assert "\x1b" not in text and "\u202e" not in text
    box.value = ""
    await hostile.press("escape")
    await open_track_panel(hostile)
    await hostile.press("m")
    mood = app.screen.query_one("#mood-input", Input)
    mood.value = "\x1b]8;;http://evil.example\x07lien"
    await settle(hostile)
    text = "\n".join(screen_lines(app))
    assert "]8;;http://evil.examplelien" in text
    assert "\x1b" not in text and "\x07" not in text
