"""Link proposals: tracks that may be copies of a release, to accept or reject one by one.

The proposals (`library.releases.proposals`) are found in a worker: every track matched
against every release, as `setlist link auto --dry-run` does, minus what is linked already
and what was rejected. `a` stores the highlighted one as a link made by hand; `x` rejects
it for good. Each decision is written in a worker, then the list is read again. The dialog
returns whether anything was decided, so the releases view can read its links again.
"""

from __future__ import annotations

import sqlite3
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from library.errors import SetlistError
from setlist.terminal import printable
from setlist.tui.palette import PaletteCommand
from setlist.tui.release_messages import ProposalsFound

if TYPE_CHECKING:
    from library.matching import Match
    from library.models import Track
    from library.releases.model import Release
    from library.storage import Store


def proposal_option(index: int, match: Match, track: Track, release: Release) -> Option:
    """ "0.62  Artist – Title  →  Release artist – title at A1", the evidence below, dim."""
    name = f"{printable(track.artist) or '?'} – {printable(track.title) or '?'}"
    target = f"{printable(release.artist_line) or '?'} – {printable(release.title)}"
    where = f" at {printable(match.position)}" if match.position else ""
    sure = "sure" if match.applied else "maybe"
    return Option(
        Content.assemble(
            (f"{match.confidence:.2f} {sure:<5}", "bold"),
            f"  #{track.id} {name}  →  {target}{where}",
            "\n",
            (f"      {printable(match.method)}", "dim"),
        ),
        id=f"proposal-{index}",
    )


class LinkProposals(ModalScreen[bool]):
    """Returns True when a proposal was accepted or rejected."""

    HELP_TITLE = "Link proposals"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide(True)", "Accept", tooltip="Link this track to this release",
                id="proposals.accept"),
        Binding("x", "decide(False)", "Reject", tooltip="Never propose this link again",
                id="proposals.reject"),
        Binding("escape", "close", "Close", id="proposals.close"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    LinkProposals { align: center middle; }
    LinkProposals > #proposals { width: 95%; max-width: 140; height: 90%; padding: 0 1; }
    #proposals-status { height: auto; color: $text-muted; margin-bottom: 1; }
    #proposals-list { height: 1fr; border: none; }
    """

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self.matches: list[Match] = []
        self.decided = False
        self._busy = True  # a search runs: a key would decide on the list before it

    def compose(self) -> ComposeResult:
        with Vertical(id="proposals", classes="dialog-frame") as frame:
            frame.border_title = "Link proposals"
            yield Static(Content("Matching the library against the releases…"),
                         id="proposals-status", markup=False)  # fmt: skip
            yield OptionList(id="proposals-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._find(self._store)

    @work(thread=True, exclusive=True, exit_on_error=False, group="proposals")
    def _find(self, store: Store, decision: tuple[Match, bool] | None = None) -> None:
        """Write `decision` (a match, accepted or not) if any, then find the proposals."""
        from library.releases import proposals
        from library.releases.store import ReleaseStore

        try:
            if decision is not None:
                match, accepted = decision
                if accepted:
                    proposals.accept(store, match)
                else:
                    proposals.reject(store, match.track_id, match.release_id)
            found = proposals.proposals(store)
            ids = sorted({match.track_id for match in found})
            marks = ", ".join("?" * len(ids))
            tracks = {t.id: t for t in store.tracks(f"id IN ({marks})", ids)} if ids else {}
            releases = {r.id or 0: r for r in ReleaseStore(store).all()}
        except (sqlite3.Error, SetlistError) as error:
            self.post_message(ProposalsFound([], {}, {}, str(error)))
            return
        self.post_message(ProposalsFound(found, tracks, releases))

    def on_proposals_found(self, message: ProposalsFound) -> None:
        self._busy = False
        status = self.query_one("#proposals-status", Static)
        listed = self.query_one(OptionList)
        if message.error is not None:
            status.update(Content.styled(printable(message.error), "$text-error"))
            return
        kept = listed.highlighted or 0
        self.matches = message.matches
        listed.set_options(
            proposal_option(i, m, message.tracks[m.track_id], message.releases[m.release_id])
            for i, m in enumerate(message.matches)
        )
        count = len(message.matches)
        status.update(
            Content(
                f"{count} proposal{'s' if count != 1 else ''}: a accepts (links by hand), "
                "x rejects (never proposed again)"
                if count
                else "No proposals: every track that matches a release is linked."
            )
        )
        if count:
            listed.highlighted = min(kept, count - 1)

    def action_decide(self, accepted: bool) -> None:
        index = self.query_one(OptionList).highlighted
        if self._busy or index is None or not self.matches:
            return
        self._busy = True
        self.decided = True
        self._find(self._store, (self.matches[index], accepted))

    def action_close(self) -> None:
        self.dismiss(self.decided)

    def palette_commands(self) -> list[PaletteCommand]:
        """What the command palette offers while the proposals are open."""
        return [
            PaletteCommand("Accept the proposal", "Link the highlighted track (a)",
                           partial(self.action_decide, True)),
            PaletteCommand("Reject the proposal", "Never propose it again (x)",
                           partial(self.action_decide, False)),
            PaletteCommand("Close the proposals", "escape", self.action_close),
        ]  # fmt: skip
