"""The suggestions pane: library tracks for the place after the selected entry, best first,
each with its reasons in words ("8A → 9A, +2.1% BPM, shares 'haunting'").

`setlist.suggestions.suggest` takes 60-120 ms on a 50,000-track library, so it runs in a
thread worker, one at a time: the pane follows the place it is given (`follow`), and while
one search runs, only the latest place asked for is searched next, so moving through a set
never queues searches. `a` (or enter here) asks the view to add the highlighted one after
the selected entry.
"""

from __future__ import annotations

import sqlite3
import textwrap
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from library.errors import SetlistError
from setlist.commands.set_views import track_name
from setlist.terminal import printable
from setlist.tui.set_messages import SuggestionsFound
from setlist.tui.widgets.set_editor import bpm_text

if TYPE_CHECKING:
    from library.storage import Store
    from setlist.models import SetList
    from setlist.suggestions import Suggestion

INDENT = " " * 7  # the reasons start under the title
SUGGESTIONS_SHOWN = 8  # each costs up to ~60 ms at 50,000 tracks, all in a worker


def suggestion_lines(suggestion: Suggestion, width: int = 0) -> Content:
    """ "84.2  Artist – Title" over "128 BPM · 8A · energy 6: " and its reasons, wrapped
    to `width` columns under the title (0: left to the list, which wraps at its edge)."""
    track = suggestion.track
    facts = [
        f"{bpm_text(track.bpm)} BPM" if track.bpm else "",
        track.camelot or "",
        f"energy {track.energy}" if track.energy is not None else "",
    ]
    details = " · ".join(fact for fact in facts if fact)
    reasons = printable(", ".join(suggestion.reasons)) or "nothing known to weigh"
    said = f"{details}: {reasons}" if details else reasons
    lines = textwrap.wrap(said, width - len(INDENT)) if width > len(INDENT) + 10 else [said]
    return Content.assemble(
        (f"{suggestion.score:>5.1f}", "$text-accent"),
        ("  " + track_name(track.artist, track.title), "bold"),
        ("".join(f"\n{INDENT}{line}" for line in lines), "$text-muted"),
    )


class SuggestionList(OptionList):
    """The suggestions; enter adds the highlighted one."""

    HELP_TITLE = "Suggestions"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "select", "Add", tooltip="Add the suggestion after the entry", id="sets.take"
        ),
    ]


class SuggestionsPane(Vertical):
    """A heading saying where the suggestions would go, and the list of them."""

    class AddRequested(Message):
        """Add the suggested track after entry `after` (0: at the start)."""

        def __init__(self, track_id: int, after: int) -> None:
            super().__init__()
            self.track_id = track_id
            self.after = after

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._store = store
        self.suggestions: list[Suggestion] = []
        self.after = 0
        self._wanted: tuple[SetList | None, int, int] = (None, 0, 0)  # set, version, after
        self._asked: tuple[int, int] | None = None  # (version, after) searched or shown
        self._busy = False
        self._width = 0  # what the reasons are wrapped to

    def on_mount(self) -> None:
        self.show_message("Open a set to get suggestions")

    def follow(self, setlist: SetList | None, version: int, after: int) -> None:
        """Show suggestions for the place after entry `after` of `setlist` (None: no set is
        open); `version` tells one state of the set from the next."""
        self._wanted = (setlist, version, after)
        if setlist is None:
            self._asked = None
            self.show_message("Open a set to get suggestions")
        elif not self._busy and (version, after) != self._asked:
            self._asked = (version, after)
            self._busy = True
            self.waiting(after)
            self._suggest(self._store, setlist, version, after)

    @work(thread=True, exclusive=True, exit_on_error=False, group="set-suggest")
    def _suggest(self, store: Store, setlist: SetList, version: int, after: int) -> None:
        from setlist.suggestions import suggest

        try:
            found = suggest(store, setlist, after, SUGGESTIONS_SHOWN)
        except (SetlistError, sqlite3.Error) as error:
            self.post_message(SuggestionsFound(version, after, [], str(error)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(SuggestionsFound(version, after, found))

    def on_suggestions_found(self, message: SuggestionsFound) -> None:
        message.stop()
        self._busy = False
        if (message.generation, message.after) == self._asked:
            if message.error is not None:
                self.show_message(f"No suggestions: {printable(message.error)}")
            else:
                self.show_suggestions(message.after, message.suggestions)
        self.follow(*self._wanted)  # the place asked for meanwhile, if it moved

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A search that failed in an unforeseen way is said, and the next may run."""
        if event.worker.group == "set-suggest" and event.state == WorkerState.ERROR:
            self._busy = False
            self.show_message(f"No suggestions: {printable(str(event.worker.error))}")

    def compose(self) -> ComposeResult:
        yield Static(Content("Suggestions"), id="suggestions-heading", markup=False)
        yield SuggestionList(id="suggestions-list", markup=False)

    @property
    def options(self) -> SuggestionList:
        return self.query_one(SuggestionList)

    def waiting(self, after: int) -> None:
        """Suggestions for the place after `after` are being looked for."""
        self._heading(f"Looking for tracks {_where(after)}…")

    def show_suggestions(self, after: int, suggestions: list[Suggestion]) -> None:
        self.after = after
        self.suggestions = suggestions
        where = _where(after)
        self._heading(f"Next {where} (a adds)" if suggestions else f"No tracks to suggest {where}")
        self._list_suggestions()
        if suggestions:
            self.options.highlighted = 0

    def _list_suggestions(self) -> None:
        width = self.options.scrollable_content_region.width - 1  # the highlight's margin
        self._width = width
        highlighted = self.options.highlighted
        self.options.set_options(
            Option(suggestion_lines(s, width), id=str(s.track.track_id)) for s in self.suggestions
        )
        self.options.highlighted = highlighted if self.suggestions else None

    def on_resize(self) -> None:
        """Wrap the reasons again for the new width."""
        if self.suggestions and self.options.scrollable_content_region.width - 1 != self._width:
            self._list_suggestions()

    def show_message(self, text: str) -> None:
        self.suggestions = []
        self.options.clear_options()
        self._heading(text)

    def _heading(self, text: str) -> None:
        heading = self.query_one("#suggestions-heading", Static)
        heading.update(Content(text), layout=False)  # one line, always: no new layout

    @property
    def highlighted(self) -> Suggestion | None:
        index = self.options.highlighted
        return self.suggestions[index] if index is not None and self.suggestions else None

    def action_add(self) -> None:
        chosen = self.highlighted
        if chosen is not None:
            self.post_message(self.AddRequested(chosen.track.track_id, self.after))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_add()


def _where(after: int) -> str:
    return f"after #{after}" if after else "to open the set"
