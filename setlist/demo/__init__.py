"""The demo library: a small, tagged, multi-format collection built without any encoder.

`setlist demo` calls `build_demo(folder)`, which writes audio made from the loops in `media/`
(see `make_media.py`) and tags each file through `library.tags.write_tags`, the same atomic
writer the app uses. Full-length tracks come from repeating MP3 and WAV loops; the other
formats are one loop long. Artists, labels and titles are invented; one title carries
brackets and angle brackets on purpose, to show that tag text is displayed, never interpreted.

One real release is there too: Jeff Mills' Metropolis (Axis, AX-022), as facts only (artist,
title, label, catalog number, format, the note and the two matrix etchings, with their
U+0336 strokes). Three demo loops are tagged with its label and catalog number so that
`setlist demo` can link them to it; their titles say they are demo loops, not its tracks.
"""

from __future__ import annotations

import json
import shutil
import wave
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from library.tags import write_tags


@dataclass(frozen=True, slots=True)
class DemoTrack:
    """One invented track: its tags, the loop it is made of, and its length in minutes."""

    artist: str
    title: str
    loop: str
    minutes: float
    album: str
    label: str
    catalog_number: str
    key: str
    genre: str
    year: int
    moods: list[str] = field(default_factory=list)
    comment: str = ""


DEMO_TRACKS: tuple[DemoTrack, ...] = (
    DemoTrack("Nadia Okafor", "Copper Lines", "loop-122.mp3", 6.2, "Copper Lines EP",
              "Kettle Audio", "KTL-004", "Am", "Deep House", 2019, ["warm", "rolling"],
              "Good opener: long intro, no vocals."),
    DemoTrack("Teodor Vásquez", "Night Ferry", "loop-124.mp3", 6.8, "Harbour Lights",
              "Lowtide", "LT 012", "Em", "Deep House", 2021, ["hypnotic"]),
    DemoTrack("Mirela Dąbrowska", "Szkło", "loop-126.mp3", 7.1, "Szkło / Piasek",
              "Kettle Audio", "KTL-007", "G", "Techno", 2020, ["cold", "driving"]),
    DemoTrack("Jun Takeda", "階段 (Stairwell)", "loop-128.mp3", 6.5, "Concrete Garden",
              "Shibuya Tape Works", "STW-33", "Bm", "Techno", 2018, ["dark", "hypnotic"]),
    DemoTrack("Ødegaard & Sønner", "Fjord Engine", "loop-128.mp3", 7.4, "Fjord Engine",
              "Nordlys Plater", "NLP 101", "F#m", "Techno", 2022, ["driving", "peak"]),
    DemoTrack("Halima Yusuf", "Low Orbit", "loop-130.mp3", 6.0, "Low Orbit",
              "Axis-Adjacent", "AXA-9", "C#m", "Techno", 2023, ["haunting"],
              "Peak time; the break at 3:10 is long."),
    DemoTrack("Kasimir Lund", "Afterglow", "loop-118.mp3", 8.3, "Late Hours",
              "Lowtide", "LT 019", "Dm", "Ambient Techno", 2017, ["haunting", "warm"],
              "Closes a set: fades for two minutes."),
    DemoTrack("Signal Theory", "Tool [Extended Mix] [/] <b>", "loop-126.mp3", 5.9,
              "[bold]Warehouse[/] Tools", "Bracket Records", "[BR-001]", "Gm", "Techno", 2024,
              ["raw"], "Tag text is shown as written: [red]not red[/]."),
    DemoTrack("Lotte Bakker", "Grachten (Dub)", "loop-120.mp3", 6.6, "Grachten",
              "Kettle Audio", "KTL-011", "C", "Dub Techno", 2016, ["warm", "hypnotic"]),
    DemoTrack("Studio Rough", "Untitled Sketch 3", "loop-120.wav", 4.0, "Sketches",
              "White Label", "", "8A", "Techno", 2025, []),
    DemoTrack("Beatriz Oliveira", "Maré Alta (loop)", "loop-126.flac", 0, "Maré",
              "Onda Discos", "OND-05", "9A", "House", 2021, ["warm"]),
    DemoTrack("Kettle Audio Allstars", "Pan Stir (loop)", "loop-124.ogg", 0, "Kettle Sampler",
              "Kettle Audio", "KTL-000", "10A", "House", 2022, ["rolling"]),
    DemoTrack("Field Recordings", "Rain on Tin (loop)", "loop-100.opus", 0, "Weather",
              "Self-released", "", "", "Ambient", 2015, ["calm"]),
    DemoTrack("Sione Taufa", "Reef Signal (loop)", "loop-122.m4a", 0, "Reef",
              "Moana Audio", "MOA-3", "11B", "House", 2020, ["bright"]),
    DemoTrack("Aoife Ní Bhriain", "Tidal Pull (loop)", "loop-126.aiff", 0, "Tidal",
              "Lowtide", "LT 020", "5A", "Techno", 2019, ["dark"]),
    # Tagged to link to the Metropolis entry below (the titles are ours: demo loops).
    DemoTrack("Jeff Mills", "Metropolis (demo loop A1)", "loop-130.mp3", 0, "Metropolis",
              "Axis", "AX-022", "", "Techno", 2000, ["dark"]),
    DemoTrack("Jeff Mills", "Metropolis (demo loop B1)", "loop-126.flac", 0, "Metropolis",
              "Axis Records", "AX 022", "", "Techno", 2000, ["cold"]),
    DemoTrack("Jeff Mills", "Metropolis (demo loop B2)", "loop-124.ogg", 0, "Metropolis",
              "Axis", "AX-022", "", "Techno", 2000, ["hypnotic"]),
)  # fmt: skip

# The release entry, as `releases import` would store the seed page's facts, with a
# tracklist of the demo loops (A2 is not in the demo library) and reviews of our own.
DEMO_RELEASE: dict[str, object] = {
    "source": "discogs-page",
    "artists": ["Jeff Mills"],
    "artist_credit": "Jeff Mills",
    "title": "Metropolis",
    "labels": [{"name": "Axis", "catalog_number": "AX-022"}],
    "formats": [{"name": "Vinyl", "quantity": 1, "descriptions": ['12"', "33 ⅓ RPM"]}],
    "notes": "Inspired by Fritz Lang's Metropolis (1926).",
    "identifiers": [
        {"type": "Matrix / Runout", "description": "Runout side A",
         "value": "AX-021\u0336-A 022 MMM.J.R."},
        {"type": "Matrix / Runout", "description": "Runout side B",
         "value": "AX-0\u03362\u03361\u0336-B 022 MMM.J.R."},
    ],
    "tracklist": [
        {"position": "A1", "title": "Metropolis (demo loop A1)"},
        {"position": "A2", "title": "Metropolis (demo interlude)"},
        {"position": "B1", "title": "Metropolis (demo loop B1)"},
        {"position": "B2", "title": "Metropolis (demo loop B2)"},
    ],
    "reviews": [
        {"date": "2019-05-14",
         "text": "Cold, patient loops that never hurry. I keep the B side for the last half "
                 "hour of a night.\n\nThe pressing is quiet, and the etching in the runout "
                 "is a small joke of its own."},
        {"date": "2004-11-02",
         "text": "Heard it first live, under a screening of the film.\n\nOn the decks the A "
                 "side locks into almost anything near 130."},
    ],
    "review_count": 2,
}  # fmt: skip


def _media() -> Path:
    return Path(str(resources.files("setlist.demo") / "media"))


def _tempi() -> dict[str, float]:
    manifest: dict[str, float] = json.loads((_media() / "loops.json").read_text())
    return manifest


def _repeat_mp3(loop: Path, target: Path, minutes: float) -> None:
    """Whole loops back to back: the frames are self-contained, so this is a valid stream."""
    data = loop.read_bytes()
    seconds_per_loop = len(data) / 72 * 576 / 8000  # 72-byte frames of 576 samples at 8 kHz
    target.write_bytes(data * max(1, round(minutes * 60 / seconds_per_loop)))


def _repeat_wav(loop: Path, target: Path, minutes: float) -> None:
    """PCM samples repeated exactly, with a correct header."""
    with wave.open(str(loop), "rb") as source:
        params = source.getparams()
        frames = source.readframes(params.nframes)
    repeats = max(1, round(minutes * 60 * params.framerate / params.nframes))
    with wave.open(str(target), "wb") as out:
        out.setparams(params)
        for _ in range(repeats):
            out.writeframes(frames)


def _safe_name(text: str) -> str:
    """A file name from tag text: path separators and characters Windows refuses replaced."""
    return "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in text).strip()


def build_demo(folder: Path) -> Path:
    """Write the demo tracks under `folder/music` (once) and return that music folder."""
    music = folder / "music"
    tempi = _tempi()
    media = _media()
    for track in DEMO_TRACKS:
        ext = Path(track.loop).suffix
        target = music / _safe_name(track.artist) / f"{_safe_name(track.title)}{ext}"
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.stem}.partial{ext}")  # hidden: scans skip it
        if ext == ".mp3" and track.minutes:
            _repeat_mp3(media / track.loop, partial, track.minutes)
        elif ext == ".wav" and track.minutes:
            _repeat_wav(media / track.loop, partial, track.minutes)
        else:
            shutil.copyfile(media / track.loop, partial)
        write_tags(
            partial,
            {
                "title": track.title,
                "artist": track.artist,
                "album": track.album,
                "album_artist": track.artist,
                "label": track.label or None,
                "catalog_number": track.catalog_number or None,
                "bpm": tempi[track.loop],
                "key": track.key or None,
                "genre": track.genre,
                "year": track.year,
                "moods": track.moods,
                "comment": track.comment or None,
            },
        )
        partial.rename(target)
    return music
