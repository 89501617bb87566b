"""`setlist demo`: a tagged, multi-format library built without an encoder, scanned and listed."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from library.storage import Store
from library.tags import read_tags
from setlist.cli import cli
from setlist.demo import DEMO_TRACKS, build_demo


def test_demo_builds_every_track_with_its_tags(tmp_path: Path) -> None:
    music = build_demo(tmp_path)
    files = sorted(p for p in music.rglob("*") if p.is_file())
    assert len(files) == len(DEMO_TRACKS)
    assert {p.suffix for p in files} == {".mp3", ".wav", ".flac", ".ogg", ".opus", ".m4a", ".aiff"}
    by_title = {read_tags(p).title: read_tags(p) for p in files}
    for track in DEMO_TRACKS:
        tags = by_title[track.title]
        assert tags.artist == track.artist
        assert tags.label == (track.label or None)
        assert tags.moods == track.moods
        assert tags.bpm is not None and abs(tags.bpm - float(track.loop[5:8])) < 1.5
        if track.minutes:
            assert tags.duration is not None
            assert abs(tags.duration - track.minutes * 60) < 10


def test_demo_titles_with_markup_are_kept_as_written(tmp_path: Path) -> None:
    music = build_demo(tmp_path)
    titles = {read_tags(p).title for p in music.rglob("*.mp3")}
    assert "Tool [Extended Mix] [/] <b>" in titles


def test_building_twice_rewrites_nothing(tmp_path: Path) -> None:
    music = build_demo(tmp_path)
    before = {p: p.stat().st_mtime_ns for p in music.rglob("*") if p.is_file()}
    build_demo(tmp_path)
    after = {p: p.stat().st_mtime_ns for p in music.rglob("*") if p.is_file()}
    assert before == after


def test_demo_command_scans_into_its_own_database_and_lists(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--list", "--dir", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert f"{len(DEMO_TRACKS)} added" in result.stdout
    assert "Kasimir Lund – Afterglow" in result.stdout
    store = Store(tmp_path / "demo" / "library.db")
    try:
        assert len(store.tracks()) == len(DEMO_TRACKS)
    finally:
        store.close()


def test_demo_with_db_uses_that_database(tmp_path: Path) -> None:
    db = tmp_path / "mine.db"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["--db", str(db), "demo", "--list", "--dir", str(tmp_path / "demo")]
    )
    assert result.exit_code == 0, result.output
    listed = runner.invoke(cli, ["--db", str(db), "tracks", "--json"])
    assert len(json.loads(listed.stdout)) == len(DEMO_TRACKS)
    assert not (tmp_path / "demo" / "library.db").exists()


def test_demo_links_its_loops_to_the_metropolis_release(tmp_path: Path) -> None:
    runner = CliRunner()
    demo = ["demo", "--dir", str(tmp_path / "demo")]
    result = runner.invoke(cli, demo)
    assert result.exit_code == 0, result.output
    assert (
        "Release 1: Jeff Mills – Metropolis (Axis – AX-022), 3 tracks linked "
        "(setlist releases show 1)"
    ) in result.stdout.splitlines()
    db = ["--db", str(tmp_path / "demo" / "library.db")]
    for _ in range(2):  # building the demo again changes nothing
        (release,) = json.loads(runner.invoke(cli, [*db, "releases", "list", "--json"]).stdout)
        assert (release["title"], release["labels"]) == (
            "Metropolis", [{"name": "Axis", "catalog_number": "AX-022"}],
        )  # fmt: skip
        assert release["formats"][0]["descriptions"] == ['12"', "33 ⅓ RPM"]
        assert [i["value"] for i in release["identifiers"]] == [
            "AX-021\u0336-A 022 MMM.J.R.",
            "AX-0\u03362\u03361\u0336-B 022 MMM.J.R.",
        ]
        assert [r["date"] for r in release["reviews"]] == ["2019-05-14", "2004-11-02"]
        assert [t["position"] for t in release["tracklist"]] == ["A1", "A2", "B1", "B2"]
        tracks = json.loads(runner.invoke(cli, [*db, "tracks", "--json"]).stdout)
        linked = sorted(t["title"] for t in tracks if t["release_id"] == release["id"])
        assert linked == [f"Metropolis (demo loop {side})" for side in ("A1", "B1", "B2")]
        # Halima Yusuf's record is on "Axis-Adjacent" (AXA-9): another label, not linked.
        assert all(t["release_id"] is None for t in tracks if t["label"] == "Axis-Adjacent")
        assert runner.invoke(cli, demo).exit_code == 0
    page = runner.invoke(cli, [*db, "releases", "show", "1"]).stdout
    listed = [line.split()[0] for line in page.splitlines() if "#" in line and "Mills" in line]
    assert listed == ["A1", "B1", "B2"]  # each loop at its position of the tracklist
    assert "A2  Metropolis (demo interlude)     not in library" in page


def test_demo_makes_its_set_once_and_notes_only_unnoted_tracks(tmp_path: Path) -> None:
    from library.notes import store as notes_store
    from library.notes.model import TrackNotes
    from library.set_store import SetStore
    from setlist.demo.demo_set import DEMO_SET, DEMO_SET_TRACKS

    runner = CliRunner()
    demo = ["demo", "--list", "--dir", str(tmp_path / "demo")]
    result = runner.invoke(cli, demo)
    assert result.exit_code == 0, result.output
    assert f"Set: {DEMO_SET!r}" in result.stdout
    store = Store(tmp_path / "demo" / "library.db")
    try:
        made = SetStore(store).get(DEMO_SET)
        titles = {track.id: track for track in store.tracks()}
        assert [titles[e.track_id].title for e in made.entries] == [
            title for title, _, _ in DEMO_SET_TRACKS
        ]
        assert [titles[e.track_id].energy for e in made.entries] == [
            energy for _, energy, _ in DEMO_SET_TRACKS
        ]
        assert titles[made.entries[-1].track_id].roles == ["closer"]
        # A note of the user's stays; a rerun makes no second set (nor a new one once the
        # demo set is gone while another set exists).
        opener = made.entries[0].track_id
        notes_store.save(store, opener, TrackNotes(energy=2, moods=["à moi"]))
        SetStore(store).rename(DEMO_SET, "Mon set")
        again = runner.invoke(cli, demo)
        assert again.exit_code == 0, again.output
        assert "Set:" not in again.stdout
        assert [s.name for s in SetStore(store).summaries()] == ["Mon set"]
        assert notes_store.load(store, opener).energy == 2
    finally:
        store.close()
