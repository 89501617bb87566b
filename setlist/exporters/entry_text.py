"""What the text formats say about an entry, cleaned of what could break their lines.

Tag and note text is untrusted: a title can hold a newline followed by `#EXTINF:...`, ANSI
escapes, NULs, bidi overrides that reverse what a reader sees. Line-based formats (M3U, the
tracklist, Markdown) take each value through `one_line`, which turns line breaks and tabs into
spaces and drops control and bidi characters; free text keeps its lines through `text_lines`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from library.keys import Camelot, parse_key
from setlist.terminal import printable

if TYPE_CHECKING:
    from library.models import Track
    from setlist.models import SetList

UNKNOWN_TITLE = "(untitled)"


def one_line(text: str | None) -> str:
    """`text` on one line: line breaks and tabs as spaces, control and bidi characters gone."""
    return printable(text).strip()


def text_lines(text: str | None) -> list[str]:
    """Multi-line text as clean lines (each through `one_line`), blank lines at the ends gone."""
    lines = [one_line(line) for line in (text or "").splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def file_name(track: Track) -> str:
    """The file's name (for a track without a title)."""
    return one_line(track.path.replace("\\", "/").rsplit("/", 1)[-1])


def title(track: Track) -> str:
    """The title, or the file name when the tags have none."""
    return one_line(track.title) or file_name(track) or UNKNOWN_TITLE


def artist_title(track: Track, dash: str = " – ") -> str:
    """ "Artist – Title", or the title alone when the artist is unknown."""
    artist = one_line(track.artist)
    return f"{artist}{dash}{title(track)}" if artist else title(track)


def release(track: Track) -> str:
    """ "Label CATNO", either alone, or ""."""
    parts = (one_line(track.label), one_line(track.catalog_number))
    return " ".join(part for part in parts if part)


def camelot(track: Track) -> Camelot | None:
    """The track's key on the wheel, when its key tag could be read."""
    return parse_key(track.camelot) or parse_key(track.key)


def clock(seconds: float) -> str:
    """A start time in a set: 00:00 to 59:59, then 1:00:00 (hours need no padding)."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def set_header(setlist: SetList) -> list[str]:
    """The set's name, then venue and date when known, then its description: clean lines."""
    lines = [one_line(setlist.name)]
    where = [one_line(setlist.venue), setlist.date.isoformat() if setlist.date else ""]
    if any(where):
        lines.append(" · ".join(part for part in where if part))
    lines += text_lines(setlist.description)
    return lines
