"""Rekordbox XML: the set as a playlist Rekordbox imports (File > Import > rekordbox xml).

    <?xml version="1.0" encoding="UTF-8"?>
    <DJ_PLAYLISTS Version="1.0.0">
      <PRODUCT Name="setlist" Version="0.1.0" Company="setlist" />
      <COLLECTION Entries="1">
        <TRACK TrackID="12" Name="Entrée à Métropolis" Artist="Jëff Mills" Album="Métropolis"
               Genre="Techno" Kind="FLAC File" Size="12096" TotalTime="185" Year="2000"
               AverageBpm="128.00" Tonality="Am" Label="Axis Récords"
               Comments="moods: hanté; late night | Builds from the bells." Rating="204"
               Colour="0xFF007F" Location="file://localhost/music/01%20Entr%C3%A9e.flac">
          <POSITION_MARK Name="the bells" Type="0" Start="65.000" Num="-1" />
        </TRACK>
      </COLLECTION>
      <PLAYLISTS>
        <NODE Type="0" Name="ROOT" Count="1">
          <NODE Name="Vendredi" Type="1" KeyType="0" Entries="1">
            <TRACK Key="12" />
          </NODE>
        </NODE>
      </PLAYLISTS>
    </DJ_PLAYLISTS>

TrackID is the library's track id; a track in the set twice is one TRACK in the collection
and two in the playlist. Notes travel as `setlist.rekordbox_fields` describes (rating,
colour, moods and text in Comments, cues as memory cues). The XML is built with ElementTree,
which escapes what XML needs; characters XML cannot hold are removed first, and every text
value is on one line without control or bidi characters. Location holds the file's exact
bytes, percent-encoded. Write the stream as UTF-8.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, TextIO

from setlist.exporters.entry_text import camelot, title
from setlist.exporters.xml_document import clean, notes_comments, write_document
from setlist.locations import rekordbox_location
from setlist.rekordbox_fields import colour_code, rating_value

if TYPE_CHECKING:
    from setlist.exporters import ExportContext, ExportEntry

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def setlist_version() -> str:
    """setlist's version, for PRODUCT (Rekordbox shows which program wrote a file)."""
    try:
        return version("setlist")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0"


def _track(collection: ET.Element, entry: ExportEntry) -> None:
    track, notes = entry.track, entry.notes
    key = camelot(track)
    values = {
        "TrackID": str(track.id),
        "Name": clean(title(track)),
        "Artist": clean(track.artist),
        "Album": clean(track.album),
        "Genre": clean(track.genre),
        "Kind": f"{track.format.upper()} File" if track.format else "",
        "Size": str(track.size),
        "TotalTime": str(round(track.duration or 0)),
        "DiscNumber": str(track.disc_number or 0),
        "TrackNumber": str(track.track_number or 0),
        "Year": str(track.year or 0),
        "AverageBpm": f"{track.bpm or 0:.2f}",
        "BitRate": str(track.bitrate or 0),
        "SampleRate": str(track.sample_rate or 0),
        "Comments": notes_comments(entry),
        "Rating": str(rating_value(notes.rating)),
        "Location": rekordbox_location(entry.file_path()),
        "Tonality": key.name if key else "",
        "Label": clean(track.label),
    }
    if code := colour_code(notes.colour):
        values["Colour"] = code
    element = ET.SubElement(collection, "TRACK", values)
    for cue in notes.cues:
        ET.SubElement(
            element,
            "POSITION_MARK",
            {"Name": clean(cue.text), "Type": "0", "Start": f"{cue.at:.3f}", "Num": "-1"},
        )


def document(context: ExportContext) -> ET.Element:
    """The DJ_PLAYLISTS element of the set."""
    root = ET.Element("DJ_PLAYLISTS", {"Version": "1.0.0"})
    ET.SubElement(root, "PRODUCT", {"Name": "setlist", "Version": setlist_version(), "Company": ""})
    unique = list({entry.track.id: entry for entry in context.entries}.values())
    collection = ET.SubElement(root, "COLLECTION", {"Entries": str(len(unique))})
    for entry in unique:
        _track(collection, entry)
    playlists = ET.SubElement(root, "PLAYLISTS")
    folder = ET.SubElement(playlists, "NODE", {"Type": "0", "Name": "ROOT", "Count": "1"})
    playlist = ET.SubElement(
        folder,
        "NODE",
        {
            "Name": clean(context.setlist.name),
            "Type": "1",
            "KeyType": "0",
            "Entries": str(len(context.entries)),
        },
    )
    for entry in context.entries:
        ET.SubElement(playlist, "TRACK", {"Key": str(entry.track.id)})
    return root


def export(context: ExportContext, stream: TextIO) -> None:
    """Write the set as Rekordbox XML (indented, UTF-8 declared)."""
    write_document(document(context), DECLARATION, stream)
