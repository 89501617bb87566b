"""The set's shape at a glance: its energy as a Sparkline, and its energy and BPM curves as
plots (textual-plotext), entry by entry.

Only numbers are plotted, with fixed titles: no text from tags reaches plotext, whose
output is read back as ANSI. An entry whose energy or BPM is unknown is left out of the
plot (and counts as 0 in the Sparkline, which cannot leave a gap).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static
from textual_plotext import PlotextPlot

ENERGY_RANGE = (0, 10)  # the notes' energy scale
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


class SetCurves(Vertical):
    """The energy Sparkline over the energy and BPM plots."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="energy-line"):
            yield Static(Content("Energy "), id="energy-label", markup=False)
            yield Sparkline([], id="energy-sparkline")
        with Horizontal(id="set-plots"):
            yield CurvePlot("Energy", id="energy-plot")
            yield CurvePlot("BPM", id="bpm-plot")

    def show_curves(self, energies: Sequence[int | None], bpms: Sequence[float | None]) -> None:
        """The curves of a set whose entries have these energies and BPMs, in order."""
        self.query_one(Sparkline).data = [float(e or 0) for e in energies]
        self.query_one("#energy-plot", CurvePlot).show_points(
            list(enumerate(energies, start=1)), ENERGY_RANGE
        )
        self.query_one("#bpm-plot", CurvePlot).show_points(list(enumerate(bpms, start=1)))
