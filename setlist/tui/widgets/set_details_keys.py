"""The Sets view's keys for what a set says besides its order: `f` edits the open set's
details (target, venue, date, description), `t` the note on how to mix into the selected
entry, shown in full under the editor.

`SetDetailsKeys` is mixed into `SetsView` (before its Textual base, so its bindings join the
view's), like `PlayingKeys` in the library: the view stays small, and these keys and their
dialogs live together. The edits go through the view's queue, one at a time, like the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import Static

from setlist.terminal import printable
from setlist.tui import set_edits
from setlist.tui.palette import PaletteCommand
from setlist.tui.screens.note_prompt import NotePrompt
from setlist.tui.widgets.set_editor import NOTE_MARK, SetEditor

if TYPE_CHECKING:
    from setlist.models import SetList
    from setlist.tui.set_edits import Change


class SetDetailsKeys(DOMNode):
    """`f` the set's details, `t` the transition note of the selected entry."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f",
            "edit_details",
            "Details",
            tooltip="Edit the set's details: target length, venue, date, description",
            show=False,
            id="sets.details",
        ),
        Binding(
            "t",
            "note_transition",
            "Note",
            tooltip="Note how to mix into the selected entry (empty clears it)",
            show=False,
            id="sets.note",
        ),
    ]

    current: SetList | None  # the set open, kept by the view

    def _queue_for_current(self, make: Callable[[str], Change]) -> None:
        raise NotImplementedError  # the view's queue of edits of the set open

    def _open_set(self) -> SetList | None:
        if self.current is None:
            self.app.notify("Open a set first: enter in the list of sets", markup=False)
        return self.current

    def action_edit_details(self) -> None:
        from setlist.tui.screens.set_details import SetDetailsDialog

        setlist = self._open_set()
        if setlist is None:
            return

        def answered(fields: dict[str, Any] | None) -> None:
            if fields:
                self._queue_for_current(lambda name: set_edits.edit_fields(name, fields))

        self.app.push_screen(SetDetailsDialog(setlist), answered)

    def action_note_transition(self) -> None:
        setlist = self._open_set()
        position = self.query_one(SetEditor).selected_position
        if setlist is None or position is None:
            return
        entry = setlist.entries[position - 1]

        def answered(text: str | None) -> None:
            if text is not None:
                self._queue_for_current(lambda name: set_edits.note(name, position, text))

        title = f"How to mix into {position} (empty clears the note):"
        self.app.push_screen(NotePrompt(title, value=entry.transition_note), answered)

    def show_note(self) -> None:
        """The whole transition note into the selected entry, under the editor (one line)."""
        position = self.query_one(SetEditor).selected_position
        note = ""
        if self.current is not None and position is not None:
            note = self.current.entries[position - 1].transition_note
        said = f"{NOTE_MARK} Into {position}: {printable(note)}" if note else ""
        line = self.query_one("#set-note", Static)
        if str(line.content) != said:  # a needless update lays the editor out again
            line.update(Content(said))

    def details_commands(self) -> list[PaletteCommand]:
        return [
            PaletteCommand("Set details…", "Target, venue, date, description (f)",
                           self.action_edit_details),
            PaletteCommand("Note the transition…", "Into the selected entry (t)",
                           self.action_note_transition),
        ]  # fmt: skip
