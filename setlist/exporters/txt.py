"""A plain tracklist for posting after the gig.

    Friday at the Melkweg
    De Melkweg · 2026-11-27

    01. 00:00 Jëff Mills – Entrée à Métropolis [Axis Récords AX-022]
    02. 03:05 Kasimir Lund – Afterglow [Lowtide]

Start times are each entry's start in the set (h:mm:ss past an hour). Every value is on one
line with control and bidi characters removed, so no tag can add a line of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from setlist.exporters.entry_text import artist_title, clock, release, set_header

if TYPE_CHECKING:
    from setlist.exporters import ExportContext, ExportEntry


def tracklist_line(entry: ExportEntry, width: int) -> str:
    """`01. 00:00 Artist – Title [Label CATNO]`, the number padded to `width` digits."""
    line = f"{entry.position:0{width}d}. {clock(entry.start)} {artist_title(entry.track)}"
    where = release(entry.track)
    return f"{line} [{where}]" if where else line


def export(context: ExportContext, stream: TextIO) -> None:
    """Write the set's header, a blank line and one line per entry."""
    for line in set_header(context.setlist):
        stream.write(line + "\n")
    stream.write("\n")
    width = max(2, len(str(max((e.position for e in context.entries), default=0))))
    for entry in context.entries:
        stream.write(tracklist_line(entry, width) + "\n")
