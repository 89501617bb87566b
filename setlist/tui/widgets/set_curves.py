"""The set's shape at a glance: its energy as a Sparkline, and its energy and BPM curves as
plots (`CurvePlot`), entry by entry.

The plots are mounted when the first set is shown: plotext is imported then, not before
the app's first paint. An entry whose energy is unknown counts as 0 in the Sparkline, which
cannot leave a gap (the plots leave it out).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static

ENERGY_RANGE = (0, 10)  # the notes' energy scale


class SetCurves(Vertical):
    """The energy Sparkline over the energy and BPM plots."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="energy-line"):
            yield Static(Content("Energy "), id="energy-label", markup=False)
            yield Sparkline([], id="energy-sparkline")
        yield Horizontal(id="set-plots")

    def show_curves(self, energies: Sequence[int | None], bpms: Sequence[float | None]) -> None:
        """The curves of a set whose entries have these energies and BPMs, in order."""
        from setlist.tui.widgets.curve_plot import CurvePlot

        self.query_one(Sparkline).data = [float(e or 0) for e in energies]
        plots = self.query_one("#set-plots", Horizontal)
        if not plots.children:
            plots.mount(CurvePlot("Energy", id="energy-plot"), CurvePlot("BPM", id="bpm-plot"))
        energy, bpm = plots.query_children(CurvePlot)
        energy.show_points(list(enumerate(energies, start=1)), ENERGY_RANGE)
        bpm.show_points(list(enumerate(bpms, start=1)))
