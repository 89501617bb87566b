"""Tagging while listening, with a real mpv: energy by digits, moods, a cue at the playing time,
the closer role and its note, each stored at once; listen mode through the results or a set."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from app_testing import settle, table, type_text
from factories import add_track
from playing_testing import (
    bar_text,
    playable_library,
    playing_id,
    position,
    running,
    wait_until,
)
from textual.pilot import Pilot

from library.notes import store as notes_store
from library.notes.model import TrackNotes
from library.set_store import SetStore
from library.storage import Store
from setlist.settings import Settings
from setlist.tui.app import SetlistApp
from setlist.tui.screens.listen import ListenScreen
from setlist.tui.screens.note_prompt import NotePrompt
from setlist.tui.screens.track_panel import TrackPanel

CUE_TOLERANCE = 0.5  # between the position read before `c` and the one `c` takes


@pytest.fixture
async def pilot_playing(
    tmp_path: Path, store: Store, settings_file: Path
) -> AsyncIterator[Pilot[None]]:
    """The app on the playable library, its first row playing."""
    playable_library(tmp_path, store)
    async with running(store, Settings(), settings_file) as pilot:
        app: SetlistApp = pilot.app  # type: ignore[assignment]
        await pilot.press("space")
        await wait_until(pilot, lambda: app.playback.playing is not None, "the track plays")
        yield pilot


def played(app: SetlistApp) -> int:
    """The id of the track playing, which there must be."""
    track_id = playing_id(app)
    assert track_id is not None
    return track_id


def shown(app: SetlistApp, selector: str) -> str:
    """The text of a widget of the screen on top ("" until that screen is composed)."""
    found = app.screen.query(selector)
    return str(found.first().render()) if found else ""


async def answer(pilot: Pilot[None], key: str, text: str, last: str = "enter") -> None:
    """Press `key`, type `text` into the prompt it opens, then `last` (enter, or escape)."""
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, NotePrompt), "the prompt")
    await type_text(pilot, text)
    await pilot.press(last)


async def saved(pilot: Pilot[None], track_id: int) -> TrackNotes:
    """The track's notes as stored, once the app has written what it staged."""
    app: SetlistApp = pilot.app  # type: ignore[assignment]
    await wait_until(pilot, lambda: app.playback.save_state == "saved", "the notes are saved")
    await settle(pilot)
    return notes_store.load(app.store, track_id)


async def test_digits_set_the_energy_and_it_is_stored(pilot_playing: Pilot[None]) -> None:
    app: SetlistApp = pilot_playing.app  # type: ignore[assignment]
    track_id = played(app)
    await pilot_playing.press("7")
    assert (await saved(pilot_playing, track_id)).energy == 7
    assert "energy 7" in bar_text(app) and bar_text(app).endswith("saved")
    await pilot_playing.press("0")
    await wait_until(pilot_playing, lambda: "energy 10" in bar_text(app), "energy 10 shown")
    assert (await saved(pilot_playing, track_id)).energy == 10
    assert [v.source for v in notes_store.history(app.store, track_id)] == ["app", "app"]
    assert app.screen is app.main_screen  # the digit did not switch views

    def listed_energy() -> int | None:  # the library table's row, fetched again once saved
        row = table(app)._rows.get(track_id)
        return None if row is None else row.energy

    await wait_until(pilot_playing, lambda: listed_energy() == 10, "the table shows energy 10")


async def test_c_puts_a_cue_at_the_playing_time(pilot_playing: Pilot[None]) -> None:
    app: SetlistApp = pilot_playing.app  # type: ignore[assignment]
    track_id = played(app)
    await pilot_playing.press("right", "right", "right")
    await wait_until(pilot_playing, lambda: position(app) >= 29.5, "30 s in")
    before = position(app)
    await answer(pilot_playing, "c", "les cloches")
    notes = await saved(pilot_playing, track_id)
    assert [cue.text for cue in notes.cues] == ["les cloches"]
    assert notes.cues[0].at == pytest.approx(before, abs=CUE_TOLERANCE)


async def test_escape_leaves_a_cue_unwritten(pilot_playing: Pilot[None]) -> None:
    app: SetlistApp = pilot_playing.app  # type: ignore[assignment]
    await answer(pilot_playing, "c", "rien", "escape")
    await settle(pilot_playing)
    track_id = played(app)
    assert notes_store.load(app.store, track_id).cues == []
    assert app.playback.save_state == ""


async def test_x_makes_a_closer_with_its_note_and_x_again_undoes_it(
    pilot_playing: Pilot[None],
) -> None:
    app: SetlistApp = pilot_playing.app  # type: ignore[assignment]
    track_id = played(app)
    await answer(pilot_playing, "x", "fin de nuit, lumières")
    notes = await saved(pilot_playing, track_id)
    assert notes.roles == ["closer"]
    assert notes.closing_note == "fin de nuit, lumières"
    await pilot_playing.press("x")
    notes = await saved(pilot_playing, track_id)
    assert notes.roles == []
    assert notes.closing_note == "fin de nuit, lumières"  # kept, for when it closes again


async def test_m_adds_a_mood_completed_from_those_in_use(pilot_playing: Pilot[None]) -> None:
    app: SetlistApp = pilot_playing.app  # type: ignore[assignment]
    track_id = played(app)
    other = next(i for i in table(app).ids if i != track_id)
    notes_store.save(app.store, other, TrackNotes(moods=["mélancolique"]))
    await pilot_playing.press("n")  # the next track: the moods in use are read again
    await wait_until(pilot_playing, lambda: "mélancolique" in app.playback.moods, "moods read")
    track_id = played(app)
    await answer(pilot_playing, "m", "mél", "right")  # → takes the suggestion
    await pilot_playing.press("enter")
    assert (await saved(pilot_playing, track_id)).moods == ["mélancolique"]
    await answer(pilot_playing, "m", "-mélancolique")
    await wait_until(pilot_playing, lambda: "mélancolique" not in bar_text(app), "mood gone")
    assert (await saved(pilot_playing, track_id)).moods == []


async def test_listen_mode_goes_through_the_results(pilot_playing: Pilot[None]) -> None:
    app: SetlistApp = pilot_playing.app  # type: ignore[assignment]
    ids = list(table(app).ids)
    await pilot_playing.press("l")
    await wait_until(
        pilot_playing,
        lambda: shown(app, "#listen-queue") == "Listen · search results · track 1 of 3",
        "listen mode",
    )
    listening = app.screen
    assert isinstance(listening, ListenScreen)
    assert playing_id(app) == ids[0]  # the track playing goes on
    await pilot_playing.press("5", "n")
    await wait_until(pilot_playing, lambda: playing_id(app) == ids[1], "the next track")
    await wait_until(
        pilot_playing, lambda: notes_store.load(app.store, ids[0]).energy == 5, "energy stored"
    )
    await wait_until(
        pilot_playing,
        lambda: "track 2 of 3" in shown(app, "#listen-queue"),
        "the queue place shown",
    )
    await pilot_playing.press("escape")
    await settle(pilot_playing)
    assert app.screen is app.main_screen and playing_id(app) == ids[1]


async def test_listen_mode_through_a_set(pilot_playing: Pilot[None]) -> None:
    app: SetlistApp = pilot_playing.app  # type: ignore[assignment]
    ids = list(table(app).ids)
    sets = SetStore(app.store)
    sets.create("Vendredi à la Melkweg")
    sets.add("Vendredi à la Melkweg", [ids[2], ids[0]])
    app.action_listen_set("vendredi à la melkweg")
    await wait_until(pilot_playing, lambda: playing_id(app) == ids[2], "the set's first track")
    await wait_until(
        pilot_playing,
        lambda: shown(app, "#listen-queue") == "Listen · set Vendredi à la Melkweg · track 1 of 2",
        "the set's queue shown",
    )
    (track,) = app.store.tracks("id = ?", (ids[2],))
    await wait_until(
        pilot_playing,
        lambda: shown(app, "#listen-track") == f"{track.artist} – {track.title}",
        "the set's first track shown",
    )
    await pilot_playing.press("n")
    await wait_until(pilot_playing, lambda: playing_id(app) == ids[0], "the set's second track")


async def test_an_unknown_set_is_said_and_nothing_changes(pilot_playing: Pilot[None]) -> None:
    app: SetlistApp = pilot_playing.app  # type: ignore[assignment]
    before = playing_id(app)
    app.action_listen_set("Nulle part")
    await wait_until(pilot_playing, lambda: app.screen is app.main_screen, "back")
    await settle(pilot_playing)
    assert any("Nulle part" in n.message for n in app._notifications)
    assert playing_id(app) == before


async def test_keys_build_on_notes_changed_elsewhere_meanwhile(pilot_playing: Pilot[None]) -> None:
    """Notes changed while the track panel was open (here: by another writer) are read again
    when it closes, so the next key adds to them instead of writing over them."""
    app: SetlistApp = pilot_playing.app  # type: ignore[assignment]
    track_id = played(app)
    await pilot_playing.press("enter")
    await settle(pilot_playing)
    assert isinstance(app.screen, TrackPanel)
    notes_store.save(app.store, track_id, TrackNotes(moods=["brumeux"]), source="app")
    await pilot_playing.press("escape")
    await wait_until(
        pilot_playing,
        lambda: app.playback.playing is not None and app.playback.playing.notes.moods != [],
        "the notes read again",
    )
    await pilot_playing.press("4")
    notes = await saved(pilot_playing, track_id)
    assert (notes.moods, notes.energy) == (["brumeux"], 4)


async def test_at_the_end_of_the_queue_space_plays_the_last_track_again(
    pilot_playing: Pilot[None], audio_copy: Callable[..., Path]
) -> None:
    app: SetlistApp = pilot_playing.app  # type: ignore[assignment]
    short = audio_copy("full.mp3", "musique/court-été.mp3")  # 1 s
    track_id = add_track(app.store, path=bytes(short), format="mp3", duration=1.07)
    SetStore(app.store).create("Un seul")
    SetStore(app.store).add("Un seul", [track_id])
    app.action_listen_set("Un seul")

    await wait_until(
        pilot_playing, lambda: shown(app, "#listen-track") == "Stopped: space plays it again", "end"
    )
    assert app.playback.playing is None
    await pilot_playing.press("space")
    await wait_until(pilot_playing, lambda: playing_id(app) == track_id, "played again")
