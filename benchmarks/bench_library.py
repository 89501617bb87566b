"""The benchmark's music library: N tagged files in eight formats, built once and reused.

Copies of `tests/fixtures/audio/full.*` and `untagged.*`, each retagged with mutagen directly
(a benchmark may import mutagen: it measures setlist against it) with its own title, artist,
album, label, catalog number, BPM and key, some in the spellings other tools write.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutagen.aiff import AIFF
from mutagen.asf import ASF
from mutagen.flac import FLAC
from mutagen.id3 import TALB, TBPM, TCON, TDRC, TIT2, TKEY, TPE1, TPE2, TPUB, TRCK, TXXX
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, MP4FreeForm
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "audio"
WORK = ROOT / "benchmarks" / ".work"
FORMATS = ("mp3", "flac", "ogg", "opus", "m4a", "wav", "aiff", "wma")
# Bump when the builder changes, so a library built by an older version is rebuilt.
BUILD_VERSION = 1
FF = "----:com.apple.iTunes:"

FIRST = ("Jëff", "Ellen", "Dåve", "Süsanne", "Kōji", "Ørjan", "Nina", "Robert", "Ana", "Çağrı")
LAST = ("Mills", "Allien", "Clarke", "Hood", "Kraviz", "Beyer", "Nielsen", "Hoffmann", "Ōta")
WORDS = ("Métropolis", "Nacht", "Spiral", "Dérive", "Kinetic", "Blau", "Øresund", "Pulse",
         "Tunnel", "Lumière", "Orbit", "Stahl", "Vapor", "Signal", "Échos", "Drift")  # fmt: skip
LABELS = (("Axis Récords", "AX"), ("Tresor", "TRESOR"), ("Kompakt", "KOMPAKT"),
          ("Ostgut Tön", "O-TON"), ("Drumcode", "DC"), ("Mute", "STUMM"), ("Warp", "WAP"),
          ("Kløver", "KLV"), ("Dekmantel", "DKMNTL"), ("Innervisions", "IV"))  # fmt: skip
KEYS = ("Am", "8A", "F#m", "Dbmaj", "11B", "A minor", "Ebm", "5A", "C", "1d", "G♯m", "10B")
GENRES = ("Techno", "House", "Électro", "Ambient", "Dub Techno", "Minimal")


@dataclass(frozen=True, slots=True)
class Track:
    """The varied facts written into one benchmark file."""

    title: str
    artist: str
    album: str
    year: int
    track: int
    genre: str
    label: str
    catno: str
    bpm: str
    key: str
    style: str  # "canonical", "alias" (other tools' keys), "sparse" (title/artist), "none"


def plan(count: int) -> list[tuple[Path, str, Track]]:
    """Where each file goes and what it holds: artist/year - album/nn title.ext, formats mixed."""
    rng = random.Random(count)
    entries: list[tuple[Path, str, Track]] = []
    index = 0
    while len(entries) < count:
        artist = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        for _album in range(rng.randint(1, 4)):
            album = f"{rng.choice(WORDS)} {rng.choice(WORDS)}"
            year = rng.randint(1991, 2024)
            label, prefix = rng.choice(LABELS)
            catno = f"{prefix}-{rng.randint(1, 299):03d}"
            for number in range(1, rng.randint(4, 14)):
                if len(entries) == count:
                    break
                ext = FORMATS[index % len(FORMATS)]
                style = ("canonical", "alias", "canonical", "sparse")[index % 4]
                if index % 40 == 39:
                    style = "none"
                bpm = rng.randint(110, 142)
                track = Track(
                    title=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {index}",
                    artist=artist,
                    album=album,
                    year=year,
                    track=number,
                    genre=rng.choice(GENRES),
                    label=label,
                    catno=catno,
                    bpm=f"{bpm}.5" if index % 3 == 0 else str(bpm),
                    key=rng.choice(KEYS),
                    style=style,
                )
                folder = Path(artist) / f"{year} - {album}"
                entries.append((folder / f"{number:02d} {track.title}.{ext}", ext, track))
                index += 1
    return entries


def _tag_id3(audio: Any, t: Track) -> None:
    if audio.tags is None:
        audio.add_tags()
    tags = audio.tags
    tags.setall("TIT2", [TIT2(encoding=3, text=t.title)])
    tags.setall("TPE1", [TPE1(encoding=3, text=t.artist)])
    if t.style == "sparse":
        return
    tags.setall("TALB", [TALB(encoding=3, text=t.album)])
    tags.setall("TPE2", [TPE2(encoding=3, text=t.artist)])
    tags.setall("TRCK", [TRCK(encoding=3, text=str(t.track))])
    tags.setall("TDRC", [TDRC(encoding=3, text=str(t.year))])
    tags.setall("TCON", [TCON(encoding=3, text=t.genre)])
    for frame in ("TPUB", "TBPM", "TKEY", "TXXX:CATALOGNUMBER"):
        tags.delall(frame)
    if t.style == "alias":  # Mixed In Key, Serato and Discogs taggers
        tags.add(TXXX(encoding=3, desc="LABEL", text=t.label))
        tags.add(TXXX(encoding=3, desc="Catalog #", text=t.catno))
        tags.add(TXXX(encoding=3, desc="BPM", text=t.bpm))
        tags.add(TXXX(encoding=3, desc="initialkey", text=t.key))
    else:
        tags.add(TPUB(encoding=3, text=t.label))
        tags.add(TXXX(encoding=3, desc="CATALOGNUMBER", text=t.catno))
        tags.add(TBPM(encoding=3, text=t.bpm))
        tags.add(TKEY(encoding=3, text=t.key))


def _tag_vorbis(audio: Any, t: Track) -> None:
    if audio.tags is None:
        audio.add_tags()
    audio["TITLE"], audio["ARTIST"] = [t.title], [t.artist]
    if t.style == "sparse":
        return
    audio["ALBUM"], audio["ALBUMARTIST"] = [t.album], [t.artist]
    audio["TRACKNUMBER"], audio["DATE"], audio["GENRE"] = [str(t.track)], [str(t.year)], [t.genre]
    for key in ("LABEL", "CATALOGNUMBER", "BPM", "INITIALKEY"):
        if key in audio:
            del audio[key]
    if t.style == "alias":
        audio["ORGANIZATION"], audio["CATALOG #"] = [t.label], [t.catno]
        audio["TEMPO"], audio["KEY"] = [t.bpm], [t.key]
    else:
        audio["LABEL"], audio["CATALOGNUMBER"] = [t.label], [t.catno]
        audio["BPM"], audio["INITIALKEY"] = [t.bpm], [t.key]


def _tag_mp4(audio: Any, t: Track) -> None:
    if audio.tags is None:
        audio.add_tags()
    tags = audio.tags
    tags["\xa9nam"], tags["\xa9ART"] = [t.title], [t.artist]
    if t.style == "sparse":
        return
    tags["\xa9alb"], tags["aART"], tags["\xa9gen"] = [t.album], [t.artist], [t.genre]
    tags["trkn"], tags["\xa9day"] = [(t.track, 0)], [str(t.year)]
    for key in (f"{FF}LABEL", f"{FF}CATALOGNUMBER", "tmpo", f"{FF}initialkey"):
        if key in tags:
            del tags[key]

    def ff(text: str) -> list[MP4FreeForm]:
        return [MP4FreeForm(text.encode("utf-8"))]

    if t.style == "alias":  # freeform text BPM keeps the decimals tmpo cannot hold
        tags[f"{FF}PUBLISHER"], tags[f"{FF}CATALOG NUMBER"] = ff(t.label), ff(t.catno)
        tags[f"{FF}BPM"], tags[f"{FF}KEY"] = ff(t.bpm), ff(t.key)
    else:
        tags[f"{FF}LABEL"], tags[f"{FF}CATALOGNUMBER"] = ff(t.label), ff(t.catno)
        tags["tmpo"], tags[f"{FF}initialkey"] = [round(float(t.bpm))], ff(t.key)


def _tag_asf(audio: Any, t: Track) -> None:
    tags = audio.tags
    tags["Title"], tags["Author"] = [t.title], [t.artist]
    if t.style == "sparse":
        return
    tags["WM/AlbumTitle"], tags["WM/AlbumArtist"] = [t.album], [t.artist]
    tags["WM/TrackNumber"], tags["WM/Year"], tags["WM/Genre"] = (
        [str(t.track)],
        [str(t.year)],
        [t.genre],
    )
    for key in ("WM/Publisher", "WM/CatalogNo", "WM/BeatsPerMinute", "WM/InitialKey"):
        if key in tags:
            del tags[key]
    if t.style == "alias":
        tags["LABEL"], tags["CATALOGNUMBER"], tags["BPM"], tags["KEY"] = (
            [t.label], [t.catno], [t.bpm], [t.key],
        )  # fmt: skip
    else:
        tags["WM/Publisher"], tags["WM/CatalogNo"] = [t.label], [t.catno]
        tags["WM/BeatsPerMinute"], tags["WM/InitialKey"] = [t.bpm], [t.key]


_WRITERS: dict[str, tuple[Callable[[Any], Any], Callable[[Any, Track], None]]] = {
    "mp3": (MP3, _tag_id3), "wav": (WAVE, _tag_id3), "aiff": (AIFF, _tag_id3),
    "flac": (FLAC, _tag_vorbis), "ogg": (OggVorbis, _tag_vorbis), "opus": (OggOpus, _tag_vorbis),
    "m4a": (MP4, _tag_mp4), "wma": (ASF, _tag_asf),
}  # fmt: skip


def _stamp(count: int) -> dict[str, Any]:
    """What a built library depends on: N, the builder, and the fixtures it copies."""
    sources = sorted(FIXTURES.glob("full.*")) + sorted(FIXTURES.glob("untagged.*"))
    return {
        "version": BUILD_VERSION,
        "files": count,
        "fixtures": {p.name: [p.stat().st_size, p.stat().st_mtime_ns] for p in sources},
    }


def build_library(count: int) -> tuple[Path, list[str]]:
    """The benchmark library with `count` files, built now or reused from an earlier run."""
    folder = WORK / f"library-{count}"
    stamp_file = WORK / f"library-{count}.json"
    entries = plan(count)
    paths = [str(folder / relative) for relative, _ext, _track in entries]
    stamp = _stamp(count)
    built = stamp_file.exists() and json.loads(stamp_file.read_text()) == stamp
    if built and all(os.path.exists(p) for p in paths):
        return folder, paths
    print(f"building {count} tagged files in {folder} ...", flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    stamp_file.unlink(missing_ok=True)
    for (_relative, ext, track), path in zip(entries, paths, strict=True):
        source = "untagged" if track.style in ("sparse", "none") else "full"
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / f"{source}.{ext}", path)
        if track.style != "none":
            cls, write = _WRITERS[ext]
            audio = cls(path)
            write(audio, track)
            audio.save()
    stamp_file.write_text(json.dumps(stamp))
    return folder, paths
