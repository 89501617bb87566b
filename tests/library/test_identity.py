"""Tests for library.tags.identity: the audio identity survives tag edits and tells audio apart.

Files are real: the committed fixtures (tiny), longer files made by ffmpeg in the test's folder
(so that the start, middle and end blocks are distinct and Ogg streams span many pages), and
the real-world corpus. Tags are changed with setlist's writer and with mutagen directly.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import AUDIO, require_corpus, require_tool
from mutagen.apev2 import APEv2
from mutagen.id3 import ID3, TIT2

from library.errors import SetlistError
from library.tags import read_tag_values, write_tags
from library.tags.identity import BLOCK, audio_identity

Copy = Callable[..., Path]
FORMATS = ("mp3", "flac", "ogg", "opus", "m4a", "wav", "aiff", "wma")
BIG_TAGS: dict[str, object] = {
    "title": " ".join(["Titre très long"] * 200),
    "comment": "\n".join(
        ["Commentaire"] * 3000
    ),  # 36 KB: more than any padding, more than one Ogg page
    "moods": ["sombre", "hanté"],
}


def identity(path: Path) -> str | None:
    value = read_tag_values(str(path))["audio_identity"]
    assert value is None or isinstance(value, str)
    return value


def tone(folder: Path, name: str, frequency: int, seconds: int = 20) -> Path:
    """A stereo sine tone made by ffmpeg: long enough for three distinct hashed blocks."""
    ffmpeg = require_tool("ffmpeg")
    path = folder / name
    source = f"sine=frequency={frequency}:duration={seconds}"
    subprocess.run(
        [ffmpeg, "-v", "error", "-f", "lavfi", "-i", source, "-ac", "2", str(path)],
        check=True,
        timeout=120,
    )
    return path


@pytest.mark.parametrize("ext", FORMATS)
def test_the_same_audio_has_the_same_identity_whatever_its_tags(ext: str) -> None:
    """full.*, alias.* and untagged.* carry one audio stream under different tags."""
    found = {identity(AUDIO / f"{kind}.{ext}") for kind in ("full", "untagged")}
    if (AUDIO / f"alias.{ext}").exists():
        found.add(identity(AUDIO / f"alias.{ext}"))
    assert len(found) == 1
    (value,) = found
    assert value is not None and value.count(":") == 2


@pytest.mark.parametrize("ext", FORMATS)
def test_writing_tags_keeps_the_identity(audio_copy: Copy, ext: str) -> None:
    path = audio_copy(f"full.{ext}")
    before = identity(path)
    size = path.stat().st_size
    write_tags(path, BIG_TAGS)
    assert path.stat().st_size > size + 30_000  # the tag really grew and moved the audio
    assert identity(path) == before


@pytest.mark.parametrize("ext", FORMATS)
def test_long_files_keep_their_identity_and_differ_from_other_audio(
    tmp_path: Path, ext: str
) -> None:
    first = tone(tmp_path, f"a.{ext}", 330)
    second = tone(tmp_path, f"b.{ext}", 331)
    before = identity(first)
    assert before is not None
    assert int(before.split(":")[1]) > 3 * BLOCK  # start, middle and end are distinct blocks
    assert identity(second) not in (None, before)
    write_tags(first, BIG_TAGS)
    assert identity(first) == before
    write_tags(first, {"title": "court", "comment": None, "moods": []})  # and shrinking back
    assert identity(first) == before


def test_a_changed_middle_changes_the_identity(tmp_path: Path) -> None:
    path = tone(tmp_path, "a.wav", 440)
    before = identity(path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert identity(path) != before


def test_ogg_renumbered_pages_keep_the_identity(tmp_path: Path) -> None:
    """A comment header that grows by several pages renumbers every audio page."""
    path = tone(tmp_path, "a.ogg", 330)
    before = identity(path)
    sequence_of_last_page = path.read_bytes().rfind(b"OggS")
    write_tags(path, {"comment": "x" * 200_000})
    assert path.read_bytes().rfind(b"OggS") != sequence_of_last_page
    assert identity(path) == before


def test_mp3_trailing_tags_are_not_audio(audio_copy: Copy) -> None:
    """ID3v1 and APEv2 tags appended by other tools leave the identity alone."""
    path = audio_copy("untagged.mp3")
    before = identity(path)
    tags = ID3()
    tags.add(TIT2(encoding=3, text="Entrée"))
    tags.save(path, v1=2)  # ID3v2 at the start and an ID3v1 tag at the end
    assert path.read_bytes()[-128:-125] == b"TAG"
    assert identity(path) == before
    ape = APEv2()
    ape["Title"] = "Entrée à Métropolis"
    ape.save(path)
    assert b"APETAGEX" in path.read_bytes()[-200:]
    assert identity(path) == before


@pytest.mark.parametrize(
    ("class_name", "data"),
    [
        ("WAVE", b"RIFF\x10\x00\x00\x00WAVEfmt \x00\x00\x00\x00"),  # no data chunk
        ("AIFF", b"FORM\x00\x00\x00\x04AIFF"),
        ("MP4", b"\x00\x00\x00\x10ftypM4A \x00\x00\x00\x00\x00\x00\x00\x01moov"),
        ("FLAC", b"fLaC\x00\x00\x00"),
        ("ASF", b"\x00" * 40),
        ("OggVorbis", b"OggS" + b"\x00" * 30),
        ("SMF", b"MThd"),
    ],
)
def test_unparseable_containers_have_no_identity(
    tmp_path: Path, class_name: str, data: bytes
) -> None:
    path = tmp_path / "broken"
    path.write_bytes(data)
    with path.open("rb") as handle:
        assert audio_identity(handle, class_name, len(data)) is None


def test_corpus_files_keep_their_identity(tmp_path: Path) -> None:
    """Real-world files from other projects: every one setlist can read and write."""
    corpus = require_corpus("audio", "tinytag")
    checked = 0
    for source in sorted(corpus.iterdir()):
        if not source.is_file():
            continue
        copy = tmp_path / source.name
        shutil.copyfile(source, copy)
        try:
            before = identity(copy)
            write_tags(copy, BIG_TAGS)
        except SetlistError:
            continue  # unreadable or unwritable: what the reader and writer tests are about
        if before is not None:  # None: a container this module cannot parse (damaged)
            assert identity(copy) == before, source.name
            checked += 1
    assert checked > 100
