"""The Sets view on a real library database: opening, editing and reordering a set, adding
library tracks from the library view, suggestions with their reasons, and the curves."""

from __future__ import annotations

from pathlib import Path

from app_testing import SIZE, screen_lines, settle, table, type_text
from rich.style import Style
from sets_testing import (
    ENERGIES,
    IN_SET,
    SET_NAME,
    Running,
    editor,
    entries,
    notices,
    open_the_set,
    running_app,  # noqa: F401  (the fixture `running`)
    select_a_track_not_in_the_set,
    sets_view,
)
from textual.widgets import Sparkline

from library.set_store import SetStore
from library.storage import Store
from setlist.settings import Settings
from setlist.tui.app import SetlistApp
from setlist.tui.screens.help import HelpScreen
from setlist.tui.screens.set_dialogs import ConfirmDialog, NamePrompt, SetPicker
from setlist.tui.screens.track_panel import TrackPanel
from setlist.tui.widgets.curve_plot import CurvePlot
from setlist.tui.widgets.set_index import SetIndex


async def test_opening_a_set_shows_entries_verdicts_totals_and_warnings(
    running: Running,
) -> None:
    pilot, app = running.pilot, running.app
    await open_the_set(pilot)
    view = sets_view(app)
    assert view.current is not None and view.current.name == SET_NAME
    assert app.focused is editor(app)
    text = "\n".join(screen_lines(app))
    assert f"Set '{SET_NAME}' · Café Dëcor" in text
    assert "Nadia Okafor – Copper Lines" in text and "Ødegaard & Sønner – Fjord Engine" in text
    # Copper Lines (Am = 8A, 122.3) into Night Ferry (Em = 9A, 123.5): +1 on the wheel.
    assert "✓ good: +1, +1.0%, E+1" in text
    assert "~ ok: diag., +1.9%, E+1" in text  # 9B into 10A
    assert "Total 33:54 of a 1:00:00 target (26:06 under)" in text
    assert "⚠ 33:54 is under 80% of the 1:00:00 target" in text
    assert "5 tracks · 33:54/1:00:00" in text  # the list of sets


async def test_a_verdict_reads_without_colour_and_is_coloured_by_the_theme(
    running: Running,
) -> None:
    pilot, app = running.pilot, running.app
    await open_the_set(pilot)
    cell = editor(app).get_cell_at((1, 6))  # type: ignore[arg-type]
    assert cell.plain.startswith("✓ good")
    style = cell.style
    assert isinstance(style, Style) and style.color is not None and style.color.triplet
    assert style.color.triplet.hex.lower() == app.theme_variables["text-success"].lower()


async def test_moving_and_removing_entries_by_key(
    running: Running,
) -> None:
    pilot, app, ids = running.pilot, running.app, running.ids
    await open_the_set(pilot)
    await pilot.press("down", "shift+down")  # the second entry moves to third place
    await settle(pilot)
    assert entries(app.store) == [ids[0], ids[2], ids[1], ids[3], ids[4]]
    assert editor(app).selected_position == 3  # the selection follows the entry
    await pilot.press("J", "J", "J")  # two more places down; the third press has no room
    await settle(pilot)
    assert entries(app.store) == [ids[0], ids[2], ids[3], ids[4], ids[1]]
    await pilot.press("home", "shift+up")  # the first cannot go up
    await settle(pilot)
    assert entries(app.store)[0] == ids[0]
    await pilot.press("K")
    await settle(pilot)
    assert entries(app.store)[0] == ids[0]
    await pilot.press("end")
    assert editor(app).selected_position == 5
    await pilot.press("x")
    await settle(pilot)
    assert entries(app.store) == [ids[0], ids[2], ids[3], ids[4]]
    assert "Removed 'Teodor Vásquez – Night Ferry' from" in notices(app)[-1]
    assert editor(app).row_count == 4
    assert editor(app).selected_position == 4


async def test_enter_on_an_entry_opens_its_track(
    running: Running,
) -> None:
    pilot, ids = running.pilot, running.ids
    await open_the_set(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TrackPanel) and screen.track_id == ids[1]


async def test_a_in_the_library_adds_the_selected_track_to_the_set_last_opened(
    running: Running,
) -> None:
    pilot, app, ids = running.pilot, running.app, running.ids
    await open_the_set(pilot)
    await pilot.press("1")
    await settle(pilot)
    wanted = select_a_track_not_in_the_set(app, ids)
    await pilot.press("a")
    await settle(pilot)
    assert entries(app.store) == [*ids[:IN_SET], wanted]
    assert f"to '{SET_NAME}' (the set last opened)" in notices(app)[-1]
    await pilot.press("3")
    await settle(pilot)
    assert editor(app).row_count == IN_SET + 1
    assert editor(app).selected_position == IN_SET + 1
    added = app.store.tracks("id = ?", (wanted,))[0]
    assert f"{added.artist} – {added.title}" in "\n".join(screen_lines(app))  # drawn whole
    # The same track again: the set does not allow repeats; said in one line, nothing added.
    await pilot.press("1", "a")
    await settle(pilot)
    assert entries(app.store) == [*ids[:IN_SET], wanted]
    assert "would be in the set twice" in notices(app)[-1]


async def test_with_no_set_opened_a_asks_which_set(
    running: Running,
) -> None:
    pilot, app = running.pilot, running.app
    SetStore(app.store).create("Äbend")
    sets_view(app).library_changed()  # lists the new set
    await settle(pilot)
    first = table(app).selected_id
    assert first is not None
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(app.screen, SetPicker)
    assert [s.name for s in SetStore(app.store).summaries()] == [SET_NAME, "Äbend"]
    await pilot.press("down", "enter")
    await settle(pilot)
    assert entries(app.store, "Äbend") == [first]
    current = sets_view(app).current
    assert current is not None and current.name == "Äbend"


async def test_with_no_set_at_all_a_asks_for_a_new_one(tmp_path: Path) -> None:
    from app_testing import library_entries, store_tracks

    store = Store(tmp_path / "empty-sets.db")
    store_tracks(store, library_entries())
    app = SetlistApp(store, Settings())
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            first = table(app).selected_id
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, NamePrompt)
            await pilot.press("enter")  # an empty name is refused, the dialog stays
            assert isinstance(app.screen, NamePrompt)
            await type_text(pilot, "Première [nuit]")
            await pilot.press("enter")
            await settle(pilot)
            assert [e.track_id for e in SetStore(store).get("première [NUIT]").entries] == [first]
    finally:
        store.close()


async def test_new_rename_copy_and_delete_by_key(
    running: Running,
) -> None:
    pilot, app, ids = running.pilot, running.app, running.ids
    await open_the_set(pilot)
    await pilot.press("n")
    assert isinstance(app.screen, NamePrompt)
    await type_text(pilot, "Zéro")
    await pilot.press("enter")
    await settle(pilot)
    assert SetStore(app.store).get("zéro").entries == ()
    current = sets_view(app).current
    assert current is not None and current.name == "Zéro"
    await pilot.press("r")
    app.screen.query_one("Input").value = "Zéro bis"  # type: ignore[attr-defined]
    await pilot.press("enter")
    await settle(pilot)
    assert [s.name for s in SetStore(app.store).summaries()] == [SET_NAME, "Zéro bis"]
    # A copy of the set highlighted in the list, when the list has the focus.
    app.main_screen.query_one(SetIndex).focus()
    await pilot.press("home", "c")
    assert isinstance(app.screen, NamePrompt)
    await pilot.press("enter")  # the name offered: "... (copy)"
    await settle(pilot)
    assert entries(app.store, f"{SET_NAME} (copy)") == ids[:IN_SET]
    # Deleting (the set shown, from the editor) asks first; n (or escape) keeps the set.
    editor(app).focus()
    await pilot.press("d")
    assert isinstance(app.screen, ConfirmDialog)
    await pilot.press("n")
    await settle(pilot)
    assert len(SetStore(app.store).summaries()) == 3
    await pilot.press("d", "y")
    await settle(pilot)
    assert [s.name for s in SetStore(app.store).summaries()] == [SET_NAME, "Zéro bis"]
    assert sets_view(app).current is None  # the copy was shown, and is gone
    assert any("Deleted the set" in notice for notice in notices(app))


async def test_renaming_to_a_taken_name_is_refused_in_one_line(
    running: Running,
) -> None:
    pilot, app = running.pilot, running.app
    SetStore(app.store).create("Autre")
    await open_the_set(pilot)
    await pilot.press("r")
    app.screen.query_one("Input").value = "AUTRE"  # type: ignore[attr-defined]
    await pilot.press("enter")
    await settle(pilot)
    assert "a set named 'Autre' already exists (names ignore case)" in notices(app)[-1]
    assert SetStore(app.store).get(SET_NAME).name == SET_NAME


async def test_suggestions_come_with_reasons_and_a_adds_one_after_the_entry(
    running: Running,
) -> None:
    pilot, app, ids = running.pilot, running.app, running.ids
    await open_the_set(pilot)
    await pilot.press("down")  # after #2
    await settle(pilot)
    pane = sets_view(app).suggestions
    assert pane.after == 2
    assert pane.suggestions
    assert {s.track.track_id for s in pane.suggestions}.isdisjoint(ids[:IN_SET])
    best = pane.suggestions[0]
    text = "\n".join(screen_lines(app))
    assert "Next after #2 (a adds)" in text
    assert f"{best.score:.1f}" in text
    assert "9A → " in text  # the key step from Night Ferry (9A), in words
    assert "% BPM" in text
    await pilot.press("a")
    await settle(pilot)
    assert entries(app.store) == [ids[0], ids[1], best.track.track_id, *ids[2:IN_SET]]
    assert editor(app).selected_position == 3  # the new entry is selected...
    assert pane.after == 3  # ...and suggestions follow it


async def test_the_curves_show_energy_and_bpm(
    running: Running,
) -> None:
    pilot, app = running.pilot, running.app
    await open_the_set(pilot)
    view = sets_view(app)
    assert view.query_one(Sparkline).data == [float(e) for e in ENERGIES[:IN_SET]]
    energy = view.query_one("#energy-plot", CurvePlot)
    bpm = view.query_one("#bpm-plot", CurvePlot)
    assert energy.points == [(n, e) for n, e in enumerate(ENERGIES[:IN_SET], start=1)]
    assert [y for _, y in bpm.points] == [122.3, 123.5, 125.8, 128.2, 128.0]
    text = "\n".join(screen_lines(app))
    assert "Energy" in text and "BPM" in text
    assert any("\u2801" <= char <= "\u28ff" for char in text)  # the curves, in braille dots


async def test_help_footer_and_palette_name_the_views_keys(
    running: Running,
) -> None:
    pilot, app = running.pilot, running.app
    await open_the_set(pilot)
    footer = screen_lines(app)[-1]
    assert "Move up" in footer and "Export" in footer and "Add next" in footer
    titles = {command.title for command in app.palette_commands(app.screen)}
    assert {"New set…", "Export the set…", "Move the entry down", "Add the suggestion",
            "Set details…", "Note the transition…"} <= titles  # fmt: skip
    await pilot.press("question_mark")
    assert isinstance(app.screen, HelpScreen)
    text = "\n".join(screen_lines(app))
    await pilot.press("pagedown")  # the editor's keys come after the view's
    await pilot.pause()
    text += "\n".join(screen_lines(app))
    for words in ("Move the entry up", "Take the entry out", "Export the set to a file",
                  "Add the highlighted suggestion", "current set", "Edit the set's details",
                  "Note how to mix into the selected entry", "✎ marks an entry"):  # fmt: skip
        assert words in text, words


async def test_a_long_set_with_repeats_is_drawn_whole(running: Running) -> None:
    """More entries than the plots mark one by one, and a track twice (the set allows it)."""
    pilot, app, ids = running.pilot, running.app, running.ids
    long = [*ids, *ids[:5]]
    SetStore(app.store).create("Longue nuit", allow_repeat=True, track_ids=long)
    sets_view(app).library_changed()
    await settle(pilot)
    await pilot.press("3")
    app.main_screen.query_one(SetIndex).focus()
    await pilot.press("home", "enter")  # "Longue nuit" comes first by name
    await settle(pilot)
    view = sets_view(app)
    assert view.current is not None and view.current.name == "Longue nuit"
    assert editor(app).row_count == len(long)
    assert len(view.query_one("#bpm-plot", CurvePlot).points) == len(long) - 1  # one BPM unknown
    assert view.query_one(Sparkline).data == [float(ENERGIES[ids.index(t)]) for t in long]


async def test_the_palette_adds_the_selected_library_track(running: Running) -> None:
    from test_app import run_palette

    pilot, app, ids = running.pilot, running.app, running.ids
    await open_the_set(pilot)
    await pilot.press("1")
    await settle(pilot)
    wanted = select_a_track_not_in_the_set(app, ids)
    await run_palette(pilot, "add the selected track")
    assert entries(app.store) == [*ids[:IN_SET], wanted]


def test_the_plots_analysis_and_export_wait_until_used() -> None:
    """The app's start-up (before its first paint) loads neither plotext, nor the analysis,
    nor the exporters' dialog: they come with the first set opened or exported."""
    import subprocess
    import sys

    late = ("plotext", "textual_plotext", "setlist.analysis", "setlist.tui.screens.export_dialog")
    code = f"import sys, setlist.tui.app; print([m for m in {late!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


async def test_keys_in_quick_succession_are_edits_made_in_order(running: Running) -> None:
    """Edit keys pressed one after another, without waiting, act in order on the entry
    selected when each one's turn comes."""
    pilot, app, ids = running.pilot, running.app, running.ids
    await open_the_set(pilot)
    await pilot.press("shift+down", "shift+down", "shift+down", "x", "home", "J")
    await settle(pilot)
    # Copper Lines went down three places, then out; then the new first moved down one.
    assert entries(app.store) == [ids[2], ids[1], ids[3], ids[4]]
    assert editor(app).selected_position == 2
