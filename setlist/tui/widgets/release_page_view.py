"""One release as a page: the cover beside the header, then the page laid out like the
release page it came from (the lines of `setlist.release_page.render_release`, which
`setlist releases show` prints too): label – catalog number, format, notes, identifiers, the
tracklist with the linked files or "not in library", and the reviews.

The release, its links and their tracks are read in a worker (`ReleasePageLoaded`); the
cover is that of the first linked file that has one (read by `CoverArt`, in its worker).
Every line is imported or tag text made printable line by line, drawn as `Content`, never
parsed as markup; headings are styled by their place on the page, not by their text.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from library.errors import SetlistError
from setlist.release_page import render_release
from setlist.terminal import printable
from setlist.tui.release_messages import ReleasePageLoaded
from setlist.tui.widgets.cover_art import CoverArt

if TYPE_CHECKING:
    from library.models import Track
    from library.releases.model import Release
    from library.releases.store import Link
    from library.storage import Store


def page_content(lines: list[str]) -> tuple[Content, Content]:
    """The page's lines as (header, body): the header is everything before the first blank
    line (its first line bold); in the body, a line after a blank line that starts a
    section (no indent) is a heading."""
    blank = lines.index("") if "" in lines else len(lines)
    header = [Content.styled(lines[0], "bold $text-accent")] if lines else []
    header += [Content(line) for line in lines[1:blank]]
    body: list[Content] = []
    previous = ""
    for line in lines[blank + 1 :]:
        if line and not previous and not line.startswith(" "):
            body.append(Content.styled(line, "bold $text-primary"))
        elif line.endswith("  not in library"):
            body.append(Content.assemble(line.removesuffix("not in library"),
                                         ("not in library", "dim italic")))  # fmt: skip
        else:
            body.append(Content(line))
        previous = line
    return Content("\n").join(header), Content("\n").join(body)


def cover_track(links: list[Link], tracks: dict[int, Track]) -> Track | None:
    """The first linked track, in tracklist order, whose file is there and has a picture."""
    for link in links:
        track = tracks.get(link.track_id)
        if track is not None and track.has_artwork and not track.missing:
            return track
    return None


class ReleasePage(VerticalScroll, can_focus=True):
    """A release's page; "Pick a release" until one is shown."""

    HELP_TITLE = "Release page"

    DEFAULT_CSS = """
    ReleasePage { padding: 0 2; }
    ReleasePage > #release-top { height: auto; margin: 1 0; }
    ReleasePage #release-cover { width: 20; height: 10; margin-right: 2; }
    ReleasePage #release-header { width: 1fr; height: auto; }
    ReleasePage #release-body { height: auto; }
    """

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._store = store
        self.release_id: int | None = None
        self._loaded: ReleasePageLoaded | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="release-top"):
            yield CoverArt(id="release-cover")
            yield Static(Content("Pick a release"), id="release-header", markup=False)
        yield Static(Content(""), id="release-body", markup=False)

    @property
    def text(self) -> str:
        """What the page says, as plain text (header, then body)."""
        header = self.query_one("#release-header", Static).render()
        body = self.query_one("#release-body", Static).render()
        return f"{header}\n{body}"

    def show_release(self, release_id: int | None) -> None:
        """Read and show this release (None: no release to show)."""
        self.release_id = release_id
        if release_id is None:
            self._loaded = None
            self.query_one("#release-header", Static).update(Content("No release yet"))
            self.query_one("#release-body", Static).update(Content(""))
            self.query_one(CoverArt).load(None)
            return
        self._load(self._store, release_id)

    def reload(self) -> None:
        if self.release_id is not None:
            self._load(self._store, self.release_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="release-page")
    def _load(self, store: Store, release_id: int) -> None:
        from library.releases.store import ReleaseStore

        try:
            releases = ReleaseStore(store)
            release = releases.get(release_id)
            links = releases.links(release_id)
            ids = [link.track_id for link in links]
            marks = ", ".join("?" * len(ids))
            tracks = {t.id: t for t in store.tracks(f"id IN ({marks})", ids)} if ids else {}
        except (sqlite3.Error, SetlistError) as error:
            self.post_message(ReleasePageLoaded(release_id, None, [], {}, str(error)))
            return
        self.post_message(ReleasePageLoaded(release_id, release, links, tracks))

    def on_release_page_loaded(self, message: ReleasePageLoaded) -> None:
        message.stop()
        if message.release_id != self.release_id:
            return  # a page asked for before another
        if message.release is None:
            self._loaded = None
            why = printable(message.error)
            error = Content.styled(f"Cannot show this release: {why}", "$text-error")
            self.query_one("#release-header", Static).update(error)
            self.query_one("#release-body", Static).update(Content(""))
            self.query_one(CoverArt).load(None)
            return
        self._loaded = message
        self._draw(message.release, message.links, message.tracks)
        cover = cover_track(message.links, message.tracks)
        self.query_one(CoverArt).load(
            cover.path if cover else None, none="no linked file has a cover"
        )

    def _draw(self, release: Release, links: list[Link], tracks: dict[int, Track]) -> None:
        # The room a line has beside the vertical scrollbar, which a long page gets after
        # this is drawn: wrapped to the whole width, every full line broke again under it.
        room = (self.content_size.width or 100) - self.styles.scrollbar_size_vertical
        width = max(40, room)
        header, body = page_content(render_release(release, links, tracks, width, paths=False))
        self.query_one("#release-header", Static).update(header)
        self.query_one("#release-body", Static).update(body)

    def on_resize(self, event: events.Resize) -> None:
        if self._loaded is not None and self._loaded.release is not None:
            self._draw(self._loaded.release, self._loaded.links, self._loaded.tracks)
