"""Text boxes that edit text exactly as given but never draw a control character.

Notes can arrive from a file's tags (setlist's notes field) and anything can be pasted, so
a box may hold ANSI escapes, NULs or bidi overrides. TextArea and Input draw their text as
it is, and an escape character written to the terminal is a command, not text. Cleaning
the text would change what is stored the moment a box is loaded; instead the lines are
cleaned as they are drawn. The characters removed take no column (Rich counts them as zero
cells), so the cursor and the selection stay where the text says they are.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Input, TextArea

# What `setlist.terminal.printable` removes, but the tab (TextArea expands it itself).
_HIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def drawable(strip: Strip) -> Strip:
    """`strip` without control characters (the same strip when it has none)."""
    if not any(_HIDDEN.search(segment.text) for segment in strip):
        return strip
    segments = [Segment(_HIDDEN.sub("", text), style, control) for text, style, control in strip]
    return Strip(segments, strip.cell_length)


class LiteralTextArea(TextArea):
    """TextArea whose drawn lines hold no control characters (its document keeps them)."""

    def render_line(self, y: int) -> Strip:
        return drawable(super().render_line(y))


class LiteralInput(Input):
    """Input whose drawn line holds no control characters (its value keeps them)."""

    def render_line(self, y: int) -> Strip:
        return drawable(super().render_line(y))
