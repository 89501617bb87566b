"""Tests for writing exports: whole files or none, exact bytes, and the rekordbox notes fill
inside a caller's transaction (all or nothing)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from conftest import FIXTURES
from export_builder import export_context, hostile_tracks

from library.notes import store as notes_store
from library.storage import Store
from setlist.exporters import ExportContext
from setlist.exporters.output import ExportError, print_export, write_export
from setlist.importers.rekordbox import match_tracks, read_rekordbox
from setlist.importers.rekordbox_notes import fill_notes


@pytest.fixture
def hostile(store: Store, tmp_path: Path) -> ExportContext:
    return export_context(store, hostile_tracks(store, tmp_path))


def test_write_a_file(hostile: ExportContext, tmp_path: Path) -> None:
    target = tmp_path / "vendredi.csv"
    write_export("csv", hostile, target)
    data = target.read_bytes()
    assert data.startswith(b"position,start,") and data.count(b"\r\n") >= 4
    assert b"\r\r\n" not in data
    assert "Entrée à Métropolis".encode() in data
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    target.chmod(0o600)
    write_export("m3u8", hostile, target)  # replaces it, keeping its mode
    assert target.read_text(encoding="utf-8").startswith("#EXTM3U\n")
    assert target.stat().st_mode & 0o777 == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_nothing_half_written(hostile: ExportContext, tmp_path: Path) -> None:
    folder = tmp_path / "déjà là"
    (folder / "inside").mkdir(parents=True)
    with pytest.raises(ExportError, match=r"déjà là: cannot write: Is a directory"):
        write_export("rekordbox", hostile, folder)
    assert [p.name for p in folder.iterdir()] == ["inside"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left
    with pytest.raises(ExportError, match=r"absent/x\.txt: cannot write: No such file"):
        write_export("txt", hostile, tmp_path / "absent" / "x.txt")


def test_unknown_format(hostile: ExportContext, tmp_path: Path) -> None:
    message = r"unknown format 'pdf' \(formats: m3u8, txt, csv, json, md, rekordbox, nml\)"
    with pytest.raises(ExportError, match=message):
        write_export("pdf", hostile, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_print_to_a_binary_stream(hostile: ExportContext) -> None:
    out = io.BytesIO()
    print_export("csv", hostile, out)
    assert not out.closed
    assert out.getvalue().decode("utf-8").count("\r\n") >= 4


def test_notes_fill_in_the_callers_transaction(store: Store) -> None:
    from factories import add_track

    track = add_track(store, path="/musique/Jëff Mills/01 Entrée.flac".encode())
    matched = match_tracks(store, read_rekordbox(FIXTURES / "playlists" / "rekordbox.xml"))
    with (
        pytest.raises(RuntimeError, match="the sets could not be made"),
        store.transaction() as connection,
    ):
        fill = fill_notes(store, matched.matched, connection)
        assert fill.filled == {track: ["moods", "text", "rating", "colour", "cues"]}
        raise RuntimeError("the sets could not be made")
    assert notes_store.load(store, track).is_empty()
    assert notes_store.history(store, track) == []
