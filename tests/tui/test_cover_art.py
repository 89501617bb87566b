"""The cover art in the track panel: read from the file in a worker, drawn as a picture
(half blocks when headless), or a line of text saying why there is none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from app_testing import SIZE, settle, store_tracks
from textual_image.widget import HalfcellImage

from library.storage import Store
from library.tags import read_artwork
from setlist.settings import Settings
from setlist.tui.app import SetlistApp
from setlist.tui.screens.track_panel import TrackPanel
from setlist.tui.widgets.cover_art import CoverArt


async def cover_of(store: Store, path: Path) -> tuple[str, str, int]:
    """Open the track panel on the one track at `path`: the cover's state, its text, and
    how many pictures it draws."""
    store_tracks(store, [{"title": "Pochette", "artist": "Zoë", "path": str(path)}])
    app = SetlistApp(store, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TrackPanel)
        cover = app.screen.query_one(CoverArt)
        note = str(cover.query_one("#cover-note").render())
        return cover.state, note, len(cover.query(HalfcellImage))


async def test_an_embedded_cover_is_drawn(tmp_path: Path, audio_copy: Callable[..., Path]) -> None:
    store = Store(tmp_path / "bibliothèque.db")
    try:
        state, _, pictures = await cover_of(store, audio_copy("full.flac", "pochette.flac"))
    finally:
        store.close()
    assert (state, pictures) == ("picture", 1)


@pytest.mark.parametrize(
    ("name", "damage", "why"),
    [
        ("untagged.flac", False, "no cover art in the file"),
        ("full.flac", True, "the picture cannot be decoded"),
    ],
)
async def test_no_picture_is_said_in_its_place(
    tmp_path: Path, audio_copy: Callable[..., Path], name: str, damage: bool, why: str
) -> None:
    path = audio_copy(name, "sans-pochette.flac")
    if damage:  # the picture's bytes zeroed in place: the tag stays valid, the image does not
        original = read_artwork(path)
        assert original is not None
        path.write_bytes(path.read_bytes().replace(original, bytes(len(original)), 1))
    store = Store(tmp_path / "bibliothèque.db")
    try:
        state, note, pictures = await cover_of(store, path)
    finally:
        store.close()
    assert (state, pictures) == ("none", 0)
    assert why in note


async def test_a_missing_file_has_no_cover_and_the_panel_still_opens(tmp_path: Path) -> None:
    store = Store(tmp_path / "bibliothèque.db")
    try:
        state, note, _ = await cover_of(store, tmp_path / "parti.flac")
    finally:
        store.close()
    assert state == "none"
    assert "file not found" in note
