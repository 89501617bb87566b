"""Release-page text, as a DJ copies it from a release page in a browser.

The shape (every section but the first two lines may be missing or empty):

    Jeff Mills – Metropolis                 artist – title
    Axis – AX-022                           label – catalog number (or "Label: ...")
    Vinyl, 12", 33 ⅓ RPM                    the format line (or "Format: ...")
    Country: US / Released: 2000 / ...      optional "Key: value" lines
    Tracklist                               position, title, duration per line
    Companies, etc.                         "Role – Name" lines
    (text)                                  the notes: any paragraph outside a section
    Notes                                   ... or under its own heading
    Barcode and Other Identifiers           "• Type (Description): Value" bullets
    Other Versions ...                      ignored
    Reviews Show All 6 Reviews              the announced count; "Add Review" is chrome
    June 10, 2018                           each review starts at a date line and runs,
    text...                                 over blank lines, to the next date line

Text is never normalised: values are cut out of the lines as written. Anything that does not
open with an "Artist – Title" line followed by a label line is not a release page, and
`ReleaseFormatError` says which line is wrong.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from library.errors import ReleaseFormatError
from library.releases.fields import (
    POSITION,
    clean_artist,
    has_dash,
    parse_duration,
    parse_format,
    parse_track_line,
    split_dash,
)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_DATE_LINE = re.compile(rf"^({'|'.join(_MONTHS)})\s+(\d{{1,2}}),\s+(\d{{4}})$")
_REVIEWS = re.compile(r"^Reviews(?:\s+Show All\s+(\d+)\s+Reviews?|\s*\((\d+)\))?$")
_KEYED = re.compile(r"^(Label|Format|Country|Released|Year|Genre|Style)s?\s*:\s*(.*)$", re.I)
_IDENTIFIER = re.compile(
    r"^\s*(?:[•·*-]\s*)?(?P<type>[^():•]+?)\s*(?:\((?P<description>[^()]*)\))?\s*:\s?(?P<value>.*)$"
)
_COMPANY = re.compile(r"^\s*(?:[•·*]\s*)?(?P<role>[^.!?–—]{1,60}?)\s+[–—-]\s+(?P<name>\S.*?)\s*$")
_BULLET = re.compile(r"^\s*[•·*]\s*")
_SECTIONS = {
    "tracklist": "tracklist",
    "companies, etc.": "companies",
    "companies": "companies",
    "credits": "ignored",
    "notes": "notes",
    "barcode and other identifiers": "identifiers",
    "identifiers": "identifiers",
    "videos": "ignored",
    "lists": "ignored",
    "statistics": "ignored",
    "contributors": "ignored",
}


def _section(line: str) -> tuple[str, int | None] | None:
    """The section a heading line opens (with a review count for "Reviews"), or None."""
    stripped = line.strip()
    name = _SECTIONS.get(stripped.casefold())
    if name:
        return name, None
    if stripped.startswith("Other Versions"):
        return "ignored", None
    reviews = _REVIEWS.match(stripped)
    if reviews:
        count = reviews.group(1) or reviews.group(2)
        return "reviews", int(count) if count else None
    return None


def _date(line: str) -> datetime.date | None:
    """ "June 10, 2018" -> 2018-06-10; None for any other line (or an impossible date)."""
    found = _DATE_LINE.match(line.strip())
    if not found:
        return None
    try:
        return datetime.date(int(found[3]), _MONTHS.index(found[1]) + 1, int(found[2]))
    except ValueError:
        return None


def _block(lines: list[str]) -> str | None:
    """Lines joined as written, blank lines at both ends dropped; None when all are blank."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end]) if end > start else None


@dataclass
class _Page:
    """What has been read so far; `fields` holds exactly the fields the page carries."""

    fields: dict[str, Any] = field(default_factory=dict)
    notes: list[list[str]] = field(default_factory=list)


def _labels(text: str) -> list[dict[str, str | None]]:
    """ "Axis – AX-022, Tresor – TRESOR 1" -> two labels; commas inside a catalog number or a
    label name ("Warner Bros., Inc.") stay where they are."""
    parts: list[str] = []
    for piece in text.split(", "):
        if parts and not (has_dash(parts[-1]) and has_dash(piece)):
            parts[-1] += ", " + piece
        else:
            parts.append(piece)
    labels: list[dict[str, str | None]] = []
    for part in parts:
        split = split_dash(part)
        if split:
            labels.append({"name": split[0], "catalog_number": split[1]})
        elif part.strip():
            labels.append({"name": part.strip(), "catalog_number": None})
    return labels


def _header(page: _Page, lines: list[str], first_line: int) -> None:
    """The lines before the first section: label, format, "Key: value" lines, and notes."""
    fields = page.fields
    extra: list[str] = []
    expect_format = False
    for line in lines:
        stripped = line.strip()
        keyed = _KEYED.match(stripped)
        if keyed:
            key, value = keyed.group(1).lower(), keyed.group(2).strip()
            if key == "label":
                fields["labels"] = _labels(value)
            elif key == "format":
                fields["formats"] = parse_format(value)
            elif key in ("genre", "style"):
                fields[f"{key}s"] = [v.strip() for v in value.split(",") if v.strip()]
            elif key == "country":
                fields["country"] = value or None
            else:
                fields["released"] = value or None
                year = re.search(r"\b(\d{4})\b", value)
                fields["year"] = int(year.group(1)) if year else None
            continue
        if not stripped:
            extra.append(line)
        elif "labels" not in fields and has_dash(stripped):
            fields["labels"] = _labels(stripped)
            expect_format = True
            continue
        elif expect_format and "formats" not in fields:
            fields["formats"] = parse_format(stripped)
        else:
            extra.append(line)
        if stripped:
            expect_format = False
    if "labels" not in fields:
        raise ReleaseFormatError(
            f"not a release page: no 'Label – Catalog number' line after the title "
            f"(line {first_line})"
        )
    page.notes.append(extra)


def _tracklist(lines: list[str], various: bool) -> list[dict[str, Any]]:
    """Tracks from one-line rows ("A1  Title  5:32") or from cells on lines of their own."""
    tracks: list[dict[str, Any]] = []
    pending: dict[str, Any] | None = None
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if POSITION.fullmatch(stripped) and (pending is None or pending["title"]):
            pending = {"position": stripped, "title": "", "duration": None}
            tracks.append(pending)
            continue
        seconds = parse_duration(stripped)
        if seconds is not None and tracks and tracks[-1]["duration"] is None:
            tracks[-1]["duration"] = seconds
            continue
        if pending is not None and not pending["title"]:
            pending["title"] = stripped
            continue
        position, title, duration = parse_track_line(line)
        if not position and duration is None:
            continue  # a heading ("Side A") or a credit line under a track
        pending = None
        tracks.append({"position": position, "title": title, "duration": duration})
    entries = []
    for track in tracks:
        if not track["title"]:
            continue
        artists: list[str] = []
        split = split_dash(track["title"]) if various else None
        if split:
            artists, track["title"] = [clean_artist(split[0])], split[1]
        entries.append({**track, "artists": artists})
    return entries


def _companies(page: _Page, lines: list[str]) -> list[dict[str, str]]:
    """ "Role – Name" lines; from the first line that is not one, the text is notes."""
    companies: list[dict[str, str]] = []
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        found = _COMPANY.match(line)
        if found is None or len(found["role"].split()) > 6:
            page.notes.append(lines[index:])
            break
        companies.append({"role": found["role"].strip(), "name": found["name"]})
    return companies


def _identifiers(page: _Page, lines: list[str]) -> list[dict[str, str | None]]:
    """ "• Type (Description): Value" bullets; a line that is none continues the value above."""
    identifiers: list[dict[str, str | None]] = []
    for line in lines:
        if not line.strip():
            continue
        found = _IDENTIFIER.match(line)
        if found and found["type"].strip():
            identifiers.append(
                {
                    "type": found["type"].strip(),
                    "description": found["description"],
                    "value": found["value"].rstrip(),
                }
            )
        elif identifiers:
            identifiers[-1]["value"] = f"{identifiers[-1]['value']}\n{_BULLET.sub('', line)}"
        else:
            page.notes.append([line])
    return identifiers


def _reviews(lines: list[str]) -> list[dict[str, Any]]:
    """Each review runs from its date line to the next date line; chrome before the first
    date line ("Add Review") is not a review."""
    reviews: list[dict[str, Any]] = []
    current: list[str] = []
    for line in [*lines, None]:
        day = _date(line) if line is not None else None
        if line is None or day is not None:
            if reviews:
                reviews[-1]["text"] = _block(current) or ""
            if day is not None:
                reviews.append({"date": day, "text": ""})
            current = []
        else:
            current.append(line)
    return reviews


def _split_sections(lines: list[str]) -> list[tuple[str, int | None, list[str]]]:
    """(section, review count, its lines); "header" comes first. Once the reviews start they
    run to the end: a review may say "Tracklist" on a line of its own."""
    sections: list[tuple[str, int | None, list[str]]] = [("header", None, [])]
    for line in lines:
        heading = _section(line) if sections[-1][0] != "reviews" else None
        if heading is not None:
            sections.append((heading[0], heading[1], []))
        else:
            sections[-1][2].append(line)
    return sections


def parse_page(text: str) -> dict[str, Any]:
    """The fields of a release entry read from page text (source "discogs-page").

    Only sections the page has become fields, so a re-import of a page without reviews keeps
    the reviews stored before. Raises `ReleaseFormatError` for text that is no release page.
    """
    lines = _LINE_BREAK.split(text.removeprefix("\ufeff"))
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ReleaseFormatError("empty: no text")
    header = lines[first].strip()
    split = split_dash(header)
    if split is None or _section(header) is not None:
        raise ReleaseFormatError(
            f"not a release page: line {first + 1} is not 'Artist – Title': {header[:60]!r}"
        )
    credit, title = split
    page = _Page({"source": "discogs-page", "artist_credit": credit, "title": title})
    page.fields["artists"] = [clean_artist(credit)]
    various = credit.casefold() in ("various", "various artists")
    sections = _split_sections(lines[first + 1 :])
    for name, count, body in sections:
        if name == "header":
            _header(page, body, first + 2)
        elif name == "tracklist":
            page.fields["tracklist"] = _tracklist(body, various)
        elif name == "companies":
            page.fields["companies"] = _companies(page, body)
        elif name == "identifiers":
            page.fields["identifiers"] = _identifiers(page, body)
        elif name == "reviews":
            page.fields["reviews"] = _reviews(body)
            page.fields["review_count"] = count
        elif name == "notes":
            page.notes.append(body)
    notes = [block for block in (_block(lines) for lines in page.notes) if block]
    if notes:
        page.fields["notes"] = "\n\n".join(notes)
    return page.fields
