"""Real-world files from the shared corpus (tinytag's test samples): read, cross-checked, scanned.

The corpus lives outside the repo; these tests skip with a reason when it is absent. The folder
is copied to the test's own folder first, and both the copies and the originals are hashed
before and after, so a reader that wrote anything would be caught.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import mutagen
import pytest
from conftest import require_corpus, require_tool
from mutagen import id3
from mutagen.mp4 import MP4

from library.errors import TagReadError, TagWriteError
from library.formats import ALL_EXTENSIONS
from library.scanning import scan
from library.storage import Store
from library.tags import read_tag_values, read_tags, write_tags


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def audio_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in ALL_EXTENSIONS)


def mutagen_loads(path: Path) -> bool:
    """Whether mutagen itself, called directly, makes sense of the file."""
    try:
        return mutagen.File(path) is not None
    except Exception:  # noqa: BLE001 - any failure of mutagen's means "cannot load"
        return False


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    source = require_corpus("audio", "tinytag")
    copy = tmp_path / "tinytag"
    shutil.copytree(source, copy)
    return copy


def test_every_file_reads_or_fails_with_tag_read_error(corpus: Path) -> None:
    originals = digests(require_corpus("audio", "tinytag"))
    before = digests(corpus)
    files = audio_files(corpus)
    assert len(files) > 150
    problems: list[str] = []
    read = failed = 0
    for path in files:
        loads = mutagen_loads(path)
        try:
            values = read_tag_values(str(path))
        except TagReadError as error:
            failed += 1
            if loads:
                problems.append(f"{path.name}: mutagen loads it but setlist says {error.reason}")
            if not error.reason or str(path) not in str(error):
                problems.append(f"{path.name}: error without path or reason: {error}")
        except Exception as error:  # noqa: BLE001 - the point: nothing else may escape
            problems.append(f"{path.name}: {type(error).__name__} escaped: {error}")
        else:
            read += 1
            if values["format"] is None or values["has_artwork"] not in (True, False):
                problems.append(f"{path.name}: incomplete values {values}")
    assert problems == []
    assert read > 100 and failed > 20  # the corpus holds both kinds on purpose
    assert digests(corpus) == before
    assert digests(require_corpus("audio", "tinytag")) == originals


def test_id3v22_tag(corpus: Path) -> None:
    path = corpus / "id3v22-test.mp3"
    assert id3.ID3(path).version == (2, 2, 0)
    tags = read_tags(path)
    assert (tags.title, tags.artist) == ("cosmic american", "Anais Mitchell")
    assert (tags.album, tags.track_number, tags.year) == ("Hymns for the Exiled", 3, 2004)
    # iTunNORM and iTunes_CDDB_* COMM frames sit beside the real comment.
    assert tags.comment == "Waterbug Records, www.anaismitchell.com"


def test_utf16_multi_value_title(corpus: Path) -> None:
    path = corpus / "multi_value_utf16.mp3"
    frame = id3.ID3(path)["TIT2"]
    assert frame.encoding == id3.Encoding.UTF16 and len(frame.text) == 3
    assert read_tags(path).title == "some title; another title; yet another title"


def test_utf16_tags(corpus: Path) -> None:
    path = corpus / "cut_off_titles.mp3"
    assert id3.ID3(path)["TIT2"].encoding == id3.Encoding.UTF16
    tags = read_tags(path)
    assert (tags.title, tags.artist, tags.album) == (
        "Tony Hawk VS Wayne Gretzky",
        "Epic Rap Battles Of History",
        "ERB",
    )


def test_non_ascii_file_name(corpus: Path) -> None:
    tags = read_tags(corpus / "non_ascii_filename_äää.mp3")
    assert tags.title is None and tags.format == "mp3"
    assert tags.duration == pytest.approx(5.04, abs=0.05)
    assert (tags.sample_rate, tags.channels) == (44100, 2)


def test_multiple_values_in_three_formats(corpus: Path) -> None:
    assert read_tags(corpus / "id3_multiple_artists.mp3").artist == "; ".join(
        f"artist{n}" for n in range(1, 8)
    )
    m4a = read_tags(corpus / "multi_value.m4a")
    assert m4a.artist == "some artist; another artist; yet another artist"
    flac = read_tags(corpus / "multiple_values_images.flac")
    assert (flac.artist, flac.track_number, flac.disc_number) == (
        "artist 1; artist 2; artist 3",
        1,
        1,
    )
    assert flac.has_artwork is True
    wma = read_tags(corpus / "multiple_values_images.wma")
    assert (wma.title, wma.year, wma.has_artwork) == (
        "some title; another title; yet another title",
        1960,
        True,
    )


def test_mixed_case_atoms_m4a(corpus: Path) -> None:
    path = corpus / "mixed_case_atoms.m4a"
    raw = MP4(path).tags
    assert raw is not None and raw["\xa9nam"] == [""]
    tags = read_tags(path)
    assert tags.title is None  # an empty title atom is no title
    assert (tags.format, tags.codec) == ("m4a", "aac")


def test_picard_tagged_mp3_with_release_track_id_decoy(corpus: Path) -> None:
    path = corpus / "id3_xxx_lang.mp3"
    raw = id3.ID3(path)
    decoy = raw["TXXX:MusicBrainz Release Track Id"].text[0]
    recording = raw["UFID:http://musicbrainz.org"].data.decode()
    tags = read_tags(path)
    assert tags.musicbrainz_track_id == recording != decoy
    assert tags.musicbrainz_album_id == "38b555fe-24c7-37b3-ad1b-f6dea9f1aafa"
    assert tags.catalog_number == "7243 8 66687 2 1"


def test_riff_info_only_wav(corpus: Path) -> None:
    path = corpus / "test-riff-tags.wav"
    assert mutagen.File(path).tags is None
    tags = read_tags(path)
    assert (tags.title, tags.artist, tags.year, tags.genre) == (
        "thetitle",
        "theartisst",
        2014,
        "Acid",
    )


def test_wma_dword_track_number_and_opus_dotted_date(corpus: Path) -> None:
    assert read_tags(corpus / "test2.wma").track_number == 1
    assert read_tags(corpus / "test.opus").year == 2008  # "2008.05.25"


def test_garbage_track_number_is_none(corpus: Path) -> None:
    tags = read_tags(corpus / "flac_invalid_track_number.flac")
    assert (tags.track_number, tags.disc_number) == (None, None)


def test_scan_of_the_corpus(corpus: Path, tmp_path: Path) -> None:
    files = audio_files(corpus)
    loadable = {p.name for p in files if mutagen_loads(p)}
    store = Store(tmp_path / "lib.db")
    try:
        result = scan(store, [corpus], workers=1)
        in_library = {Path(track.path).name for track in store.tracks()}
    finally:
        store.close()
    errors = {Path(error.path).name: error.error for error in result.errors}
    assert in_library == loadable
    assert set(errors) == {p.name for p in files} - loadable
    assert all(reason for reason in errors.values())
    assert result.added == len(loadable) and not result.cancelled


def audio_md5(path: Path) -> str:
    cmd = [require_tool("ffmpeg"), "-v", "error", "-i", str(path), "-map", "0:a", "-f", "md5", "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()


EMPTY_MD5 = "MD5=d41d8cd98f00b204e9800998ecf8427e"  # ffmpeg decoded nothing


@pytest.mark.parametrize(
    "name",
    [
        "id3v22-test.mp3",
        "id3_xxx_lang.mp3",
        "silence-44-s-v1.mp3",
        "test-tagged.wav",
        "test-tagged.aiff",
        "test.ogg",
        "test.opus",
        "variable-block.flac",
        "alac_silence.m4a",
    ],
)
def test_writing_real_files_keeps_audio_and_other_fields(corpus: Path, name: str) -> None:
    path = corpus / name
    path.chmod(0o644)  # copied from read-only originals
    before, sound = read_tag_values(str(path)), audio_md5(path)
    assert sound != EMPTY_MD5
    write_tags(path, {"title": "Nöuveau", "label": "Tresor"})
    after = read_tag_values(str(path))
    assert (after["title"], after["label"]) == ("Nöuveau", "Tresor")
    assert {k: v for k, v in after.items() if k not in ("title", "label")} == {
        k: v for k, v in before.items() if k not in ("title", "label")
    }
    assert audio_md5(path) == sound


def test_id3v22_is_rewritten_as_v24_keeping_its_frames(corpus: Path) -> None:
    path = corpus / "id3v22-test.mp3"
    path.chmod(0o644)
    write_tags(path, {"bpm": 92.0})
    raw = id3.ID3(path)
    assert raw.version == (2, 4, 0)  # mutagen cannot write v2.2
    assert raw["TENC"].text == ["iTunes v4.6"]
    assert {frame.desc for frame in raw.getall("COMM")} >= {"", "iTunNORM", "iTunes_CDDB_1"}


def test_wav_whose_riff_size_lies_is_refused_not_corrupted(corpus: Path) -> None:
    """test-riff-tags.wav's RIFF header claims 148 bytes more than the file holds; mutagen's
    chunk insertion then writes a broken id3 chunk into the copy. The read-back check must
    notice and leave the original as it was."""
    path = corpus / "test-riff-tags.wav"
    path.chmod(0o644)
    data = path.read_bytes()
    assert int.from_bytes(data[4:8], "little") + 8 > len(data)
    with pytest.raises(TagWriteError):
        write_tags(path, {"title": "Nöuveau"})
    assert path.read_bytes() == data
    assert not [n for n in os.listdir(corpus) if n.endswith(".setlist-tmp")]
