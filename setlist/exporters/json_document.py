"""JSON: the whole set for scripts, with every track's data, notes and the analysis.

    {"format": "setlist-set", "version": 1, "set": {...}, "analysis": {...},
     "entries": [{"position": 1, "start": 0.0, "start_clock": "00:00", "track": {...},
                  "notes": {...}, "transition_note": "", "transition": null,
                  "location": "file:///music/..."}]}

`track` is what `setlist tracks --json` prints for a track, `notes` what `setlist note --show
--json` prints. `location` is the file's exact path as a `file://` URL (a `track.path` that is
not UTF-8 shows U+FFFD; the URL keeps the real bytes). Text is kept as written: JSON escapes
control characters (`dumps_json` also the C1 and bidi ones).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from setlist.exporters.entry_text import clock
from setlist.locations import file_url
from setlist.terminal import dumps_json

if TYPE_CHECKING:
    from setlist.exporters import ExportContext

FORMAT = "setlist-set"
VERSION = 1


def document(context: ExportContext) -> dict[str, Any]:
    """The set as one JSON value."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "set": context.setlist.model_dump(mode="json", exclude={"entries"}),
        "analysis": dict(context.analysis),
        "entries": [
            {
                "position": entry.position,
                "start": entry.start,
                "start_clock": clock(entry.start),
                "track": entry.track.model_dump(mode="json"),
                "notes": entry.notes.model_dump(mode="json"),
                "transition_note": entry.transition_note,
                "transition": dict(entry.transition) if entry.transition is not None else None,
                "location": file_url(entry.file_path()),
            }
            for entry in context.entries
        ],
    }


def export(context: ExportContext, stream: TextIO) -> None:
    """Write the set as indented UTF-8 JSON."""
    stream.write(dumps_json(document(context)) + "\n")
