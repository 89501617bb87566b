"""The help screen: the keys of the view it was opened from, grouped by where they work.

It is built from the bindings active when `?` was pressed, so it lists exactly what the
keys do there (including keys the footer has no room for), plus the view's own notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer, Static


@dataclass(frozen=True, slots=True)
class KeyGroup:
    """Keys that work in one place (the track list, the search box, everywhere)."""

    title: str
    keys: list[tuple[str, str]]
    note: str = ""


class HelpScreen(ModalScreen[None]):
    """A list of keys; escape, ? or q close it."""

    HELP_TITLE = "Help"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > #help {
        width: 90;
        max-width: 100%;
        height: 90%;
        background: $panel;
        border: round $primary;
        border-title-color: $text-accent;
        padding: 0 1;
    }
    #help-body { height: 1fr; }
    """

    def __init__(self, title: str, groups: Sequence[KeyGroup]) -> None:
        super().__init__()
        self._title = title
        self._groups = list(groups)

    def compose(self) -> ComposeResult:
        with Vertical(id="help") as frame:
            frame.border_title = f"Keys: {self._title}"
            with VerticalScroll(id="help-body"):
                yield Static(self._table(), id="help-keys")
        yield Footer()

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, min_width=12)
        table.add_column()
        for index, group in enumerate(self._groups):
            if index:
                table.add_row("", "")
            table.add_row(Text(group.title, style="bold underline"), "")
            for key, description in group.keys:
                table.add_row(Text(key, style="bold"), Text(description))
            if group.note:
                table.add_row("", Text(group.note, style="italic"))
        return table

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)


def _title(node: DOMNode) -> str:
    title: str = getattr(node, "HELP_TITLE", "") or type(node).__name__
    return title


def key_groups(screen: Screen[Any], view: Widget | None = None) -> list[KeyGroup]:
    """The keys that work on `screen` now, grouped by the widget, screen or app that binds
    them: the view first (with its notes), then its widgets, the screen, and the app.

    A view's widgets that are not focused (its search box...) are listed too, with their
    own keys, which work once they are focused.
    """
    app = screen.app
    described: dict[int, tuple[DOMNode, dict[str, list[str]]]] = {}
    if view is not None:
        described[id(view)] = (view, {})

    def add(node: DOMNode, binding: Binding) -> None:
        if binding.description and not binding.system:
            _, keys = described.setdefault(id(node), (node, {}))
            text = binding.tooltip or binding.description
            # Every key on its own: a `key_display` names a family of keys in the footer.
            key = app.get_key_display(replace(binding, key_display=None))
            keys.setdefault(text, []).append(key)

    active = list(screen.active_bindings.values())
    for item in active:
        add(item.node, item.binding)
    if view is not None:
        chain = {id(item.node) for item in active}
        for widget in view.walk_children(Widget):
            if id(widget) in chain or not widget.focusable:
                continue
            for binding in type(widget).BINDINGS:
                if isinstance(binding, Binding):
                    for key in binding.key.split(","):
                        add(
                            widget,
                            Binding(
                                key.strip(),
                                binding.action,
                                binding.description,
                                tooltip=binding.tooltip,
                            ),
                        )

    def rank(node: DOMNode) -> int:
        if node is view:
            return 0
        return 3 if node is app else 2 if isinstance(node, Screen) else 1

    ordered = sorted(described.values(), key=lambda pair: rank(pair[0]))
    return [
        KeyGroup(
            _title(node),
            [(" ".join(keys), text) for text, keys in bound.items()],
            getattr(node, "HELP_TEXT", ""),
        )
        for node, bound in ordered
    ]
