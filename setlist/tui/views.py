"""The app's views, one tab each: the library, the releases and the sets.

A view is a widget that fills the main area. Besides drawing itself it answers four
questions for the app: what the command palette offers while it is shown
(`palette_commands`), what to do when the library changed under it (`library_changed`, after
a scan), or when notes of some tracks were saved (`notes_changed`), and what to focus when it
is shown (`focus_default`). Its `HELP_TITLE` and
`HELP_TEXT` head its page of the help screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from textual.widget import Widget

from setlist.tui.palette import PaletteCommand
from setlist.tui.widgets.library_view import LibraryView
from setlist.tui.widgets.releases_view import ReleasesView
from setlist.tui.widgets.sets_view import SetsView

if TYPE_CHECKING:
    from setlist.tui.app import SetlistApp


class View(Protocol):
    """What the app asks of a view."""

    HELP_TITLE: str
    HELP_TEXT: str

    def palette_commands(self) -> list[PaletteCommand]: ...

    def library_changed(self) -> None: ...

    def notes_changed(self, track_ids: list[int]) -> None: ...

    def focus_default(self) -> None: ...


@dataclass(frozen=True, slots=True)
class ViewSpec:
    """A view: its id, its tab title, the key that shows it, and how to build it."""

    id: str
    title: str
    key: str
    build: Callable[[SetlistApp], Widget]


VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec(
        "library",
        "Library",
        "1",
        lambda app: LibraryView(app.store, app.settings.library_sort, id="library"),
    ),
    ViewSpec("releases", "Releases", "2", lambda app: ReleasesView(app.store, id="releases")),
    ViewSpec("sets", "Sets", "3", lambda app: SetsView(app.store, id="sets")),
)
