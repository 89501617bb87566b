"""M3U and M3U8 playlists: extended (`#EXTM3U`, `#EXTINF`) or plain lists of files.

What is read, line by line (LF, CRLF or CR; a UTF-8 BOM, or a UTF-16 one, is skipped):
- `#EXTINF:185,Artist - Title` gives the next entry its length and title; `#PLAYLIST:` the
  playlist's name; every other line starting with `#` is a comment.
- Any other line is an entry: an absolute path; a path relative to the playlist's folder;
  a `file://` URL (percent-encoded bytes); a Windows path (`C:\\Music\\a.mp3`,
  `\\\\server\\share\\a.mp3`, or relative with backslashes), which cannot exist here and is
  matched by its names (`setlist.importers.path_matching`); or a stream URL (`http://...`),
  which never matches. Spaces and tabs around an entry are ignored.

Paths keep the file's bytes (a name that is not UTF-8 still matches the library's file);
text (titles, names) is read as UTF-8, or as Windows-1252 when it is not UTF-8 (what Windows
tools write in `.m3u` files).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from setlist.importers import ImportFormatError
from setlist.importers.path_matching import LibraryFiles, Matches, match_locations
from setlist.locations import Location, parse_location

if TYPE_CHECKING:
    from library.storage import Store

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_EXTINF = re.compile(rb"#EXTINF:\s*(-?\d+(?:\.\d+)?)?[^,]*,?(.*)", re.IGNORECASE)
_PLAYLIST = re.compile(rb"#PLAYLIST:(.*)", re.IGNORECASE)
_BLANK = b" \t"


@dataclass(frozen=True, slots=True)
class PlaylistItem:
    """One entry of a playlist."""

    line: int  # 1-based line number in the file
    location: Location
    duration: float | None = None  # seconds, from #EXTINF (None: not given, or -1)
    title: str = ""  # from #EXTINF, as written


@dataclass(frozen=True, slots=True)
class M3uPlaylist:
    """What a playlist file holds."""

    source: str  # the file, for messages
    name: str | None = None  # from #PLAYLIST:
    extended: bool = False  # starts with #EXTM3U
    items: list[PlaylistItem] = field(default_factory=list)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8").strip()
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace").strip()


def _extinf(line: bytes) -> tuple[float | None, str]:
    match = _EXTINF.fullmatch(line)
    if match is None:
        return None, ""
    duration = float(match[1]) if match[1] is not None else None
    return (duration if duration is not None and duration >= 0 else None), _text(match[2])


def parse_m3u(data: bytes, base: bytes | None, source: str = "playlist") -> M3uPlaylist:
    """Read a playlist's bytes; relative entries are resolved against the folder `base`."""
    if data.startswith(_UTF16_BOMS):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportFormatError(
                f"{source}: not UTF-16 text, though it starts as such"
            ) from error
    data = data.removeprefix(_UTF8_BOM)
    lines = data.splitlines()
    extended = bool(lines) and lines[0].strip(_BLANK).upper().startswith(b"#EXTM3U")
    name: str | None = None
    items: list[PlaylistItem] = []
    info: tuple[float | None, str] = (None, "")
    for number, raw in enumerate(lines, 1):
        line = raw.strip(_BLANK)
        if b"\x00" in line:
            raise ImportFormatError(f"{source}: line {number}: binary data, not a playlist")
        if not line:
            continue
        if line.startswith(b"#"):
            if line.upper().startswith(b"#EXTINF:"):
                info = _extinf(line)
            elif match := _PLAYLIST.fullmatch(line):
                name = _text(match[1]) or None
            continue
        items.append(PlaylistItem(number, parse_location(line, base), *info))
        info = (None, "")
    return M3uPlaylist(source, name, extended, items)


def read_m3u(path: str | os.PathLike[str]) -> M3uPlaylist:
    """Read a playlist file (entries relative to its folder)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ImportFormatError(f"{path}: cannot read: {error.strerror or error}") from error
    folder = os.path.dirname(os.path.abspath(os.fsencode(path)))
    return parse_m3u(data, folder, source=str(path))


def match_items(store: Store, items: Sequence[PlaylistItem]) -> Matches[PlaylistItem]:
    """Find each entry's library track, in playlist order: `track_ids`, `unmatched` (each
    with its reason) and `by_name` (found by file name rather than exact path)."""
    return match_locations(LibraryFiles.of(store), items, lambda item: item.location)
