"""The command palette's playback commands: pause, next, stop, and per set "Listen to set:"
and "Preview transitions:".

The sets are listed when the palette opens (one small query: names only); a library that
cannot be read then offers the other commands.
"""

from __future__ import annotations

import sqlite3
from functools import partial
from typing import TYPE_CHECKING

from library.errors import SetlistError
from setlist.terminal import printable
from setlist.tui.palette import PaletteCommand

if TYPE_CHECKING:
    from setlist.tui.app import SetlistApp


def _set_names(app: SetlistApp) -> list[str]:
    from library.set_store import SetStore

    try:
        return [summary.name for summary in SetStore(app.store).summaries()]
    except (sqlite3.Error, SetlistError):
        return []


def playing_commands(app: SetlistApp) -> list[PaletteCommand]:
    """What the palette offers for playback, from any screen."""
    playback = app.playback
    if playback.unavailable is not None:
        message = playback.unavailable
        return [
            PaletteCommand(
                "Why is there no playback?",
                "mpv is needed",
                partial(app.notify, message, severity="warning", markup=False),
            )
        ]
    commands = []
    if playback.playing is not None or playback.preview is not None:
        commands += [
            PaletteCommand("Play or pause", "The track playing (space)", playback.toggle_pause),
            PaletteCommand("Stop playing", "Stop, and hide the now-playing bar", playback.stop),
        ]
    if playback.playing is not None:
        commands.append(PaletteCommand("Next track", "Save, play the next (n)", playback.next))
    for name in _set_names(app):
        shown = printable(name)
        commands.append(
            PaletteCommand(
                f"Listen to set: {shown}",
                "Listen mode through its tracks",
                partial(app.action_listen_set, name),
            )
        )
        commands.append(
            PaletteCommand(
                f"Preview transitions: {shown}",
                f"The last and first {app.settings.preview_seconds:g} s of each pair",
                partial(app.action_preview_transitions, name),
            )
        )
    return commands
