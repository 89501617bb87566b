"""The pieces of the notes editor that show a value: energy, roles, mood chips, cues.

They draw what they are given and report clicks as messages; the editor
(`notes_editor.NotesEditor`) decides what a change means. Moods and cue texts are typed by
people or read from files, so they are drawn as plain `Content`, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from library.notes.values import ENERGY_RANGE, ROLES, format_time
from setlist.terminal import printable
from setlist.tui.widgets.track_columns import ROLE_MARKS

ROLE_KEYS: dict[str, str] = {role: mark.lower() for role, mark in ROLE_MARKS.items()}


def energy_text(energy: int | None) -> Content:
    """ "▮▮▮▮▮▮▮▯▯▯  7", or a hint when there is none."""
    top = ENERGY_RANGE[1]
    if energy is None:
        return Content.styled("none  (1-9, 0 = 10)", "dim")
    return Content.assemble(
        ("▮" * energy, "bold $accent"), ("▯" * (top - energy), "dim"), f"  {energy}"
    )


class RoleToggles(Horizontal):
    """A chip per role, lit when the track has it; a click toggles it (keys do too)."""

    class Toggled(Message):
        def __init__(self, role: str) -> None:
            super().__init__()
            self.role = role

    DEFAULT_CSS = """
    RoleToggles { height: 1; }
    RoleToggles > Button { min-width: 0; width: auto; margin-right: 1; }
    RoleToggles > Button.-on { background: $accent; color: $text; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        for role in ROLES:
            key = role.index(ROLE_KEYS[role])  # the key's letter, underlined in the word
            label = Content.assemble(role[:key], (role[key], "underline"), role[key + 1 :])
            button = Button(label, id=f"role-{role}", compact=True)
            button.can_focus = False  # keys toggle roles; tab stops are for typing
            yield button

    def show(self, roles: Sequence[str]) -> None:
        for role in ROLES:
            self.query_one(f"#role-{role}", Button).set_class(role in roles, "-on")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Toggled((event.button.id or "").removeprefix("role-")))


class MoodChip(Button):
    """One mood; enter, delete or a click removes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete,backspace", "press", "Remove mood", id="notes.remove_mood"),
    ]

    def __init__(self, mood: str) -> None:
        super().__init__(Content.assemble(printable(mood), (" ×", "bold")), compact=True)
        self.mood = mood


class MoodChips(Horizontal):
    """The track's moods as chips, in order."""

    class Removed(Message):
        def __init__(self, mood: str) -> None:
            super().__init__()
            self.mood = mood

    DEFAULT_CSS = """
    MoodChips { height: auto; width: auto; max-width: 1fr; }
    MoodChips > MoodChip { min-width: 0; width: auto; margin-right: 1; background: $boost; }
    MoodChips > MoodChip:focus { background: $accent; }
    """

    def show(self, moods: Sequence[str]) -> None:
        shown = [chip.mood for chip in self.query(MoodChip)]
        if shown == list(moods):
            return
        focused = self.app.focused
        refocus = isinstance(focused, MoodChip) and focused.parent is self
        self.remove_children()
        chips = [MoodChip(mood) for mood in moods]
        self.mount_all(chips)
        if refocus:
            target = chips[0] if chips else self.screen.query_one("#mood-input")
            self.call_after_refresh(target.focus)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if isinstance(event.button, MoodChip):
            self.post_message(self.Removed(event.button.mood))


class CueRow(Horizontal):
    """One cue: its time, its text, and a button that removes it."""

    DEFAULT_CSS = """
    CueRow { height: 1; }
    CueRow > .cue-at { width: 10; color: $text-accent; }
    CueRow > .cue-text { width: 1fr; }
    CueRow > Button { min-width: 0; width: 3; }
    """

    def __init__(self, at: float, text: str) -> None:
        super().__init__()
        self.at = at
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Content(format_time(self.at)), classes="cue-at", markup=False)
        yield Static(Content(printable(self.text)), classes="cue-text", markup=False)
        yield Button(Content("×"), compact=True, tooltip="Remove this cue")


class CueList(Vertical):
    """The cues, sorted by time."""

    class Removed(Message):
        def __init__(self, at: float) -> None:
            super().__init__()
            self.at = at

    DEFAULT_CSS = """
    CueList { height: auto; }
    """

    def show(self, cues: Sequence[tuple[float, str]]) -> None:
        if [(row.at, row.text) for row in self.query(CueRow)] == list(cues):
            return
        self.remove_children()
        self.mount_all([CueRow(at, text) for at, text in cues])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        row = event.button.parent
        if isinstance(row, CueRow):
            self.post_message(self.Removed(row.at))
