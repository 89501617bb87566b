"""`setlist play TRACK`: play one track through mpv, in a terminal with keys, or piped."""

from __future__ import annotations

import contextlib
import math
import os
import queue
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from setlist.cli_state import CliState, UserError, pass_state
from setlist.durations import format_duration
from setlist.terminal import fit, printable

if TYPE_CHECKING:
    from library.models import Track
    from library.storage import Store
    from setlist.playback import PlaybackState, Player, PlayerEvent

SEEK_SECONDS = 10.0
REDRAW_SECONDS = 0.25  # the status line in a terminal: four times a second
LINE_SECONDS = 1.0  # without a terminal: a status line a second
KEYS_HELP = "space play/pause · ←/→ 10 s · q quit"


def _file_of(store: Store, track: Track) -> Path:
    """The track's file, by its exact bytes; a missing file is the user's error."""
    raw = store.track_paths([track.id]).get(track.id)
    if raw is None or track.missing:
        raise UserError(
            f"track {track.id}: its file is missing ({track.path}); "
            "scan its folder or relink it first"
        )
    return Path(os.fsdecode(raw))


def _audio_output_setting() -> str | None:
    """The setting `audio_output`; a settings file that cannot be used is reported and the
    default output used, as the app does."""
    from setlist.settings import SettingsError, load_settings, settings_path

    try:
        return load_settings(settings_path()).audio_output
    except SettingsError as error:
        click.echo(f"setlist: warning: {printable(str(error))}; using the defaults", err=True)
        return None


class _Session:
    """One track playing: what the status line says, when to stop, what mpv reported."""

    def __init__(self, player: Player, track: Track, path: Path, seconds: float | None) -> None:
        self.player = player
        self.track = track
        self.path = path
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.shown = player.state()
        self.over = False

    def left(self, interval: float) -> float:
        """How long to wait for keys or events: `interval`, or less near the deadline."""
        if self.deadline is None:
            return interval
        return max(0.0, min(interval, self.deadline - time.monotonic()))

    def due(self) -> bool:
        """Whether to stop: the track has ended, or --seconds have passed."""
        return self.over or (self.deadline is not None and time.monotonic() >= self.deadline)

    def take(self, event: PlayerEvent) -> None:
        """Note what mpv reported; an error ends the command."""
        from setlist.playback import PlaybackError, PlayerStopped, TrackEnded

        if isinstance(event, PlayerStopped):
            raise PlaybackError(event.message)
        if isinstance(event, TrackEnded):
            if event.reason == "error":
                raise PlaybackError(f"{self.path}: cannot play: {event.error}")
            self.over = True

    def take_waiting(self) -> None:
        """Note every event that has arrived, without waiting."""
        while True:
            try:
                self.take(self.player.events.get_nowait())
            except queue.Empty:
                return

    def status(self) -> str:
        """`Artist – Title  m:ss / m:ss`, with `(paused)` when it is."""
        state = self.player.state()
        if state.path is not None:
            self.shown = state
        elif self.over:  # played to the end: say so, rather than 0:00
            self.shown = _at_end(self.shown)
        track = self.track
        name = f"{printable(track.artist) or '?'} – {printable(track.title) or self.path.name}"
        position = math.floor(self.shown.position or 0.0)
        length = format_duration(self.shown.duration or track.duration) or "?:??"
        paused = "  (paused)" if self.shown.paused and not self.over else ""
        return f"{name}  {format_duration(position)} / {length}{paused}"


def _at_end(state: PlaybackState) -> PlaybackState:
    from dataclasses import replace

    return replace(state, position=state.duration, paused=False)


def _in_terminal(session: _Session) -> None:
    """Keys from the terminal, the status line redrawn in place, until q or the end."""
    from setlist.terminal_keys import raw_keys

    out = sys.stdout
    width = max(20, shutil.get_terminal_size().columns - 1)
    out.write(f"{KEYS_HELP}\r\n")
    with raw_keys(sys.stdin, out) as keys:
        while True:
            out.write(f"\r{fit(session.status(), width).rstrip()}\x1b[K")
            out.flush()
            if session.due():
                break
            for key in keys.read(session.left(REDRAW_SECONDS)):
                if key == "ctrl+c":
                    raise KeyboardInterrupt
                if key == "q":
                    session.over = True
                elif key == "space":
                    session.player.toggle_pause()
                elif key in ("left", "right"):
                    session.player.seek_by(SEEK_SECONDS if key == "right" else -SEEK_SECONDS)
            session.take_waiting()
        out.write("\r\n")


def _piped(session: _Session) -> None:
    """No terminal: a status line a second until the end (or --seconds)."""
    next_line = time.monotonic()
    while not session.due():
        if time.monotonic() >= next_line:
            click.echo(session.status())
            next_line += LINE_SECONDS
        wait = session.left(max(0.0, next_line - time.monotonic()))
        with contextlib.suppress(queue.Empty):  # no event: time for the next line
            session.take(session.player.events.get(timeout=wait))
    click.echo(session.status())


@click.command("play")
@click.argument("track")
@click.option(
    "--seconds",
    type=click.FloatRange(min=0, min_open=True),
    metavar="N",
    help="Stop after N seconds.",
)
@pass_state
def play_command(state: CliState, track: str, seconds: float | None) -> None:
    """Play TRACK (an id, a file path, or a query matching one track) through mpv.

    \b
    In a terminal: space plays and pauses, ← and → seek 10 s back and forth, q quits; one
    line shows artist – title and the time. Without a terminal the track plays to its end
    (or for --seconds N) and the status is printed once a second.
    Needs mpv: apt-get install mpv (Debian, Ubuntu) or brew install mpv (macOS).
    The audio output is the setting audio_output, or SETLIST_AUDIO_OUTPUT (null: silent).
    """
    from library.track_lookup import find_track
    from setlist.playback import Player

    store = state.store()
    found = find_track(store, track)
    path = _file_of(store, found)
    try:
        with Player(_audio_output_setting()) as player:
            player.play(path)
            session = _Session(player, found, path, seconds)
            if sys.stdin.isatty() and sys.stdout.isatty():
                _in_terminal(session)
            else:
                _piped(session)
    except KeyboardInterrupt:
        click.echo("", err=True)
        raise SystemExit(130) from None
