"""Link proposals: what is proposed, and what accepting and rejecting one stores."""

from __future__ import annotations

from factories import add_track

from library.releases import proposals
from library.releases.model import Label, Release
from library.releases.store import ReleaseStore
from library.storage import Store


def releases_and_tracks(store: Store) -> tuple[int, int, int, int]:
    """A release, a track sure to match it (catalog number and label), one that only may
    (the album alone), and one that matches nothing."""
    (saved,) = ReleaseStore(store).save(
        [Release(source="manual", artists=["Jëff Mills"], title="Métropolis",
                 labels=[Label(name="Axis", catalog_number="AX-022")])]
    )  # fmt: skip
    sure = add_track(store)
    maybe = add_track(store, label=None, catalog_number=None, artist=None)
    other = add_track(store, album="Autre chose", label="Ailleurs", catalog_number="ZZ-1")
    return saved.release.id or 0, sure, maybe, other


def test_confident_and_doubtful_matches_are_proposed_surest_first(store: Store) -> None:
    release, sure, maybe, _ = releases_and_tracks(store)
    found = proposals.proposals(store)
    assert [(m.track_id, m.release_id) for m in found] == [(sure, release), (maybe, release)]
    assert found[0].confidence > found[1].confidence >= 0.5


def test_an_accepted_proposal_is_a_manual_link_and_no_longer_proposed(store: Store) -> None:
    release, _, maybe, _ = releases_and_tracks(store)
    (match,) = [m for m in proposals.proposals(store) if m.track_id == maybe]
    proposals.accept(store, match)
    link = ReleaseStore(store).link_of(maybe)
    assert link is not None and (link.release_id, link.manual) == (release, True)
    assert maybe not in [m.track_id for m in proposals.proposals(store)]


def test_a_rejected_proposal_is_not_proposed_again_and_nothing_is_linked(store: Store) -> None:
    release, sure, maybe, _ = releases_and_tracks(store)
    proposals.reject(store, maybe, release)
    proposals.reject(store, maybe, release)  # twice is once
    assert [m.track_id for m in proposals.proposals(store)] == [sure]
    assert ReleaseStore(store).link_of(maybe) is None
    assert proposals.rejected(store) == {(maybe, release)}


def test_a_stored_automatic_link_is_not_proposed(store: Store) -> None:
    from library.matching import link_auto

    _, _, maybe, _ = releases_and_tracks(store)
    link_auto(store)  # stores the sure one
    assert [m.track_id for m in proposals.proposals(store)] == [maybe]


def test_link_auto_never_links_a_rejected_pair_however_sure(store: Store) -> None:
    from library.matching import link_auto

    release, sure, maybe, _ = releases_and_tracks(store)
    proposals.reject(store, sure, release)
    applied = [(m.track_id, m.release_id) for m in link_auto(store) if m.applied]
    assert (sure, release) not in applied
    assert ReleaseStore(store).link_of(sure) is None
    assert [m.track_id for m in proposals.proposals(store)] == [maybe]
