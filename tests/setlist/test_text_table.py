"""Tests for terminal columns: widths in cells (wide characters count two), cutting to fit."""

from __future__ import annotations

from setlist.terminal import cell_width
from setlist.text_table import NARROWEST, render_table


def test_columns_line_up_in_cells() -> None:
    lines = render_table(("#", "TITRE", "BPM"), [("1", "階段", "128"), ("10", "Aube", "95.5")], 80,
                         right=(0, 2))  # fmt: skip
    assert lines == [" #  TITRE   BPM", " 1  階段    128", "10  Aube   95.5"]


def test_long_columns_are_cut_to_the_width() -> None:
    rows = [("1", "Ødegaard – " + "très long titre " * 8, "note " * 10, "128")]
    lines = render_table(("#", "NAME", "NOTE", "BPM"), rows, 60, stretch=(1, 2))
    assert all(cell_width(line) <= 60 for line in lines)
    assert "…" in lines[1] and lines[1].endswith("128")


def test_a_width_too_small_stops_at_the_narrowest() -> None:
    lines = render_table(("NAME",), [("x" * 40,)], 5, stretch=(0,))
    assert cell_width(lines[1]) == NARROWEST
