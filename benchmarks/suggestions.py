"""How long `setlist sets suggest` takes on a big library, and what the SQL narrowing saves.

    .venv/bin/python benchmarks/suggestions.py [--tracks N] [--repeat K]

Builds, in a temporary folder, a library of N tracks (default 50,000; stored as a scan would,
no audio): keys spread over the whole wheel (one in twenty unknown), BPMs from 118 to 142
with one in ten drum & bass around 172, lengths of 4 to 9 minutes; a fifth of them noted
(energy, two moods of twelve, a role). A set of 20 of them with a 120-minute target.

Prints how many candidates `suggest` read (they come best score bound first, and reading
stops once nothing left can beat the ten found), whether its ten are those ranking every
track of the narrow query gives, and, as medians of K runs: `suggest` at the end of the set,
in its middle and for an empty set; reading and ranking every track of the library (the
baseline: what the SQL saves); and the whole command as a real process (`setlist sets
suggest`, with Python's start-up).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from linking import median

from library.keys import Camelot
from library.notes import store as notes_store
from library.notes.values import EMPTY_NOTES, ROLES
from library.set_candidates import candidates
from library.set_store import SetStore
from library.storage import Store, track_row
from setlist.sets import load
from setlist.suggestions import (
    from_candidate,
    mixing_keys,
    place_in,
    rank,
    suggest,
    tempo_windows,
)

MOODS = ("hanté", "late night", "driving", "warm", "cold", "hypnotic", "euphoric", "dark",
         "dubby", "broken", "mélancolique", "tribal")  # fmt: skip
KEYS = [str(Camelot(n, letter)) for n in range(1, 13) for letter in "AB"]


def build(folder: Path, count: int) -> Store:
    """The library and the set "Bench" (its first 20 tracks in the 8A-10A, 124-128 range)."""
    rng = random.Random(5)
    store = Store(folder / "library.db")
    rows = []
    for n in range(count):
        bpm = rng.uniform(168, 176) if n % 10 == 9 else rng.uniform(118, 142)
        tags: dict[str, object] = {
            "format": "flac",
            "title": f"Titre {n}",
            "artist": f"Artiste {n % 3000}",
            "key": None if n % 20 == 19 else rng.choice(KEYS),
            "bpm": round(bpm, 1),
            "duration": rng.uniform(240, 540),
            "has_artwork": False,
        }
        rows.append(track_row(f"/musique/{n}.flac".encode(), 1, 1, tags))
    store.save_scanned(rows, [])
    noted = []
    for track_id in range(1, count + 1, 5):
        content = {**EMPTY_NOTES, "moods": sorted(rng.sample(MOODS, 2)),
                   "energy": rng.randint(1, 10), "roles": [rng.choice(ROLES)]}  # fmt: skip
        noted.append((track_id, content, None, 1))
    with store.transaction() as connection:
        notes_store.write_versions(connection, noted, "bench")
    picked = [
        t.id
        for t in store.tracks("camelot IN ('8A', '9A', '10A') AND bpm BETWEEN 124 AND 128")[:20]
    ]
    SetStore(store).create("Bench", target_minutes=120, track_ids=picked)
    SetStore(store).create("Vide", target_minutes=120)
    return store


def reads(run: Callable[[], object]) -> int:
    """How many candidate rows `run` read from the library."""
    import library.set_candidates as module

    counted = [0]
    original = module.candidates

    def counting(*args: Any, **kwargs: Any) -> list[module.CandidateRow]:
        rows = original(*args, **kwargs)
        counted[0] += len(rows)
        return rows

    module.candidates = counting
    try:
        run()
    finally:
        module.candidates = original
    return counted[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tracks", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        started = time.perf_counter()
        store = build(Path(temp), args.tracks)
        print(f"{args.tracks} tracks built in {time.perf_counter() - started:.1f} s")
        try:
            bench, empty = load(store, "Bench"), load(store, "Vide")
            everything = [from_candidate(row) for row in candidates(store)]
            last = next(t for t in everything if t.track_id == bench.entries[-1].track_id)
            assert last.key is not None and last.bpm is not None
            narrow = candidates(
                store, keys=mixing_keys(last.key), bpm_ranges=tempo_windows(last.bpm),
                exclude_set=bench.id,
            )  # fmt: skip
            read = reads(lambda: suggest(store, bench))
            print(
                f"  after {last.camelot} at {last.bpm} BPM, {len(narrow)} of {len(everything)} "
                f"tracks are in a key that mixes and a tempo window; suggest read {read} of them"
            )
            # What reading only those costs in quality: the top 10 against ranking them all.
            place = place_in(store, bench)
            best = [s.track.track_id for s in suggest(store, bench)]
            exact = [s.track.track_id for s in rank([from_candidate(r) for r in narrow], place, 10)]
            same = "the same" if best == exact else f"NOT the same ({best} != {exact})"
            print(f"  its top 10 and ranking all {len(narrow)}: {same}")
            middle = reads(lambda: suggest(store, bench, after=10))
            opening = reads(lambda: suggest(store, empty))
            print(f"  suggest after #10 read {middle}, for an empty set {opening} candidates")
            rows: dict[str, Callable[[], object]] = {
                "suggest at the end (narrowed in SQL)": lambda: suggest(store, bench),
                "suggest after #10 (two neighbours)": lambda: suggest(store, bench, after=10),
                "suggest for an empty set (openers)": lambda: suggest(store, empty),
                "baseline: read every track": lambda: candidates(store),
                "baseline: rank every track": lambda: rank(everything, place, 10),
            }
            for name, run in rows.items():
                print(f"  {name:<40} {median(args.repeat, run) * 1000:8.1f} ms")
            program = [sys.executable, "-c", "from setlist.cli import main; main()"]
            command = [*program, "--db", str(Path(temp) / "library.db"), "sets", "suggest", "Bench"]
            whole = median(
                args.repeat, lambda: subprocess.run(command, check=True, capture_output=True)
            )
            print(f"  {'setlist sets suggest (a real process)':<40} {whole * 1000:8.1f} ms")
        finally:
            store.close()


if __name__ == "__main__":
    main()
