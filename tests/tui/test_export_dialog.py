"""The export dialog of the Sets view writes a real file, in the format chosen, that a reader
of that format parses; a file that cannot be written is one line in the dialog, and nothing
is left half-written."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from app_testing import SIZE, settle
from sets_testing import IN_SET, SET_NAME, library_with_a_set, notices, open_the_set
from textual.pilot import Pilot
from textual.widgets import Input, Select

from library.storage import Store
from setlist.exporters import FORMATS
from setlist.settings import Settings
from setlist.tui.app import SetlistApp
from setlist.tui.screens.export_dialog import ExportDialog, default_file

TITLES = ["Copper Lines", "Night Ferry", "Szkło", "階段 (Stairwell)", "Fjord Engine"]


@pytest.fixture
async def pilot(tmp_path: Path) -> AsyncIterator[Pilot[None]]:
    store = Store(tmp_path / "sets.db")
    library_with_a_set(store)
    app = SetlistApp(store, Settings())
    try:
        async with app.run_test(size=SIZE, notifications=True) as running:
            await settle(running)
            await open_the_set(running)
            yield running
    finally:
        store.close()


async def open_dialog(pilot: Pilot[None], fmt: str) -> ExportDialog:
    """Press e, and pick `fmt` in the format list by keys."""
    await pilot.press("e")
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    await pilot.press("enter", *["down"] * list(FORMATS).index(fmt), "enter")
    await settle(pilot)
    assert dialog.query_one(Select).value == fmt
    return dialog


def json_titles(text: str) -> list[str]:
    return [entry["track"]["title"] for entry in json.loads(text)["entries"]]


def csv_titles(text: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    return [row["title"] for row in rows]


def m3u8_titles(text: str) -> list[str]:
    lines = text.splitlines()
    assert lines[:2] == ["#EXTM3U", f"#PLAYLIST:{SET_NAME}"]
    return [line.split(" - ", 1)[1] for line in lines if line.startswith("#EXTINF:")]


def rekordbox_titles(text: str) -> list[str]:
    root = ET.fromstring(text)
    names = {t.get("TrackID"): t.get("Name") for t in root.iter("TRACK") if t.get("Name")}
    playlist = root.find("PLAYLISTS/NODE/NODE")
    assert playlist is not None and playlist.get("Name") == SET_NAME
    return [names[key.get("Key")] or "" for key in playlist.iter("TRACK")]


READERS: dict[str, Callable[[str], list[str]]] = {
    "json": json_titles,
    "csv": csv_titles,
    "m3u8": m3u8_titles,
    "rekordbox": rekordbox_titles,
}


@pytest.mark.parametrize("fmt", READERS)
async def test_the_dialog_writes_a_file_the_format_reads_back(
    pilot: Pilot[None], tmp_path: Path, fmt: str
) -> None:
    dialog = await open_dialog(pilot, fmt)
    box = dialog.query_one("#export-path", Input)
    assert box.value.endswith(default_file(SET_NAME, fmt, Path()).name)  # follows the format
    target = tmp_path / f"nuit {fmt}"
    box.value = str(target)
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert pilot.app.screen is not dialog
    text = target.read_text(encoding="utf-8")
    assert READERS[fmt](text) == TITLES[:IN_SET]
    assert f"Wrote {IN_SET} tracks of '{SET_NAME}' as {fmt} to {target}" in notices(
        pilot.app  # type: ignore[arg-type]
    )
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


async def test_a_file_that_cannot_be_written_is_one_line_and_nothing_is_left(
    pilot: Pilot[None], tmp_path: Path
) -> None:
    dialog = await open_dialog(pilot, "txt")
    box = dialog.query_one("#export-path", Input)
    box.value = str(tmp_path / "no such folder" / "nuit.txt")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert pilot.app.screen is dialog  # stays open, to fix the path
    error = str(dialog.query_one("#export-error").render())
    assert error.startswith("Not exported: ") and "no such folder" in error
    assert "\n" not in error
    assert not (tmp_path / "no such folder").exists()
    # An existing file is kept whole when the export cannot replace it: a folder is given.
    kept = tmp_path / "kept.txt"
    kept.write_text("ancien contenu", encoding="utf-8")
    box.value = str(tmp_path)
    box.focus()
    await pilot.press("enter")  # enter in the path box exports too
    await settle(pilot)
    error = str(dialog.query_one("#export-error").render())
    assert error.startswith(f"Not exported: {tmp_path}: cannot write: ")
    assert kept.read_text(encoding="utf-8") == "ancien contenu"
    box.value = ""
    await pilot.press("enter")
    assert str(dialog.query_one("#export-error").render()) == "Give the file to write."
    await pilot.press("escape")
    assert pilot.app.screen is not dialog
