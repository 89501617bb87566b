"""The Sets view: the list of sets, the editor of the set opened, its curves, and suggestions
for the next track.

The set last opened (enter in the list) is the *current set*: the library's `a` adds the
selected track to it, from any view. Every read and write of sets runs in a thread worker,
one at a time and in the order asked (`setlist.tui.set_edits`); suggestions run in a worker
of their own, one at a time, for the place after the selected entry, and follow the
selection once the last one is in. Only the message handlers touch widgets.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, OptionList, Static
from textual.worker import Worker, WorkerState

from library.errors import SetlistError
from library.set_store import SetStore, SetSummary
from setlist.commands.set_views import quoted, totals_lines
from setlist.terminal import printable
from setlist.tui import set_edits
from setlist.tui.palette import PaletteCommand
from setlist.tui.screens.set_dialogs import ConfirmDialog, NamePrompt, SetPicker
from setlist.tui.set_edits import Change
from setlist.tui.set_messages import (
    SetClosed,
    SetEditFailed,
    SetOpened,
    SetsListed,
)
from setlist.tui.widgets.set_curves import SetCurves
from setlist.tui.widgets.set_details_keys import SetDetailsKeys
from setlist.tui.widgets.set_editor import SetEditor
from setlist.tui.widgets.set_index import SetIndex
from setlist.tui.widgets.suggestions_pane import SuggestionsPane

if TYPE_CHECKING:
    from library.storage import Store
    from setlist.models import SetList
    from setlist.sets import AnalysedSet

WARNINGS_SHOWN = 4
Intent = Callable[[], Change | None]  # worked out when its turn comes


class SetsView(Horizontal, SetDetailsKeys):
    """Every set, and the one opened: its entries, shape, warnings and what could come next."""

    HELP_TITLE = "Sets"
    HELP_TEXT = (
        "Enter opens the highlighted set: it becomes the current set, which a in the library "
        "view adds the selected track to. A transition reads ✓ good, ~ ok, ✗ rough or ? unknown, "
        "then the key relation (+1, rel., diag., +2, +7, clash...), the tempo change and the "
        "energy change (E+1); see the README's Sets section. Suggestions are for the place "
        "after the selected entry; tab moves between the list, the editor and the suggestions; "
        "✎ marks an entry with a transition note (t), shown under the table."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_set", "New", tooltip="Make a new set", id="sets.new"),
        Binding(
            "r", "rename_set", "Rename", tooltip="Rename the set", show=False, id="sets.rename"
        ),
        Binding(
            "c", "copy_set", "Copy", tooltip="Copy the set to a new one", show=False, id="sets.copy"
        ),
        Binding(
            "d", "delete_set", "Delete", tooltip="Delete the set (asks first)", id="sets.delete"
        ),
        Binding("e", "export_set", "Export", tooltip="Export the set to a file", id="sets.export"),
        Binding(
            "a",
            "add_suggestion",
            "Add next",
            tooltip="Add the highlighted suggestion after the selected entry",
            id="sets.add_suggestion",
        ),
    ]

    DEFAULT_CSS = """
    SetsView { height: 1fr; }
    SetsView #sets-side { width: 30; border-right: vkey $foreground 20%; }
    SetsView #sets-heading, SetsView #set-heading {
        height: 1; padding: 0 1; background: $surface; text-style: bold; color: $text-accent;
    }
    SetsView #set-index { height: 1fr; border: none; }
    SetsView #set-editor { height: 1fr; }
    SetsView #set-totals { height: auto; padding: 0 1; background: $surface; }
    SetsView #set-note { height: auto; padding: 0 1; color: $text-accent; }
    SetsView #set-warnings { height: auto; max-height: 4; padding: 0 1; color: $text-warning; }
    SetsView #set-lower { height: 16; }
    SetsView #set-curves { width: 1fr; }
    SetsView #energy-line { height: 1; }
    SetsView #energy-label { width: auto; padding: 0 1; color: $text-muted; }
    SetsView #energy-sparkline { width: 1fr; }
    SetsView #set-plots { height: 1fr; }
    SetsView #suggestions { width: 1fr; border-left: vkey $foreground 20%; }
    SetsView #suggestions-heading { height: 1; padding: 0 1; color: $text-accent; }
    SetsView #suggestions-list { height: 1fr; border: none; }
    """

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._store = store
        self.current: SetList | None = None  # the set last opened
        self._found: AnalysedSet | None = None
        self._summaries: list[SetSummary] = []
        self._intents: deque[Intent] = deque()
        self._editing = False
        self._version = 0  # bumped each time a set is shown: suggestions are for one version

    def compose(self) -> ComposeResult:
        with Vertical(id="sets-side"):
            yield Static(Content("Sets"), id="sets-heading", markup=False)
            yield SetIndex(id="set-index")
        with Vertical(id="set-main"):
            yield Static(Content("No set open"), id="set-heading", markup=False)
            yield SetEditor(id="set-editor")
            yield Static(id="set-note", markup=False)
            yield Static(id="set-totals", markup=False)
            yield Static(id="set-warnings", markup=False)
            with Horizontal(id="set-lower"):
                yield SetCurves(id="set-curves")
                yield SuggestionsPane(self._store, id="suggestions")

    @property
    def index(self) -> SetIndex:
        return self.query_one(SetIndex)

    @property
    def editor(self) -> SetEditor:
        return self.query_one(SetEditor)

    @property
    def suggestions(self) -> SuggestionsPane:
        return self.query_one(SuggestionsPane)

    def on_mount(self) -> None:
        self._list(self._store)

    def focus_default(self) -> None:
        """The editor when a set is open, else the list of sets."""
        (self.editor if self.current is not None else self.index).focus()

    def library_changed(self) -> None:
        """Tracks changed (a scan): figures and the analysis may have too."""
        if self.current is not None:
            self._queue_for_current(partial(set_edits.open_set, cursor=None))
        else:
            self._list(self._store)

    def notes_changed(self, track_ids: list[int]) -> None:
        """Notes were saved in the app: an energy or a role in the open set changes its
        analysis (verdicts, curves, warnings), so it is read again."""
        if self.current is not None and set(track_ids) & {
            entry.track_id for entry in self.current.entries
        }:
            self._queue_for_current(partial(set_edits.open_set, cursor=None))

    # -- reading and editing, one at a time -------------------------------------------------

    def _queue_for_current(self, make: Callable[[str], Change]) -> None:
        """Queue a change of the current set, named when its turn comes (an edit queued
        before it may rename the set, or close it)."""
        self._queue(lambda: make(self.current.name) if self.current is not None else None)

    def _queue(self, intent: Intent) -> None:
        self._intents.append(intent)
        self._next_edit()

    def _next_edit(self) -> None:
        while not self._editing and self._intents:
            change = self._intents.popleft()()
            if change is not None:
                self._editing = True
                self._edit(self._store, change)

    def _edit_done(self) -> None:
        self._editing = False
        self._next_edit()

    @work(thread=True, exclusive=True, exit_on_error=False, group="set-list")
    def _list(self, store: Store) -> None:
        try:
            self.post_message(SetsListed(SetStore(store).summaries()))
        except (SetlistError, sqlite3.Error) as error:
            self.post_message(SetEditFailed(f"cannot list the sets: {error}", queued=False))

    @work(thread=True, exit_on_error=False, group="set-edit")
    def _edit(self, store: Store, change: Change) -> None:
        from setlist import sets  # the analysis: imported when a set is first opened

        try:
            outcome = change(store)
            found = sets.analysed(store, sets.load(store, outcome.name)) if outcome.name else None
            summaries = SetStore(store).summaries()
        except (SetlistError, sqlite3.Error) as error:
            self.post_message(SetEditFailed(str(error)))
            return
        self.post_message(SetsListed(summaries))
        if found is None:
            self.post_message(SetClosed(outcome.done))
        else:
            self.post_message(SetOpened(found, outcome.cursor, outcome.done))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An edit that failed in an unforeseen way is said, and must not stop the next."""
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "set-edit":
            self._failed(f"the set could not be changed: {event.worker.error}")
            self._edit_done()

    def on_sets_listed(self, message: SetsListed) -> None:
        self._summaries = message.summaries
        self.index.show_sets(message.summaries, self.current.id if self.current else None)
        if not message.summaries and self.current is None:
            self._heading("No sets yet: n makes one")

    def on_set_opened(self, message: SetOpened) -> None:
        found = message.found
        self.current, self._found = found.setlist, found
        self._version += 1
        self._show(found, message.cursor)
        if message.done:
            self.notify(printable(message.done), markup=False)
        self._edit_done()
        self._want_suggestions()

    def on_set_closed(self, message: SetClosed) -> None:
        self.current, self._found = None, None
        self._version += 1
        self.editor.show_set(None)
        self._heading("No set open: enter opens the highlighted one")
        for line in ("#set-totals", "#set-warnings", "#set-note"):
            self.query_one(line, Static).update(Content(""))
        self.query_one(SetCurves).show_curves([], [])
        self._want_suggestions()
        if message.done:
            self.notify(printable(message.done), markup=False)
        self._edit_done()

    def on_set_edit_failed(self, message: SetEditFailed) -> None:
        self._failed(message.error)
        if message.queued:  # a failed listing must not let a second edit run beside one
            self._edit_done()

    def _failed(self, error: str) -> None:
        self.notify(printable(error), severity="error", markup=False, timeout=8)

    def _show(self, found: AnalysedSet, cursor: int | None) -> None:
        setlist = found.setlist
        facts = [printable(setlist.venue), setlist.date.isoformat() if setlist.date else ""]
        self._heading(" · ".join([f"Set {quoted(setlist.name)}", *filter(None, facts)]))
        count = len(setlist.entries)
        self.editor.show_set(found, count - 1 if cursor == -1 else cursor)
        self.show_note()
        self.query_one("#set-totals", Static).update(Content(" · ".join(totals_lines(found))))
        warnings = [printable(warning.message) for warning in found.analysis.warnings]
        if len(warnings) > WARNINGS_SHOWN:
            more = len(warnings) - WARNINGS_SHOWN + 1
            warnings = [*warnings[: WARNINGS_SHOWN - 1], f"… and {more} more warnings"]
        self.query_one("#set-warnings", Static).update(
            Content("\n".join(f"⚠ {warning}" for warning in warnings))
        )
        tracks = [found.tracks[entry.track_id] for entry in setlist.entries]
        self.query_one(SetCurves).show_curves(
            [track.energy for track in tracks], [track.bpm for track in tracks]
        )

    def _heading(self, text: str) -> None:
        self.query_one("#set-heading", Static).update(Content(text), layout=False)  # one line

    # -- suggestions ------------------------------------------------------------------------

    def _want_suggestions(self) -> None:
        """Suggestions for the place after the selected entry of the set shown."""
        after = self.editor.selected_position or 0
        self.suggestions.follow(self.current, self._version, after)

    @on(DataTable.RowHighlighted, "#set-editor")
    def _entry_highlighted(self) -> None:
        self._want_suggestions()
        self.show_note()

    # -- the keys ---------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#set-index")
    def _set_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = self.index.highlighted_set
        if chosen is not None:
            self._queue(partial(set_edits.open_set, chosen.name))
            self.editor.focus()

    def on_set_editor_move_requested(self, message: SetEditor.MoveRequested) -> None:
        def intent() -> Change | None:
            position = self.editor.selected_position
            if self.current is None or position is None:
                return None
            target = position + message.offset
            if not 1 <= target <= len(self.current.entries):
                return None
            return set_edits.move(self.current.name, position, target)

        self._queue(intent)

    def on_set_editor_remove_requested(self, message: SetEditor.RemoveRequested) -> None:
        def intent() -> Change | None:
            position = self.editor.selected_position
            if self.current is None or position is None:
                return None
            return set_edits.remove(self.current.name, position)

        self._queue(intent)

    def on_suggestions_pane_add_requested(self, message: SuggestionsPane.AddRequested) -> None:
        add = set_edits.add
        self._queue_for_current(lambda name: add(name, message.track_id, message.after))

    def _set_at_hand(self) -> str | None:
        """The set an action is for: the one highlighted in the list when it has the focus,
        else the current set; None (and a word why) when there is none."""
        if self.index.has_focus and self.index.highlighted_set is not None:
            return self.index.highlighted_set.name
        if self.current is not None:
            return self.current.name
        self.notify("Open a set first: enter in the list of sets", markup=False)
        return None

    def _ask_name(self, question: str, value: str, edit: Callable[[str], Change]) -> None:
        """Ask for a set name, then queue `edit(name)` (nothing when cancelled)."""

        def answered(name: str | None) -> None:
            if name:
                self._queue(partial(edit, name))

        self.app.push_screen(NamePrompt(question, value), answered)

    def action_new_set(self) -> None:
        self._ask_name("A name for the new set:", "", set_edits.create)

    def action_rename_set(self) -> None:
        name = self._set_at_hand()
        if name is not None:
            question = f"A new name for the set {quoted(name)}:"
            self._ask_name(question, name, partial(set_edits.rename, name))

    def action_copy_set(self) -> None:
        name = self._set_at_hand()
        if name is not None:
            question = f"A name for the copy of {quoted(name)}:"
            self._ask_name(question, f"{name} (copy)", partial(set_edits.copy, name))

    def action_delete_set(self) -> None:
        name = self._set_at_hand()
        if name is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._queue(
                    lambda: set_edits.delete(name, self.current.name if self.current else None)
                )

        question = f"Delete the set {quoted(name)}? Its plays stay in the history."
        self.app.push_screen(ConfirmDialog(question), answered)

    def action_export_set(self) -> None:
        from setlist.tui.screens.export_dialog import ExportDialog  # not before first paint

        name = self._set_at_hand()
        if name is not None:
            self.app.push_screen(ExportDialog(self._store, name), self._exported)

    def _exported(self, done: str | None) -> None:
        if done:
            self.notify(done, title="Exported", markup=False)

    def action_add_suggestion(self) -> None:
        self.suggestions.action_add()

    def add_track(self, track_id: int) -> None:
        """Add a library track at the end of the current set; with none, ask which set (or
        for the name of a new one, when there is no set yet)."""
        if self.current is not None:
            why = " (the set last opened)"
            self._queue_for_current(lambda name: set_edits.add(name, track_id, None, why))
            return
        if not self._summaries:
            question = "No sets yet. A name for a new set to hold this track:"
            self._ask_name(question, "", partial(set_edits.create, track_id=track_id))
            return

        def picked(name: str | None) -> None:
            if name:
                self._queue(partial(set_edits.add, name, track_id))

        names = [summary.name for summary in self._summaries]
        self.app.push_screen(SetPicker("Add the track to which set?", names), picked)

    def palette_commands(self) -> list[PaletteCommand]:
        """What the command palette offers in this view."""
        move = self.editor.action_move_entry
        return [
            PaletteCommand("New set…", "Make a new set (n)", self.action_new_set),
            PaletteCommand("Rename the set…", "r", self.action_rename_set),
            PaletteCommand("Copy the set…", "To a new set (c)", self.action_copy_set),
            PaletteCommand("Delete the set…", "Asks first (d)", self.action_delete_set),
            PaletteCommand("Export the set…", "To any format (e)", self.action_export_set),
            PaletteCommand("Move the entry up", "shift+↑", partial(move, -1)),
            PaletteCommand("Move the entry down", "shift+↓", partial(move, 1)),
            PaletteCommand("Remove the entry", "x", self.editor.action_remove_entry),
            PaletteCommand(
                "Add the suggestion", "After the selected entry (a)", self.action_add_suggestion
            ),
            *self.details_commands(),
        ]
