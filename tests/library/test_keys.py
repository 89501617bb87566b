"""Tests for library.keys: every notation of all 24 keys, the wheel arithmetic, and junk.

The expected table below is written out by hand from the Camelot wheel, independently of the
module's own tables and arithmetic, so a wrong formula in keys.py cannot agree with itself here.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from library.keys import Camelot, compatible_keys, parse_key

# Camelot number -> (Open Key number, major spellings, minor tonic spellings). The first spelling
# of each is the one Camelot.name is documented to produce.
WHEEL: dict[int, tuple[int, tuple[str, ...], tuple[str, ...]]] = {
    1: (6, ("B", "Cb"), ("G#", "Ab")),
    2: (7, ("F#", "Gb"), ("D#", "Eb")),
    3: (8, ("Db", "C#"), ("Bb", "A#")),
    4: (9, ("Ab", "G#"), ("F", "E#")),
    5: (10, ("Eb", "D#"), ("C", "B#")),
    6: (11, ("Bb", "A#"), ("G",)),
    7: (12, ("F", "E#"), ("D",)),
    8: (1, ("C", "B#"), ("A",)),
    9: (2, ("G",), ("E", "Fb")),
    10: (3, ("D",), ("B", "Cb")),
    11: (4, ("A",), ("F#", "Gb")),
    12: (5, ("E", "Fb"), ("C#", "Db")),
}

ALL_KEYS = [Camelot(n, letter) for n in range(1, 13) for letter in ("A", "B")]

MAJOR_SUFFIXES = ("", "maj", "major", " maj", " major", " Major", " MAJOR", "-major")
MINOR_SUFFIXES = ("m", "min", "minor", " m", " min", " minor", " Minor", "Min", "-minor")


def _glyph_variants(spelling: str) -> set[str]:
    """The spelling with ASCII accidentals, with ♯/♭, and entirely in lower case."""
    unicode = spelling[0] + spelling[1:].replace("#", "♯").replace("b", "♭")
    return {spelling, unicode, spelling.lower()}


def _musical_cases() -> list[tuple[str, Camelot]]:
    cases: list[tuple[str, Camelot]] = []
    for number, (_, majors, minors) in WHEEL.items():
        for tonic in majors:
            for variant in _glyph_variants(tonic):
                cases += [(variant + suffix, Camelot(number, "B")) for suffix in MAJOR_SUFFIXES]
        for tonic in minors:
            for variant in _glyph_variants(tonic):
                cases += [(variant + suffix, Camelot(number, "A")) for suffix in MINOR_SUFFIXES]
    return cases


@pytest.mark.parametrize(("text", "expected"), _musical_cases())
def test_musical_notation_all_24_keys(text: str, expected: Camelot) -> None:
    assert parse_key(text) == expected


@pytest.mark.parametrize("number", range(1, 13))
@pytest.mark.parametrize("letter", ["A", "B"])
def test_camelot_notation(number: int, letter: str) -> None:
    expected = Camelot(number, letter)
    for text in (f"{number}{letter}", f"{number}{letter.lower()}", f"{number:02d}{letter}"):
        assert parse_key(text) == expected, text


@pytest.mark.parametrize("number", range(1, 13))
@pytest.mark.parametrize(("mode", "letter"), [("m", "A"), ("d", "B")])
def test_open_key_notation(number: int, mode: str, letter: str) -> None:
    open_number = WHEEL[number][0]
    assert parse_key(f"{open_number}{mode}") == Camelot(number, letter)
    assert parse_key(f"{open_number}{mode.upper()}") == Camelot(number, letter)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1d", "8B"),
        ("1m", "8A"),
        ("12m", "7A"),
        ("6d", "1B"),
        ("7m", "2A"),
    ],
)
def test_open_key_anchor_points(text: str, expected: str) -> None:
    assert str(parse_key(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "8A - 6",
        "8A-6",
        "8A -6",
        "8a - 10",
        "8A - Energy 6",
        "6 - 8A",
        "Am - 6",
        "Am-6",
        "A minor - 7",
        "1m - 6",
        "8A/Am",
        "Am/8A",
        "8A / Am",
        "Am / 1m / 8A",
        "8A/Am - 6",
    ],
)
def test_mixed_in_key_and_combos(text: str) -> None:
    assert parse_key(text) == Camelot(8, "A")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Am", "8A"),
        ("am", "8A"),
        ("AM", "8A"),  # documented choice: an upper-case M is still minor
        ("A", "11B"),
        ("a", "11B"),
        ("AMAJ", "11B"),
        ("Amaj", "11B"),
        ("  Am\t", "8A"),
        ("\nC\n", "8B"),
        ("Am\x00", "8A"),
        ("A-Flat Minor", "1A"),
        ("F-Sharp Major", "2B"),
        ("B flat minor", "3A"),
        ("Bflat", "6B"),
        ("EBM", "2A"),
        ("bb", "6B"),
        ("B♭m", "3A"),
        ("F♯", "2B"),
        ("F# Minor", "11A"),
        ("E♭ minor", "2A"),
        ("Ebmin", "2A"),
        ("Cb", "1B"),
        ("Fb", "12B"),
        ("E#", "7B"),
        ("B#", "8B"),
        ("Dbm", "12A"),
        ("1b", "1B"),
        ("12B", "12B"),
    ],
)
def test_specific_spellings(text: str, expected: str) -> None:
    assert str(parse_key(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "\t\n",
        "o",  # ID3 TKEY: off key
        "O",
        "off key",
        "xyz",
        "13A",
        "0B",
        "0A",
        "00A",
        "123A",
        "8C",
        "13m",
        "0d",
        "H",
        "Hm",
        "C##m",
        "Cbb",
        "C#b",
        "m",
        "#",
        "minor",
        "Am minor",
        "A mj",
        "8A/9A",  # contradictory combo
        "8A/xyz",
        "/",
        "8A//",
        "6 - 7",
        "8A - 6 - 7",
        "٨A",  # Arabic-Indic digit eight
        "\x00",
        "\x1b[31mAm",
        "A" * 10_000,
        "Am" + " " * 10_000 + "x",
    ],
)
def test_junk_gives_none(text: str) -> None:
    assert parse_key(text) is None


def test_none_gives_none() -> None:
    assert parse_key(None) is None


def test_long_surrounding_whitespace_is_still_ignored() -> None:
    assert parse_key(" " * 10_000 + "8A" + "\n" * 10_000) == Camelot(8, "A")


@pytest.mark.parametrize("key", ALL_KEYS, ids=str)
def test_round_trips(key: Camelot) -> None:
    assert parse_key(str(key)) == key
    assert parse_key(key.open_key) == key
    assert parse_key(key.name) == key


@pytest.mark.parametrize("key", ALL_KEYS, ids=str)
def test_properties_match_the_wheel(key: Camelot) -> None:
    open_number, majors, minors = WHEEL[key.number]
    assert key.is_minor is (key.letter == "A")
    assert key.open_key == f"{open_number}{'m' if key.is_minor else 'd'}"
    assert key.name == (minors[0] + "m" if key.is_minor else majors[0])


def test_name_spellings_are_ascii_and_documented() -> None:
    assert Camelot(8, "A").name == "Am"
    assert Camelot(8, "B").name == "C"
    assert Camelot(3, "A").name == "Bbm"
    assert Camelot(1, "A").name == "G#m"
    assert all(key.name.isascii() for key in ALL_KEYS)


def test_str_and_ordering() -> None:
    assert str(Camelot(12, "B")) == "12B"
    assert sorted([Camelot(10, "A"), Camelot(2, "B"), Camelot(2, "A")]) == [
        Camelot(2, "A"),
        Camelot(2, "B"),
        Camelot(10, "A"),
    ]


@pytest.mark.parametrize(("number", "letter"), [(0, "A"), (13, "B"), (8, "a"), (8, "C"), (8, "")])
def test_invalid_camelot_is_rejected(number: int, letter: str) -> None:
    with pytest.raises(ValueError, match="not a Camelot key"):
        Camelot(number, letter)


@pytest.mark.parametrize(
    ("start", "steps", "expected"),
    [
        ("8A", 1, "9A"),
        ("8A", -1, "7A"),
        ("12A", 1, "1A"),
        ("1B", -1, "12B"),
        ("12B", 2, "2B"),
        ("5A", 12, "5A"),
        ("5A", -25, "4A"),
        ("3B", 7, "10B"),
        ("8B", 0, "8B"),
    ],
)
def test_shifted_wraps(start: str, steps: int, expected: str) -> None:
    key = parse_key(start)
    assert key is not None
    assert str(key.shifted(steps)) == expected


def test_relative() -> None:
    assert Camelot(8, "A").relative() == Camelot(8, "B")
    assert Camelot(1, "B").relative() == Camelot(1, "A")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("8A", ("8A", "7A", "9A", "8B")),
        ("12A", ("12A", "11A", "1A", "12B")),
        ("1A", ("1A", "12A", "2A", "1B")),
        ("1B", ("1B", "12B", "2B", "1A")),
        ("12B", ("12B", "11B", "1B", "12A")),
    ],
)
def test_compatible_keys(key: str, expected: tuple[str, ...]) -> None:
    parsed = parse_key(key)
    assert parsed is not None
    assert tuple(str(k) for k in compatible_keys(parsed)) == expected


keys = st.builds(Camelot, st.integers(1, 12), st.sampled_from(["A", "B"]))


@given(st.text())
def test_parse_key_never_raises(text: str) -> None:
    result = parse_key(text)
    assert result is None or isinstance(result, Camelot)


# Text drawn from the parser's own vocabulary reaches far deeper into it than random unicode.
key_ish = st.text(alphabet="abcdefghm#♯b♭ijnorsptlAEGMB0123456789 -/\t\x00", max_size=30)


@given(key_ish)
def test_parse_key_never_raises_on_key_like_text(text: str) -> None:
    result = parse_key(text)
    assert result is None or isinstance(result, Camelot)


@given(keys, st.sampled_from(["", " ", "\t", "\n "]), st.sampled_from(["", " ", "\r\n"]))
def test_any_notation_with_whitespace_round_trips(key: Camelot, before: str, after: str) -> None:
    for text in (str(key), key.open_key, key.name, f"{key} - 7", f"{key.name}/{key}"):
        assert parse_key(before + text + after) == key


@given(keys, st.integers(-100, 100))
def test_shifting_is_a_cyclic_group(key: Camelot, steps: int) -> None:
    moved = key.shifted(steps)
    assert moved.letter == key.letter
    assert moved.shifted(-steps) == key
    assert key.shifted(steps % 12) == moved
    assert key.relative().relative() == key
    assert key.relative() != key


@given(keys)
def test_compatible_keys_are_distinct_neighbours(key: Camelot) -> None:
    compatible = compatible_keys(key)
    assert len(set(compatible)) == 4
    assert compatible[0] == key
    assert all(k.letter == key.letter for k in compatible[:3])
    assert compatible[3].letter != key.letter
