"""What setlist's notes are in Rekordbox XML (and Traktor NML), both ways.

- Rating: 0 to 5 stars is 0, 51, 102, 153, 204, 255. Rekordbox writes 0 for a track nobody
  rated, so 0 reads back as "not rated"; values between the steps round to the nearest star.
- Colour: the notes' eight colours are Rekordbox's eight, whose codes are `COLOUR_CODES`.
- Comments: the notes' moods and text, as `moods: dark; late night | the text`. Moods cannot
  hold ";" (the notes forbid it), so the moods part reads back exactly; a comment without the
  `moods: ` prefix is all text. Line breaks in the text become spaces (Rekordbox shows
  comments on one line).
- Cues: each cue of the notes is a memory cue (POSITION_MARK Type 0, Num -1) named with
  its text; reading back takes the named cues only (unnamed ones are markers, not notes).
"""

from __future__ import annotations

import re

from library.notes.values import NoteValueError, moods

RATING_STEP = 51  # one star
COLOUR_CODES: dict[str, str] = {
    "pink": "0xFF007F", "red": "0xFF0000", "orange": "0xFFA500", "yellow": "0xFFFF00",
    "green": "0x00FF00", "aqua": "0x25FDE9", "blue": "0x0000FF", "purple": "0x660099",
}  # fmt: skip
_COLOURS_BY_VALUE = {int(code, 16): name for name, code in COLOUR_CODES.items()}
_MOODS_PREFIX = "moods: "
_MOODS_END = " | "
_HEX = re.compile(r"(?:0x|#)?([0-9a-f]{6})", re.IGNORECASE)
# What XML 1.0 cannot hold at all (a document holding it is not well-formed).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (NUL, most C0 controls, U+FFFE...)."""
    return _NOT_XML.sub("", text)


def rating_value(stars: int | None) -> int:
    """Rekordbox's Rating (and Traktor's RANKING) for a number of stars; 0 when not rated."""
    return (stars or 0) * RATING_STEP


def stars(value: int) -> int | None:
    """Stars for a Rating of 0 to 255; None for 0 (Rekordbox's "not rated")."""
    if value <= 0:
        return None
    return min(5, max(0, round(value / RATING_STEP)))


def colour_code(colour: str | None) -> str | None:
    """Rekordbox's Colour attribute for a notes colour."""
    return COLOUR_CODES.get(colour) if colour else None


def colour_name(code: str) -> str | None:
    """The notes colour of a Rekordbox Colour ("0xFF007F", "#ff007f"); None for any other
    value (Rekordbox writes only its eight)."""
    match = _HEX.fullmatch(code.strip())
    return _COLOURS_BY_VALUE.get(int(match[1], 16)) if match else None


def comments(mood_list: list[str], text: str) -> str:
    """Moods and text as one Comments value: `moods: a; b | text`, or the text alone."""
    if not mood_list:
        return text
    return _MOODS_PREFIX + "; ".join(mood_list) + (_MOODS_END + text if text else "")


def parse_comments(comment: str) -> tuple[list[str], str]:
    """The moods and text of a Comments value; all text unless it has the moods prefix and
    its moods are valid moods."""
    if not comment.lower().startswith(_MOODS_PREFIX):
        return [], comment
    listed, _, text = comment[len(_MOODS_PREFIX) :].partition(_MOODS_END)
    try:
        return moods(part for part in listed.split(";") if part.strip()), text
    except NoteValueError:
        return [], comment
