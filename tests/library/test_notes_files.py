"""Tests for notes in the files: the tag form, round trips through every format's tags, the
ID3 version, the decoded audio, an atomic write failing midway, and scans reading notes back.

Every write goes to a copy in the test's folder; tags are also checked with mutagen directly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import AUDIO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutagen import id3
from test_tags_write import audio_md5, leftovers

from library.errors import SetlistError, TagWriteError
from library.notes import store as notes_store
from library.notes import values
from library.notes.file_form import EMPTY_HASH, FORM_VERSION, content_hash, decode, encode
from library.notes.model import Cue, TrackNotes
from library.scanning import scan
from library.storage import Store
from library.tags import read_tag_values, write_tags

Copy = Callable[..., Path]
ROOT = Path(__file__).resolve().parents[2]
FILES = {  # name -> fixture: mp3 (ID3v2.4) and v23 (an ID3v2.3 mp3) both
    "mp3": "full.mp3", "v23": "v23.mp3", "flac": "full.flac", "ogg": "full.ogg",
    "opus": "full.opus", "m4a": "full.m4a", "wav": "full.wav", "aiff": "full.aiff",
    "wma": "full.wma",
}  # fmt: skip
NOTES = TrackNotes(
    moods=["hanté", "late night"], energy=8, roles=["builder", "closer"],
    closing_note="Après 5h — [bold]vers[/] le silence\n<b>2e ligne</b>",
    text="=1+1\n\x1b[31mrouge\x1b[0m\ttab\x00nul \u202eRTL 階段", rating=4, colour="aqua",
    cues=[Cue(at=0.25, text="début ☀"), Cue(at=0.9, text="[@click=app.quit]")],
)  # fmt: skip


def copy_name(name: str) -> str:
    """A file name for fixture FILES[name], with its extension."""
    return f"copy-{name}{Path(FILES[name]).suffix}"


def through_file(path: Path, notes: TrackNotes) -> dict[str, Any]:
    """Write the notes' tag values into `path`, read the tags back, decode them."""
    write_tags(path, encode(notes.content()))
    found = decode(read_tag_values(str(path)))
    assert found.problems == []
    return found.content


# -- the form ------------------------------------------------------------------------------


def test_the_empty_hash_is_the_hash_of_empty_notes() -> None:
    assert content_hash(TrackNotes().content()) == EMPTY_HASH


def test_the_form_is_versioned_compact_json_without_moods_and_energy() -> None:
    tags = encode(NOTES.content())
    assert tags["moods"] == ["hanté", "late night"] and tags["energy"] == 8
    body = json.loads(str(tags["setlist_notes"]))
    assert body["v"] == FORM_VERSION == 1
    assert set(body) == {"v", "roles", "closing_note", "text", "rating", "colour", "cues"}
    assert "\n" not in str(tags["setlist_notes"]) and "\x00" not in str(tags["setlist_notes"])
    assert encode(TrackNotes(moods=["x"], energy=3).content())["setlist_notes"] is None


MOODS = st.text(min_size=1, max_size=20).filter(lambda t: ";" not in t).map(str.strip)


def _valid_mood(text: str) -> bool:
    try:
        values.mood(text)
    except SetlistError:
        return False
    return True


TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)  # no lone surrogates
NOTES_STRATEGY = st.builds(
    TrackNotes,
    moods=st.lists(MOODS.filter(_valid_mood), max_size=3),
    energy=st.one_of(st.none(), st.integers(1, 10)),
    roles=st.lists(st.sampled_from(values.ROLES), max_size=3),
    closing_note=TEXT,
    text=TEXT,
    rating=st.one_of(st.none(), st.integers(0, 5)),
    colour=st.one_of(st.none(), st.sampled_from(values.COLOURS)),
    cues=st.lists(
        st.builds(Cue, at=st.floats(0, 0.99).map(lambda s: round(s, 3)), text=TEXT), max_size=3
    ),
)


@given(NOTES_STRATEGY)
def test_any_notes_survive_the_form(notes: TrackNotes) -> None:
    tags = encode(notes.content())
    again = decode({**tags, "moods": list(tags["moods"])})  # type: ignore[call-overload]
    assert again.problems == []
    assert again.content == notes.content()


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("pas du json", "not JSON"),
        ('{"text": "sans version"}', "no version"),
        ('{"v": 2, "text": "plus tard"}', "form 2 by another setlist"),
        ('{"v": 1, "rating": 9, "text": "gardé"}', "rating"),
        ('{"v": 1, "roles": ["dj"], "text": "gardé"}', "role 'dj'"),
        ('{"v": 1, "cues": [{"at": -4, "text": "x"}], "text": "gardé"}', "cue time"),
    ],
)
def test_unreadable_notes_are_reported_and_the_rest_kept(raw: str, fragment: str) -> None:
    found = decode({"moods": ["Sombre"], "energy": 12, "setlist_notes": raw})
    reasons = " | ".join(why for _, why in found.problems)
    assert fragment in reasons and "energy 12" in reasons
    assert found.content["moods"] == ["sombre"] and found.content["energy"] is None
    assert found.content["text"] == ("gardé" if "gardé" in raw else "")


# -- through every format ------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_notes_round_trip_through_each_format(audio_copy: Copy, name: str) -> None:
    path = audio_copy(FILES[name], copy_name(name))
    before = read_tag_values(str(path))
    assert through_file(path, NOTES) == NOTES.content()
    after = read_tag_values(str(path))
    changed = {k for k in after if after[k] != before[k]}
    assert changed <= {"moods", "energy", "setlist_notes"}  # every other tag is kept
    cleared = through_file(path, TrackNotes())
    assert cleared == TrackNotes().content()
    assert read_tag_values(str(path))["title"] == before["title"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=NOTES_STRATEGY, name=st.sampled_from(sorted(FILES)))
def test_any_notes_round_trip_through_the_files(notes: TrackNotes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / copy_name(name)
        shutil.copyfile(AUDIO / FILES[name], path)
        assert through_file(path, notes) == notes.content()


def test_id3v23_stays_v23_with_its_mood_frame(audio_copy: Copy) -> None:
    path = audio_copy("v23.mp3")
    through_file(path, NOTES)
    assert path.read_bytes()[3] == 3
    raw = id3.ID3(path, translate=False)
    assert raw.version == (2, 3, 0) and not raw.getall("TMOO")
    assert [f.text for f in raw.getall("TXXX:MOOD")] == [["hanté; late night"]]
    assert [f.text for f in raw.getall("TXXX:EnergyLevel")] == [["8"]]
    (comment,) = [f for f in raw.getall("COMM") if f.desc == "setlist"]
    assert json.loads(comment.text[0])["closing_note"] == NOTES.closing_note
    assert read_tag_values(str(path))["comment"] == "Ferme le set — à 4h"  # the user's comment


def test_id3v24_uses_tmoo(audio_copy: Copy) -> None:
    path = audio_copy("full.mp3")
    through_file(path, NOTES)
    raw = id3.ID3(path)
    assert raw.version == (2, 4, 0)
    assert [f.text for f in raw.getall("TMOO")] == [["hanté", "late night"]]


@pytest.mark.parametrize("name", FILES)
def test_decoded_audio_is_identical_after_writing_notes(audio_copy: Copy, name: str) -> None:
    path = audio_copy(FILES[name], copy_name(name))
    before = audio_md5(path)
    through_file(path, NOTES)
    assert audio_md5(path) == before


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize("name", ["full.flac", "full.mp3", "full.m4a", "v23.mp3"])
def test_a_write_failing_midway_leaves_the_original_intact(audio_copy: Copy, name: str) -> None:
    """The process may not grow any file past the original's size: copying works, writing
    the bigger tag into the copy fails (EFBIG) after the copy was made and changed."""
    path = audio_copy(name)
    original = path.read_bytes()
    code = (
        "import resource, signal, sys\n"
        "from library.tags import write_tags\n"
        "from library.errors import TagWriteError\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"limit = {len(original) + 64}\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
        "try:\n"
        "    write_tags(sys.argv[1], {'setlist_notes': 'x' * 200000, 'moods': ['hanté']})\n"
        "except TagWriteError as error:\n"
        "    print(error.reason)\n"
        "    sys.exit(3)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "too large" in done.stdout.lower()
    assert path.read_bytes() == original
    assert leftovers(path.parent) == []


def test_a_read_only_file_is_refused_not_forced(audio_copy: Copy) -> None:
    path = audio_copy("full.ogg")
    path.chmod(0o444)
    with pytest.raises(TagWriteError, match="read-only"):
        write_tags(path, encode(NOTES.content()))
    assert decode(read_tag_values(str(path))).content["energy"] is None


# -- scans read the notes back ----------------------------------------------------------------


def notes_by_name(store: Store) -> dict[str, dict[str, Any]]:
    return {
        Path(track.path).name: notes_store.load(store, track.id).content()
        for track in store.tracks()
    }


def test_a_fresh_library_gets_the_notes_from_the_files(audio_copy: Copy, tmp_path: Path) -> None:
    for name, fixture in FILES.items():
        through_file(audio_copy(fixture, f"crate/{copy_name(name)}"), NOTES)
    store = Store(tmp_path / "another-machine.db")
    try:
        result = scan(store, [tmp_path / "crate"], workers=2)
        assert result.conflicts == [] and result.added == len(FILES)
        assert all(content == NOTES.content() for content in notes_by_name(store).values())
        track = store.tracks()[0]
        assert [v.source for v in notes_store.history(store, track.id)] == ["scan"]
    finally:
        store.close()


def test_moods_other_tools_wrote_become_notes(store: Store, audio_copy: Copy) -> None:
    folder = audio_copy("full.flac", "crate/a.flac").parent
    scan(store, [folder], workers=1)
    (track,) = store.tracks()
    assert track.moods == ["hanté", "hypnotic"]
    assert notes_store.load(store, track.id).moods == ["hanté", "hypnotic"]


def test_the_library_wins_and_the_conflict_is_reported(store: Store, audio_copy: Copy) -> None:
    path = audio_copy("full.mp3", "crate/a.mp3")
    scan(store, [path.parent], workers=1)
    (track,) = store.tracks()
    notes_store.save(store, track.id, TrackNotes(moods=["sombre"], energy=5, text="à moi"))
    # Another tool (or another machine's setlist) writes other notes into the file.
    write_tags(path, encode(TrackNotes(moods=["joyeux"], energy=5, rating=2,
                                       closing_note="d'ailleurs").content()))  # fmt: skip
    result = scan(store, [path.parent], workers=1)
    assert [(c.field, "kept" in c.reason) for c in result.conflicts] == [("moods", True)]
    assert result.conflicts[0].path == str(path)
    notes = notes_store.load(store, track.id)
    assert (notes.moods, notes.energy, notes.text) == (["sombre"], 5, "à moi")  # the library's
    assert (notes.rating, notes.closing_note) == (2, "d'ailleurs")  # empty here: taken
    assert notes_store.history(store, track.id)[-1].source == "scan"


def test_an_unwritten_edit_is_not_a_conflict_and_a_removal_sticks(
    store: Store, audio_copy: Copy
) -> None:
    path = audio_copy("full.ogg", "crate/a.ogg")
    scan(store, [path.parent], workers=1)  # imports the file's moods: hanté, hypnotic
    (track,) = store.tracks()
    notes_store.save(store, track.id, TrackNotes(moods=["hanté"], energy=9))  # hypnotic gone
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))  # re-read, notes as before
    result = scan(store, [path.parent], workers=1)
    assert (result.updated, result.conflicts) == (1, [])
    assert notes_store.load(store, track.id).moods == ["hanté"]


def test_unreadable_notes_in_a_file_are_reported_by_the_scan(
    store: Store, audio_copy: Copy
) -> None:
    path = audio_copy("untagged.flac", "crate/a.flac")
    write_tags(path, {"setlist_notes": '{"v": 7, "text": "du futur"}', "energy": 42})
    result = scan(store, [path.parent], workers=1)
    assert sorted(c.field for c in result.conflicts) == ["energy", "setlist_notes"]
    assert all(c.reason.startswith("not taken from the file") for c in result.conflicts)
    (track,) = store.tracks()
    assert notes_store.load(store, track.id).is_empty()


def test_notes_follow_a_moved_file(store: Store, audio_copy: Copy) -> None:
    path = audio_copy("full.wav", "crate/a.wav")
    scan(store, [path.parent.parent], workers=1)
    (track,) = store.tracks()
    notes_store.save(store, track.id, TrackNotes(text="ne me perds pas", roles=["closer"]))
    write_tags(path, {"title": "Retitré"})  # tags edited and moved at once
    path.rename(path.parent.parent / "b.wav")
    result = scan(store, [path.parent.parent], workers=1)
    assert (result.moved, result.added, result.conflicts) == (1, 0, [])
    (moved,) = store.tracks()
    assert (moved.id, moved.title) == (track.id, "Retitré")
    assert notes_store.load(store, track.id).text == "ne me perds pas"
    assert [t.id for t in store.tracks("missing = 1")] == []
