"""Tests for the line-based exports (M3U8 and the tracklist) on hostile tags and file names.

Each test exports a set of real library tracks (`export_builder`) and compares the whole
output: no tag may add a line, and every path names its file exactly.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from urllib.parse import quote

import pytest
from export_builder import export_context, hostile_tracks

from library.storage import Store
from setlist.exporters import ExportContext, exporter
from setlist.exporters.entry_text import clock
from setlist.exporters.m3u8 import path_line


def exported(fmt: str, context: ExportContext) -> str:
    stream = io.StringIO()
    exporter(fmt)(context, stream)
    return stream.getvalue()


@pytest.fixture
def music(tmp_path: Path) -> str:
    return str(tmp_path / "música")


@pytest.fixture
def hostile(store: Store, tmp_path: Path) -> ExportContext:
    return export_context(store, hostile_tracks(store, tmp_path))


def test_m3u8_shape(hostile: ExportContext, music: str) -> None:
    undecodable = "file://" + quote(os.fsencode(music), safe="/:") + "/03%20caf%E9%20%FF.flac"
    assert exported("m3u8", hostile).split("\n") == [
        "#EXTM3U",
        "#PLAYLIST:Vendredi [live] = Melkweg #EXTM3U",
        "#EXTINF:185,Jëff Mills - Entrée à Métropolis",
        f"{music}/01 Entrée à Métropolis.flac",
        "#EXTINF:3500,[bold red]Signal[/] [31mThéory[0m - Tool #EXTINF:1,pwned /etc/passwd",
        f"{music}/02 Tool [Extended] #1.flac",
        "#EXTINF:241,-2+3 - evil Night",
        undecodable,
        "",
    ]


def test_m3u8_paths_name_the_files(hostile: ExportContext) -> None:
    from setlist.locations import parse_file_url

    lines = exported("m3u8", hostile).splitlines()
    paths = [line for line in lines if not line.startswith("#")]
    assert len(paths) == len(hostile.entries)
    for line, entry in zip(paths, hostile.entries, strict=True):
        path = parse_file_url(line).path if line.startswith("file:") else os.fsencode(line)
        assert path == entry.file_path()
        assert os.path.isfile(path)


def test_m3u8_relative(store: Store, tmp_path: Path) -> None:
    ids = hostile_tracks(store, tmp_path)
    playlists = tmp_path / "listes" / "vendredi"
    context = export_context(store, ids, relative_to=playlists)
    paths = [line for line in exported("m3u8", context).splitlines() if not line.startswith("#")]
    assert paths[:2] == [
        "../../música/01 Entrée à Métropolis.flac",
        "../../música/02 Tool [Extended] #1.flac",
    ]
    assert paths[2].startswith("file:///")  # not UTF-8: the exact bytes, as an absolute URL
    for line in paths[:2]:
        assert (playlists / line).resolve().is_file()


@pytest.mark.parametrize(
    ("path", "relative_to", "line"),
    [
        (b"/m/#1 hash.flac", "/m", "./#1 hash.flac"),
        (b"/m/#1 hash.flac", None, "/m/#1 hash.flac"),
        (b"/m/a\nb.flac", None, "file:///m/a%0Ab.flac"),
        (b"/m/a\xe2\x80\xa8b.flac", "/m", "file:///m/a%E2%80%A8b.flac"),
        (b"/m/d\xe9j\xe0.flac", "/m", "file:///m/d%E9j%E0.flac"),
        ("/m/déjà vu.flac".encode(), "/other/x", "../../m/déjà vu.flac"),
    ],
)
def test_m3u8_path_lines(path: bytes, relative_to: str | None, line: str) -> None:
    assert path_line(path, Path(relative_to) if relative_to else None) == line


def test_m3u8_unknown_duration(store: Store, tmp_path: Path) -> None:
    from factories import add_track

    track = add_track(store, duration=None, artist=None, title=None, path=b"/m/sans titre.wav")
    lines = exported("m3u8", export_context(store, [track])).splitlines()
    assert lines[2:] == ["#EXTINF:-1,sans titre.wav", "/m/sans titre.wav"]


def test_txt_shape(hostile: ExportContext) -> None:
    assert exported("txt", hostile) == (
        "Vendredi [live] = Melkweg #EXTM3U\n"
        "De Mélkweg <Oude Zaal> · 2026-11-27\n"
        "Warm-up [2Jto peak\n"
        "second line\n"
        "\n"
        "01. 00:00 Jëff Mills – Entrée à Métropolis [Axis Récords AX-022]\n"
        "02. 03:05 [bold red]Signal[/] [31mThéory[0m – Tool #EXTINF:1,pwned /etc/passwd "
        '[=HYPERLINK("http://evil.example","click") @SUM(A1)]\n'
        "03. 1:01:25 -2+3 – evil Night\n"
    )


def test_txt_numbers_widen_past_99(store: Store) -> None:
    from factories import add_track

    ids = [add_track(store, title=f"Piste {n}", duration=10.0) for n in range(100)]
    context = export_context(store, ids, venue="", date=None, description="", name="Cent")
    lines = exported("txt", context).splitlines()
    assert lines[:3] == ["Cent", "", "001. 00:00 Jëff Mills – Piste 0 [Axis Récords AX-022]"]
    assert lines[-1] == "100. 16:30 Jëff Mills – Piste 99 [Axis Récords AX-022]"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "00:00"), (59.6, "01:00"), (3599.4, "59:59"), (3600, "1:00:00"), (36_061, "10:01:01")],
)
def test_clock(seconds: float, text: str) -> None:
    assert clock(seconds) == text
