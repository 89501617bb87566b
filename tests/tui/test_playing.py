"""Playing in the app with a real mpv (SETLIST_AUDIO_OUTPUT=null): space, the now-playing
bar, pause, seek, next, and mpv gone once the app has ended, however it ended."""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator, Callable
from functools import partial
from pathlib import Path

import pytest
from app_testing import SIZE, screen_lines, settle, table
from conftest import require_mpv
from factories import add_track
from playback_testing import process_ended
from playing_testing import (
    TRACK_SECONDS,
    bar_text,
    notifications,
    playable_library,
    playing_id,
    position,
    running,
    wait_until,
)
from textual.pilot import Pilot

from library.storage import Store
from setlist.settings import Settings
from setlist.tui.app import SetlistApp
from setlist.tui.playing_commands import playing_commands
from setlist.tui.widgets.now_playing import clock

SEEK_TOLERANCE = 0.75  # seeks are exact; the clock runs on while we look


@pytest.fixture
def playable(tmp_path: Path, store: Store) -> list[int]:
    return playable_library(tmp_path, store)


@pytest.fixture
async def playing_app(
    store: Store, playable: list[int], settings_file: Path
) -> AsyncIterator[Pilot[None]]:
    """The app on the playable library, its first track selected (sorted by artist)."""
    async with running(store, Settings(), settings_file) as pilot:
        yield pilot


def track_id_at(app: SetlistApp, row: int) -> int:
    return table(app).ids[row]


def name_at(app: SetlistApp, row: int) -> str:
    """`Artist – Title` of the track at `row` of the library's table."""
    (track,) = app.store.tracks("id = ?", (track_id_at(app, row),))
    return f"{track.artist} – {track.title}"


def plays(app: SetlistApp, track_id: int) -> bool:
    return playing_id(app) == track_id


async def start_playing(pilot: Pilot[None]) -> SetlistApp:
    app: SetlistApp = pilot.app  # type: ignore[assignment]
    await pilot.press("space")
    await wait_until(pilot, lambda: app.playback.playing is not None, "the track plays")
    return app


async def test_space_plays_the_selected_track_and_the_bar_follows_the_time(
    playing_app: Pilot[None],
) -> None:
    app = await start_playing(playing_app)
    assert app.playback.playing is not None
    assert app.playback.playing.track_id == track_id_at(app, 0)
    # Hostile tag text is shown as written, never as markup or an action.
    assert name_at(app, 0) == "[@click=app.quit]Ødegaard – [bold red]Fjord[/] Engine"
    length = clock(TRACK_SECONDS)
    assert bar_text(app).startswith(f"▶ {name_at(app, 0)}  0:00 / {length}  ·  energy –")
    await wait_until(playing_app, lambda: f"0:01 / {length}" in bar_text(app), "the bar at 0:01")
    drawn = screen_lines(app)
    assert drawn[-2].startswith(f" ▶ {name_at(app, 0)}  0:0")  # on screen, above the footer


async def test_space_again_pauses_and_resumes(playing_app: Pilot[None]) -> None:
    app = await start_playing(playing_app)
    await playing_app.press("space")
    await wait_until(playing_app, lambda: bar_text(app).startswith("⏸"), "the bar says paused")
    held = position(app)
    for _ in range(6):  # the position stays while paused
        await playing_app.pause(0.05)
    assert position(app) == pytest.approx(held, abs=0.05)
    await playing_app.press("space")
    await wait_until(playing_app, lambda: position(app) > held + 0.2, "playing again")
    assert bar_text(app).startswith("▶")


async def test_the_arrows_seek_ten_seconds(playing_app: Pilot[None]) -> None:
    app = await start_playing(playing_app)
    await playing_app.press("right", "right")
    await wait_until(playing_app, lambda: position(app) >= 19.5, "20 s on")
    assert position(app) < 20 + SEEK_TOLERANCE
    await wait_until(playing_app, lambda: "0:2" in bar_text(app), "the bar at 0:2x")
    await playing_app.press("left")
    await wait_until(playing_app, lambda: position(app) < 15, "10 s back")
    assert position(app) == pytest.approx(10, abs=SEEK_TOLERANCE + 0.5)


async def test_n_plays_the_next_row_and_the_last_one_says_so(playing_app: Pilot[None]) -> None:
    app = await start_playing(playing_app)
    for row in (1, 2):
        await playing_app.press("n")
        await wait_until(playing_app, partial(plays, app, track_id_at(app, row)), f"row {row}")
        assert bar_text(app).startswith(f"▶ {name_at(app, row)}  ")
        assert table(app).cursor == row  # the selection follows the track playing
    await playing_app.press("n")
    await settle(playing_app)
    assert "That was the last track of the queue." in notifications(app)
    assert app.is_running


async def test_space_on_another_row_plays_that_one(playing_app: Pilot[None]) -> None:
    app = await start_playing(playing_app)
    await playing_app.press("down", "space")
    second = track_id_at(app, 1)
    await wait_until(playing_app, lambda: playing_id(app) == second, "the second row plays")


async def test_mpv_is_gone_after_the_app_quits(store: Store, playable: list[int]) -> None:
    require_mpv()
    app = SetlistApp(store, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await start_playing(pilot)
        pid = app.playback.pid
        assert pid is not None
        await pilot.press("q")
    assert process_ended(pid, 5)


class Boom(Exception):
    """What goes wrong inside the app in the crash test."""


async def test_mpv_is_gone_after_the_app_fails(store: Store, playable: list[int]) -> None:
    require_mpv()
    app = SetlistApp(store, Settings())
    pid = None

    def explode() -> None:
        raise Boom("a bug in a handler")

    with pytest.raises(Boom):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await start_playing(pilot)
            pid = app.playback.pid
            app.call_later(explode)
            await pilot.pause()
    assert pid is not None
    assert process_ended(pid, 5)


async def test_without_mpv_the_app_says_so_once_and_works_on(
    tmp_path: Path, store: Store, playable: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin-sans-mpv"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    app = SetlistApp(store, Settings())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await wait_until(pilot, lambda: app.playback.unavailable is not None, "no mpv")
        await pilot.press("space", "down", "space")
        await settle(pilot)
        said = [text for text in notifications(app) if "mpv" in text]
        assert len(said) == 1
        assert "apt-get install mpv" in said[0] and "brew install mpv" in said[0]
        assert app.playback.playing is None
        assert not app.screen.query_one("#now-playing").display
        palette = [command.title for command in playing_commands(app)]
        assert palette == ["Why is there no playback?"]
        assert table(app).cursor == 1  # the keys of the library still work
        await pilot.press("slash", "y", "u", "s", "u", "f", "enter")
        await settle(pilot)
        assert name_at(app, 0) == "Halima Yusuf – Low Orbit"


def test_the_app_has_no_mpv_until_something_plays(store: Store) -> None:
    """Opening the app starts no mpv: it costs nothing to people who never play."""
    app = SetlistApp(store, Settings())
    assert app.playback.pid is None
    assert "SETLIST_AUDIO_OUTPUT" in os.environ  # the tests play silently (conftest)
    assert TRACK_SECONDS > 50


async def test_at_the_end_of_a_track_the_next_one_plays(
    store: Store, settings_file: Path, audio_copy: Callable[..., Path], tmp_path: Path
) -> None:
    short = audio_copy("full.mp3", "musique/court-été.mp3")  # 1 s
    first = add_track(store, path=bytes(short), format="mp3", artist="0 Ärger", duration=1.07)
    ids = [first, *playable_library(tmp_path, store)]
    async with running(store, Settings(), settings_file) as pilot:
        app: SetlistApp = pilot.app  # type: ignore[assignment]
        row = list(table(app).ids).index(first)
        table(app).move_cursor(row)
        await start_playing(pilot)
        following = table(app).ids[row + 1]
        await wait_until(pilot, lambda: playing_id(app) == following, "the next one on its own")
        assert following in ids


async def test_a_track_whose_file_is_gone_is_said_and_n_goes_past_it(
    store: Store, settings_file: Path, tmp_path: Path
) -> None:
    gone = add_track(store, path="/musique/disparu-ø.mp3".encode(), artist="0 Ärger")
    playable_library(tmp_path, store)
    async with running(store, Settings(), settings_file) as pilot:
        app: SetlistApp = pilot.app  # type: ignore[assignment]
        row = list(table(app).ids).index(gone)
        table(app).move_cursor(row)
        await pilot.press("space")
        await wait_until(
            pilot,
            lambda: any("/musique/disparu-ø.mp3" in text for text in notifications(app)),
            "the missing file said",
        )
        assert app.playback.playing is None and app.is_running
        await pilot.press("n")
        following = table(app).ids[row + 1]
        await wait_until(pilot, lambda: playing_id(app) == following, "the next one plays")


async def test_when_mpv_is_killed_the_app_says_so_and_space_starts_another(
    playing_app: Pilot[None],
) -> None:
    app = await start_playing(playing_app)
    pid = app.playback.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    await wait_until(
        playing_app,
        lambda: any("mpv stopped unexpectedly" in text for text in notifications(app)),
        "the app says mpv stopped",
    )
    assert app.playback.playing is None and not bar_text(app)
    await start_playing(playing_app)
    assert app.playback.pid not in (None, pid)
