"""The library view driven by keys and clicks: opening, searching, sorting, the track panel."""

from __future__ import annotations

from pathlib import Path

from app_testing import (
    LIBRARY,
    library_view,
    open_track_panel,
    screen_lines,
    search_error,
    settle,
    status,
    store_tracks,
    table,
    table_titles,
    type_text,
)
from textual.message import Message
from textual.pilot import Pilot

from library.query import compile_query, compile_sort
from library.track_listing import matching_ids
from setlist.settings import load_settings
from setlist.tui.app import SetlistApp
from setlist.tui.messages import TracksMatched
from setlist.tui.screens.track_panel import TrackPanel
from setlist.tui.widgets.library_view import SearchBox
from setlist.tui.widgets.track_table import TrackTable


def expected_ids(app: SetlistApp, text: str, sort: str) -> list[int]:
    compiled = compile_query(text)
    return list(matching_ids(app.store, compiled.where, compiled.params, compile_sort(sort)))


async def test_opens_on_the_library_with_the_table_focused_and_the_first_row_selected(
    pilot: Pilot[None],
) -> None:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    view = table(app)
    assert app.focused is view
    assert view.cursor == 0
    assert list(view.ids) == expected_ids(app, "", "artist")
    assert status(app) == f"{len(LIBRARY)} of {len(LIBRARY)} tracks"
    lines = screen_lines(app)
    assert any("Artist▲" in line and "Title" in line and "BPM" in line for line in lines)
    assert any("Aoife Ní Bhriain" in line and "Tidal Pull" in line for line in lines)
    await pilot.press("down", "down")
    assert view.cursor == 2


async def test_typing_a_search_narrows_the_tracks_and_counts_them(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    await pilot.press("slash")
    assert isinstance(app.focused, SearchBox)
    await type_text(pilot, "lowtide")
    await settle(pilot)
    assert list(table(app).ids) == expected_ids(app, "lowtide", "artist")
    assert status(app) == f"3 of {len(LIBRARY)} tracks"
    await type_text(pilot, " -afterglow")
    await settle(pilot)
    assert sorted(table_titles(app)) == ["Night Ferry", "Tidal Pull"]
    assert status(app) == f"2 of {len(LIBRARY)} tracks"
    await pilot.press("escape")
    assert table(app).has_focus
    assert table(app).cursor == 0


async def test_a_search_that_matches_nothing_says_so(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    await pilot.press("slash")
    await type_text(pilot, "zzzz")
    await settle(pilot)
    assert status(app) == f"0 of {len(LIBRARY)} tracks"
    assert any("No tracks match." in line for line in screen_lines(app))
    await pilot.press("escape", "enter")  # nothing selected: enter does nothing
    assert not isinstance(app.screen, TrackPanel)


async def test_a_bad_query_shows_its_error_and_keeps_the_last_results(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    await pilot.press("slash")
    await type_text(pilot, "kettle")
    await settle(pilot)
    app.main_screen.query_one(SearchBox).insert_text_at_cursor(" bpm:fast")  # as a paste does
    await settle(pilot)
    error = search_error(app)
    assert error is not None and error.startswith("bpm:fast: expected a number")
    assert status(app) == f"3 of {len(LIBRARY)} tracks"  # the last results stay
    assert app.main_screen.query_one(SearchBox).has_class("-invalid")
    assert sorted(table_titles(app)) == ["Copper Lines", "Grachten (Dub)", "Szkło"]
    await pilot.press("backspace", "backspace", "backspace", "backspace")
    await type_text(pilot, "128")
    await settle(pilot)
    assert table_titles(app) == []
    await pilot.press(*["backspace"] * 8)
    await settle(pilot)
    assert status(app) == f"3 of {len(LIBRARY)} tracks"
    assert search_error(app) is None
    assert not app.main_screen.query_one(SearchBox).has_class("-invalid")


async def test_sorting_by_keys_and_by_clicking_a_header(
    pilot: Pilot[None], settings_file: Path
) -> None:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    view = table(app)
    await pilot.press("s")
    await settle(pilot)
    assert view.sort == "title"
    assert list(view.ids) == expected_ids(app, "", "title")
    await pilot.press("S")
    await settle(pilot)
    assert list(view.ids) == expected_ids(app, "", "-title")
    assert any("Title▼" in line for line in screen_lines(app))
    header = next(line for line in screen_lines(app) if "BPM" in line and "Artist" in line)
    row = screen_lines(app).index(header)
    await pilot.click(TrackTable, offset=(header.index("BPM") + 1, 0))
    await settle(pilot)
    assert list(view.ids) == expected_ids(app, "", "bpm")
    await pilot.click(TrackTable, offset=(header.index("BPM") + 1, 0))
    await settle(pilot)
    assert list(view.ids) == expected_ids(app, "", "-bpm")
    assert row >= 0
    assert load_settings(settings_file).library_sort == "-bpm"


async def test_a_new_order_keeps_the_selected_track_selected(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    view = table(app)
    await pilot.press("down", "down", "down")
    chosen = view.selected_id
    await pilot.press("S")
    await settle(pilot)
    assert view.selected_id == chosen
    assert view.cursor == len(LIBRARY) - 4


async def test_enter_opens_the_track_panel_and_escape_closes_it(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    text = await open_track_panel(pilot, "down")
    assert "Beatriz Oliveira – Maré Alta" in text
    assert "Onda Discos" in text and "OND-05" in text and "9A" in text
    await pilot.press("end")  # the file's tags, below the notes
    await settle(pilot)
    assert "/musique/Beatriz Oliveira/Maré Alta.flac" in "\n".join(screen_lines(app))
    await pilot.press("escape")
    assert app.screen_stack[-1] is app.main_screen
    assert table(app).has_focus


async def test_a_double_click_opens_the_track_under_the_pointer(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    await pilot.double_click(TrackTable, offset=(10, 3))
    await settle(pilot)
    assert isinstance(app.screen, TrackPanel)
    assert app.screen.track_id == table(app).ids[2]


async def test_the_library_view_offers_its_keys_on_the_help_screen(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    await pilot.press("question_mark")
    text = "\n".join(screen_lines(app))
    for expected in ("Keys: Library", "Open the track panel", "Reverse the order", "Play/pause"):
        assert expected in text, expected
    assert "bpm:120..130" in text  # the view's note on the query language
    assert "Back to the track list" in text  # the search box's keys, though not focused
    await pilot.press("end")  # the app's keys, at the end of the list
    await settle(pilot)
    text = "\n".join(screen_lines(app))
    assert "Scan" in text and "Quit" in text
    await pilot.press("escape")
    assert app.screen is app.main_screen
    assert library_view(app).table.has_focus


async def test_searches_answered_before_show_at_once_and_are_confirmed(
    pilot: Pilot[None],
) -> None:
    """Backspacing returns to earlier answers; they are checked again against the library,
    which another process (a scan in another terminal) may have changed meanwhile."""
    app = pilot.app
    assert isinstance(app, SetlistApp)
    await pilot.press("slash")
    await type_text(pilot, "kettle")
    await settle(pilot)
    await type_text(pilot, " cop")
    await settle(pilot)
    assert table_titles(app) == ["Copper Lines"]
    store_tracks(app.store, [{"title": "Cuivre", "label": "Kettle Audio", "path": "/autre.flac"}])
    view = library_view(app)
    asked, _ = view.searches
    await pilot.press(*["backspace"] * 4)  # back to "kettle", answered before
    # The fourth backspace's answer is shown without waiting for the library. (The library
    # watch may start one more search of its own meanwhile: the write above is a change.)
    assert view.searches[1] >= asked + 4
    await settle(pilot)
    assert sorted(table_titles(app)) == ["Copper Lines", "Cuivre", "Grachten (Dub)", "Szkło"]
    assert list(table(app).ids) == expected_ids(app, "kettle", "artist")
    assert status(app) == f"4 of {len(LIBRARY) + 1} tracks"


async def test_a_pasted_search_draws_its_first_tracks_from_the_library_in_order(
    tui_app: SetlistApp,
) -> None:
    """A search that does not narrow the last one looks for its first screenful among the
    whole library in the order shown (the empty search's answer), then confirms it against
    the library: both answers are the same tracks in the same order."""
    from app_testing import SIZE

    answers: list[TracksMatched] = []

    def hook(message: Message) -> None:
        if isinstance(message, TracksMatched):
            answers.append(message)

    async with tui_app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        view = library_view(tui_app)
        view.search_box.value = "kettle"
        await settle(pilot)
        asked, _ = view.searches
        view.search_box.value = "lowtide -afterglow"  # does not narrow "kettle"
        await settle(pilot)
        mine = [answer for answer in answers if answer.generation == asked + 1]
        expected = expected_ids(tui_app, "lowtide -afterglow", "artist")
        assert [(list(a.ids), a.complete) for a in mine] == [(expected, False), (expected, True)]
        assert set(mine[0].rows) == set(expected)  # drawn at once, without asking for rows
        assert sorted(table_titles(tui_app)) == ["Night Ferry", "Tidal Pull"]


async def test_typing_in_the_search_box_does_not_lay_the_screen_out_again(
    pilot: Pilot[None],
) -> None:
    """Input gives itself a new scrollable width at every change, and a new width lays the
    whole screen out again (6 ms for the first letter at 50,000 tracks): the search box
    keeps one width, from the empty box on, until its text outgrows it."""
    app = pilot.app
    assert isinstance(app, SetlistApp)
    box = library_view(app).search_box
    before = box.virtual_size
    await pilot.press("slash")
    await type_text(pilot, "n")
    assert box.virtual_size == before
    await type_text(pilot, "acht")
    assert box.virtual_size == before
    box.value = "x" * 300
    await pilot.pause()
    assert box.virtual_size.width > before.width
