"""The set editor: one row per entry with its start, BPM, key, energy and the transition
into it, coloured by its verdict and named in words, so it reads without colour too.

A set holds tens of tracks, so Textual's DataTable serves here (the library's 50,000 need
the Line-API table). Cells are `rich.text.Text` built from `printable` text: a title that
looks like markup stays text. The editor only asks for edits (`MoveRequested`,
`RemoveRequested`); the Sets view makes them, in a worker, one at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from setlist.commands.set_views import track_name, transition_parts
from setlist.durations import format_duration
from setlist.terminal import cell_width, fit
from setlist.tui.widgets.track_table import TrackTable

if TYPE_CHECKING:
    from setlist.analysis import Transition
    from setlist.sets import AnalysedSet
    from setlist.tui.app import SetlistApp

# A verdict's symbol, and the theme variable its colour comes from.
VERDICT_MARKS: dict[str, tuple[str, str]] = {
    "good": ("✓", "text-success"),
    "ok": ("~", "text-warning"),
    "rough": ("✗", "text-error"),
    "unknown": ("?", "text-muted"),
}
NOTE_MARK = "✎"  # after the transition into an entry that has a transition note
COLUMNS = ("#", "Start", "Artist – Title", "BPM", "Key", "Energy", "Transition into it")
FIXED_WIDTH = 5 + 5 + 3 + 6 + 2 * len(COLUMNS)  # start, BPM, key, energy and the padding
NAME_WIDTH = 16  # the names get what the transitions leave, at least this


_RELATIONS = {"relative": "rel.", "diagonal": "diag.", "unknown": "key ?"}


def transition_cell(step: Transition) -> str:
    """ "✓ good: +1, +0.8%, E+1": the verdict's mark and word, then the key relation, the
    tempo change and the energy change, short."""
    parts = transition_parts(step, _RELATIONS, "E")
    return f"{VERDICT_MARKS[step.verdict][0]} {step.verdict}: {', '.join(parts)}"


def bpm_text(bpm: float | None) -> str:
    return f"{bpm:.1f}".removesuffix(".0") if bpm else ""


class SetEditor(DataTable[Text]):
    """The entries of the set shown; a row cursor selects one."""

    HELP_TITLE = "Set editor"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "shift+up,K", "move_entry(-1)", "Move up", tooltip="Move the entry up", id="sets.up"
        ),
        Binding(
            "shift+down,J",
            "move_entry(1)",
            "Move down",
            tooltip="Move the entry down",
            id="sets.down",
        ),
        Binding(
            "x,delete", "remove_entry", "Remove", tooltip="Take the entry out", id="sets.remove"
        ),
        Binding(
            "enter",
            "open_track",
            "Open",
            tooltip="Open the track panel",
            show=False,
            id="sets.open",
        ),
        Binding(
            "p",
            "preview",
            "Preview",
            tooltip="Hear the transition from the selected entry into the next, and step on",
            id="sets.preview",
        ),
        Binding("l", "listen", "Listen", tooltip="Listen mode through the set", id="sets.listen"),
        Binding("home,g", "scroll_top", "First entry", show=False, id="sets.first"),
        Binding("end,G", "scroll_bottom", "Last entry", show=False, id="sets.last"),
        Binding("k", "cursor_up", "Up", show=False, id="sets.cursor_up"),
        Binding("j", "cursor_down", "Down", show=False, id="sets.cursor_down"),
    ]

    class MoveRequested(Message):
        """Move the selected entry by `offset` places (-1 up, 1 down)."""

        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

    class RemoveRequested(Message):
        """Take the selected entry out of the set."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._found: AnalysedSet | None = None
        self._track_ids: list[int] = []

    def on_mount(self) -> None:
        for label in COLUMNS:
            self.add_column(Text(label), key=label)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show_set(self._found))

    @property
    def selected_position(self) -> int | None:
        """The selected entry's position (1-based), None when the set is empty."""
        return self.cursor_row + 1 if self.row_count else None

    def show_set(self, found: AnalysedSet | None, cursor: int | None = None) -> None:
        """Show a set's entries; select entry `cursor` (0-based; None: keep the row)."""
        keep = self.cursor_row if cursor is None else cursor
        self._found = found
        self._redraw()
        if self.row_count:
            self.move_cursor(row=max(0, min(keep, self.row_count - 1)), animate=False)

    def _redraw(self) -> None:
        """Rows for the set; names are cut to what the transitions leave of the width, so
        the verdicts stay on screen (a DataTable column is as wide as its widest cell)."""
        self.clear()
        self._track_ids = []
        found = self._found
        if found is None:
            return
        analysis = found.analysis
        steps = [analysis.transition_into(entry.position) for entry in found.setlist.entries]
        words = [
            (transition_cell(step) if step else "—")
            + (f" {NOTE_MARK}" if entry.transition_note else "")
            for step, entry in zip(steps, found.setlist.entries, strict=True)
        ]
        used = FIXED_WIDTH + len(str(len(steps))) + max(map(cell_width, words), default=0)
        room = self.scrollable_content_region.width - used
        width = max(NAME_WIDTH, room)
        for entry, start, step, said in zip(
            found.setlist.entries, analysis.starts, steps, words, strict=True
        ):
            track = found.tracks[entry.track_id]
            name = track_name(track.artist, track.title) + (" (missing)" if track.missing else "")
            if cell_width(name) > width:
                name = fit(name, width)
            self.add_row(
                Text(str(entry.position), justify="right"),
                Text(format_duration(start), justify="right"),
                Text(name),
                Text(bpm_text(track.bpm), justify="right"),
                Text(track.camelot or ""),
                Text(str(track.energy) if track.energy is not None else "", justify="right"),
                self._coloured(step.verdict, said) if step else Text(said),
            )
            self._track_ids.append(entry.track_id)

    def on_resize(self) -> None:
        if self._found is not None:
            self.show_set(self._found)

    def _coloured(self, verdict: str, said: str) -> Text:
        """ "✓ good (+1, +0.8%, energy +1)" in the theme's colour for the verdict."""
        colour = self.app.theme_variables.get(VERDICT_MARKS[verdict][1], "")
        return Text(said, style=Style(color=colour) if colour.startswith("#") else Style(dim=True))

    def action_move_entry(self, offset: int) -> None:
        if self.row_count:
            self.post_message(self.MoveRequested(offset))

    def action_remove_entry(self) -> None:
        if self.row_count:
            self.post_message(self.RemoveRequested())

    def action_open_track(self) -> None:
        if self.row_count:
            self.post_message(TrackTable.TrackChosen(self._track_ids[self.cursor_row]))

    def action_preview(self) -> None:
        """The transition preview, from the selected entry into the next (the app's screen,
        so it plays on while the set is edited elsewhere)."""
        if self._found is not None and self.row_count:
            app = cast("SetlistApp", self.app)  # a method call: set names are never parsed
            app.action_preview_transitions(self._found.setlist.name, self.cursor_row + 1)

    def action_listen(self) -> None:
        """Listen mode through the set, from its first entry."""
        if self._found is not None and self.row_count:
            cast("SetlistApp", self.app).action_listen_set(self._found.setlist.name)
