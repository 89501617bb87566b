"""M3U8: the playlist every player and DJ tool reads.

    #EXTM3U
    #PLAYLIST:Friday at the Melkweg
    #EXTINF:185,Jëff Mills - Entrée à Métropolis
    /music/Jëff Mills/Entrée à Métropolis.flac

A player reads one entry per line, so nothing from a tag may start a line: titles go through
`one_line` (a newline followed by `#EXTINF:` stays inside the EXTINF line). Paths are absolute,
or relative to `context.relative_to` (with ".." where needed). A path that cannot be written
as one line of UTF-8 (a name that is not UTF-8, or holds a control character) is written as
a `file://` URL of its exact bytes, absolute even when relative paths were asked for; a
relative path starting with "#" gets "./" so that it is not read as a comment.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, TextIO

from setlist.exporters.entry_text import artist_title, one_line
from setlist.locations import file_url

if TYPE_CHECKING:
    from pathlib import Path

    from setlist.exporters import ExportContext

# Characters that end a line for some reader (Python's splitlines counts all of these).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def path_line(path: bytes, relative_to: Path | None) -> str:
    """The line naming the file at `path` (absolute bytes)."""
    line = path
    if relative_to is not None:
        try:
            line = os.path.relpath(path, os.path.abspath(os.fsencode(relative_to)))
        except ValueError:  # another drive (Windows): no relative path exists
            line = path
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return file_url(path)
    if _UNSAFE.search(text):
        return file_url(path)
    return f"./{text}" if text.startswith("#") else text


def export(context: ExportContext, stream: TextIO) -> None:
    """Write the set as an extended M3U playlist in UTF-8 (one entry per track, in order)."""
    stream.write("#EXTM3U\n")
    stream.write(f"#PLAYLIST:{one_line(context.setlist.name)}\n")
    for entry in context.entries:
        duration = entry.track.duration
        seconds = round(duration) if duration is not None else -1
        stream.write(f"#EXTINF:{seconds},{artist_title(entry.track, ' - ')}\n")
        stream.write(path_line(entry.file_path(), context.relative_to) + "\n")
