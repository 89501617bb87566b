"""The README's table of keys names every key the app binds (a promise that can drift)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding

from setlist.tui.app import SetlistApp
from setlist.tui.playing_keys import PlayingKeys
from setlist.tui.screens.export_dialog import ExportDialog
from setlist.tui.screens.help import HelpScreen
from setlist.tui.screens.link_proposals import LinkProposals
from setlist.tui.screens.listen import ListenScreen
from setlist.tui.screens.note_prompt import NotePrompt
from setlist.tui.screens.preview import PreviewScreen
from setlist.tui.screens.release_import import ImportDialog
from setlist.tui.screens.scan_dialog import ScanDialog
from setlist.tui.screens.set_details import SetDetailsDialog
from setlist.tui.screens.set_dialogs import ConfirmDialog, NamePrompt, SetPicker
from setlist.tui.screens.track_panel import TrackPanel
from setlist.tui.widgets.library_view import LibraryView, SearchBox
from setlist.tui.widgets.note_fields import MoodChip
from setlist.tui.widgets.releases_view import ReleasesView
from setlist.tui.widgets.set_details_keys import SetDetailsKeys
from setlist.tui.widgets.set_editor import SetEditor
from setlist.tui.widgets.set_index import SetIndex
from setlist.tui.widgets.sets_view import SetsView
from setlist.tui.widgets.suggestions_pane import SuggestionList
from setlist.tui.widgets.track_table import TrackTable

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
TABLE = README[README.index("| keys | where | what they do |") :].split("\n\n")[0]
SHOWN = {
    "question_mark": "?",
    "slash": "/",
    "escape": "esc",
    "up": "↑",
    "down": "↓",
    "pageup": "pgup",
    "pagedown": "pgdn",
    "left": "←",
    "right": "→",
    "shift+up": "shift+↑",
    "shift+down": "shift+↓",
    "delete": "del",
}
OWNERS = (
    SetlistApp, TrackTable, LibraryView, SearchBox, TrackPanel, MoodChip, ScanDialog, HelpScreen,
    PlayingKeys, ListenScreen, PreviewScreen, NotePrompt,
    SetsView, SetDetailsKeys, SetDetailsDialog, SetIndex, SetEditor, SuggestionList, NamePrompt,
    ConfirmDialog, SetPicker,
    ExportDialog, ReleasesView, ImportDialog, LinkProposals,
)  # fmt: skip
KEYS = sorted(
    {
        key.strip()
        for owner in OWNERS
        for binding in owner.BINDINGS
        if isinstance(binding, Binding)
        for key in binding.key.split(",")
    }
)


@pytest.mark.parametrize("key", KEYS)
def test_every_bound_key_is_in_the_readme_table(key: str) -> None:
    assert f"`{SHOWN.get(key, key)}`" in TABLE
