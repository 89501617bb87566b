"""The list of sets: each set's name, its entries, its length against its target, and where
and when it is for. Enter (or a click) opens the highlighted set in the editor.

Names and venues are untrusted (typed, imported from Rekordbox): each option is a `Content`
of `printable` text, never markup.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from library.set_store import SetSummary
from setlist.durations import format_duration
from setlist.terminal import printable


def summary_lines(summary: SetSummary) -> Content:
    """ "Name", "5 tracks · 31:20/1:00:00", and "Venue · 2026-11-27" when known."""
    count = f"{summary.tracks} track{'s' if summary.tracks != 1 else ''}"
    length = format_duration(summary.seconds) + ("+?" if summary.unknown_durations else "")
    if summary.target_minutes:
        length += f"/{format_duration(summary.target_minutes * 60)}"
    where = [printable(summary.venue), summary.date.isoformat() if summary.date else ""]
    lines: list[str | tuple[str, str]] = [
        (printable(summary.name), "bold"),
        (f"\n  {count} · {length}", "$text-muted"),
    ]
    if any(where):
        lines.append((f"\n  {' · '.join(filter(None, where))}", "$text-muted"))
    return Content.assemble(*lines)


class SetIndex(OptionList):
    """Every set, by name; the one shown in the editor is marked."""

    HELP_TITLE = "Sets"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "select", "Open", tooltip="Open the set in the editor", id="sets.open_set"
        ),
        Binding("k", "cursor_up", "Up", show=False, id="sets.list_up"),
        Binding("j", "cursor_down", "Down", show=False, id="sets.list_down"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.summaries: dict[int, SetSummary] = {}

    def show_sets(self, summaries: list[SetSummary], current: int | None) -> None:
        """List `summaries`; keep the highlighted set highlighted (or else the `current`)."""
        highlighted = self.highlighted_option
        keep = int(highlighted.id) if highlighted and highlighted.id else current
        self.summaries = {summary.id: summary for summary in summaries}
        self.set_options(Option(summary_lines(s), id=str(s.id)) for s in summaries)
        if keep in self.summaries:
            self.highlighted = self.get_option_index(str(keep))
        elif summaries:
            self.highlighted = 0

    @property
    def highlighted_set(self) -> SetSummary | None:
        option = self.highlighted_option
        return self.summaries.get(int(option.id)) if option and option.id else None
