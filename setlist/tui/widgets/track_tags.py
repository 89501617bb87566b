"""A track's tags as read from its file: every field of the `Track` model, read-only.

Values are tag text, so each is made printable and drawn as a Rich `Text`, never parsed as
markup. A comment keeps its line breaks (each line made printable on its own).
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from library.models import Track
from setlist.durations import format_duration
from setlist.terminal import printable
from setlist.tui.widgets.track_columns import bpm_text


def _lines(text: str) -> str:
    return "\n".join(printable(line) for line in text.splitlines())


def _size(size: int) -> str:
    if not size:
        return ""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:.1f} MB"


def tag_rows(track: Track) -> list[tuple[str, str]]:
    """(field, value) pairs for the fields a track has, in the order a DJ reads them."""
    key = track.key or ""
    if track.camelot and track.camelot != key:
        key = f"{key} ({track.camelot})" if key else track.camelot
    numbers = [
        ("track", track.track_number),
        ("disc", track.disc_number),
    ]
    stream = [
        track.format or "",
        track.codec if track.codec and track.codec != track.format else "",
        f"{track.bitrate} kbit/s" if track.bitrate else "",
        f"{track.sample_rate} Hz" if track.sample_rate else "",
        f"{track.channels} ch" if track.channels else "",
    ]
    rows = [
        ("Title", printable(track.title)),
        ("Artist", printable(track.artist)),
        ("Album", printable(track.album)),
        ("Album artist", printable(track.album_artist)),
        ("Position", ", ".join(f"{name} {value}" for name, value in numbers if value)),
        ("Year", str(track.year or "")),
        ("Genre", printable(track.genre)),
        ("Label", printable(track.label)),
        ("Catalog number", printable(track.catalog_number)),
        ("BPM", bpm_text(track.bpm)),
        ("Key", printable(key)),
        ("Moods", printable(", ".join(track.moods))),
        ("Comment", _lines(track.comment or "")),
        ("ISRC", printable(track.isrc)),
        ("Discogs release", printable(track.discogs_release_id)),
        ("MusicBrainz album", printable(track.musicbrainz_album_id)),
        ("MusicBrainz track", printable(track.musicbrainz_track_id)),
        ("Length", format_duration(track.duration)),
        ("Stream", ", ".join(part for part in stream if part)),
        ("Artwork", "embedded" if track.has_artwork else ""),
        ("File", printable(track.path) + ("  (missing)" if track.missing else "")),
        ("Size", _size(track.size)),
    ]
    return [(name, value) for name, value in rows if value]


class TrackTags(Static):
    """The tags of one track as a two-column table; "Loading…" until it arrives."""

    DEFAULT_CSS = """
    TrackTags { height: auto; }
    """

    def show_track(self, track: Track) -> None:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")
        for name, value in tag_rows(track):
            table.add_row(Text(name), Text(value))
        self.update(table)

    def show_message(self, text: str) -> None:
        self.update(Text(printable(text)))
