"""Rekordbox XML (File > Export Collection in xml format): its tracks and playlists.

What is read: each COLLECTION TRACK's TrackID, Location (a `file://localhost/...` URL,
percent-decoded to the file's bytes), Name, Artist, Comments, Rating (0-255 as 0-5 stars;
0 is "not rated"), Colour (Rekordbox's eight, as the notes' colours), AverageBpm, Tonality
and its named cues (POSITION_MARK Type 0 with a Name); and the PLAYLISTS tree, each playlist
with the names of the folders above it and its track keys in order (TrackIDs, or Locations
for a KeyType 1 playlist). Values that cannot be read (a Rating of "x", a Colour outside the
eight, a playlist key naming no track) are left out and listed in `problems`; a file that is
not Rekordbox XML at all raises `ImportFormatError`. Text is kept as written.

A file with a DOCTYPE is refused: Rekordbox never writes one, and entity tricks live there.
"""

from __future__ import annotations

import math
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from setlist.importers import ImportFormatError
from setlist.importers.path_matching import LibraryFiles, Matches, match_locations
from setlist.locations import Location, parse_file_url, parse_location
from setlist.rekordbox_fields import colour_name, stars

if TYPE_CHECKING:
    from library.storage import Store


@dataclass(frozen=True, slots=True)
class RekordboxTrack:
    """One track of a Rekordbox collection, as far as setlist uses it."""

    track_id: str  # TrackID as written: what playlists name it by
    location: Location
    name: str = ""
    artist: str = ""
    comments: str = ""
    rating: int | None = None  # stars; None when not rated
    colour: str | None = None  # a notes colour
    bpm: float | None = None  # None when 0 or not given
    tonality: str = ""
    cues: tuple[tuple[float, str], ...] = ()  # named cues: (seconds, name)


@dataclass(frozen=True, slots=True)
class RekordboxPlaylist:
    """A playlist: its folders and name (`path`), and its tracks' keys in order."""

    path: tuple[str, ...]
    keys: list[str] = field(default_factory=list)
    by_location: bool = False  # KeyType 1: the keys are Locations, not TrackIDs

    @property
    def name(self) -> str:
        """The folders and the name, as one set name: "Festivals / Dekmantel 2026"."""
        return " / ".join(self.path)


@dataclass(frozen=True, slots=True)
class RekordboxCollection:
    """What a Rekordbox XML file holds."""

    source: str
    tracks: dict[str, RekordboxTrack] = field(default_factory=dict)  # by TrackID
    playlists: list[RekordboxPlaylist] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # values left out, and why

    def entries(self, playlist: RekordboxPlaylist) -> list[RekordboxTrack]:
        """A playlist's tracks in order (keys that name no track are left out)."""
        if not playlist.by_location:
            return [self.tracks[key] for key in playlist.keys if key in self.tracks]
        by_url = {track.location.written: track for track in self.tracks.values()}
        return [by_url.get(key) or _location_only(key) for key in playlist.keys]


def _location(url: str) -> Location:
    if url[:5].lower() == "file:":
        return parse_file_url(url)
    return parse_location(os.fsencode(url), None)


def _location_only(url: str) -> RekordboxTrack:
    """A track a KeyType 1 playlist names by a Location the collection does not hold."""
    return RekordboxTrack(url, _location(url))


class _Reader:
    """Reads the elements of one file, noting what it leaves out."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def number(self, element: ET.Element, name: str, what: str) -> float | None:
        text = element.get(name, "").strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0:
            self.problems.append(f"{what}: {name} {text!r} is not a number; left out")
            return None
        return value

    def track(self, element: ET.Element, index: int) -> RekordboxTrack | None:
        track_id, url = element.get("TrackID", "").strip(), element.get("Location", "")
        what = f"TRACK {track_id}" if track_id else f"TRACK #{index}"
        if not track_id or not url:
            missing = "TrackID" if not track_id else "Location"
            self.problems.append(f"{what}: no {missing}; left out")
            return None
        rating = self.number(element, "Rating", what)
        code = element.get("Colour", "").strip()
        colour = colour_name(code) if code else None
        if code and colour is None:
            self.problems.append(f"{what}: Colour {code!r} is not one of Rekordbox's; left out")
        cues = []
        for mark in element.iter("POSITION_MARK"):
            start = self.number(mark, "Start", f"{what} POSITION_MARK")
            if mark.get("Type", "0") == "0" and mark.get("Name") and start is not None:
                cues.append((start, mark.get("Name", "")))
        return RekordboxTrack(
            track_id=track_id,
            location=_location(url),
            name=element.get("Name", ""),
            artist=element.get("Artist", ""),
            comments=element.get("Comments", ""),
            rating=stars(round(rating)) if rating is not None else None,
            colour=colour,
            bpm=self.number(element, "AverageBpm", what) or None,
            tonality=element.get("Tonality", "").strip(),
            cues=tuple(cues),
        )

    def playlists(self, node: ET.Element, folders: tuple[str, ...]) -> Iterator[RekordboxPlaylist]:
        for child in node.findall("NODE"):
            path = (*folders, child.get("Name", ""))
            if child.get("Type") == "1":
                keys = [track.get("Key", "") for track in child.findall("TRACK")]
                yield RekordboxPlaylist(path, keys, by_location=child.get("KeyType") == "1")
            else:
                yield from self.playlists(child, path)


def parse_rekordbox(data: bytes, source: str = "rekordbox.xml") -> RekordboxCollection:
    """Read a Rekordbox XML file's bytes."""
    if b"<!DOCTYPE" in data:
        raise ImportFormatError(f"{source}: holds a DOCTYPE, which Rekordbox never writes")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise ImportFormatError(f"{source}: not XML ({error})") from error
    except (LookupError, ValueError) as error:  # an encoding Python lacks, or expat cannot use
        raise ImportFormatError(
            f"{source}: XML in an encoding setlist cannot read ({error})"
        ) from error
    if root.tag != "DJ_PLAYLISTS":
        raise ImportFormatError(f"{source}: not Rekordbox XML (<{root.tag}>, not <DJ_PLAYLISTS>)")
    collection = root.find("COLLECTION")
    if collection is None:
        raise ImportFormatError(f"{source}: Rekordbox XML without a COLLECTION")
    reader = _Reader(source)
    tracks: dict[str, RekordboxTrack] = {}
    for index, element in enumerate(collection.findall("TRACK"), 1):
        track = reader.track(element, index)
        if track is not None and track.track_id in tracks:
            reader.problems.append(f"TRACK {track.track_id}: a second track with this id; left out")
        elif track is not None:
            tracks[track.track_id] = track
    top = root.find("PLAYLISTS/NODE")  # the ROOT folder
    playlists = list(reader.playlists(top, ())) if top is not None else []
    for playlist in playlists:
        if not playlist.by_location:
            unknown = [key for key in playlist.keys if key not in tracks]
            if unknown:
                reader.problems.append(
                    f"playlist {playlist.name!r}: {len(unknown)} key(s) name no track of the "
                    f"collection ({', '.join(unknown[:5])}); left out"
                )
    return RekordboxCollection(source, tracks, playlists, reader.problems)


def read_rekordbox(path: str | os.PathLike[str]) -> RekordboxCollection:
    """Read a Rekordbox XML file."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ImportFormatError(f"{path}: cannot read: {error.strerror or error}") from error
    return parse_rekordbox(data, str(path))


def match_playlists(
    store: Store, collection: RekordboxCollection
) -> list[tuple[RekordboxPlaylist, Matches[RekordboxTrack]]]:
    """Each playlist with its tracks found in the library by location, in playlist order."""
    files = LibraryFiles.of(store)
    return [
        (playlist, match_locations(files, collection.entries(playlist), _location_of))
        for playlist in collection.playlists
    ]


def match_tracks(store: Store, collection: RekordboxCollection) -> Matches[RekordboxTrack]:
    """Every track of the collection found in the library by location (for `fill_notes`)."""
    tracks = list(collection.tracks.values())
    return match_locations(LibraryFiles.of(store), tracks, _location_of)


def _location_of(track: RekordboxTrack) -> Location:
    return track.location
