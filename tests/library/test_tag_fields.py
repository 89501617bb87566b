"""Tests for library.tag_fields: the value parsers, key folding and `extract` over the table.

Expected values are written out by hand; nothing here is computed with the module's own regexes.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from library.models import TagData
from library.tag_fields import (
    FIELD_NAMES,
    FIELDS,
    FIELDS_BY_NAME,
    System,
    clean_text,
    extract,
    index_key,
    loose,
    parse_discogs,
    parse_float,
    parse_int,
    parse_list,
    parse_text,
    parse_year,
)

SYSTEMS: tuple[System, ...] = ("id3", "vorbis", "mp4", "asf", "riff", "aiff")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["3"], 3),
        (["03"], 3),
        (["3/12"], 3),
        (["3 of 12"], 3),
        ([" 7 "], 7),
        (["0"], 0),
        (["A1"], None),  # a vinyl side, not a track number
        (["", "5"], 5),  # the first value that is a number wins
        (["B2", "4"], 4),
        ([""], None),
        ([], None),
        (["-1"], None),
    ],
)
def test_parse_int(values: list[str], expected: int | None) -> None:
    assert parse_int(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["128"], 128.0),
        (["127.5"], 127.5),
        (["127,5"], 127.5),  # a decimal comma
        ([" 174 "], 174.0),
        (["0"], None),  # 0 means "not analysed"
        (["-120"], None),
        (["1000"], None),
        (["fast"], None),
        (["", "90"], 90.0),
        (["nan"], None),
        (["inf"], None),
        ([], None),
    ],
)
def test_parse_float(values: list[str], expected: float | None) -> None:
    assert parse_float(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2000"], 2000),
        (["2000-05-01"], 2000),
        (["01/05/2000"], 2000),
        (["2008.05.25"], 2008),
        (["20000"], None),  # five digits are not a year
        (["99"], None),
        (["unknown", "1999"], 1999),
        ([], None),
    ],
)
def test_parse_year(values: list[str], expected: int | None) -> None:
    assert parse_year(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["28461"], "28461"),
        (["r28461"], "28461"),
        (["R28461"], "28461"),
        (["https://www.discogs.com/release/28461-Jeff-Mills-Metropolis"], "28461"),
        (["https://www.discogs.com/fr/release/28461"], "28461"),
        ([" 28461\0"], "28461"),
        (["abc"], None),
        (["x28461"], None),  # digits glued to a word are not an id
        (["", "r5"], "5"),
        ([], None),
    ],
)
def test_parse_discogs(values: list[str], expected: str | None) -> None:
    assert parse_discogs(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["hanté; hypnotic"], ["hanté", "hypnotic"]),
        (["hanté", "hypnotic"], ["hanté", "hypnotic"]),
        (["hanté;;hypnotic; "], ["hanté", "hypnotic"]),
        (["hanté; hanté", "hanté"], ["hanté"]),
        (["a\0b"], ["a", "b"]),  # ID3v2.4 separates values with NUL
        (["", " ; "], []),
        ([], []),
    ],
)
def test_parse_list(values: list[str], expected: list[str]) -> None:
    assert parse_list(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Jëff Mills"], "Jëff Mills"),
        (["Jëff Mills", "Âme"], "Jëff Mills; Âme"),
        ([" padded \0"], "padded"),
        (["", "  ", "x"], "x"),
        (["", "\0"], None),
        ([], None),
        (["[bold]x[/]"], "[bold]x[/]"),  # kept as written: escaping is the UI's job
    ],
)
def test_parse_text(values: list[str], expected: str | None) -> None:
    assert parse_text(values) == expected


def test_clean_text_keeps_inner_whitespace() -> None:
    assert clean_text("\0 a  b \0") == "a  b"


@pytest.mark.parametrize(
    "spelling",
    ["MusicBrainz Album Id", "MUSICBRAINZ_ALBUMID", "musicbrainz-album-id", "MusicBrainz\tAlbumId"],
)
def test_loose_folds_spellings_together(spelling: str) -> None:
    assert loose(spelling) == "MUSICBRAINZALBUMID"


def test_loose_keeps_other_punctuation() -> None:
    assert loose("Catalog #") == "CATALOG#"
    assert loose("Catalog #") != loose("Catalog")


@pytest.mark.parametrize(
    ("system", "key", "expected"),
    [
        ("id3", "TXXX:Catalog #", "TXXX:CATALOG#"),
        ("id3", "WXXX:discogs_release", "WXXX:DISCOGSRELEASE"),
        ("id3", "TIT2", "TIT2"),
        ("id3", "UFID:http://musicbrainz.org", "UFID:http://musicbrainz.org"),
        ("id3", "COMM", "COMM"),
        ("mp4", "----:com.apple.iTunes:CATALOG NUMBER", "----:CATALOGNUMBER"),
        ("mp4", "----:com.serato.dj:label", "----:LABEL"),
        ("mp4", "\xa9nam", "\xa9nam"),
        ("vorbis", "album artist", "ALBUMARTIST"),
        ("asf", "WM/Publisher", "WM/PUBLISHER"),
        ("riff", "inam", "INAM"),
        ("aiff", "NAME", "NAME"),
    ],
)
def test_index_key(system: System, key: str, expected: str) -> None:
    assert index_key(system, key) == expected


def test_every_field_is_a_tagdata_field() -> None:
    assert set(FIELD_NAMES) <= set(TagData.model_fields)
    assert len(set(FIELD_NAMES)) == len(FIELDS)


@pytest.mark.parametrize("system", SYSTEMS)
def test_no_key_belongs_to_two_fields(system: System) -> None:
    owner: dict[str, str] = {}
    for field in FIELDS:
        for key in field.lookup_keys(system):
            assert owner.setdefault(key, field.name) == field.name, (system, key)


def test_extract_takes_the_first_key_with_a_usable_value() -> None:
    index = {"TBPM": ["0"], "TXXX:BPM": ["127,5"], "TXXX:TEMPO": ["90"]}
    assert extract("id3", index)["bpm"] == 127.5


def test_extract_prefers_the_canonical_key() -> None:
    index = {"TXXX:LABEL": ["Alias Récords"], "TPUB": ["Axis Récords"]}
    assert extract("id3", index)["label"] == "Axis Récords"


def test_extract_empty_index_gives_empty_values() -> None:
    values = extract("vorbis", {})
    assert set(values) == set(FIELD_NAMES)
    assert values["moods"] == []
    assert all(value is None for name, value in values.items() if name != "moods")


def test_extract_ignores_the_release_track_id_decoy() -> None:
    index = {"TXXX:MUSICBRAINZRELEASETRACKID": ["not-the-recording"]}
    assert extract("id3", index)["musicbrainz_track_id"] is None


def test_extract_riff_and_aiff_chunks() -> None:
    riff = extract("riff", {"INAM": ["Entrée"], "IPRT": ["4"], "ICRD": ["2000-05-01"]})
    assert (riff["title"], riff["track_number"], riff["year"]) == ("Entrée", 4, 2000)
    aiff = extract("aiff", {"NAME": ["Entrée"], "AUTH": ["Jëff"], "ANNO": ["note"]})
    assert (aiff["title"], aiff["artist"], aiff["comment"]) == ("Entrée", "Jëff", "note")


def test_fields_by_name_matches_table() -> None:
    assert FIELDS_BY_NAME["catalog_number"].keys("vorbis")[0] == "CATALOGNUMBER"
    assert FIELDS_BY_NAME["bpm"].kind == "float"


_KIND_TYPES = {
    "text": (str, type(None)),
    "discogs": (str, type(None)),
    "int": (int, type(None)),
    "year": (int, type(None)),
    "float": (float, type(None)),
    "list": (list,),
}
_ALL_KEYS = sorted({key for field in FIELDS for s in SYSTEMS for key in field.lookup_keys(s)})


@given(
    system=st.sampled_from(SYSTEMS),
    index=st.dictionaries(
        st.one_of(st.sampled_from(_ALL_KEYS), st.text(max_size=12)),
        st.lists(st.text(max_size=40), max_size=4),
        max_size=12,
    ),
)
def test_extract_never_raises_and_types_hold(system: System, index: dict[str, list[str]]) -> None:
    values = extract(system, index)
    for field in FIELDS:
        assert isinstance(values[field.name], _KIND_TYPES[field.kind]), field.name
    bpm = values["bpm"]
    assert bpm is None or (isinstance(bpm, float) and 0 < bpm < 1000)
    moods = values["moods"]
    assert isinstance(moods, list)
    assert len(moods) == len(set(moods)) and all(m == m.strip() and m for m in moods)


def test_no_alias_repeats_an_earlier_one_once_keys_are_folded() -> None:
    """An alias that folds to a key already listed is dead weight in the table."""
    repeats = []
    for field in FIELDS:
        for system in ("id3", "vorbis", "mp4", "asf", "riff", "aiff"):
            keys = field.lookup_keys(system)
            repeats += [(field.name, system, key) for i, key in enumerate(keys) if key in keys[:i]]
    assert repeats == []
