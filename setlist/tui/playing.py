"""Playback in the app: one mpv for the whole app, a queue of tracks, notes while listening.

`Playback` belongs to the app (`app.playback`). Every Player call blocks for a moment
(starting mpv, opening a file, waiting for sound from a new place), so the calls run one after
another on a thread of this module's own, in the order the keys were pressed: a seek right
after `space` must land in the track `space` started, which Textual's exclusive workers
(cancelling or racing each other) would not promise. That thread and the Player's own post
`PlaybackReported` messages (`setlist.tui.playing_updates`) to the app; `Playback.handle`, on
the app's thread, is the only place that changes what is shown, and it tells the widgets
through the `changed` signal.
Widgets read `state()` on a timer: it asks mpv nothing, so it never blocks.

Notes changed while listening are staged in the app's `NotesSaver` at once and written by a
worker; the now-playing bar shows "saving…", then "saved" (or why not).
"""

from __future__ import annotations

import os
import queue
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual.signal import Signal

from library.errors import SetlistError
from setlist.terminal import printable
from setlist.tui.messages import NotesStaged
from setlist.tui.playing_updates import (
    Failed,
    MoodsRead,
    NotesRead,
    PlaybackReported,
    Playing,
    PreviewStarted,
    Reported,
    Started,
    Update,
)

if TYPE_CHECKING:
    from library.notes.model import TrackNotes
    from library.storage import Store
    from setlist.playback import PlaybackState, Player, PlayerEvent, Segment, TransitionPreview
    from setlist.tui.app import SetlistApp
    from setlist.tui.notes_saving import NotesSaver, WriteResult

SEEK_SECONDS = 10.0


class _Closed(Exception):
    """The app closed playback while a command was starting mpv."""


def load_playing(store: Store, track_id: int) -> Playing:
    """What playing a library track needs: its file (by its exact bytes) and its notes."""
    from library.notes import store as notes_store
    from setlist.playback import PlaybackError

    found = store.tracks("id = ?", (track_id,))
    if not found:
        raise PlaybackError(f"track {track_id} is no longer in the library")
    track = found[0]
    raw = store.track_paths([track_id]).get(track_id)
    if raw is None or track.missing:
        raise PlaybackError(f"{track.path}: the file is missing; scan its folder or relink it")
    return Playing(
        track_id,
        track.artist or "",
        track.title or "",
        Path(os.fsdecode(raw)),
        track.duration,
        notes_store.load(store, track_id),
    )


class Playback:
    """The app's player, its queue and the track playing; used from the app's thread."""

    def __init__(self, app: SetlistApp, store: Store, saver: NotesSaver) -> None:
        self._app = app
        self.store = store
        self.saver = saver
        self.changed: Signal[None] = Signal(app, "playback-changed")
        self.queue: list[int] = []
        self.index = 0
        self.source = ""  # what the queue is: "search results", "set Vendredi"...
        self.playing: Playing | None = None
        self.preview: TransitionPreview | None = None
        self.moods: list[str] = []  # moods in use in the library, for completion
        self.save_state = ""
        self._edits = 0  # changes made here, so a stale read of the notes is recognised
        self.unavailable: str | None = None  # why there is no playback, once known
        self._player: Player | None = None  # made and replaced on the command thread only
        self._jobs: queue.SimpleQueue[Callable[[], object] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # guards _closed and _player against close()
        self._closed = False

    # -- what is playing (any thread; never blocks) --------------------------------------

    def state(self) -> PlaybackState | None:
        """Where playback is, as mpv last said; None when nothing is loaded."""
        player = self._player
        if player is None or (self.playing is None and self.preview is None):
            return None
        return player.state()

    @property
    def pid(self) -> int | None:
        """mpv's process id, while it runs."""
        player = self._player
        return None if player is None or player.closed else player.pid

    # -- commands (the app's thread) ------------------------------------------------------

    def play(self, track_ids: Sequence[int], index: int, source: str) -> None:
        """Play `track_ids[index]`, then the rest of `track_ids` in turn."""
        if not track_ids or not 0 <= index < len(track_ids):
            return
        self.queue, self.index, self.source = list(track_ids), index, source
        self._play_index(index)

    def _play_index(self, index: int) -> None:
        """Play the queue's track at `index`; the place moves at once, so `n` after a track
        that cannot be played (a missing file) goes on past it."""
        self.preview = None
        self.index = index
        track_id = self.queue[index]
        self._submit(lambda: self._load_and_play(track_id, index))

    def toggle_pause(self) -> None:
        self._submit(lambda: self._started().toggle_pause())

    def seek_by(self, seconds: float) -> None:
        self._submit(lambda: self._started().seek_by(seconds))

    def next(self) -> bool:
        """Write what is staged, and play the next track of the queue; False at its end."""
        self.write_notes()
        if self.index + 1 >= len(self.queue):
            return False
        self._play_index(self.index + 1)
        return True

    def stop(self) -> None:
        """Stop playing (mpv stays, idle, for the next track)."""
        self.playing = self.preview = None
        player = self._player
        if player is not None:
            self._submit(player.stop)
        self.changed.publish(None)

    def start_preview(self, segments: Sequence[Segment], transition: int) -> None:
        """Play a set's transition preview from `transition` (0-based) on."""
        from setlist.playback import TransitionPreview

        self.playing = None

        def start() -> None:
            preview = TransitionPreview(self._started(), segments)
            preview.play(transition)
            self._post(PreviewStarted(preview, transition))

        self._submit(start)

    def step_preview(self, by: int) -> None:
        """To the next (`by` 1) or the previous (-1) transition of the preview."""
        preview = self.preview
        if preview is not None:
            self._submit(preview.next_transition if by > 0 else preview.previous_transition)

    # -- notes ------------------------------------------------------------------------------

    def edit_notes(
        self,
        change: Callable[[TrackNotes, Playing], TrackNotes],
        playing: Playing | None = None,
    ) -> bool:
        """Change the notes of the track playing (or of `playing`, the track that was
        playing when a prompt opened), stage them and have them written; False (and a
        notification) when nothing plays or the change is refused."""
        current = self.playing
        target = (
            current
            if playing is None or (current is not None and current.track_id == playing.track_id)
            else playing
        )
        if target is None:
            return False
        try:
            notes = change(target.notes, target)
        except SetlistError as error:
            self._app.notify(str(error), severity="error", markup=False)
            return False
        if target is current:
            self.playing = replace(target, notes=notes)
        self._edits += 1
        if not set(notes.moods) <= set(self.moods):  # a new mood completes from now on
            self.moods = sorted({*self.moods, *notes.moods}, key=str.casefold)
        self.saver.stage(target.track_id, notes)
        self.save_state = "saving…"
        self.changed.publish(None)
        self.write_notes()
        return True

    def reread_notes(self) -> None:
        """Read the playing track's notes again, in the background: another part of the app
        (the track panel) may have changed them, and the keys must build on those."""
        playing = self.playing
        if playing is None or self.saver.pending(playing.track_id):
            return  # what we staged is the latest
        track_id, edits = playing.track_id, self._edits

        def read() -> None:
            from library.notes import store as notes_store

            self._post(NotesRead(track_id, notes_store.load(self.store, track_id), edits))

        self._submit(read)

    def write_notes(self) -> None:
        """Have the app write what is staged: one writer for the whole app (the track panel
        stages into the same saver), whose results come back through `notes_written`."""
        if self.saver.pending():
            self._app.post_message(NotesStaged())

    # -- what happened (the app's thread) -----------------------------------------------------

    def handle(self, update: Update) -> None:
        """Take in what the command thread or mpv reported, and tell the widgets."""
        from setlist.playback import PlayerStopped, TrackEnded

        if isinstance(update, Started):
            self.playing, self.index = update.playing, update.index
            self.save_state = ""
        elif isinstance(update, MoodsRead):
            self.moods = update.moods
        elif isinstance(update, PreviewStarted):
            self.preview = update.preview
        elif isinstance(update, Failed):
            self._failed(update)
        elif isinstance(update, NotesRead):
            playing = self.playing
            fresh = update.edits == self._edits and not self.saver.pending(update.track_id)
            if fresh and playing is not None and playing.track_id == update.track_id:
                self.playing = replace(playing, notes=update.notes)
        elif isinstance(update.event, PlayerStopped):
            self.playing = self.preview = None
            self._app.notify(update.event.message, severity="error", markup=False)
        elif isinstance(update.event, TrackEnded):
            ended = update.event
            playing = self.playing
            if playing is not None and ended.path == playing.path:
                if ended.reason == "error":
                    why = ended.error or "mpv could not play it"
                    self._app.notify(
                        printable(f"{playing.path}: cannot play: {why}"),
                        severity="error",
                        markup=False,
                    )
                if ended.reason in ("eof", "error") and not self.next():
                    self.playing = None  # the end of the queue
        self.changed.publish(None)

    def _failed(self, failure: Failed) -> None:
        if failure.unavailable:
            if self.unavailable is None:  # said once; the keys then leave the footer
                self.unavailable = failure.error
                self._app.notify(
                    failure.error, title="No playback", severity="error", timeout=20, markup=False
                )
            self.playing = self.preview = None
            return
        error = printable(failure.error)
        self._app.notify(error, title="Playback", severity="error", markup=False)

    def notes_written(self, results: list[WriteResult]) -> None:
        """A write of the app's saver ended (the app has told the views, and said errors):
        the bar's save state follows it."""
        if self.save_state == "":
            return  # nothing was changed here
        if any(result.error for result in results):
            self.save_state = "not saved"
        elif not self.saver.pending():
            self.save_state = "saved"
        self.changed.publish(None)

    # -- the command thread -----------------------------------------------------------------

    def _submit(self, job: Callable[[], object]) -> None:
        if self._closed or self.unavailable is not None:
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="playback-commands", daemon=True)
            self._thread.start()
        self._jobs.put(job)

    def _run(self) -> None:
        from setlist.playback import PlaybackError, PlayerUnavailableError

        while (job := self._jobs.get()) is not None:
            try:
                job()
            except _Closed:
                return
            except PlaybackError as error:
                unavailable = isinstance(error, PlayerUnavailableError)
                self._post(Failed(str(error), unavailable))
            except (sqlite3.Error, SetlistError) as error:
                self._post(Failed(str(error)))
            except Exception as error:  # noqa: BLE001 - said, and the next command still runs
                self._post(Failed(f"playback failed: {error!r}"))

    def _post(self, update: Update) -> None:
        self._app.post_message(PlaybackReported(update))

    def _started(self) -> Player:
        """The Player, started (again, if mpv went away) when needed."""
        from setlist.playback import Player

        player = self._player
        if player is not None and not player.closed:
            return player
        player = Player(self._app.settings.audio_output, on_event=self._reported)
        with self._lock:
            if self._closed:
                player.close()
                raise _Closed
            self._player = player
        return player

    def _reported(self, event: PlayerEvent) -> None:
        self._post(Reported(event))

    def _load_and_play(self, track_id: int, index: int) -> None:
        from library.notes.store import moods_in_use

        playing = load_playing(self.store, track_id)
        self._started().play(playing.path)
        self._post(Started(playing, index))
        # After the sound: the moods of the whole library, read again for each track since
        # another program may have added some, take a moment on a big library.
        self._post(MoodsRead(sorted(moods_in_use(self.store), key=str.casefold)))

    # -- the end ------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop mpv and the command thread, and write staged notes. Idempotent."""
        with self._lock:
            self._closed = True
            player = self._player
        self._jobs.put(None)
        if player is not None:
            player.close()
        if self.saver.pending():
            self.saver.write_pending()
