"""Tests for `setlist tracks` and the group's `--db`/`SETLIST_DB`: JSON, table, query words.

Libraries are real SQLite files, filled by real scans of fixture copies or by
`Store.save_scanned` with hand-made tags (non-ASCII by default, hostile where the test says).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from factories import add_track, one_error_line
from processes import run

from library.scanning import scan
from library.storage import Store
from setlist.cli import cli
from setlist.commands.tracks import query_text

pytestmark = pytest.mark.usefixtures("no_real_library")

REQUIRED = {
    "id", "path", "format", "title", "artist", "album", "label", "catalog_number", "bpm", "key",
    "camelot", "duration", "missing",
}  # fmt: skip
HOSTILE = [
    "\x1b[31mRouge\x1b[0m",
    "\x1b]8;;http://evil.example\x1b\\lien\x1b]8;;\x1b\\",
    "ligne\nsuivante",
    "retour\r\x1b[2K",
    "\x9b31mC1",
    "\u202eesrever",
    "sep\u2028arateur",
    "nul\x00",
]
RAW = ("\x1b", "\x9b", "\u202e", "\u2028", "\x00", "\r", "\x07")


@pytest.fixture
def library(db: Path) -> Any:
    """An open store on `db`, closed after the test (commands open their own)."""
    store = Store(db)
    yield store
    store.close()


def setlist(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def listed(db: Path, *args: str) -> list[dict[str, Any]]:
    result = setlist(db, "tracks", "--json", *args)
    assert result.exit_code == 0, result.stderr
    tracks: list[dict[str, Any]] = json.loads(result.stdout)
    return tracks


def titles(db: Path, *args: str) -> set[str]:
    return {track["title"] for track in listed(db, *args)}


# -- JSON ---------------------------------------------------------------------------------


def test_json_objects_carry_the_documented_fields(db: Path, music: Path) -> None:
    store = Store(db)
    scan(store, [music], workers=1)
    store.close()
    tracks = listed(db)
    assert all(set(track) >= REQUIRED for track in tracks)
    (full,) = [t for t in tracks if t["path"] == str(music / "full.flac")]
    assert {k: full[k] for k in ("format", "title", "artist", "label", "catalog_number")} == {
        "format": "flac",
        "title": "Entrée à Métropolis",
        "artist": "Jëff Mills",
        "label": "Axis Récords",
        "catalog_number": "AX-022",
    }
    assert (full["bpm"], full["key"], full["camelot"], full["missing"]) == (
        128.0,
        "Am",
        "8A",
        False,
    )
    assert isinstance(full["id"], int)
    assert full["duration"] == pytest.approx(1.0, abs=0.1)


def test_empty_library(db: Path) -> None:
    result = setlist(db, "tracks")
    assert (result.exit_code, result.stdout) == (0, "")
    assert "No tracks match" in result.stderr
    assert listed(db) == []


def test_limit_and_sort(db: Path, library: Store) -> None:
    for bpm in (124.0, 140.0, None, 100.0, 128.0):
        add_track(library, bpm=bpm, title=f"à {bpm}")
    assert [t["bpm"] for t in listed(db, "--sort", "bpm")] == [100.0, 124.0, 128.0, 140.0, None]
    assert [t["bpm"] for t in listed(db, "--sort", "-bpm")] == [140.0, 128.0, 124.0, 100.0, None]
    assert [t["bpm"] for t in listed(db, "--sort", "-bpm", "--limit", "2")] == [140.0, 128.0]
    table = setlist(db, "tracks", "--limit", "3")
    assert len(table.stdout.splitlines()) == 1 + 3
    assert "3 of 5 tracks" in table.stderr


def test_bad_sort_and_limit(db: Path) -> None:
    result = setlist(db, "tracks", "--sort", "colour")
    assert result.exit_code == 2
    assert "colour" in one_error_line(result.stderr)
    assert setlist(db, "tracks", "--limit", "0").exit_code == 2


# -- query words --------------------------------------------------------------------------


def test_exclusions_pass_through_as_words(db: Path, library: Store) -> None:
    add_track(library, title="The Bells")
    add_track(library, title="The Bells (Remix)")
    add_track(library, title="The Bells", album="Hard House")
    assert titles(db, "mills", "--", "-remix") == {"The Bells"}
    assert titles(db, "mills", "-remix") == {"The Bells"}
    assert titles(db, "-remix", "mills") == {"The Bells"}
    # "-house" starts like "-h": it must exclude, not show help
    assert titles(db, "bells", "-house", "-remix") == {"The Bells"}
    assert len(listed(db, "bells", "-house", "-remix")) == 1


def test_shell_unquoted_field_value_is_quoted_again(db: Path, library: Store) -> None:
    add_track(library, title="The Bells")
    add_track(library, title="Bells of the Night")
    assert titles(db, "title:the bells") == {"The Bells"}
    assert titles(db, "the bells") == {"The Bells"}
    assert titles(db, "the", "bells") == {"The Bells", "Bells of the Night"}
    assert titles(db, "-title:the bells") == {"Bells of the Night"}


def test_shell_quoted_phrase_with_a_colon_is_a_phrase(db: Path, library: Store) -> None:
    add_track(library, title="Live: at Tresor")
    add_track(library, title="at Tresor Live")
    assert titles(db, "Live: at Tresor") == {"Live: at Tresor"}


@pytest.mark.parametrize(
    ("words", "text"),
    [
        (["mills"], "mills"),
        (["title:the bells"], 'title:"the bells"'),
        (["-title:the bells"], '-title:"the bells"'),
        (["Label:Axis Récords"], 'Label:"Axis Récords"'),
        (["the bells"], '"the bells"'),
        (["-the bells"], '-"the bells"'),
        (["Live: at Tresor"], '"Live: at Tresor"'),
        (['say "hi" there'], 'say "hi" there'),
        (["key:~8A", "bpm:120..130"], "key:~8A bpm:120..130"),
    ],
)
def test_query_text(words: list[str], text: str) -> None:
    assert query_text(words) == text


def test_bad_query_is_one_line_and_exit_2(db: Path) -> None:
    result = setlist(db, "tracks", "mills", "grouping:red")
    assert result.exit_code == 2
    assert "grouping" in one_error_line(result.stderr)
    assert result.stdout == ""
    assert not db.exists()  # the query is checked before the library is opened


def test_missing_tracks_are_listed_and_marked(db: Path, music: Path) -> None:
    store = Store(db)
    scan(store, [music], workers=1)
    (music / "full.flac").unlink()
    scan(store, [music], workers=1)
    store.close()
    assert [t["path"] for t in listed(db, "missing:yes")] == [str(music / "full.flac")]
    table = setlist(db, "tracks", "missing:yes")
    assert "(missing)" in table.stdout


# -- hostile text -------------------------------------------------------------------------


def test_table_never_prints_control_characters(db: Path, library: Store) -> None:
    for text in HOSTILE:
        add_track(library, title=text, artist=text, label=text, catalog_number=text)
    result = setlist(db, "tracks")
    assert result.exit_code == 0
    for raw in RAW:
        assert raw not in result.stdout
    assert len(result.stdout.splitlines()) == 1 + len(HOSTILE)  # nothing broke a line
    assert "Rouge" in result.stdout


def test_json_escapes_control_characters_and_round_trips(db: Path, library: Store) -> None:
    for text in HOSTILE:
        add_track(library, title=text, artist="Jëff")
    result = setlist(db, "tracks", "--json")
    for raw in RAW:
        assert raw not in result.stdout
    assert "Jëff" in result.stdout  # readable, not \\u-escaped
    assert {track["title"] for track in json.loads(result.stdout)} == set(HOSTILE)


# -- --db and SETLIST_DB ------------------------------------------------------------------


def test_foreign_db_is_refused_with_exit_2_and_left_alone(tmp_path: Path) -> None:
    foreign = tmp_path / "photos.db"
    foreign.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)
    before = hashlib.sha256(foreign.read_bytes()).hexdigest()
    result = setlist(foreign, "tracks")
    assert result.exit_code == 2
    assert str(foreign) in one_error_line(result.stderr)
    assert hashlib.sha256(foreign.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos.db"]


def test_setlist_db_environment_variable(tmp_path: Path, music: Path) -> None:
    from_env = tmp_path / "from-env.db"
    runner = CliRunner(env={"SETLIST_DB": str(from_env)})
    assert runner.invoke(cli, ["scan", str(music)]).exit_code == 0
    assert from_env.exists()
    listed_env = json.loads(runner.invoke(cli, ["tracks", "--json"]).stdout)
    assert len(listed_env) > 0
    # --db wins over the environment
    explicit = tmp_path / "explicit.db"
    assert runner.invoke(cli, ["--db", str(explicit), "tracks", "--json"]).stdout.strip() == "[]"
    assert explicit.exists()


def test_default_library_lives_in_the_data_folder(tmp_path: Path, music: Path) -> None:
    result = CliRunner().invoke(cli, ["scan", str(music / "full.flac")])
    assert result.exit_code == 0
    assert (tmp_path / "xdg" / "setlist" / "library.db").exists()


# -- the real program ---------------------------------------------------------------------


def test_real_process_errors_are_one_line(tmp_path: Path, music: Path) -> None:
    db = str(tmp_path / "library.db")
    assert run("--db", db, "scan", str(music)).returncode == 0
    bad = run("--db", db, "tracks", "bpm:fast")
    assert bad.returncode == 2
    assert "bpm:fast" in one_error_line(bad.stderr)
    undecodable = run("--db", db, "tracks", b"caf\xe9")  # not UTF-8, straight from a shell
    assert (undecodable.returncode, undecodable.stdout) == (0, "")
    assert "Traceback" not in undecodable.stderr
    found = run("--db", db, "tracks", "--json", "mills", "-house", "key:~8A")
    assert found.returncode == 0, found.stderr
    assert {Path(t["path"]).name for t in json.loads(found.stdout)} >= {"full.flac", "alias.ogg"}
