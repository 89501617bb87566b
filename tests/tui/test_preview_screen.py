"""The transition preview in the app, with a real mpv: it plays each track's last N seconds
then the next one's first N, from the transition asked, and steps between transitions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from app_testing import settle, table
from playing_testing import TRACK_SECONDS, playable_library, position, running, wait_until
from textual.pilot import Pilot

from library.set_store import SetStore
from library.storage import Store
from setlist.playback import Segment
from setlist.settings import Settings
from setlist.tui.app import SetlistApp
from setlist.tui.screens.listen import ListenScreen
from setlist.tui.screens.preview import PreviewScreen
from setlist.tui.widgets.sets_view import SetsView

SECONDS = 2.0  # the setting preview_seconds, short so a segment ends quickly
TOLERANCE = 0.5  # a position read just after a segment started
SET = "Samedi à Tresor"


@pytest.fixture
async def pilot_with_set(
    tmp_path: Path, store: Store, settings_file: Path
) -> AsyncIterator[Pilot[None]]:
    """The app on the playable library with a set of its three tracks, in library order."""
    playable_library(tmp_path, store)
    async with running(store, Settings(preview_seconds=SECONDS), settings_file) as pilot:
        app: SetlistApp = pilot.app  # type: ignore[assignment]
        SetStore(store).create(SET)
        SetStore(store).add(SET, list(table(app).ids))
        yield pilot


def segment(app: SetlistApp) -> Segment | None:
    screen = app.screen
    return screen.current() if isinstance(screen, PreviewScreen) else None


def at(app: SetlistApp, transition: int, entry: int) -> bool:
    """Whether the preview plays that segment, and mpv has said where in it."""
    found, state = segment(app), app.playback.state()
    if found is None or state is None or state.position is None:
        return False
    return (found.transition, found.entry) == (transition, entry)


async def test_the_preview_plays_the_outro_then_the_intro_and_steps(
    pilot_with_set: Pilot[None],
) -> None:
    pilot = pilot_with_set
    app: SetlistApp = pilot.app  # type: ignore[assignment]
    app.action_preview_transitions(SET)
    await wait_until(pilot, lambda: at(app, 0, 0), "the first outro")
    assert position(app) == pytest.approx(TRACK_SECONDS - SECONDS, abs=TOLERANCE)
    await wait_until(pilot, lambda: "Transition 1 of 2: the end of" in now_line(app), "shown")
    await wait_until(pilot, lambda: at(app, 0, 1), "the first intro, after the outro")
    assert position(app) < SECONDS
    await wait_until(pilot, lambda: "Transition 1 of 2: the start of" in now_line(app), "shown")
    await pilot.press("n")
    await wait_until(pilot, lambda: at(app, 1, 1), "the second outro")
    assert position(app) == pytest.approx(TRACK_SECONDS - SECONDS, abs=TOLERANCE)
    await pilot.press("p")
    await wait_until(pilot, lambda: at(app, 0, 0), "back to the first outro")
    await pilot.press("escape")
    await settle(pilot)
    assert app.screen is app.main_screen
    assert app.playback.preview is None and app.playback.state() is None


def now_line(app: SetlistApp) -> str:
    return str(app.screen.query_one("#preview-now").render())


async def test_the_preview_starts_at_the_transition_asked(pilot_with_set: Pilot[None]) -> None:
    app: SetlistApp = pilot_with_set.app  # type: ignore[assignment]
    await pilot_with_set.press("ctrl+p")
    await settle(pilot_with_set)
    await pilot_with_set.press(*"preview", "enter")  # the palette's "Preview transitions: …"
    await wait_until(pilot_with_set, lambda: at(app, 0, 0), "the preview from the palette")
    await pilot_with_set.press("escape")
    await settle(pilot_with_set)
    app.action_preview_transitions(SET.upper(), 3)  # the last entry: the transition into it
    await wait_until(pilot_with_set, lambda: at(app, 1, 1), "the second transition")
    assert position(app) == pytest.approx(TRACK_SECONDS - SECONDS, abs=TOLERANCE)

    def marks() -> list[str]:
        lines = str(app.screen.query_one("#preview-transitions").render()).splitlines()
        return [line[:5] for line in lines]

    await wait_until(pilot_with_set, lambda: marks() == ["   1.", "▶  2."], "2 marked")


@pytest.mark.parametrize(
    ("name", "start", "said"),
    [
        ("Nulle part", 1, "no set named"),
        (SET, 4, "entry 4: the set has 3 entries"),
        (SET, 0, "entry 0: the set has 3 entries"),
    ],
)
async def test_a_preview_that_cannot_be_made_says_why(
    pilot_with_set: Pilot[None], name: str, start: int, said: str
) -> None:
    app: SetlistApp = pilot_with_set.app  # type: ignore[assignment]
    app.action_preview_transitions(name, start)
    await settle(pilot_with_set)
    await wait_until(pilot_with_set, lambda: app.screen is app.main_screen, "back")
    assert any(said in n.message.lower() for n in app._notifications)
    assert app.playback.state() is None


async def test_p_and_l_in_the_set_editor_preview_and_listen_from_the_sets_view(
    pilot_with_set: Pilot[None],
) -> None:
    pilot = pilot_with_set
    app: SetlistApp = pilot.app  # type: ignore[assignment]
    await pilot.press("3")
    app.main_screen.query_one(SetsView).library_changed()  # the set was made after the start
    await settle(pilot)
    await pilot.press("enter")  # open the set in the editor
    await settle(pilot)
    await pilot.press("down", "p")  # the second entry: the transition from it into the third
    await wait_until(pilot, lambda: at(app, 1, 1), "the preview from the selected entry")
    await pilot.press("escape")
    await settle(pilot)
    assert app.screen is app.main_screen
    await pilot.press("l")
    await settle(pilot)
    assert isinstance(app.screen, ListenScreen)
    await wait_until(pilot, lambda: app.playback.state() is not None, "the set playing")
    assert app.playback.queue == list(table(app).ids)  # the set holds them in library order
    assert app.playback.source == f"set {SET}"
