"""Tests for the Rekordbox XML and Traktor NML exports.

Rekordbox XML is read back by pyrekordbox (a real reader of the format, written against
files Rekordbox made) and by ElementTree, and its shape is compared with the Rekordbox 5 and
6 files of the shared corpus. NML is read back by ElementTree: every playlist key must name a
collection entry, and every location the file.
"""

from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from conftest import require_corpus
from export_builder import export_context, hostile_tracks

from library.keys import Camelot, parse_key
from library.storage import Store
from setlist.exporters import ExportContext, exporter
from setlist.exporters.traktor_nml import musical_key_value
from setlist.rekordbox_fields import colour_name, comments, parse_comments, stars, xml_text


def exported(fmt: str, context: ExportContext, folder: Path) -> Path:
    stream = io.StringIO()
    exporter(fmt)(context, stream)
    target = folder / f"export.{fmt}.xml"
    target.write_text(stream.getvalue(), encoding="utf-8")
    return target


@pytest.fixture
def hostile(store: Store, tmp_path: Path) -> ExportContext:
    ids = hostile_tracks(store, tmp_path)
    return export_context(store, [ids[1], ids[0], ids[2], ids[0]])  # a track twice


# -- Rekordbox ------------------------------------------------------------------------------


def test_rekordbox_read_by_pyrekordbox(hostile: ExportContext, tmp_path: Path) -> None:
    from pyrekordbox.rbxml import RekordboxXml

    xml = RekordboxXml(exported("rekordbox", hostile, tmp_path))
    assert (xml.frmt_version, xml.product_name) == ("1.0.0", "setlist")
    assert xml.num_tracks == 3 == len(xml.get_tracks())
    [playlist] = xml.root_playlist_folder.get_playlists()
    assert playlist.is_playlist and playlist.name == "Vendredi [live] = Melkweg #EXTM3U"
    assert playlist.key_type == "TrackID"
    keys = [int(key) for key in playlist.get_tracks()]
    assert keys == [entry.track.id for entry in hostile.entries]
    for entry in hostile.entries:
        track = xml.get_track(TrackID=entry.track.id)
        # pyrekordbox decodes Location as text, without the root's "/" (it is written for
        # Rekordbox's "C:/..." and "Users/..." paths); for names that are UTF-8 it is the file.
        if b"\xff" not in entry.file_path():
            assert os.fsencode("/" + track.Location) == entry.file_path()
            assert Path("/" + track.Location).is_file()
        raw = track._element.attrib["Location"]  # the attribute as written, undecoded
        assert unquote_to_bytes(raw.removeprefix("file://localhost")) == entry.file_path()
        assert track.Rating == (entry.notes.rating or 0)
        assert track.TotalTime == round(entry.track.duration or 0)
    first = xml.get_track(TrackID=hostile.entries[1].track.id)
    assert (first.Name, first.Artist, first.Tonality, first.AverageBpm) == (
        "Entrée à Métropolis", "Jëff Mills", "Am", 128.0,
    )  # fmt: skip
    assert first.Comments == "moods: hanté; late night | Builds from the bells. Let it breathe."
    assert first.Colour == "0xFF007F"
    assert [(mark.Name, mark.Start, mark.Num) for mark in first.marks] == [("the bells", 65.0, -1)]
    hostile_one = xml.get_track(TrackID=hostile.entries[0].track.id)
    assert hostile_one.Name == "Tool #EXTINF:1,pwned /etc/passwd"
    assert hostile_one.Album == "<xml>&amp;</xml>"
    assert hostile_one.Label == '=HYPERLINK("http://evil.example","click")'
    assert hostile_one.Artist == "[bold red]Signal[/] [31mThéory[0m"
    assert xml.get_track(TrackID=hostile.entries[2].track.id).Name == "evil Night"


def test_rekordbox_xml_is_clean(hostile: ExportContext, tmp_path: Path) -> None:
    text = exported("rekordbox", hostile, tmp_path).read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<DJ_PLAYLISTS')
    assert not {"\x00", "\x1b", "\u202e", "\u202c"} & set(text)
    root = ET.fromstring(text.encode("utf-8"))
    playlist = root.find("PLAYLISTS/NODE/NODE")
    assert playlist is not None and playlist.get("Entries") == "4"


def _shape(root: ET.Element) -> dict[str, set[str]]:
    """Each element path of a Rekordbox file, with the attribute names it uses."""
    shape: dict[str, set[str]] = {}

    def walk(element: ET.Element, path: str) -> None:
        here = f"{path}/{element.tag}"
        if here.endswith("NODE/NODE"):  # folders nest: one shape for every depth
            here = here.rsplit("/NODE", 1)[0]
        shape.setdefault(here, set()).update(element.attrib)
        for child in element:
            walk(child, here)

    walk(root, "")
    return shape


def test_rekordbox_shape_matches_rekordbox_files(hostile: ExportContext, tmp_path: Path) -> None:
    from pyrekordbox.rbxml import Track

    folder = require_corpus("dj", "pyrekordbox")
    reals = [
        ET.parse(folder / version / "database.xml").getroot()
        for version in ("rekordbox 5", "rekordbox 6")
    ]
    ours = ET.parse(exported("rekordbox", hostile, tmp_path)).getroot()
    real_shape: dict[str, set[str]] = {}
    for real in reals:  # Rekordbox 6's file has no cues and an empty playlist: take both
        for path, attributes in _shape(real).items():
            real_shape.setdefault(path, set()).update(attributes)
    our_shape = _shape(ours)
    # Everything Rekordbox writes but TEMPO, its beat grid: setlist has none to give, and a
    # guessed one would stop Rekordbox from analysing the track.
    assert set(our_shape) == set(real_shape) - {"/DJ_PLAYLISTS/COLLECTION/TRACK/TEMPO"}
    for path, attributes in our_shape.items():
        # Colour is in Rekordbox's format list (and pyrekordbox's) but these files have none.
        allowed = real_shape[path] | ({"Colour"} if path.endswith("COLLECTION/TRACK") else set())
        assert attributes <= allowed, path
    assert our_shape["/DJ_PLAYLISTS/COLLECTION/TRACK"] <= set(Track.ATTRIBS)
    for root in (*reals, ours):  # counts agree with what they count, as Rekordbox's do
        collection = root.find("COLLECTION")
        assert collection is not None
        assert int(collection.get("Entries", "")) == len(collection.findall("TRACK"))
        top = root.find("PLAYLISTS/NODE")
        assert top is not None and top.get("Type") == "0" and top.get("Name") == "ROOT"
        assert int(top.get("Count", "")) == len(top.findall("NODE"))
        for node in root.iter("NODE"):
            if node.get("Type") == "1":
                assert node.get("KeyType") == "0"
                assert int(node.get("Entries", "")) == len(node.findall("TRACK"))


def test_rekordbox_fields() -> None:
    assert [stars(value) for value in (0, 51, 102, 153, 204, 255, 100, 260)] == [
        None, 1, 2, 3, 4, 5, 2, 5,
    ]  # fmt: skip
    assert colour_name("0xFF007F") == "pink" and colour_name("#25fde9") == "aqua"
    assert colour_name("0x123456") is None and colour_name("rouge") is None
    assert comments(["dark", "late night"], "") == "moods: dark; late night"
    assert parse_comments("moods: dark; late night | a | b") == (["dark", "late night"], "a | b")
    assert parse_comments("Tracks by www.loopmasters.com") == ([], "Tracks by www.loopmasters.com")
    assert parse_comments("moods: " + "x" * 80) == ([], "moods: " + "x" * 80)  # too long a mood
    assert xml_text("a\x00b\x1bc\ufffed\ud800e\tf\U0001f3a7") == "abcde\tf\U0001f3a7"


# -- Traktor --------------------------------------------------------------------------------


def test_nml_keys_resolve(hostile: ExportContext, tmp_path: Path, store: Store) -> None:
    root = ET.parse(exported("nml", hostile, tmp_path)).getroot()
    assert root.tag == "NML" and root.get("VERSION") == "19"
    collection = root.find("COLLECTION")
    assert collection is not None and collection.get("ENTRIES") == "3"
    by_key = {}
    for element in collection.findall("ENTRY"):
        location = element.find("LOCATION")
        assert location is not None
        key = location.get("VOLUME", "") + location.get("DIR", "") + location.get("FILE", "")
        by_key[key] = element
    folder = root.find("PLAYLISTS/NODE")
    assert folder is not None and (folder.get("TYPE"), folder.get("NAME")) == ("FOLDER", "$ROOT")
    playlist = folder.find("SUBNODES/NODE/PLAYLIST")
    assert playlist is not None and playlist.get("ENTRIES") == "4"
    keys = [key.get("KEY", "") for key in playlist.iter("PRIMARYKEY")]
    titles = [by_key[key].get("TITLE") for key in keys]
    assert titles == [
        "Tool #EXTINF:1,pwned /etc/passwd", "Entrée à Métropolis", "evil Night",
        "Entrée à Métropolis",
    ]  # fmt: skip
    for key, entry in zip(keys, hostile.entries, strict=True):
        path = key.replace("/:", "/")
        if b"\xff" in entry.file_path():  # not UTF-8: shown with U+FFFD (a known limit)
            assert path == entry.track.path
        else:
            assert os.fsencode(path) == entry.file_path() and Path(path).is_file()
    first = by_key[keys[1]]
    info = first.find("INFO")
    assert info is not None
    assert info.get("KEY") == "1m" and info.get("RANKING") == "204"
    assert (
        info.get("COMMENT") == "moods: hanté; late night | Builds from the bells. Let it breathe."
    )
    assert [e.get("VALUE") for e in root.iter("MUSICAL_KEY")] == ["21", "21", "17"]
    cue = first.find("CUE_V2")
    assert cue is not None and (cue.get("NAME"), cue.get("START")) == ("the bells", "65000.000000")


# Traktor's numbering, C major to B major then C minor to B minor, on the Camelot wheel.
TRAKTOR_KEYS = [
    "8B", "3B", "10B", "5B", "12B", "7B", "2B", "9B", "4B", "11B", "6B", "1B",
    "5A", "12A", "7A", "2A", "9A", "4A", "11A", "6A", "1A", "8A", "3A", "10A",
]  # fmt: skip


@pytest.mark.parametrize(("value", "camelot"), enumerate(TRAKTOR_KEYS))
def test_musical_key_values(value: int, camelot: str) -> None:
    key = parse_key(camelot)
    assert isinstance(key, Camelot)
    assert musical_key_value(key) == value


def test_untitled_tracks_are_named_by_their_file(store: Store, tmp_path: Path) -> None:
    from factories import add_track

    track = add_track(store, title=None, artist=None, path="/m/sans titre é.wav".encode())
    context = export_context(store, [track])
    rekordbox = ET.parse(exported("rekordbox", context, tmp_path)).getroot()
    nml = ET.parse(exported("nml", context, tmp_path)).getroot()
    assert [t.get("Name") for t in rekordbox.iter("TRACK") if t.get("TrackID")] == [
        "sans titre é.wav"
    ]
    assert [e.get("TITLE") for e in nml.iter("ENTRY") if e.get("TITLE")] == ["sans titre é.wav"]
