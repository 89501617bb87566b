"""The README's promises that can drift from the code: the commands and the field table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from library.formats import ALL_EXTENSIONS
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


def test_the_playback_section_matches_the_code() -> None:
    from setlist.commands import play
    from setlist.playback import DEFAULT_SECONDS
    from setlist.playback.mpv_process import AUDIO_OUTPUT_ENV, MPV_OPTIONS

    section = " ".join(README.split("## Playback", 1)[1].split("\n## ", 1)[0].split())
    assert play.KEYS_HELP in section
    assert f"{play.SEEK_SECONDS:g} s back, {play.SEEK_SECONDS:g} s on" in section
    assert play.REDRAW_SECONDS == 0.25 and "four times a second" in section
    assert play.LINE_SECONDS == 1 and "printed once a second" in section
    assert f"N = {DEFAULT_SECONDS:g} by" in section
    assert f"`{AUDIO_OUTPUT_ENV}`" in section and "--no-config" in MPV_OPTIONS
    assert "audio_output = " in README.split("### Settings", 1)[1].split("\n## ", 1)[0]
