"""The track panel: one track's cover, release, notes (edited in place) and tags.

Everything is read in thread workers (the track, its notes and release link; the moods in
use; the cover art, by `CoverArt`), so the panel opens at once and fills in. Notes are saved
as they change: each change is handed to the app's `NotesSaver` at once and written by the
app in a worker, right away for a key or a click, once typing pauses for text. The state is
shown in the panel's top line ("saved", "saving…"). Closing the panel adds what is typed in
the mood and cue boxes and has everything staged written; quitting the app writes it too.
"""

from __future__ import annotations

import sqlite3
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, TextArea

from library.errors import SetlistError
from library.notes.values import COLOURS, ROLES
from setlist.terminal import printable
from setlist.tui.messages import MoodsInUseLoaded, NotesStaged, TrackLoaded
from setlist.tui.palette import PaletteCommand
from setlist.tui.release_messages import ReleaseRequested
from setlist.tui.widgets.cover_art import CoverArt
from setlist.tui.widgets.note_fields import ROLE_KEYS
from setlist.tui.widgets.notes_editor import NotesEditor
from setlist.tui.widgets.track_tags import TrackTags, track_facts

if TYPE_CHECKING:
    from library.storage import Store
    from setlist.tui.notes_saving import NotesSaver, WriteResult

TYPING_PAUSE = 0.6  # seconds without a keystroke before typed text is written

# Ten energy keys and seven role keys: the footer shows each family once, under its first
# key (`key_display` names the family); the help screen lists every key.


def _energy_bindings() -> list[BindingType]:
    return [
        Binding(str(digit), f"set_energy({digit or 10})", "Energy", show=digit == 1,
                key_display="1-0" if digit == 1 else None,
                tooltip="Set the energy (1-9, 0 = 10)", id=f"track.energy_{digit}")
        for digit in (*range(1, 10), 0)
    ]  # fmt: skip


def _role_bindings() -> list[BindingType]:
    keys = "".join(ROLE_KEYS[role] for role in ROLES)
    return [
        Binding(ROLE_KEYS[role], f"toggle_role('{role}')", "Roles", show=role == ROLES[0],
                key_display=keys if role == ROLES[0] else None,
                tooltip="Toggle a role: opener warm-up builder peak breakdown(d) closer encore",
                id=f"track.role_{role}")
        for role in ROLES
    ]  # fmt: skip


class TrackPanel(ModalScreen[None]):
    """One track, opened with enter from a track list; escape closes it."""

    HELP_TITLE = "Track panel"
    HELP_TEXT = (
        "Notes are saved as they change (text once typing pauses); the top line says "
        '"saved". In a text box, keys type: esc leaves the box. Closing the panel adds '
        "what is typed in the mood and cue boxes. tab reaches the rating and colour lists."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="Close (from a text box: leave it)",
                id="track.close"),
        Binding("r", "go_to_release", "Release", tooltip="Show the linked release's page",
                id="track.release"),
        *_energy_bindings(),
        Binding("x", "set_energy(None)", "No energy", tooltip="Clear the energy",
                id="track.energy_clear"),
        *_role_bindings(),
        Binding("m", "focus_field('#mood-input')", "Mood", tooltip="Add a mood",
                id="track.mood"),
        Binding("n", "focus_field('#closing-note')", "Closing note", show=False,
                tooltip="Edit the closing note", id="track.closing_note"),
        Binding("t", "focus_field('#notes-text')", "Text", show=False,
                tooltip="Edit the free text", id="track.text"),
        Binding("u", "focus_field('#cue-at')", "Cue", show=False, tooltip="Add a cue",
                id="track.cue"),
        Binding("q", "close", "Close", show=False, id="track.close_q"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    TrackPanel { align: right top; }
    TrackPanel > #track-panel {
        width: 75%;
        min-width: 70;
        height: 1fr;
        background: $panel;
        border-left: wide $primary;
    }
    #track-panel-top { height: 2; padding: 1 2 0 2; }
    #track-panel-title { width: 1fr; text-style: bold; color: $text-accent; }
    #notes-state { width: auto; color: $text-muted; }
    #notes-state.-error { color: $text-error; text-style: bold; }
    #track-panel-sections { padding: 0 2; }
    #track-card { height: auto; margin-top: 1; }
    #track-card > CoverArt { width: 20; height: 10; margin-right: 2; }
    #track-facts { width: 1fr; height: auto; }
    .track-panel-heading { margin: 1 0; color: $text-muted; text-style: bold; }
    """

    def __init__(self, store: Store, track_id: int, saver: NotesSaver) -> None:
        super().__init__()
        self._store = store
        self.track_id = track_id
        self._saver = saver
        self._release_id: int | None = None
        self._typing: Timer | None = None
        self._editing_done = False  # not `_closed`: MessagePump uses that name

    def compose(self) -> ComposeResult:
        with Vertical(id="track-panel"):
            with Horizontal(id="track-panel-top"):
                yield Static(Content("Loading…"), id="track-panel-title", markup=False)
                yield Static(Content(""), id="notes-state", markup=False)
            with VerticalScroll(id="track-panel-sections"):
                with Horizontal(id="track-card"):
                    yield CoverArt(id="track-cover")
                    yield Static(Content(""), id="track-facts", markup=False)
                yield Static(Content("Notes"), classes="track-panel-heading")
                yield NotesEditor(id="notes-editor")
                yield Static(Content("Tags in the file"), classes="track-panel-heading")
                yield TrackTags(id="track-tags")
        yield Footer()

    @property
    def editor(self) -> NotesEditor:
        return self.query_one(NotesEditor)

    @property
    def saved_state(self) -> str:
        """What the top line says of the notes: saved, saving…, editing…, not saved: ..."""
        return str(self.query_one("#notes-state", Static).render())

    def on_mount(self) -> None:
        self.query_one("#track-panel-sections").focus()
        self._load(self._store, self.track_id)
        self._load_moods(self._store)

    # -- loading ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="track-panel")
    def _load(self, store: Store, track_id: int) -> None:
        from library.notes import store as notes_store
        from library.releases.store import ReleaseStore

        try:
            found = store.tracks("id = ?", (track_id,))
            if not found:
                self.post_message(TrackLoaded(track_id, None))
                return
            notes = notes_store.load(store, track_id)
            releases = ReleaseStore(store)
            link = releases.link_of(track_id)
            release = releases.get(link.release_id) if link else None
        except (sqlite3.Error, SetlistError) as error:
            self.post_message(TrackLoaded(track_id, None, str(error)))
            return
        self.post_message(TrackLoaded(track_id, found[0], notes=notes, link=link, release=release))

    @work(thread=True, exclusive=True, exit_on_error=False, group="track-moods")
    def _load_moods(self, store: Store) -> None:
        from library.notes import store as notes_store

        try:
            counts = notes_store.moods_in_use(store)
        except (sqlite3.Error, SetlistError):
            counts = {}  # no completions; typing a mood still works
        ranked = sorted(counts, key=lambda mood: (-counts[mood], mood))
        self.post_message(MoodsInUseLoaded(ranked))

    def on_moods_in_use_loaded(self, message: MoodsInUseLoaded) -> None:
        self.editor.show_moods_in_use(message.moods)

    def on_track_loaded(self, message: TrackLoaded) -> None:
        tags = self.query_one(TrackTags)
        title = self.query_one("#track-panel-title", Static)
        if message.track is None:
            reason = message.error or f"track {message.track_id} is no longer in the library"
            title.update(Content("Track not available"))
            tags.show_message(reason)
            self.query_one(CoverArt).load(None)
            return
        track = message.track
        heading = f"{printable(track.artist) or '?'} – {printable(track.title) or '?'}"
        title.update(Content(heading))
        tags.show_track(track)
        self._release_id = message.link.release_id if message.link else None
        facts = track_facts(track, message.link, message.release)
        self.query_one("#track-facts", Static).update(facts)
        self.query_one(CoverArt).load(None if track.missing else track.path)
        if message.notes is not None:
            self.editor.show_notes(message.notes, track.duration)
        self.refresh_bindings()

    # -- saving -----------------------------------------------------------------------------

    def on_notes_editor_changed(self, message: NotesEditor.Changed) -> None:
        message.stop()
        self._saver.stage(self.track_id, message.notes)
        if self._typing is not None:
            self._typing.stop()
            self._typing = None
        if message.typing:
            self._show_state("editing…")
            self._typing = self.set_timer(TYPING_PAUSE, self._write)
        else:
            self._write()

    def _write(self) -> None:
        """Have the app write what is staged (in its worker, which outlives this panel)."""
        self._typing = None
        self._show_state("saving…")
        self.app.post_message(NotesStaged())

    def show_written(self, result: WriteResult) -> None:
        """A write of this track's notes ended (the app forwards it)."""
        if result.error is not None:
            self._show_state(f"not saved: {result.error}", error=True)
        elif self._typing is None and not self._saver.pending(self.track_id):
            self._show_state("saved")

    def _show_state(self, text: str, *, error: bool = False) -> None:
        state = self.query_one("#notes-state", Static)
        state.update(Content(printable(text)))
        state.set_class(error, "-error")

    def finish_editing(self) -> list[str]:
        """Add what is typed in the mood and cue boxes and have everything written: the panel
        is closing, or the app quitting. Returns what could not be added, and why."""
        if self._editing_done:
            return []
        self._editing_done = True
        editor = self.editor
        before = editor.notes
        problems = editor.commit_typed() if before is not None else []
        if editor.notes is not None and editor.notes is not before:
            # Staged here: the editor's Changed message would reach a panel already gone.
            self._saver.stage(self.track_id, editor.notes)
        if self._typing is not None:
            self._typing.stop()
            self._typing = None
        if self._saver.pending(self.track_id):
            self.app.post_message(NotesStaged())
        return problems

    # -- actions ----------------------------------------------------------------------------

    def action_close(self) -> None:
        focused = self.focused
        if isinstance(focused, Input | TextArea):
            self.query_one("#track-panel-sections").focus()  # leave the box, stay open
            return
        for problem in self.finish_editing():
            self.notify(problem, title="Not added", severity="warning", markup=False)
        self.dismiss(None)

    def action_set_energy(self, energy: int | None) -> None:
        self.editor.set_energy(energy)

    def action_toggle_role(self, role: str) -> None:
        self.editor.toggle_role(role)

    def action_focus_field(self, selector: str) -> None:
        self.query_one(selector).focus()

    def action_go_to_release(self) -> None:
        if self._release_id is None:
            self.notify("This track is not linked to a release.", markup=False)
            return
        release_id = self._release_id
        self.action_close()
        self.app.post_message(ReleaseRequested(release_id, self.track_id))

    def palette_commands(self) -> list[PaletteCommand]:
        """What the command palette offers while the panel is open."""
        editor = self.editor
        commands = [
            PaletteCommand("Close the track panel", "escape", self.action_close),
            PaletteCommand("Go to the release", "Its page in Releases (r)",
                           self.action_go_to_release),
            PaletteCommand("Clear the energy", "x", partial(editor.set_energy, None)),
            PaletteCommand("Add a mood", "m", partial(self.action_focus_field, "#mood-input")),
            PaletteCommand("Add a cue", "u", partial(self.action_focus_field, "#cue-at")),
            PaletteCommand("Edit the closing note", "n",
                           partial(self.action_focus_field, "#closing-note")),
            PaletteCommand("Edit the free text", "t",
                           partial(self.action_focus_field, "#notes-text")),
        ]  # fmt: skip
        commands += [
            PaletteCommand(f"Energy {n}", f"key {n % 10}", partial(editor.set_energy, n))
            for n in range(1, 11)
        ]
        commands += [
            PaletteCommand(f"Toggle the role {role}", f"key {ROLE_KEYS[role]}",
                           partial(editor.toggle_role, role))
            for role in ROLES
        ]  # fmt: skip
        commands += [
            PaletteCommand(f"Rating {n}", "stars", partial(editor.set_value, "rating", str(n)))
            for n in range(6)
        ]
        commands.append(
            PaletteCommand("No rating", "", partial(editor.set_value, "rating", "none"))
        )
        commands += [
            PaletteCommand(f"Colour {name}", "", partial(editor.set_value, "colour", name))
            for name in (*COLOURS, "none")
        ]
        if editor.notes is not None and editor.notes.moods:
            # Moods are untrusted text and the palette reads titles as markup: no mood here.
            commands.append(
                PaletteCommand("Remove a mood", "Its chip: enter or delete removes it",
                               partial(self.action_focus_field, "MoodChip"))
            )  # fmt: skip
        return commands
