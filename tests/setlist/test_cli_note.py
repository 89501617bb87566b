"""Tests for `setlist note`: changing, showing, history and restore, bad values, and what
`setlist tracks` shows of the notes. A real library file; commands run through click's runner
and, once, as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from factories import add_track, invoke, one_error_line

from library.storage import Store

ROOT = Path(__file__).resolve().parents[2]
NOTE_KEYS = {
    "moods", "energy", "roles", "closing_note", "text", "rating", "colour", "cues", "updated_at",
}  # fmt: skip
HOSTILE = "\x1b[31mrouge\x1b[0m [@click=app.quit] =1+1 <b>\u202eesrever"


@pytest.fixture
def track(db: Path) -> int:
    """One track of 3:05 in a fresh library."""
    store = Store(db)
    try:
        return add_track(store, duration=185.0)
    finally:
        store.close()


def shown(db: Path, track: int) -> dict[str, Any]:
    result = invoke(db, "note", str(track), "--show", "--json")
    assert result.exit_code == 0, result.stderr
    notes: dict[str, Any] = json.loads(result.stdout)
    return notes


def test_every_option_and_the_json_shape(db: Path, track: int) -> None:
    result = invoke(
        db, "note", str(track), "--mood", "Hanté", "--mood", "late night", "--energy", "7",
        "--role", "closer", "--role", "warmup", "--closing-note", "après 5h, vers le silence",
        "--text", "ligne un\nligne deux", "--append", "ligne trois", "--rating", "4",
        "--colour", "purple", "--cue", "1:05=les cloches", "--cue", "0:30.5=intro",
        "--cue", "3:05=fin",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        f"Saved version 1 of the notes of {track}: Jëff Mills – Entrée à Métropolis"
    )
    notes = shown(db, track)
    assert set(notes) == NOTE_KEYS
    assert notes == {
        "moods": ["hanté", "late night"],
        "energy": 7,
        "roles": ["warm-up", "closer"],
        "closing_note": "après 5h, vers le silence",
        "text": "ligne un\nligne deux\nligne trois",
        "rating": 4,
        "colour": "purple",
        "cues": [
            {"at": 30.5, "text": "intro"},
            {"at": 65.0, "text": "les cloches"},
            {"at": 185.0, "text": "fin"},
        ],
        "updated_at": notes["updated_at"],
    }
    human = invoke(db, "note", str(track)).stdout.splitlines()
    assert human[0] == f"Notes of {track}: Jëff Mills – Entrée à Métropolis"
    assert "  moods     hanté, late night" in human
    assert "  rating    ★★★★☆ (4/5)" in human
    assert [line for line in human if "ligne" in line] == [
        "  text      ligne un",
        "            ligne deux",
        "            ligne trois",
    ]
    assert "  cues      0:30.5  intro" in human and "            1:05    les cloches" in human


def test_removing_and_clearing(db: Path, track: int) -> None:
    invoke(db, "note", str(track), "--mood", "a", "--mood", "b", "--role", "peak", "--energy",
           "5", "--rating", "2", "--colour", "red", "--cue", "1:00=x", "--text", "t")  # fmt: skip
    result = invoke(
        db, "note", str(track), "--no-mood", "a", "--no-role", "peak", "--energy", "none",
        "--rating", "none", "--colour", "none", "--no-cue", "1:00", "--text", "",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    notes = shown(db, track)
    assert (notes["moods"], notes["roles"], notes["cues"], notes["text"]) == (["b"], [], [], "")
    assert (notes["energy"], notes["rating"], notes["colour"]) == (None, None, None)


def test_unchanged_notes_make_no_version(db: Path, track: int) -> None:
    invoke(db, "note", str(track), "--mood", "hanté")
    result = invoke(db, "note", str(track), "--mood", "Hanté")
    assert result.stdout.splitlines()[0].startswith("No change to the notes of")
    assert len(json.loads(invoke(db, "note", str(track), "--history", "--json").stdout)) == 1


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--energy", "11"], "energy '11': must be a whole number from 1 to 10"),
        (["--role", "closing"], "role 'closing': not a role"),
        (["--cue", "3:06=trop tard"], "3:06 is past the end of the track (3:05)"),
        (["--cue", "1:05"], "expected TIME=TEXT"),
        (["--colour", "beige"], "not in the palette"),
        (["--rating", "6"], "from 0 to 5"),
        (["--mood", "a;b"], "cannot hold ';'"),
        (["--no-cue", "0:10"], "no cue at 0:10 (cues: none)"),
        (["--restore", "3"], "track 1 has versions 1 to 1"),
        (["--show", "--history"], "--show and --history cannot be combined"),
        (["--history", "--mood", "x"], "--history and changes cannot be combined"),
    ],
)
def test_bad_values_exit_2_and_change_nothing(
    db: Path, track: int, args: list[str], fragment: str
) -> None:
    invoke(db, "note", str(track), "--text", "déjà là", "--energy", "3")
    before = shown(db, track)
    if args[0] in ("--show", "--history", "--restore"):
        result = invoke(db, "note", str(track), *args)
    else:  # a good change beside the bad one is not made either
        result = invoke(db, "note", str(track), "--mood", "ignorée", *args)
    assert result.exit_code == 2
    assert fragment in one_error_line(result.stderr)
    assert shown(db, track) == before


def test_history_and_restore(db: Path, track: int) -> None:
    invoke(db, "note", str(track), "--text", "ce que j'ai écrit", "--energy", "6")
    invoke(db, "note", str(track), "--text", "effacé par erreur")
    history = json.loads(invoke(db, "note", str(track), "--history", "--json").stdout)
    assert [(v["version"], v["source"], v["changed"]) for v in history] == [
        (1, "note", ["energy", "text"]),
        (2, "note", ["text"]),
    ]
    assert history[0]["notes"]["text"] == "ce que j'ai écrit"
    human = invoke(db, "note", str(track), "--history").stdout.splitlines()
    assert human[0] == f"Versions of the notes of {track}: Jëff Mills – Entrée à Métropolis"
    assert human[1].split()[0] == "1" and human[1].endswith("note       energy, text")
    result = invoke(db, "note", str(track), "--restore", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("Restored version 1 of the notes of")
    assert result.stdout.splitlines()[0].endswith("(now version 3)")
    assert shown(db, track)["text"] == "ce que j'ai écrit"
    history = json.loads(invoke(db, "note", str(track), "--history", "--json").stdout)
    assert history[-1]["source"] == "restore 1"


def test_track_by_query_or_path_and_ambiguity(db: Path) -> None:
    store = Store(db)
    first = add_track(store, title="Lumière")
    add_track(store, title="Nacht")
    add_track(store, title="Nacht (Dub)")
    path = store.tracks("id = ?", [first])[0].path
    store.close()
    assert invoke(db, "note", "lumière", "--mood", "x").exit_code == 0
    assert shown(db, first)["moods"] == ["x"]
    assert invoke(db, "note", path, "--mood", "y").exit_code == 0
    assert shown(db, first)["moods"] == ["x", "y"]
    result = invoke(db, "note", "nacht", "--mood", "z")
    assert result.exit_code == 2
    assert "matches 2 tracks" in result.stderr


def test_hostile_text_is_stored_as_written_and_shown_harmlessly(db: Path, track: int) -> None:
    result = invoke(db, "note", str(track), "--text", f"{HOSTILE}\n2e ligne", "--cue",
                    f"0:01={HOSTILE}", "--mood", "[bold]x")  # fmt: skip
    assert result.exit_code == 0
    for raw in ("\x1b", "\u202e"):
        assert raw not in result.stdout
    assert "[@click=app.quit]" in result.stdout  # text, shown as text
    notes = shown(db, track)
    assert notes["text"] == f"{HOSTILE}\n2e ligne" and notes["cues"][0]["text"] == HOSTILE
    raw_json = invoke(db, "note", str(track), "--show", "--json").stdout
    assert "\x1b" not in raw_json and "\u202e" not in raw_json


def test_a_new_mood_close_to_one_in_use_gets_a_hint(db: Path, track: int) -> None:
    store = Store(db)
    other = add_track(store, title="Autre")
    store.close()
    invoke(db, "note", str(other), "--mood", "haunting")
    result = invoke(db, "note", str(track), "--mood", "hauntng", "--mood", "haunting")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == ["note: 'hauntng' is a new mood; did you mean 'haunting'?"]


def test_tracks_json_shows_moods_energy_roles_rating(db: Path, track: int) -> None:
    invoke(db, "note", str(track), "--mood", "hanté", "--energy", "8", "--role", "peak",
           "--rating", "3")  # fmt: skip
    (listed,) = json.loads(invoke(db, "tracks", "--json").stdout)
    assert (listed["moods"], listed["energy"], listed["roles"], listed["rating"]) == (
        ["hanté"], 8, ["peak"], 3,
    )  # fmt: skip
    assert [t["id"] for t in json.loads(invoke(db, "tracks", "role:peak", "--json").stdout)] == [
        track
    ]


def test_real_process_exit_status(db: Path, track: int) -> None:
    program = [sys.executable, "-c", "from setlist.cli import main; main()"]
    done = subprocess.run(
        [*program, "--db", str(db), "note", str(track), "--energy", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (
        "setlist: error: energy '0': must be a whole number from 1 to 10"
    )
