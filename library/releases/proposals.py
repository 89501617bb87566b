"""Link proposals: the release matches a person should decide on, and their decisions.

`link auto` stores the links it is sure of and only lists the others. The app shows those
others (and confident ones not stored yet) as proposals: accepting one stores it as a manual
link (automatic linking never replaces it), rejecting one remembers the pair so it is not
proposed again. Matching itself is `library.matching`; the SQL of rejections lives here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from library.storage import now_iso

if TYPE_CHECKING:
    from library.matching import Match
    from library.storage import Store


def rejected(store: Store) -> set[tuple[int, int]]:
    """The (track id, release id) pairs turned down."""
    rows = store.connection().execute("SELECT track_id, release_id FROM release_link_rejections")
    return {(track_id, release_id) for track_id, release_id in rows}


def proposals(store: Store) -> list[Match]:
    """Every match not stored as the track's link and not rejected, surest first. Tracks
    linked by hand are not matched, and rejected pairs not found (both as in `link auto`)."""
    from library.matching import link_auto
    from library.releases.store import ReleaseStore

    stored = {link.track_id: link.release_id for link in ReleaseStore(store).links()}
    found = [
        match
        for match in link_auto(store, dry_run=True)
        if stored.get(match.track_id) != match.release_id
    ]
    return sorted(found, key=lambda match: (-match.confidence, match.track_id))


def accept(store: Store, match: Match) -> None:
    """Store the match as the track's link, made by hand: `link auto` keeps it."""
    from library.releases.store import Link, ReleaseStore

    link = Link(match.track_id, match.release_id, match.position, match.confidence,
                match.method, manual=True)  # fmt: skip
    ReleaseStore(store).set_links([link], keep_manual=False)


def reject(store: Store, track_id: int, release_id: int) -> None:
    """Never propose this release for this track again (one transaction)."""
    with store.transaction() as connection:
        connection.execute(
            "INSERT OR IGNORE INTO release_link_rejections (track_id, release_id, rejected_at) "
            "VALUES (?, ?, ?)",
            (track_id, release_id, now_iso()),
        )
