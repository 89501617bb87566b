"""`setlist export` and `setlist import m3u|rekordbox`: the commands around the exporters and
importers, against a real library file."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from factories import add_track, invoke, one_error_line

from library.notes import store as notes_store
from library.notes.model import TrackNotes
from library.set_store import SetStore
from library.storage import Store
from setlist.exporters import FORMATS

NAME = "Vendredi [tard] = fin"


@pytest.fixture
def tracks(db: Path) -> list[int]:
    """Three tracks with real paths under the test folder, in a set named NAME."""
    store = Store(db)
    try:
        ids = [
            add_track(store, title=f"Titre {n} é", artist=f"Artiste {n}", path=path)
            for n, path in enumerate(
                (db.parent / "music" / f"{n}-piste.flac").as_posix().encode() for n in range(3)
            )
        ]
        notes_store.save(store, ids[0], TrackNotes(moods=["hanté"], rating=4, colour="red"))
    finally:
        store.close()
    assert invoke(db, "sets", "new", NAME, "--target", "30").exit_code == 0
    assert invoke(db, "sets", "add", NAME, *map(str, ids)).exit_code == 0
    return ids


def set_order(db: Path, name: str) -> list[int]:
    store = Store(db)
    try:
        return [entry.track_id for entry in SetStore(store).get(name).entries]
    finally:
        store.close()


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_to_stdout_and_to_a_file(db: Path, tracks: list[int], fmt: str) -> None:
    printed = invoke(db, "export", NAME, "--format", fmt)
    assert printed.exit_code == 0, printed.stderr
    assert "Titre 2 é" in printed.stdout
    target = db.parent / f"out.{fmt}"
    written = invoke(db, "export", NAME, "--format", fmt, "-o", str(target))
    assert written.exit_code == 0, written.stderr
    assert target.read_bytes().decode("utf-8").replace("\r\n", "\n") == printed.stdout.replace(
        "\r\n", "\n"
    )


def test_json_export_carries_notes_and_analysis(db: Path, tracks: list[int]) -> None:
    document = json.loads(invoke(db, "export", NAME, "--format", "json").stdout)
    assert "Titre 0 é" in json.dumps(document, ensure_ascii=False)
    assert "hanté" in json.dumps(document, ensure_ascii=False)
    assert "warnings" in json.dumps(document)


def test_rekordbox_export_is_xml_with_the_playlist_in_order(db: Path, tracks: list[int]) -> None:
    root = ET.fromstring(invoke(db, "export", NAME, "--format", "rekordbox").stdout)
    playlist = root.find("PLAYLISTS/NODE/NODE")
    assert playlist is not None and playlist.get("Name") == NAME
    assert [int(t.get("Key", "0")) for t in playlist.iter("TRACK")] == tracks


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["export", "nulle part", "--format", "txt"], "no set named 'nulle part'"),
        (["export", NAME, "--format", "wav"], "unknown format 'wav'"),
        (["export", NAME, "--format", "txt", "-o", "/proc/nope/x.txt"], "cannot write"),
    ],
)
def test_bad_exports_exit_2_and_write_nothing(
    db: Path, tracks: list[int], args: list[str], fragment: str
) -> None:
    result = invoke(db, *args)
    assert result.exit_code == 2
    assert fragment in one_error_line(result.stderr)
    assert result.stdout == ""


def test_m3u_round_trip_through_the_commands(db: Path, tracks: list[int]) -> None:
    playlist = db.parent / "vendredi.m3u8"
    assert invoke(db, "export", NAME, "--format", "m3u8", "-o", str(playlist)).exit_code == 0
    result = invoke(db, "import", "m3u", str(playlist), "--set", "Copie")
    assert result.exit_code == 0, result.stderr
    assert set_order(db, "Copie") == tracks


def test_m3u_import_reports_misses_and_adds_repeats_once(db: Path, tracks: list[int]) -> None:
    paths = [(db.parent / "music" / f"{n}-piste.flac").as_posix() for n in (2, 0, 2)]
    playlist = db.parent / "p.m3u"
    playlist.write_text("\n".join([*paths, "http://radio.example/live", "D:\\x\\absent.mp3"]))
    result = invoke(db, "import", "m3u", str(playlist), "--set", "Mix")
    assert result.exit_code == 0, result.stderr
    assert set_order(db, "Mix") == [tracks[2], tracks[0]]
    assert "line 4: http://radio.example/live" in result.stderr
    assert "line 5: D:\\x\\absent.mp3" in result.stderr
    assert "1 repeated entries added once" in result.stderr


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        ("/nowhere/a.flac\n", "Mix", "none of its 1 entries is in the library"),
        (None, NAME.upper(), "already exists"),
    ],
)
def test_m3u_import_that_cannot_make_a_set_makes_none(
    db: Path, tracks: list[int], content: str | None, name: str, fragment: str
) -> None:
    playlist = db.parent / "p.m3u"
    playlist.write_text(content or (db.parent / "music" / "0-piste.flac").as_posix())
    result = invoke(db, "import", "m3u", str(playlist), "--set", name)
    assert result.exit_code == 2
    assert fragment in result.stderr.splitlines()[-1]
    store = Store(db)
    try:
        assert [s.name for s in SetStore(store).summaries()] == [NAME]
    finally:
        store.close()


def test_m3u_import_of_a_missing_file(db: Path, tracks: list[int]) -> None:
    result = invoke(db, "import", "m3u", str(db.parent / "absent.m3u"), "--set", "X")
    assert result.exit_code == 2
    assert "absent.m3u" in one_error_line(result.stderr)


def test_rekordbox_round_trip_into_a_fresh_library(db: Path, tracks: list[int]) -> None:
    xml = db.parent / "rb.xml"
    assert invoke(db, "export", NAME, "--format", "rekordbox", "-o", str(xml)).exit_code == 0
    fresh = db.parent / "fresh.db"
    store = Store(fresh)
    try:
        for n in range(3):
            path = (db.parent / "music" / f"{n}-piste.flac").as_posix().encode()
            add_track(store, title=f"Titre {n} é", path=path)
    finally:
        store.close()
    result = invoke(fresh, "import", "rekordbox", str(xml))
    assert result.exit_code == 0, result.stderr
    assert "Notes filled on 1 tracks" in result.stdout
    assert len(set_order(fresh, NAME)) == 3
    store = Store(fresh)
    try:
        first = SetStore(store).get(NAME).entries[0].track_id
        notes = notes_store.load(store, first)
    finally:
        store.close()
    assert (notes.moods, notes.rating, notes.colour) == (["hanté"], 4, "red")


def test_rekordbox_import_leaves_an_existing_set_alone(db: Path, tracks: list[int]) -> None:
    xml = db.parent / "rb.xml"
    assert invoke(db, "export", NAME, "--format", "rekordbox", "-o", str(xml)).exit_code == 0
    assert invoke(db, "sets", "move", NAME, "1", "3").exit_code == 0
    result = invoke(db, "import", "rekordbox", str(xml))
    assert result.exit_code == 0
    assert "a set of that name exists; left alone" in result.stderr
    assert set_order(db, NAME) == [tracks[1], tracks[2], tracks[0]]


def test_rekordbox_import_of_something_else_exits_2(db: Path, tracks: list[int]) -> None:
    other = db.parent / "not.xml"
    other.write_text("<html><body>no</body></html>")
    result = invoke(db, "import", "rekordbox", str(other))
    assert result.exit_code == 2
    assert "not.xml" in one_error_line(result.stderr)
