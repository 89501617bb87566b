"""setlist killed with SIGKILL at a dozen points of its run, for each command that writes:
a scan, `tags write`, a release import, a note edit, a set edit and `import-notes`.

After every kill the library must pass SQLite's `integrity_check` and `foreign_key_check`
and hold either the old or the new state of what the command changes (never half of one
transaction); audio files must be byte for byte the old file or the fully written new one
(whose decoded audio is the old one's); then the same command run again completes the work,
with nothing twice. The kill points come from the run time of an uninterrupted run on the
same machine (`kill_points`), and each test checks that some kills did land mid-work.

Real processes, real files, a real SQLite library: nothing is mocked.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import RELEASES, require_tool
from kill_points import complete, kill_after, points
from processes import assert_consistent, music_copies, python

TEMP_SUFFIX = ".setlist-tmp"


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of a library read as SQLite reads it after a crash (a plain connection)."""
    if not db.exists():
        return []
    connection = sqlite3.connect(db)
    try:
        if not connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'tracks'").fetchall():
            return []  # killed before the schema was committed: an empty library
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def library_state(db: Path) -> list[tuple[Any, ...]]:
    """What a scan stores, by path (ids and times vary from run to run)."""
    return rows(
        db,
        "SELECT path_bytes, title, artist, album, label, catalog_number, bpm, key, moods, "
        "duration, audio_identity, missing, size, mtime_ns, "
        "(SELECT count(*) FROM track_notes_journal j WHERE j.track_id = t.id), "
        "(SELECT energy FROM track_notes n WHERE n.track_id = t.id) "
        "FROM tracks t ORDER BY path_bytes",
    )


def setup(db: Path, code: str, *args: str) -> None:
    """Prepare a library with Python code using the domain API in its own process."""
    done = python(code, str(db), *args)
    assert done.returncode == 0, done.stderr


def fresh(base: Path, db: Path) -> Path:
    """A copy of a closed library file (no WAL beside it) for one kill point."""
    shutil.copyfile(base, db)
    return db


def reference_run(base: Path, folder: Path, args: list[str]) -> tuple[Path, float]:
    """`setlist ARGS` run to its end on a copy of `base`: the copy, and how long it took."""
    reference = fresh(base, folder / "reference.db")
    full = complete(["--db", str(reference), *args])
    assert full.returncode == 0, full.stderr
    return reference, full.seconds


def killed_copies(base: Path, folder: Path, args: list[str], seconds: float) -> Iterator[Path]:
    """For each kill point of a run of `seconds`: a copy of `base` on which `setlist ARGS`
    was killed there, checked by SQLite."""
    for number, delay in enumerate(points(seconds)):
        db = fresh(base, folder / f"tué-{number}.db")
        kill_after(["--db", str(db), *args], delay)
        assert_consistent(db)
        yield db


# -- scan -----------------------------------------------------------------------------------


def test_a_killed_scan_leaves_a_consistent_library_and_the_next_completes(tmp_path: Path) -> None:
    music = tmp_path / "musique"
    files = music_copies(music, 1200)  # more than one of the scan's write batches (500)
    reference = tmp_path / "reference.db"
    full = complete(["--db", str(reference), "scan", str(music), "--json"])
    assert full.returncode == 0, full.stderr
    assert json.loads(full.stdout)["added"] == len(files)
    expected = library_state(reference)

    def kill_at(number: int, delay: float) -> int:
        """Kill a scan into a new library after `delay` s, check it, and scan again; how
        many tracks the killed scan had stored."""
        db = tmp_path / f"tué-{number}.db"
        kill_after(["--db", str(db), "scan", str(music)], delay)
        if db.exists():
            assert_consistent(db)
        stored = rows(db, "SELECT count(*), count(DISTINCT path_bytes) FROM tracks")
        assert not stored or stored[0][0] == stored[0][1]
        again = complete(["--db", str(db), "scan", str(music), "--json"])
        assert again.returncode == 0, again.stderr
        assert_consistent(db)
        assert library_state(db) == expected, f"after a kill at {delay:.3f} s"
        return stored[0][0] if stored else 0

    kills = {delay: kill_at(n, delay) for n, delay in enumerate(points(full.seconds))}
    # A busy machine can shift the run so that no point falls between the first write batch
    # and the end: then look between the last kill that found nothing stored and the first
    # that found everything (a few halvings, bounded).
    for number in range(len(kills), len(kills) + 6):
        if any(0 < count < len(files) for count in kills.values()):
            break
        low = max((d for d, count in kills.items() if count == 0), default=0.0)
        high = min((d for d, count in kills.items() if count), default=3 * full.seconds)
        kills[(low + high) / 2] = kill_at(number, (low + high) / 2)
    assert any(0 < count < len(files) for count in kills.values()), kills


# -- tags write ----------------------------------------------------------------------------

NOTE_EVERY_TRACK = """
import sys
from library.notes import store as notes_store
from library.notes.model import TrackNotes
from library.storage import Store

store = Store(sys.argv[1])
notes = TrackNotes(moods=["hanté", "nuit tardive"], energy=8, roles=["closer"],
                   closing_note="après 5h", text="écrit avant le crash\\n[bold]x[/]",
                   rating=4, colour="purple")
for track in store.track_ids():
    notes_store.save(store, track, notes)
store.close()
"""


def file_states(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.endswith(TEMP_SUFFIX)
    }


def temp_copies(folder: Path) -> list[Path]:
    return sorted(folder.rglob(f"*{TEMP_SUFFIX}"))


def decoded_md5s(ffmpeg: str, files: list[bytes], suffixes: list[str], folder: Path) -> list[str]:
    """The md5 of the decoded audio of each file's bytes, in one ffmpeg run."""
    paths = []
    for number, (data, suffix) in enumerate(zip(files, suffixes, strict=True)):
        path = folder / f"décodé-{number}{suffix}"
        path.write_bytes(data)
        paths.append(path)
    command = [ffmpeg, "-v", "error"]
    for path in paths:
        command += ["-i", str(path)]
    for number in range(len(paths)):
        command += ["-map", f"{number}:a"]
    command += ["-f", "streamhash", "-hash", "md5", "-"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    hashes = [line.split(",")[2] for line in done.stdout.splitlines()]
    assert len(hashes) == len(paths) and all(h.startswith("MD5=") for h in hashes), done.stderr
    return hashes


def recorded(db: Path) -> list[tuple[Any, ...]]:
    """What the library knows each file holds (`track_notes.file_hash`), by path."""
    return rows(
        db,
        "SELECT t.path_bytes, n.file_hash, n.written_at IS NOT NULL FROM tracks t "
        "JOIN track_notes n ON n.track_id = t.id ORDER BY t.path_bytes",
    )


def test_a_killed_tags_write_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    ffmpeg = require_tool("ffmpeg")
    originals = tmp_path / "originaux"
    music_copies(originals, 60)
    music = tmp_path / "musique"
    shutil.copytree(originals, music)
    base = tmp_path / "base.db"
    assert complete(["--db", str(base), "scan", str(music)]).returncode == 0
    setup(base, NOTE_EVERY_TRACK)
    old = file_states(originals)

    reference = fresh(base, tmp_path / "reference.db")
    full = complete(["--db", str(reference), "tags", "write", "--json"])
    assert full.returncode == 0, full.stderr
    assert len(json.loads(full.stdout)["written"]) == len(old)
    new = file_states(music)
    assert all(new[name] != old[name] for name in old)
    # The audio of every new file is the old file's (checked once per distinct pair).
    pairs = sorted({(old[name], new[name], Path(name).suffix) for name in old})
    decoded = tmp_path / "décodé"
    decoded.mkdir()
    hashes = decoded_md5s(
        ffmpeg,
        [data for before, after, _ in pairs for data in (before, after)],
        [suffix for _, _, suffix in pairs for _ in range(2)],
        decoded,
    )
    assert hashes[0::2] == hashes[1::2]

    written_at_kill = []
    for number, delay in enumerate(points(full.seconds)):
        shutil.rmtree(music)
        shutil.copytree(originals, music)
        db = fresh(base, tmp_path / f"tué-{number}.db")
        kill_after(["--db", str(db), "tags", "write"], delay)
        assert_consistent(db)
        now = file_states(music)
        assert set(now) == set(old)
        for name, data in now.items():
            assert data in (old[name], new[name]), f"{name} is neither old nor new"
        written_at_kill.append(sum(now[name] == new[name] for name in now))
        assert len(temp_copies(music)) <= 1  # at most the copy being written when killed

        again = complete(["--db", str(db), "tags", "write", "--json"])
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["skipped"] == []  # nothing taken for another's write
        assert file_states(music) == new
        assert temp_copies(music) == []  # the next write removed the killed one's copy
        assert recorded(db) == recorded(reference)  # every file known to hold its notes
    assert any(0 < count < len(old) for count in written_at_kill), written_at_kill


# -- release import ------------------------------------------------------------------------


def collection_csv(path: Path, count: int) -> Path:
    """A Discogs collection export of `count` releases: the fixture's rows, each with its own
    release_id."""
    with (RELEASES / "collection.csv").open(encoding="utf-8", newline="") as handle:
        header, *samples = list(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for number in range(count):
            row = list(samples[number % len(samples)])
            row[header.index("release_id")] = str(100000 + number)
            writer.writerow(row)
    return path


def test_a_killed_release_import_stores_all_or_nothing(tmp_path: Path) -> None:
    total = 500
    export = collection_csv(tmp_path / "collection é.csv", total)
    reference = tmp_path / "reference.db"
    full = complete(["--db", str(reference), "releases", "import", str(export)])
    assert full.returncode == 0, full.stderr
    count_sql = "SELECT count(*), count(DISTINCT identity) FROM releases"
    labels_sql = "SELECT count(*) FROM release_labels"
    assert rows(reference, count_sql) == [(total, total)]
    stored_at_kill = []
    for number, delay in enumerate(points(full.seconds)):
        db = tmp_path / f"tué-{number}.db"
        kill_after(["--db", str(db), "releases", "import", str(export)], delay)
        if db.exists():
            assert_consistent(db)
        stored = rows(db, count_sql)
        count = stored[0][0] if stored else 0
        assert count in (0, total), count  # one transaction: all of the batch or none
        stored_at_kill.append(count)
        again = complete(["--db", str(db), "releases", "import", str(export)])
        assert again.returncode == 0, again.stderr
        assert rows(db, count_sql) == [(total, total)]
        assert rows(db, labels_sql) == rows(reference, labels_sql)
        assert_consistent(db)
    assert 0 in stored_at_kill
    once_more = complete(["--db", str(db), "releases", "import", str(export)])
    assert once_more.returncode == 0, once_more.stderr
    assert rows(db, count_sql) == [(total, total)]  # an import again updates, never copies
    assert rows(db, labels_sql) == rows(reference, labels_sql)


# -- a note edit and a set edit ------------------------------------------------------------

LIBRARY_WITH_A_SET = """
import sys
from library.notes import store as notes_store
from library.notes.model import TrackNotes
from library.set_store import SetStore
from library.storage import Store, track_row

store = Store(sys.argv[1])
rows = [track_row(f"/musique/piste {n} é.flac".encode(), n, 1,
                  {"title": f"Entrée n°{n}", "artist": "Jëff Mills", "duration": 400.0,
                   "has_artwork": False}) for n in range(60)]
store.save_scanned(rows, [])
ids = store.track_ids()
notes_store.save(store, ids[0], TrackNotes(moods=["hanté"], energy=4, text="avant"))
SetStore(store).create("Nacht [Dämmerung]", track_ids=ids[:3])
store.close()
"""

NOTE_EDIT = [
    "note", "1", "--mood", "nuit tardive", "--no-mood", "hanté", "--energy", "9",
    "--text", "après le crash [bold]x[/]", "--role", "closer", "--cue", "1:05=les cloches",
    "--rating", "5", "--colour", "aqua",
]  # fmt: skip


def notes_state(db: Path) -> tuple[dict[str, Any], list[tuple[int, dict[str, Any]]]]:
    """Track 1's notes (without their time), and its journal: each version's notes."""
    (row,) = rows(
        db,
        "SELECT moods, energy, roles, closing_note, text, rating, colour, cues "
        "FROM track_notes WHERE track_id = 1",
    )
    names = ("moods", "energy", "roles", "closing_note", "text", "rating", "colour", "cues")
    current = dict(zip(names, row, strict=True))
    for name in ("moods", "roles", "cues"):
        current[name] = json.loads(current[name])
    journal = []
    for version, notes in rows(
        db, "SELECT version, notes FROM track_notes_journal WHERE track_id = 1 ORDER BY version"
    ):
        content = json.loads(notes)
        content.pop("updated_at")
        journal.append((version, content))
    return current, journal


def test_a_killed_note_edit_leaves_the_old_or_the_new_notes(tmp_path: Path) -> None:
    base = tmp_path / "base.db"
    setup(base, LIBRARY_WITH_A_SET)
    old_notes, old_journal = notes_state(base)
    reference, seconds = reference_run(base, tmp_path, NOTE_EDIT)
    new_notes, new_journal = notes_state(reference)
    assert new_notes != old_notes and len(new_journal) == len(old_journal) + 1
    outcomes: Counter[str] = Counter()
    for db in killed_copies(base, tmp_path, NOTE_EDIT, seconds):
        notes, journal = notes_state(db)
        assert notes in (old_notes, new_notes)
        versions = [version for version, _ in journal]
        assert versions == list(range(1, len(versions) + 1))  # dense: no version lost
        assert journal[-1][1] == notes  # the journal's last version is the current notes
        outcomes["new" if notes == new_notes else "old"] += 1
        again = complete(["--db", str(db), *NOTE_EDIT])
        assert again.returncode == 0, again.stderr
        notes, journal = notes_state(db)
        assert notes == new_notes
        assert len(journal) == len(new_journal)  # done once, whichever run did it
    assert outcomes["old"] > 0, outcomes


SET_NAME = "Nacht [Dämmerung]"


def set_state(db: Path) -> list[tuple[int, int]]:
    return rows(
        db,
        "SELECT e.position, e.track_id FROM set_entries e JOIN sets s ON s.id = e.set_id "
        "WHERE s.name = ? ORDER BY e.position",
        (SET_NAME,),
    )


def test_a_killed_set_edit_leaves_the_old_or_the_new_set(tmp_path: Path) -> None:
    base = tmp_path / "base.db"
    setup(base, LIBRARY_WITH_A_SET)
    old_entries = set_state(base)
    adding = ["sets", "add", SET_NAME, *(str(n) for n in range(10, 60)), "--at", "2"]
    reference, seconds = reference_run(base, tmp_path, adding)
    new_entries = set_state(reference)
    assert len(new_entries) == len(old_entries) + 50
    outcomes: Counter[str] = Counter()
    for db in killed_copies(base, tmp_path, adding, seconds):
        entries = set_state(db)
        assert entries in (old_entries, new_entries)
        assert [position for position, _ in entries] == list(range(1, len(entries) + 1))
        outcomes["new" if entries == new_entries else "old"] += 1
        again = complete(["--db", str(db), *adding])
        if entries == old_entries:
            assert again.returncode == 0, again.stderr
        else:  # done already: doing it again is refused, so nothing is added twice
            assert again.returncode == 2
            assert "twice" in again.stderr
        assert set_state(db) == new_entries
    assert outcomes["old"] > 0, outcomes


# -- import-notes -------------------------------------------------------------------------

LIBRARY_AND_NOTES_DOCUMENT = """
import json, sys
from library.storage import Store, track_row

store = Store(sys.argv[1])
rows = [track_row(f"/nouveau/piste {n} é.flac".encode(), n, 1,
                  {"title": f"Entrée n°{n}", "has_artwork": False, "audio_identity": f"flac:{n}:a"})
        for n in range(1500)]
store.save_scanned(rows, [])
store.close()
tracks = [{"key": n, "identity": f"flac:{n}:a", "path": f"/ancien/piste {n} é.flac",
           "notes": {"moods": ["hanté"], "energy": 1 + n % 10, "text": f"n°{n}",
                     "updated_at": "2026-05-30T04:00:00+00:00"}}
          for n in range(1500)]
sets = [{"name": f"Nacht {s}", "entries": [{"track": n} for n in range(s, 1500, 15)]}
        for s in range(15)]
plays = [{"set": "Nacht 0", "set_name": "Nacht 0", "played_on": "2026-05-30",
          "tracks": [{"position": 1, "track": 0}]}]
document = {"format": "setlist-notes", "version": 1, "tracks": tracks, "sets": sets,
            "plays": plays}
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump(document, out)
"""


def imported_state(db: Path) -> tuple[int, int, int, int]:
    """Noted tracks, journal entries, set entries, plays: what the import adds."""
    (state,) = rows(
        db,
        "SELECT (SELECT count(*) FROM track_notes), (SELECT count(*) FROM track_notes_journal), "
        "(SELECT count(*) FROM set_entries), (SELECT count(*) FROM set_plays)",
    )
    return state


def test_a_killed_import_notes_stores_all_or_nothing(tmp_path: Path) -> None:
    base, document = tmp_path / "base.db", tmp_path / "notes é.json"
    setup(base, LIBRARY_AND_NOTES_DOCUMENT, str(document))
    importing = ["import-notes", str(document)]
    reference, seconds = reference_run(base, tmp_path, importing)
    old, new = imported_state(base), imported_state(reference)
    assert old == (0, 0, 0, 0) and new == (1500, 1500, 1500, 1)
    outcomes: Counter[str] = Counter()
    for db in killed_copies(base, tmp_path, importing, seconds):
        state = imported_state(db)
        assert state in (old, new)  # one transaction
        outcomes["new" if state == new else "old"] += 1
        again = complete(["--db", str(db), *importing])
        assert again.returncode == 0, again.stderr
        assert imported_state(db) == new  # done once, whichever run did it
    assert outcomes["old"] > 0, outcomes


@pytest.fixture(autouse=True)
def _linux_only() -> None:
    """The kill tests read /proc to find what a killed command left running."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("the kill tests need Linux's /proc")
