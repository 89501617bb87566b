"""Musical keys, the Camelot wheel and Open Key notation.

DJ software writes the key of a track in at least four notations (musical "Am", Camelot "8A",
Traktor's Open Key "1m", Mixed In Key's "8A - 6"), often inconsistently across one library.
Everything else in setlist works on a single canonical value, :class:`Camelot`, because the wheel
is what harmonic mixing reasons about: adjacent numbers are a fifth apart and the letter flips
between a major key and its relative minor. :func:`parse_key` is the one door into that type.

Pure functions, stdlib only: key tags arrive from every file in a library, so parsing must be
cheap, deterministic and never raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Camelot", "compatible_keys", "parse_key"]

# Display spellings, indexed by Camelot number - 1. Each key is spelled with the key signature
# that has fewer accidentals (B rather than Cb, C#m rather than Dbm); the two six-accidental
# ties go to sharps (F#, D#m). That is the conventional spelling and matches Rekordbox and most
# printed Camelot wheels. ASCII "#"/"b" rather than "♯"/"♭": names end up in tags, filenames and
# exports, and plenty of terminal fonts lack the music glyphs.
_MAJOR_NAMES = ("B", "F#", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E")
_MINOR_NAMES = ("G#m", "D#m", "Bbm", "Fm", "Cm", "Gm", "Dm", "Am", "Em", "Bm", "F#m", "C#m")

# Pitch classes of the natural notes; accidentals are applied arithmetically, so enharmonic
# oddities such as Cb, Fb, E# and B# need no table entries of their own.
_NATURALS = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_ACCIDENTALS = {"#": 1, "♯": 1, "sharp": 1, "b": -1, "♭": -1, "flat": -1}

# No real key tag is longer than "A-Flat Minor/1A - Energy 10"; refusing long input up front
# keeps the parser's cost bounded whatever junk a tag contains.
_MAX_LEN = 64

# [0-9] rather than \d: \d would also accept digits from other scripts, which no tagger writes.
_CAMELOT_RE = re.compile(r"([0-9]{1,2})\s*([ab])", re.IGNORECASE)
_OPEN_KEY_RE = re.compile(r"([0-9]{1,2})\s*([md])", re.IGNORECASE)
_MUSICAL_RE = re.compile(
    r"""
    ([a-g])                                  # note letter; "H" (German B) is deliberately absent
    (?: ([#♯b♭]) | [\s-]*(sharp|flat) )?     # at most one accidental: "C##" is junk, not D
    [\s-]*
    (major|maj|minor|min|m)?                 # no mode word means major
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Mixed In Key can write energy after the key ("8A - 6") or before it ("6 - 8A"), optionally
# with the word "Energy"; the energy level is not part of the key, so it is cut off.
_ENERGY = r"(?:energy\s*)?[0-9]{1,2}"
_TRAILING_ENERGY_RE = re.compile(rf"(.+?)\s*-\s*{_ENERGY}", re.IGNORECASE)
_LEADING_ENERGY_RE = re.compile(rf"{_ENERGY}\s*-\s*(.+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True, order=True)
class Camelot:
    """A key as a position on the Camelot wheel: the canonical key type of setlist.

    ``number`` runs 1..12 around the circle of fifths, ``letter`` is ``"A"`` for minor and
    ``"B"`` for major. Ordering is by number then letter, so sorted keys read like the wheel.
    """

    number: int
    letter: str

    def __post_init__(self) -> None:
        """Reject positions off the wheel, so every Camelot in the program is a real key."""
        if not 1 <= self.number <= 12 or self.letter not in ("A", "B"):
            raise ValueError(f"not a Camelot key: {self.number!r}{self.letter!r}")

    def __str__(self) -> str:
        """Camelot notation, e.g. ``"8A"``: what most DJ software shows and sorts by."""
        return f"{self.number}{self.letter}"

    @property
    def is_minor(self) -> bool:
        """True for the inner (``A``) ring of the wheel."""
        return self.letter == "A"

    @property
    def open_key(self) -> str:
        """Open Key notation (Traktor): the same wheel rotated so that 1d is C major.

        8A -> ``"1m"``, 8B -> ``"1d"``, 1B -> ``"6d"``.
        """
        return f"{(self.number + 4) % 12 + 1}{'m' if self.is_minor else 'd'}"

    @property
    def name(self) -> str:
        """Musical name in ASCII, e.g. ``"Am"``, ``"Bbm"``, ``"C"``, ``"F#"``.

        Minor keys get a trailing ``m``, major keys none (the form Rekordbox and Traktor write).
        Spelling is the conventional one with fewer accidentals; ties go to sharps.
        """
        names = _MINOR_NAMES if self.is_minor else _MAJOR_NAMES
        return names[self.number - 1]

    def shifted(self, steps: int) -> Camelot:
        """Move ``steps`` around the wheel (a fifth up per step), keeping the mode; wraps 12 -> 1.

        +1 is the classic "energy boost" mix, -1 its gentler counterpart; +7 and +2 are the other
        named moves (semitone and whole-tone modulation), so any integer is accepted.
        """
        return Camelot((self.number - 1 + steps) % 12 + 1, self.letter)

    def relative(self) -> Camelot:
        """The relative major or minor: the same notes, so it always mixes cleanly."""
        return Camelot(self.number, "B" if self.is_minor else "A")


def _from_pitch(pitch_class: int, minor: bool) -> Camelot:
    """Place a tonic on the wheel: each fifth (+7 semitones) up the tonic moves one step round.

    C major sits at 8B; a minor key sits where its relative major (3 semitones up) does.
    """
    major_tonic = (pitch_class + 3) % 12 if minor else pitch_class % 12
    return Camelot((major_tonic * 7 + 7) % 12 + 1, "A" if minor else "B")


def _parse_single(text: str) -> Camelot | None:
    """Parse one key written in exactly one notation, or return None."""
    if match := _CAMELOT_RE.fullmatch(text):
        number = int(match[1])
        return Camelot(number, match[2].upper()) if 1 <= number <= 12 else None
    if match := _OPEN_KEY_RE.fullmatch(text):
        number = int(match[1])
        if not 1 <= number <= 12:
            return None
        return Camelot((number + 6) % 12 + 1, "A" if match[2].lower() == "m" else "B")
    if match := _MUSICAL_RE.fullmatch(text):
        pitch = _NATURALS[match[1].lower()]
        accidental = match[2] or match[3]
        if accidental:
            pitch += _ACCIDENTALS[accidental.lower()]
        # Any spelling of the mode that is not "maj..." is minor. That includes an upper-case
        # "M" ("AM"): in key tags it is a shouted "Am" far more often than chord-symbol major.
        mode = (match[4] or "").lower()
        return _from_pitch(pitch, minor=bool(mode) and not mode.startswith("maj"))
    return None


def _strip_energy(text: str) -> str:
    """Drop a Mixed In Key energy rider ("8A - 6", "6 - 8A") and keep the key part."""
    if match := _TRAILING_ENERGY_RE.fullmatch(text):
        return match[1]
    if match := _LEADING_ENERGY_RE.fullmatch(text):
        return match[1]
    return text


def parse_key(text: str | None) -> Camelot | None:
    """Read a key tag in any common notation; None for empty, unknown or "off key" input.

    Accepts musical names ("Am", "A minor", "Ebmin", "F♯", "A-Flat Minor", "Cb"), Camelot ("8A",
    "08a"), Open Key ("1m", "12d"), Mixed In Key with energy ("8A - 6", "Am-6", "6 - 8A") and
    slash combos ("8A/Am"), case-insensitively and ignoring surrounding whitespace. In a combo
    every part must parse and agree: a tag that contradicts itself is not trusted.

    Never raises for any ``str`` (nor for other junk a tag library might hand over), because a
    single odd tag must not stop a library scan. The ID3 TKEY "off key" value ``"o"`` and anything
    unrecognised, such as "13A", "H" or "C##m", give None rather than a guess.
    """
    if not isinstance(text, str):
        return None
    # Trailing NULs come from sloppy ID3 writers that pad text frames.
    text = text.strip().strip("\x00").strip()
    if not text or len(text) > _MAX_LEN:
        return None
    keys = {_parse_single(_strip_energy(part.strip())) for part in text.split("/")}
    if len(keys) != 1:
        return None
    return keys.pop()


def compatible_keys(key: Camelot) -> tuple[Camelot, ...]:
    """Keys that mix harmonically with ``key``: itself, one step down and up, then its relative.

    These are the four moves of the Camelot system that keep all or all but one of the notes in
    common, ordered from safest to boldest so callers can show or rank them in that order.
    """
    return (key, key.shifted(-1), key.shifted(1), key.relative())
