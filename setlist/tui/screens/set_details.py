"""The "Set details" dialog: a set's target length, venue, date and description, pre-filled.

It checks what was typed with the CLI's own rules (`setlist.commands.sets.set_fields`), so a
bad target or date gets the one-line error `setlist sets edit` would print, shown in the
dialog, which stays open; nothing is stored until every field is right. It returns only the
fields changed; the Sets view stores them through its queue of edits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from library.errors import SetlistError
from setlist.cli_state import UserError
from setlist.commands.set_views import quoted
from setlist.commands.sets import set_fields
from setlist.terminal import printable
from setlist.tui.screens.set_dialogs import DIALOG_CSS
from setlist.tui.widgets.literal_text import LiteralInput

if TYPE_CHECKING:
    from setlist.models import SetList

# Each field: its input's id (the keyword of `set_fields`), its label, a placeholder.
FIELDS = (
    ("target", "Target (min)", "whole minutes, e.g. 90; empty: none"),
    ("venue", "Venue", "where the set is for"),
    ("date", "Date", "YYYY-MM-DD; empty: none"),
    ("description", "Description", "what the set is about"),
)


def field_texts(setlist: SetList) -> dict[str, str]:
    """A set's fields as the dialog's boxes show them."""
    return {
        "target": str(setlist.target_minutes) if setlist.target_minutes else "",
        "venue": setlist.venue,
        "date": setlist.date.isoformat() if setlist.date else "",
        "description": setlist.description,
    }


class SetDetailsDialog(ModalScreen[dict[str, Any] | None]):
    """Edits a set's fields; returns those changed, checked (None: cancelled or unchanged)."""

    HELP_TITLE = "Set details"
    DEFAULT_CSS = DIALOG_CSS.format(name="SetDetailsDialog") + (
        "SetDetailsDialog .details-row { height: auto; }\n"
        "SetDetailsDialog .details-label { width: 14; padding: 1 1 0 0; }\n"
        "SetDetailsDialog .details-row Input { width: 1fr; }\n"
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="details.cancel"),
    ]

    def __init__(self, setlist: SetList) -> None:
        super().__init__()
        self._set_name = setlist.name
        self._before = field_texts(setlist)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-frame -small"):
            question = f"Details of the set {quoted(self._set_name)} (enter saves, esc cancels):"
            yield Static(Content(question), classes="dialog-question", markup=False)
            for key, label, placeholder in FIELDS:
                with Horizontal(classes="details-row"):
                    yield Static(Content(label), classes="details-label", markup=False)
                    yield LiteralInput(self._before[key], placeholder=placeholder, id=key)
            yield Static(classes="dialog-error", id="details-error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = {key: self.query_one(f"#{key}", Input).value for key, _, _ in FIELDS}
        changed = {key: text if text != self._before[key] else None for key, text in typed.items()}
        try:
            fields = set_fields("", **changed)
        except (SetlistError, UserError) as error:
            self.query_one("#details-error", Static).update(Content(printable(str(error))))
            return
        self.dismiss(fields or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
