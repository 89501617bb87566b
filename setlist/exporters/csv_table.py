"""CSV: the set as a spreadsheet, one row per entry under a header row.

RFC 4180 (the csv module's quoting, CRLF line ends: open the file with `newline=""`). The
columns are `COLUMNS`, in that order. A spreadsheet runs a cell that starts with `=`, `+`, `-`
or `@` (or a tab or carriage return) as a formula, so such a cell gets a leading `'`
(OWASP's advice): `=HYPERLINK(...)` arrives as the text `'=HYPERLINK(...)`. Control and bidi
characters are removed; line breaks in notes stay, inside their quoted cell.
"""

from __future__ import annotations

import csv
import json
from typing import TYPE_CHECKING, TextIO

from library.notes.values import format_time
from setlist.durations import format_duration
from setlist.exporters.entry_text import camelot, clock, one_line, text_lines

if TYPE_CHECKING:
    from setlist.exporters import ExportContext, ExportEntry

COLUMNS: tuple[str, ...] = (
    "position", "start", "artist", "title", "label", "catalog_number", "album", "genre",
    "year", "bpm", "key", "camelot", "length", "energy", "moods", "roles", "rating", "colour",
    "cues", "notes", "closing_note", "transition_note", "transition", "path",
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: str) -> str:
    """A cell a spreadsheet shows as text: a `'` before a formula's first character."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _number(value: float | None) -> str:
    return "" if value is None else f"{round(value, 2):g}"


def row(entry: ExportEntry) -> list[str]:
    """The cells of one entry, in `COLUMNS` order, cleaned and neutralised."""
    track, notes = entry.track, entry.notes
    key = camelot(track)
    cells = [
        str(entry.position),
        clock(entry.start),
        one_line(track.artist),
        one_line(track.title),
        one_line(track.label),
        one_line(track.catalog_number),
        one_line(track.album),
        one_line(track.genre),
        str(track.year or ""),
        _number(track.bpm),
        one_line(track.key),
        str(key) if key else "",
        format_duration(track.duration),
        str(notes.energy or ""),
        "; ".join(one_line(mood) for mood in notes.moods),
        "; ".join(notes.roles),
        "" if notes.rating is None else str(notes.rating),
        notes.colour or "",
        "; ".join(f"{format_time(cue.at)} {one_line(cue.text)}".strip() for cue in notes.cues),
        "\n".join(text_lines(notes.text)),
        "\n".join(text_lines(notes.closing_note)),
        "\n".join(text_lines(entry.transition_note)),
        json.dumps(entry.transition, ensure_ascii=False) if entry.transition else "",
        one_line(track.path),
    ]
    return [neutralised(cell) for cell in cells]


def export(context: ExportContext, stream: TextIO) -> None:
    """Write the header row and one row per entry."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in context.entries:
        writer.writerow(row(entry))
