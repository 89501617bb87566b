"""The app around the views: the command palette, themes, settings, and how it is opened."""

from __future__ import annotations

from pathlib import Path

from app_testing import LIBRARY, SIZE, screen_lines, settle, status, table, type_text
from textual.command import CommandPalette
from textual.pilot import Pilot

from library.storage import Store
from setlist.settings import Settings, load_settings, save_settings
from setlist.tui.app import SetlistApp, create_app
from setlist.tui.screens.help import HelpScreen
from setlist.tui.screens.scan_dialog import ScanDialog


async def run_palette(pilot: Pilot[None], text: str) -> None:
    await pilot.press("ctrl+p")
    assert isinstance(pilot.app.screen, CommandPalette)
    await type_text(pilot, text)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_the_command_palette_runs_a_view_action(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    await run_palette(pilot, "sort by bpm, descending")
    assert table(app).sort == "-bpm"
    bpms = [track.bpm for track in app.store.tracks() if track.bpm]
    first = app.store.tracks("id = ?", [table(app).ids[0]])[0]
    assert first.bpm == max(bpms)


async def test_the_command_palette_offers_every_action(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    titles = {command.title for command in app.palette_commands(app.screen)}
    assert {"Scan folders…", "Keys", "Theme…", "Quit", "Show library", "Search the library"} <= (
        titles
    )
    assert {"Sort by bpm", "Sort by key", "Sort by length, descending"} <= titles
    await run_palette(pilot, "keys")
    assert isinstance(app.screen, HelpScreen)
    await pilot.press("escape")
    await run_palette(pilot, "scan folders")
    assert isinstance(app.screen, ScanDialog)


async def test_a_picked_theme_is_used_and_remembered(
    pilot: Pilot[None], settings_file: Path
) -> None:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    await pilot.press("ctrl+t")
    await type_text(pilot, "nord")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert app.theme == "nord"
    assert load_settings(settings_file).theme == "nord"


async def test_the_app_opens_in_the_remembered_theme_and_order(
    tui_library: Store, settings_file: Path
) -> None:
    save_settings(Settings(theme="gruvbox", library_sort="-title"), settings_file)
    app = create_app(tui_library.path, settings_file=settings_file)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            assert app.theme == "gruvbox"
            assert table(app).sort == "-title"
            assert any("Title▼" in line for line in screen_lines(app))
    finally:
        app.store.close()


async def test_a_bad_settings_file_gives_defaults_a_notice_and_is_left_alone(
    tui_library: Store, settings_file: Path
) -> None:
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text("theme = 'nord'\ncolour = 'rouge'\n", encoding="utf-8")
    app = create_app(tui_library.path, settings_file=settings_file)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            assert app.settings == Settings()
            text = "\n".join(screen_lines(app))
            assert "unknown setting 'colour'" in text
            await pilot.press("S")  # a change that would be saved...
            await settle(pilot)
    finally:
        app.store.close()
    # ...is not written over the file the user has to fix.
    assert settings_file.read_text(encoding="utf-8") == "theme = 'nord'\ncolour = 'rouge'\n"


async def test_an_unknown_theme_in_the_settings_is_reported(
    tui_library: Store, settings_file: Path
) -> None:
    save_settings(Settings(theme="no-such-théme"), settings_file)
    app = create_app(tui_library.path, settings_file=settings_file)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            assert app.theme == "textual-dark"
            assert any("unknown theme 'no-such-théme'" in line for line in screen_lines(app))
    finally:
        app.store.close()


async def test_create_app_opens_the_library_the_cli_names(
    tmp_path: Path, tui_library: Store, settings_file: Path
) -> None:
    """`setlist --db PATH` builds its app with create_app(PATH): the same, run headless."""
    app = create_app(tui_library.path, settings_file=settings_file)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            assert app.store.path == tui_library.path
            assert status(app) == f"{len(LIBRARY)} of {len(LIBRARY)} tracks"
            await pilot.press("q")
        assert app.return_code == 0
    finally:
        app.store.close()


async def test_the_app_eases_the_garbage_collector_while_it_runs_and_gives_it_back(
    tui_app: SetlistApp,
) -> None:
    """Full collections paused the app 6-50 ms now and then (see `_freeze_startup_objects`):
    while it runs, what start-up made is frozen and full passes are ten times rarer; once it
    has run, the process's collector is as it was (tests and embedding programs go on)."""
    import gc

    from setlist.tui.app import FULL_COLLECTION_EVERY

    before = gc.get_threshold()
    async with tui_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (*before[:2], FULL_COLLECTION_EVERY)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
