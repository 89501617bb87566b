"""Tests for reading M3U/M3U8 playlists and finding their entries in the library.

Committed fixtures (tests/fixtures/playlists) cover BOMs, CRLF, Windows-1252, #EXTINF forms,
URLs and Windows paths; the shared corpus's beets playlists are read when present; and a set
exported as M3U8 is read back to the same tracks in the same order.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from conftest import AUDIO, FIXTURES, require_corpus
from export_builder import export_context, hostile_tracks
from factories import add_track

from library.storage import Store
from setlist.exporters import exporter
from setlist.importers import ImportFormatError
from setlist.importers.m3u import match_items, parse_m3u, read_m3u
from setlist.locations import Location

PLAYLISTS = FIXTURES / "playlists"
RELATIVE = FIXTURES / "Sets" / "relatif à la liste.mp3"  # where windows.m3u's 3rd entry is
BASE = os.fsencode(PLAYLISTS)


def test_extended_playlist() -> None:
    playlist = read_m3u(PLAYLISTS / "extended.m3u8")
    assert playlist.extended and playlist.name == "Vendredi à la Melkweg"
    rows = [
        (i.line, i.location.path, i.location.remote, i.duration, i.title) for i in playlist.items
    ]
    assert rows == [
        (4, os.fsencode(FIXTURES / "library/Jëff Mills/01 Entrée à Métropolis.flac"), False,
         185.0, "Jëff Mills - Entrée à Métropolis"),
        (7, None, True, None, "Radio Nuit"),
        (11, b"/musique/Kasimir Lund/Afterglow.flac", False, 241.5,
         "Kasimir Lund - Afterglow, part 2"),
        (12, b"/musique/caf\xe9 cr\xe8me.flac", False, None, ""),
        (13, "/musique/été.flac".encode(), False, None, ""),
        (15, os.fsencode(PLAYLISTS / "#1 dièse.flac"), False, None, "no length"),
    ]  # fmt: skip


def test_windows_playlist() -> None:
    playlist = read_m3u(PLAYLISTS / "windows.m3u")
    assert not playlist.extended and playlist.name is None
    locations = [item.location for item in playlist.items]
    assert [(loc.path, loc.parts) for loc in locations] == [
        (None, ("Music", "Jëff Mills", "Entrée à Métropolis.mp3")),
        (None, ("nas", "partage", "House", "Über Nacht.flac")),
        (os.fsencode(RELATIVE), RELATIVE.parts[1:]),
        (None, ("Music", "Kasimir Lund", "Afterglow.MP3")),
    ]  # fmt: skip
    assert locations[0].written == "C:\\Music\\Jëff Mills\\Entrée à Métropolis.mp3"


def test_matching_by_path_then_by_name(store: Store) -> None:
    entree = add_track(store, path="/srv/musique/Jëff Mills/Entrée à Métropolis.mp3".encode())
    nacht = add_track(store, path="/srv/musique/house/über nacht.flac".encode())
    add_track(store, path="/srv/autre/Über Nacht.flac".encode())  # fewer folders in common
    relative = add_track(store, path=os.fsencode(RELATIVE))
    add_track(store, path=b"/a/Afterglow.mp3")
    add_track(store, path=b"/b/afterglow.mp3")
    matches = match_items(store, read_m3u(PLAYLISTS / "windows.m3u").items)
    assert matches.track_ids == [entree, nacht, relative]
    assert [(m.track_id, m.exact) for m in matches.matched] == [
        (entree, False), (nacht, False), (relative, True),
    ]  # fmt: skip
    assert [m.track_id for m in matches.by_name] == [entree, nacht]
    [unmatched] = matches.unmatched
    assert unmatched.item.line == 5
    assert unmatched.reason == (
        "2 library files are named 'Afterglow.MP3', and no one of them shares more of its "
        "folders; not guessed"
    )


def test_matching_extended(store: Store) -> None:
    ids = [
        add_track(
            store, path=os.fsencode(FIXTURES / "library/Jëff Mills/01 Entrée à Métropolis.flac")
        ),
        add_track(store, path=b"/musique/caf\xe9 cr\xe8me.flac"),
        add_track(store, path="/ailleurs/e\u0301te\u0301.flac".encode()),  # NFD, as on macOS
    ]
    matches = match_items(store, read_m3u(PLAYLISTS / "extended.m3u8").items)
    assert matches.track_ids == ids
    assert [m.exact for m in matches.matched] == [True, True, False]
    assert [(u.item.line, u.reason) for u in matches.unmatched] == [
        (7, "a stream, not a file"),
        (11, "not in the library (no file named 'Afterglow.flac')"),
        (15, "not in the library (no file named '#1 dièse.flac')"),
    ]


THIS, FILE = "/This/is", "to_a_file.mp3"


@pytest.mark.parametrize(
    ("name", "extended", "paths"),
    [
        ("playlist.m3u", True, [f"{THIS}/a/path/{FILE}", f"{THIS}/another/path/{FILE}"]),
        ("playlist_non_ext.m3u", False, [f"{THIS}/a/path/{FILE}", f"{THIS}/another/path/{FILE}"]),
        ("playlist.m3u8", True, [f"{THIS}/å/path/{FILE}", f"{THIS}/another/path/tö_a_file.mp3"]),
    ],
)  # fmt: skip
def test_beets_playlists(store: Store, name: str, extended: bool, paths: list[str]) -> None:
    playlist = read_m3u(require_corpus("dj", "beets", name))
    assert playlist.extended is extended
    assert [item.location.path for item in playlist.items] == [p.encode() for p in paths]
    ids = [add_track(store, path=p.encode()) for p in paths]
    matches = match_items(store, playlist.items)
    assert matches.track_ids == ids and not matches.unmatched and not matches.by_name


def test_beets_windows_playlist(store: Store) -> None:
    playlist = read_m3u(require_corpus("dj", "beets", "playlist_windows.m3u8"))  # BOM, CRLF
    assert playlist.extended
    assert [item.location.parts for item in playlist.items] == [
        ("This", "is", "å", "path", "to_a_file.mp3"),
        ("This", "is", "another", "path", "tö_a_file.mp3"),
    ]
    ids = [
        add_track(store, path="/home/dj/This/is/å/path/to_a_file.mp3".encode()),
        add_track(store, path="/home/dj/This/is/another/path/tö_a_file.mp3".encode()),
    ]
    add_track(store, path=b"/home/dj/Other/path/to_a_file.mp3")  # fewer folders agree
    matches = match_items(store, playlist.items)
    assert matches.track_ids == ids and not matches.unmatched
    assert [m.exact for m in matches.matched] == [False, False]


def test_text_stays_as_written() -> None:
    data = (
        b"#EXTM3U\r\n#EXTINF:7,[bold]x[/] \x1b[31mrouge\x1b[0m =1+1 <b>\r\n/m/a.mp3\r"
        b"#EXTINF:8\r/m/b.mp3\n\n"
    )
    items = parse_m3u(data, BASE).items
    assert [(i.duration, i.title, i.location.path) for i in items] == [
        (7.0, "[bold]x[/] \x1b[31mrouge\x1b[0m =1+1 <b>", b"/m/a.mp3"),
        (8.0, "", b"/m/b.mp3"),
    ]


def test_utf16_and_empty() -> None:
    data = "\ufeff#EXTM3U\n#EXTINF:1,Été\n/m/été.mp3\n".encode("utf-16-le")
    [item] = parse_m3u(data, None).items
    assert (item.title, item.location.path) == ("Été", "/m/été.mp3".encode())
    assert parse_m3u(b"", None).items == []
    assert parse_m3u(b"#EXTM3U\n", None).extended
    [relative] = parse_m3u(b"a/b.mp3", None).items  # no folder to resolve against
    assert relative.location == Location("a/b.mp3", None, ("a", "b.mp3"))


def test_bad_files(tmp_path: Path) -> None:
    audio = tmp_path / "not a playlist.m3u"
    shutil.copyfile(AUDIO / "full.mp3", audio)
    with pytest.raises(
        ImportFormatError, match=r"not a playlist\.m3u: line \d+: binary data, not a playlist"
    ):
        read_m3u(audio)
    with pytest.raises(
        ImportFormatError, match=r"absente\.m3u: cannot read: No such file or directory"
    ):
        read_m3u(tmp_path / "absente.m3u")
    with pytest.raises(ImportFormatError, match="cannot read: Is a directory"):
        read_m3u(tmp_path)
    with pytest.raises(ImportFormatError, match=r"x\.m3u: not UTF-16 text"):
        parse_m3u(b"\xff\xfea", None, "x.m3u")


@pytest.mark.parametrize("relative", [False, True])
def test_m3u8_round_trip(store: Store, tmp_path: Path, relative: bool) -> None:
    ids = hostile_tracks(store, tmp_path)
    order = [ids[2], ids[0], ids[1], ids[0]]
    folder = tmp_path / "listes"
    folder.mkdir()
    context = export_context(store, order, relative_to=folder if relative else None)
    stream = io.StringIO()
    exporter("m3u8")(context, stream)
    target = folder / "vendredi.m3u8"
    target.write_text(stream.getvalue(), encoding="utf-8")
    playlist = read_m3u(target)
    assert playlist.name == "Vendredi [live] = Melkweg #EXTM3U"
    matches = match_items(store, playlist.items)
    assert matches.track_ids == order
    assert not matches.unmatched and not matches.by_name
    assert [item.title for item in playlist.items][1] == "Jëff Mills - Entrée à Métropolis"
