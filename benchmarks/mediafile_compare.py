"""Should setlist's tag table be built on beets' `mediafile`? Speed and correctness, measured.

Run: `.venv/bin/python benchmarks/mediafile_compare.py [--files N] [--repeat R] [--details]`.

Issue 2 says: build on `mediafile` if it is correct on the corpus and fast enough in the
benchmark, otherwise write the table ourselves. This script gathers both halves of that
answer in one run:

* speed: `MediaFile(p)` plus reading the fields setlist stores, against setlist's own
  `read_tag_values`, over the benchmark library of `scan.py` (same files, same process,
  interleaved runs, median), with the bare `mutagen.File` loop as the common baseline;
* correctness: both readers against the known values of the committed fixtures (canonical
  tags, other tools' aliases, RIFF INFO, ID3v2.3), and against each other on the real-world
  corpus in `../shared/corpus/audio/tinytag/` (who raises, who finds a value the other misses,
  who reads a different value). `--details` lists every disagreement, for a human to judge.

`mediafile` is not a dependency of setlist; without it the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import mutagen
from bench_library import FIXTURES, ROOT, WORK, Track, build_library, plan
from mediafile_reader import ATTRIBUTES, MISSING_FIELDS, available, read_with_mediafile

from library.errors import TagReadError
from library.formats import audio_extension
from library.tags import read_tag_values

CORPUS = ROOT.parent / "shared" / "corpus" / "audio" / "tinytag"
COMPARED = (*ATTRIBUTES, *MISSING_FIELDS, "has_artwork")
# What a field reads as when a fixture does not carry it (None for every other field).
EMPTY: dict[str, Any] = {"has_artwork": False}


def _fixture_constants() -> Any:
    """The values `make_fixtures.py` wrote, from the script itself (one source of truth)."""
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expected_fixtures() -> dict[str, dict[str, Any]]:
    """What a correct reader returns for each fixture; fields not named must be empty."""
    f = _fixture_constants()
    full = {
        "title": f.TITLE, "artist": f.ARTIST, "album": f.ALBUM, "album_artist": f.ALBUM_ARTIST,
        "track_number": 3, "disc_number": 1, "year": 2000, "genre": f.GENRE, "label": f.LABEL,
        "catalog_number": f.CATNO, "bpm": 128.0, "key": "Am", "comment": f.COMMENT,
        "isrc": f.ISRC, "discogs_release_id": f.DISCOGS_ID, "musicbrainz_album_id": f.MB_ALBUM,
        "musicbrainz_track_id": f.MB_TRACK, "has_artwork": True,
    }  # fmt: skip
    common = {"title": f.TITLE, "artist": f.ARTIST, "label": f.LABEL, "catalog_number": f.CATNO,
              "bpm": 127.5, "discogs_release_id": f.DISCOGS_ID}  # fmt: skip
    alias_id3 = {**common, "key": "8A - 6", "musicbrainz_album_id": f.MB_ALBUM,
                 "musicbrainz_track_id": f.MB_TRACK}  # fmt: skip
    alias_vorbis = {**common, "key": "A minor", "comment": f.COMMENT, "track_number": 3}
    alias_mp4 = {**common, "key": "8A", "musicbrainz_album_id": f.MB_ALBUM}
    expected: dict[str, dict[str, Any]] = {}
    for ext in ("mp3", "flac", "ogg", "opus", "m4a", "wav", "aiff", "wma"):
        expected[f"full.{ext}"] = full
    for ext in ("mp3", "wav", "aiff"):
        expected[f"alias.{ext}"] = alias_id3
    for ext in ("flac", "ogg", "opus"):
        expected[f"alias.{ext}"] = alias_vorbis
    expected["alias.m4a"] = alias_mp4
    expected["v23.mp3"] = full
    expected["riff-info.wav"] = {
        "title": f.TITLE, "artist": f.ARTIST, "album": f.ALBUM, "genre": f.GENRE,
        "comment": f.COMMENT, "year": 2000, "track_number": 3,
    }  # fmt: skip
    return expected


def same(a: Any, b: Any) -> bool:
    """Equal as setlist would store them: numbers numerically, text stripped."""
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), abs_tol=1e-6)
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    return bool(a == b)


def ours(path: str) -> dict[str, Any]:
    """setlist's reader; raises TagReadError."""
    return read_tag_values(path)


Reader = Callable[[str], dict[str, Any]]


def try_read(reader: Reader, path: str) -> dict[str, Any] | str:
    """The values, or the reason the reader failed (any exception: mediafile raises its own)."""
    try:
        return reader(path)
    except TagReadError as error:
        return error.reason
    except Exception as error:  # noqa: BLE001 - counting mediafile's failures is the point
        return f"{type(error).__name__}: {error}"


def check_fixtures(details: bool) -> None:
    """Both readers against the values the fixtures were written with."""
    wrong: Counter[str] = Counter()
    print("\nfixtures: fields wrong or missing, per reader (expected values from make_fixtures)")
    for name, expected in expected_fixtures().items():
        path = str(FIXTURES / name)
        results = {
            "setlist": try_read(ours, path),
            "mediafile": try_read(read_with_mediafile, path),
        }
        for reader, got in results.items():
            if isinstance(got, str):
                wrong[reader] += len(COMPARED)
                print(f"  {name}: {reader} failed: {got}")
                continue
            want = {field: expected.get(field, EMPTY.get(field)) for field in COMPARED}
            bad = [
                f"{field}={got.get(field)!r} (want {want[field]!r})"
                for field in COMPARED
                if not same(got.get(field), want[field])
            ]
            wrong[reader] += len(bad)
            if bad and (details or reader == "setlist"):
                print(f"  {name}: {reader}: {'; '.join(bad)}")
            elif bad:
                names = ", ".join(entry.split("=")[0] for entry in bad)
                print(f"  {name}: {reader}: {len(bad)} wrong: {names}")
    total = len(expected_fixtures()) * len(COMPARED)
    print(f"  => wrong or missing of {total} checked values: setlist {wrong['setlist']}, "
          f"mediafile {wrong['mediafile']}")  # fmt: skip


def library_truth(track: Track, ext: str) -> dict[str, Any]:
    """What `scan.py` wrote into one benchmark file (see its `plan` and tag writers)."""
    if track.style == "none":
        return {}
    truth: dict[str, Any] = {"title": track.title, "artist": track.artist}
    if track.style == "sparse":
        return truth
    bpm = float(track.bpm)
    if ext == "m4a" and track.style == "canonical":
        bpm = float(round(bpm))  # the tmpo atom holds an integer
    truth.update(
        album=track.album, album_artist=track.artist, track_number=track.track, year=track.year,
        genre=track.genre, label=track.label, catalog_number=track.catno, bpm=bpm, key=track.key,
    )  # fmt: skip
    return truth


def check_library(count: int) -> None:
    """Both readers against what `scan.py` wrote: canonical keys, aliases, decimal BPMs."""
    entries = plan(count)
    fields = ("title", "artist", "album", "album_artist", "track_number", "year", "genre",
              "label", "catalog_number", "bpm", "key")  # fmt: skip
    right: dict[str, Counter[str]] = {"setlist": Counter(), "mediafile": Counter()}
    checked: Counter[str] = Counter()
    for relative, ext, track in entries:
        path = str(WORK / f"library-{count}" / relative)
        truth = library_truth(track, ext)
        for reader, function in (("setlist", ours), ("mediafile", read_with_mediafile)):
            got = try_read(function, path)
            for field in fields:
                if reader == "setlist":
                    checked[field] += 1
                value = None if isinstance(got, str) else got.get(field)
                right[reader][field] += same(value, truth.get(field))
    print(f"\nbenchmark library: {count} files, values right per field (of {len(entries)})")
    print(f"  {'field':16} {'setlist':>8} {'mediafile':>10}")
    for field in fields:
        print(f"  {field:16} {right['setlist'][field]:8} {right['mediafile'][field]:10}")
    total = sum(checked.values())
    print(f"  => wrong or missing of {total}: setlist {total - right['setlist'].total()}, "
          f"mediafile {total - right['mediafile'].total()}")  # fmt: skip


def check_corpus(details: bool) -> None:
    """Both readers on real-world files; every disagreement counted, listed with --details."""
    if not CORPUS.is_dir():
        print(f"\ncorpus: {CORPUS} not present, skipped")
        return
    files = sorted(str(p) for p in CORPUS.iterdir() if p.is_file() and audio_extension(p.name))
    outcome: Counter[str] = Counter()
    fields: dict[str, Counter[str]] = {field: Counter() for field in COMPARED}
    notes: list[str] = []
    for path in files:
        name = Path(path).name
        mine, theirs = try_read(ours, path), try_read(read_with_mediafile, path)
        if isinstance(mine, str) or isinstance(theirs, str):
            kind = {
                (True, True): "both fail",
                (True, False): "only setlist fails",
                (False, True): "only mediafile fails",
            }[(isinstance(mine, str), isinstance(theirs, str))]
            outcome[kind] += 1
            notes.append(f"  {name}: {kind}: setlist={_short(mine)} mediafile={_short(theirs)}")
            continue
        outcome["both read"] += 1
        for field in COMPARED:
            a, b = mine.get(field), theirs.get(field)
            empty_a, empty_b = a in (None, False, []), b in (None, False, [])
            if empty_a and empty_b:
                continue
            if same(a, b):
                fields[field]["agree"] += 1
                continue
            kind = "only setlist" if empty_b else "only mediafile" if empty_a else "differ"
            fields[field][kind] += 1
            notes.append(f"  {name}: {field}: {kind}: setlist={a!r} mediafile={b!r}")
    print(f"\ncorpus: {len(files)} files with an audio extension in {CORPUS}")
    print("  " + ", ".join(f"{kind}: {count}" for kind, count in sorted(outcome.items())))
    print(f"  {'field':22} {'agree':>6} {'only setlist':>13} {'only mediafile':>15} {'differ':>7}")
    for field, counts in fields.items():
        print(f"  {field:22} {counts['agree']:6} {counts['only setlist']:13} "
              f"{counts['only mediafile']:15} {counts['differ']:7}")  # fmt: skip
    if details:
        print("\n".join(notes))
    else:
        print("  (--details lists each disagreement)")


def _short(value: dict[str, Any] | str) -> str:
    return "read" if isinstance(value, dict) else repr(value[:80])


def check_speed(count: int, repeat: int) -> None:
    """Median seconds of each reader over the benchmark library, runs interleaved."""
    _folder, paths = build_library(count)

    def loop(reader: Callable[[str], object]) -> Callable[[], None]:
        def run() -> None:
            for path in paths:
                reader(path)

        return run

    loops = {
        "mutagen.File() (baseline)": loop(mutagen.File),
        "setlist read_tag_values()": loop(read_tag_values),
        "MediaFile() + fields": loop(read_with_mediafile),
    }
    times: dict[str, list[float]] = {name: [] for name in loops}
    for run in loops.values():  # warm-up: page cache and every format module imported
        run()
    for _ in range(repeat):
        for name, run in loops.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["mutagen.File() (baseline)"])
    mine = statistics.median(times["setlist read_tag_values()"])
    print(f"speed: {count} files of scan.py's library, one process, median of {repeat} "
          "interleaved runs, warm cache")  # fmt: skip
    for name, values in times.items():
        seconds = statistics.median(values)
        print(f"  {name:28} {seconds:7.3f} s  {seconds / base:5.2f}x baseline  "
              f"{seconds / mine:5.2f}x setlist  {seconds / count * 1e6:6.0f} us/file")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison; exit 0 whatever it finds (it informs a decision, it is no test)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=2000, help="benchmark files (default 2000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per reader (default 5)")
    parser.add_argument("--details", action="store_true", help="list every disagreement")
    options = parser.parse_args(argv)
    if not available():
        print("mediafile is not installed; skipped (.venv/bin/pip install mediafile to run it)")
        return 0
    check_speed(options.files, options.repeat)
    check_library(options.files)
    check_fixtures(options.details)
    check_corpus(options.details)
    return 0


if __name__ == "__main__":
    sys.exit(main())
