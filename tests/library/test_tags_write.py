"""Tests for library.tags writing: round trips, what must survive, and failures that change nothing.

Every write goes to a copy in the test's folder. Audio identity is checked by decoding with
ffmpeg before and after; other tags are checked with mutagen directly, not through setlist.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mutagen
import pytest
from conftest import AUDIO, Unprivileged, require_tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutagen import id3
from processes import Background

from library.errors import TagWriteError
from library.tags import read_tag_values, read_tags, write_tags

Copy = Callable[..., Path]

FORMATS = ("mp3", "flac", "ogg", "opus", "m4a", "wav", "aiff", "wma")
VALUES: dict[str, object] = {
    "title": "Nöise [bold]x[/]\nsecond line",
    "artist": "Âme & Dixon",
    "label": "Innervisions — Récords",
    "catalog_number": "IV-055",
    "bpm": 127.5,
    "key": "F♯m",
    "moods": ["sombre", "euphorique"],
    "comment": "Pour l'aube ☀",
    "year": 2013,
    "track_number": 7,
}


def state(path: Path) -> tuple[bytes, int]:
    """The file's bytes and mode: what a failed write must leave exactly as it was."""
    return path.read_bytes(), path.stat().st_mode


def leftovers(folder: Path) -> list[str]:
    return [name for name in os.listdir(folder) if name.endswith(".setlist-tmp")]


def audio_md5(path: Path) -> str:
    ffmpeg = require_tool("ffmpeg")
    cmd = [ffmpeg, "-v", "error", "-i", str(path), "-map", "0:a", "-f", "md5", "-"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert result.stdout.startswith("MD5="), result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("ext", FORMATS)
def test_values_round_trip(audio_copy: Copy, ext: str) -> None:
    path = audio_copy(f"full.{ext}")
    write_tags(path, VALUES)
    expected = dict(VALUES, bpm=128.0) if ext == "m4a" else VALUES  # MP4 tmpo is an integer
    values = read_tag_values(str(path))
    assert {name: values[name] for name in VALUES} == expected


@pytest.mark.parametrize("ext", FORMATS)
def test_untagged_file_gets_a_tag(audio_copy: Copy, ext: str) -> None:
    path = audio_copy(f"untagged.{ext}")
    write_tags(path, {"title": "Entrée", "moods": ["hanté"], "disc_number": 2})
    tags = read_tags(path)
    assert (tags.title, tags.moods, tags.disc_number) == ("Entrée", ["hanté"], 2)


@pytest.mark.parametrize("ext", FORMATS)
def test_fields_not_written_are_kept(audio_copy: Copy, ext: str) -> None:
    path = audio_copy(f"full.{ext}")
    before = read_tags(path)
    write_tags(path, {"title": "Autre titre"})
    after = read_tags(path)
    assert after.title == "Autre titre"
    assert after.model_dump(exclude={"title"}) == before.model_dump(exclude={"title"})


@pytest.mark.parametrize("ext", FORMATS)
def test_decoded_audio_is_identical(audio_copy: Copy, ext: str) -> None:
    path = audio_copy(f"full.{ext}")
    before = audio_md5(path)
    write_tags(path, VALUES)
    assert audio_md5(path) == before


def raw_tags(path: Path) -> Any:
    return mutagen.File(path).tags


@pytest.mark.parametrize("ext", ["mp3", "wav", "aiff"])
def test_id3_artwork_and_private_comments_survive(audio_copy: Copy, ext: str) -> None:
    path = audio_copy(f"full.{ext}")
    art = raw_tags(path).getall("APIC")[0].data
    write_tags(path, VALUES)
    tags = raw_tags(path)
    assert [frame.data for frame in tags.getall("APIC")] == [art]
    comments = {frame.desc: frame.text for frame in tags.getall("COMM")}
    assert comments["iTunNORM"] == [" 0000044E 00000000"]
    assert comments[""] == [VALUES["comment"]]


def test_mp4_cover_and_itunnorm_survive(audio_copy: Copy) -> None:
    path = audio_copy("full.m4a")
    before = raw_tags(path)
    write_tags(path, VALUES)
    after = raw_tags(path)
    assert bytes(after["covr"][0]) == bytes(before["covr"][0])
    norm = "----:com.apple.iTunes:iTunNORM"
    assert bytes(after[norm][0]) == bytes(before[norm][0]) == b" 0000044E 00000000"


@pytest.mark.parametrize("ext", ["flac", "ogg", "opus", "wma"])
def test_other_formats_keep_their_picture(audio_copy: Copy, ext: str) -> None:
    path = audio_copy(f"full.{ext}")
    write_tags(path, VALUES)
    assert read_tags(path).has_artwork is True
    audio = mutagen.File(path)
    if ext == "flac":
        assert audio.pictures[0].mime == "image/png"
    elif ext == "wma":
        assert audio.tags["WM/Picture"]
    else:
        assert audio.tags["METADATA_BLOCK_PICTURE"]


def test_id3v23_stays_v23_and_keeps_moods(audio_copy: Copy) -> None:
    path = audio_copy("v23.mp3")
    write_tags(path, {"title": "Nouveau"})
    assert path.read_bytes()[3] == 3
    assert read_tags(path).moods == ["hanté", "hypnotic"]
    raw = id3.ID3(path, translate=False)
    assert [frame.text for frame in raw.getall("TYER")] == [["2000"]]
    assert not raw.getall("TDRC")  # a v2.4 frame must not appear in a v2.3 tag
    write_tags(path, {"moods": ["sombre", "euphorique"], "year": 2001})
    assert path.read_bytes()[3] == 3
    raw = id3.ID3(path, translate=False)
    assert not raw.getall("TMOO") and not raw.getall("TDRC")  # neither exists in v2.3
    assert [frame.text for frame in raw.getall("TXXX:MOOD")] == [["sombre; euphorique"]]
    tags = read_tags(path)
    assert (tags.moods, tags.year) == (["sombre", "euphorique"], 2001)


def test_id3v23_keeps_frames_mutagen_would_translate_away(audio_copy: Copy) -> None:
    """iTunes writes TSOP (a v2.4 frame) into v2.3 tags; a write must not drop it."""
    path = audio_copy("v23.mp3")
    tags = id3.ID3(path, translate=False)
    tags.add(id3.TSOP(encoding=1, text="Mills, Jëff"))
    tags.save(path, v2_version=3)
    write_tags(path, {"label": "Tresor"})
    raw = id3.ID3(path, translate=False)
    assert raw.version == (2, 3, 0)
    assert [frame.text for frame in raw.getall("TSOP")] == [["Mills, Jëff"]]
    assert read_tags(path).label == "Tresor"


@pytest.mark.parametrize("ext", FORMATS)
def test_clearing_fields(audio_copy: Copy, ext: str) -> None:
    path = audio_copy(f"full.{ext}")
    write_tags(path, {"title": None, "moods": [], "comment": None, "bpm": None})
    tags = read_tags(path)
    assert (tags.title, tags.moods, tags.comment, tags.bpm) == (None, [], None, None)
    assert tags.artist == "Jëff Mills"


@pytest.mark.parametrize("ext", ["mp3", "flac", "ogg", "opus", "m4a", "wav", "aiff"])
def test_clearing_removes_aliases_too(audio_copy: Copy, ext: str) -> None:
    """alias.<ext> holds these fields only under aliases (TXXX:LABEL, ORGANIZATION, ----:BPM)."""
    path = audio_copy(f"alias.{ext}")
    fields = ("label", "catalog_number", "bpm", "key", "discogs_release_id")
    assert all(read_tag_values(str(path))[name] is not None for name in fields)
    write_tags(path, dict.fromkeys(fields))
    values = read_tag_values(str(path))
    assert [values[name] for name in fields] == [None] * len(fields)
    assert values["title"] == "Entrée à Métropolis"


def test_setting_replaces_an_alias_with_another_vendors_spelling(audio_copy: Copy) -> None:
    from mutagen.mp4 import MP4FreeForm

    path = audio_copy("untagged.m4a")
    audio = mutagen.File(path)
    if audio.tags is None:
        audio.add_tags()
    audio.tags["----:com.serato.dj:LABEL"] = [MP4FreeForm(b"Old Label")]
    audio.save()
    write_tags(path, {"label": "Nouveau Label"})
    assert read_tags(path).label == "Nouveau Label"


@pytest.mark.parametrize("name", ["full.mp3", "v1.mp3", "full.wav"])
def test_clearing_the_comment_removes_the_id3v1_comment(audio_copy: Copy, name: str) -> None:
    path = audio_copy(name)
    assert read_tags(path).comment is not None
    write_tags(path, {"comment": None})
    assert read_tags(path).comment is None


def test_unknown_field_is_refused(audio_copy: Copy) -> None:
    path = audio_copy("full.flac")
    before = state(path)
    with pytest.raises(TagWriteError, match=r"unknown field.*rating"):
        write_tags(path, {"title": "x", "rating": 5})
    assert state(path) == before


def test_read_only_file_is_refused(audio_copy: Copy) -> None:
    """Refused for root too: the rename would replace the file without asking its mode."""
    path = audio_copy("full.mp3")
    path.chmod(0o444)
    before = state(path)
    with pytest.raises(TagWriteError, match="read-only"):
        write_tags(path, {"title": "x"})
    assert state(path) == before
    assert leftovers(path.parent) == []


def test_read_only_folder_is_refused(unprivileged: Unprivileged) -> None:
    locked = unprivileged.folder / "locked"
    locked.mkdir()
    path = locked / "full.mp3"
    shutil.copyfile(AUDIO / "full.mp3", path)
    path.chmod(0o666)  # the file itself may be written; its folder may not
    before = state(path)
    locked.chmod(0o555)
    code = (
        "import json, sys\n"
        "from library.errors import TagWriteError\n"
        "from library.tags import write_tags\n"
        "try:\n    write_tags(sys.argv[1], {'title': 'x'})\n    print(json.dumps(None))\n"
        "except TagWriteError as error:\n    print(json.dumps(str(error)))\n"
    )
    message = unprivileged.run(code, str(path))
    assert message is not None and "cannot write" in message
    assert state(path) == before
    assert leftovers(locked) == []


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("truncated.mp3", "truncated"),
        ("truncated.flac", "truncated"),
        ("truncated.ogg", "truncated"),
        ("truncated.m4a", "MP4"),
        ("not-audio.mp3", "not a readable audio file"),
    ],
)
def test_broken_file_is_left_intact(audio_copy: Copy, name: str, fragment: str) -> None:
    path = audio_copy(name)
    before = state(path)
    with pytest.raises(TagWriteError) as caught:
        write_tags(path, {"title": "x"})
    assert fragment in caught.value.reason
    assert caught.value.path == str(path)
    assert state(path) == before
    assert leftovers(path.parent) == []


@pytest.mark.parametrize(
    ("ext", "values"),
    [
        ("mp3", {"track_number": "abc"}),
        ("flac", {"track_number": "abc"}),
        ("m4a", {"track_number": "abc"}),
        ("m4a", {"bpm": "fast"}),
        ("wma", {"year": "someday"}),
        ("ogg", {"bpm": 0}),
    ],
)
def test_unrepresentable_value_fails_cleanly(
    audio_copy: Copy, ext: str, values: dict[str, object]
) -> None:
    path = audio_copy(f"full.{ext}")
    before = state(path)
    with pytest.raises(TagWriteError) as caught:
        write_tags(path, values)
    assert next(iter(values)) in caught.value.reason or "cannot write" in caught.value.reason
    assert state(path) == before
    assert leftovers(path.parent) == []


def test_clearing_a_riff_info_only_value_fails_cleanly(audio_copy: Copy) -> None:
    """RIFF INFO is read but not written: the read-back check catches that clearing cannot work."""
    path = audio_copy("riff-info.wav")
    before = state(path)
    with pytest.raises(TagWriteError, match="title did not read back"):
        write_tags(path, {"title": None})
    assert state(path) == before
    assert leftovers(path.parent) == []


def test_mode_is_preserved(audio_copy: Copy) -> None:
    path = audio_copy("full.ogg")
    path.chmod(0o640)
    write_tags(path, {"title": "x"})
    assert path.stat().st_mode & 0o777 == 0o640
    assert leftovers(path.parent) == []


def test_writing_through_a_symlink_updates_the_target(audio_copy: Copy, tmp_path: Path) -> None:
    target = audio_copy("full.flac", "store/real.flac")
    link = tmp_path / "link.flac"
    link.symlink_to(target)
    write_tags(link, {"title": "Par le lien"})
    assert link.is_symlink()
    assert read_tags(target).title == "Par le lien"


def test_long_file_name(audio_copy: Copy) -> None:
    name = "é" * 120 + ".mp3"  # 244 bytes: a temporary name built from it must be shortened
    path = audio_copy("full.mp3", name)
    write_tags(path, {"title": "x"})
    assert read_tags(path).title == "x"
    assert leftovers(path.parent) == []


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(TagWriteError, match="not found"):
        write_tags(tmp_path / "gone.mp3", {"title": "x"})
    (tmp_path / "x.mp3").mkdir()
    with pytest.raises(TagWriteError, match="not a regular file"):
        write_tags(tmp_path / "x.mp3", {"title": "x"})


TITLES = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\0"), min_size=1
).filter(lambda text: text.strip() == text and bool(text))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TITLES, ext=st.sampled_from(["mp3", "flac", "m4a", "wma"]))
def test_any_title_round_trips(title: str, ext: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"t.{ext}"
        path.write_bytes((AUDIO / f"untagged.{ext}").read_bytes())
        write_tags(path, {"title": title})
        assert read_tags(path).title == title
        assert (
            hashlib.sha256(path.read_bytes()).digest()
            != hashlib.sha256((AUDIO / f"untagged.{ext}").read_bytes()).digest()
        )


HOLDER = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)  # what a write in progress holds on its copy
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.mark.skipif(os.name != "posix", reason="advisory locks are POSIX")
def test_stale_copies_are_removed_but_a_copy_in_use_is_kept(audio_copy: Copy) -> None:
    """A write killed midway leaves its hidden copy; the next write in that folder removes
    it, unless a write in another process is still working on it (it holds its lock)."""
    from library.tags import remove_stale_copies

    path = audio_copy("full.flac", "caisse/piste é.flac")
    folder = path.parent
    stale = folder / ".piste é.flac.k1ll3d.setlist-tmp"
    stale.write_bytes(path.read_bytes()[:1000])  # half written when the writer was killed
    in_use = folder / ".piste é.flac.w0rk1n.setlist-tmp"
    in_use.write_bytes(b"")
    other = folder / ".autre.txt"  # hidden, but not setlist's
    other.write_text("à garder")
    with Background(HOLDER, str(in_use), ready="locked"):
        before = state(path)
        assert remove_stale_copies(folder) == [str(stale)]
        assert sorted(leftovers(folder)) == [in_use.name]
        assert other.read_text() == "à garder"
        assert state(path) == before
    assert remove_stale_copies(folder) == [str(in_use)]  # its writer is gone
    assert leftovers(folder) == []
    write_tags(path, {"title": "après"})  # a write of its own leaves nothing either
    assert leftovers(folder) == []
