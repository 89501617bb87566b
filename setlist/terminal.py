"""Untrusted text made safe for a terminal: tag values print as text, never as commands.

Tags and release pages can hold ANSI escapes, C1 control codes (0x9B is a CSI on some
terminals), bidi overrides that reorder a line, NULs and newlines. For display these become
visible or harmless; stored values are never changed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# C0 controls, DEL, C1 controls, and the Unicode bidi marks (U+061C ALM as well as LRM/RLM)
# and embedding/override/isolate characters.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Line breaks, and tabs: a tab between two words must not glue them together when removed.
_LINE_BREAKS = re.compile("[\t\r\n\u2028\u2029\x0b\x0c\x85]+")
# Inside JSON strings Python leaves these raw with ensure_ascii=False; escape them too.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def printable(text: str | None) -> str:
    """One line of `text` for a terminal: line breaks and tabs become spaces, controls vanish."""
    if not text:
        return ""
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", text))


def dumps_json(value: Any) -> str:
    """JSON that is readable (UTF-8, not \\u-escaped) yet holds no raw control character."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def cell_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (CJK) characters 2, combining marks 0."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def fit(text: str, width: int) -> str:
    """`text` cut (with an ellipsis) or padded to exactly `width` terminal columns."""
    if cell_width(text) <= width:
        return text + " " * (width - cell_width(text))
    kept, used = [], 0
    for char in text:
        step = 0 if unicodedata.combining(char) else cell_width(char)
        if used + step > width - 1:
            break
        kept.append(char)
        used += step
    return "".join(kept) + "…" + " " * (width - 1 - used)
