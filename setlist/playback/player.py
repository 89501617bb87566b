"""`Player`: one mpv process, driven over its JSON IPC, for the app and `setlist play`.

A Player starts mpv idle when it is made (PlayerUnavailableError, with how to install mpv, if
there is none) and keeps it until `close()`, the end of the `with` block, or the end of the
interpreter (atexit). mpv cannot outlive the process that owns it, even one killed with
SIGKILL: see `setlist.playback.mpv_process`.

Every method may be called from any thread (a Textual worker, a key handler's thread): each
is one request to mpv, or a sequence of them under one lock. Methods that start or move
playback (`play`, `play_list`, `seek`) return once mpv plays from the new place, so a
position read right after them is the new one.

What mpv reports on its own arrives as events (`TrackStarted`, `TrackEnded`, `PlayerStopped`),
handed to `on_event` on a thread of the Player's own (so a handler may call the Player); with
no handler they wait in `Player.events`, a queue. `state()` answers from what mpv last
reported, without asking it: cheap enough for a status line redrawn several times a second.
"""

from __future__ import annotations

import atexit
import itertools
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from setlist.playback.errors import PlaybackError, PlayerUnavailableError
from setlist.playback.events import PlayerEvent, PlayerStopped, TrackEnded, TrackStarted
from setlist.playback.mpv_ipc import MpvCommandError, MpvConnection
from setlist.playback.mpv_process import (
    GRACE_SECONDS,
    find_mpv,
    resolve_audio_output,
    start_mpv,
)

LOAD_SECONDS = 10.0  # how long a file may take to open (a sleeping network drive)

# Properties mpv reports whenever they change, by the id we observe them under.
_OBSERVED = {1: "time-pos", 2: "duration", 3: "pause"}


@dataclass(frozen=True, slots=True)
class Clip:
    """A file to play, or part of one: from `start` to `end`, in seconds (None: from the
    beginning, to the end). A negative `start` counts from the end, as mpv's does."""

    path: Path
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True, slots=True)
class PlaybackState:
    """What is playing, as mpv last reported it. `index` is the clip's place in the list
    given to `play_list` (0 for `play`); all None when nothing plays."""

    path: Path | None = None
    index: int | None = None
    position: float | None = None
    duration: float | None = None
    paused: bool = False


_live: weakref.WeakSet[Player] = weakref.WeakSet()


def _seconds(value: Any) -> float | None:
    """A time from mpv; it reports -0.0, or a hair below zero, at the start of some files."""
    return None if value is None else max(0.0, float(value))


@atexit.register
def _close_live_players() -> None:
    """At the interpreter's exit: end every mpv still running (the lifeline would end them a
    moment later anyway; this also waits for them, so none is left a zombie)."""
    for player in list(_live):
        player.close()


class Player:
    """One mpv, idle until told to play. Use as a context manager, or call `close()`."""

    def __init__(
        self,
        audio_output: str | None = None,
        *,
        on_event: Callable[[PlayerEvent], None] | None = None,
    ) -> None:
        """`audio_output` is the setting of that name; SETLIST_AUDIO_OUTPUT overrides it."""
        self.audio = resolve_audio_output(audio_output)
        self._child = start_mpv(find_mpv(), self.audio)
        self.events: queue.Queue[PlayerEvent] = queue.Queue()
        self._on_event = on_event or self.events.put
        self._outbox: queue.SimpleQueue[PlayerEvent | None] = queue.SimpleQueue()
        self._dispatcher = threading.Thread(target=self._dispatch, name="mpv-events", daemon=True)
        self._dispatcher.start()
        self._changed = threading.Condition()  # guards every field below it; notified on change
        self._entries: dict[int, tuple[int, Path]] = {}  # mpv's entry id -> (index, path)
        self._current: int | None = None  # entry id playing
        self._started: set[int] = set()  # entries whose sound began
        self._ended: dict[int, TrackEnded] = {}
        self._restarts = 0  # playback restarts seen (the start of a file, or after a seek)
        self._properties: dict[str, Any] = {}
        # Where a seek while paused landed. mpv reports it, then (still paused) a time up to
        # its audio buffer earlier, yet resumes from there: so we say it ourselves until
        # playback resumes or another file starts.
        self._held_at: float | None = None
        self._closing = False  # close() has begun: mpv's going is no surprise
        self._finished = False  # close() has begun once; later calls do nothing
        self._commands = threading.RLock()  # one sequence of requests at a time
        self._links: Path | None = None
        self._link_names = itertools.count(1)
        self._ipc = MpvConnection(self._child.connection, self._handle_event, self._handle_closed)
        try:
            self.version = str(self._ipc.request(["get_property", "mpv-version"]))
            for number, name in _OBSERVED.items():
                self._ipc.request(["observe_property", number, name])
        except PlaybackError as error:
            self._closing = self._finished = True
            message = self._child.startup_failure()
            self._child.end()
            raise PlayerUnavailableError(message) from error
        _live.add(self)

    @property
    def pid(self) -> int:
        """The mpv process's id."""
        return self._child.process.pid

    def __enter__(self) -> Player:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- playing ----------------------------------------------------------------------

    def play(
        self,
        path: Path,
        *,
        start: float | None = None,
        end: float | None = None,
        paused: bool = False,
    ) -> None:
        """Play `path` (from `start` to `end`) instead of whatever played; see `play_list`."""
        self.play_list([Clip(path, start, end)], paused=paused)

    def play_list(self, clips: Sequence[Clip], *, paused: bool = False) -> None:
        """Play `clips` one after the other, replacing what played; return once the first
        one sounds (or is loaded, when `paused`).

        Raises PlaybackError naming the file when it is missing, cannot be played, or the
        audio output cannot be opened.
        """
        if not clips:
            raise PlaybackError("nothing to play: the list is empty")
        with self._commands:
            urls = [self._playable(clip.path) for clip in clips]
            self._set_pause(paused)
            entry_ids: list[int] = []
            for index, (clip, url) in enumerate(zip(clips, urls, strict=True)):
                entry_ids.append(self._load(index, clip, url, append=index > 0))
            self._wait_until_sounding(entry_ids[0], clips[0].path)
            start = clips[0].start
            if paused and start is not None and start > 0:
                with self._changed:
                    self._hold(start)

    def _load(self, index: int, clip: Clip, url: str, *, append: bool) -> int:
        options = ",".join(
            f"{name}={value:.3f}"
            for name, value in (("start", clip.start), ("end", clip.end))
            if value is not None
        )
        found: list[int] = []

        def record(data: Any) -> None:  # on the reader thread, before start-file can arrive
            entry = int(data["playlist_entry_id"])
            with self._changed:
                self._entries[entry] = (index, clip.path)
            found.append(entry)

        command = {"name": "loadfile", "url": url, "flags": "append" if append else "replace"}
        if options:
            command["options"] = options
        self._ipc.request(command, on_reply=record)
        return found[0]

    def _wait_until_sounding(self, entry: int, path: Path) -> None:
        with self._changed:
            if not self._changed.wait_for(
                lambda: entry in self._started or entry in self._ended, LOAD_SECONDS
            ):
                raise PlaybackError(f"{path}: mpv did not start it within {LOAD_SECONDS:g} s")
            ended = self._ended.get(entry)
        if ended is None:
            try:  # only there when the audio output opened
                self._ipc.request(["get_property", "current-ao"])
                return
            except MpvCommandError:
                with self._changed:
                    self._changed.wait_for(lambda: entry in self._ended, GRACE_SECONDS)
                    ended = self._ended.get(entry)
        if ended is not None and ended.reason == "error":
            why = ended.error or "mpv could not play it"
            if "audio output" in why:
                why += f" (--ao={self.audio.driver}, from {self.audio.source})"
            raise PlaybackError(f"{path}: cannot play: {why}")

    def _playable(self, path: Path) -> str:
        """The name mpv gets for `path`: absolute, and text. mpv's IPC is JSON, which cannot
        carry a file name that is not UTF-8; such a file is reached by a symbolic link with a
        plain name in a private folder of our own, removed at `close()`."""
        path = Path(os.path.abspath(path))
        if not path.exists():
            raise PlaybackError(f"{path}: no such file")
        if not path.is_file():
            raise PlaybackError(f"{path}: not a file")
        raw = os.fsencode(path)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            if self._links is None:
                self._links = Path(tempfile.mkdtemp(prefix="setlist-play-"))
            link = (
                self._links
                / f"{next(self._link_names)}{path.suffix.encode('ascii', 'ignore').decode()}"
            )
            os.symlink(raw, link)
            return str(link)
        return str(path)

    # -- moving around --------------------------------------------------------------------

    def pause(self) -> None:
        """Hold playback where it is."""
        self._set_pause(True)

    def resume(self) -> None:
        """Go on playing from where playback is held."""
        self._set_pause(False)

    def toggle_pause(self) -> bool:
        """Pause when playing, play when paused; return whether it is now paused."""
        with self._commands:
            paused = not bool(self._ipc.request(["get_property", "pause"]))
            self._set_pause(paused)
            return paused

    def _set_pause(self, paused: bool) -> None:
        with self._commands:
            self._ipc.request(["set_property", "pause", paused])
            with self._changed:  # so that state() says so at once, not at mpv's next report
                self._properties["pause"] = paused
                if not paused:
                    self._held_at = None

    def seek(self, seconds: float) -> bool:
        """Go to `seconds` from the start; False (and nothing done) when nothing plays."""
        return self._seek(seconds, "absolute+exact")

    def seek_by(self, seconds: float) -> bool:
        """Go `seconds` forward (back, when negative); past the end, the track ends."""
        return self._seek(seconds, "relative+exact")

    def _seek(self, seconds: float, how: str) -> bool:
        with self._commands:
            with self._changed:
                before = self._restarts
                entry = self._current
                was = self._position()
            if entry is None:
                if self._ipc.closed:
                    raise PlaybackError("cannot seek: mpv has stopped")
                return False
            try:
                self._ipc.request(["seek", seconds, how])
            except MpvCommandError:  # not seekable yet, or it just ended
                return False
            with self._changed:  # sound from the new place (or the end of the track)
                self._changed.wait_for(
                    lambda: self._restarts > before or self._current != entry, LOAD_SECONDS
                )
                if self._properties.get("pause") and self._current == entry:
                    target = seconds if how.startswith("absolute") else (was or 0.0) + seconds
                    self._hold(target)
            return True

    def _hold(self, seconds: float) -> None:
        """Say `seconds` while paused there (mpv's own report drifts back meanwhile: see
        `_held_at`); within the track. Called with `_changed` held."""
        duration = _seconds(self._properties.get("duration"))
        self._held_at = max(0.0, seconds if duration is None else min(seconds, duration))

    def next(self) -> bool:
        """Go to the next clip of the list; False when this is the last one."""
        return self._playlist("playlist-next")

    def previous(self) -> bool:
        """Go back to the clip before; False when this is the first one."""
        return self._playlist("playlist-prev")

    def _playlist(self, command: str) -> bool:
        try:
            self._ipc.request([command])
        except MpvCommandError:
            return False
        return True

    def stop(self) -> None:
        """Stop and forget the list; mpv stays, idle, for the next `play`."""
        self._ipc.request(["stop"])

    # -- asking -----------------------------------------------------------------------------

    def position(self) -> float | None:
        """Seconds from the start of what plays, asked of mpv now; None when nothing plays."""
        return self._ask("time-pos")

    def duration(self) -> float | None:
        """Length in seconds of what plays, asked of mpv now; None when nothing plays."""
        return self._ask("duration")

    def _ask(self, name: str) -> float | None:
        with self._changed:
            if name == "time-pos" and self._held_at is not None:
                return self._held_at
        try:
            value = self._ipc.request(["get_property", name])
        except MpvCommandError:  # "property unavailable": nothing loaded
            return None
        return _seconds(value)

    def state(self) -> PlaybackState:
        """What mpv last reported (no request is made: never blocks on mpv)."""
        with self._changed:
            entry = self._current
            index, path = self._entries.get(entry, (None, None)) if entry else (None, None)
            return PlaybackState(
                path=path,
                index=index,
                position=_seconds(self._position()) if entry else None,
                duration=_seconds(self._properties.get("duration")) if entry else None,
                paused=bool(self._properties.get("pause")),
            )

    def _position(self) -> Any:
        return self._properties.get("time-pos") if self._held_at is None else self._held_at

    # -- the end ----------------------------------------------------------------------

    def close(self) -> None:
        """Stop mpv (killing it if it does not quit at once) and clean up. Idempotent."""
        with self._changed:
            if self._finished:
                return
            self._closing = self._finished = True
        self._child.end()
        self._ipc.join(GRACE_SECONDS)
        self._outbox.put(None)
        if threading.current_thread() is not self._dispatcher:
            self._dispatcher.join(GRACE_SECONDS)
        if self._links is not None:
            shutil.rmtree(self._links, ignore_errors=True)
            self._links = None
        _live.discard(self)

    @property
    def closed(self) -> bool:
        """Whether mpv is gone (closed, or stopped on its own)."""
        return self._ipc.closed

    # -- what mpv says (the reader thread) --------------------------------------------------

    def _handle_event(self, message: dict[str, Any]) -> None:
        kind = message["event"]
        entry = int(message.get("playlist_entry_id", 0))  # mpv counts entries from 1
        emitted: PlayerEvent | None = None
        with self._changed:
            if kind == "property-change" and message.get("id") in _OBSERVED:
                self._properties[message["name"]] = message.get("data")
                if message["name"] == "pause" and not message.get("data"):
                    self._held_at = None
            elif kind == "start-file":  # a clip begins (again, after `previous`)
                self._current = entry
                self._held_at = None
                self._started.discard(entry)
                self._ended.pop(entry, None)
            elif kind == "playback-restart":
                self._restarts += 1
                current = self._current
                if current in self._entries and current not in self._started:
                    self._started.add(current)
                    emitted = TrackStarted(*self._entries[current])
            elif kind == "end-file" and entry in self._entries:
                index, path = self._entries[entry]
                emitted = TrackEnded(
                    index, path, message.get("reason", ""), message.get("file_error")
                )
                self._ended[entry] = emitted
                if self._current == entry:
                    self._current = None
            else:
                return
            self._changed.notify_all()
        if emitted is not None:
            self._outbox.put(emitted)

    def _handle_closed(self) -> None:
        with self._changed:
            self._current = None
            self._changed.notify_all()
            if self._closing:
                return
        try:
            status = self._child.process.wait(timeout=GRACE_SECONDS)
            how = f"exit status {status}" if status >= 0 else f"signal {-status}"
        except subprocess.TimeoutExpired:  # still running: it only closed the connection
            how = "it closed the connection"
        self._outbox.put(PlayerStopped(f"mpv stopped unexpectedly ({how})"))

    def _dispatch(self) -> None:
        while (event := self._outbox.get()) is not None:
            try:
                self._on_event(event)
            except Exception as error:  # noqa: BLE001 - reported, and later events still go out
                hook_args = threading.ExceptHookArgs(
                    (type(error), error, error.__traceback__, threading.current_thread())
                )
                threading.excepthook(hook_args)
