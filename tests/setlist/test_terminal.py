"""Tests for setlist.terminal: untrusted text printed as text, JSON that stays JSON."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from setlist.terminal import dumps_json, printable

BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ANY_TEXT = st.text()  # every code point but lone surrogates


def unsafe(char: str) -> bool:
    """A character that can move the cursor, restyle or reorder what a terminal shows."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in BIDI


# -- printable ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (None, ""),
        ("", ""),
        ("Jëff Mills – Entrée", "Jëff Mills – Entrée"),
        ("東京 🎧 Ünïcödé", "東京 🎧 Ünïcödé"),
        ("\x1b[31mRouge\x1b[0m", "[31mRouge[0m"),
        ("\x1b]8;;http://evil\x1b\\lien\x1b]8;;\x1b\\", "]8;;http://evil\\lien]8;;\\"),
        ("\x9b31mC1", "31mC1"),
        ("ligne\nsuivante", "ligne suivante"),
        ("a\r\n\r\nb", "a b"),
        ("a\u2028b\u2029c\x85d", "a b c d"),
        ("Artist\tTitle", "Artist Title"),
        ("\u202eesrever\u202c", "esrever"),
        ("\u2066iso\u2069 \u200fmark \u061calm", "iso mark alm"),
        ("bell\x07 nul\x00 del\x7f", "bell nul del"),
    ],
)
def test_printable(raw: str | None, shown: str) -> None:
    assert printable(raw) == shown


@given(ANY_TEXT)
def test_printable_output_is_always_one_safe_line(text: str) -> None:
    shown = printable(text)
    assert not any(unsafe(char) for char in shown)
    assert printable(shown) == shown


@given(ANY_TEXT)
def test_printable_keeps_harmless_text_as_is(text: str) -> None:
    if not any(unsafe(char) for char in text):
        assert printable(text) == text


# -- dumps_json ---------------------------------------------------------------------------


def test_dumps_json_is_readable_and_escapes_controls() -> None:
    value = {
        "title": "Entrée \x1b[31m\x9b\u202e\u2028\n",
        "tags": ["東京", None, 128.5, True],
        "clé\x1b": 1,
    }
    text = dumps_json(value)
    assert "Entrée" in text
    assert "東京" in text
    for raw in ("\x1b", "\x9b", "\u202e", "\u2028"):
        assert raw not in text
    assert "\\u001b" in text
    assert "\\u009b" in text
    assert "\\u202e" in text
    assert json.loads(text) == value


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | ANY_TEXT,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT, children, max_size=4)
    ),
    max_leaves=12,
)


@given(JSON_VALUES)
def test_dumps_json_round_trips_and_holds_no_raw_control(value: Any) -> None:
    text = dumps_json(value)
    assert json.loads(text) == value
    assert not any(unsafe(char) for char in text if char != "\n")
