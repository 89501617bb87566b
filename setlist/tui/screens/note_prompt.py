"""A one-line prompt over the screen: a cue's text, the closing note, a mood to add.

Playback goes on while it is open; `enter` gives the text, `escape` gives None (nothing
changes). Moods complete from those in use (`→` takes the suggestion).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from setlist.tui.widgets.literal_text import LiteralInput


class NotePrompt(ModalScreen[str | None]):
    """Asks for one line of text about the track playing."""

    HELP_TITLE = "Note prompt"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]

    DEFAULT_CSS = """
    NotePrompt { align: center middle; }
    NotePrompt > #prompt {
        width: 80;
        max-width: 100%;
        height: auto;
        background: $panel;
        border: round $primary;
        padding: 0 1;
    }
    #prompt-title { color: $text-accent; text-style: bold; }
    #prompt-hint { color: $text-muted; }
    """

    def __init__(
        self,
        title: str,
        *,
        value: str = "",
        hint: str = "enter saves · esc cancels",
        suggestions: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self._title = title
        self._value = value
        self._hint = hint
        self._suggestions = list(suggestions)

    def compose(self) -> ComposeResult:
        suggester = (
            SuggestFromList(self._suggestions, case_sensitive=False) if self._suggestions else None
        )
        with Vertical(id="prompt"):
            yield Static(Content(self._title), id="prompt-title", markup=False)
            yield LiteralInput(
                self._value, suggester=suggester, id="prompt-input", select_on_focus=False
            )
            yield Static(Content(self._hint), id="prompt-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
