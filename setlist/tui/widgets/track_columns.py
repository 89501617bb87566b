"""The track table's columns: what each shows of a row, how wide it is, what it sorts by.

A column is declared once here; the table lays the columns out to the terminal's width and
draws them. Adding a column (`ListingRow` gains the field, a `Column` reads it) touches
nothing else.

Cell text is tag text, so it is untrusted: it goes through `printable` (no control
characters, no line breaks, no bidi overrides) and is drawn as plain segments, never parsed
as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len, set_cell_size

from library.track_listing import ListingRow
from setlist.durations import format_duration
from setlist.terminal import printable

GAP = 2  # spaces between columns
ELLIPSIS = "…"


def bpm_text(bpm: float | None) -> str:
    """128 for 128.0, 127.5 as is: how DJs write tempi."""
    return f"{bpm:.1f}".removesuffix(".0") if bpm else ""


# A track's roles in one cell: the letter of each, in a set's order. The track panel's
# role keys are the same letters (README: "The app").
ROLE_MARKS: dict[str, str] = {
    "opener": "O", "warm-up": "W", "builder": "B", "peak": "P", "breakdown": "D",
    "closer": "C", "encore": "E",
}  # fmt: skip


def role_marks(roles: Sequence[str]) -> str:
    """ "OC" for an opener that closes too: one letter per role (see `ROLE_MARKS`)."""
    return "".join(ROLE_MARKS.get(role, "?") for role in roles)


def release_text(row: ListingRow) -> str:
    """Label – catalog number; whichever is known alone."""
    parts = [printable(part) for part in (row.label, row.catalog_number) if part]
    return " – ".join(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header, the text of a cell, its width, and the sort it stands for."""

    key: str
    label: str
    text: Callable[[ListingRow], str]
    width: int = 0
    """Fixed width in cells; 0 for a column that shares the width left over."""
    flex: int = 0
    """Share of the left-over width, for columns without a fixed width."""
    align: Literal["left", "right"] = "left"
    sort: str | None = None
    """The `library.query` sort field it stands for; None when it cannot be sorted (yet)."""


COLUMNS: tuple[Column, ...] = (
    # The missing marker: the file has gone (the track and what hangs on it stay).
    Column("missing", "", lambda row: "✗" if row.missing else "", width=1),
    Column("artist", "Artist", lambda row: printable(row.artist), flex=3, sort="artist"),
    Column("title", "Title", lambda row: printable(row.title), flex=4, sort="title"),
    Column("release", "Release", release_text, flex=4, sort="label"),
    Column("bpm", "BPM", lambda row: bpm_text(row.bpm), width=5, align="right", sort="bpm"),
    Column("key", "Key", lambda row: row.camelot or "", width=4, sort="key"),
    Column(
        "energy",
        "En",
        lambda row: str(row.energy) if row.energy is not None else "",
        width=3,
        align="right",
        sort="energy",
    ),
    Column("roles", "Roles", lambda row: role_marks(row.roles), width=5),
    Column("moods", "Moods", lambda row: printable(", ".join(row.moods)), flex=2),
    Column(
        "length",
        "Length",
        lambda row: format_duration(row.duration),
        width=7,
        align="right",
        sort="duration",
    ),
)
SORTABLE: tuple[Column, ...] = tuple(column for column in COLUMNS if column.sort)


def column_for_sort(sort: str) -> Column | None:
    """The column a sort (`-bpm`) stands for, if it has one."""
    name = sort.lstrip("-")
    return next((column for column in SORTABLE if column.sort == name), None)


def toggled_sort(current: str, field: str) -> str:
    """Sorting by the current field again reverses it; another field starts ascending."""
    if current.lstrip("-") == field:
        return field if current.startswith("-") else f"-{field}"
    return field


def layout(columns: Sequence[Column], width: int) -> list[int]:
    """Cell widths that fill `width`: fixed columns keep theirs, the rest share what is left
    by their flex (at least 4 cells each, so a narrow terminal crops rather than breaks)."""
    fixed = sum(column.width for column in columns) + GAP * (len(columns) - 1)
    flexible = [column for column in columns if not column.width]
    shares = sum(column.flex for column in flexible) or 1
    spare = max(4 * len(flexible), width - fixed)
    widths = [column.width or max(4, spare * column.flex // shares) for column in columns]
    # Hand the cells lost to rounding to the flexible columns, left to right.
    leftover = spare - sum(w for w, c in zip(widths, columns, strict=True) if not c.width)
    for index, column in enumerate(columns):
        if leftover <= 0:
            break
        if not column.width:
            widths[index] += 1
            leftover -= 1
    return widths


def fit(text: str, width: int, align: Literal["left", "right"] = "left") -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis (wide characters
    count two cells and are never split)."""
    length = cell_len(text)
    if length <= width:
        padding = " " * (width - length)
        return padding + text if align == "right" else text + padding
    if width <= 0:
        return ""
    return set_cell_size(text, width - 1) + ELLIPSIS


def header_cells(columns: Sequence[Column], sort: str) -> list[str]:
    """Column titles, the sorted one marked ▲ (ascending) or ▼ (descending)."""
    sorted_by = column_for_sort(sort)
    arrow = "▼" if sort.startswith("-") else "▲"
    return [f"{column.label}{arrow}" if column is sorted_by else column.label for column in columns]


def column_at(columns: Sequence[Column], widths: Sequence[int], x: int) -> Column | None:
    """The column under cell `x` of a line (None in a gap or past the last column)."""
    start = 0
    for column, width in zip(columns, widths, strict=True):
        if start <= x < start + width:
            return column
        start += width + GAP
    return None
