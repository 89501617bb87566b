"""The app shows what other processes change in its library: a note written and a scan run
by the real `setlist` command in another process, while the app runs.

The app notices by itself (its watch looks at the library's data version every 1.5 s, and
on focus); the test only waits for it, a bounded number of short pauses of the app.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

from app_testing import SIZE, settle, status, table, table_titles, type_text
from processes import READABLE, run
from textual import events
from textual.pilot import Pilot

from setlist.tui.app import SetlistApp
from setlist.tui.library_watch import LibraryWatch

PATIENCE = 150  # pauses of 0.1 s: ten times the watch's interval


async def command(*args: str) -> None:
    """`setlist ARGS...` in another process, while the app goes on running."""
    done = await asyncio.to_thread(run, *args)
    assert done.returncode == 0, done.stderr


async def until(pilot: Pilot[Any], app: SetlistApp, shown: str) -> None:
    """Let the app run until its status line reads `shown` (bounded)."""
    for _ in range(PATIENCE):
        if status(app) == shown:
            return
        await pilot.pause(0.1)
    raise AssertionError(f"status {status(app)!r}, still not {shown!r}")


async def test_a_note_written_by_another_process_shows(tui_app: SetlistApp) -> None:
    app, db = tui_app, str(tui_app.store.path)
    async with tui_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "mood:hanté")
        await settle(pilot)
        assert status(app) == "0 of 10 tracks"
        await pilot.press("escape")
        await command("--db", db, "note", "3", "--mood", "Hanté", "--energy", "8")
        await until(pilot, app, "1 of 10 tracks")
        assert list(table(app).ids) == [3]
        assert table_titles(app) == ["Szkło"]


async def test_a_scan_by_another_process_shows_and_the_selection_stays(
    tui_app: SetlistApp, tmp_path: Path
) -> None:
    app, db = tui_app, str(tui_app.store.path)
    music = tmp_path / "caisse à disques"
    music.mkdir()
    for source in READABLE[:3]:
        shutil.copyfile(source, music / source.name)
    async with tui_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        selected = table(app).selected_id
        assert status(app) == "10 of 10 tracks"
        await command("--db", db, "scan", str(music))
        await until(pilot, app, "13 of 13 tracks")
        assert table(app).selected_id == selected


async def test_the_app_looks_when_it_gets_the_focus_back(tui_app: SetlistApp) -> None:
    app, db = tui_app, str(tui_app.store.path)
    app.library_watch = LibraryWatch(app, app.store, interval=3600)  # no timer in the test
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "notes:tard")
        await settle(pilot)
        await command("--db", db, "note", "5", "--text", "à jouer tard")
        await settle(pilot)
        assert status(app) == "0 of 10 tracks"  # not looked yet
        app.post_message(events.AppFocus())
        await until(pilot, app, "1 of 10 tracks")
