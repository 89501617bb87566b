"""What the app's tests share: a small library with fixed paths, waiting, reading the screen.

The library is stored as a scan stores it (`Store.save_scanned`) with fixed, made-up paths,
so snapshots do not depend on where the test runs. Waiting is never sleeping: `settle`
awaits the app's workers and the messages they post, a bounded number of rounds.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.strip import Strip

from library.storage import Store, track_row
from setlist.tui.app import SetlistApp
from setlist.tui.screens.track_panel import TrackPanel
from setlist.tui.widgets.library_view import LibraryView
from setlist.tui.widgets.track_table import TrackTable

SIZE = (120, 40)

# (artist, title, label, catno, bpm, key, moods, seconds)
LIBRARY: tuple[tuple[str, str, str, str, float | None, str, list[str], float], ...] = (
    ("Nadia Okafor", "Copper Lines", "Kettle Audio", "KTL-004", 122.3, "Am", ["warm"], 372),
    ("Teodor Vásquez", "Night Ferry", "Lowtide", "LT 012", 123.5, "Em", ["hypnotic"], 404),
    ("Mirela Dąbrowska", "Szkło", "Kettle Audio", "KTL-007", 125.8, "G", ["cold"], 427),
    ("Jun Takeda", "階段 (Stairwell)", "Shibuya Tape Works", "STW-33", 128.2, "Bm", [], 389),
    ("Ødegaard & Sønner", "Fjord Engine", "Nordlys Plater", "NLP 101", 128.0, "F#m", [], 442),
    ("Halima Yusuf", "Low Orbit", "Axis-Adjacent", "AXA-9", 129.4, "C#m", ["haunting"], 363),
    ("Kasimir Lund", "Afterglow", "Lowtide", "LT 019", 118.0, "Dm", ["warm", "haunting"], 496),
    ("Lotte Bakker", "Grachten (Dub)", "Kettle Audio", "KTL-011", 120.1, "C", [], 400),
    ("Beatriz Oliveira", "Maré Alta", "Onda Discos", "OND-05", None, "9A", ["warm"], 8),
    ("Aoife Ní Bhriain", "Tidal Pull", "Lowtide", "LT 020", 126.0, "5A", ["dark"], 351),
)


def store_tracks(store: Store, entries: list[dict[str, Any]]) -> list[int]:
    """Store tracks (tag dicts; `path` may be given) as a scan would; return their ids."""
    rows = []
    for number, tags in enumerate(entries):
        values = {"format": "flac", "has_artwork": False, **tags}
        path = values.pop("path", f"/musique/{number:03d}.flac").encode()
        rows.append(track_row(path, 1_000_000 + number, 1, values))
    store.save_scanned(rows, [])
    known = store.known_files()
    return [known[row[0]].id for row in rows]


def library_entries() -> list[dict[str, Any]]:
    return [
        {
            "artist": artist,
            "title": title,
            "album": title,
            "label": label,
            "catalog_number": catno,
            "bpm": bpm,
            "key": key,
            "moods": moods,
            "duration": seconds,
            "year": 2020,
            "path": f"/musique/{artist}/{title}.flac",
        }
        for artist, title, label, catno, bpm, key, moods, seconds in LIBRARY
    ]


async def settle(pilot: Pilot[Any], rounds: int = 50) -> None:
    """Wait until no worker runs and the messages they posted are handled (bounded)."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            return
    raise AssertionError(f"workers still running after {rounds} rounds: {list(app.workers)}")


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Press the keys that type `text` (Textual names some characters)."""
    names = {" ": "space", "/": "slash", ":": "colon", "-": "minus", '"': "quotation_mark"}
    await pilot.press(*(names.get(char, char) for char in text))


def library_view(app: SetlistApp) -> LibraryView:
    return app.main_screen.query_one(LibraryView)


def table(app: SetlistApp) -> TrackTable:
    return app.main_screen.query_one(TrackTable)


def status(app: SetlistApp) -> str:
    return str(app.main_screen.query_one("#library-status").render())


def search_error(app: SetlistApp) -> str | None:
    """The error shown under the search box, or None when it is hidden."""
    line = app.main_screen.query_one("#library-error")
    return str(line.render()) if line.display else None


def screen_lines(app: App[Any]) -> list[str]:
    """The text of every line on the terminal, as the compositor draws it."""
    strips: list[Strip] = app.screen._compositor.render_strips()
    return [strip.text for strip in strips]


def table_titles(app: SetlistApp) -> list[str]:
    """Titles of the tracks in the table's order, from the database."""
    view = table(app)
    titles = {track.id: track.title for track in app.store.tracks()}
    return [titles[track_id] or "" for track_id in view.ids]


async def open_track_panel(pilot: Pilot[Any], *moves: str) -> str:
    """Move the cursor (`moves` are keys), press enter, and return the panel's text."""
    await pilot.press(*moves, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TrackPanel)
    return "\n".join(screen_lines(pilot.app))
