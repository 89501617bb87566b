"""Set names, venues, titles and moods that look like markup, actions or escape codes are
drawn as text in the Sets view, its dialogs and its notifications, and clicking them does
nothing but select."""

from __future__ import annotations

from pathlib import Path

from app_testing import screen_lines, settle, store_tracks
from sets_testing import notices, open_the_set
from test_hostile_text import HOSTILE_TITLES

from library.set_store import SetStore
from library.storage import Store
from setlist.settings import Settings
from setlist.terminal import printable
from setlist.tui.app import SetlistApp
from setlist.tui.screens.export_dialog import ExportDialog
from setlist.tui.screens.set_dialogs import ConfirmDialog
from setlist.tui.widgets.set_editor import SetEditor
from setlist.tui.widgets.set_index import SetIndex

NAME = "[@click=app.quit]Nuit[/] [b]x"
VENUE = "[red]Salle[/]\x1b[2J"
MOOD = "[@click=app.bell]mood"


async def test_hostile_set_text_is_drawn_literally_and_acts_on_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "hostile-sets.db")
    ids = store_tracks(
        store,
        [
            {
                "title": title,
                "artist": f"[@click=app.quit]Ärtist {number}",
                "moods": [MOOD],
                "bpm": 124.0 + number / 10,
                "key": "8A",
                "duration": 300.0,
            }
            for number, title in enumerate(HOSTILE_TITLES)
        ],
    )
    SetStore(store).create(NAME, venue=VENUE, track_ids=ids[:4])
    app = SetlistApp(store, Settings())
    try:
        async with app.run_test(size=(200, 50), notifications=True) as pilot:
            await settle(pilot)
            await open_the_set(pilot)
            text = "\n".join(screen_lines(app))
            assert f"Set '{NAME}' · [red]Salle[/][2J" in text
            assert NAME in text  # in the list of sets
            for title in HOSTILE_TITLES[:4]:
                assert printable(title) in text, title
            assert "shares" in text and f"'{MOOD}'" in text  # a suggestion's reasons
            assert "\x1b" not in text and "\x00" not in text
            assert "Energy: none known" in text  # no energy noted: the plot says so
            # Clicks on the list, on the names and on the suggestions act on nothing.
            for row in range(1, 5):
                await pilot.click(SetEditor, offset=(20, row))
                await pilot.click(SetIndex, offset=(5, row - 1))
            await pilot.click("#suggestions-list", offset=(10, 1))
            await settle(pilot)
            assert app.is_running and app.return_code is None
            await pilot.click(SetEditor, offset=(20, 1))
            await pilot.press("x")  # the notification names the track literally
            await settle(pilot)
            assert (
                f"Removed '[@click=app.quit]Ärtist 0 – {HOSTILE_TITLES[0]}' from '{NAME}'"
                in (notices(app)[-1])
            )
            for key, dialog, question in (
                ("d", ConfirmDialog, f"Delete the set '{NAME}'?"),
                ("e", ExportDialog, f"Export the set '{NAME}'"),
            ):
                await pilot.press(key)
                assert isinstance(app.screen, dialog)
                assert question in "\n".join(screen_lines(app))
                await pilot.press("escape")
                assert app.screen_stack[-1] is app.main_screen
            assert app.is_running
    finally:
        store.close()
