"""What the app's playback tests share: a library of real, playable MP3s, and bounded waits.

The tracks are the demo loop repeated (`playback_testing.long_mp3`: a minute each, seekable),
stored as a scan stores them, in a real SQLite file. Waiting polls the app with short pilot
pauses up to a deadline; the assertion is always on what the app shows or stored.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from app_testing import SIZE, settle
from conftest import require_mpv
from factories import add_track
from playback_testing import LOOP_SECONDS, long_mp3
from textual.pilot import Pilot

from library.storage import Store
from setlist.settings import Settings
from setlist.tui.app import SetlistApp
from setlist.tui.widgets.now_playing import NowPlayingBar

LOOPS = 8
TRACK_SECONDS = LOOP_SECONDS * LOOPS  # about a minute
# (artist, title): the second is hostile markup that must show as written.
TRACKS = (
    ("Jun Takeda", "階段 (Stairwell)"),
    ("[@click=app.quit]Ødegaard", "[bold red]Fjord[/] Engine"),
    ("Halima Yusuf", "Low Orbit"),
)
WAIT_SECONDS = 15.0  # mpv starts and seeks in well under a second; a loaded CI machine...


def playable_library(tmp_path: Path, store: Store) -> list[int]:
    """Store TRACKS, each a real one-minute MP3 in tmp_path; return their ids in order."""
    ids = []
    for number, (artist, title) in enumerate(TRACKS):
        path = long_mp3(tmp_path / "musique" / f"{number}-été.mp3", LOOPS)
        ids.append(
            add_track(
                store,
                path=bytes(path),
                format="mp3",
                codec="mp3",
                artist=artist,
                title=title,
                duration=TRACK_SECONDS,
                moods=[],
            )
        )
    return ids


@asynccontextmanager
async def running(
    store: Store, settings: Settings, settings_file: Path | None = None
) -> AsyncIterator[Pilot[None]]:
    """The app on `store` with a real mpv at hand (skipped without one), its search done."""
    require_mpv()
    app = SetlistApp(store, settings, settings_path=settings_file)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        yield pilot


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], what: str, seconds: float = WAIT_SECONDS
) -> None:
    """Let the app run until `condition()` holds; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:g} s: {what}")
        await pilot.pause(0.05)


def bar_text(app: SetlistApp) -> str:
    """What the now-playing bar of the screen on top says ("" when hidden)."""
    bars = app.screen.query(NowPlayingBar)
    return bars.first().text if bars else ""


def position(app: SetlistApp) -> float:
    state = app.playback.state()
    assert state is not None and state.position is not None
    return state.position


def playing_id(app: SetlistApp) -> int | None:
    """The id of the track playing (None: none)."""
    playing = app.playback.playing
    return None if playing is None else playing.track_id


def notifications(app: SetlistApp) -> list[str]:
    """The messages of the notifications shown so far."""
    return [notification.message for notification in app._notifications]
