"""Benchmark the app on a 50,000-track library (issue 6, "Speed at 50,000 tracks").

Run: `.venv/bin/python benchmarks/tui.py [--tracks N] [--rounds R]` (or `make bench-tui`).

The library is generated straight into SQLite through `Store.save_scanned` (no audio files:
only the database matters here) and kept under `benchmarks/.work/` while N and the builder
are unchanged. Each round runs the app in a fresh process inside a pseudo-terminal, with its
real terminal driver: every frame is composed, encoded and written as in use (the terminal
emulator's own drawing is all that is left out). The app drives itself (`auto_pilot`) and
times, by hooks on its own drawing:

- first paint: from the moment the process is spawned (interpreter start and imports
  included) to the first frame written with the first tracks on screen;
- a keystroke in the search box (the app idle before it) to the frame showing the new
  results, for each key of a word typed and erased letter by letter and for whole
  queries as a paste brings them;
- a page down to the frame showing the next page's rows, and the work it cost (CPU time of
  every thread: the key, fetching rows, composing and writing the frame); the wall figure
  also holds the wait for Textual's next frame (60 per second), which is not ours to
  shorten;
- peak memory (the process's maximum resident set) after all of that, and what is resident
  at the end by kind: the process's own memory, and files mapped (mostly the library file,
  which each thread's SQLite connection maps and which counts once per connection).

Figures are medians over rounds (and over keys within a round, with the worst shown). The
script always exits 0: it reports against the targets, it does not judge, and no test
asserts on timing.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import random
import select
import statistics
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
BUILD_VERSION = 4  # bump when the generated library changes
SIZE = (120, 40)
TARGETS = {"first_paint": 1000.0, "keystroke": 50.0, "page": 16.0, "memory": 250.0}

FIRST = ("Jëff", "Ellen", "Dåve", "Süsanne", "Kōji", "Ørjan", "Nina", "Robert", "Ana", "Çağrı")
LAST = ("Mills", "Allien", "Clarke", "Hood", "Kraviz", "Beyer", "Nielsen", "Hoffmann", "Ōta")
WORDS = ("Métropolis", "Nacht", "Spiral", "Dérive", "Kinetic", "Blau", "Øresund", "Pulse",
         "Tunnel", "Lumière", "Orbit", "Stahl", "Vapor", "Signal", "Échos", "Drift")  # fmt: skip
LABELS = ("Axis Récords", "Tresor", "Kompakt", "Ostgut Tön", "Drumcode", "Mute", "Warp")
KEYS = ("Am", "8A", "F#m", "Dbmaj", "11B", "Ebm", "5A", "C", "1d", "G♯m", "10B", "Em")
MOODS = ("dark", "warm", "hypnotic", "driving", "hanté", "peak", "cold")
TYPED = "nacht"  # typed letter by letter, then erased
PASTED = ("bpm:125..130", "key:~8A", "label:tresor -nacht", "mills orbit", "")
PAGES = 20


# -- the library -------------------------------------------------------------------------------


def build_database(count: int) -> Path:
    """A library of `count` generated tracks, built once and reused."""
    from library.storage import Store, track_row

    path = WORK / f"tui-{count}-v{BUILD_VERSION}.db"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for stale in WORK.glob(f"{partial.name}*"):
        stale.unlink()
    rng = random.Random(count)
    store = Store(partial)
    rows = []
    for number in range(count):
        label = rng.choice(LABELS)
        tags: dict[str, Any] = {
            "format": rng.choice(("mp3", "flac", "m4a", "wav", "aiff")),
            "title": f"{rng.choice(WORDS)} {rng.choice(WORDS)} {number}",
            "artist": f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.randint(1, 400)}",
            "album": f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
            "label": label,
            "catalog_number": f"{label[:3].upper()}-{rng.randint(1, 999):03d}",
            "bpm": round(rng.uniform(90, 145), rng.choice((0, 1))),
            "key": rng.choice(KEYS),
            "year": rng.randint(1990, 2025),
            "moods": rng.sample(MOODS, rng.randint(0, 3)),
            "duration": rng.uniform(180, 600),
            "has_artwork": False,
        }
        rows.append(track_row(f"/musique/{number // 500}/{number}.flac".encode(), 1, 1, tags))
        if len(rows) == 5_000:
            store.save_scanned(rows, [])
            rows = []
    store.save_scanned(rows, [])
    add_notes(store, rng)
    store.tidy_word_index()  # as a scan of that many files does
    store.close()
    partial.rename(path)
    return path


def add_notes(store: Any, rng: random.Random) -> None:
    """Notes on two tracks in five, as a DJ's library gathers them: free words and `mood:`
    then search the notes too, as they do in use."""
    from library.notes.model import TrackNotes
    from library.notes.store import write_content

    ids = [row[0] for row in store.connection().execute("SELECT id FROM tracks")]
    with store.transaction() as connection:
        for track_id in rng.sample(ids, len(ids) * 2 // 5):
            notes = TrackNotes(
                moods=rng.sample(MOODS, rng.randint(1, 3)),
                energy=rng.randint(1, 10),
                roles=rng.sample(("opener", "builder", "peak", "closer"), rng.randint(0, 1)),
                text=f"{rng.choice(WORDS)} {rng.choice(WORDS)}: long breakdown, then the bass",
            )
            write_content(connection, track_id, notes.content(), "benchmark")


# -- the measuring child -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Frame:
    """A frame the app wrote: when it ended, what it cost, and what it showed."""

    end: float
    duration: float
    searches: tuple[int, int]
    top: int
    cursor: int
    rows: bool


def child(db: Path, out: Path, spawned: float) -> None:
    """Run the app in this (pseudo-)terminal, drive it, and write the figures to `out`."""
    imported = time.monotonic()
    import asyncio
    import resource

    from textual import events
    from textual.css.query import NoMatches
    from textual.pilot import Pilot

    from library.storage import Store
    from setlist.settings import Settings
    from setlist.tui.app import SetlistApp
    from setlist.tui.widgets.library_view import LibraryView

    imports_ms = (time.monotonic() - imported) * 1000
    figures: dict[str, Any] = {"imports": imports_ms, "keystrokes": [], "pages": []}
    frames: list[Frame] = []

    def view(app: SetlistApp) -> LibraryView:
        return app.main_screen.query_one(LibraryView)

    def snapshot(app: SetlistApp, start: float) -> Frame:
        """What a frame just written showed: which search, where, and whether every visible
        line was a real row (not a placeholder)."""
        end = time.monotonic()
        try:
            library = view(app)
        except NoMatches:
            return Frame(end, end - start, (0, -1), 0, 0, False)
        table = library.table
        top = table.scroll_offset.y
        visible = table.ids[top : top + table.scrollable_content_region.height - 1]
        rows = bool(visible) and all(table.cached_row(i) is not None for i in visible)
        return Frame(end, end - start, library.searches, top, table.cursor, rows)

    class TimedApp(SetlistApp):
        def _display(self, screen: Any, renderable: Any) -> None:
            start = time.monotonic()
            super()._display(screen, renderable)
            frames.append(frame := snapshot(self, start))
            if "first_paint" not in figures and frame.rows:
                figures["first_paint"] = (frame.end - spawned) * 1000

    async def until(after: int, done: Callable[[Frame], bool], seconds: float = 30) -> Frame:
        """The first frame written after the `after`th for which `done` holds."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for frame in frames[after:]:
                if done(frame):
                    return frame
            await asyncio.sleep(0.0005)
        raise TimeoutError("the app did not get there in time")

    async def keystroke(app: SetlistApp, press: Callable[[], object]) -> float:
        """From a key (on an idle app) to the frame showing the new search's rows."""
        await app.workers.wait_for_complete()  # the last search has finished, count and all
        asked, _ = view(app).searches
        after = len(frames)
        begin = time.monotonic()
        press()

        def answered(frame: Frame) -> bool:
            started, shown = frame.searches
            return started > asked and shown == started and frame.rows

        return ((await until(after, answered)).end - begin) * 1000

    def scrolled_past(top: int, frame: Frame) -> bool:
        return frame.top > top and frame.rows

    async def drive(pilot: Pilot[object]) -> None:
        app = pilot.app
        assert isinstance(app, TimedApp)
        await until(0, lambda frame: frame.rows)
        search = view(app).search_box
        search.focus()
        await pilot.pause()
        for letter in TYPED:
            event = events.Key(letter, letter)
            ms = await keystroke(app, partial(app.post_message, event))
            figures["keystrokes"].append((f"type {letter!r}", ms))
        for _ in TYPED:
            ms = await keystroke(app, partial(app.post_message, events.Key("backspace", None)))
            figures["keystrokes"].append(("backspace", ms))
        for text in PASTED:
            ms = await keystroke(app, partial(setattr, search, "value", text))
            figures["keystrokes"].append((f"paste {text!r}", ms))
        table = view(app).table
        table.focus()
        await pilot.pause()
        for _ in range(PAGES):
            await app.workers.wait_for_complete()
            top, after = table.scroll_offset.y, len(frames)
            begin, cpu = time.monotonic(), time.process_time()
            app.post_message(events.Key("pagedown", None))
            end = await until(after, partial(scrolled_past, top))
            work = time.process_time() - cpu  # every thread: the key, fetching, drawing
            figures["pages"].append(((end.end - begin) * 1000, work * 1000))
        after, last = len(frames), len(table.ids) - 1
        begin = time.monotonic()
        app.post_message(events.Key("end", None))
        end = await until(after, lambda f: f.cursor == last and f.rows)
        figures["jump_to_end"] = (end.end - begin) * 1000
        figures["memory"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures["resident"] = resident()
        app.exit()

    store = Store(db)
    app = TimedApp(store, Settings())
    app.run(auto_pilot=drive)
    store.close()
    out.write_text(json.dumps(figures))


def resident() -> dict[str, float]:
    """What is resident now, in MB, by kind (Linux): `RssAnon` is the process's own memory,
    `RssFile` mostly the library file, which every thread's SQLite connection maps (reads
    are memory-mapped) and which counts once per connection that touched a page, though
    the pages are the OS's file cache, shared, and dropped first when memory runs short."""
    try:
        with open("/proc/self/status") as status:
            lines = status.read().splitlines()
    except OSError:
        return {}
    kinds = ("RssAnon", "RssFile")
    return {
        name: int(value.split()[0]) / 1024
        for name, _, value in (line.partition(":") for line in lines)
        if name in kinds
    }


# -- the parent: rounds, and the report --------------------------------------------------------


def run_round(db: Path, out: Path) -> dict[str, Any]:
    """One child in a pseudo-terminal of SIZE; its output is read and thrown away."""
    out.unlink(missing_ok=True)
    env = {**os.environ, "TERM": "xterm-256color", "SETLIST_CONFIG": str(WORK / "none.toml")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    spawned = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        command = [sys.executable, __file__, "--child", str(db), str(out), repr(spawned)]
        os.execve(sys.executable, command, env)
    import fcntl
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                if not os.read(fd, 1 << 16):
                    break
            except OSError:
                break
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    if not out.exists():
        raise SystemExit(f"the measuring app failed (status {status}); run it in a terminal")
    figures: dict[str, Any] = json.loads(out.read_text())
    return figures


def verdict(value: float, target: float) -> str:
    return f"<= {target:g}  {'PASS' if value <= target else 'MISS'}"


def report(count: int, rounds: list[dict[str, Any]]) -> None:
    def median(values: list[float]) -> float:
        return statistics.median(values)

    first = median([r["first_paint"] for r in rounds])
    imports = median([r["imports"] for r in rounds])
    keys = [ms for r in rounds for _, ms in r["keystrokes"]]
    by_key: dict[str, list[float]] = {}
    for r in rounds:
        for name, ms in r["keystrokes"]:
            by_key.setdefault(name, []).append(ms)
    pages_wall = [wall for r in rounds for wall, _ in r["pages"]]
    pages_work = [work for r in rounds for _, work in r["pages"]]
    memory = max(r["memory"] for r in rounds)
    print(f"\nThe app on {count:,} tracks, {SIZE[0]}x{SIZE[1]} terminal, {len(rounds)} rounds")
    load = os.getloadavg()[0]
    if load > 0.5:
        print(
            f"(load average {load:.2f} on {os.cpu_count()} CPUs: other work slowed these figures)"
        )
    print(f"{'':42}{'median':>10}{'worst':>10}   target (ms, MB)")
    print(f"{'first paint, from process spawn':42}{first:>10.0f}{'':>10}   {verdict(first, 1000)}")
    print(f"{'  of which Python imports':42}{imports:>10.0f}")
    key_median, key_worst = median(keys), max(keys)
    print(f"{'keystroke -> new rows on screen':42}{key_median:>10.1f}{key_worst:>10.1f}   "
          f"{verdict(key_worst, TARGETS['keystroke'])} (worst)")  # fmt: skip
    for name, values in by_key.items():
        print(f"{'  ' + name:42}{median(values):>10.1f}{max(values):>10.1f}")
    work_median, work_worst = median(pages_work), max(pages_work)
    print(f"{'page down: frame work':42}{work_median:>10.1f}{work_worst:>10.1f}   "
          f"{verdict(work_median, TARGETS['page'])} (median)")  # fmt: skip
    print(f"{'page down -> rows on screen (wall)':42}{median(pages_wall):>10.1f}"
          f"{max(pages_wall):>10.1f}   includes the wait for the next frame")  # fmt: skip
    jump = median([r["jump_to_end"] for r in rounds])
    print(f"{'end (jump to the last track)':42}{jump:>10.1f}")
    print(f"{'peak memory (MB)':42}{memory:>10.0f}{'':>10}   {verdict(memory, 250)}")
    kinds = [r["resident"] for r in rounds if r.get("resident")]
    if kinds:
        own = median([k["RssAnon"] for k in kinds])
        mapped = median([k["RssFile"] for k in kinds])
        print(f"{'  resident at the end: own memory':42}{own:>10.0f}")
        print(
            f"{'  resident at the end: files mapped':42}{mapped:>10.0f}   mostly the library file"
        )


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tracks", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    started = time.monotonic()
    db = build_database(args.tracks)
    print(f"library: {db} ({time.monotonic() - started:.1f} s to build or find)")
    subprocess.run([sys.executable, "-c", "import setlist.tui.app"], check=True)  # warm caches
    rounds = [run_round(db, WORK / "tui-figures.json") for _ in range(args.rounds)]
    report(args.tracks, rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
