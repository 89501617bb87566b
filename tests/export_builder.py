"""Export contexts from real tracks in a real library, without the sets storage.

The tracks are stored as a scan stores them (`factories.add_track`), their notes through the
journal (`library.notes.store.save`), and each has a real file (a copy of a committed audio
fixture), so that exported locations can be checked to name it. `SetList` and the entries are
built directly. The defaults are hostile: markup, ANSI escapes, NULs, line breaks followed by
`#EXTINF`, formulas, XML, bidi overrides, and a file name that is not UTF-8.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from factories import add_track

from library.notes import store as notes_store
from library.notes.model import Cue, TrackNotes
from library.storage import Store
from setlist.exporters import ExportContext
from setlist.exporters.entries import load_entries
from setlist.models import SetEntry, SetList

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "audio" / "full.flac"
SET_NAME = "Vendredi [live] = Melkweg\n#EXTM3U"
VENUE = "De Mélkweg <Oude Zaal>"
DATE = dt.date(2026, 11, 27)

# title, artist, label, catalogue number, other tags; notes; the file name (bytes)
HOSTILE: list[tuple[dict[str, Any], TrackNotes, bytes]] = [
    (
        {"title": "Entrée à Métropolis", "artist": "Jëff Mills", "label": "Axis Récords",
         "catalog_number": "AX-022", "key": "Am", "bpm": 128.0, "duration": 185.0,
         "genre": "Techno", "album": "Métropolis"},
        TrackNotes(moods=["hanté", "late night"], energy=7, roles=["opener"], rating=4,
                   colour="pink", text="Builds from the bells.\nLet it breathe.",
                   cues=[Cue(at=65, text="the bells")]),
        "01 Entrée à Métropolis.flac".encode(),
    ),
    (
        {"title": "Tool\n#EXTINF:1,pwned\n/etc/passwd",
         "artist": "[bold red]Signal[/] \x1b[31mThéory\x1b[0m",
         "label": '=HYPERLINK("http://evil.example","click")', "catalog_number": "@SUM(A1)",
         "album": "<xml>&amp;</xml>", "genre": "+cmd|' /C calc'!A0", "key": "8A",
         "bpm": 126.0, "duration": 3500.0},
        TrackNotes(moods=["dark"], rating=0, colour="aqua",
                   text="<script>alert(1)</script> | `code` *bold* [link](http://evil.example)"
                        "\r\nline two\x00 end",
                   closing_note="-1+1"),
        b"02 Tool [Extended] #1.flac",
    ),
    (
        {"title": "\u202eevil\u202c Ni\x00ght", "artist": "-2+3", "label": None,
         "catalog_number": None, "key": "Fm", "bpm": 124.5, "duration": 241.0, "genre": None},
        TrackNotes(energy=9, roles=["peak", "closer"], rating=5, colour="purple"),
        b"03 caf\xe9 \xff.flac",
    ),
]  # fmt: skip


def hostile_tracks(store: Store, folder: Path) -> list[int]:
    """Store the HOSTILE tracks with real files in `folder` (a subfolder "música"); their ids."""
    music = os.path.join(os.fsencode(folder), "música".encode())
    os.makedirs(music, exist_ok=True)
    ids = []
    for tags, notes, name in HOSTILE:
        path = os.path.join(music, name)
        shutil.copyfile(FIXTURE, path)
        track_id = add_track(store, path=path, **tags)
        notes_store.save(store, track_id, notes)
        ids.append(track_id)
    return ids


def export_context(
    store: Store,
    track_ids: Sequence[int],
    *,
    name: str = SET_NAME,
    venue: str = VENUE,
    date: dt.date | None = DATE,
    description: str = "Warm-up \x1b[2Jto peak\nsecond line",
    transition_notes: Sequence[str] | None = None,
    transitions: Sequence[Mapping[str, Any] | None] | None = None,
    analysis: Mapping[str, Any] | None = None,
    relative_to: Path | None = None,
) -> ExportContext:
    """A set of `track_ids` in that order, loaded as `setlist export` will load it."""
    notes = transition_notes or [""] * len(track_ids)
    setlist = SetList(
        id=1,
        name=name,
        venue=venue,
        date=date,
        description=description,
        target_minutes=90,
        entries=[
            SetEntry(position=index, track_id=track_id, transition_note=note)
            for index, (track_id, note) in enumerate(zip(track_ids, notes, strict=True), 1)
        ],
    )
    entries = load_entries(store, setlist, transitions=transitions)
    return ExportContext(setlist, entries, analysis or {}, relative_to)


def readme_set(store: Store) -> ExportContext:
    """The set of the README's export examples (made-up paths: no files)."""
    first = add_track(
        store,
        path="/home/dj/Musique/Jëff Mills/01 Entrée à Métropolis.flac".encode(),
        duration=365.0,
        size=31_457_280,
    )
    notes_store.save(
        store,
        first,
        TrackNotes(moods=["hypnotic", "late night"], energy=6, roles=["opener"], rating=4,
                   colour="aqua", text="Let the bells ring out.", cues=[Cue(at=65, text="bells")]),
    )  # fmt: skip
    second = add_track(
        store,
        path=b"/home/dj/Musique/Kasimir Lund/Afterglow.mp3",
        title="Afterglow", artist="Kasimir Lund", label="Lowtide", catalog_number="LT 019",
        key="7A", bpm=118.0, duration=496.0, album="Afterglow EP", genre="House",
        format="mp3", codec="mp3", year=2019, size=11_904_000,
    )  # fmt: skip
    notes_store.save(store, second, TrackNotes(energy=8, roles=["peak"], rating=5))
    third = add_track(
        store,
        path=b"/home/dj/Musique/Signal Theory/Tool.mp3",
        title="Tool [Extended Mix] [/] <b>", artist="Signal Theory",
        label='=HYPERLINK("http://evil.example")', catalog_number="BR-001", key="6A",
        bpm=125.8, duration=351.0, format="mp3", codec="mp3", album=None, year=None,
        size=8_424_000,
    )  # fmt: skip
    return export_context(
        store,
        [first, second, third],
        name="Vendredi à la Melkweg",
        venue="De Melkweg",
        date=DATE,
        description="",
        transition_notes=["", "long blend over the breakdown", ""],
    )
