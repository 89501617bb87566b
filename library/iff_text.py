"""Text chunks of RIFF (WAV) and IFF (AIFF) files, which mutagen does not read.

Many WAV files carry their title and artist only in a RIFF `LIST`/`INFO` chunk (written by
ffmpeg, Windows Explorer, Sound Forge), and AIFF files in `NAME`/`AUTH`/`ANNO` chunks. mutagen
reads just the ID3 chunk of both, so without this a DJ's WAV library would look untagged.

Reads chunk headers and seeks past audio data: cost is a few small reads per file. Sizes that
point past the end of the file stop the walk; nothing here raises on damaged input.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

_MAX_CHUNKS = 512
_MAX_TEXT = 64 * 1024


def _decode(raw: bytes) -> str:
    """INFO values are meant to be ASCII; in practice UTF-8 (ffmpeg) or a Windows code page."""
    raw = raw.split(b"\0", 1)[0]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def chunks(fileobj: BinaryIO, start: int, end: int, fmt: str) -> list[tuple[bytes, int, int]]:
    """(id, data offset, size) of each chunk between `start` and `end`; pads to even sizes."""
    found: list[tuple[bytes, int, int]] = []
    offset = start
    while offset + 8 <= end and len(found) < _MAX_CHUNKS:
        fileobj.seek(offset)
        header = fileobj.read(8)
        if len(header) < 8:
            break
        chunk_id, size = struct.unpack(fmt, header)
        data = offset + 8
        if data + size > end:
            size = end - data  # a truncated last chunk: read what is there
        found.append((chunk_id, data, size))
        offset = data + size + (size & 1)
    return found


def read_riff_info(fileobj: BinaryIO) -> dict[str, str]:
    """The `LIST`/`INFO` entries of a RIFF WAVE file, keyed by their four-letter ids (INAM...)."""
    fileobj.seek(0, 2)
    file_end = fileobj.tell()
    fileobj.seek(0)
    head = fileobj.read(12)
    if len(head) < 12 or head[:4] not in (b"RIFF", b"RIFX") or head[8:12] != b"WAVE":
        return {}
    fmt = "<4sI" if head[:4] == b"RIFF" else ">4sI"
    info: dict[str, str] = {}
    for chunk_id, data, size in chunks(fileobj, 12, file_end, fmt):
        if chunk_id != b"LIST" or size < 4:
            continue
        fileobj.seek(data)
        if fileobj.read(4) != b"INFO":
            continue
        for sub_id, sub_data, sub_size in chunks(fileobj, data + 4, data + size, fmt):
            fileobj.seek(sub_data)
            value = _decode(fileobj.read(min(sub_size, _MAX_TEXT)))
            key = sub_id.decode("latin-1")
            if value.strip() and key not in info:
                info[key] = value
    return info


def read_aiff_text(fileobj: BinaryIO) -> dict[str, str]:
    """The `NAME`, `AUTH`, `ANNO` and `(c) ` text chunks of an AIFF/AIFF-C file."""
    fileobj.seek(0, 2)
    file_end = fileobj.tell()
    fileobj.seek(0)
    head = fileobj.read(12)
    if len(head) < 12 or head[:4] != b"FORM" or head[8:12] not in (b"AIFF", b"AIFC"):
        return {}
    text: dict[str, str] = {}
    for chunk_id, data, size in chunks(fileobj, 12, file_end, ">4sI"):
        if chunk_id in (b"NAME", b"AUTH", b"ANNO", b"(c) "):
            fileobj.seek(data)
            value = _decode(fileobj.read(min(size, _MAX_TEXT)))
            key = chunk_id.decode("latin-1")
            if value.strip() and key not in text:
                text[key] = value
    return text
