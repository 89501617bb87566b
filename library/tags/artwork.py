"""The cover art a file holds: the bytes of its front cover (or of its first picture).

Scans only note *whether* a file has a picture (`has_artwork`); the app shows the picture
itself, so it asks for the bytes of one file when it shows that file. Where each format
keeps its pictures:

    ID3 (MP3, WAV, AIFF)   APIC frames (PIC in ID3v2.2), each with a picture type
    MP4 (M4A)              the covr atom: a list of images, no types
    FLAC                   PICTURE metadata blocks, each with a picture type
    Ogg Vorbis, Opus       METADATA_BLOCK_PICTURE comments (a FLAC picture block, base64);
                           the older COVERART comment (the image itself, base64)
    WMA (ASF)              WM/Picture attributes: type, length, MIME and description, image

The picture type 3 ("Cover (front)") wins; otherwise the first picture. Nothing here decodes
the image: the bytes are handed over as stored, and the caller decides what it can show.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct
from collections.abc import Iterator
from typing import Any

from library.errors import TagReadError
from library.tags.reading import _open, message, reason, tag_system

FRONT_COVER = 3  # the ID3/FLAC picture type "Cover (front)"


def _id3_pictures(tags: Any) -> Iterator[tuple[int, bytes]]:
    for frame in [*tags.getall("APIC"), *tags.getall("PIC")]:
        yield int(frame.type), bytes(frame.data)


def _flac_block(encoded: str) -> tuple[int, bytes] | None:
    """A base64 FLAC picture block (as Ogg comments carry it); None when it is damaged."""
    from mutagen.flac import Picture

    try:
        picture = Picture(base64.b64decode(encoded, validate=False))
    except (binascii.Error, ValueError, struct.error, IndexError):
        return None  # a damaged block is no picture; the others may still be fine
    return int(picture.type), bytes(picture.data)


def _asf_picture(blob: bytes) -> tuple[int, bytes] | None:
    """WM/Picture: a type byte, the image's length (LE uint32), the MIME type and the
    description (UTF-16LE, NUL-terminated), then the image."""
    if len(blob) < 5:
        return None
    kind, length = blob[0], int.from_bytes(blob[1:5], "little")
    position = 5
    for _ in range(2):  # skip the MIME type, then the description
        while position + 1 < len(blob) and blob[position : position + 2] != b"\0\0":
            position += 2
        position += 2
    data = blob[position : position + length]
    return (kind, data) if data else None


def _pictures(audio: Any, system: str) -> Iterator[tuple[int, bytes]]:
    """(picture type, bytes) of every picture the file holds, in the file's order."""
    tags = audio.tags
    if tags is not None and system == "id3":
        yield from _id3_pictures(tags)
    elif tags is not None and system == "mp4":
        for cover in tags.get("covr", []):
            yield FRONT_COVER, bytes(cover)
    elif tags is not None and system == "asf":
        for attribute in tags.get("WM/Picture", []):
            found = _asf_picture(bytes(attribute.value))
            if found is not None:
                yield found
    for picture in getattr(audio, "pictures", None) or []:  # FLAC blocks
        yield int(picture.type), bytes(picture.data)
    if tags is not None and system == "vorbis":
        for encoded in tags.get("METADATA_BLOCK_PICTURE", []):
            block = _flac_block(encoded)
            if block is not None:
                yield block
        for encoded in tags.get("COVERART", []):
            try:
                yield FRONT_COVER, base64.b64decode(encoded, validate=False)
            except (binascii.Error, ValueError):
                continue


def read_artwork(path: str | os.PathLike[str]) -> bytes | None:
    """The bytes of the front cover embedded in `path` (or of its first picture), None when
    the file holds no picture. Never writes. Raises `TagReadError` naming the file."""
    name = os.fspath(path)
    try:
        handle = open(name, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        raise TagReadError(name, reason(error)) from error
    with handle:
        audio = _open(name, handle, os.fstat(handle.fileno()).st_size)
        try:
            pictures = [item for item in _pictures(audio, tag_system(audio)) if item[1]]
        except Exception as error:  # a half-parsed tag can fail anywhere; re-raised as ours
            raise TagReadError(name, f"unreadable pictures: {message(error)}") from error
    if not pictures:
        return None
    front = next((data for kind, data in pictures if kind == FRONT_COVER), None)
    return front if front is not None else pictures[0][1]
