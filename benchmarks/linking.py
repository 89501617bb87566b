"""How long `setlist link auto` takes on a big library, and where the time goes.

    .venv/bin/python benchmarks/linking.py [--tracks N] [--releases R] [--repeat K]

Builds, in a temporary folder, a library of N tracks (default 50,000; stored as a scan
would, no audio) and R release entries (default 2,000, each with a 6-track tracklist).
Half the tracks carry the catalog number and label of a release (spelled another way), a
quarter only its album and artist, the rest nothing that matches. Prints, as medians of K
runs: the whole `link_auto` (dry run: read, match, no write) and a real run; the matching
alone; and title similarity alone, difflib's ratio against setlist's `similarity` (the same
Indel ratio computed by rapidfuzz), over the same pairs of titles.
"""

from __future__ import annotations

import argparse
import difflib
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from library.matching import best_position, link_auto, match_tracks, similarity, title_key
from library.releases.model import Release
from library.releases.store import ReleaseStore
from library.storage import Store, track_row

WORDS = ("Métropolis", "Nacht", "Spiral", "Dérive", "Kinetic", "Blau", "Øresund", "Pulse",
         "Tunnel", "Lumière", "Orbit", "Stahl", "Vapor", "Signal", "Échos", "Drift")  # fmt: skip
LABELS = ("Axis Records", "Tresor", "Kettle Audio", "Lowtide", "Svek", "Nordlicht")


def _name(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def build(folder: Path, tracks: int, releases: int) -> Store:
    rng = random.Random(7)
    store = Store(folder / "library.db")
    entries = []
    for n in range(releases):
        entries.append(
            Release.model_validate(
                {
                    "source": "discogs", "source_id": str(n + 1), "title": _name(rng, 2),
                    "artists": [f"Artist {n % 400}"],
                    "labels": [{"name": LABELS[n % 6].split()[0],
                                "catalog_number": f"CAT-{n:05d}"}],
                    "tracklist": [
                        {"position": f"{'AB'[i // 3]}{i % 3 + 1}", "title": _name(rng, 3),
                         "duration": 300 + i * 17}
                        for i in range(6)
                    ],
                }
            )
        )  # fmt: skip
    ReleaseStore(store).save(entries)
    rows = []
    for n in range(tracks):
        entry = entries[n % releases]
        track = entry.tracklist[n % 6]
        tags: dict[str, object] = {
            "format": "flac",
            "title": track.title,
            "duration": 301.0,
            "has_artwork": False,
        }
        if n % 4 < 2:
            tags |= {"label": LABELS[n % releases % 6], "catalog_number": f"cat {n % releases:05d}"}
        elif n % 4 == 2:
            tags |= {"album": entry.title, "artist": entry.artists[0]}
        else:
            tags |= {"album": _name(rng, 4), "artist": "Somebody Else"}
        rows.append(track_row(f"/music/{n}.flac".encode(), 1, 1, tags))
    store.save_scanned(rows, [])
    return store


def median(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tracks", type=int, default=50_000)
    parser.add_argument("--releases", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        store = build(Path(temp), args.tracks, args.releases)
        try:
            tracks, releases = store.tracks(), ReleaseStore(store).all()
            matches = match_tracks(tracks, releases)
            applied = sum(m.applied for m in matches)
            print(f"{len(tracks)} tracks, {len(releases)} releases: {len(matches)} matches, "
                  f"{applied} applied")  # fmt: skip
            rows = {
                "link auto --dry-run (read + match)": lambda: link_auto(store, dry_run=True),
                "link auto (read + match + write)": lambda: link_auto(store),
                "read tracks and releases": lambda: (store.tracks(), ReleaseStore(store).all()),
                "match_tracks alone": lambda: match_tracks(tracks, releases),
            }
            for name, run in rows.items():
                print(f"  {name:<40} {median(args.repeat, run):7.3f} s")
            by_id = {r.id: r for r in releases}
            pairs = [
                (title_key(t.title), title_key(entry.title))
                for m in matches[:5000]
                for t in [tracks[m.track_id - 1]]
                for entry in by_id[m.release_id].tracklist
            ]
            slow = median(
                args.repeat,
                lambda: [difflib.SequenceMatcher(None, a, b).ratio() for a, b in pairs],
            )
            fast = median(args.repeat, lambda: [similarity(a, b) for a, b in pairs])
            print(f"  {len(pairs)} title pairs, difflib ratio     {slow:7.3f} s")
            print(f"  {len(pairs)} title pairs, similarity()      {fast:7.3f} s  (rapidfuzz)")
            position_time = median(
                args.repeat,
                lambda: [best_position(tracks[m.track_id - 1], by_id[m.release_id])
                         for m in matches[:5000]],
            )  # fmt: skip
            print(f"  best_position, 5000 tracks           {position_time:7.3f} s")
        finally:
            store.close()


if __name__ == "__main__":
    main()
