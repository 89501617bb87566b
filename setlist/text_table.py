"""Columns of text for a terminal: widths measured in cells, the long columns cut to fit.

Cells must already be printable (`setlist.terminal.printable`): this module only measures,
pads and cuts them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from setlist.terminal import cell_width, fit

GAP = 2  # spaces between columns
NARROWEST = 12  # a stretchable column is never cut below this


def render_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    stretch: Sequence[int] = (),
    right: Collection[int] = (),
) -> list[str]:
    """The header and rows as lines at most `width` cells wide where it can be done by
    cutting the `stretch` columns (in that order, each down to NARROWEST); `right` columns
    are aligned right."""
    count = len(header)
    widths = [max(cell_width(row[i]) for row in [header, *rows]) for i in range(count)]
    overflow = sum(widths) + GAP * (count - 1) - width
    for column in stretch:
        if overflow <= 0:
            break
        cut = min(overflow, max(0, widths[column] - NARROWEST))
        widths[column] -= cut
        overflow -= cut
    lines = []
    for row in [header, *rows]:
        cells = []
        for column, cell in enumerate(row):
            text = fit(cell, widths[column])
            if column in right:
                text = text.rstrip()
                text = " " * (widths[column] - cell_width(text)) + text
            cells.append(text)
        lines.append((" " * GAP).join(cells).rstrip())
    return lines
