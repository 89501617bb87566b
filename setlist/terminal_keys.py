"""Single key presses from a terminal, for `setlist play` (POSIX terminals).

The terminal is put in raw mode while keys are read: each key arrives at once, unechoed, and
Ctrl-C arrives as a key (so the program ends cleanly, mpv and all) instead of a signal; Ctrl-Z
cannot leave a stopped program holding a raw terminal. `raw_keys` restores the terminal as it
was, and shows the cursor again, however its block ends: a return, an exception, Ctrl-C.
"""

from __future__ import annotations

import os
import select
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

# Arrow keys come as escape sequences: ESC [ C in normal mode, ESC O C in "application
# cursor" mode, which some terminals are left in.
KEYS = {
    b" ": "space",
    b"q": "q",
    b"Q": "q",
    b"\x03": "ctrl+c",
    b"\x1b[C": "right",
    b"\x1bOC": "right",
    b"\x1b[D": "left",
    b"\x1bOD": "left",
    b"\x1b[A": "up",
    b"\x1bOA": "up",
    b"\x1b[B": "down",
    b"\x1bOB": "down",
}

_HIDE_CURSOR, _SHOW_CURSOR = "\x1b[?25l", "\x1b[?25h"


def parse_keys(data: bytes) -> tuple[list[str], bytes]:
    """The keys in `data`, and the unfinished escape sequence at its end (to be completed
    by the next read). Bytes that are no known key come out as "" (ignored by callers)."""
    keys: list[str] = []
    at = 0
    while at < len(data):
        if data[at] != 0x1B:
            keys.append(KEYS.get(data[at : at + 1], ""))
            at += 1
            continue
        if at + 1 == len(data):
            break  # a lone ESC so far: the rest of a sequence may follow
        if data[at + 1] not in b"[O":
            keys.append("escape")
            at += 1
            continue
        end = at + 2  # a CSI/SS3 sequence ends with a byte from @ to ~
        while end < len(data) and not 0x40 <= data[end] <= 0x7E:
            end += 1
        if end == len(data):
            break
        keys.append(KEYS.get(data[at : end + 1], ""))
        at = end + 1
    return keys, data[at:]


class KeyReader:
    """Reads the keys pressed on a terminal in raw mode."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._pending = b""

    def read(self, timeout: float) -> list[str]:
        """The keys pressed within `timeout` seconds (at once when some are waiting)."""
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return []
        data = os.read(self.fd, 256)
        if not data:  # the terminal is gone (hung up): the same as quitting
            return ["q"]
        keys, self._pending = parse_keys(self._pending + data)
        return keys


@contextmanager
def raw_keys(stdin: TextIO, stdout: TextIO) -> Iterator[KeyReader]:
    """Raw mode on `stdin`'s terminal, no cursor on `stdout`; both restored on the way out."""
    import termios
    import tty

    fd = stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setraw(fd)
        stdout.write(_HIDE_CURSOR)
        stdout.flush()
        yield KeyReader(fd)
    finally:
        stdout.write(_SHOW_CURSOR)
        stdout.flush()
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
