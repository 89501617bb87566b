"""Exporters: one module per format, each with `export(context, stream)`.

Every exporter receives the same `ExportContext`: the set, each entry with its full track
(tags, notes, release link), its start time and the analysis of the transition into it, and
the set's analysis as JSON. Text from tags and notes is untrusted in every format: each module
escapes or neutralises it for what it writes (XML, CSV, M3U lines, Markdown).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

if TYPE_CHECKING:
    from library.models import Track
    from library.notes.model import TrackNotes
    from setlist.models import SetList

# Format name -> module under setlist.exporters (imported only when used).
FORMATS: dict[str, str] = {
    "m3u8": "m3u8",
    "txt": "txt",
    "csv": "csv_table",
    "json": "json_document",
    "md": "markdown",
    "rekordbox": "rekordbox_xml",
    "nml": "traktor_nml",
}


@dataclass(frozen=True, slots=True)
class ExportEntry:
    """One entry as exporters see it."""

    position: int
    start: float  # seconds from the start of the set
    track: Track
    notes: TrackNotes
    transition_note: str = ""
    # The analysis of the transition from the previous entry into this one, as JSON
    # (None for the first entry): key relation, BPM change, energy change, verdict...
    transition: Mapping[str, Any] | None = None
    # The file's exact path (`Store.track_paths`); None: `track.path`, which shows bytes that
    # are not UTF-8 as U+FFFD and so cannot name such a file.
    path_bytes: bytes | None = None

    def file_path(self) -> bytes:
        """The path of the entry's file as the file system knows it."""
        return self.path_bytes if self.path_bytes is not None else os.fsencode(self.track.path)


@dataclass(frozen=True, slots=True)
class ExportContext:
    """Everything an exporter may write."""

    setlist: SetList
    entries: Sequence[ExportEntry]
    analysis: Mapping[str, Any] = field(default_factory=dict)  # the set's analysis, as JSON
    relative_to: Path | None = None  # M3U: paths relative to this folder instead of absolute


class Exporter(Protocol):
    """What each format module provides."""

    def __call__(self, context: ExportContext, stream: TextIO) -> None: ...


def exporter(fmt: str) -> Exporter:
    """The `export` function of a format; KeyError for an unknown one (the CLI lists them)."""
    module = importlib.import_module(f"setlist.exporters.{FORMATS[fmt]}")
    function: Exporter = module.export
    return function
