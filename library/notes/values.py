"""The vocabulary and rules of each note field, as plain functions.

Plain Python on purpose: the scanner checks notes read from files in its main process, where
importing pydantic would cost more than the scan of a small folder. `library.notes.model`
builds its validators from these same functions, so a value means one thing everywhere.

Every check raises `NoteValueError` naming the field, the value and what is allowed, so the
CLI can print one line and exit 2 with nothing changed.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable

from library.errors import SetlistError

ROLES: tuple[str, ...] = ("opener", "warm-up", "builder", "peak", "breakdown", "closer", "encore")
# Rekordbox's eight track colours, in its order, so a colour means the same in both.
COLOURS: tuple[str, ...] = ("pink", "red", "orange", "yellow", "green", "aqua", "blue", "purple")
ENERGY_RANGE = (1, 10)
RATING_RANGE = (0, 5)
EMPTY_WORDS = ("none", "")  # what clears energy, rating and colour
NOTE_FIELDS = ("moods", "energy", "roles", "closing_note", "text", "rating", "colour", "cues")
# The notes of a track nobody noted, field by field (copy before changing the lists).
EMPTY_NOTES: dict[str, object] = {
    "moods": [], "energy": None, "roles": [], "closing_note": "", "text": "", "rating": None,
    "colour": None, "cues": [],
}  # fmt: skip

_ROLE_SPELLINGS = {"warmup": "warm-up", "warm up": "warm-up", "warm_up": "warm-up"}
_COLOUR_SPELLINGS = {"cyan": "aqua", "turquoise": "aqua", "violet": "purple", "magenta": "pink"}
_SPACES = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_TIME = re.compile(r"(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:\.\d+)?)")
MOOD_MAX = 60


class NoteValueError(SetlistError):
    """A note value that cannot be stored; nothing was changed."""


def clean_text(text: str) -> str:
    """Free text as typed: kept as written, except lone surrogates (an argument that was not
    UTF-8 arrives surrogate-escaped) become U+FFFD, since no database or tag can hold them."""
    return _SURROGATE.sub("\ufffd", text)


@functools.lru_cache(maxsize=4096)  # a library uses few moods, on many tracks
def mood(text: str) -> str:
    """A mood as stored: lower case, inner whitespace (line breaks too) as one space.

    A mood may be several words ("late night"), but not hold ";" (the separator of moods in
    one tag value) or control characters, and not be empty or longer than `MOOD_MAX`.
    """
    word = _SPACES.sub(" ", clean_text(text)).strip().lower()
    if not word:
        raise NoteValueError(f"mood {text!r}: a mood cannot be empty")
    if ";" in word or _CONTROL.search(word):
        raise NoteValueError(f"mood {text!r}: a mood cannot hold ';' or control characters")
    if len(word) > MOOD_MAX:
        raise NoteValueError(f"mood {text[:20]!r}…: a mood is at most {MOOD_MAX} characters")
    return word


def moods(items: Iterable[str]) -> list[str]:
    """A set of moods, sorted: the order moods were added in carries no meaning."""
    return sorted({mood(item) for item in items})


def tag_moods(items: Iterable[str]) -> list[str]:
    """The moods a file's mood tag holds, as moods: those that break the rules are left out.

    Until a track is noted, these are its notes' moods (see `library.notes.store`).
    """
    kept = set()
    for item in items:
        try:
            kept.add(mood(item))
        except NoteValueError:
            continue
    return sorted(kept)


def moods_fold(items: Iterable[str]) -> str:
    """Moods as the query language matches them: folded, each between two U+001F."""
    from library.search_text import fold

    folded = "".join(f"\x1f{fold(item)}" for item in items)
    return f"{folded}\x1f" if folded else ""


def role(text: str) -> str:
    """One of `ROLES` ("warmup" and "warm up" are "warm-up")."""
    word = _SPACES.sub(" ", text.strip().lower())
    word = _ROLE_SPELLINGS.get(word, word)
    if word not in ROLES:
        raise NoteValueError(f"role {text!r}: not a role (roles: {', '.join(ROLES)})")
    return word


def roles(items: Iterable[str]) -> list[str]:
    """A set of roles, in the order of a set (opener first, encore last)."""
    chosen = {role(item) for item in items}
    return [name for name in ROLES if name in chosen]


def colour(text: str | None) -> str | None:
    """A colour of the palette (`COLOURS`), or None for "none" or empty."""
    if text is None:
        return None
    word = text.strip().lower()
    if word in EMPTY_WORDS:
        return None
    word = _COLOUR_SPELLINGS.get(word, word)
    if word not in COLOURS:
        raise NoteValueError(f"colour {text!r}: not in the palette ({', '.join(COLOURS)})")
    return word


def _whole(field: str, value: object, low: int, high: int) -> int | None:
    """An integer from `low` to `high`, from an int or its text; None for "none" or empty."""
    if value is None:
        return None
    number = value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in EMPTY_WORDS:
            return None
        if not re.fullmatch(r"[+-]?\d+", text):
            raise NoteValueError(f"{field} {value!r}: not a whole number from {low} to {high}")
        number = int(text)
    if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
        raise NoteValueError(f"{field} {value!r}: must be a whole number from {low} to {high}")
    return number


def energy(value: object) -> int | None:
    """Energy from 1 (ambient) to 10 (peak time), or None."""
    return _whole("energy", value, *ENERGY_RANGE)


def rating(value: object) -> int | None:
    """A rating from 0 to 5 stars, or None for no rating."""
    return _whole("rating", value, *RATING_RANGE)


def parse_time(text: str) -> float:
    """Seconds from "1:05", "1:05.5", "1:02:03" (past an hour) or plain seconds "65.25".

    Rounded to the millisecond, so a cue typed twice is the same cue.
    """
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise NoteValueError(
            f"time {text!r}: expected m:ss, h:mm:ss or seconds (1:05, 1:02:03, 65.5)"
        )
    hours, minutes, seconds = match.groups()
    if minutes is not None and float(seconds) >= 60:
        raise NoteValueError(f"time {text!r}: seconds must be under 60 in m:ss")
    if hours is not None and int(minutes) >= 60:
        raise NoteValueError(f"time {text!r}: minutes must be under 60 in h:mm:ss")
    total = int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds)
    return round(total, 3)


def format_time(seconds: float) -> str:
    """ "1:05", "1:05.5" (milliseconds only when there are some), "1:02:03" past an hour."""
    whole = int(seconds)
    fraction = f"{seconds - whole:.3f}"[1:].rstrip("0").rstrip(".")
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return clock + fraction


def cue_at(value: object) -> float:
    """A cue's position in seconds: a number of seconds or a time as `parse_time` reads it."""
    if isinstance(value, bool):
        raise NoteValueError(f"cue time {value!r}: not a time")
    if isinstance(value, int | float):
        if value < 0 or not math.isfinite(value):
            raise NoteValueError(f"cue time {value!r}: must be zero or more seconds")
        return round(float(value), 3)
    if isinstance(value, str):
        return parse_time(value)
    raise NoteValueError(f"cue time {value!r}: not a time")


def parse_cue(text: str) -> tuple[float, str]:
    """ "m:ss=text" (as `--cue` takes it) as (seconds, text); the text may be empty."""
    when, equals, note = text.partition("=")
    if not equals:
        raise NoteValueError(f"cue {text!r}: expected TIME=TEXT, such as 1:05=the bells come in")
    return parse_time(when), clean_text(note)
