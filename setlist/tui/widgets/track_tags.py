"""A track's tags as read from its file: every field of the `Track` model, read-only.

Values are tag text, so each is made printable and drawn as a Rich `Text`, never parsed as
markup. A comment keeps its line breaks (each line made printable on its own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.content import Content
from textual.widgets import Static

from library.models import Track
from setlist.durations import format_duration
from setlist.terminal import printable
from setlist.tui.widgets.track_columns import bpm_text

if TYPE_CHECKING:
    from library.releases.model import Release
    from library.releases.store import Link


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


def release_line(link: Link | None, release: Release | None) -> Content:
    """The release a track is linked to, its position, and how the link was made."""
    if link is None or release is None:
        return Content.styled("Not linked to a release", "dim")
    name = f"{printable(release.artist_line) or '?'} – {printable(release.title)}"
    label = printable(release.label_line)
    how = "linked by hand" if link.manual else f"{printable(link.method)} {link.confidence:.2f}"
    return Content.assemble(
        ("Release ", "dim"),
        (name, "bold"),
        f" ({label})" if label else "",
        f" at {printable(link.position)}" if link.position else "",
        (f"  [{how}]", "dim"),
        ("  r: its page", "dim italic"),
    )


def track_facts(track: Track, link: Link | None, release: Release | None) -> Content:
    """The lines beside the cover: album, label, tempo and key, and the linked release."""
    album = printable(track.album)
    if album and track.year:
        album = f"{album} ({track.year})"
    label = " – ".join(p for p in (printable(track.label), printable(track.catalog_number)) if p)
    sound = [
        f"{bpm_text(track.bpm)} BPM" if track.bpm else "",
        printable(track.camelot or track.key),
        format_duration(track.duration),
        track.format or "",
    ]
    lines = [
        Content.styled(album or "(no album)", "bold"),
        Content(label),
        Content(" · ".join(part for part in sound if part)),
        release_line(link, release),
    ]
    if track.missing:
        lines.append(Content.styled("The file is missing", "bold $text-error"))
    return Content("\n").join(line for line in lines if line)


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
