"""Small values every release source writes the same way, read the same way everywhere.

Durations ("5:32"), format lines ("2 x Vinyl, 12", 33 ⅓ RPM, Album"), Discogs' artist names
("Care Company (2)", "Persuader, The"), tracklist lines ("A1  Entrance  5:32"), and the
label key that decides whether "Axis Records" and "Axis" are the same label.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from library.search_text import fold

# A spaced en or em dash separates artist from title and label from catalog number; a spaced
# hyphen is accepted where no dash is found (text retyped by hand).
_DASHES = (" – ", " — ", " - ")
_SUFFIX = re.compile(r"\s\(\d+\)(?=\s*(?:$|[&,/]|\s(?:and|feat\.?|vs\.?)\s))")
_ANV_STAR = re.compile(r"\*(?=\s*(?:$|[&,/]))")
_THE = re.compile(r"^(?P<name>.+), (?P<article>The|A|An|Les|Le|La|Die|Der|Das|De|Het|El)$")
_QUANTITY = re.compile(r"^\s*(\d+)\s*[x×]\s*(.+)$", re.DOTALL)
_DURATION = re.compile(r"^(?:(\d{1,2}):)?(\d{1,3}):([0-5]\d)$")
# Words that name a kind of company rather than the label: "Axis Records" is "Axis".
_GENERIC_LABEL_WORDS = frozenset((
    "records", "recordings", "recording", "music", "musik", "musique", "label", "labels",
    "ltd", "inc", "llc", "gmbh", "bv", "co", "company", "the", "disques", "discos",
    "schallplatten", "productions",
))  # fmt: skip


def split_dash(line: str) -> tuple[str, str] | None:
    """ "Jeff Mills – Metropolis" -> ("Jeff Mills", "Metropolis"); None without a spaced dash."""
    for dash in _DASHES:
        left, found, right = line.partition(dash)
        if found and left.strip() and right.strip():
            return left.strip(), right.strip()
    return None


def has_dash(text: str) -> bool:
    """Whether `text` holds a spaced dash that `split_dash` would split at."""
    return split_dash(text) is not None


def clean_artist(name: str) -> str:
    """Discogs' spelling of a name made readable: "Care Company (2)" -> "Care Company",
    "Persuader, The" -> "The Persuader", "Jeff Mills*" (a name variation) -> "Jeff Mills"."""
    name = _ANV_STAR.sub("", _SUFFIX.sub("", name.strip())).strip()
    moved = _THE.match(name)
    if moved:
        return f"{moved['article']} {moved['name']}"
    return name


def parse_duration(text: object) -> int | None:
    """ "5:32" -> 332, "1:02:03" -> 3723; None for anything else (empty, "?", garbage)."""
    if not isinstance(text, str):
        return None
    found = _DURATION.match(text.strip())
    if not found:
        return None
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return hours * 3600 + minutes * 60 + seconds


def milliseconds_to_seconds(value: object) -> int | None:
    """MusicBrainz lengths (ms) as whole seconds, rounded; None when absent or not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return round(value / 1000)


def parse_format(text: str) -> list[dict[str, object]]:
    """A format line as fields of `Format`: "2 x Vinyl, 12", 33 ⅓ RPM, Album" is quantity 2 of
    Vinyl; formats joined with " + " are several; a description in double quotes is free text.
    """
    formats: list[dict[str, object]] = []
    for written in text.split(" + "):
        part = written.strip()
        if not part:
            continue
        quantity = 1
        counted = _QUANTITY.match(part)
        if counted:
            quantity, part = int(counted.group(1)), counted.group(2)
        name, *rest = [piece.strip() for piece in part.split(",")]
        descriptions = [piece for piece in rest if piece]
        texts = [d for d in descriptions if len(d) > 2 and d[0] == '"' and d[-1] == '"']
        formats.append(
            {
                "name": name or part,
                "quantity": quantity,
                "descriptions": [d for d in descriptions if d not in texts],
                "text": ", ".join(d[1:-1] for d in texts) or None,
            }
        )
    return formats


@functools.lru_cache(maxsize=65_536)
def label_key(name: str | None) -> str:
    """What two spellings of one label share: folded words without "Records", "Music", "Ltd"...

    "Axis Records" and "Axis" give "axis"; "Axis-Adjacent" gives "axis adjacent", which is
    another label. A name made only of generic words keeps them ("The Label").
    """
    words = re.findall(r"\w+", fold(name))
    kept = [word for word in words if word not in _GENERIC_LABEL_WORDS]
    return " ".join(kept or words)


def label_matches(one: str | None, other: str | None) -> bool:
    """Whether two label names name the same label (both must be given)."""
    return bool(one and other) and label_key(one) == label_key(other) != ""


# A tracklist position: "A", "A1", "AA2", "B2a", "1", "12", "1-3", "1.3", "CD1-3", "DVD2".
_POSITION = (
    r"(?:[A-Z]{1,3}\d{0,3}[a-z]?|\d{1,3}(?:[-.]\d{1,3})?[a-z]?|[A-Z]{2,4}\d{1,2}[-.]\d{1,3})"
)
POSITION = re.compile(_POSITION)
_TRACK_LINE = re.compile(
    rf"^\s*(?:(?P<position>{_POSITION})(?:\s+|\.\s*|$))?(?P<title>.*?)"
    r"(?:\s+(?P<duration>(?:\d{1,2}:)?\d{1,3}:[0-5]\d))?\s*$",
    re.DOTALL,
)


def parse_track_line(line: str) -> tuple[str, str, int | None]:
    """ "A1  Entrance To Metropolis  5:32" -> ("A1", "Entrance To Metropolis", 332).

    Tabs (as a copied table gives) and runs of spaces both separate the cells; the position
    and the duration are optional. The title is kept as written between them.
    """
    cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
    if len(cells) > 1:
        position = cells.pop(0) if POSITION.fullmatch(cells[0]) else ""
        duration = parse_duration(cells[-1]) if len(cells) > 1 else None
        if duration is not None:
            cells.pop()
        return position, " ".join(cells), duration
    found = _TRACK_LINE.match(line)
    if found is None:  # the pattern matches any text; kept for the type checker
        return "", line.strip(), None
    title = found["title"].strip()
    if not title:  # "A1" alone, or "5:32" alone: no title to give it
        return (found["position"] or "", "", parse_duration(found["duration"] or ""))
    return found["position"] or "", title, parse_duration(found["duration"] or "")


def json_objects(value: object) -> list[dict[str, Any]]:
    """The objects of a JSON list; anything else (null, a string) is no list of objects."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def json_text(value: object) -> str | None:
    """A JSON string, or a number written as text; None for empty or other values."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    return value if isinstance(value, str) and value.strip() else None


def json_texts(value: object) -> list[str]:
    """The strings of a JSON list; other items and other values are left out."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def year_of(date: str | None) -> int | None:
    """The year of a written date: "1999-03-00", "Mar 1999", "2000" -> the first four digits
    that make a year (0000, which Discogs writes for "unknown", is none)."""
    found = re.search(r"(?<!\d)(\d{4})(?!\d)", date or "")
    return int(found.group(1)) if found and found.group(1) != "0000" else None
