"""The transition preview of a set: each track's last N seconds, then the next one's first N.

`PreviewScreen(set_name, start)` is the whole of it: it loads the set in a worker, works out
the schedule (`transition_segments`, N from the setting `preview_seconds`), plays it on the
app's Player from the transition out of entry `start` (1: entry 1 into entry 2; the last
entry, which has none, starts at the transition into it) to the end of the set, and
shows every transition with the one playing marked. The palette's "Preview transitions: <set>"
and the app's action `preview_transitions(name, start)` open it; the sets view can too, in
one line: `self.app.push_screen(PreviewScreen(name, position))`.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from library.errors import SetlistError
from setlist.terminal import printable
from setlist.tui.playing import SEEK_SECONDS
from setlist.tui.widgets.now_playing import REDRAW_SECONDS, clock

if TYPE_CHECKING:
    from library.storage import Store
    from setlist.playback import Segment
    from setlist.tui.app import SetlistApp
    from setlist.tui.playing import Playback


@dataclass(frozen=True, slots=True)
class PreviewPlan:
    """A set's preview: its name, its tracks' names in order, and the schedule."""

    name: str
    titles: list[str]
    segments: list[Segment]


class PreviewPlanned(Message):
    """The preview of a set is worked out (None and `error`: it cannot be made)."""

    def __init__(self, plan: PreviewPlan | None, error: str = "") -> None:
        super().__init__()
        self.plan = plan
        self.error = error


def plan_preview(store: Store, name: str, seconds: float) -> PreviewPlan:
    """The preview of the set `name`; SetlistError when a file is missing or the set is too
    short (`transition_segments` says which)."""
    from library.set_store import SetStore
    from setlist.playback import PreviewError, transition_segments
    from setlist.sets import set_tracks, to_model

    found = SetStore(store).get(name)
    ids = [entry.track_id for entry in found.entries]
    tracks = set_tracks(store, to_model(found))
    paths = store.track_paths(ids)
    entries: list[tuple[Path, float | None]] = []
    titles = []
    for position, track_id in enumerate(ids, 1):
        track = tracks[track_id]
        title = f"{printable(track.artist) or '?'} – {printable(track.title) or '?'}"
        if track.missing or track_id not in paths:
            raise PreviewError(f"entry {position} ({title}): the file is missing ({track.path})")
        entries.append((Path(os.fsdecode(paths[track_id])), track.duration))
        titles.append(title)
    return PreviewPlan(found.name, titles, transition_segments(entries, seconds))


class PreviewScreen(Screen[None]):
    """A set's transitions, played one after the other; escape stops and goes back."""

    HELP_TITLE = "Transition preview"
    HELP_TEXT = (
        "Each transition is the last seconds of a track, then the first seconds of the next "
        "(the setting preview_seconds, 30 by default); the preview runs to the end of the set."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "pause", "Play/pause", id="preview.pause"),
        Binding("n,down", "step(1)", "Next", tooltip="The next transition", id="preview.next"),
        Binding("p,up", "step(-1)", "Previous", tooltip="The transition before", id="preview.prev"),
        Binding("left", f"seek({-SEEK_SECONDS})", "−10 s", show=False, id="preview.back"),
        Binding("right", f"seek({SEEK_SECONDS})", "+10 s", show=False, id="preview.forward"),
        Binding("escape", "leave", "Stop", tooltip="Stop the preview, go back", id="preview.leave"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    PreviewScreen { layout: vertical; }
    #preview { padding: 1 2; height: 1fr; }
    #preview-title { text-style: bold; color: $text-accent; }
    #preview-now { margin: 1 0; }
    #preview-list { height: 1fr; }
    """

    def __init__(self, set_name: str, start: int = 1) -> None:
        """`start`: the entry (1-based) whose transition to the next one plays first; the
        last entry gives the transition into it, so a cursor anywhere in a set works."""
        super().__init__()
        self.set_name = set_name
        self.start = start
        self.plan: PreviewPlan | None = None
        self._shown = ""

    @property
    def playback(self) -> Playback:
        app: SetlistApp = self.app  # type: ignore[assignment]
        return app.playback

    def compose(self) -> ComposeResult:
        with Vertical(id="preview"):
            title = Content(f"Transition preview: {printable(self.set_name)}")
            yield Static(title, id="preview-title")
            yield Static(Content("Loading the set…"), id="preview-now", markup=False)
            with VerticalScroll(id="preview-list"):
                yield Static(id="preview-transitions", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        app: SetlistApp = self.app  # type: ignore[assignment]
        self._plan(app.store, self.set_name, app.settings.preview_seconds)
        self.set_interval(REDRAW_SECONDS, self.redraw)
        self.playback.changed.subscribe(self, lambda _: self.redraw())

    @work(thread=True, exclusive=True, exit_on_error=False, group="preview-plan")
    def _plan(self, store: Store, name: str, seconds: float) -> None:
        try:
            self.post_message(PreviewPlanned(plan_preview(store, name, seconds)))
        except (sqlite3.Error, SetlistError) as error:
            self.post_message(PreviewPlanned(None, str(error)))

    def on_preview_planned(self, message: PreviewPlanned) -> None:
        plan = message.plan
        transitions = 0 if plan is None else plan.segments[-1].transition + 1
        error = message.error
        if plan is not None and not 1 <= self.start <= transitions + 1:
            error = f"entry {self.start}: the set has {transitions + 1} entries"
        if plan is None or error:
            self.notify(f"No preview: {error}", severity="error", markup=False)
            self.dismiss(None)
            return
        self.plan = plan
        self.playback.start_preview(plan.segments, min(self.start, transitions) - 1)

    def current(self) -> Segment | None:
        """The segment playing, once the preview plays."""
        preview = self.playback.preview
        return None if preview is None else preview.current()

    def redraw(self) -> None:
        plan = self.plan
        if plan is None:
            return
        segment = self.current()
        state = self.playback.state()
        if segment is None or state is None:
            now = "Starting…" if self.playback.preview is None else "The preview has ended."
        else:
            total = plan.segments[-1].transition + 1
            part = "end" if segment.entry == segment.transition else "start"
            mark = "⏸" if state.paused else "▶"
            now = (
                f"{mark} Transition {segment.transition + 1} of {total}: the {part} of "
                f"{plan.titles[segment.entry]}  {clock(state.position)} / {clock(state.duration)}"
            )
        playing = -1 if segment is None else segment.transition
        lines = [
            f"{'▶' if number == playing else ' '} {number + 1:>2}. {outgoing}  →  {incoming}"
            for number, (outgoing, incoming) in enumerate(pairwise(plan.titles))
        ]
        text = now + "\n" + "\n".join(lines)
        if text != self._shown:
            self._shown = text
            self.query_one("#preview-now", Static).update(Content(now))
            self.query_one("#preview-transitions", Static).update(Content("\n".join(lines)))

    def action_pause(self) -> None:
        self.playback.toggle_pause()

    def action_step(self, by: int) -> None:
        self.playback.step_preview(by)

    def action_seek(self, seconds: float) -> None:
        self.playback.seek_by(seconds)

    def action_leave(self) -> None:
        self.playback.stop()
        self.dismiss(None)
