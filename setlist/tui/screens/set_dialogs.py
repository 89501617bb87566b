"""Small dialogs of the Sets view: a name to give, a yes or no, a set to pick.

Each only gathers an answer and returns it (`dismiss`); the view then makes the change in a
worker. Set names in them are shown as `Content` of `printable` text, never markup (and
never in a border title, which Textual reads as markup).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from setlist.terminal import printable
from setlist.tui.widgets.literal_text import LiteralInput

# Centred; the frame, its size and its parts are the app's `.dialog-*` rules (app.tcss),
# one look for every dialog (a dialog's own CSS would lose to the app's stylesheet).
DIALOG_CSS = "{name} {{ align: center middle; }}\n"


class NamePrompt(ModalScreen[str | None]):
    """Asks for a set name; returns it (stripped, not empty) or None when cancelled."""

    HELP_TITLE = "Name"
    DEFAULT_CSS = DIALOG_CSS.format(name="NamePrompt")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self._question = question
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-frame -small"):
            yield Static(Content(printable(self._question)), classes="dialog-question")
            yield LiteralInput(
                self._value, placeholder="A name, e.g. Friday [warm-up]", id="name-input"
            )
            yield Static(classes="dialog-error", id="name-error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#name-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if not name:
            self.query_one("#name-error", Static).update(Content("A set needs a name."))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """Asks a yes or no question; y or the Yes button is yes, n or escape no."""

    HELP_TITLE = "Confirm"
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-frame -small"):
            yield Static(Content(printable(self._question)), classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Yes (y)", variant="error", id="confirm-yes")
                yield Button("No (n)", id="confirm-no")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()  # enter alone never deletes

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")


class SetPicker(ModalScreen[str | None]):
    """Asks which set (by name); returns it, or None when cancelled."""

    HELP_TITLE = "Pick a set"
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="SetPicker")
        + "SetPicker OptionList { height: auto; max-height: 16; }"
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
    ]

    def __init__(self, question: str, names: list[str]) -> None:
        super().__init__()
        self._question = question
        self._names = names

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-frame -small"):
            yield Static(Content(printable(self._question)), classes="dialog-question")
            yield OptionList(
                *(
                    Option(Content(printable(name)), id=str(n))
                    for n, name in enumerate(self._names)
                ),
                id="picker-sets",
                markup=False,
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._names[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
