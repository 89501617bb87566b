"""Tests for library.tags.read_artwork: the cover bytes of every format, and bad files."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import AUDIO
from PIL import Image

from library.errors import TagReadError
from library.tags import read_artwork

WITH_COVER = ("full.mp3", "v23.mp3", "full.flac", "full.m4a", "full.ogg", "full.opus",
              "full.wav", "full.aiff", "full.wma")  # fmt: skip


@pytest.mark.parametrize("name", WITH_COVER)
def test_the_embedded_cover_comes_back_as_the_image_bytes(name: str) -> None:
    data = read_artwork(AUDIO / name)
    assert data is not None
    with Image.open(io.BytesIO(data)) as picture:  # the bytes are a whole, decodable image
        assert (picture.format, picture.size) == ("PNG", (1, 1))


@pytest.mark.parametrize("name", ["untagged.mp3", "untagged.flac", "untagged.m4a", "v1.mp3",
                                  "untagged.ogg", "untagged.wma", "riff-info.wav"])  # fmt: skip
def test_a_file_without_a_picture_has_none(name: str) -> None:
    assert read_artwork(AUDIO / name) is None


def test_picture_bytes_are_handed_over_undecoded(audio_copy: Callable[..., Path]) -> None:
    """A damaged image (its bytes changed in place, the tag intact) is still returned: deciding
    whether it can be shown is the caller's business."""
    path = audio_copy("full.flac", "abîmé.flac")
    original = read_artwork(path)
    assert original is not None
    data = path.read_bytes()
    damaged = bytes(len(original))  # zeros, the same length: the FLAC block stays valid
    path.write_bytes(data.replace(original, damaged, 1))
    assert read_artwork(path) == damaged


@pytest.mark.parametrize(
    ("name", "reason"),
    [("not-audio.mp3", "not a readable audio file"), ("truncated.flac", "truncated")],
)
def test_a_bad_file_raises_naming_it(name: str, reason: str) -> None:
    with pytest.raises(TagReadError, match=reason) as raised:
        read_artwork(AUDIO / name)
    assert name in str(raised.value)


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(TagReadError, match="file not found"):
        read_artwork(tmp_path / "parti.mp3")
