"""Untrusted text made safe for a terminal: tag values print as text, never as commands.

Tags and release pages can hold ANSI escapes, C1 control codes (0x9B is a CSI on some
terminals), bidi overrides that reorder a line, NULs and newlines. For display these become
visible or harmless; stored values are never changed.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls, DEL, C1 controls, and the Unicode bidi embedding/override/isolate characters.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\r\n\u2028\u2029\x0b\x0c\x85]+")
# Inside JSON strings Python leaves these raw with ensure_ascii=False; escape them too.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def printable(text: str | None) -> str:
    """One line of `text` fit for a terminal: line breaks become spaces, controls vanish."""
    if not text:
        return ""
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", text))


def dumps_json(value: Any) -> str:
    """JSON that is readable (UTF-8, not \\u-escaped) yet holds no raw control character."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
