"""The track panel's notes editor: every kind of note, saved as it is made, checked in the
database (while the panel is open, after it closes, and after the app exits)."""

from __future__ import annotations

import pytest
from app_testing import SIZE, open_track_panel, screen_lines, settle, table, type_text
from textual.pilot import Pilot
from textual.widgets import Input, Select

from library.notes import store as notes_store
from library.notes.model import TrackNotes
from library.storage import Store
from setlist.settings import Settings
from setlist.tui.app import SetlistApp
from setlist.tui.screens import track_panel
from setlist.tui.screens.track_panel import TrackPanel
from setlist.tui.widgets.note_fields import CueRow, MoodChip

# The library opens sorted by artist: its first track is Aoife Ní Bhriain – Tidal Pull (5:51).


def first_track(pilot: Pilot[None]) -> int:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    return table(app).ids[0]


def stored(pilot: Pilot[None], track_id: int) -> TrackNotes:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    return notes_store.load(app.store, track_id)


def panel(pilot: Pilot[None]) -> TrackPanel:
    screen = pilot.app.screen
    assert isinstance(screen, TrackPanel)
    return screen


async def test_energy_by_digits_saved_at_once(pilot: Pilot[None]) -> None:
    track = first_track(pilot)
    await open_track_panel(pilot)
    assert panel(pilot).saved_state == ""  # nothing changed yet
    await pilot.press("7")
    await settle(pilot)
    assert stored(pilot, track).energy == 7
    assert panel(pilot).saved_state == "saved"
    assert "▮▮▮▮▮▮▮▯▯▯  7" in "\n".join(screen_lines(pilot.app))
    await pilot.press("0")
    await settle(pilot)
    assert stored(pilot, track).energy == 10
    await pilot.press("x")
    await settle(pilot)
    assert stored(pilot, track).energy is None
    versions = notes_store.history(pilot.app.store, track)  # type: ignore[attr-defined]
    assert [version.source for version in versions] == ["app", "app", "app"]


async def test_role_keys_toggle_roles(pilot: Pilot[None]) -> None:
    track = first_track(pilot)
    await open_track_panel(pilot)
    await pilot.press("c", "o", "d")
    await settle(pilot)
    assert stored(pilot, track).roles == ["opener", "breakdown", "closer"]
    await pilot.press("o")
    await settle(pilot)
    assert stored(pilot, track).roles == ["breakdown", "closer"]
    await pilot.press("escape")
    await settle(pilot)
    assert "DC" in "\n".join(screen_lines(pilot.app))  # the role marks in the library


async def test_moods_added_with_completion_and_removed_as_chips(pilot: Pilot[None]) -> None:
    track = first_track(pilot)  # its tags hold the mood "dark"
    await open_track_panel(pilot)
    await pilot.press("m")
    assert pilot.app.focused is pilot.app.screen.query_one("#mood-input")
    await type_text(pilot, "hau")
    await pilot.press("right", "enter")  # "haunting" is in use: → takes the completion
    await settle(pilot)
    assert stored(pilot, track).moods == ["dark", "haunting"]
    await type_text(pilot, "Late  Night")
    await pilot.press("enter")
    await settle(pilot)
    assert stored(pilot, track).moods == ["dark", "haunting", "late night"]
    chips = list(pilot.app.screen.query(MoodChip))
    assert [chip.mood for chip in chips] == ["dark", "haunting", "late night"]
    chips[0].focus()
    await pilot.press("delete")
    await settle(pilot)
    assert stored(pilot, track).moods == ["haunting", "late night"]
    await pilot.click(MoodChip)  # a click on a chip removes it too
    await settle(pilot)
    assert stored(pilot, track).moods == ["late night"]


async def test_a_bad_mood_is_refused_with_its_reason(pilot: Pilot[None]) -> None:
    track = first_track(pilot)
    await open_track_panel(pilot)
    await pilot.press("m")
    await type_text(pilot, "a;b")
    await pilot.press("enter")
    await settle(pilot)
    assert "a mood cannot hold ';'" in "\n".join(screen_lines(pilot.app))
    assert stored(pilot, track).moods == ["dark"]  # as the tags say: nothing was stored
    assert notes_store.history(pilot.app.store, track) == []  # type: ignore[attr-defined]


async def choose(pilot: Pilot[None], select_id: str, steps: int) -> None:
    """Open a Select, move down `steps` options from the current one, and pick it."""
    select = pilot.app.screen.query_one(select_id, Select)
    select.focus()
    await pilot.press("enter", *["down"] * steps, "enter")
    await settle(pilot)


async def test_rating_and_colour_from_their_lists(pilot: Pilot[None]) -> None:
    track = first_track(pilot)
    await open_track_panel(pilot)
    await choose(pilot, "#rating", 5)  # no rating, 0, 1, 2, 3, 4
    assert stored(pilot, track).rating == 4
    await choose(pilot, "#colour", 8)  # no colour, pink ... purple
    assert stored(pilot, track).colour == "purple"


async def test_closing_note_and_text_are_kept_exactly_and_saved_on_close(
    pilot: Pilot[None],
) -> None:
    track = first_track(pilot)
    await open_track_panel(pilot)
    await pilot.press("n")
    await type_text(pilot, "après 5h [b]")
    assert panel(pilot).saved_state == "editing…"  # written once typing pauses
    assert stored(pilot, track).closing_note == ""
    await pilot.press("escape", "t")  # out of the box (the panel stays), into the text
    assert isinstance(pilot.app.screen, TrackPanel)
    await type_text(pilot, "ligne 1")
    await pilot.press("enter")
    await type_text(pilot, "=1+1 [@click=app.quit]")
    await pilot.press("escape", "escape")  # leave the box, close the panel: written now
    await settle(pilot)
    assert not isinstance(pilot.app.screen, TrackPanel)
    notes = stored(pilot, track)
    assert notes.closing_note == "après 5h [b]"
    assert notes.text == "ligne 1\n=1+1 [@click=app.quit]"


async def test_typed_text_is_written_when_typing_pauses(
    pilot: Pilot[None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(track_panel, "TYPING_PAUSE", 0.001)  # a Timer of 0 divides by 0
    track = first_track(pilot)
    await open_track_panel(pilot)
    await pilot.press("t")
    await type_text(pilot, "fin")
    for _ in range(20):  # the pause's timer, then the write it starts (bounded)
        await settle(pilot)
        if panel(pilot).saved_state != "editing…":
            break
    await settle(pilot)
    assert stored(pilot, track).text == "fin"
    assert panel(pilot).saved_state == "saved"
    assert isinstance(pilot.app.screen, TrackPanel)


async def test_cues_added_removed_and_refused(pilot: Pilot[None]) -> None:
    track = first_track(pilot)  # 5:51 long
    await open_track_panel(pilot)
    await pilot.press("u")
    await type_text(pilot, "1:05")
    await pilot.press("enter")  # on to the cue's text
    await type_text(pilot, "les cloches")
    await pilot.press("enter")
    await settle(pilot)
    assert [(c.at, c.text) for c in stored(pilot, track).cues] == [(65.0, "les cloches")]
    await type_text(pilot, "1:6x")
    await pilot.press("enter", "enter")
    await settle(pilot)
    screen = "\n".join(screen_lines(pilot.app))
    assert "expected m:ss" in screen
    pilot.app.screen.query_one("#cue-at", Input).value = "9:00"
    await pilot.press("enter", "enter")  # on to the (empty) text, then add
    await settle(pilot)
    assert "past the end of the track (5:51)" in "\n".join(screen_lines(pilot.app))
    assert len(stored(pilot, track).cues) == 1  # nothing wrong was stored
    await pilot.click(f"{CueRow.__name__} Button")
    await settle(pilot)
    assert stored(pilot, track).cues == []


async def test_what_is_typed_is_added_when_the_panel_closes(pilot: Pilot[None]) -> None:
    track = first_track(pilot)
    await open_track_panel(pilot)
    await pilot.press("m")
    await type_text(pilot, "brumeux")
    await pilot.press("escape", "escape")  # not entered: added as the panel closes
    await settle(pilot)
    assert stored(pilot, track).moods == ["brumeux", "dark"]


async def test_nothing_typed_is_lost_when_the_app_quits(tui_library: Store) -> None:
    app = SetlistApp(tui_library, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        track = table(app).ids[0]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t")
        await type_text(pilot, "tapé puis quitté")
        await pilot.press("ctrl+q")  # from inside the text box, before the typing pause
    assert notes_store.load(tui_library, track).text == "tapé puis quitté"


async def test_notes_are_shown_as_stored(tui_library: Store) -> None:
    track = tui_library.track_ids()[0]
    notes = TrackNotes(
        moods=["[@click=app.quit]x"], energy=3, roles=["peak"], closing_note="fin\nbis",
        text="[b]gras[/b]\x1b[31m", rating=2, colour="aqua", cues=[{"at": 5, "text": "[i]"}],
    )  # fmt: skip
    notes_store.save(tui_library, track, notes)
    app = SetlistApp(tui_library, Settings(library_sort="added"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = "\n".join(screen_lines(app))
        for shown in (
            "[@click=app.quit]x ×",
            "▮▮▮▯",
            "★★☆☆☆",
            "aqua",
            "0:05",
            "[i]",
            "[b]gras[/b]",
        ):
            assert shown in screen, shown
        assert "\x1b" not in screen
        assert app.is_running
        await pilot.press("escape")
        await settle(pilot)
    assert notes_store.load(tui_library, track).content() == notes.content()  # untouched
