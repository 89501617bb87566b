"""Tests for file locations as playlists and DJ tools write them, both ways."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from setlist.locations import (
    Location,
    file_url,
    folded,
    parse_file_url,
    parse_location,
    rekordbox_location,
    traktor_location,
)


def test_urls_of_paths() -> None:
    assert file_url("/musique/Entrée à #1 & 100%.flac".encode()) == (
        "file:///musique/Entr%C3%A9e%20%C3%A0%20%231%20%26%20100%25.flac"
    )
    assert file_url(b"/m/caf\xe9\n.flac") == "file:///m/caf%E9%0A.flac"
    assert rekordbox_location(b"/Users/dj/a b.mp3") == "file://localhost/Users/dj/a%20b.mp3"
    assert rekordbox_location(b"C:\\Music\\a b.mp3") == "file://localhost/C:/Music/a%20b.mp3"


@given(st.binary(min_size=1).map(lambda tail: b"/" + tail.replace(b"\x00", b"")))
@example(b"/\\\\")  # backslashes in a POSIX name, not a Windows share
@example(b"/C:/x")  # a POSIX folder named "C:", not a drive
@example(b"//c:")
def test_file_urls_read_back_to_the_bytes(path: bytes) -> None:
    normal = parse_location(path, None).path  # what a path in a playlist reads as
    assert parse_file_url(file_url(path)).path == normal
    assert parse_file_url(rekordbox_location(path)).path == normal


def test_traktor_locations() -> None:
    assert traktor_location("/home/dj/Músique/a:b.mp3".encode()) == (
        "", "/:home/:dj/:Músique/:", "a:b.mp3",
    )  # fmt: skip
    assert traktor_location(b"C:\\Music\\House\\x.mp3") == ("C:", "/:Music/:House/:", "x.mp3")
    assert traktor_location(b"/m/caf\xe9.mp3") == ("", "/:m/:", "caf\ufffd.mp3")


@pytest.mark.parametrize(
    ("url", "path", "parts"),
    [
        ("file:///home/dj/a%20b.mp3", b"/home/dj/a b.mp3", ("home", "dj", "a b.mp3")),
        ("file://localhost/Users/dj/x.mp3", b"/Users/dj/x.mp3", ("Users", "dj", "x.mp3")),
        ("file://localhost//home/dj/x.mp3", b"/home/dj/x.mp3", ("home", "dj", "x.mp3")),
        ("file://LOCALHOST/m/../n/./x.mp3", b"/n/x.mp3", ("n", "x.mp3")),
        ("file:/m/x.mp3", b"/m/x.mp3", ("m", "x.mp3")),
        ("file://localhost/C:/Music/Demo%20Tracks/x.mp3", None, ("Music", "Demo Tracks", "x.mp3")),
        ("file:///D:/x.mp3", None, ("x.mp3",)),
        ("file://nas/partage/x.mp3", None, ("partage", "x.mp3")),
        ("file:///m/caf%E9.mp3", b"/m/caf\xe9.mp3", ("m", "caf\xe9.mp3")),
    ],
)
def test_file_urls(url: str, path: bytes | None, parts: tuple[str, ...]) -> None:
    location = parse_file_url(url)
    assert (location.path, location.parts, location.written) == (path, parts, url)


@pytest.mark.parametrize(
    ("line", "base", "expected"),
    [
        (b"/m/x.mp3", None, Location("/m/x.mp3", b"/m/x.mp3", ("m", "x.mp3"))),
        (b"x.mp3", b"/lists", Location("x.mp3", b"/lists/x.mp3", ("lists", "x.mp3"))),
        (b"../m/x.mp3", b"/l/a", Location("../m/x.mp3", b"/l/m/x.mp3", ("l", "m", "x.mp3"))),
        (b"..\\m\\x.mp3", b"/l/a", Location("..\\m\\x.mp3", b"/l/m/x.mp3", ("l", "m", "x.mp3"))),
        (b"C:\\M\\x.mp3", b"/l", Location("C:\\M\\x.mp3", None, ("M", "x.mp3"))),
        (b"\\\\nas\\s\\x.mp3", b"/l", Location("\\\\nas\\s\\x.mp3", None, ("nas", "s", "x.mp3"))),
        (b"https://radio.example/x", b"/l", Location("https://radio.example/x", None, (), True)),
        (b"a\\b.mp3", None, Location("a\\b.mp3", None, ("a", "b.mp3"))),
        (b"d\xe9j\xe0.mp3", b"/l", Location("déjà.mp3", b"/l/d\xe9j\xe0.mp3", ("l", "déjà.mp3"))),
    ],
)  # fmt: skip
def test_playlist_lines(line: bytes, base: bytes | None, expected: Location) -> None:
    assert parse_location(line, base) == expected


def test_folded_names() -> None:
    assert folded("E\u0301te\u0301 ÜBER.MP3") == folded("été über.mp3") == "été über.mp3"
    assert Location("x", None, ()).name == ""
