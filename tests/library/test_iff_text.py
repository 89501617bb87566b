"""Tests for library.iff_text: RIFF INFO and AIFF text chunks, built by hand in memory.

Every stream is assembled byte by byte here (little-endian RIFF, big-endian RIFX and AIFF), so a
wrong size, padding or byte order in the reader cannot agree with a writer that shares its bugs.
"""

from __future__ import annotations

import io
import struct

import pytest
from conftest import AUDIO
from hypothesis import given
from hypothesis import strategies as st

from library.iff_text import read_aiff_text, read_riff_info

FMT_CHUNK = b"\x01\x00\x01\x00\x40\x1f\x00\x00\x40\x1f\x00\x00\x01\x00\x08\x00"  # PCM 8 kHz u8


def chunk(chunk_id: bytes, data: bytes, *, big: bool = False, size: int | None = None) -> bytes:
    """One chunk: id, size (the data's unless told), data, a pad byte when the size is odd."""
    length = len(data) if size is None else size
    header = chunk_id + struct.pack(">I" if big else "<I", length)
    return header + data + (b"\0" if len(data) % 2 else b"")


def big_chunk(chunk_id: bytes, data: bytes) -> bytes:
    """An IFF (AIFF) chunk: sizes are big-endian."""
    return chunk(chunk_id, data, big=True)


def info_list(*entries: tuple[bytes, bytes], big: bool = False) -> bytes:
    body = b"INFO" + b"".join(chunk(key, value, big=big) for key, value in entries)
    return chunk(b"LIST", body, big=big)


def riff(*chunks: bytes, magic: bytes = b"RIFF", form: bytes = b"WAVE") -> bytes:
    body = form + b"".join(chunks)
    return magic + struct.pack(">I" if magic == b"RIFX" else "<I", len(body)) + body


def aiff(*chunks: bytes, form: bytes = b"AIFF") -> bytes:
    body = form + b"".join(chunks)
    return b"FORM" + struct.pack(">I", len(body)) + body


def wav_with(*entries: tuple[bytes, bytes]) -> io.BytesIO:
    return io.BytesIO(
        riff(chunk(b"fmt ", FMT_CHUNK), chunk(b"data", b"\x80" * 5), info_list(*entries))
    )


def test_reads_info_after_odd_sized_audio_data() -> None:
    stream = wav_with((b"INAM", "Entrée à Métropolis".encode()), (b"IART", b"J\xc3\xabff Mills\0"))
    assert read_riff_info(stream) == {"INAM": "Entrée à Métropolis", "IART": "Jëff Mills"}


def test_odd_sized_values_are_padded_and_the_next_entry_found() -> None:
    stream = wav_with((b"INAM", b"Abc"), (b"IGNR", b"Techno"), (b"ICMT", b"x"), (b"ICRD", b"2000"))
    assert read_riff_info(stream) == {
        "INAM": "Abc",
        "IGNR": "Techno",
        "ICMT": "x",
        "ICRD": "2000",
    }


def test_value_stops_at_the_first_nul() -> None:
    stream = wav_with((b"INAM", b"Title\0garbage after the terminator"))
    assert read_riff_info(stream) == {"INAM": "Title"}


def test_cp1252_bytes_are_decoded_as_windows_text() -> None:
    stream = wav_with((b"INAM", b"Caf\xe9 \x96 Cr\xe8me\0"))
    assert read_riff_info(stream) == {"INAM": "Café – Crème"}


def test_empty_and_blank_values_are_skipped_and_the_first_duplicate_wins() -> None:
    stream = wav_with(
        (b"INAM", b"\0"), (b"IART", b"   "), (b"IGNR", b"Techno"), (b"IGNR", b"House")
    )
    assert read_riff_info(stream) == {"IGNR": "Techno"}


def test_a_list_that_is_not_info_is_ignored() -> None:
    adtl = chunk(b"LIST", b"adtl" + chunk(b"labl", b"\x01\x00\x00\x00cue"))
    stream = io.BytesIO(riff(chunk(b"fmt ", FMT_CHUNK), adtl, info_list((b"INAM", b"Real"))))
    assert read_riff_info(stream) == {"INAM": "Real"}


def test_value_size_pointing_past_eof_reads_what_is_there() -> None:
    head = riff(chunk(b"fmt ", FMT_CHUNK))
    cut = b"LIST" + struct.pack("<I", 4000) + b"INFO" + b"INAM" + struct.pack("<I", 999) + b"Cut"
    data = bytearray(head + cut)
    struct.pack_into("<I", data, 4, 9999)  # the RIFF size lies too
    assert read_riff_info(io.BytesIO(bytes(data))) == {"INAM": "Cut"}


def test_data_chunk_pointing_past_eof_stops_the_walk() -> None:
    huge_data = b"data" + struct.pack("<I", 0xFFFFFFF0) + b"\x80" * 8
    stream = io.BytesIO(riff(chunk(b"fmt ", FMT_CHUNK)) + huge_data)
    assert read_riff_info(stream) == {}


def test_rifx_is_read_big_endian() -> None:
    info = info_list((b"INAM", b"Big"), (b"IART", b"Endian"), big=True)
    stream = io.BytesIO(riff(chunk(b"fmt ", FMT_CHUNK, big=True), info, magic=b"RIFX"))
    assert read_riff_info(stream) == {"INAM": "Big", "IART": "Endian"}


@pytest.mark.parametrize(
    "data",
    [
        riff(info_list((b"INAM", b"AVI title")), form=b"AVI "),
        b"RIFF\x04\x00\x00\x00WAV",
        b"",
        b"ID3\x04\x00" + b"\0" * 20,
        aiff(big_chunk(b"NAME", b"an AIFF")),
    ],
    ids=["riff-not-wave", "short", "empty", "id3", "aiff"],
)
def test_not_a_wave_gives_nothing(data: bytes) -> None:
    assert read_riff_info(io.BytesIO(data)) == {}


def test_reads_the_committed_ffmpeg_fixture() -> None:
    with (AUDIO / "riff-info.wav").open("rb") as handle:
        info = read_riff_info(handle)
    assert info["INAM"] == "Entrée à Métropolis"
    assert info["IART"] == "Jëff Mills"
    assert info["ICMT"] == "Ferme le set — à 4h"


COMM_CHUNK = b"\x00\x01" + b"\x00\x00\x1f\x40" + b"\x00\x10" + b"\x40\x0b\xfa" + b"\0" * 7


def test_aiff_name_auth_anno_and_copyright() -> None:
    stream = io.BytesIO(
        aiff(
            big_chunk(b"COMM", COMM_CHUNK),
            big_chunk(b"SSND", b"\0" * 9),  # odd: a pad byte follows
            big_chunk(b"NAME", "Entrée".encode()),  # 7 bytes: odd again
            big_chunk(b"AUTH", b"J\xebff"),  # not UTF-8: read as cp1252
            big_chunk(b"ANNO", b"first note"),
            big_chunk(b"ANNO", b"second note"),
            big_chunk(b"(c) ", b"2000 Axis"),
        )
    )
    assert read_aiff_text(stream) == {
        "NAME": "Entrée",
        "AUTH": "Jëff",
        "ANNO": "first note",
        "(c) ": "2000 Axis",
    }


def test_aifc_is_read() -> None:
    stream = io.BytesIO(
        aiff(big_chunk(b"FVER", b"\xa2\x80\x51\x40"), big_chunk(b"NAME", b"C"), form=b"AIFC")
    )
    assert read_aiff_text(stream) == {"NAME": "C"}


def test_aiff_text_chunk_cut_off_by_eof() -> None:
    data = aiff(big_chunk(b"COMM", COMM_CHUNK)) + b"NAME" + struct.pack(">I", 500) + b"Half"
    assert read_aiff_text(io.BytesIO(data)) == {"NAME": "Half"}


@pytest.mark.parametrize(
    "data",
    [aiff(big_chunk(b"NAME", b"x"), form=b"ILBM"), riff(info_list((b"INAM", b"w"))), b"FORM", b""],
    ids=["ilbm", "wave", "short", "empty"],
)
def test_not_an_aiff_gives_nothing(data: bytes) -> None:
    assert read_aiff_text(io.BytesIO(data)) == {}


@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    assert isinstance(read_riff_info(io.BytesIO(data)), dict)
    assert isinstance(read_aiff_text(io.BytesIO(data)), dict)


@given(st.binary(max_size=400), st.sampled_from([b"RIFF", b"RIFX"]))
def test_arbitrary_chunks_after_a_valid_header_never_raise(body: bytes, magic: bytes) -> None:
    wave = riff(body, magic=magic)
    assert isinstance(read_riff_info(io.BytesIO(wave)), dict)
    assert isinstance(read_aiff_text(io.BytesIO(aiff(body))), dict)


_VALUE = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\0"), max_size=20)


@given(st.lists(st.tuples(st.binary(min_size=4, max_size=4), _VALUE), max_size=8))
def test_every_well_formed_utf8_entry_is_found(entries: list[tuple[bytes, str]]) -> None:
    info = read_riff_info(wav_with(*((key, value.encode()) for key, value in entries)))
    expected: dict[str, str] = {}
    for key, value in entries:
        if value.strip():
            expected.setdefault(key.decode("latin-1"), value)
    assert info == expected
