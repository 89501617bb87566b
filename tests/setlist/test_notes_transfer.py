"""`setlist export-notes` and `setlist import-notes`: a library's notes, releases, links, sets
and plays carried to another library of the same audio, placed by identity then path, merged
without overwriting newer data; bad documents refused whole (exit 2, nothing changed).

Real audio files, real libraries scanned by the real command, the import run as a process.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from factories import add_track, invoke, one_error_line
from processes import READABLE, run

from library.notes import store as notes_store
from library.notes.model import Cue, TrackNotes
from library.releases.model import Label, Release, TracklistEntry
from library.releases.store import Link, ReleaseStore
from library.set_plays import record_play
from library.set_store import SetStore
from library.storage import Store

SET = "Nacht [Dämmerung] =1+1"
HOSTILE = "\x1b[31mrouge\x1b[0m [@click=app.quit]\n<b>"


def music(folder: Path) -> list[Path]:
    """Copies of the readable audio fixtures, with non-ASCII names."""
    folder.mkdir(parents=True)
    copies = []
    for source in READABLE:
        target = folder / f"Piste à {source.name}"
        shutil.copyfile(source, target)
        copies.append(target)
    return copies


def scanned(db: Path, folder: Path) -> Store:
    assert invoke(db, "scan", str(folder)).exit_code == 0
    return Store(db)


def by_path(store: Store) -> dict[str, int]:
    """Track ids by file name (what a move keeps)."""
    rows = store.connection().execute("SELECT id, path FROM tracks").fetchall()
    return {Path(path).name: track_id for track_id, path in rows}


def fill(store: Store) -> None:
    """Notes on three tracks, two releases (one manual) with links, a set and a play."""
    ids = by_path(store)
    first, second, third = (ids[f"Piste à {name}"] for name in ("full.flac", "full.mp3", "v1.mp3"))
    notes_store.save(
        store,
        first,
        TrackNotes(moods=["hanté"], energy=7, text=HOSTILE, cues=[Cue(at=65, text="cloches")]),
    )
    notes_store.save(store, second, TrackNotes(roles=["closer"], closing_note="à 5h", rating=4))
    notes_store.save(store, third, TrackNotes(colour="aqua"))
    releases = ReleaseStore(store)
    (discogs,) = releases.save(
        [
            Release(
                source="discogs", source_id="28461", title="Métropolis", artists=["Jëff Mills"],
                labels=[Label(name="Axis", catalog_number="AX-022")],
                tracklist=[TracklistEntry(position="A1", title="Entrée")],
            )
        ]
    )  # fmt: skip
    (manual,) = releases.save([Release(source="manual", title="Démo ★", artists=["Ōta"])])
    assert discogs.release.id is not None and manual.release.id is not None
    releases.set_links(
        [
            Link(first, discogs.release.id, "A1", 1.0, "manual", manual=True),
            Link(second, manual.release.id, None, 0.8, "catno+label"),
        ]
    )
    sets = SetStore(store)
    made = sets.create(SET, venue="De Melkweg", target_minutes=90, track_ids=[first, second])
    sets.note(made.name, 2, HOSTILE)
    record_play(store, SET, dt.date(2026, 5, 30))
    sets.create("Leer")


def picture(store: Store) -> dict[str, Any]:
    """Everything the document carries, by file name instead of ids."""
    names = {track_id: name for name, track_id in by_path(store).items()}
    connection = store.connection()
    notes = {
        names[track_id]: {**row.content, "updated_at": row.updated_at}
        for track_id, row in notes_store.read_many(connection, list(names)).items()
    }
    releases = {r.id: r.model_dump(exclude={"id"}) for r in ReleaseStore(store).all()}
    links = {
        names[link.track_id]: (releases[link.release_id], link.position, link.method, link.manual)
        for link in ReleaseStore(store).links()
    }
    sets = []
    for summary in SetStore(store).summaries():
        stored = SetStore(store).get(summary.name)
        entries = [(names[e.track_id], e.transition_note) for e in stored.entries]
        sets.append((stored.name, stored.venue, stored.target_minutes, stored.updated_at, entries))
    plays = [
        (name, on, venue, [names[int(t)] for t in tracks.split(",")] if tracks else [])
        for name, on, venue, tracks in connection.execute(
            "SELECT p.set_name || ' / ' || coalesce(s.name, '-'), p.played_on, p.venue, "
            "(SELECT group_concat(track_id) FROM track_plays WHERE play_id = p.id) "
            "FROM set_plays p LEFT JOIN sets s ON s.id = p.set_id ORDER BY p.id"
        )
    ]
    return {"notes": notes, "releases": sorted(map(str, releases.values())), "links": links,
            "sets": sets, "plays": plays}  # fmt: skip


def dump(db: Path) -> list[str]:
    """The whole library file as SQL: equal dumps, nothing changed."""
    connection = sqlite3.connect(db)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """Library A filled and exported to a document; its files then moved away."""
    folder = tmp_path / "A" / "Musique"
    music(folder)
    store = scanned(tmp_path / "a.db", folder)
    fill(store)
    before = picture(store)
    store.close()
    document = tmp_path / "notes export.json"
    done = invoke(tmp_path / "a.db", "export-notes", "-o", str(document))
    assert done.exit_code == 0, done.stderr
    assert "Exported 3 tracks, 2 releases, 2 sets, 1 plays" in done.stderr
    shutil.move(folder, tmp_path / "B" / "Nouveau dossier")
    return document, before


def test_round_trip_to_a_fresh_library_of_moved_files(
    tmp_path: Path, exported: tuple[Path, dict[str, Any]]
) -> None:
    document, before = exported
    db = tmp_path / "b.db"
    scanned(db, tmp_path / "B" / "Nouveau dossier").close()
    done = run("--db", str(db), "import-notes", str(document))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:4] == [
        "Placed 3 of 3 tracks (3 by audio identity, 0 by path)",
        "Notes: 3 added, 0 updated, 0 unchanged, 0 kept (newer here)",
        "Releases: 2 added, 0 updated, 0 unchanged, 0 kept (newer here)",
        "Links: 2 added, 0 updated, 0 unchanged, 0 kept (newer here)",
    ]
    store = Store(db)
    assert picture(store) == before
    store.close()
    again = run("--db", str(db), "import-notes", str(document), "--json")
    report = json.loads(again.stdout)
    for kind in ("notes", "releases", "links", "sets", "plays"):
        assert report[kind]["added"] == report[kind]["updated"] == 0, kind
    assert report["plays"]["unchanged"] == 1


def test_by_path_when_the_audio_has_no_identity(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    folder = tmp_path / "Musique"
    music(folder)
    store = scanned(db, folder)
    path = str(folder / "Piste à full.flac")
    store.close()
    document = tmp_path / "doc.json"
    document.write_text(
        json.dumps({
            "format": "setlist-notes", "version": 1,
            "tracks": [
                {"key": 5, "identity": "", "path": path, "notes": {"moods": ["sombre"]}},
                {"key": 6, "identity": "flac:0:00", "path": "/ailleurs/perdu.flac",
                 "artist": "Ōta", "title": "Perdu", "notes": {"energy": 3}},
            ],
            "sets": [{"name": "Essai", "entries": [{"track": 6}, {"track": 5}]}],
        }),
        encoding="utf-8",
    )  # fmt: skip
    done = invoke(db, "import-notes", str(document))
    assert done.exit_code == 0, done.stderr
    assert "Placed 1 of 2 tracks (0 by audio identity, 1 by path)" in done.stdout
    assert "not placed: /ailleurs/perdu.flac (Ōta – Perdu)" in done.stderr
    assert "left out: set 'Essai': 1 entries left out" in done.stderr
    store = Store(db)
    ids = by_path(store)
    assert notes_store.load(store, ids["Piste à full.flac"]).moods == ["sombre"]
    assert [e.track_id for e in SetStore(store).get("essai").entries] == [ids["Piste à full.flac"]]
    store.close()


def test_newer_data_here_is_kept_older_is_updated(
    tmp_path: Path, exported: tuple[Path, dict[str, Any]]
) -> None:
    document, _ = exported
    db = tmp_path / "b.db"
    store = scanned(db, tmp_path / "B" / "Nouveau dossier")
    assert invoke(db, "import-notes", str(document)).exit_code == 0
    ids = by_path(store)
    # Here: the notes of one track edited after the export; the document: another's, later.
    notes_store.update(
        store, ids["Piste à full.flac"], lambda n: n.model_copy(update={"energy": 9})
    )
    data = json.loads(document.read_text(encoding="utf-8"))
    mp3 = next(t for t in data["tracks"] if t["path"].endswith("full.mp3"))
    mp3["notes"].update(rating=1, updated_at="2099-01-01T00:00:00Z")
    flac = next(t for t in data["tracks"] if t["path"].endswith("full.flac"))
    flac["notes"]["energy"] = 2  # older than the edit here
    flac["link"]["manual"] = False
    flac["link"]["linked_at"] = "2099-01-01T00:00:00+00:00"  # newer, but not manual
    data["sets"][1]["venue"] = "Berghain"  # same time as here: kept
    data["releases"][0].update(updated_at="2099-01-01T01:00:00+01:00")
    data["releases"][0]["release"]["country"] = "Deutschland"  # newer: updated
    data["releases"][1]["release"]["country"] = "France"  # not newer: kept
    document.write_text(json.dumps(data), encoding="utf-8")
    done = invoke(db, "import-notes", str(document), "--json")
    report = json.loads(done.stdout)
    assert report["notes"] == {"added": 0, "updated": 1, "unchanged": 1, "kept": 1}
    assert report["links"]["kept"] == 1
    assert report["sets"]["kept"] == 1
    assert report["releases"] == {"added": 0, "updated": 1, "unchanged": 0, "kept": 1}
    assert [r.country for r in ReleaseStore(store).all()] == ["Deutschland", None]
    assert notes_store.load(store, ids["Piste à full.flac"]).energy == 9
    assert notes_store.load(store, ids["Piste à full.mp3"]).rating == 1
    assert ReleaseStore(store).links()[0].manual
    assert SetStore(store).get(SET).venue == "De Melkweg"
    store.close()


def test_dry_run_changes_nothing(tmp_path: Path, exported: tuple[Path, dict[str, Any]]) -> None:
    document, _ = exported
    db = tmp_path / "b.db"
    scanned(db, tmp_path / "B" / "Nouveau dossier").close()
    before = dump(db)
    done = invoke(db, "import-notes", str(document), "--dry-run")
    assert done.exit_code == 0
    assert "Would place 3 of 3 tracks" in done.stdout
    assert "Notes: 3 added" in done.stdout
    assert done.stdout.strip().endswith("Dry run: nothing was changed")
    assert dump(db) == before


def test_export_to_standard_output_is_the_document(
    tmp_path: Path, exported: tuple[Path, dict[str, Any]]
) -> None:
    document, _ = exported
    done = invoke(tmp_path / "a.db", "export-notes")
    assert done.exit_code == 0
    printed = json.loads(done.stdout)
    written = json.loads(document.read_text(encoding="utf-8"))
    printed.pop("exported_at"), written.pop("exported_at")
    assert printed == written
    assert any(t["notes"] and t["notes"]["text"] == HOSTILE for t in printed["tracks"])
    assert "\x1b" not in done.stdout  # escaped in the JSON, as text


def test_export_to_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    Store(tmp_path / "a.db").close()
    done = invoke(tmp_path / "a.db", "export-notes", "-o", str(tmp_path / "nul" / "x.json"))
    assert done.exit_code == 2
    assert "x.json: cannot write" in one_error_line(done.stderr)


GOOD = {"format": "setlist-notes", "version": 1}
TRACK = {"key": 1, "identity": "", "path": "/m/a.flac"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "setlist-notes", ', "not JSON (Expecting property name"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b"[1, 2]", 'not a setlist notes export (no "format": "setlist-notes")'),
        (json.dumps({"format": "rekordbox"}), "not a setlist notes export"),
        (json.dumps({**GOOD, "version": 2}), "written by a newer setlist (notes export version 2"),
        (json.dumps({**GOOD, "version": "1"}), "version '1' is not a version number"),
        (
            json.dumps({**GOOD, "tracks": [{**TRACK, "notes": {"energy": 11}}]}),
            "tracks.0.notes: Value error, energy 11: must be a whole number from 1 to 10",
        ),
        (
            json.dumps({**GOOD, "tracks": [{**TRACK, "notes": {"moods": "hanté"}}]}),
            "tracks.0.notes: Value error, moods: Input should be a valid list",
        ),
        (
            json.dumps({**GOOD, "tracks": [{**TRACK, "notes": {"énergie\n": 1}}]}),
            "tracks.0.notes: Value error, 'énergie\\n': Extra inputs are not permitted",
        ),
        (
            '{"format": "setlist-notes", "version": 1, "tracks": [{"key": NaN}]}',
            "not JSON (NaN is not a JSON number)",
        ),
        (
            json.dumps({**GOOD, "tracks": [{**TRACK, "link": {"release": 1, "confidence": 2}}]}),
            "tracks.0.link.confidence: Input should be less than or equal to 1",
        ),
        (
            json.dumps(
                {
                    **GOOD,
                    "tracks": [TRACK],
                    "plays": [
                        {
                            "set_name": "X",
                            "played_on": "2026-05-30",
                            "tracks": [{"position": 1, "track": 1}, {"position": 1, "track": 1}],
                        }
                    ],
                }
            ),
            "plays.0.tracks.1.position: 1 is taken twice",
        ),
        (
            json.dumps({**GOOD, "tracks": [{**TRACK, "key": "un"}]}),
            "tracks.0.key: Input should be a valid integer",
        ),
        (
            json.dumps({**GOOD, "tracks": [TRACK, TRACK]}),
            "tracks.1.key: 1 is the key of an earlier one too",
        ),
        (
            json.dumps({**GOOD, "sets": [{"name": "X", "entries": [{"track": 9}]}]}),
            "sets.0.entries.0: track 9 is not in tracks",
        ),
        (json.dumps({**GOOD, "sets": [{"name": "  "}]}), "sets.0: a set name cannot be empty"),
        (
            json.dumps({**GOOD, "tracks": [{**TRACK, "link": {"release": 4}}]}),
            "tracks.0.link: release 4 is not in releases",
        ),
        (
            '{"format": "setlist-notes", "version": 1, "sets": [{"name": "\\ud800"}]}',
            "sets.0.name: holds an unpaired surrogate (not text)",
        ),
        (
            json.dumps({**GOOD, "plays": [{"set_name": "X", "played_on": "2026-13-01"}]}),
            "plays.0.played_on: Input should be a valid date",
        ),
        (
            json.dumps(
                {
                    **GOOD,
                    "releases": [
                        {"key": 1, "release": {"source": "manual", "title": "T", "year": 2**70}}
                    ],
                }
            ),
            f"releases.0.release.year: {2**70} is too large a number",
        ),
        (
            json.dumps({**GOOD, "sets": [{"name": "X", "updated_at": "hier"}]}),
            "sets.0.updated_at: Value error, 'hier' is not an ISO 8601 time",
        ),
    ],
)
def test_a_bad_document_changes_nothing(
    tmp_path: Path, exported: tuple[Path, dict[str, Any]], content: str | bytes, message: str
) -> None:
    document, _ = exported
    db = tmp_path / "b.db"
    scanned(db, tmp_path / "B" / "Nouveau dossier").close()
    assert invoke(db, "import-notes", str(document)).exit_code == 0
    before = dump(db)
    bad = tmp_path / "mauvais.json"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    done = invoke(db, "import-notes", str(bad))
    assert done.exit_code == 2
    line = one_error_line(done.stderr)
    assert line.startswith(f"setlist: error: {bad}: ")
    assert message in line
    assert dump(db) == before


def test_a_document_that_is_not_there(tmp_path: Path) -> None:
    done = invoke(tmp_path / "b.db", "import-notes", str(tmp_path / "absent.json"))
    assert done.exit_code == 2
    assert "absent.json: cannot read: No such file or directory" in one_error_line(done.stderr)


def test_a_path_that_is_not_utf8_travels_exactly(tmp_path: Path) -> None:
    path = b"/musique/caisse \xff\xfe/entr\xe9e.flac"  # Latin-1 names from an old drive
    one, other = tmp_path / "a.db", tmp_path / "b.db"
    for db in (one, other):
        store = Store(db)
        add_track(store, path=path, audio_identity="")
        add_track(store, path=path.replace(b"entr", b"sortie "), audio_identity="")
        store.close()
    store = Store(one)
    notes_store.save(store, 1, TrackNotes(text="à l'ancienne"))
    store.close()
    assert invoke(one, "export-notes", "-o", str(tmp_path / "n.json")).exit_code == 0
    (track,) = json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))["tracks"]
    assert track["path"] == path.decode("utf-8", "replace")
    assert base64.b64decode(track["path_base64"]) == path
    done = invoke(other, "import-notes", str(tmp_path / "n.json"))
    assert "Placed 1 of 1 tracks (0 by audio identity, 1 by path)" in done.stdout
    store = Store(other)
    assert notes_store.load(store, 1).text == "à l'ancienne"
    assert notes_store.load(store, 2).is_empty()
    store.close()


def test_export_without_a_library_makes_none(tmp_path: Path) -> None:
    done = invoke(tmp_path / "absente.db", "export-notes")
    assert done.exit_code == 2
    assert "absente.db: no library there yet, nothing to export" in one_error_line(done.stderr)
    assert not (tmp_path / "absente.db").exists()
