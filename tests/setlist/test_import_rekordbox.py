"""Tests for reading Rekordbox XML, finding its tracks in the library, and filling notes.

The corpus's Rekordbox 5 and 6 files (when present), a committed fixture with the odd cases
(folders, KeyType 1, bad values, hostile text), and a set exported as Rekordbox XML and read
back into a fresh library: same playlist order, same notes for the fields XML carries.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import FIXTURES, require_corpus
from export_builder import HOSTILE, export_context, hostile_tracks
from factories import add_track

from library.notes import store as notes_store
from library.notes.model import Cue, TrackNotes
from library.storage import Store
from setlist.exporters import exporter
from setlist.importers import ImportFormatError
from setlist.importers.rekordbox import (
    match_playlists,
    match_tracks,
    parse_rekordbox,
    read_rekordbox,
)
from setlist.importers.rekordbox_notes import TagGap, fill_notes

FIXTURE = FIXTURES / "playlists" / "rekordbox.xml"
DEMO = "/home/dj/Music/PioneerDJ/Demo Tracks/Demo Track {}.mp3"


# -- reading ----------------------------------------------------------------------------------


def test_fixture_tracks() -> None:
    collection = read_rekordbox(FIXTURE)
    assert list(collection.tracks) == ["101", "102", "103", "105"]
    first = collection.tracks["101"]
    assert (first.name, first.artist, first.rating, first.colour, first.bpm, first.tonality) == (
        "Entrée à Métropolis", "Jëff Mills", 4, "pink", 128.0, "Am",
    )  # fmt: skip
    assert first.location.path == "/musique/Jëff Mills/01 Entrée.flac".encode()
    assert first.cues == ((65.0, "les cloches"),)  # unnamed and loop marks are not notes
    hostile = collection.tracks["102"]
    assert (hostile.name, hostile.artist) == ("<script>alert(1)</script>", "=1+1")
    assert hostile.comments == "Plain comment, &amp; no moods"
    assert (hostile.rating, hostile.colour, hostile.bpm) == (2, None, None)
    assert hostile.location.path == b"/musique/caf\xe9.flac"
    windows = collection.tracks["103"]
    assert windows.location.path is None
    assert windows.location.parts == ("Music", "Kasimir Lund", "Afterglow.mp3")
    assert (windows.rating, windows.colour, windows.bpm) == (None, "aqua", None)
    assert collection.tracks["105"].rating == 2  # 100 is nearest to two stars
    assert collection.problems == [
        "TRACK 102: Colour '0x123456' is not one of Rekordbox's; left out",
        "TRACK 103: Rating 'x' is not a number; left out",
        "TRACK 103: AverageBpm 'fast' is not a number; left out",
        "TRACK 104: no Location; left out",
        "TRACK 101: a second track with this id; left out",
        "TRACK #7: no TrackID; left out",
        "playlist 'Festivals / Été 2026 / Dekmantel [Sunday]': 1 key(s) name no track of the "
        "collection (999); left out",
    ]


def test_fixture_playlists() -> None:
    collection = read_rekordbox(FIXTURE)
    assert [(p.path, p.keys, p.by_location) for p in collection.playlists] == [
        (("Festivals", "Été 2026", "Dekmantel [Sunday]"), ["102", "101", "999", "103", "101"],
         False),
        (("Par lieu",), ["file://localhost/musique/J%C3%ABff%20Mills/01%20Entr%C3%A9e.flac",
                         "file://localhost/musique/hors-collection.mp3"], True),
        (("Vide",), [], False),
    ]  # fmt: skip
    dekmantel, by_location, empty = collection.playlists
    assert dekmantel.name == "Festivals / Été 2026 / Dekmantel [Sunday]"
    assert [t.track_id for t in collection.entries(dekmantel)] == ["102", "101", "103", "101"]
    named = collection.entries(by_location)
    assert [t.name for t in named] == ["Entrée à Métropolis", ""]
    assert named[1].location.path == b"/musique/hors-collection.mp3"
    assert collection.entries(empty) == []


def test_rekordbox_5_corpus(store: Store) -> None:
    collection = read_rekordbox(require_corpus("dj", "pyrekordbox", "rekordbox 5", "database.xml"))
    assert list(collection.tracks) == ["1", "2", "3", "4", "5", "6"] and not collection.problems
    assert [p.name for p in collection.playlists] == ["Folder / Sub Playlist", "Playlist1"]
    demo = collection.tracks["5"]
    assert (demo.name, demo.artist, demo.bpm, demo.rating, demo.cues) == (
        "Demo Track 1", "Loopmasters", 128.0, None, (),
    )  # fmt: skip
    assert demo.location.parts == ("Music", "PioneerDJ", "Demo Tracks", "Demo Track 1.mp3")
    ids = [add_track(store, path=DEMO.format(n).encode(), bpm=None, key=None) for n in (1, 2)]
    for playlist, matches in match_playlists(store, collection):
        assert matches.track_ids == ids, playlist.name
        assert [m.exact for m in matches.matched] == [False, False]
    all_tracks = match_tracks(store, collection)
    assert [m.item.track_id for m in all_tracks.matched] == ["5", "6"]
    assert [u.item.name for u in all_tracks.unmatched] == ["NOISE", "SINEWAVE", "SIREN", "HORN"]
    assert all_tracks.unmatched[0].reason == "not in the library (no file named 'NOISE.wav')"
    fill = fill_notes(store, all_tracks.matched)
    assert fill.filled == {ids[0]: ["text"], ids[1]: ["text"]}
    assert notes_store.load(store, ids[0]).text == "Tracks by www.loopmasters.com"
    assert fill.tag_gaps == [TagGap(ids[0], 128.0, None), TagGap(ids[1], 120.0, None)]


def test_rekordbox_6_corpus() -> None:
    collection = read_rekordbox(require_corpus("dj", "pyrekordbox", "rekordbox 6", "database.xml"))
    assert len(collection.tracks) == 6 and not collection.problems
    assert collection.tracks["253529738"].tonality == "Fm"
    [playlist] = collection.playlists
    assert (playlist.name, playlist.keys) == ("Trial playlist - Cloud Library Sync", [])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", r"x\.xml: not XML \(no element found"),
        (b"<DJ_PLAYLISTS><COLLECTION>", r"x\.xml: not XML"),
        (b"<NML VERSION='19'/>", r"x\.xml: not Rekordbox XML \(<NML>, not <DJ_PLAYLISTS>\)"),
        (b"<DJ_PLAYLISTS Version='1.0.0'/>", r"x\.xml: Rekordbox XML without a COLLECTION"),
        (b'<!DOCTYPE x [<!ENTITY a "aaaa">]><DJ_PLAYLISTS/>', r"x\.xml: holds a DOCTYPE"),
    ],
)
def test_bad_files(data: bytes, message: str) -> None:
    with pytest.raises(ImportFormatError, match=message):
        parse_rekordbox(data, "x.xml")


def test_unreadable(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match=r"absent\.xml: cannot read: No such file"):
        read_rekordbox(tmp_path / "absent.xml")


# -- notes ------------------------------------------------------------------------------------


def test_fill_only_empty_fields(store: Store) -> None:
    noted = add_track(store, path="/musique/Jëff Mills/01 Entrée.flac".encode())
    notes_store.save(store, noted, TrackNotes(text="ma note", rating=1, energy=6))
    tagged = add_track(store, path=b"/musique/caf\xe9.flac", moods=["sombre"], bpm=None)
    collection = read_rekordbox(FIXTURE)
    matches = match_tracks(store, collection)
    assert [(m.item.track_id, m.track_id) for m in matches.matched] == [
        ("101", noted), ("102", tagged),
    ]  # fmt: skip
    fill = fill_notes(store, matches.matched)
    assert fill.filled == {noted: ["moods", "colour", "cues"], tagged: ["text", "rating"]}
    assert fill.kept == {noted: ["text", "rating"]}
    assert fill.tag_gaps == []  # 102 has no BPM in Rekordbox either
    first = notes_store.load(store, noted)
    assert (first.text, first.rating, first.energy) == ("ma note", 1, 6)  # never overwritten
    assert (first.moods, first.colour) == (["hanté", "late night"], "pink")
    assert first.cues == [Cue(at=65.0, text="les cloches")]
    second = notes_store.load(store, tagged)
    assert second.moods == ["sombre"]  # the tags' moods count as noted
    assert (second.text, second.rating) == ("Plain comment, &amp; no moods", 2)
    history = notes_store.history(store, noted)
    assert [(v.version, v.source) for v in history] == [(1, "note"), (2, "rekordbox")]
    again = fill_notes(store, matches.matched)
    assert again.filled == {} and len(notes_store.history(store, noted)) == 2


def test_fill_nothing(store: Store) -> None:
    assert fill_notes(store, []).filled == {}


# -- round trip ------------------------------------------------------------------------------


def test_rekordbox_round_trip(store: Store, tmp_path: Path) -> None:
    ids = hostile_tracks(store, tmp_path)
    order = [ids[1], ids[0], ids[2], ids[0]]
    stream = io.StringIO()
    exporter("rekordbox")(export_context(store, order), stream)
    target = tmp_path / "export.xml"
    target.write_text(stream.getvalue(), encoding="utf-8")

    fresh = Store(tmp_path / "fresh.db")  # the same files, nothing noted
    try:
        paths = store.track_paths(ids)
        new = {old: add_track(fresh, path=paths[old], **HOSTILE[n][0]) for n, old in enumerate(ids)}
        collection = read_rekordbox(target)
        assert not collection.problems
        [(playlist, matches)] = match_playlists(fresh, collection)
        assert playlist.name == "Vendredi [live] = Melkweg #EXTM3U"
        assert matches.track_ids == [new[old] for old in order]
        assert not matches.unmatched and not matches.by_name
        fill_notes(fresh, match_tracks(fresh, collection).matched)
        carried = ("moods", "rating", "colour", "cues")
        for old in ids:
            before = notes_store.load(store, old)
            after = notes_store.load(fresh, new[old])
            expected = {name: getattr(before, name) for name in carried}
            if expected["rating"] == 0:  # Rekordbox's 0 is "not rated"
                expected["rating"] = None
            assert {name: getattr(after, name) for name in carried} == expected
            assert after.text == " ".join(before.text.split()).replace("\x00", "")
            assert (after.energy, after.roles, after.closing_note) == (None, [], "")
        [version] = notes_store.history(fresh, new[ids[0]])
        assert (version.source, version.notes.text) == (
            "rekordbox", "Builds from the bells. Let it breathe.",
        )  # fmt: skip
    finally:
        fresh.close()
