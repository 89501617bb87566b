"""Traktor NML: the set as a playlist Traktor imports (Import Collection / drag the file in).

    <?xml version="1.0" encoding="UTF-8" standalone="no" ?>
    <NML VERSION="19">
      <HEAD COMPANY="www.native-instruments.com" PROGRAM="Traktor" />
      <COLLECTION ENTRIES="1">
        <ENTRY TITLE="Entrée à Métropolis" ARTIST="Jëff Mills">
          <LOCATION DIR="/:music/:Jëff Mills/:" FILE="01 Entrée.flac" VOLUME="" VOLUMEID="" />
          <ALBUM TITLE="Métropolis" />
          <INFO GENRE="Techno" LABEL="Axis Récords" COMMENT="moods: hanté" KEY="1m"
                PLAYTIME="185" PLAYTIME_FLOAT="185.000000" RANKING="204" FILESIZE="12" />
          <TEMPO BPM="128.000000" BPM_QUALITY="100.000000" />
          <MUSICAL_KEY VALUE="21" />
          <CUE_V2 NAME="the bells" DISPL_ORDER="0" TYPE="0" START="65000.000000" LEN="0.000000"
                  REPEATS="-1" HOTCUE="-1" />
        </ENTRY>
      </COLLECTION>
      <SETS ENTRIES="0" />
      <PLAYLISTS>
        <NODE TYPE="FOLDER" NAME="$ROOT">
          <SUBNODES COUNT="1">
            <NODE TYPE="PLAYLIST" NAME="Vendredi">
              <PLAYLIST ENTRIES="1" TYPE="LIST" UUID="...">
                <ENTRY><PRIMARYKEY TYPE="TRACK" KEY="/:music/:Jëff Mills/:01 Entrée.flac" /></ENTRY>
              </PLAYLIST>
            </NODE>
          </SUBNODES>
        </NODE>
      </PLAYLISTS>
    </NML>

Locations: Traktor writes a file as VOLUME (the disk: "Macintosh HD", or "C:" on Windows),
DIR (its folders, each followed by "/:") and FILE; a playlist names a track by
VOLUME + DIR + FILE. A Linux path has no volume: VOLUME is "" and DIR starts at the root, so
on a Mac or PC whose music sits at another place Traktor lists the tracks as missing until
its Relocate finds them. A name that is not UTF-8 cannot be written (XML holds text), and is
written with U+FFFD. Keys: INFO KEY is Open Key ("1m" for A minor, Traktor's own notation);
MUSICAL_KEY VALUE is Traktor's number, 0-11 for the major keys C, C#, D ... B and 12-23 for
the minor keys Cm, C#m ... Bm. RANKING is the rating in 51s (0 to 255); COMMENT holds the
moods and notes as in Rekordbox; cues are CUE_V2 cue points (START in milliseconds).
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, TextIO

from library.keys import Camelot
from setlist.exporters.entry_text import camelot, title
from setlist.exporters.xml_document import clean, notes_comments, write_document
from setlist.locations import traktor_location
from setlist.rekordbox_fields import rating_value

if TYPE_CHECKING:
    from setlist.exporters import ExportContext, ExportEntry

DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n'
_PLAYLIST_NAMESPACE = uuid.UUID("5e7115f0-0000-4000-8000-000000000001")


def musical_key_value(key: Camelot) -> int:
    """Traktor's MUSICAL_KEY VALUE: the tonic's pitch class (C = 0), plus 12 for minor.

    On the wheel each step is a fifth (7 semitones) and 8B is C major; a minor key's tonic
    is three semitones below its relative major's.
    """
    major_tonic = (key.number - 8) * 7 % 12
    return (major_tonic - 3) % 12 + 12 if key.is_minor else major_tonic


def primary_key(path: bytes) -> str:
    """How a playlist names a track: VOLUME + DIR + FILE."""
    volume, folders, name = traktor_location(path)
    return clean(volume + folders + name)


def _entry(collection: ET.Element, entry: ExportEntry) -> None:
    track, notes = entry.track, entry.notes
    element = ET.SubElement(
        collection, "ENTRY", {"TITLE": clean(title(track)), "ARTIST": clean(track.artist)}
    )
    volume, folders, name = traktor_location(entry.file_path())
    ET.SubElement(
        element,
        "LOCATION",
        {"DIR": clean(folders), "FILE": clean(name), "VOLUME": volume, "VOLUMEID": volume},
    )
    album = {"TITLE": clean(track.album)}
    if track.track_number:
        album["TRACK"] = str(track.track_number)
    ET.SubElement(element, "ALBUM", album)
    key = camelot(track)
    duration = track.duration or 0.0
    info = {
        "GENRE": clean(track.genre),
        "LABEL": clean(track.label),
        "COMMENT": notes_comments(entry),
        "KEY": key.open_key if key else "",
        "PLAYTIME": str(round(duration)),
        "PLAYTIME_FLOAT": f"{duration:.6f}",
        "RANKING": str(rating_value(notes.rating)),
        "FILESIZE": str(round(track.size / 1024)),
    }
    if track.bitrate:
        info["BITRATE"] = str(track.bitrate * 1000)
    if track.year:
        info["RELEASE_DATE"] = f"{track.year}/1/1"
    ET.SubElement(element, "INFO", info)
    if track.bpm:
        ET.SubElement(element, "TEMPO", {"BPM": f"{track.bpm:.6f}", "BPM_QUALITY": "100.000000"})
    if key:
        ET.SubElement(element, "MUSICAL_KEY", {"VALUE": str(musical_key_value(key))})
    for order, cue in enumerate(notes.cues):
        ET.SubElement(
            element,
            "CUE_V2",
            {
                "NAME": clean(cue.text),
                "DISPL_ORDER": str(order),
                "TYPE": "0",
                "START": f"{cue.at * 1000:.6f}",
                "LEN": "0.000000",
                "REPEATS": "-1",
                "HOTCUE": "-1",
            },
        )


def document(context: ExportContext) -> ET.Element:
    """The NML element of the set."""
    root = ET.Element("NML", {"VERSION": "19"})
    ET.SubElement(root, "HEAD", {"COMPANY": "www.native-instruments.com", "PROGRAM": "Traktor"})
    ET.SubElement(root, "MUSICFOLDERS")
    unique = list({entry.track.id: entry for entry in context.entries}.values())
    collection = ET.SubElement(root, "COLLECTION", {"ENTRIES": str(len(unique))})
    for entry in unique:
        _entry(collection, entry)
    ET.SubElement(root, "SETS", {"ENTRIES": "0"})
    playlists = ET.SubElement(root, "PLAYLISTS")
    folder = ET.SubElement(playlists, "NODE", {"TYPE": "FOLDER", "NAME": "$ROOT"})
    subnodes = ET.SubElement(folder, "SUBNODES", {"COUNT": "1"})
    name = clean(context.setlist.name)
    node = ET.SubElement(subnodes, "NODE", {"TYPE": "PLAYLIST", "NAME": name})
    playlist = ET.SubElement(
        node,
        "PLAYLIST",
        {
            "ENTRIES": str(len(context.entries)),
            "TYPE": "LIST",
            "UUID": uuid.uuid5(_PLAYLIST_NAMESPACE, name).hex,
        },
    )
    for entry in context.entries:
        item = ET.SubElement(playlist, "ENTRY")
        key = primary_key(entry.file_path())
        ET.SubElement(item, "PRIMARYKEY", {"TYPE": "TRACK", "KEY": key})
    return root


def export(context: ExportContext, stream: TextIO) -> None:
    """Write the set as Traktor NML (indented, UTF-8 declared)."""
    write_document(document(context), DECLARATION, stream)
