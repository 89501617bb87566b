"""The track table: a Line-API `ScrollView` that draws only the rows on screen.

Textual's DataTable builds every row up front (about 8 s to first paint at 50,000 tracks,
and a second per re-filter). This table holds only the ids a search matched, in order, and
asks for the columns of the rows near the screen, by id, in a worker; rows and drawn lines
live in LRU caches (the pattern of Toolong's LogLines). A row not fetched yet is drawn as a
placeholder for the moment it takes.

Line 0 is the header, fixed while the rows scroll beneath it. Cells are plain segments of
`printable` text: tag text can never be read as markup, a link or an action.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, WorkerState

from library.errors import SetlistError
from library.track_listing import ListingRow
from setlist.tui.messages import RowsFetched
from setlist.tui.widgets.track_columns import (
    COLUMNS,
    GAP,
    SORTABLE,
    column_at,
    column_for_sort,
    fit,
    header_cells,
    layout,
    toggled_sort,
)

FetchRows = Callable[[Sequence[int]], dict[int, ListingRow]]
ROW_CACHE = 4_096
STRIP_CACHE = 1_024
PAGES_AHEAD = 2  # rows fetched beyond the screen, so paging down finds them drawn


class TrackTable(ScrollView, can_focus=True, inherit_bindings=False):
    """Tracks by index into the ids of the current search; a cursor selects one."""

    HELP_TITLE = "Track list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "open_track", "Open", tooltip="Open the track panel", id="library.open_track"
        ),
        Binding("s", "next_sort", "Sort", tooltip="Sort by the next column", id="library.sort"),
        Binding(
            "S",
            "reverse_sort",
            "Reverse",
            tooltip="Reverse the order",
            show=False,  # the footer has no room for it at 120 columns; the help lists it
            id="library.reverse",
        ),
        Binding("up,k", "cursor_up", "Up", show=False, id="library.cursor_up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="library.cursor_down"),
        Binding("pageup", "page_up_rows", "Page up", show=False, id="library.page_up"),
        Binding("pagedown", "page_down_rows", "Page down", show=False, id="library.page_down"),
        Binding("home,g", "first_row", "First track", show=False, id="library.first"),
        Binding("end,G", "last_row", "Last track", show=False, id="library.last"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "track-table--header",
        "track-table--cursor",
        "track-table--cursor-blurred",
        "track-table--missing",
        "track-table--marker",
        "track-table--pending",
    }

    DEFAULT_CSS = """
    TrackTable {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-gutter: stable;
        background: $surface;
        & > .track-table--header { text-style: bold; color: $text-accent; background: $panel; }
        & > .track-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .track-table--cursor-blurred {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .track-table--missing { color: $text-muted; }
        & > .track-table--marker { color: $text-error; text-style: bold; }
        & > .track-table--pending { color: $text-disabled; }
    }
    """

    class TrackChosen(Message):
        """The user asked to open a track (enter or a double click)."""

        def __init__(self, track_id: int) -> None:
            super().__init__()
            self.track_id = track_id

    class SortRequested(Message):
        """The user asked for another order (a key or a click on a column header)."""

        def __init__(self, sort: str) -> None:
            super().__init__()
            self.sort = sort

    def __init__(self, fetch_rows: FetchRows, sort: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._fetch_rows = fetch_rows
        self.sort = sort
        self.cursor = 0
        self.complete = False
        self.empty_text = "No tracks match."
        self._ids: array[int] = array("q")
        self._rows: LRUCache[int, ListingRow] = LRUCache(ROW_CACHE)
        self._strips: LRUCache[tuple[int, bool, bool, int], Strip] = LRUCache(STRIP_CACHE)
        self._requested: set[int] = set()
        self._version = 0
        self._widths: tuple[int, list[int]] = (-1, [])
        self._styles: dict[tuple[str, ...], Style] = {}

    # -- what it shows ----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Tracks known to the table (the first screenful until a search completes)."""
        return len(self._ids)

    @property
    def ids(self) -> Sequence[int]:
        """The ids of the tracks in the table, in order."""
        return self._ids

    @property
    def selected_id(self) -> int | None:
        """The id of the track under the cursor, if there is one."""
        return self._ids[self.cursor] if self._ids else None

    def cached_row(self, track_id: int) -> ListingRow | None:
        """The row of a track, if it has been fetched."""
        return self._rows.get(track_id)

    def show(
        self,
        ids: array[int],
        rows: dict[int, ListingRow],
        *,
        complete: bool,
        cursor: int = 0,
    ) -> None:
        """Show these tracks (rows: any already fetched) and put the cursor on `cursor`."""
        self._ids = ids
        self.complete = complete
        for track_id, row in rows.items():
            self._rows[track_id] = row
        self._set_height(len(ids) + 1)
        self.cursor = max(0, min(cursor, len(ids) - 1))
        self._scroll_to_cursor()
        self.refresh()
        self._want_rows()

    def _set_height(self, lines: int) -> None:
        """Set the scrollable height without a layout of the whole screen.

        Assigning `virtual_size` lays out (and so redraws) every widget on screen, which cost
        a search's frame 10-20 ms at 120x40. The table's size does not depend on its height
        (the vertical scrollbar is always shown), so only the scrollbar and the scroll
        position need to follow.
        """
        size = Size(0, lines)
        if size == self.virtual_size:
            return
        self.set_reactive(TrackTable.virtual_size, size)
        if self.container_size.height:
            self.vertical_scrollbar.window_virtual_size = lines
            self.vertical_scrollbar.window_size = self.container_size.height
        self.scroll_y = self.validate_scroll_y(self.scroll_y)
        self.scroll_target_y = self.scroll_y

    def forget_rows(self) -> None:
        """Drop every fetched row: the library changed, so they are fetched again."""
        self._version += 1
        self._rows.clear()
        self._strips.clear()
        self._requested.clear()

    def refetch(self, track_ids: Sequence[int]) -> None:
        """Fetch these tracks' rows again (their notes changed); the others stay cached."""
        for track_id in track_ids:
            self._rows.discard(track_id)
            self._requested.discard(track_id)
        self._strips.clear()
        self._want_rows()

    def set_sort(self, sort: str) -> None:
        """Show `sort` in the header (the caller fetches the tracks in the new order)."""
        self.sort = sort
        self.refresh_line(0)

    # -- fetching rows ----------------------------------------------------------------------

    def _want_rows(self) -> None:
        """Ask for the rows on screen and a little around it that are not cached yet."""
        if not self._ids:
            return
        page = self._page()
        top = self.scroll_offset.y
        start = max(0, top - page)
        stop = min(len(self._ids), top + (PAGES_AHEAD + 1) * page)
        missing = [
            track_id
            for track_id in self._ids[start:stop]
            if track_id not in self._rows and track_id not in self._requested
        ]
        if missing:
            self._requested.update(missing)
            self._fetch(missing, self._version)

    @work(thread=True, exit_on_error=False, group="track-rows", description="track rows")
    def _fetch(self, ids: list[int], version: int) -> None:
        """Fetch rows by id. Not exclusive: each request asks for rows no other one does."""
        try:
            rows = self._fetch_rows(ids)
        except (sqlite3.Error, SetlistError):
            rows = {}  # drawn as placeholders; asked for again when next in view
        self.post_message(RowsFetched(version, rows, ids))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A fetch that broke in an unforeseen way: its rows are asked for again later."""
        if event.worker.group == "track-rows" and event.state == WorkerState.ERROR:
            self._requested.clear()

    def on_rows_fetched(self, message: RowsFetched) -> None:
        message.stop()
        if message.version != self._version:
            return
        self._requested.difference_update(message.requested)
        for track_id, row in message.rows.items():
            self._rows[track_id] = row
        self.refresh()

    # -- drawing ----------------------------------------------------------------------------

    def _page(self) -> int:
        """Rows on screen below the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _layout(self, width: int) -> list[int]:
        if self._widths[0] != width:
            self._widths = (width, layout(COLUMNS, width))
        return self._widths[1]

    def _style(self, *names: str) -> Style:
        """The widget's style plus component styles, computed once per theme: `rich_style`
        walks every ancestor, far too slow to ask for each line of each frame."""
        style = self._styles.get(names)
        if style is None:
            style = self.rich_style
            for name in names:
                style += self.get_component_rich_style(name)
            self._styles[names] = style
        return style

    def _line(self, cells: list[tuple[str, Style]], width: int, style: Style) -> Strip:
        """One line of cells (already fitted to their columns), exactly `width` wide."""
        segments: list[Segment] = []
        used = 0
        for index, (text, cell_style) in enumerate(cells):
            if index:
                segments.append(Segment(" " * GAP, style))
                used += GAP
            segments.append(Segment(text, cell_style))
            used += cell_len(text)
        if used == width:
            return Strip(segments, width)
        return Strip(segments, used).adjust_cell_length(width, style)

    def _header(self, width: int) -> Strip:
        widths = self._layout(width)
        style = self._style("track-table--header")
        titles = header_cells(COLUMNS, self.sort)
        cells = [
            (fit(title, w, column.align), style)
            for title, w, column in zip(titles, widths, COLUMNS, strict=True)
        ]
        return self._line(cells, width, style)

    def _row_style(self, selected: bool, *extra: str) -> Style:
        if not selected:
            return self._style(*extra)
        cursor = "track-table--cursor" if self.has_focus else "track-table--cursor-blurred"
        return self._style(*extra, cursor)

    def _row(self, row: ListingRow, width: int, selected: bool) -> Strip:
        widths = self._layout(width)
        style = self._row_style(selected, *(["track-table--missing"] if row.missing else []))
        marker = self._row_style(selected, "track-table--marker")
        cells = [
            (fit(column.text(row), w, column.align), marker if column.key == "missing" else style)
            for column, w in zip(COLUMNS, widths, strict=True)
        ]
        return self._line(cells, width, style)

    def _note(self, text: str, width: int, style: Style) -> Strip:
        return Strip([Segment(fit(f" {text}", width), style)]).adjust_cell_length(width, style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header(width)
        index = self.scroll_offset.y + y - 1
        if index >= len(self._ids):
            if index == 0 and self.complete:
                return self._note(self.empty_text, width, self._style("track-table--pending"))
            return Strip.blank(width, self._style())
        track_id = self._ids[index]
        selected = index == self.cursor
        key = (track_id, selected, self.has_focus, width)
        strip = self._strips.get(key)
        if strip is None:
            row = self._rows.get(track_id)
            if row is None:
                return self._note("…", width, self._row_style(selected, "track-table--pending"))
            strip = self._strips[key] = self._row(row, width, selected)
        return strip

    def notify_style_update(self) -> None:
        """A theme or style change: lines drawn in the old colours are dropped."""
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._want_rows()

    def on_resize(self, event: events.Resize) -> None:
        self._scroll_to_cursor()
        self._want_rows()

    def on_focus(self) -> None:
        self.refresh_line(self.cursor + 1)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor + 1)

    # -- moving -----------------------------------------------------------------------------

    def _scroll_to_cursor(self) -> None:
        page = self._page()
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False)

    def move_cursor(self, index: int) -> None:
        """Select the track at `index` (clamped to the table) and scroll it into view."""
        if not self._ids:
            return
        index = max(0, min(index, len(self._ids) - 1))
        old, self.cursor = self.cursor, index
        self.refresh_line(old + 1)
        self.refresh_line(index + 1)
        self._scroll_to_cursor()

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_page_up_rows(self) -> None:
        page = self._page()
        self.scroll_to(y=max(0, self.scroll_offset.y - page), animate=False)
        self.move_cursor(self.cursor - page)

    def action_page_down_rows(self) -> None:
        page = self._page()
        self.scroll_to(y=self.scroll_offset.y + page, animate=False)
        self.move_cursor(self.cursor + page)

    def action_first_row(self) -> None:
        self.move_cursor(0)

    def action_last_row(self) -> None:
        self.move_cursor(len(self._ids) - 1)

    def action_open_track(self) -> None:
        if self.selected_id is not None:
            self.post_message(self.TrackChosen(self.selected_id))

    def action_next_sort(self) -> None:
        current = column_for_sort(self.sort)
        index = SORTABLE.index(current) + 1 if current in SORTABLE else 0
        self.post_message(self.SortRequested(SORTABLE[index % len(SORTABLE)].sort or "artist"))

    def action_reverse_sort(self) -> None:
        self.post_message(self.SortRequested(toggled_sort(self.sort, self.sort.lstrip("-"))))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            width = self.scrollable_content_region.width
            column = column_at(COLUMNS, self._layout(width), offset.x)
            if column is not None and column.sort:
                self.post_message(self.SortRequested(toggled_sort(self.sort, column.sort)))
            return
        index = self.scroll_offset.y + offset.y - 1
        if index < len(self._ids):
            self.move_cursor(index)
            if event.chain == 2:
                self.action_open_track()
