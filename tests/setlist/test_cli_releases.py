"""`setlist releases ...`, `setlist link ...`, `setlist unlink`: real files, a real library,
the CLI through click's runner and, for standard input, a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import RELEASES, require_seed
from factories import add_track, one_error_line

from library.storage import Store

pytestmark = pytest.mark.usefixtures("no_real_library")

PROGRAM = [sys.executable, "-c", "from setlist.cli import main; main()"]
RAW = ("\x1b", "\x9b", "\u202e", "\x07")


def setlist(db: Path, *args: str, stdin: str | None = None) -> Result:
    from setlist.cli import cli

    return CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin, catch_exceptions=False)


def ok(db: Path, *args: str) -> Result:
    result = setlist(db, *args)
    assert result.exit_code == 0, result.output
    return result


def as_json(db: Path, *args: str) -> Any:
    return json.loads(ok(db, *args, "--json").stdout)


def fixture(name: str) -> str:
    return str(RELEASES / name)


# -- import -------------------------------------------------------------------------------


def test_import_prints_the_stored_releases_and_updates_on_reimport(db: Path) -> None:
    first = as_json(db, "releases", "import", fixture("page-full.txt"), fixture("collection.csv"))
    assert [r["title"] for r in first] == [
        "Tidal Archive", "Metropolis", "Stockholm", "Late Hours, Vol. 1",
    ]  # fmt: skip
    assert [r["id"] for r in first] == [1, 2, 3, 4]
    assert first[0]["reviews"][0] == {
        "date": "2021-09-02",
        "text": "Low tide music: the kick stays under the water for most of Ebbe.\n\n"
        "Playing B2 at the end of the night emptied the room in the best way.",
    }
    again = ok(db, "releases", "import", fixture("page-full.txt"))
    assert again.stdout.splitlines() == [
        "Imported 1 releases: 0 added, 1 updated",
        "  updated    1  Hélène Voss – Tidal Archive  (Nordlicht Records – NLR-007)",
    ]
    assert len(as_json(db, "releases", "list")) == 4


def test_import_the_seed_and_show_it_as_a_page(db: Path) -> None:
    seed = require_seed("metropolis-release-page.txt")
    ok(db, "releases", "import", str(seed))
    page = ok(db, "releases", "show", "1").stdout
    lines = page.splitlines()
    assert lines[:4] == [
        "Jeff Mills – Metropolis",
        "Axis – AX-022",
        'Vinyl, 12", 33 ⅓ RPM',
        "Release 1 · from discogs-page",
    ]
    assert "  • Matrix / Runout (Runout side A): AX-021\u0336-A 022 MMM.J.R." in lines
    assert "  • Matrix / Runout (Runout side B): AX-0\u03362\u03361\u0336-B 022 MMM.J.R." in lines
    assert "Notes" in lines and "  Inspired by Fritz Lang's Metropolis (1926)." in lines
    assert "Reviews (6)" in lines
    dates = [line.strip() for line in lines if line.startswith("  20")]
    assert dates == ["2018-06-10", "2003-03-07", "2002-11-18", "2002-08-13", "2002-08-13",
                     "2002-04-08"]  # fmt: skip
    # Every word of every review is on the page (wrapped, but whole).
    stored = as_json(db, "releases", "show", "1")
    shown_words = page.split()
    for review in stored["reviews"]:
        words = review["text"].split()
        start = shown_words.index(words[0])
        assert shown_words[start : start + len(words)] == words


def test_import_from_standard_input_in_a_real_process(db: Path) -> None:
    text = (RELEASES / "page-keyed.txt").read_text(encoding="utf-8")
    done = subprocess.run(
        [*PROGRAM, "--db", str(db), "releases", "import", "-", "--json"],
        input=text.encode(), capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (release,) = json.loads(done.stdout)
    assert (release["title"], release["country"]) == ("Late Hours (EP)", "Sweden")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (b'{"id": 1, "title": "Metropolis", "labels": [{"name": "Ax', "truncated JSON"),
        (b"Shopping list\n- eggs\n", "not a release page: line 1 is not 'Artist – Title'"),
        (b'{"name": "Jeff Mills", "realname": "Jeffrey Mills"}', "JSON of another kind"),
    ],
)
def test_a_bad_file_stores_nothing_from_the_batch(
    db: Path, tmp_path: Path, content: bytes, problem: str
) -> None:
    bad = tmp_path / "bad – file.json"
    bad.write_bytes(content)
    result = setlist(db, "releases", "import", fixture("page-full.txt"), str(bad))
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert line.startswith(f"setlist: error: {bad}: ")
    assert problem in line
    assert as_json(db, "releases", "list") == []


def test_corpus_json_of_another_kind_from_the_cli(db: Path) -> None:
    from conftest import require_corpus

    artist = require_corpus("releases", "discogs_client", "artists") / "1.json"
    result = setlist(db, "releases", "import", str(artist))
    assert result.exit_code == 2
    assert "JSON of another kind" in one_error_line(result.stderr)


def test_missing_file_and_folder(db: Path, tmp_path: Path) -> None:
    result = setlist(db, "releases", "import", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2 and "cannot read" in one_error_line(result.stderr)
    result = setlist(db, "releases", "import", str(tmp_path))
    assert result.exit_code == 2 and "is a folder" in one_error_line(result.stderr)


def test_forced_format(db: Path) -> None:
    result = setlist(
        db, "releases", "import", "--format", "musicbrainz", fixture("discogs-headings.json")
    )
    assert result.exit_code == 2
    assert "not a MusicBrainz release" in one_error_line(result.stderr)


# -- list / show --------------------------------------------------------------------------


def test_hostile_text_never_reaches_the_terminal_raw(db: Path) -> None:
    ok(db, "releases", "import", fixture("page-hostile.txt"))
    for args in (("releases", "list"), ("releases", "show", "1")):
        out = ok(db, *args).stdout
        assert not any(raw in out for raw in RAW), args
    page = ok(db, "releases", "show", "1").stdout
    assert "[@click=app.quit]Click me[/]" in page  # shown as text, as written
    assert "    =1+1" in page.splitlines()
    data = ok(db, "releases", "show", "1", "--json").stdout
    assert "\x1b" not in data and json.loads(data)["reviews"][1]["text"] == "=1+1"


def test_list_table_and_unknown_release(db: Path) -> None:
    ok(db, "releases", "import", fixture("page-minimal.txt"), fixture("musicbrainz-vinyl.json"))
    lines = ok(db, "releases", "list").stdout.splitlines()
    assert lines[0].split() == ["ID", "ARTIST", "–", "TITLE", "LABEL", "YEAR", "SOURCE", "FILES"]
    assert lines[2].startswith("2   Hélène Voss & Jun Takeda – Tidal Archive")
    result = setlist(db, "releases", "show", "9")
    assert result.exit_code == 2
    assert one_error_line(result.stderr) == "setlist: error: no release with id 9"


# -- new / edit ---------------------------------------------------------------------------


def test_new_and_edit_by_hand(db: Path) -> None:
    created = ok(
        db, "releases", "new", "--artist", "Studio Rough", "--title", "Untitled",
        "--label", "White Label", "--format", 'Vinyl, 12", Single Sided',
        "--track", "A Untitled 6:10", "--track", "B Locked Groove", "--year", "2025",
    )  # fmt: skip
    assert created.stdout == "Created release 1: Studio Rough – Untitled  (White Label)\n"
    ok(db, "releases", "edit", "1", "--catno", "SR-1", "--notes", "Stamped.\nNo sleeve.")
    (release,) = as_json(db, "releases", "list")
    assert release["source"] == "manual"
    assert release["labels"] == [{"name": "White Label", "catalog_number": "SR-1"}]
    assert release["formats"][0]["descriptions"] == ['12"', "Single Sided"]
    assert [(t["position"], t["title"], t["duration"]) for t in release["tracklist"]] == [
        ("A", "Untitled", 370), ("B", "Locked Groove", None),
    ]  # fmt: skip
    assert release["notes"] == "Stamped.\nNo sleeve." and release["year"] == 2025
    page = ok(db, "releases", "show", "1").stdout.splitlines()
    assert page[1] == "White Label – SR-1"
    assert page[page.index("Notes") + 1 : page.index("Notes") + 3] == ["  Stamped.", "  No sleeve."]
    ok(db, "releases", "edit", "1", "--notes", "")
    assert as_json(db, "releases", "show", "1")["notes"] is None


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("new", "--artist", "A"), "--title: a release needs a title"),
        (("edit", "1"), "nothing to change"),
        (("edit", "1", "--title", ""), "--title: a release needs a title"),
        (("edit", "5", "--title", "X"), "no release with id 5"),
    ],
)
def test_new_and_edit_mistakes(db: Path, args: tuple[str, ...], problem: str) -> None:
    ok(db, "releases", "new", "--title", "Untitled")
    result = setlist(db, "releases", *args)
    assert result.exit_code == 2
    assert problem in one_error_line(result.stderr)


# -- link / unlink ------------------------------------------------------------------------


@pytest.fixture
def linked_library(db: Path) -> Callable[..., int]:
    """Releases from our fixtures and tracks added as a scan would."""
    ok(db, "releases", "import", fixture("page-full.txt"), fixture("collection.csv"))

    def add(**tags: Any) -> int:
        store = Store(db)
        try:
            return add_track(store, **tags)
        finally:
            store.close()

    return add


def test_link_auto_json_and_tracks_json(db: Path, linked_library: Callable[..., int]) -> None:
    flut = linked_library(title="Flut (Rückkehr)", artist="Hélène Voss", album="Tidal Archive",
                          label="Nordlicht", catalog_number="NLR007")  # fmt: skip
    mills = linked_library(title="Entrance", artist="Jeff Mills", album="Metropolis",
                           label="Axis", catalog_number="AX-022")  # fmt: skip
    stray = linked_library(title="Stray", artist="Nobody", album="Nothing", label="None",
                           catalog_number="N-1")  # fmt: skip
    dry = as_json(db, "link", "auto", "--dry-run")
    assert {track["release_id"] for track in as_json(db, "tracks")} == {None}
    matches = as_json(db, "link", "auto")
    assert matches == dry
    assert matches == [
        {"track_id": flut, "release_id": 1, "position": "A2", "confidence": 0.98,
         "method": "catno+label+album+artist; position by title", "applied": True},
        {"track_id": mills, "release_id": 2, "position": None, "confidence": 0.98,
         "method": "catno+label+album+artist", "applied": True},
    ]  # fmt: skip
    tracks = {t["id"]: (t["release_id"], t["position"]) for t in as_json(db, "tracks")}
    assert tracks == {flut: (1, "A2"), mills: (2, None), stray: (None, None)}
    page = ok(db, "releases", "show", "1").stdout
    row = next(line for line in page.splitlines() if line.startswith("  A2"))
    assert f"#{flut} Hélène Voss – Flut (Rückkehr)" in row and "catno+label" in row
    assert "not in library" in next(line for line in page.splitlines() if line.startswith("  A1"))
    human = ok(db, "link", "auto").stdout.splitlines()
    assert human[0] == "Applied 2 links, proposed 0 (applied at confidence 0.80 or more)"


def test_manual_link_position_and_unlink(db: Path, linked_library: Callable[..., int]) -> None:
    track = linked_library(title="Salzwiese (Vinyl Rip)", artist="Someone Else")
    result = ok(db, "link", str(track), "1", "--position", "B1")
    assert result.stdout == (
        f"Linked #{track} Someone Else – Salzwiese (Vinyl Rip) → release 1 Hélène Voss – "
        "Tidal Archive at B1\n"
    )
    ok(db, "link", "auto")
    shown = as_json(db, "releases", "show", "1")["links"]
    assert [(k["track_id"], k["position"], k["manual"], k["method"]) for k in shown] == [
        (track, "B1", True, "manual")
    ]
    assert ok(db, "unlink", "salzwiese").stdout.startswith(f"Unlinked #{track} ")
    result = setlist(db, "unlink", str(track))
    assert result.exit_code == 2
    assert (
        one_error_line(result.stderr) == f"setlist: error: track {track} is not linked to a release"
    )


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("{track}", "1", "--position", "Z9"), "--position 'Z9': release 1 has A1, A2, B1"),
        (("{track}", "77"), "no release with id 77"),
        (("{track}", "tidal"), "RELEASE: 'tidal' is not a release id"),
        (("nothing matches this", "1"), "no track matches 'nothing matches this'"),
    ],
)
def test_link_mistakes(
    db: Path, linked_library: Callable[..., int], args: tuple[str, ...], problem: str
) -> None:
    track = linked_library(title="Solo")
    result = setlist(db, "link", *[a.format(track=track) for a in args])
    assert result.exit_code == 2
    assert problem in one_error_line(result.stderr)
    assert as_json(db, "releases", "show", "1")["links"] == []


def test_ambiguous_track_lists_candidates(db: Path, linked_library: Callable[..., int]) -> None:
    ids = [linked_library(title=f"Métropolis {n}") for n in range(2)]
    result = setlist(db, "link", "metropolis", "1")
    assert result.exit_code == 2
    first, *rest = result.stderr.splitlines()
    assert first == "setlist: error: 'metropolis' matches 2 tracks; give an id or a narrower query:"
    assert [line.split(":")[0].strip() for line in rest] == [str(i) for i in ids]


def test_link_usage(db: Path) -> None:
    assert setlist(db, "link", "auto", "--position", "A1").exit_code == 2
    assert setlist(db, "link", "1", "2", "--dry-run").exit_code == 2
    assert setlist(db, "link", "1").exit_code == 2
