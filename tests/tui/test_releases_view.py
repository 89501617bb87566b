"""The releases view: the list, a release page, importing (pasted or from a file, and the
errors), link proposals accepted and rejected, the jump from the track panel, and hostile
release text shown literally. All on a real SQLite library, driven by keys."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from app_testing import SIZE, library_entries, screen_lines, settle, store_tracks, table
from conftest import RELEASES
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from library.matching import link_auto
from library.releases import proposals
from library.releases.detect import read_releases
from library.releases.store import ReleaseStore
from library.storage import Store
from setlist.settings import Settings
from setlist.tui.app import SetlistApp
from setlist.tui.screens.link_proposals import LinkProposals
from setlist.tui.screens.release_import import ImportDialog
from setlist.tui.widgets.literal_text import LiteralTextArea
from setlist.tui.widgets.release_page_view import ReleasePage
from setlist.tui.widgets.releases_view import ReleasesView

# Hélène Voss – Tidal Archive (Nordlicht Records – NLR-007): B1 is in the library, linked by
# its catalog number; A2 only by its album (a proposal).
VOSS = [
    {"artist": "Hélène Voss", "title": "Salzwiese", "album": "Tidal Archive", "duration": 358,
     "label": "Nordlicht Records", "catalog_number": "NLR-007", "path": "/musique/voss/b1.flac"},
    {"title": "Flut (Rückkehr)", "album": "Tidal Archive", "duration": 425,
     "path": "/musique/voss/a2.flac"},
]  # fmt: skip


def import_file(store: Store, name: str) -> int:
    path = RELEASES / name
    (saved,) = ReleaseStore(store).save(read_releases(path.name, path.read_bytes()))
    return saved.release.id or 0


@pytest.fixture
def voss_library(tmp_path: Path) -> Store:
    store = Store(tmp_path / "bibliothèque.db")
    store_tracks(store, [*library_entries(), *VOSS])
    import_file(store, "page-full.txt")
    link_auto(store)
    return store


@pytest.fixture
async def releases(voss_library: Store) -> AsyncIterator[Pilot[None]]:
    """The app on the releases view (key 2)."""
    app = SetlistApp(voss_library, Settings())
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("2")
            await settle(pilot)
            yield pilot
    finally:
        voss_library.close()


def view(pilot: Pilot[None]) -> ReleasesView:
    return pilot.app.query_one(ReleasesView)


def page_text(pilot: Pilot[None]) -> str:
    return pilot.app.query_one(ReleasePage).text


async def test_the_page_is_laid_out_like_the_release_page(releases: Pilot[None]) -> None:
    text = page_text(releases)
    lines = text.splitlines()
    assert lines[:3] == ["Hélène Voss – Tidal Archive", "Nordlicht Records – NLR-007",
                         '2 x Vinyl, 12", 33 ⅓ RPM, Album']  # fmt: skip
    order = ["Tracklist", "Companies, etc.", "Notes", "Barcode and Other Identifiers", "Reviews"]
    assert [text.index(f"\n{heading}") for heading in order] == sorted(
        text.index(f"\n{heading}") for heading in order
    )
    tracklist = {line.split()[0]: line for line in lines if line.startswith("  ")
                 and line.split()[0] in ("A1", "A2", "B1")}  # fmt: skip
    assert "#11 Hélène Voss – Salzwiese" in tracklist["B1"]
    assert tracklist["A1"].endswith("not in library")
    assert "Matrix / Runout (Side A, etched): NLR-007-A̶ ☼ D&M" in text
    assert "1 release" in "\n".join(screen_lines(releases.app))
    assert releases.app.focused is view(releases).release_list


async def test_a_pasted_page_is_imported_and_shown(releases: Pilot[None], tmp_path: Path) -> None:
    app = releases.app
    await releases.press("i")
    assert isinstance(app.screen, ImportDialog)
    pasted = (RELEASES / "page-minimal.txt").read_text(encoding="utf-8")
    box = app.screen.query_one(LiteralTextArea)
    app.post_message(events.Paste(pasted))  # as the terminal sends it: to the focused box
    await settle(releases)
    assert box.text == pasted
    await releases.press("ctrl+s")
    await settle(releases)
    assert not isinstance(app.screen, ImportDialog)
    stored = ReleaseStore(view(releases)._store).all()
    assert len(stored) == 2
    assert page_text(releases).splitlines()[0] == f"{stored[1].artist_line} – {stored[1].title}"
    assert view(releases).release_list.highlighted == 1


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ("absent.txt", "absent.txt: cannot read: No such file or directory"),
        (".", ".: is a folder, not a file"),
        ("empty.json", "empty.json: empty file"),
        ("", "give a file, or paste the text of a release page"),
    ],
)
async def test_a_bad_import_says_why_in_one_line_and_stores_nothing(
    releases: Pilot[None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str, error: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.json").write_text("  \n", encoding="utf-8")
    app = releases.app
    await releases.press("i")
    dialog = app.screen
    assert isinstance(dialog, ImportDialog)
    dialog.query_one("#import-path", Input).value = given
    await releases.press("ctrl+s")
    await settle(releases)
    shown = dialog.error
    assert app.screen is dialog  # still open, to fix it
    assert shown == error
    assert "\n" not in shown
    assert len(ReleaseStore(view(releases)._store).all()) == 1
    await releases.press("escape")
    assert not isinstance(app.screen, ImportDialog)


async def test_hostile_release_text_is_shown_literally(releases: Pilot[None]) -> None:
    app = releases.app
    await releases.press("i")
    dialog = app.screen
    assert isinstance(dialog, ImportDialog)
    await releases.press("shift+tab")  # from the paste box (focused first) to the path box
    assert app.focused is dialog.query_one("#import-path", Input)
    dialog.query_one("#import-path", Input).value = str(RELEASES / "page-hostile.txt")
    await releases.press("enter")
    await settle(releases)
    assert not isinstance(app.screen, ImportDialog), dialog.error
    text = page_text(releases)
    for shown in ("Various – [bold]Warehouse[/] Tools <script>", "Bracket Records – [BR-001]",
                  "[@click=app.quit]Click me[/]", '=HYPERLINK("http://evil',  # cut to its column
                  'Notes with <xml attr="1"/> and [red]not red[/]'):  # fmt: skip
        assert shown in text, shown
    screen = "\n".join(screen_lines(app))
    assert "Various – [bold]Warehouse[/] Tools <script>" in screen  # in the list too
    assert not any(char in screen for char in "\x1b\x07\u202e\x00")
    await releases.click(ReleasePage, offset=(30, 3))
    await releases.press("end")
    await settle(releases)
    assert app.is_running and app.return_code is None


async def test_proposals_are_accepted_and_rejected(releases: Pilot[None]) -> None:
    app = releases.app
    store = view(releases)._store
    await releases.press("l")
    await settle(releases)
    assert isinstance(app.screen, LinkProposals)
    screen = "\n".join(screen_lines(app))
    assert "Flut (Rückkehr)  →  Hélène Voss – Tidal Archive at A2" in screen
    flut = app.screen.matches[0].track_id
    await releases.press("a")
    await settle(releases)
    link = ReleaseStore(store).link_of(flut)
    assert link is not None and (link.position, link.manual) == ("A2", True)
    assert "No proposals" in "\n".join(screen_lines(app))
    await releases.press("escape")
    await settle(releases)
    (a2,) = [line for line in page_text(releases).splitlines() if line.startswith("  A2 ")]
    assert a2.endswith(f"#{flut} ? – Flut (Rückkehr)")  # the page shows the new link
    ReleaseStore(store).unlink(flut)  # proposed again; now turned down
    await releases.press("l")
    await settle(releases)
    await releases.press("x")
    await settle(releases)
    assert ReleaseStore(store).link_of(flut) is None
    assert proposals.proposals(store) == []
    assert app.screen.query_one("#proposals-list", OptionList).option_count == 0


async def test_r_in_the_track_panel_jumps_to_the_linked_release(voss_library: Store) -> None:
    app = SetlistApp(voss_library, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        row = table(app).ids.index(voss_library.track_ids()[-2])  # Salzwiese, linked
        await pilot.press(*["down"] * row, "enter")
        await settle(pilot)
        assert "Release Hélène Voss – Tidal Archive" in "\n".join(screen_lines(app))
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is app.main_screen
        shown = app.main_screen.current_view
        assert isinstance(shown, ReleasesView)
        assert page_text(pilot).startswith("Hélène Voss – Tidal Archive")
    voss_library.close()


async def test_the_palette_and_the_help_screen_offer_the_releases_actions(
    releases: Pilot[None],
) -> None:
    app = releases.app
    assert isinstance(app, SetlistApp)
    commands = {command.title: command for command in app.palette_commands(app.screen)}
    assert {"Import a release…", "Link proposals…", "Show releases"} <= set(commands)
    commands["Import a release…"].run()
    await settle(releases)
    assert isinstance(app.screen, ImportDialog)
    assert "Import" in [command.title for command in app.palette_commands(app.screen)]
    await releases.press("escape", "question_mark")
    help_text = "\n".join(screen_lines(app))
    assert "Keys: Releases" in help_text
    assert "Import a release (page or file)" in help_text
    assert "Link proposals: accept or reject" in help_text
