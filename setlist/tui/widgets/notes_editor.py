"""The notes editor: every field of a track's notes, changed in place.

Every change goes through `library.notes.edits.apply`, the same checks as `setlist note`:
a mood with `;`, a cue time that is no time or lies past the end of the track is refused
with the message under the fields, and the notes stay as they were. An accepted change
becomes the editor's notes at once and is announced with `NotesEditor.Changed` (`typing`
says whether it came from a text box, whose writes the panel puts off until typing pauses).

Text boxes hold text exactly as typed: the free text and the closing note are `TextArea`s,
which draw text literally, line breaks included (`LiteralTextArea`: control characters
stay in the text but are never drawn).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static, TextArea

from library.notes import values
from library.notes.edits import NoteEdit, apply
from library.notes.values import NoteValueError
from setlist.terminal import printable
from setlist.tui.widgets.literal_text import LiteralInput, LiteralTextArea
from setlist.tui.widgets.note_fields import CueList, MoodChips, RoleToggles, energy_text

if TYPE_CHECKING:
    from library.notes.model import TrackNotes

NONE = "none"  # the Select value for "no rating" / "no colour"
RATINGS: list[tuple[str | Content, str]] = [
    ("no rating", NONE),
    *((f"{'★' * n}{'☆' * (5 - n)}  {n}", str(n)) for n in range(6)),
]
COLOURS: list[tuple[str | Content, str]] = [
    ("no colour", NONE),
    *((Content.assemble(("●", name), f" {name}"), name) for name in values.COLOURS),
]


def _field(label: str) -> Static:
    return Static(Content(label), classes="notes-label")


class NotesEditor(Vertical):
    """Moods, energy, roles, rating, colour, the closing note, free text and cues."""

    class Changed(Message):
        """The notes changed (already checked); `typing`: from a text box."""

        def __init__(self, notes: TrackNotes, typing: bool) -> None:
            super().__init__()
            self.notes = notes
            self.typing = typing

    DEFAULT_CSS = """
    NotesEditor { height: auto; }
    NotesEditor .notes-row { height: auto; margin-bottom: 1; }
    NotesEditor .notes-label { width: 14; color: $text-muted; }
    NotesEditor #energy { width: 1fr; }
    NotesEditor #mood-input { width: 28; }
    NotesEditor #rating, NotesEditor #colour { width: 24; margin-right: 2; }
    NotesEditor TextArea { width: 1fr; background: $boost; }
    NotesEditor TextArea:focus { background: $primary 15%; }
    NotesEditor #closing-note { height: 2; }
    NotesEditor #notes-text { height: 5; }
    NotesEditor #cue-at { width: 10; }
    NotesEditor #cue-text { width: 1fr; }
    NotesEditor #cues-box { width: 1fr; height: auto; }
    NotesEditor .cue-new { height: 1; }  /* a Horizontal is 1fr high unless told */
    NotesEditor #notes-error { color: $text-error; height: auto; display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.notes: TrackNotes | None = None
        self.duration: float | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="notes-row"):
            yield _field("Energy")
            yield Static(energy_text(None), id="energy")
        with Horizontal(classes="notes-row"):
            yield _field("Roles")
            yield RoleToggles(id="roles")
        with Horizontal(classes="notes-row"):
            yield _field("Moods")
            yield MoodChips(id="moods")
            yield LiteralInput(
                placeholder="add a mood (→ completes)", id="mood-input", compact=True
            )
        with Horizontal(classes="notes-row"):
            yield _field("Rating")
            yield Select(RATINGS, value=NONE, allow_blank=False, id="rating", compact=True)
            yield Select(COLOURS, value=NONE, allow_blank=False, id="colour", compact=True)
        with Horizontal(classes="notes-row"):
            yield _field("Closing note")
            yield LiteralTextArea(
                id="closing-note", placeholder="why and how it closes a set", compact=True
            )
        with Horizontal(classes="notes-row"):
            yield _field("Notes")
            yield LiteralTextArea(id="notes-text", placeholder="anything else", compact=True)
        with Horizontal(classes="notes-row"):
            yield _field("Cues")
            with Vertical(id="cues-box"):
                yield CueList(id="cues")
                with Horizontal(classes="cue-new"):
                    yield LiteralInput(placeholder="m:ss", id="cue-at", compact=True)
                    yield LiteralInput(placeholder="what happens there (enter adds)", id="cue-text",
                                compact=True)  # fmt: skip
        yield Static(id="notes-error", markup=False)

    # -- showing -----------------------------------------------------------------------------

    def show_notes(self, notes: TrackNotes, duration: float | None) -> None:
        """Show a track's notes as loaded (no change is announced)."""
        self.notes = notes
        self.duration = duration
        self._show(notes)
        for box, text in (("#closing-note", notes.closing_note), ("#notes-text", notes.text)):
            area = self.query_one(box, TextArea)
            with area.prevent(TextArea.Changed):
                area.load_text(text)

    def _show(self, notes: TrackNotes) -> None:
        self.query_one("#energy", Static).update(energy_text(notes.energy))
        self.query_one(RoleToggles).show(notes.roles)
        self.query_one(MoodChips).show(notes.moods)
        for select_id, value in (("#rating", notes.rating), ("#colour", notes.colour)):
            select = self.query_one(select_id, Select)
            wanted = NONE if value is None else str(value)
            if select.value != wanted:
                with select.prevent(Select.Changed):
                    select.value = wanted
        self.query_one(CueList).show([(cue.at, cue.text) for cue in notes.cues])

    def show_moods_in_use(self, moods: list[str]) -> None:
        """Offer these moods (most used first) as completions in the mood box."""
        box = self.query_one("#mood-input", Input)
        box.suggester = SuggestFromList(moods, case_sensitive=False)

    def show_error(self, error: str | None) -> None:
        line = self.query_one("#notes-error", Static)
        if error is None:
            line.display = False
            return
        line.update(Content(printable(error)))
        line.display = True
        self.call_after_refresh(line.scroll_visible, animate=False)  # under the last field

    # -- changing ----------------------------------------------------------------------------

    def change(self, edit: NoteEdit, *, typing: bool = False) -> str | None:
        """Apply `edit`; the reason (also shown) when a value is refused, else None."""
        if self.notes is None:
            return "the notes are still loading"
        try:
            changed = apply(self.notes, edit, self.duration)
        except NoteValueError as error:
            self.show_error(str(error))
            return str(error)
        self.show_error(None)
        if changed != self.notes:
            self.notes = changed
            self._show(changed)
            self.post_message(self.Changed(changed, typing))
        return None

    def set_energy(self, energy: int | None) -> None:
        self.change(NoteEdit(energy=NONE if energy is None else str(energy)))

    def toggle_role(self, role: str) -> None:
        roles = self.notes.roles if self.notes else []
        if role in roles:
            self.change(NoteEdit(remove_roles=(role,)))
        else:
            self.change(NoteEdit(add_roles=(role,)))

    def set_value(self, field: str, value: str) -> None:
        """Set the rating or the colour from its text ("none" clears it)."""
        edit = NoteEdit(rating=value) if field == "rating" else NoteEdit(colour=value)
        self.change(edit)

    def remove_mood(self, mood: str) -> None:
        self.change(NoteEdit(remove_moods=(mood,)))

    def add_mood(self) -> str | None:
        """Add the mood typed in the mood box; the reason it cannot be added, if so."""
        box = self.query_one("#mood-input", Input)
        if not box.value.strip():
            return None
        error = self.change(NoteEdit(add_moods=(box.value,)))
        if error is None:
            box.value = ""
        return error

    def add_cue(self) -> str | None:
        """Add the cue typed in the two cue boxes; the reason it cannot be added, if so."""
        at_box = self.query_one("#cue-at", Input)
        text_box = self.query_one("#cue-text", Input)
        if not at_box.value.strip() and not text_box.value.strip():
            return None
        try:
            at = values.parse_time(at_box.value)
        except NoteValueError as error:
            self.show_error(f"cue: {error}")
            return f"cue: {error}"
        refused = self.change(NoteEdit(add_cues=(f"{values.format_time(at)}={text_box.value}",)))
        if refused is None:
            at_box.value = text_box.value = ""
        return refused

    def commit_typed(self) -> list[str]:
        """Add what is typed but not yet added (a mood, a cue): the panel is closing. Returns
        what could not be added, and why, so it can be named to the user."""
        problems = []
        for adds, box_id in ((self.add_mood, "#mood-input"), (self.add_cue, "#cue-at")):
            typed = self.query_one(box_id, Input).value
            error = adds()
            if error is not None:
                problems.append(f"{printable(typed)!r} was not added: {error}")
        return problems

    # -- events ------------------------------------------------------------------------------

    @on(Input.Submitted, "#mood-input")
    def _mood_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.add_mood()

    @on(Input.Submitted, "#cue-at, #cue-text")
    def _cue_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "cue-at" and not self.query_one("#cue-text", Input).value:
            self.query_one("#cue-text", Input).focus()
            return
        self.add_cue()
        self.query_one("#cue-at", Input).focus()  # the next cue, or the time to fix

    @on(TextArea.Changed, "#closing-note")
    def _closing_note_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.change(NoteEdit(closing_note=event.text_area.text), typing=True)

    @on(TextArea.Changed, "#notes-text")
    def _text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.change(NoteEdit(text=event.text_area.text), typing=True)

    @on(Select.Changed, "#rating, #colour")
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.set_value(event.select.id or "", str(event.value))

    def on_role_toggles_toggled(self, message: RoleToggles.Toggled) -> None:
        message.stop()
        self.toggle_role(message.role)

    def on_mood_chips_removed(self, message: MoodChips.Removed) -> None:
        message.stop()
        self.remove_mood(message.mood)

    def on_cue_list_removed(self, message: CueList.Removed) -> None:
        message.stop()
        self.change(NoteEdit(remove_cues=(values.format_time(message.at),)))
