"""The README's promises that can drift from the code: the commands and the field table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from library.formats import ALL_EXTENSIONS
from library.storage import Store
from library.tag_fields import FIELDS, Field

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _row(name: str) -> str:
    rows = [line for line in README.splitlines() if line.startswith(f"| {name} |")]
    assert len(rows) == 1, f"README field table needs exactly one row for {name}"
    return rows[0]


def test_the_two_commands_are_documented() -> None:
    assert "make demo" in README
    assert "make test" in README


@pytest.mark.parametrize("field", FIELDS, ids=lambda field: field.name)
def test_field_table_lists_every_id3_and_vorbis_key(field: Field) -> None:
    row = _row(field.name)
    missing = [key for key in (*field.id3, *field.vorbis) if f"`{key}`" not in row]
    assert missing == []


def test_every_extension_is_documented() -> None:
    missing = [ext for ext in ALL_EXTENSIONS if not re.search(re.escape(ext) + r"[\s`]", README)]
    assert missing == []


def test_the_releases_section_matches_the_code() -> None:
    from library.matching import AMBIGUITY_MARGIN, PROPOSE_FLOOR, THRESHOLD
    from library.releases.detect import FORMATS
    from library.releases.model import SOURCES

    section = README.split("## Releases", 1)[1].split("\n## ", 1)[0]
    assert all(f"`{name}`" in section for name in (*FORMATS, *SOURCES))
    assert f"**{THRESHOLD:.2f} or more**" in section
    assert f"from {PROPOSE_FLOOR:.2f}" in section and f"within {AMBIGUITY_MARGIN:.2f}" in section
    for command in ("releases import", "releases list", "releases show", "releases new",
                    "releases edit", "link auto", "link auto --dry-run", "unlink"):  # fmt: skip
        assert f"setlist {command}" in section, command
    assert "release_id, position" in README


def _export_section() -> str:
    return README.split("## Export and import", 1)[1].split("\n## Formats and fields", 1)[0]


def _blocks(section: str, language: str) -> list[str]:
    """The fenced blocks of `language` in `section`, without their fences."""
    return re.findall(rf"^```{language}\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)


def test_the_export_section_matches_the_code() -> None:
    from setlist.exporters import FORMATS
    from setlist.exporters.csv_table import COLUMNS
    from setlist.rekordbox_fields import COLOUR_CODES

    section = _export_section()
    words = " ".join(section.split())
    assert all(f"`{fmt}`" in section for fmt in FORMATS)
    assert f"`{', '.join(COLUMNS)}`" in words
    assert all(f"{name} `{code}`" in section for name, code in COLOUR_CODES.items())
    for command in ("export", "import m3u", "import rekordbox"):
        assert f"### `setlist {command}`" in section
    assert "--relative-to DIR" in section and '--set "Vendredi"' in section


def test_the_export_examples_are_what_setlist_writes(store: Store) -> None:
    import io

    from export_builder import readme_set

    from setlist.exporters import exporter

    context, section = readme_set(store), _export_section()

    def written(fmt: str) -> str:
        stream = io.StringIO()
        exporter(fmt)(context, stream)
        return stream.getvalue()

    assert _blocks(section, "m3u") == [written("m3u8")]
    assert _blocks(section, "text") == [written("txt")]
    assert _blocks(section, "markdown") == [written("md")]
    for fmt, block in zip(("rekordbox", "nml"), _blocks(section, "xml"), strict=True):
        lines = written(fmt).splitlines()  # shortened with "...": every other line is there
        shown = [line for line in block.splitlines() if line.strip() != "..."]
        assert [line for line in shown if line not in lines] == [], fmt
        assert shown[:6] == lines[:6], fmt


def test_the_sets_section_matches_the_code() -> None:
    from setlist.analysis import (
        KEY_RELATIONS,
        SHORT_SHARE,
        SMOOTH_PERCENT,
        WARNING_CODES,
        WORKABLE_PERCENT,
    )
    from setlist.commands.sets import sets_group
    from setlist.suggestions import KEY_SCORES, PHASES, TEMPO_ZERO, WEIGHTS

    section = README.split("\n## Sets\n", 1)[1].split("\n## ", 1)[0]
    for command in sets_group.commands:
        assert f"`setlist sets {command} " in section, command
    for relation, (_meaning, verdict) in KEY_RELATIONS.items():
        rows = [
            line
            for line in section.splitlines()
            if line.startswith("| ") and f"`{relation}`" in line.split("|")[1]
        ]
        assert rows, relation
        if verdict != "unknown":
            assert rows[0].endswith(f"| {verdict} |"), relation
    for code in WARNING_CODES:
        assert f"| `{code}` |" in section, code
    assert f"up to {SMOOTH_PERCENT:g}% either way" in section
    assert f"up to {WORKABLE_PERCENT:g}%: workable" in section
    assert f"under {SHORT_SHARE:.0%} of its target" in section
    for part, weight in WEIGHTS.items():
        assert f"| the {part} | {weight:.0%} |" in section, part
    assert f"0 from {TEMPO_ZERO:g}%" in section
    key_row = next(line for line in section.splitlines() if line.startswith("| the key | "))
    assert f"same {KEY_SCORES['same']:g}" in key_row and f"+7 {KEY_SCORES['+7']:g}" in key_row
    ends = [f"{end:.0%}" for end, *_ in PHASES[:-2]]
    assert all(f"{end}" in section for end in ends), ends
    assert "[Export and import](#export-and-import)" in section
    assert "play_count, last_played" in README


def test_the_playback_section_matches_the_code() -> None:
    from setlist.commands import play
    from setlist.playback import DEFAULT_SECONDS
    from setlist.playback.mpv_process import AUDIO_OUTPUT_ENV, MPV_OPTIONS
    from setlist.settings import Settings

    section = " ".join(README.split("## Playback", 1)[1].split("\n## ", 1)[0].split())
    assert play.KEYS_HELP in section
    assert f"{play.SEEK_SECONDS:g} s back, {play.SEEK_SECONDS:g} s on" in section
    assert play.REDRAW_SECONDS == 0.25 and "four times a second" in section
    assert play.LINE_SECONDS == 1 and "printed once a second" in section
    assert f"N = {DEFAULT_SECONDS:g} by" in section
    assert Settings().preview_seconds == DEFAULT_SECONDS
    assert "the setting `preview_seconds`" in section
    assert f"`{AUDIO_OUTPUT_ENV}`" in section and "--no-config" in MPV_OPTIONS
    assert "audio_output = " in README.split("### Settings", 1)[1].split("\n## ", 1)[0]


def _your_data() -> str:
    return README.split("\n## Your data\n", 1)[1].split("\n## ", 1)[0]


def test_the_your_data_section_matches_the_code() -> None:
    from library.backups import KEEP_MIGRATION_BACKUPS
    from library.library_file import BUSY_TIMEOUT_MS
    from library.transfer import FORMAT, VERSION
    from setlist.tui.library_watch import POLL_SECONDS

    section = " ".join(_your_data().split())
    for command in ("backup", "restore", "export-notes", "import-notes"):
        assert f"setlist {command}" in section, command
    assert "--dry-run" in section and "--json" in section
    assert f"up to {BUSY_TIMEOUT_MS // 1000} s" in section
    assert f"the library stayed busy for {BUSY_TIMEOUT_MS // 1000} s" in section
    assert f"the last {KEEP_MIGRATION_BACKUPS} of those copies" in section
    assert f"every {POLL_SECONDS:g} s" in section
    assert f'{{"format": "{FORMAT}", "version": {VERSION},' in section


def test_the_import_notes_example_is_what_setlist_prints(tmp_path: Path) -> None:
    """The example's lines are the command's, numbers aside."""
    from factories import add_track, invoke

    from library.notes import store as notes_store
    from library.notes.model import TrackNotes

    one, other = tmp_path / "a.db", tmp_path / "b.db"
    for db in (one, other):
        store = Store(db)
        track = add_track(store, path=b"/musique/caisse/entr\xc3\xa9e.flac", audio_identity="x:1")
        if db == one:
            notes_store.save(store, track, TrackNotes(moods=["hanté"]))
        store.close()
    assert invoke(one, "export-notes", "-o", str(tmp_path / "n.json")).exit_code == 0
    printed = invoke(other, "import-notes", str(tmp_path / "n.json")).stdout
    example = _blocks(_your_data(), "")[-1]
    assert re.sub(r"\d+", "N", example) == re.sub(r"\d+", "N", printed)
