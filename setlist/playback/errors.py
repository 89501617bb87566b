"""What can go wrong with playback, as `SetlistError`s: one line naming the thing and why.

`PlayerUnavailableError` is the one a caller must expect on any machine: mpv is an optional
system tool, and without it everything but playback keeps working.
"""

from __future__ import annotations

from library.errors import SetlistError

INSTALL_HINT = (
    "install it with 'apt-get install mpv' (Debian, Ubuntu) or 'brew install mpv' (macOS)"
)


class PlaybackError(SetlistError):
    """mpv refused a file or a command, stopped answering, or stopped."""


class PlayerUnavailableError(PlaybackError):
    """mpv cannot be started here: not installed, too old, or refused to start."""
