"""Tests for library.tags reading: every format's fixtures, aliases written on the fly, damage.

Expected values are written out here from what `tests/fixtures/audio/make_fixtures.py` stores,
not imported from it; alias cases are generated from the field table but their expected values
come from a per-kind table below, never from the parsers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mutagen
import pytest
from conftest import AUDIO, Unprivileged
from mutagen import id3
from mutagen.mp4 import MP4FreeForm

from library.errors import TagReadError
from library.tag_fields import FIELDS, index_key
from library.tags import read_tag_values, read_tags

Copy = Callable[..., Path]

FORMATS = ("mp3", "flac", "ogg", "opus", "m4a", "wav", "aiff", "wma")
ID3_FORMATS = ("mp3", "wav", "aiff")
VORBIS_FORMATS = ("flac", "ogg", "opus")
TITLE, ARTIST, ALBUM = "Entrée à Métropolis", "Jëff Mills", "Métropolis"
LABEL, CATNO, COMMENT = "Axis Récords", "AX-022", "Ferme le set — à 4h"
MB_ALBUM = "0c4c7c7e-7c1a-4b7e-9a5e-7a3f1e2d9b01"
MB_TRACK = "9f1e2d3c-4b5a-4c6d-8e7f-0a1b2c3d4e5f"
FULL = {
    "title": TITLE, "artist": ARTIST, "album": ALBUM, "album_artist": ARTIST, "track_number": 3,
    "disc_number": 1, "year": 2000, "genre": "Techno", "label": LABEL, "catalog_number": CATNO,
    "bpm": 128.0, "key": "Am", "comment": COMMENT, "moods": ["hanté", "hypnotic"],
    "isrc": "USAX10000221", "discogs_release_id": "28461", "musicbrainz_album_id": MB_ALBUM,
    "musicbrainz_track_id": MB_TRACK,
}  # fmt: skip
TAG_FIELDS = tuple(FULL)
SAMPLE_RATE = {"mp3": 22050, "m4a": 22050, "wma": 22050, "opus": 48000}
CODEC = {"mp3": "mp3", "flac": "flac", "ogg": "vorbis", "opus": "opus", "m4a": "aac",
         "wav": "pcm", "aiff": "pcm", "wma": "wma"}  # fmt: skip


def tag_part(path: Path) -> dict[str, Any]:
    values = read_tag_values(str(path))
    return {name: values[name] for name in TAG_FIELDS}


def assert_stream(path: Path, ext: str) -> None:
    tags = read_tags(path)
    assert tags.duration == pytest.approx(1.0, abs=0.11)
    assert tags.sample_rate == SAMPLE_RATE.get(ext, 8000)
    # mutagen gives AAC the sample entry's channel count, which ffmpeg writes as 2 for mono.
    assert tags.channels in ((1, 2) if ext == "m4a" else (1,))
    assert tags.bitrate is not None and tags.bitrate > 0
    assert (tags.format, tags.codec) == (ext, CODEC[ext])


@pytest.mark.parametrize("ext", FORMATS)
def test_full_file_gives_every_field(ext: str) -> None:
    path = AUDIO / f"full.{ext}"
    assert tag_part(path) == FULL
    assert read_tags(path).has_artwork is True
    assert_stream(path, ext)


def test_comment_is_the_empty_description_frame() -> None:
    """full.mp3 also holds iTunNORM and "ID3v1 Comment" COMM frames: neither is the comment."""
    frames = {frame.desc: frame.text[0] for frame in id3.ID3(AUDIO / "full.mp3").getall("COMM")}
    assert set(frames) == {"", "iTunNORM", "ID3v1 Comment"}
    assert read_tags(AUDIO / "full.mp3").comment == frames[""] == COMMENT


ALIAS_COMMON = {"title": TITLE, "artist": ARTIST, "label": LABEL, "catalog_number": CATNO,
                "bpm": 127.5, "discogs_release_id": "28461"}  # fmt: skip
ALIAS = {
    **{ext: {**ALIAS_COMMON, "key": "8A - 6", "musicbrainz_album_id": MB_ALBUM,
             "musicbrainz_track_id": MB_TRACK} for ext in ID3_FORMATS},
    **{ext: {**ALIAS_COMMON, "key": "A minor", "comment": COMMENT, "track_number": 3,
             "moods": ["hanté", "hypnotic"]} for ext in VORBIS_FORMATS},
    "m4a": {**ALIAS_COMMON, "key": "8A", "musicbrainz_album_id": MB_ALBUM},
}  # fmt: skip


@pytest.mark.parametrize("ext", sorted(ALIAS))
def test_alias_file_reads_through_aliases(ext: str) -> None:
    expected = {name: [] if name == "moods" else None for name in TAG_FIELDS} | ALIAS[ext]
    assert tag_part(AUDIO / f"alias.{ext}") == expected


def test_release_track_id_decoy_is_present_but_not_taken() -> None:
    descs = {frame.desc: frame.text[0] for frame in id3.ID3(AUDIO / "alias.mp3").getall("TXXX")}
    assert descs["MusicBrainz Release Track Id"] == "not-the-recording"
    assert read_tags(AUDIO / "alias.mp3").musicbrainz_track_id == MB_TRACK


@pytest.mark.parametrize("ext", FORMATS)
def test_untagged_file_has_stream_facts_only(ext: str) -> None:
    assert tag_part(AUDIO / f"untagged.{ext}") == {
        name: [] if name == "moods" else None for name in TAG_FIELDS
    }
    assert read_tags(AUDIO / f"untagged.{ext}").has_artwork is False
    assert_stream(AUDIO / f"untagged.{ext}", ext)


def test_id3v23_tyer_and_txxx_mood() -> None:
    path = AUDIO / "v23.mp3"
    assert path.read_bytes()[:4] == b"ID3\x03"
    raw = id3.ID3(path, translate=False)  # as stored: mutagen would otherwise show TDRC
    assert raw.getall("TYER") and raw.getall("TXXX:MOOD") and not raw.getall("TMOO")
    assert tag_part(path) == FULL


def test_id3v1_only() -> None:
    path = AUDIO / "v1.mp3"
    assert path.read_bytes()[-128:-125] == b"TAG" and path.read_bytes()[:3] != b"ID3"
    tags = read_tags(path)
    assert (tags.title, tags.artist, tags.album) == ("Entree", "Jeff Mills", "Metropolis")
    assert (tags.year, tags.track_number, tags.genre, tags.comment) == (
        2000,
        3,
        "Techno",
        "old tag",
    )


def test_riff_info_only_wav() -> None:
    path = AUDIO / "riff-info.wav"
    assert mutagen.File(path).tags is None  # the INFO chunk is all there is
    tags = read_tags(path)
    assert (tags.title, tags.artist, tags.album, tags.genre) == (TITLE, ARTIST, ALBUM, "Techno")
    assert (tags.comment, tags.year, tags.track_number) == (COMMENT, 2000, 3)
    assert tags.label is None and tags.format == "wav"


def test_alac_and_aac_codecs() -> None:
    alac = read_tags(AUDIO / "alac.m4a")
    assert (alac.format, alac.codec, alac.title, alac.artist) == ("m4a", "alac", TITLE, ARTIST)
    assert alac.bpm == 124.0
    assert read_tags(AUDIO / "full.m4a").codec == "aac"


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("truncated.mp3", "truncated"),
        ("truncated.flac", "truncated"),
        ("truncated.ogg", "truncated"),
        ("truncated.m4a", "not a MP4 file"),
        ("not-audio.mp3", "not a readable audio file"),
    ],
)
def test_broken_fixtures_raise_with_a_reason(name: str, fragment: str) -> None:
    with pytest.raises(TagReadError) as caught:
        read_tags(AUDIO / name)
    assert fragment in caught.value.reason
    assert str(AUDIO / name) in str(caught.value)


@pytest.mark.parametrize("ext", [*FORMATS, "mp2", "spx"])
def test_empty_file_raises(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"empty.{ext}"
    path.touch()
    with pytest.raises(TagReadError, match="empty file") as caught:
        read_tags(path)
    assert caught.value.path == str(path)


def test_folder_named_like_audio_raises(tmp_path: Path) -> None:
    (tmp_path / "x.mp3").mkdir()
    with pytest.raises(TagReadError, match="folder"):
        read_tags(tmp_path / "x.mp3")


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(TagReadError, match="not found"):
        read_tags(tmp_path / "gone.flac")


def test_unreadable_file_raises(unprivileged: Unprivileged) -> None:
    path = unprivileged.folder / "full.flac"
    shutil.copyfile(AUDIO / "full.flac", path)
    path.chmod(0)
    code = (
        "import json, sys\n"
        "from library.errors import TagReadError\n"
        "from library.tags import read_tags\n"
        "try:\n    read_tags(sys.argv[1])\n    print(json.dumps(None))\n"
        "except TagReadError as error:\n    print(json.dumps(str(error)))\n"
    )
    assert unprivileged.run(code, str(path)) == f"{path}: permission denied"


@pytest.mark.parametrize(
    ("source", "renamed", "fmt"),
    [
        ("full.flac", "x.mp3", "flac"),
        ("full.mp3", "x.flac", "mp3"),
        ("full.ogg", "x.opus", "ogg"),
        ("full.m4a", "x.wma", "m4a"),
        ("full.wav", "x.aiff", "wav"),
        ("full.wma", "x.m4a", "wma"),
    ],
)
def test_wrong_extension_is_sniffed(audio_copy: Copy, source: str, renamed: str, fmt: str) -> None:
    tags = read_tags(audio_copy(source, renamed))
    assert (tags.format, tags.title, tags.label) == (fmt, TITLE, LABEL)


ALL_FIXTURES = sorted(p.name for p in AUDIO.iterdir() if p.suffix != ".py")


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_reading_never_changes_the_file(audio_copy: Copy, name: str) -> None:
    path = audio_copy(name)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    with contextlib.suppress(TagReadError):  # the broken fixtures must not be touched either
        read_tag_values(str(path))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# -- tags written on the fly with mutagen, then read ---------------------------------------


def write_raw(path: Path, key: str, values: list[str]) -> None:
    """Store `values` under the raw `key` of the file's own tag system, as other tools do."""
    audio: Any = mutagen.File(path)
    if audio.tags is None:
        audio.add_tags()
    if path.suffix in (".mp3", ".wav", ".aiff"):
        frame_id, _, desc = key.partition(":")
        frame: Any
        if frame_id == "TXXX":
            frame = id3.TXXX(encoding=3, desc=desc, text=values)
        elif frame_id == "WXXX":
            frame = id3.WXXX(encoding=3, desc=desc, url=values[0])
        elif frame_id == "UFID":
            frame = id3.UFID(owner=desc, data=values[0].encode())
        elif frame_id == "COMM":
            frame = id3.COMM(encoding=3, lang="eng", desc=desc, text=values)
        else:
            frame = getattr(id3, frame_id)(encoding=3, text=values)
        audio.tags.add(frame)
    elif path.suffix == ".m4a" and key.startswith("----:"):
        audio.tags[key] = [MP4FreeForm(value.encode()) for value in values]
    else:
        audio.tags[key] = values
    audio.save()


# Per field kind: the raw text a tool writes and the value setlist must read from it.
SAMPLE = {
    "text": ("AX-022", "AX-022"),
    "int": ("3/12", 3),
    "float": ("127.5", 127.5),
    "year": ("1999-01-02", 1999),
    "list": ("hanté; hypnotic", ["hanté", "hypnotic"]),
    "discogs": ("28461", "28461"),
}


def _respell(name: str) -> str:
    """Another tool's spelling of a custom key: other case, spaces for underscores."""
    return name.replace("_", " ").lower() if name.isupper() else name.upper().replace(" ", "_")


def _alias_cases() -> list[Any]:
    cases = []
    for field in FIELDS:
        sample = SAMPLE[field.kind]
        for key in field.id3:
            cases.append(pytest.param("mp3", key, field.name, sample, id=f"id3-{key}"))
            if key.startswith(("TXXX:", "WXXX:")):
                other = key[:5] + _respell(key[5:])
                cases.append(pytest.param("mp3", other, field.name, sample, id=other))
        for key in field.vorbis:
            for spelled in (key, key.lower()):
                cases.append(pytest.param("flac", spelled, field.name, sample, id=spelled))
        for key in field.mp4:
            if key.startswith("----:"):
                name = key.rsplit(":", 1)[-1]
                for mean in ("com.apple.iTunes", "com.serato.dj"):
                    atom = f"----:{mean}:{name}"
                    cases.append(pytest.param("m4a", atom, field.name, sample, id=atom))
        for key in field.asf:
            cases.append(pytest.param("wma", key, field.name, sample, id=f"asf-{key}"))
    return cases


@pytest.mark.parametrize(("ext", "key", "field", "sample"), _alias_cases())
def test_every_alias_in_the_table_is_read(
    audio_copy: Copy, ext: str, key: str, field: str, sample: tuple[str, object]
) -> None:
    raw, expected = sample
    path = audio_copy(f"untagged.{ext}")
    write_raw(path, key, [raw])
    assert read_tag_values(str(path))[field] == expected


DISCOGS_URL = "https://www.discogs.com/release/28461-x"


@pytest.mark.parametrize(
    ("ext", "key", "field", "sample"),
    [
        ("mp3", "TXXX:DISCOGSID", "discogs_release_id", ("r28461", "28461")),
        ("mp3", "TXXX:DiscogsReleaseId", "discogs_release_id", ("28461", "28461")),
        ("mp3", "WXXX:DISCOGS_RELEASE", "discogs_release_id", (DISCOGS_URL, "28461")),
        ("mp3", "TXXX:Catalog #", "catalog_number", (CATNO, CATNO)),
        ("wav", "TXXX:ORGANIZATION", "label", (LABEL, LABEL)),
        ("aiff", "TXXX:initialkey", "key", ("8A", "8A")),
        ("ogg", "organization", "label", (LABEL, LABEL)),
        ("opus", "PUBLISHER", "label", (LABEL, LABEL)),
        ("flac", "bpm", "bpm", ("127,5", 127.5)),
        ("m4a", "----:com.serato.dj:CATALOGNUMBER", "catalog_number", (CATNO, CATNO)),
        ("m4a", "----:com.apple.iTunes:TEMPO", "bpm", ("127,5", 127.5)),
        ("wma", "WM/Publisher", "label", (LABEL, LABEL)),
        ("wma", "CATALOG #", "catalog_number", (CATNO, CATNO)),
    ],
)
def test_aliases_other_tools_write(
    audio_copy: Copy, ext: str, key: str, field: str, sample: tuple[str, object]
) -> None:
    raw, expected = sample
    path = audio_copy(f"untagged.{ext}")
    write_raw(path, key, [raw])
    assert read_tag_values(str(path))[field] == expected


@pytest.mark.parametrize(
    ("ext", "key"),
    [
        ("mp3", "TXXX:MusicBrainz Release Track Id"),
        ("flac", "MUSICBRAINZ_RELEASETRACKID"),
        ("m4a", "----:com.apple.iTunes:MusicBrainz Release Track Id"),
    ],
)
def test_release_track_id_alone_is_not_the_recording(audio_copy: Copy, ext: str, key: str) -> None:
    path = audio_copy(f"untagged.{ext}")
    write_raw(path, key, ["not-the-recording"])
    assert index_key("id3", key) != "TXXX:MUSICBRAINZTRACKID"
    assert read_tags(path).musicbrainz_track_id is None


@pytest.mark.parametrize(
    ("ext", "key"),
    [
        ("mp3", "TPE1"),
        ("wav", "TPE1"),
        ("flac", "ARTIST"),
        ("ogg", "ARTIST"),
        ("m4a", "\xa9ART"),
        ("wma", "Author"),
    ],
)
def test_multiple_artists_join_with_semicolons(audio_copy: Copy, ext: str, key: str) -> None:
    path = audio_copy(f"untagged.{ext}")
    write_raw(path, key, ["Jëff Mills", "Âme", "Ryoji Ikeda"])
    assert read_tags(path).artist == "Jëff Mills; Âme; Ryoji Ikeda"


def test_riff_info_fills_only_what_id3_leaves_empty(audio_copy: Copy) -> None:
    path = audio_copy("riff-info.wav")
    write_raw(path, "TIT2", ["ID3 title"])
    tags = read_tags(path)
    assert (tags.title, tags.artist) == ("ID3 title", ARTIST)


def test_reading_a_symlink_reads_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.flac"
    link.symlink_to(AUDIO / "full.flac")
    assert read_tags(link).title == TITLE


def test_unicode_file_name(tmp_path: Path) -> None:
    path = tmp_path / "Jëff Mills — Entrée 日本.ogg"
    shutil.copyfile(AUDIO / "full.ogg", path)
    assert read_tags(path).title == TITLE
