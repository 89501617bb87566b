"""Audio identity: a fingerprint of a file's audio payload that editing its tags never changes.

A scan uses it to recognise a file that was moved or renamed (see `library.moves`): the new
path's identity matches the identity stored for a track whose file has gone, so the track (with
its notes, release links and set entries) moves instead of a new track being added.

What is hashed: the audio payload only, never a tag. Each format's container says where the
payload lies, and tags are left out by construction:

    mp3, mp2, tta, wv, ape, mpc  the bytes between any ID3v2 tags at the start and any ID3v1,
                                 APEv2, Lyrics3v2 or appended ID3v2 tags at the end
    flac                         the frames after the metadata blocks (tags, pictures, padding)
    ogg, opus, spx (Ogg)         the packet data of the pages after the header packets; page
                                 headers are skipped, because rewriting the comment header
                                 renumbers every later page (sequence number and checksum)
    m4a, mp4                     the `mdat` atom (the largest one, if there are several)
    wav                          the RIFF `data` chunk
    aiff, aifc                   the `SSND` chunk
    wma                          the ASF Data Object
    dsf                          the `data` chunk (DSF keeps its ID3 tag after it)

From the payload, three blocks of `BLOCK` bytes (start, middle, end; the whole payload when it
is shorter) are hashed with SHA-256 (hardware-accelerated on current CPUs, so faster here
than BLAKE2) and kept with the payload's exact length in bytes. The
result reads `<container>:<length>:<32 hex digits>`. Reading three blocks costs three small
reads from a file mutagen has just opened (so it is in the page cache): a few tens of
microseconds per file, measured by `make bench`.

Limits, by design: a file re-encoded, converted, trimmed or normalised is new audio and gets a
new identity; two files with byte-identical audio (a copy) share one, which is why a move is
only ever matched against tracks whose file has gone. A tool that rewrites the whole Ogg stream
when tagging (re-paging the audio) changes the identity; mutagen, and so setlist, does not.
For a container this module cannot parse, or a damaged one, the identity is None and the file
simply cannot be followed across a move.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
from typing import BinaryIO

from library.iff_text import chunks

BLOCK = 4 * 1024
_IN_MEMORY = 64 * 1024  # files up to this size are read whole, once
_OGG_PAGE_MAX = 27 + 255 + 255 * 255
_ASF_HEADER = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
_ASF_DATA = bytes.fromhex("3626b2758e66cf11a6d900aa0062ce6c")

# mutagen class name -> the container parser below.
_CONTAINER = {
    "MP3": "mpeg", "EasyMP3": "mpeg", "TrueAudio": "mpeg", "WavPack": "mpeg",
    "MonkeysAudio": "mpeg", "Musepack": "mpeg", "AAC": "mpeg",
    "FLAC": "flac", "OggVorbis": "ogg", "OggOpus": "ogg", "OggSpeex": "ogg", "OggFLAC": "ogg",
    "MP4": "mp4", "EasyMP4": "mp4", "WAVE": "wav", "AIFF": "aiff", "ASF": "asf", "DSF": "dsf",
}  # fmt: skip


def audio_identity(handle: BinaryIO, class_name: str, size: int) -> str | None:
    """The identity of the audio in the open file `handle` of `size` bytes (mutagen read it
    as `class_name`).

    Takes the handle the reader already opened, so the file is not opened twice. Returns None
    for a damaged or unknown container instead of raising: an identity is a convenience, and
    a file whose tags could be read must still be scanned. OSError propagates.
    """
    container = _CONTAINER.get(class_name)
    if container is None:
        return None
    if size <= _IN_MEMORY:  # one read, then every small read below is a memory copy
        handle = io.BytesIO(_read_whole(handle, size))
    try:
        if container == "ogg":
            return _ogg_identity(handle, size)
        span = _SPANS[container](handle, size)
    except (struct.error, ValueError, IndexError):
        return None
    if span is None:
        return None
    start, end = span
    if not 0 <= start < end <= size:
        return None
    digest = hashlib.sha256()
    for offset in _block_offsets(end - start):
        digest.update(_read_at(handle, start + offset, min(BLOCK, end - start - offset)))
    return f"{container}:{end - start}:{digest.hexdigest()[:32]}"


def _read_whole(handle: BinaryIO, size: int) -> bytes:
    """The whole (small) file in one system call where the platform has pread."""
    if hasattr(os, "pread"):
        return os.pread(handle.fileno(), size, 0)
    handle.seek(0)
    return handle.read(size)


def _block_offsets(length: int) -> list[int]:
    """Where the hashed blocks start, relative to the payload: one block if it is short."""
    if length <= 3 * BLOCK:
        return [0] if length <= BLOCK else list(range(0, length, BLOCK))
    return [0, (length - BLOCK) // 2, length - BLOCK]


def _read_at(handle: BinaryIO, offset: int, count: int) -> bytes:
    handle.seek(offset)
    return handle.read(count)


def _syncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def _skip_id3v2(handle: BinaryIO, start: int, end: int) -> int:
    """The offset after any ID3v2 tags at `start` (files may carry several in a row)."""
    while start + 10 <= end:
        header = _read_at(handle, start, 10)
        if header[:3] != b"ID3" or header[3] > 4:
            break
        footer = 10 if header[5] & 0x10 else 0
        start += 10 + _syncsafe(header[6:10]) + footer
    return start


def _trim_trailers(handle: BinaryIO, start: int, end: int) -> int:
    """`end` moved before ID3v1, APEv2, Lyrics3v2 and appended ID3v2 tags, in any order."""
    while end - start > 0:
        if end - start >= 128 and _read_at(handle, end - 128, 3) == b"TAG":
            end -= 128
            if end - start >= 227 and _read_at(handle, end - 227, 4) == b"TAG+":
                end -= 227
            continue
        if end - start >= 32:
            footer = _read_at(handle, end - 32, 32)
            if footer[:8] == b"APETAGEX":
                (tag_size,) = struct.unpack("<I", footer[12:16])
                (flags,) = struct.unpack("<I", footer[20:24])
                end -= tag_size + (32 if flags & 0x80000000 else 0)
                continue
        if end - start >= 15:
            tail = _read_at(handle, end - 15, 15)
            if tail[6:] == b"LYRICS200" and tail[:6].isdigit():
                end -= int(tail[:6]) + 15
                continue
        if end - start >= 10:
            footer = _read_at(handle, end - 10, 10)
            if footer[:3] == b"3DI":
                end -= _syncsafe(footer[6:10]) + 20
                continue
        break
    return end


def _mpeg_span(handle: BinaryIO, size: int) -> tuple[int, int] | None:
    start = _skip_id3v2(handle, 0, size)
    return start, _trim_trailers(handle, start, size)


def _flac_span(handle: BinaryIO, size: int) -> tuple[int, int] | None:
    position = _skip_id3v2(handle, 0, size)
    if _read_at(handle, position, 4) != b"fLaC":
        return None
    position += 4
    while True:
        header = _read_at(handle, position, 4)
        if len(header) < 4:
            return None
        position += 4 + int.from_bytes(header[1:4], "big")
        if header[0] & 0x80:
            break
    return position, _trim_trailers(handle, position, size)


def _chunk_span(
    handle: BinaryIO, size: int, forms: tuple[bytes, ...], wanted: bytes, fmt: str
) -> tuple[int, int] | None:
    """The data of the first `wanted` chunk of a RIFF or IFF file of one of `forms`."""
    if _read_at(handle, 8, 4) not in forms:
        return None
    for chunk_id, data, length in chunks(handle, 12, size, fmt):
        if chunk_id == wanted:
            return data, data + length
    return None


def _wav_span(handle: BinaryIO, size: int) -> tuple[int, int] | None:
    return _chunk_span(handle, size, (b"WAVE",), b"data", "<4sI")


def _aiff_span(handle: BinaryIO, size: int) -> tuple[int, int] | None:
    return _chunk_span(handle, size, (b"AIFF", b"AIFC"), b"SSND", ">4sI")


def _mp4_span(handle: BinaryIO, size: int) -> tuple[int, int] | None:
    """The largest top-level `mdat` atom's data."""
    best: tuple[int, int] | None = None
    position = 0
    while position + 8 <= size:
        raw = _read_at(handle, position, 16)
        length, kind = int.from_bytes(raw[:4], "big"), raw[4:8]
        header = 8
        if length == 1:
            length, header = int.from_bytes(raw[8:16], "big"), 16
        elif length == 0:
            length = size - position
        if length < header:
            return None
        if kind == b"mdat" and (best is None or length - header > best[1] - best[0]):
            best = (position + header, min(position + length, size))
        position += length
    return best


def _asf_span(handle: BinaryIO, size: int) -> tuple[int, int] | None:
    header = _read_at(handle, 0, 24)
    if header[:16] != _ASF_HEADER:
        return None
    position = int.from_bytes(header[16:24], "little")
    data = _read_at(handle, position, 24)
    if data[:16] != _ASF_DATA:
        return None
    length = int.from_bytes(data[16:24], "little")
    # Past the object header, the file id and the packet count and reserved bytes (50 bytes).
    return position + 50, min(position + length, size)


def _dsf_span(handle: BinaryIO, size: int) -> tuple[int, int] | None:
    if _read_at(handle, 0, 4) != b"DSD ":
        return None
    position = 0
    for _ in range(8):
        raw = _read_at(handle, position, 12)
        if len(raw) < 12:
            return None
        length = int.from_bytes(raw[4:12], "little")
        if raw[:4] == b"data":
            return position + 12, min(position + length, size)
        if length < 12:
            return None
        position += length
    return None


_SPANS = {
    "mpeg": _mpeg_span,
    "flac": _flac_span,
    "mp4": _mp4_span,
    "wav": _wav_span,
    "aiff": _aiff_span,
    "asf": _asf_span,
    "dsf": _dsf_span,
}


# -- Ogg -------------------------------------------------------------------------------------


def _ogg_page(handle: BinaryIO, position: int) -> tuple[bytes, bytes, int] | None:
    """(segment table, payload, next page's offset) of the page at `position`, or None."""
    header = _read_at(handle, position, 27)
    if len(header) < 27 or header[:4] != b"OggS":
        return None
    table = handle.read(header[26])
    payload = handle.read(sum(table))
    return table, payload, position + 27 + len(table) + len(payload)


def _header_packets(first: bytes) -> int | None:
    """How many header packets precede the audio, from the stream's first packet."""
    if first.startswith(b"\x01vorbis"):
        return 3
    if first.startswith(b"OpusHead"):
        return 2
    if first.startswith(b"Speex   ") and len(first) >= 72:
        return 2 + int.from_bytes(first[68:72], "little")
    if first.startswith(b"\x7fFLAC") and len(first) >= 9:
        count = int.from_bytes(first[7:9], "big")
        return 1 + count if count else None
    return None


def _ogg_audio_start(handle: BinaryIO) -> int | None:
    """The offset of the first page after the header packets."""
    page = _ogg_page(handle, 0)
    if page is None:
        return None
    table, payload, position = page
    first_length = next((i for i, lace in enumerate(table) if lace < 255), len(table))
    needed = _header_packets(payload[: sum(table[: first_length + 1])])
    if needed is None:
        return None
    done = sum(1 for lace in table if lace < 255)
    while done < needed:
        page = _ogg_page(handle, position)
        if page is None:
            return None
        table, _, position = page
        done += sum(1 for lace in table if lace < 255)
    return position


def _ogg_payload_from(handle: BinaryIO, position: int, end: int, want: int) -> bytes:
    """Packet data of the pages from the first page at or after `position`, up to `want`."""
    window = b""
    found = -1
    while found < 0 and len(window) < _OGG_PAGE_MAX:  # pages are at most this long
        more = _read_at(handle, position + len(window), BLOCK)
        if not more:
            return b""
        window += more
        found = window.find(b"OggS")
    if found < 0:
        return b""
    position += found
    data = bytearray()
    while position < end and len(data) < want:
        page = _ogg_page(handle, position)
        if page is None:
            break
        _, payload, position = page
        data += payload
    return bytes(data[:want])


def _ogg_identity(handle: BinaryIO, size: int) -> str | None:
    """Hash the page payloads at the same offsets relative to the first audio page.

    Retagging changes the header pages' size, not the audio pages' bytes (apart from their
    sequence numbers and checksums, which are skipped), so offsets relative to the first
    audio page land on the same pages before and after.
    """
    start = _ogg_audio_start(handle)
    if start is None or start >= size:
        return None
    length = size - start
    digest = hashlib.sha256()
    if length <= 3 * BLOCK:
        reads = [(0, length)]
    else:  # the start, the middle, and everything from two blocks before the end
        reads = [(0, BLOCK), ((length - 2 * BLOCK) // 2, BLOCK), (length - 2 * BLOCK, 2 * BLOCK)]
    for offset, want in reads:
        digest.update(_ogg_payload_from(handle, start + offset, size, want))
    return f"ogg:{length}:{digest.hexdigest()[:32]}"
