"""The tag field table: every field setlist reads, declared once with its storage per tag system.

Each field lists, per tag system, the keys it is stored under: the first key is the canonical
one (what setlist writes), the rest are aliases other tools write (Rekordbox, Mixed In Key,
Serato, Picard, Discogs taggers). Reading takes the first key that holds a non-empty value.
Keeping the table here, apart from the mutagen doorway in `tags.py`, means adding a field or an
alias is a one-line change and never an `if ext == ...` ladder.

Custom keys (ID3 TXXX descriptions, iTunes freeform names, Vorbis and ASF names) are matched
*loosely*: case, spaces, underscores and hyphens are ignored, because every tool spells them
differently ("MusicBrainz Album Id", "MUSICBRAINZ_ALBUMID", "DiscogsReleaseId",
"DISCOGS_RELEASE_ID"). Standard frames and atoms (TIT2, ©nam) are matched exactly.

This module has no mutagen import: it turns the strings `tags.py` extracts into typed values.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

System = Literal["id3", "vorbis", "mp4", "asf", "riff", "aiff"]
Kind = Literal["text", "int", "float", "year", "list", "discogs"]

_LOOSE_DROP = re.compile(r"[\s_\-]+")


def loose(name: str) -> str:
    """Fold a custom key so "MusicBrainz Album Id" and "MUSICBRAINZ_ALBUMID" meet."""
    return _LOOSE_DROP.sub("", name).upper()


@functools.lru_cache(maxsize=4096)
def index_key(system: System, key: str) -> str:
    """The form a raw key takes in a file's index (see `library.tags`) and in the alias lookup.

    Cached: a library repeats the same few hundred keys in every file, and folding them anew
    per file was a fifth of the reading time.

    ID3 custom frames are "TXXX:<desc>", "WXXX:<desc>", "UFID:<owner>"; iTunes freeform atoms
    are "----:<name>" whatever their mean ("com.apple.iTunes" or another vendor's).
    """
    if system == "id3":
        frame, sep, desc = key.partition(":")
        if sep and frame in ("TXXX", "WXXX"):
            return f"{frame}:{loose(desc)}"
        return key
    if system == "mp4":
        if key.startswith("----:"):
            return "----:" + loose(key.rsplit(":", 1)[-1])
        return key
    if system in ("vorbis", "asf"):
        return loose(key)
    return key.upper()


@dataclass(frozen=True, slots=True)
class Field:
    """One tag field: its name in setlist, its value kind and where each tag system keeps it."""

    name: str
    kind: Kind = "text"
    id3: tuple[str, ...] = ()
    vorbis: tuple[str, ...] = ()
    mp4: tuple[str, ...] = ()
    asf: tuple[str, ...] = ()
    riff: tuple[str, ...] = ()
    aiff: tuple[str, ...] = ()

    def keys(self, system: System) -> tuple[str, ...]:
        """The raw keys for `system`, canonical first."""
        keys: tuple[str, ...] = getattr(self, system)
        return keys

    def lookup_keys(self, system: System) -> tuple[str, ...]:
        """The keys for `system` in index form, canonical first."""
        return tuple(index_key(system, key) for key in self.keys(system))


_FF = "----:com.apple.iTunes:"

FIELDS: tuple[Field, ...] = (
    Field("title", id3=("TIT2",), vorbis=("TITLE",), mp4=("\xa9nam",), asf=("Title",),
          riff=("INAM",), aiff=("NAME",)),
    Field("artist", id3=("TPE1",), vorbis=("ARTIST",), mp4=("\xa9ART",), asf=("Author",),
          riff=("IART",), aiff=("AUTH",)),
    Field("album", id3=("TALB",), vorbis=("ALBUM",), mp4=("\xa9alb",), asf=("WM/AlbumTitle",),
          riff=("IPRD",)),
    Field("album_artist", id3=("TPE2",), vorbis=("ALBUMARTIST",), mp4=("aART",),
          asf=("WM/AlbumArtist",)),
    Field("track_number", "int", id3=("TRCK",), vorbis=("TRACKNUMBER", "TRACK"), mp4=("trkn",),
          asf=("WM/TrackNumber", "WM/Track"), riff=("ITRK", "IPRT")),
    Field("disc_number", "int", id3=("TPOS",), vorbis=("DISCNUMBER", "DISC"), mp4=("disk",),
          asf=("WM/PartOfSet",)),
    Field("year", "year", id3=("TDRC", "TYER", "TDOR", "TORY"),
          vorbis=("DATE", "YEAR", "ORIGINALDATE", "ORIGINALYEAR"), mp4=("\xa9day",),
          asf=("WM/Year", "WM/OriginalReleaseYear"), riff=("ICRD",)),
    Field("genre", id3=("TCON",), vorbis=("GENRE",), mp4=("\xa9gen", "gnre"), asf=("WM/Genre",),
          riff=("IGNR",)),
    Field("label", id3=("TPUB", "TXXX:LABEL", "TXXX:PUBLISHER", "TXXX:ORGANIZATION"),
          vorbis=("LABEL", "ORGANIZATION", "PUBLISHER"),
          mp4=(_FF + "LABEL", "----:PUBLISHER", "----:ORGANIZATION"),
          asf=("WM/Publisher", "LABEL")),
    Field("catalog_number",
          id3=("TXXX:CATALOGNUMBER", "TXXX:CATALOG #", "TXXX:CATALOG", "TXXX:CATNO",
               "TXXX:CATALOGNO", "TXXX:CATALOGID", "TXXX:LABELNO"),
          vorbis=("CATALOGNUMBER", "CATALOG #", "CATALOG", "CATNO", "CATALOGNO", "CATALOGID",
                  "LABELNO"),
          mp4=(_FF + "CATALOGNUMBER", "----:CATALOG #", "----:CATALOG", "----:CATNO",
               "----:CATALOGID"),
          asf=("WM/CatalogNo", "CATALOGNUMBER", "CATALOG #", "CATALOGID")),
    Field("bpm", "float", id3=("TBPM", "TXXX:BPM", "TXXX:TEMPO"), vorbis=("BPM", "TEMPO"),
          mp4=("tmpo", "----:BPM", "----:TEMPO"), asf=("WM/BeatsPerMinute", "BPM")),
    Field("key", id3=("TKEY", "TXXX:INITIALKEY", "TXXX:KEY"), vorbis=("INITIALKEY", "KEY"),
          mp4=(_FF + "initialkey", "----:KEY"), asf=("WM/InitialKey", "INITIALKEY", "KEY")),
    # "COMM" in the index holds only comment frames with an empty description (then the
    # ID3v1 comment): iTunNORM, iTunSMPB and other tools' private COMM frames are not comments.
    Field("comment", id3=("COMM",), vorbis=("COMMENT", "DESCRIPTION"), mp4=("\xa9cmt",),
          asf=("Description", "WM/Comments"), riff=("ICMT",), aiff=("ANNO",)),
    Field("moods", "list", id3=("TMOO", "TXXX:MOOD"), vorbis=("MOOD",), mp4=(_FF + "MOOD",),
          asf=("WM/Mood", "MOOD")),
    # Energy 1-10 where Mixed In Key writes it ("EnergyLevel"); ENERGY read as an alias.
    Field("energy", "int", id3=("TXXX:EnergyLevel", "TXXX:ENERGY"),
          vorbis=("ENERGYLEVEL", "ENERGY"), mp4=(_FF + "EnergyLevel", "----:ENERGY"),
          asf=("EnergyLevel", "ENERGY")),
    # The track notes setlist writes (library/notes/file_form.py): one field it owns.
    Field("setlist_notes", id3=("COMM:setlist",), vorbis=("SETLIST_NOTES",),
          mp4=(_FF + "SETLIST_NOTES",), asf=("SETLIST_NOTES",)),
    Field("isrc", id3=("TSRC", "TXXX:ISRC"), vorbis=("ISRC",), mp4=(_FF + "ISRC",),
          asf=("WM/ISRC", "ISRC")),
    Field("discogs_release_id", "discogs",
          id3=("TXXX:DISCOGS_RELEASE_ID", "TXXX:DISCOGSID", "TXXX:DISCOGS_RELEASE",
               "TXXX:DISCOGS", "WXXX:DISCOGS_RELEASE", "WXXX:DISCOGS"),
          vorbis=("DISCOGS_RELEASE_ID", "DISCOGSID", "DISCOGS_RELEASE", "DISCOGS"),
          mp4=(_FF + "DISCOGS_RELEASE_ID", "----:DISCOGSID", "----:DISCOGS_RELEASE",
               "----:DISCOGS"),
          asf=("DISCOGS_RELEASE_ID", "DISCOGSID", "DISCOGS_RELEASE")),
    Field("musicbrainz_album_id", id3=("TXXX:MusicBrainz Album Id",),
          vorbis=("MUSICBRAINZ_ALBUMID",), mp4=(_FF + "MusicBrainz Album Id",),
          asf=("MusicBrainz/Album Id",)),
    # Picard keeps the recording id in UFID and calls it MUSICBRAINZ_TRACKID elsewhere; the
    # "Release Track Id" is another thing and is deliberately not an alias.
    Field("musicbrainz_track_id", id3=("UFID:http://musicbrainz.org", "TXXX:MusicBrainz Track Id"),
          vorbis=("MUSICBRAINZ_TRACKID",), mp4=(_FF + "MusicBrainz Track Id",),
          asf=("MusicBrainz/Track Id",)),
)  # fmt: skip

FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in FIELDS)
FIELDS_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}

_LEADING_INT = re.compile(r"\s*0*(\d{1,6})")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_DISCOGS_URL = re.compile(r"/release/(\d+)")
_DIGITS = re.compile(r"(?<![\w])r?(\d{1,12})(?![\w])", re.IGNORECASE)
_MOOD_SPLIT = re.compile(r"\s*[;\0]\s*")


def clean_text(value: str) -> str:
    """Strip what tools pad values with (whitespace, NULs); keep everything else as written."""
    return value.strip().strip("\0").strip()


def parse_int(values: Iterable[str]) -> int | None:
    """ "3", "03", "3/12", "3 of 12" give 3; "A1" and "" give None (not a number)."""
    for value in values:
        match = _LEADING_INT.match(value)
        if match:
            return int(match.group(1))
    return None


def parse_float(values: Iterable[str]) -> float | None:
    """A BPM as written: "128", "127.5", "127,5" (a decimal comma); 0 and junk give None."""
    for value in values:
        text = clean_text(value).replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            continue
        if 0 < number < 1000:
            return number
    return None


def parse_year(values: Iterable[str]) -> int | None:
    """The first four-digit year in "2000", "2000-05-01", "01/05/2000"."""
    for value in values:
        match = _YEAR.search(value)
        if match:
            return int(match.group(1))
    return None


def parse_discogs(values: Iterable[str]) -> str | None:
    """A Discogs release id from "28461", "r28461" or a release URL, as a string of digits."""
    for value in values:
        text = clean_text(value)
        match = _DISCOGS_URL.search(text) or _DIGITS.fullmatch(text) or _DIGITS.match(text)
        if match:
            return match.group(1)
    return None


def parse_list(values: Iterable[str]) -> list[str]:
    """Several values, or one value with ';' between items; empty items and repeats dropped."""
    items: list[str] = []
    for value in values:
        for part in _MOOD_SPLIT.split(value):
            item = clean_text(part)
            if item and item not in items:
                items.append(item)
    return items


def parse_text(values: Iterable[str]) -> str | None:
    """The non-empty values joined with "; " (multi-valued artists), or None.

    Repeats are dropped: some files carry the same comment in two COMM frames that differ
    only in their language code.
    """
    kept: list[str] = []
    for value in values:
        text = clean_text(value)
        if text and text not in kept:
            kept.append(text)
    return "; ".join(kept) if kept else None


_PARSERS: dict[Kind, Callable[[list[str]], object]] = {
    "text": parse_text,
    "int": parse_int,
    "float": parse_float,
    "year": parse_year,
    "list": parse_list,
    "discogs": parse_discogs,
}


@functools.cache
def _plan(
    system: System,
) -> tuple[tuple[str, bool, Callable[[list[str]], object], tuple[str, ...]], ...]:
    """Per field: name, whether it is a list, its parser and its keys in index form."""
    return tuple(
        (field.name, field.kind == "list", _PARSERS[field.kind], field.lookup_keys(system))
        for field in FIELDS
    )


def extract(system: System, index: Mapping[str, list[str]]) -> dict[str, object]:
    """Typed values of every field from a file's index of raw string values."""
    values: dict[str, object] = {}
    for name, is_list, parse, keys in _plan(system):
        result: object = [] if is_list else None
        for key in keys:
            raw = index.get(key)
            if raw:
                result = parse(raw)
                if result not in (None, []):
                    break
        values[name] = result
    return values
