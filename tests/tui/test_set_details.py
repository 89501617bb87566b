"""The Sets view's `f` (the set's details) and `t` (the transition note into an entry), on a
real library database: what is typed is stored, checked like the CLI checks it, and shown."""

from __future__ import annotations

import datetime as dt

from app_testing import screen_lines, settle
from sets_testing import (
    SET_NAME,
    Running,
    editor,
    notices,
    open_the_set,
    running_app,  # noqa: F401  (the fixture `running`)
    sets_view,
)
from textual.widgets import Input, Static

from library.set_store import SetStore
from setlist.tui.screens.note_prompt import NotePrompt
from setlist.tui.screens.set_details import SetDetailsDialog

HOSTILE_NOTE = "[@click=app.quit]Échos[/]\nfiltre à 3 [b]x"


def _fill(running: Running, **values: str) -> None:
    """Type `values` into the details dialog's boxes (by field: target, venue...)."""
    for key, value in values.items():
        running.app.screen.query_one(f"#{key}", Input).value = value


def _text(running: Running) -> str:
    return "\n".join(screen_lines(running.app))


async def test_f_edits_the_sets_details_and_the_totals_follow(running: Running) -> None:
    pilot, app = running.pilot, running.app
    await open_the_set(pilot)
    await pilot.press("f")
    dialog = app.screen
    assert isinstance(dialog, SetDetailsDialog)
    boxes = {key: dialog.query_one(f"#{key}", Input).value for key in ("target", "venue", "date")}
    assert boxes == {"target": "60", "venue": "Café Dëcor", "date": ""}  # pre-filled
    _fill(running, target="30", venue="Tresor [Keller]", date="2026-12-31")
    _fill(running, description="Dunkel, dann hell =1+1")
    await pilot.press("enter")
    await settle(pilot)
    stored = SetStore(app.store).get(SET_NAME)
    assert (stored.target_minutes, stored.date) == (30, dt.date(2026, 12, 31))
    assert stored.venue == "Tresor [Keller]"
    assert stored.description == "Dunkel, dann hell =1+1"
    assert [entry.track_id for entry in stored.entries] == running.ids[:5]  # entries kept
    text = _text(running)
    assert "Total 33:54 of a 30:00 target (3:54 over)" in text
    assert f"Set '{SET_NAME}' · Tresor [Keller] · 2026-12-31" in text
    assert "33:54/30:00" in text  # the list of sets
    assert f"Changed the details of '{SET_NAME}'" in notices(app)[-1]
    # Emptied, the target and the date are cleared, as `sets edit --target ""` does.
    await pilot.press("f")
    _fill(running, target="", date="")
    await pilot.press("enter")
    await settle(pilot)
    stored = SetStore(app.store).get(SET_NAME)
    assert (stored.target_minutes, stored.date, stored.venue) == (None, None, "Tresor [Keller]")
    assert "Total 33:54" in _text(running) and "target" not in _text(running).split("Total")[1]


async def test_a_bad_date_or_target_is_said_in_the_dialog_and_nothing_changes(
    running: Running,
) -> None:
    pilot, app = running.pilot, running.app
    await open_the_set(pilot)
    before = SetStore(app.store).get(SET_NAME)
    await pilot.press("f")
    for field, value, error in (
        ("date", "31.12.2026", "date '31.12.2026': not a date; write it as YYYY-MM-DD"),
        ("date", "2026-02-30", "date '2026-02-30': not a date; write it as YYYY-MM-DD"),
        ("target", "0", "target 0: must be 1 or more"),
        ("target", "ninety", "target 'ninety': not a whole number"),
    ):
        _fill(running, target="60", date="", venue="Ailleurs")
        _fill(running, **{field: value})
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SetDetailsDialog), value  # it stays open
        assert error in _text(running)
        assert SetStore(app.store).get(SET_NAME) == before  # nothing stored, not even the venue
    await pilot.press("escape")
    await settle(pilot)
    assert app.screen is app.main_screen
    assert SetStore(app.store).get(SET_NAME) == before


async def test_t_notes_the_transition_shows_it_and_empty_clears_it(running: Running) -> None:
    pilot, app = running.pilot, running.app
    await open_the_set(pilot)
    await pilot.press("down", "t")
    prompt = app.screen
    assert isinstance(prompt, NotePrompt)
    prompt.query_one(Input).value = "Bass raus, Hall auf 8"
    await pilot.press("enter")
    await settle(pilot)
    assert SetStore(app.store).get(SET_NAME).entries[1].transition_note == "Bass raus, Hall auf 8"
    assert editor(app).selected_position == 2
    text = _text(running)
    assert "✎ Into 2: Bass raus, Hall auf 8" in text  # under the table
    assert "E+1 ✎" in text  # the row's mark
    await pilot.press("up")  # another entry: no note under the table
    await settle(pilot)
    assert "✎ Into" not in _text(running)
    await pilot.press("down", "t")
    assert app.screen.query_one(Input).value == "Bass raus, Hall auf 8"  # pre-filled
    app.screen.query_one(Input).value = ""
    await pilot.press("enter")
    await settle(pilot)
    assert SetStore(app.store).get(SET_NAME).entries[1].transition_note == ""
    assert "✎" not in _text(running)
    assert "Cleared the transition note into 2" in notices(app)[-1]


async def test_a_hostile_note_is_shown_literally(running: Running) -> None:
    pilot, app = running.pilot, running.app
    await open_the_set(pilot)
    await pilot.press("t")
    app.screen.query_one(Input).value = HOSTILE_NOTE
    await pilot.press("enter")
    await settle(pilot)
    assert SetStore(app.store).get(SET_NAME).entries[0].transition_note == HOSTILE_NOTE
    assert "✎ Into 1: [@click=app.quit]Échos[/] filtre à 3 [b]x" in _text(running)
    note = sets_view(app).query_one("#set-note", Static)
    await pilot.click(note, offset=(12, 0))  # the "action" is text: clicking does nothing
    await settle(pilot)
    assert app.is_running and app.return_code is None
    await pilot.press("t")  # the prompt holds the note as stored, newline and all
    assert app.screen.query_one(Input).value == HOSTILE_NOTE
    await pilot.press("escape")


async def test_f_and_t_with_no_set_open_say_so(running: Running) -> None:
    pilot, app = running.pilot, running.app
    await pilot.press("3", "f")
    await settle(pilot)
    assert app.screen is app.main_screen
    assert notices(app)[-1] == "Open a set first: enter in the list of sets"
