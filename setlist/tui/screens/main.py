"""The main screen: a tab per view, the view shown, the scan bar and the footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Tab, Tabs

from setlist.tui.views import VIEWS, View
from setlist.tui.widgets.now_playing import NowPlayingBar
from setlist.tui.widgets.scan_bar import ScanBar

if TYPE_CHECKING:
    from setlist.tui.app import SetlistApp


class ViewTabs(Tabs, can_focus=False):
    """The tabs naming the views; clicked, or switched by their keys (1, 2...)."""


class MainScreen(Screen[None]):
    """Where the app opens: the first view, its table focused."""

    HELP_TITLE = "Moving around"

    DEFAULT_CSS = """
    MainScreen { layout: vertical; }
    MainScreen > ViewTabs { dock: top; }
    MainScreen > #views { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        app = cast("SetlistApp", self.app)
        yield ViewTabs(*(Tab(f"{spec.key} {spec.title}", id=f"tab-{spec.id}") for spec in VIEWS))
        with ContentSwitcher(initial=VIEWS[0].id, id="views"):
            for spec in VIEWS:
                yield spec.build(app)
        yield NowPlayingBar(id="now-playing")
        yield ScanBar(id="scan-bar")
        yield Footer()

    @property
    def scan_bar(self) -> ScanBar:
        return self.query_one(ScanBar)

    @property
    def current_view(self) -> View:
        """The view on screen."""
        switcher = self.query_one(ContentSwitcher)
        return cast("View", switcher.get_child_by_id(switcher.current or VIEWS[0].id))

    def view(self, view_id: str) -> View:
        """The view with this id, shown or not."""
        return cast("View", self.query_one(ContentSwitcher).get_child_by_id(view_id))

    def views(self) -> list[View]:
        """Every view, shown or not."""
        switcher = self.query_one(ContentSwitcher)
        return [cast("View", switcher.get_child_by_id(spec.id)) for spec in VIEWS]

    def show_view(self, view_id: str) -> None:
        """Show a view and focus what it focuses first."""
        self.query_one(ContentSwitcher).current = view_id
        self.query_one(ViewTabs).active = f"tab-{view_id}"
        self.current_view.focus_default()

    def on_screen_resume(self) -> None:
        """Back from the track panel (or a prompt): the playing track's notes may have changed."""
        cast("SetlistApp", self.app).playback.reread_notes()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        view_id = (event.tab.id or "").removeprefix("tab-")
        if view_id and self.query_one(ContentSwitcher).current != view_id:
            self.show_view(view_id)
