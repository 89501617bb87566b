"""Messages of the releases view and its dialogs, posted by their workers (past tense).

Kept apart from `messages.py` (the library's and the app's) so the views grow in their own
modules. Every payload is plain data read in a thread; only handlers touch widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from library.matching import Match
    from library.models import Track
    from library.releases.model import Release
    from library.releases.store import Link


class ReleasesListed(Message):
    """Every release, oldest first, with how many tracks are linked to each."""

    def __init__(self, releases: list[Release], linked: dict[int, int], error: str | None) -> None:
        super().__init__()
        self.releases = releases
        self.linked = linked
        self.error = error


class ReleasePageLoaded(Message):
    """One release with its links and their tracks (None: it could not be read, `error`)."""

    def __init__(
        self,
        release_id: int,
        release: Release | None,
        links: list[Link],
        tracks: dict[int, Track],
        error: str | None = None,
    ) -> None:
        super().__init__()
        self.release_id = release_id
        self.release = release
        self.links = links
        self.tracks = tracks
        self.error = error


class ReleasesImported(Message):
    """An import ended: the ids stored (added or updated), or the one-line error."""

    def __init__(self, ids: list[int], added: int, error: str | None = None) -> None:
        super().__init__()
        self.ids = ids
        self.added = added
        self.error = error


class ProposalsFound(Message):
    """The link proposals, with the names to show them by (or the error)."""

    def __init__(
        self,
        matches: list[Match],
        tracks: dict[int, Track],
        releases: dict[int, Release],
        error: str | None = None,
    ) -> None:
        super().__init__()
        self.matches = matches
        self.tracks = tracks
        self.releases = releases
        self.error = error


class ReleaseRequested(Message):
    """Show a release's page (from the track panel: `track_id`'s release)."""

    def __init__(self, release_id: int, track_id: int | None = None) -> None:
        super().__init__()
        self.release_id = release_id
        self.track_id = track_id
