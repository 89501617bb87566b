"""Two processes on one library, as a DJ has them: the CLI scanning and noting in one
terminal while the app (here a second Python process driving the same `Store` API in a loop:
reads and note saves) runs in another. No "database is locked" may reach either, no write may
be lost (each is counted and found afterwards), and each sees the other's changes.

Everything is real: `setlist` commands in their own processes, a second interpreter, one
SQLite file. Both sides edit the same few tracks, so a lost update would show.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

from processes import PROGRAM, ROOT, Background, assert_consistent, music_copies, python, run

from library.notes import store as notes_store
from library.storage import Store

# The app's side: reads and note saves in a loop until told to stop (stdin closes), and at
# least MINIMUM saves. Every save appends its own line to a track's free text, through the
# same read-modify-write the app uses (`notes_store.update`).
APP = textwrap.dedent(
    """
    import json, sys, threading
    from library.notes import store as notes_store
    from library.notes.model import TrackNotes
    from library.storage import Store

    db, ids, minimum = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    store = Store(db)
    first_version = store.data_version()
    saved, errors, reads, seen = [], [], 0, set()
    number = 0
    print("ready", flush=True)
    while not stop.is_set() or number < minimum:
        track = ids[number % len(ids)]
        line = f"appli n°{number}"
        def change(notes, line=line):
            text = f"{notes.text}\\n{line}" if notes.text else line
            return TrackNotes.model_validate({**notes.model_dump(), "text": text})
        try:
            store.tracks()
            notes_store.load(store, track)
            reads += 2
            notes_store.update(store, track, change, source="app")
            saved.append([track, line])
            seen.add(store.data_version())
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
        number += 1
    print(json.dumps({"saved": saved, "errors": errors, "reads": reads,
                      "versions": len(seen | {first_version})}))
    store.close()
    """
)


def test_cli_and_app_share_the_library_without_locks_or_lost_writes(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    crate = tmp_path / "crate"
    music_copies(crate, 30)
    assert run("--db", str(db), "scan", str(crate)).returncode == 0
    store = Store(db)
    ids = store.track_ids()[:4]
    tag_moods = {track: set(notes_store.load(store, track).moods) for track in ids}
    store.close()

    new_crate = tmp_path / "nouveautés"
    copies = music_copies(new_crate, 300)
    app = Background(APP, str(db), json.dumps(ids), "60")
    with app:
        scan = subprocess.Popen(
            [*PROGRAM, "--db", str(db), "scan", str(new_crate), "--json", "--workers", "2"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
        )
        try:
            noted: list[tuple[int, str, str]] = []
            for number in range(12):  # the other terminal: notes while the scan runs
                track = ids[number % len(ids)]
                mood, line = f"cli-é-{number}", f"terminal n°{number}"
                done = run("--db", str(db), "note", str(track), "--mood", mood, "--append", line)
                assert done.returncode == 0, done.stderr
                assert "locked" not in done.stderr
                noted.append((track, mood, line))
            scanned, scan_errors = scan.communicate(timeout=120)
        finally:
            if scan.poll() is None:
                scan.kill()
                scan.communicate(timeout=30)
        assert scan.returncode == 0, scan_errors
        assert "locked" not in scan_errors
    out = app.output  # the app's loop ended when its stdin closed
    outcome = json.loads(out.splitlines()[-1])
    assert outcome["errors"] == []
    assert len(outcome["saved"]) >= 60
    assert outcome["reads"] >= 2 * len(outcome["saved"])
    assert outcome["versions"] > 1  # the app saw the other process's commits
    assert json.loads(scanned)["added"] == len(copies)

    # Every write landed: each line and mood is in its track's notes, each exactly once,
    # and the journal holds one version per change.
    store = Store(db)
    try:
        for track in ids:
            notes = notes_store.load(store, track)
            lines = notes.text.split("\n")
            from_app = [line for t, line in outcome["saved"] if t == track]
            from_cli = [line for t, _, line in noted if t == track]
            assert sorted(lines) == sorted(from_app + from_cli)
            added = {mood for t, mood, _ in noted if t == track}
            assert set(notes.moods) == tag_moods[track] | added  # the tags' moods, and ours
            changes = len(from_app) + len(from_cli)
            assert len(notes_store.history(store, track)) == changes
        assert store.count_tracks() == 30 + len(copies)
    finally:
        store.close()
    assert_consistent(db)


def test_data_version_tells_of_another_process_s_commits(tmp_path: Path) -> None:
    """`Store.data_version` changes when another process (or another thread's connection)
    commits, and only then: the app can poll it to know when to read again."""
    store = Store(tmp_path / "library.db")
    try:
        first = store.data_version()
        assert store.data_version() == first  # nothing committed: the same number
        store.tracks()  # reading changes nothing
        assert store.data_version() == first
        writer = textwrap.dedent(
            """
            import sys
            from library.set_store import SetStore
            from library.storage import Store
            store = Store(sys.argv[1])
            SetStore(store).create(sys.argv[2])
            store.close()
            """
        )
        done = python(writer, str(store.path), "Nacht [Dämmerung]")
        assert done.returncode == 0, done.stderr
        second = store.data_version()
        assert second != first
        assert store.data_version() == second
        from library.set_store import SetStore

        SetStore(store).create("Vendredi à la Melkweg")  # this process, its own connection
        assert store.data_version() != second
    finally:
        store.close()
