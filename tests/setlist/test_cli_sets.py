"""Tests for `setlist sets ...`: making and editing sets, show and list in both forms, bad
input (one error line, exit status 2, nothing changed), hostile text. A real library file;
commands run through click's runner and, twice, as real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from factories import add_track, invoke, one_error_line

from library.notes import store as notes_store
from library.notes.model import TrackNotes
from library.storage import Store

ROOT = Path(__file__).resolve().parents[2]
NAME = "Nacht [Dämmerung] = 5h"
HOSTILE = "\x1b[31mrouge\x1b[0m [@click=app.quit]\n#EXTINF =1+1 <b>\u202e"


@pytest.fixture
def tracks(db: Path) -> list[int]:
    """Four tracks that make a good little set: 8A 126 → 9A 128 → 9B 128 → 10B 129."""
    store = Store(db)
    try:
        specs = [
            ("Ōta Kōji", "Aube", "8A", 126.0, 4, ["opener"]),
            ("Nina Ødegaard", "Dérive", "9A", 128.0, 5, []),
            ("Jëff Mills", "Métropolis", "9B", 128.0, 7, ["peak"]),
            ("Süsanne Beyer", "Fin de nuit", "10B", 129.0, 6, ["closer"]),
        ]
        ids = []
        for artist, title, key, bpm, energy, roles in specs:
            track = add_track(store, artist=artist, title=title, key=key, bpm=bpm, duration=300.0)
            notes_store.save(store, track, TrackNotes(energy=energy, roles=roles))
            ids.append(track)
        return ids
    finally:
        store.close()


def ok(db: Path, *args: str) -> str:
    result = invoke(db, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def shown(db: Path, name: str = NAME) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(db, "sets", "show", "--json", "--", name))
    return data


def order(db: Path, name: str = NAME) -> list[int]:
    return [entry["track_id"] for entry in shown(db, name)["entries"]]


@pytest.fixture
def full(db: Path, tracks: list[int]) -> list[int]:
    """The set NAME holding the four tracks in order, target 25 minutes."""
    ok(db, "sets", "new", NAME, "--target", "25", "--venue", "De Melkweg", "--date", "2025-03-01")
    ok(db, "sets", "add", NAME, *map(str, tracks))
    return tracks


def test_new_add_show_json(db: Path, full: list[int]) -> None:
    data = shown(db, NAME.upper())
    assert {k: data[k] for k in ("name", "venue", "date", "target_minutes", "allow_repeat")} == {
        "name": NAME, "venue": "De Melkweg", "date": "2025-03-01", "target_minutes": 25,
        "allow_repeat": False,
    }  # fmt: skip
    assert [(e["position"], e["track_id"], e["start"]) for e in data["entries"]] == [
        (1, full[0], 0.0), (2, full[1], 300.0), (3, full[2], 600.0), (4, full[3], 900.0),
    ]  # fmt: skip
    assert data["entries"][0]["transition"] is None
    second = data["entries"][1]["transition"]
    assert (second["key"]["relation"], second["bpm"]["percent"], second["verdict"]) == (
        "+1", 1.59, "good",
    )  # fmt: skip
    assert data["entries"][2]["transition"]["energy"]["change"] == 2
    assert data["totals"] == {
        "tracks": 4, "seconds": 1200.0, "unknown_durations": 0, "target_seconds": 1500,
        "difference_seconds": -300.0, "verdicts": {"good": 3, "ok": 0, "rough": 0, "unknown": 0},
    }  # fmt: skip
    assert data["warnings"] == [] and data["plays"] == []


def test_show_as_a_table(db: Path, full: list[int]) -> None:
    ok(db, "sets", "note", NAME, "2", "bass first\nthen the hats")
    lines = ok(db, "sets", "show", NAME).splitlines()
    assert lines[0] == f"Set '{NAME}' · De Melkweg · 2025-03-01 · target 25:00"
    assert lines[2].split() == ["#", "START", "ARTIST", "–", "TITLE", "BPM", "KEY", "ENERGY",
                                "TRANSITION"]  # fmt: skip
    assert lines[3].split() == ["1", "0:00", "Ōta", "Kōji", "–", "Aube", "126", "8A", "4"]
    assert lines[4].split()[-7:] == ["9A", "5", "good", "(+1,", "+1.6%,", "energy", "+1)"]
    assert lines[5:7] == ["      ↳ bass first", "      ↳ then the hats"]
    assert "Total 20:00 of a 25:00 target (5:00 under)" in lines
    assert "Transitions: 3 good" in lines
    assert "Warnings:" not in lines


def test_add_by_query_and_path_and_at(db: Path, tracks: list[int]) -> None:
    ok(db, "sets", "new", NAME)
    out = ok(db, "sets", "add", NAME, "mills métropolis", str(tracks[3]))
    assert out.splitlines() == [
        f"Added to '{NAME}' (2 tracks):",
        f"   1. Jëff Mills – Métropolis (#{tracks[2]})",
        f"   2. Süsanne Beyer – Fin de nuit (#{tracks[3]})",
    ]
    store = Store(db)
    path = store.tracks("id = ?", (tracks[0],))[0].path
    store.close()
    ok(db, "sets", "add", NAME, path, "--at", "1")
    ok(db, "sets", "add", NAME, str(tracks[1]), "--at", "3")
    assert order(db) == [tracks[0], tracks[2], tracks[1], tracks[3]]


def test_remove_move_note(db: Path, full: list[int]) -> None:
    a, b, c, d = full
    assert ok(db, "sets", "move", NAME, "4", "1").splitlines() == [
        f"Moved in '{NAME}' from 4 to 1:",
        f"   1. Süsanne Beyer – Fin de nuit (#{d})",
    ]
    assert order(db) == [d, a, b, c]
    ok(db, "sets", "remove", NAME, "4")
    assert order(db) == [d, a, b]
    ok(db, "sets", "note", NAME, "3", "écho")
    assert shown(db)["entries"][2]["transition_note"] == "écho"
    ok(db, "sets", "note", NAME, "3", "")
    assert shown(db)["entries"][2]["transition_note"] == ""


def test_rename_copy_delete(db: Path, full: list[int]) -> None:
    assert ok(db, "sets", "rename", NAME, "Matin").strip() == f"Renamed set '{NAME}' to 'Matin'"
    assert ok(db, "sets", "copy", "matin", "Matin (copie)").strip() == (
        "Copied set 'matin' to 'Matin (copie)' (4 tracks)"
    )
    assert order(db, "Matin (copie)") == full
    refused = invoke(db, "sets", "delete", "Matin")
    assert refused.exit_code == 2
    assert one_error_line(refused.stderr) == (
        "setlist: error: deleting set 'Matin' (4 tracks) needs --yes; nothing was deleted"
    )
    assert order(db, "Matin") == full
    assert ok(db, "sets", "delete", "Matin", "--yes").strip() == "Deleted set 'Matin' (4 tracks)"
    names = [s["name"] for s in json.loads(ok(db, "sets", "list", "--json"))]
    assert names == ["Matin (copie)"]


def test_edit(db: Path, full: list[int]) -> None:
    ok(db, "sets", "edit", NAME, "--target", "90", "--venue", "", "--allow-repeat")
    data = shown(db)
    assert (data["target_minutes"], data["venue"], data["allow_repeat"]) == (90, "", True)
    ok(db, "sets", "add", NAME, str(full[0]))
    assert order(db)[-1] == full[0]
    refused = invoke(db, "sets", "edit", NAME, "--no-allow-repeat")
    assert refused.exit_code == 2 and "does not allow repeats" in one_error_line(refused.stderr)
    ok(db, "sets", "edit", NAME, "--target", "", "--date", "")
    assert (shown(db)["target_minutes"], shown(db)["date"]) == (None, None)


def test_list(db: Path, full: list[int]) -> None:
    ok(db, "sets", "new", "Vide")
    (first, second) = json.loads(ok(db, "sets", "list", "--json"))
    assert (first["name"], first["tracks"], first["seconds"], first["target_minutes"]) == (
        NAME, 4, 1200.0, 25,
    )  # fmt: skip
    assert (second["name"], second["tracks"], second["plays"]) == ("Vide", 0, 0)
    lines = ok(db, "sets", "list").splitlines()
    assert lines[0].split() == ["NAME", "TRACKS", "LENGTH", "TARGET", "VENUE", "DATE", "PLAYED"]
    assert lines[1].startswith(NAME) and "20:00" in lines[1] and "25:00" in lines[1]


def test_nothing_yet(db: Path) -> None:
    listed = invoke(db, "sets", "list")
    assert listed.exit_code == 0 and listed.stderr.strip() == "No sets yet: setlist sets new NAME"
    ok(db, "sets", "new", NAME)
    assert ok(db, "sets", "show", NAME).splitlines()[-1] == (
        "No tracks yet: setlist sets add NAME TRACK..."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "Nope"), "no set named 'Nope'"),
        (("show", "nacht [dammerung] = 5h"),
         f"no set named 'nacht [dammerung] = 5h'; did you mean '{NAME}'?"),
        (("remove", NAME, "0"), f"position 0: '{NAME}' has positions 1 to 4"),
        (("remove", NAME, "5"), f"position 5: '{NAME}' has positions 1 to 4"),
        (("remove", NAME, "deux"), "position 'deux': not a whole number"),
        (("move", NAME, "1", "5"), f"to 5: '{NAME}' has positions 1 to 4"),
        (("move", NAME, "0", "1"), f"from 0: '{NAME}' has positions 1 to 4"),
        (("note", NAME, "9", "x"), f"position 9: '{NAME}' has positions 1 to 4"),
        (("add", NAME, "1", "--at", "6"), f"--at 6: '{NAME}' takes positions 1 to 5"),
        (("add", NAME, "999"), "no track with id 999"),
        (("add", NAME, "1"), "track 1 would be in the set twice (positions 1 and 5); the set "
                             "does not allow repeats (setlist sets edit NAME --allow-repeat)"),
        (("new", NAME.lower()), f"a set named '{NAME}' already exists (names ignore case)"),
        (("new", "  "), "a set name cannot be empty"),
        (("new", "x", "--date", "2025-02-30"),
         "--date '2025-02-30': not a date; write it as YYYY-MM-DD"),
        (("new", "x", "--target", "0"), "--target 0: must be 1 or more"),
        (("new", "x", "--target", "long"), "--target 'long': not a whole number"),
        (("rename", NAME, "Vide"), "a set named 'Vide' already exists (names ignore case)"),
        (("played", NAME, "--date", "hier"), "--date 'hier': not a date; write it as YYYY-MM-DD"),
        (("played", "Vide"), "'Vide' has no tracks: nothing to record as played"),
        (("suggest", NAME, "--after", "5"),
         f"--after 5: '{NAME}' has positions 1 to 4 (0: before the first)"),
        (("suggest", NAME, "--limit", "0"), "--limit 0: must be 1 or more"),
        (("edit", NAME), "nothing to change: give --target, --venue, --date, --description..."),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    db: Path, full: list[int], args: tuple[str, ...], message: str
) -> None:
    ok(db, "sets", "new", "Vide")
    before = ok(db, "sets", "list", "--json"), shown(db)
    result = invoke(db, "sets", *args)
    assert result.exit_code == 2, result.stdout
    assert one_error_line(result.stderr) == f"setlist: error: {message}"
    assert (ok(db, "sets", "list", "--json"), shown(db)) == before


def test_an_ambiguous_track_lists_the_candidates(db: Path, full: list[int]) -> None:
    ok(db, "sets", "new", "Autre")
    result = invoke(db, "sets", "add", "Autre", "Entrée")  # no track has it...
    assert result.exit_code == 2
    result = invoke(db, "sets", "add", "Autre", "e")  # ...and every track has an "e"
    assert result.exit_code == 2
    first, *candidates = result.stderr.splitlines()
    assert first == "setlist: error: 'e' matches 4 tracks; give an id or a narrower query:"
    assert len(candidates) == 4
    assert order(db, "Autre") == []


def test_hostile_text_is_shown_as_text(db: Path, full: list[int]) -> None:
    name = f"{HOSTILE} ={NAME}"
    ok(db, "sets", "new", name, "--venue", HOSTILE, "--description", HOSTILE)
    ok(db, "sets", "add", name, str(full[0]), str(full[1]))
    ok(db, "sets", "note", name, "2", HOSTILE)
    data = shown(db, name)
    assert (data["name"], data["venue"], data["description"]) == (name, HOSTILE, HOSTILE)
    assert data["entries"][1]["transition_note"] == HOSTILE
    human = ok(db, "sets", "show", name) + ok(db, "sets", "list")
    assert "\x1b" not in human and "\u202e" not in human
    assert "[@click=app.quit]" in human  # markup is printed as it is, not interpreted
    assert not any(line.startswith("#EXTINF") for line in human.splitlines())
    raw = invoke(db, "sets", "show", name, "--json").stdout
    assert "\x1b" not in raw and "\\u001b" in raw  # JSON escapes what it must


def test_names_with_spaces_brackets_and_equals(db: Path, tracks: list[int]) -> None:
    for name in ("a b", "[x]", "=SUM(1)", "key=value", "-- dashes"):
        ok(db, "sets", "new", "--", name)
        ok(db, "sets", "add", "--", name, str(tracks[0]))
        assert shown(db, name)["name"] == name


def test_played(db: Path, full: list[int]) -> None:
    out = ok(db, "sets", "played", NAME, "--date", "2025-03-01")
    assert out.strip() == f"Recorded '{NAME}' as played on 2025-03-01 at De Melkweg (4 tracks)"
    ok(db, "sets", "played", NAME, "--date", "2025-04-01", "--venue", "Tresor")
    plays = shown(db)["plays"]
    assert [(p["played_on"], p["venue"]) for p in plays] == [
        ("2025-03-01", "De Melkweg"), ("2025-04-01", "Tresor"),
    ]  # fmt: skip
    assert "Played 2 times, last on 2025-04-01 at Tresor" in ok(db, "sets", "show", NAME)
    (listed,) = json.loads(ok(db, "sets", "list", "--json"))
    assert (listed["plays"], listed["last_played"]) == (2, "2025-04-01")


def test_warnings_in_show(db: Path, full: list[int]) -> None:
    ok(db, "sets", "move", NAME, "4", "1")  # the closer first
    lines = ok(db, "sets", "show", NAME).splitlines()
    warnings = lines[lines.index("Warnings:") + 1 :]
    assert "  #1 Süsanne Beyer – Fin de nuit: a closer, not near the end" in warnings
    assert "  #2 Ōta Kōji – Aube: an opener, not near the start" not in warnings  # 2 is near
    codes = [w["code"] for w in shown(db)["warnings"]]
    assert codes[0] == "closer-early"


def _run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    program = [sys.executable, "-c", "from setlist.cli import main; main()"]
    return subprocess.run(
        [*program, "--db", str(db), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_real_processes(db: Path, tracks: list[int]) -> None:
    made = _run(db, "sets", "new", NAME, "--target", "60")
    assert made.returncode == 0, made.stderr
    assert _run(db, "sets", "add", NAME, *map(str, tracks)).returncode == 0
    shown_json = _run(db, "sets", "show", NAME, "--json")
    assert [e["track_id"] for e in json.loads(shown_json.stdout)["entries"]] == tracks
    refused = _run(db, "sets", "remove", NAME, "0")
    assert refused.returncode == 2
    assert one_error_line(refused.stderr) == (
        f"setlist: error: position 0: '{NAME}' has positions 1 to 4"
    )
