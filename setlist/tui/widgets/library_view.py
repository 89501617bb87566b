"""The library view: a search box, "N of M tracks", and the track table.

Searching runs in SQL, in a thread worker, in two steps: the first screenful of the new
order, drawn at once, then, once it is on screen, every matching id, which gives the count
and the scrollbar. The first screenful comes the cheapest way there is:

- a search answered before (a backspace, a cleared box) is shown from memory at once;
- a search that narrows the last one (typing on: `nac` -> `nacht`, or a word added) looks
  for its matches among the last results from the top, by id (`narrowed_ids`);
- any other looks the same way among the whole library in the order shown, known from the
  empty search, which every search narrows: a pasted `label:tresor -nacht` finds its first
  screenful among the first thousand tracks in 2-4 ms, where filtering the whole library
  takes 25 ms at 50,000 tracks;
- a search too rare for that (few matches among the first thousand: often an artist's
  name, whose tracks sit together in the order) asks SQLite for the top rows of the order
  (it does not sort every match; its free words come from the word index).

Whatever came from memory is confirmed by the second step, which always asks the library:
another process may have changed it. Keystrokes are debounced by what is in flight rather
than by a timer: while a first step runs, further keystrokes wait and only the latest text
is searched next, so typing never queues searches and a single keystroke is answered as
fast as the database can.

A query that cannot be understood leaves the last results on screen and shows the
`QueryError` message, which says what to fix.
"""

from __future__ import annotations

import sqlite3
import threading
from array import array
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from library.errors import QueryError, SetlistError
from library.query import Compiled, compile_query, compile_sort, narrows
from library.track_listing import listing_rows, matching_ids, narrowed_ids
from setlist.terminal import printable
from setlist.tui.messages import SearchFailed, TracksMatched
from setlist.tui.palette import PaletteCommand
from setlist.tui.playing_keys import PlayingKeys
from setlist.tui.set_messages import TrackAddRequested
from setlist.tui.widgets.literal_text import LiteralInput
from setlist.tui.widgets.track_columns import SORTABLE
from setlist.tui.widgets.track_table import TrackTable

if TYPE_CHECKING:
    from library.storage import Store

FIRST_SCREENFUL = 120  # ids fetched by a search's first step: a tall terminal's worth
DRAW_WAIT = 0.5  # seconds the second step waits for the first to be drawn, at most
ANSWERS_KEPT = 16  # complete answers remembered (ids only: 400 kB at 50,000 tracks)


class SearchBox(LiteralInput):
    """The search input; escape, enter and down go back to the table."""

    HELP_TITLE = "Search box"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Tracks", tooltip="Back to the track list", id="search.leave"),
        Binding("down", "leave", "Tracks", show=False, id="search.down"),
    ]

    def action_leave(self) -> None:
        self.screen.focus_next(TrackTable)

    def on_mount(self) -> None:
        self.virtual_size = Size(0, 1)  # as Input sets it when typed into: see below

    def validate_virtual_size(self, size: Size) -> Size:
        """Grow the scrollable width in steps of 256 cells, not one cell per keystroke, and
        from 256 even when empty, so the first letter typed changes nothing either.

        Input sets its virtual size to its text's width at every change, and each new size
        lays the whole screen out again: 10-20 ms a keystroke, more than the search itself
        (the first letter cost two layouts, 6 ms, before the empty box counted as 256).
        """
        return Size(max(1, -(-size.width // 256)) * 256, size.height)


@dataclass(frozen=True, slots=True)
class _Search:
    """What one search asks: the compiled text, the order, and who to keep selected; where
    its first screenful may come from (`candidates`: the previous results, which it narrows;
    `known`: it was answered before and is on screen already, to be confirmed); and `drawn`,
    set once its first screenful is on screen."""

    generation: int
    text: str
    compiled: Compiled
    order_by: str
    keep: int | None = None
    candidates: array[int] | None = None
    known: bool = False
    drawn: threading.Event = field(default_factory=threading.Event)


class LibraryView(PlayingKeys, Vertical):
    """Every track in the library, searchable and sortable; space plays the selected one."""

    HELP_TITLE = "Library"
    HELP_TEXT = (
        "Search: free words match artist, title, album, label and catalog number. "
        "Fields: artist: title: album: label: catno: format: key: (key:~8A for compatible "
        "keys) bpm: (bpm:128, bpm:120..130, bpm:>=126) year: missing:yes. "
        '"Quoted phrases" are one word; -word excludes.'
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash", "focus_search", "Search", tooltip="Search the library", id="library.search"
        ),
        Binding("l", "listen", "Listen", tooltip="Listen mode from here", id="library.listen"),
        Binding(
            "a",
            "add_to_set",
            "Add to set",
            tooltip="Add the selected track to the current set",
            id="library.add_to_set",
        ),
    ]

    class SortChanged(Message):
        """The library's order changed (the app remembers it in the settings)."""

        def __init__(self, sort: str) -> None:
            super().__init__()
            self.sort = sort

    def __init__(self, store: Store, sort: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._store = store
        self._sort = sort
        self._generation = 0
        self._in_flight = False
        self._waiting: str | None = None
        self._library_size = 0
        self._shown = 0  # the generation whose tracks the table shows
        self._keep: int | None = None
        self._current: _Search | None = None
        # Complete answers of recent searches, and the last one: where the next search's
        # first screenful can come from without filtering the whole library.
        self._answers: LRUCache[tuple[Compiled, str], array[int]] = LRUCache(ANSWERS_KEPT)
        self._last: tuple[str, str, array[int]] | None = None
        # The empty search's answer (the whole library in order), where any search can look
        # for its first screenful: kept apart from `_answers`, which may drop it.
        self._everything: tuple[str, array[int]] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="library-bar"):
            yield SearchBox(
                placeholder="/ search: mills  label:axis  key:~8A  bpm:125..130  -remix",
                id="library-search",
                select_on_focus=False,
                compact=True,
            )
            yield Static(id="library-status", markup=False)
        yield Static(id="library-error", markup=False)
        yield TrackTable(partial(listing_rows, self._store), self._sort, id="library-table")

    @property
    def searches(self) -> tuple[int, int]:
        """(searches started, the latest whose tracks are shown): equal when none is pending."""
        return self._generation, self._shown

    @property
    def table(self) -> TrackTable:
        return self.query_one(TrackTable)

    @property
    def search_box(self) -> SearchBox:
        return self.query_one(SearchBox)

    def on_mount(self) -> None:
        self.focus_default()
        self.search("")

    def focus_default(self) -> None:
        """The track table: arrows, enter and sorting act at once."""
        self.table.focus()

    # -- searching --------------------------------------------------------------------------

    @on(Input.Changed, "#library-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._in_flight:
            self._waiting = event.value
        else:
            self.search(event.value)

    @on(Input.Submitted, "#library-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def search(self, text: str, *, keep: int | None = None) -> None:
        """Show the tracks `text` matches; `keep` a track selected if it still matches."""
        try:
            compiled = compile_query(text)
        except QueryError as error:
            self._in_flight = False
            self._show_error(str(error))
            return
        self._show_error(None)
        self._generation += 1
        self._in_flight = keep is None
        self._keep = keep
        if self._current is not None:
            self._current.drawn.set()  # a search still waiting to go on need not wait
        order_by = compile_sort(self._sort)
        known = self._answers.get((compiled, order_by)) if keep is None else None
        candidates = None
        if known is None and keep is None:
            candidates = self._candidates(text, order_by)
        search = _Search(
            self._generation, text, compiled, order_by, keep, candidates, known is not None
        )
        self._current = search
        if known is not None:
            # Asked before (a backspace, a cleared box): shown at once, then confirmed.
            self._in_flight = False
            self._shown = search.generation
            self.table.show(known, {}, complete=True)
            self._show_count(len(known))
            self.call_after_refresh(search.drawn.set)
        self._match(self._store, search)

    def _candidates(self, text: str, order_by: str) -> array[int] | None:
        """Earlier results, in this order, that hold every match of `text`: the last
        results if `text` narrows them, else the whole library (None if not known yet)."""
        if self._last is not None:
            last_text, last_order, last_ids = self._last
            if last_order == order_by and narrows(last_text, text):
                return last_ids
        if self._everything is not None and self._everything[0] == order_by:
            return self._everything[1]
        return None

    def library_changed(self) -> None:
        """Search again for the same text, keeping the selected track: the library changed."""
        self.table.forget_rows()
        self._answers.clear()
        self._last = self._everything = None
        self.search(self.search_box.value, keep=self.table.selected_id)

    def notes_changed(self, track_ids: list[int]) -> None:
        """Draw these tracks' energy, roles and moods again, as saved."""
        self.table.refetch(track_ids)

    # A description of its own: Textual would otherwise describe each worker by the repr of
    # its arguments, here up to 50,000 candidate ids (10 ms a keystroke on the UI thread).
    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="library-search",
        description="library search",
    )
    def _match(self, store: Store, search: _Search) -> None:
        """Find the matching ids: the first screenful first (unless a track must stay
        selected, which needs its place among all of them), then all."""
        where, params = search.compiled.where, search.compiled.params
        try:
            size = store.count_tracks()
            if search.keep is None and not search.known:
                head = narrowed = None
                if search.candidates is not None:
                    compiled = search.compiled
                    head = narrowed = narrowed_ids(
                        store,
                        search.candidates,
                        compiled.probe,
                        compiled.probe_params,
                        FIRST_SCREENFUL,
                    )
                if head is None:
                    head = matching_ids(store, where, params, search.order_by, FIRST_SCREENFUL)
                # Narrowed from earlier results, it is confirmed against the library below.
                complete = len(head) < FIRST_SCREENFUL and narrowed is None
                rows = listing_rows(store, head)
                self.post_message(TracksMatched(search.generation, head, rows, complete, size))
                if complete:
                    return
                # The rest waits until the first screenful is drawn: sorting every match
                # and decoding the ids would compete with drawing it for the CPU.
                search.drawn.wait(DRAW_WAIT)
                if get_current_worker().is_cancelled:
                    return
            elif search.known:
                search.drawn.wait(DRAW_WAIT)  # shown from memory: confirm once it is drawn
                if get_current_worker().is_cancelled:
                    return
            ids = matching_ids(store, where, params, search.order_by)
            rows = {}
            if search.keep is not None:
                # Rows around the track that stays selected, so it is drawn at once.
                first = ids.index(search.keep) if search.keep in ids else 0
                start = max(0, first - FIRST_SCREENFUL)
                rows = listing_rows(store, ids[start : first + FIRST_SCREENFUL])
            self.post_message(TracksMatched(search.generation, ids, rows, True, size))
        except (sqlite3.Error, SetlistError) as error:
            self.post_message(SearchFailed(search.generation, str(error)))

    def on_tracks_matched(self, message: TracksMatched) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        table = self.table
        if message.generation == self._shown:
            cursor = table.cursor  # the rest of a search whose first screenful is shown
        elif self._keep is not None and self._keep in message.rows:
            cursor = message.ids.index(self._keep)
        else:
            cursor = 0
        self._shown = message.generation
        table.show(message.ids, message.rows, complete=message.complete, cursor=cursor)
        if message.complete and self._current is not None:
            answer = self._current
            self._answers[(answer.compiled, answer.order_by)] = message.ids
            self._last = (answer.text, answer.order_by, message.ids)
            if answer.compiled == Compiled():
                self._everything = (answer.order_by, message.ids)
        if not message.complete and self._current is not None:
            self.call_after_refresh(self._current.drawn.set)
        self._library_size = message.library_size
        self._show_count(len(message.ids) if message.complete else None)
        self._next_search()

    def on_search_failed(self, message: SearchFailed) -> None:
        message.stop()
        if message.generation == self._generation:
            self._show_error(message.error)
            self._next_search()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A search that failed in an unforeseen way must not leave typing unanswered."""
        if event.worker.group == "library-search" and event.state == WorkerState.ERROR:
            self._show_error(f"search failed: {event.worker.error}")
            self._next_search()

    def _next_search(self) -> None:
        """The search in flight has answered: run the one typed meanwhile, if any."""
        self._in_flight = False
        if self._waiting is not None:
            text, self._waiting = self._waiting, None
            self.search(text)

    def _show_count(self, matched: int | None) -> None:
        total = self._library_size
        noun = "track" if total == 1 else "tracks"
        shown = "…" if matched is None else f"{matched:,}"
        status = self.query_one("#library-status", Static)
        status.update(Content(f"{shown} of {total:,} {noun}"), layout=False)  # fixed width

    def _show_error(self, error: str | None) -> None:
        """Show why the search text cannot be used, under the box (None: it can)."""
        self.search_box.set_class(error is not None, "-invalid")
        line = self.query_one("#library-error", Static)
        if error is None:
            if line.display:  # a change of layout only when the line comes or goes
                line.display = False
            return
        line.update(Content(printable(error)))
        line.display = True

    # -- sorting and opening ----------------------------------------------------------------

    def sort_by(self, sort: str) -> None:
        """Order the library by `sort` (a `library.query` sort field, `-` for descending)."""
        self._sort = sort
        self.table.set_sort(sort)
        self.search(self.search_box.value, keep=self.table.selected_id)
        self.post_message(self.SortChanged(sort))

    def on_track_table_sort_requested(self, message: TrackTable.SortRequested) -> None:
        message.stop()
        self.sort_by(message.sort)

    def playing_queue(self) -> tuple[list[int], int, str] | None:
        """Space plays the selected track, then the rest of the results in turn."""
        table = self.table
        return (list(table.ids), table.cursor, "search results") if table.ids else None

    def followed(self, before: int, now: int) -> None:
        """The results are the queue: the selection follows `n` from the track that played."""
        queue, ids = self.playback.queue, self.table.ids
        same = before < len(ids) and now < len(ids) and ids[before] == queue[before]
        if same and self.table.cursor == before and ids[now] == queue[now]:
            self.table.move_cursor(now)

    def action_listen(self) -> None:
        """Listen mode through the results, from the selected track."""
        from setlist.tui.screens.listen import ListenScreen

        if (queue := self.playing_queue()) is not None:
            self.app.push_screen(ListenScreen(*queue))

    def action_focus_search(self) -> None:
        self.search_box.focus()

    def action_add_to_set(self) -> None:
        if self.table.selected_id is not None:
            self.post_message(TrackAddRequested(self.table.selected_id))

    def palette_commands(self) -> list[PaletteCommand]:
        """What the command palette offers in this view."""
        commands = [
            PaletteCommand(
                "Search the library", "Focus the search box (/)", self.action_focus_search
            ),
            PaletteCommand("Clear the search", "Show every track", partial(self._clear_search)),
            PaletteCommand(
                "Open the selected track", "Its tags (enter)", self.table.action_open_track
            ),
            PaletteCommand(
                "Play the selected track", "Then the results (space)", self.action_play_pause
            ),
            PaletteCommand(
                "Listen to the results",
                "Listen mode from the selected track (l)",
                self.action_listen,
            ),
            PaletteCommand(
                "Add the selected track to the current set",
                "The set last opened in the Sets view (a)",
                self.action_add_to_set,
            ),
        ]
        for column in SORTABLE:
            field = column.sort or ""
            commands.append(
                PaletteCommand(
                    f"Sort by {column.label.lower()}", "Ascending", partial(self.sort_by, field)
                )
            )
            commands.append(
                PaletteCommand(
                    f"Sort by {column.label.lower()}, descending",
                    "Descending",
                    partial(self.sort_by, f"-{field}"),
                )
            )
        return commands

    def _clear_search(self) -> None:
        self.search_box.value = ""
        self.table.focus()
