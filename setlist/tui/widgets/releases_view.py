"""The releases view: every release entry on the left, the chosen one's page on the right.

The list is read in a worker (`ReleasesListed`) when the view is first shown; moving
through it shows each release's page (`ReleasePage`, which reads in its own worker). `i`
opens the import dialog (a pasted page or a file), `l` the link proposals; both change the
library, so the list and the page are read again when they close. Release text is
untrusted: each entry is a `Content`, and the list is built with markup off.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from library.errors import SetlistError
from setlist.terminal import printable
from setlist.tui.palette import PaletteCommand
from setlist.tui.release_messages import ReleasesListed
from setlist.tui.widgets.release_page_view import ReleasePage

if TYPE_CHECKING:
    from library.releases.model import Release
    from library.storage import Store


def release_option(release: Release, linked: int) -> Option:
    """One line of the list: artist – title, then label – catno and the linked files, dim."""
    name = f"{printable(release.artist_line) or '?'} – {printable(release.title)}"
    facts = [printable(release.label_line), str(release.year or ""),
             f"{linked} file{'s' if linked != 1 else ''}" if linked else "no files"]  # fmt: skip
    prompt = Content.assemble(name, "\n", (" · ".join(f for f in facts if f), "dim"))
    return Option(prompt, id=f"release-{release.id}")


class ReleaseList(OptionList):
    """The releases, oldest first; the highlighted one is shown beside."""

    HELP_TITLE = "Release list"


class ReleasesView(Horizontal):
    """Release entries and their pages; import and link proposals from here."""

    HELP_TITLE = "Releases"
    HELP_TEXT = (
        "A release's page shows its tracklist with the files linked to each position, or "
        '"not in library". Import: paste a release page\'s text or give a file (page text, '
        "Discogs or MusicBrainz release JSON, a Discogs collection CSV); a release imported "
        "again is updated. Link proposals: matches `setlist link auto` is not sure of; "
        "accepting one links it by hand, rejecting one stops it being proposed."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "import_release", "Import", tooltip="Import a release (page or file)",
                id="releases.import"),
        Binding("l", "link_proposals", "Proposals", tooltip="Link proposals: accept or reject",
                id="releases.proposals"),
        Binding("tab", "switch_pane", "List/page", show=False,
                tooltip="Between the list and the page", id="releases.switch"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    ReleasesView > #releases-side { width: 32%; max-width: 46; min-width: 28; }
    ReleasesView #releases-status { height: 1; padding: 0 1; color: $text-muted; }
    ReleasesView ReleaseList, ReleasesView ReleaseList:focus { height: 1fr; border: none; }
    ReleasesView ReleasePage { width: 1fr; border-left: solid $primary 30%; }
    """

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._store = store
        self._want: int | None = None  # a release to show once the list has it
        self._listed = False  # read when first shown: not while the app paints its first screen

    def compose(self) -> ComposeResult:
        with Vertical(id="releases-side"):
            yield Static(Content("Loading…"), id="releases-status", markup=False)
            yield ReleaseList(id="release-list", markup=False)
        yield ReleasePage(self._store, id="release-page")

    @property
    def release_list(self) -> ReleaseList:
        return self.query_one(ReleaseList)

    @property
    def page(self) -> ReleasePage:
        return self.query_one(ReleasePage)

    # -- the View protocol ------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            PaletteCommand("Import a release…", "Paste a page or give a file (i)",
                           self.action_import_release),
            PaletteCommand("Link proposals…", "Accept or reject proposed links (l)",
                           self.action_link_proposals),
        ]  # fmt: skip

    def library_changed(self) -> None:
        """Links and files may have changed: read the list and the page again."""
        if self._listed:
            self._want = self.page.release_id
            self._list(self._store)

    def notes_changed(self, track_ids: list[int]) -> None:
        """Notes do not show on a release page."""

    def focus_default(self) -> None:
        """Called as the view is shown: the first time, the list is read."""
        if not self._listed:
            self._listed = True
            self._list(self._store)
        self.release_list.focus()

    # -- the list ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="releases-list")
    def _list(self, store: Store) -> None:
        from library.releases.store import ReleaseStore

        try:
            releases = ReleaseStore(store)
            self.post_message(ReleasesListed(releases.all(), releases.linked_counts(), None))
        except (sqlite3.Error, SetlistError) as error:
            self.post_message(ReleasesListed([], {}, str(error)))

    def on_releases_listed(self, message: ReleasesListed) -> None:
        message.stop()
        status = self.query_one("#releases-status", Static)
        if message.error is not None:
            status.update(Content.styled(printable(message.error), "$text-error"))
            return
        count = len(message.releases)
        status.update(Content(f"{count} release{'s' if count != 1 else ''}" if count
                              else "No releases yet: i imports one"))  # fmt: skip
        listed = self.release_list
        shown = self._want if self._want is not None else self.page.release_id
        listed.set_options(release_option(r, message.linked.get(r.id or 0, 0))
                           for r in message.releases)  # fmt: skip
        ids = [release.id for release in message.releases]
        index = ids.index(shown) if shown in ids else (0 if ids else None)
        self._want = None
        listed.highlighted = index
        if index is None:
            self.page.show_release(None)
        else:
            self.page.show_release(ids[index])  # the same one too: its links may have changed

    @on(OptionList.OptionHighlighted, "#release-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        release_id = int((event.option_id or "release-0").removeprefix("release-"))
        if release_id != self.page.release_id:
            self.page.show_release(release_id)

    @on(OptionList.OptionSelected, "#release-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.page.focus()

    def open_release(self, release_id: int) -> None:
        """Show this release's page, with the list on it (from the track panel's `r`)."""
        try:
            index = self.release_list.get_option_index(f"release-{release_id}")
        except OptionDoesNotExist:  # not listed yet (still loading, or just imported)
            self._want = release_id
            self.page.show_release(release_id)
            return
        self.release_list.highlighted = index
        self.page.show_release(release_id)

    # -- actions ----------------------------------------------------------------------------

    def action_switch_pane(self) -> None:
        (self.page if self.release_list.has_focus else self.release_list).focus()

    def action_import_release(self) -> None:
        from setlist.tui.screens.release_import import ImportDialog

        self.app.push_screen(ImportDialog(self._store), self._imported)

    def _imported(self, ids: list[int] | None) -> None:
        if ids:
            self._want = ids[0]
            self._list(self._store)

    def action_link_proposals(self) -> None:
        from setlist.tui.screens.link_proposals import LinkProposals

        self.app.push_screen(LinkProposals(self._store), self._decided)

    def _decided(self, changed: bool | None) -> None:
        if changed:
            self.library_changed()  # counts of linked files, and the page's tracklist
