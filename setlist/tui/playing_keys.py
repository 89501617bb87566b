"""The keys of playing and of tagging while listening, for every place a track can play.

`PlayingKeys` is mixed into the library view and the listen screen (before their Textual
base, so its bindings and `check_action` join theirs): space, ←/→, n, the digits, m, c, x.
Keys that act on the playing track are off while nothing plays (dimmed in the footer, and the
key goes on to the next binding, such as the app's view keys); once mpv is known to be
missing, all of them are hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from library.notes.edits import NoteEdit, apply, cue_at_playback
from library.notes.values import format_time
from setlist.tui.playing import SEEK_SECONDS
from setlist.tui.screens.note_prompt import NotePrompt
from setlist.tui.widgets.now_playing import track_name

if TYPE_CHECKING:
    from library.notes.model import TrackNotes
    from setlist.tui.app import SetlistApp
    from setlist.tui.playing import Playback
    from setlist.tui.playing_updates import Playing

ENERGY_KEYS = {str(digit): digit or 10 for digit in range(10)}  # 0 is 10
_WHILE_PLAYING = {"seek", "next_track", "set_energy", "add_mood", "add_cue", "toggle_closer"}
CLOSER = "closer"


class PlayingKeys(DOMNode):
    """Play, pause, seek, next; energy, mood, cue and closer of the track playing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "play_pause", "Play/pause", id="playing.play_pause"),
        Binding("n", "next_track", "Next", tooltip="Save, play the next track", id="playing.next"),
        *(
            Binding(
                key,
                f"set_energy({energy})",
                "Energy",
                tooltip="Energy 1-9 of the track playing; 0 is 10",
                show=False,
                id=f"playing.energy_{key}",
            )
            for key, energy in ENERGY_KEYS.items()
        ),
        *(
            Binding(key, action, title, tooltip=tooltip, show=False, id=f"playing.{key}")
            for key, action, title, tooltip in (
                ("left", f"seek({-SEEK_SECONDS})", "−10 s", "Seek 10 s back"),
                ("right", f"seek({SEEK_SECONDS})", "+10 s", "Seek 10 s on"),
                ("m", "add_mood", "Mood", "Add a mood (-mood removes)"),
                ("c", "add_cue", "Cue", "A cue at the playing time"),
                ("x", "toggle_closer", "Closer", "Closer role, closing note"),
            )
        ),
    ]  # fmt: skip

    @property
    def playback(self) -> Playback:
        app: SetlistApp = self.app  # type: ignore[assignment]
        return app.playback

    def playing_queue(self) -> tuple[list[int], int, str] | None:
        """What space plays when the track under the cursor is not the one playing: the
        queue, the place in it and its name; None when space only pauses and resumes."""
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Without mpv, no playback key is offered (False: hidden); while nothing plays,
        the keys for the track playing are shown dimmed (None), so the footer and the help
        screen teach them, and the key goes on to the next binding."""
        playback = self.playback
        if action in _WHILE_PLAYING or action == "play_pause":
            if playback.unavailable is not None:
                return False
            if action == "next_track" and playback.queue:
                return True  # also past a track that could not be played
            if action != "play_pause" and playback.playing is None:
                return None
            return True
        return super().check_action(action, parameters)

    def action_play_pause(self) -> None:
        playback = self.playback
        wanted = self.playing_queue()
        if wanted is not None:
            ids, index, source = wanted
            playing = playback.playing
            if playing is None or playing.track_id != ids[index]:
                playback.play(ids, index, source)
                return
        if playback.playing is not None:
            playback.toggle_pause()

    def action_seek(self, seconds: float) -> None:
        self.playback.seek_by(seconds)

    def action_next_track(self) -> None:
        playback = self.playback
        before = playback.index
        if not playback.next():
            self.app.notify("That was the last track of the queue.", markup=False)
            return
        self.followed(before, playback.index)

    def followed(self, before: int, now: int) -> None:
        """`n` moved the queue from place `before` to `now`: a view that shows the queue
        moves its selection along, if it was on the track that was playing."""

    def action_set_energy(self, energy: int) -> None:
        self._edit(lambda notes, playing: apply(notes, NoteEdit(energy=str(energy)), None))

    def action_add_mood(self) -> None:
        playing = self.playback.playing
        if playing is None:
            return

        def add(text: str | None) -> None:
            word = (text or "").strip()
            if not word:
                return
            edit = (
                NoteEdit(remove_moods=(word[1:],))
                if word.startswith("-")
                else NoteEdit(add_moods=(word,))
            )
            self._edit(lambda notes, _: apply(notes, edit, None), playing)

        self.app.push_screen(
            NotePrompt(
                f"Mood for {track_name(playing)}",
                hint="enter adds · -mood removes · → completes · esc cancels",
                suggestions=self.playback.moods,
            ),
            add,
        )

    def action_add_cue(self) -> None:
        playback = self.playback
        playing, state = playback.playing, playback.state()
        if playing is None or state is None:
            return
        at = state.position or 0.0  # the moment c was pressed, not when the text is done

        def add(text: str | None) -> None:
            if text is not None:
                self._edit(lambda notes, p: cue_at_playback(notes, at, text, p.duration), playing)

        self.app.push_screen(
            NotePrompt(f"Cue at {format_time(round(at, 3))} in {track_name(playing)}"), add
        )

    def action_toggle_closer(self) -> None:
        playing = self.playback.playing
        if playing is None:
            return
        if CLOSER in playing.notes.roles:
            self._edit(lambda notes, _: apply(notes, NoteEdit(remove_roles=(CLOSER,)), None))
            self.app.notify(f"{track_name(playing)}: no longer a closer", markup=False)
            return
        self._edit(lambda notes, _: apply(notes, NoteEdit(add_roles=(CLOSER,)), None))

        def closing(text: str | None) -> None:
            if text is not None:
                edit = NoteEdit(closing_note=text)
                self._edit(lambda notes, _: apply(notes, edit, None), playing)

        self.app.push_screen(
            NotePrompt(f"Closing note for {track_name(playing)}", value=playing.notes.closing_note),
            closing,
        )

    def _edit(
        self,
        change: Callable[[TrackNotes, Playing], TrackNotes],
        playing: Playing | None = None,
    ) -> None:
        """Apply `change` to the notes of `playing` (the track playing when None)."""
        self.playback.edit_notes(change, playing)
