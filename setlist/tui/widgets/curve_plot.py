"""One curve of a set (its energy, its BPM) over the positions of its entries, drawn by
textual-plotext in braille dots.

Only numbers are plotted, with fixed titles: no text from tags reaches plotext, whose
output is read back as ANSI. An entry whose value is unknown is left out of the curve.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual_plotext import PlotextPlot

XTICKS_MAX = 12  # up to this many entries, each position is marked on the x axis


class CurvePlot(PlotextPlot):
    """One curve over the set's positions."""

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = title
        self.points: list[tuple[int, float]] = []

    def show_points(
        self, points: Sequence[tuple[int, float | None]], ylim: tuple[int, int] | None = None
    ) -> None:
        """Plot (position, value) points; those without a value are left out."""
        self.points = [(x, y) for x, y in points if y is not None]
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(self._title if self.points or not points else f"{self._title}: none known")
        if self.points:
            xs = [x for x, _ in self.points]
            plt.plot(xs, [y for _, y in self.points], marker="braille")
            if len(xs) <= XTICKS_MAX:  # beyond, plotext's own ticks read better
                plt.xticks([float(x) for x in xs])
        if ylim is not None:
            plt.ylim(*ylim)
        self.refresh()
