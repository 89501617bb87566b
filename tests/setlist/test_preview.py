"""The transition preview: its schedule (pure), and that a real mpv plays it from the right
places, stops each segment at its end, and steps from transition to transition."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require_mpv
from hypothesis import given
from hypothesis import strategies as st
from playback_testing import LOOP_SECONDS, long_mp3

from library.tags import read_tags
from setlist.playback import (
    DEFAULT_SECONDS,
    Player,
    PreviewError,
    Segment,
    TrackEnded,
    TrackStarted,
    TransitionPreview,
    transition_segments,
    wait_for,
)

A, B, C = Path("/musique/a-été.flac"), Path("/musique/b-hiver.mp3"), Path("/musique/c-ñ.ogg")
POSITION_TOLERANCE = 0.25  # the position read just after a segment's start event


def test_each_transition_is_the_outro_then_the_intro() -> None:
    assert DEFAULT_SECONDS == 30
    assert transition_segments([(A, 300.0), (B, 200.5), (C, 400.0)]) == [
        Segment(0, 0, A, 270.0, None),
        Segment(0, 1, B, 0.0, 30.0),
        Segment(1, 1, B, 170.5, None),
        Segment(1, 2, C, 0.0, 30.0),
    ]


def test_the_length_is_configurable() -> None:
    assert transition_segments([(A, 300.0), (B, 200.0)], seconds=12.5) == [
        Segment(0, 0, A, 287.5, None),
        Segment(0, 1, B, 0.0, 12.5),
    ]


def test_a_short_track_is_heard_whole() -> None:
    assert transition_segments([(A, 20.0), (B, 20.0)]) == [
        Segment(0, 0, A, 0.0, None),
        Segment(0, 1, B, 0.0, None),
    ]


@pytest.mark.parametrize("unknown", [None, 0.0, -1.0, math.nan])
def test_an_unknown_length_counts_from_the_end(unknown: float | None) -> None:
    """mpv takes a negative start as "from the end", so the outro needs no known length."""
    assert transition_segments([(A, unknown), (B, unknown)]) == [
        Segment(0, 0, A, -30.0, None),
        Segment(0, 1, B, 0.0, 30.0),
    ]


@pytest.mark.parametrize(
    ("entries", "seconds", "message"),
    [
        ([], 30.0, "needs at least two tracks; the set has 0"),
        ([(A, 300.0)], 30.0, "needs at least two tracks; the set has 1"),
        ([(A, 300.0), (B, 300.0)], 0.0, "preview length 0.0: must be a positive number"),
        ([(A, 300.0), (B, 300.0)], -5.0, "preview length -5.0"),
        ([(A, 300.0), (B, 300.0)], math.inf, "preview length inf"),
    ],
)
def test_a_preview_that_cannot_be_made_says_why(
    entries: list[tuple[Path, float | None]], seconds: float, message: str
) -> None:
    with pytest.raises(PreviewError, match=message):
        transition_segments(entries, seconds)


@given(
    lengths=st.lists(st.none() | st.floats(0.5, 36000), min_size=2, max_size=12),
    seconds=st.floats(0.5, 600),
)
def test_the_schedule_steps_through_the_whole_set(
    lengths: list[float | None], seconds: float
) -> None:
    paths = [Path(f"/musique/{number}-é.mp3") for number in range(len(lengths))]
    segments = transition_segments(list(zip(paths, lengths, strict=True)), seconds)
    assert len(segments) == 2 * (len(lengths) - 1)
    for number, (out, into) in enumerate(zip(segments[::2], segments[1::2], strict=True)):
        assert (out.transition, into.transition) == (number, number)
        assert (out.path, into.path) == (paths[number], paths[number + 1])
        assert out.end is None  # an outro runs to the end of its track
        assert into.start == 0
        length = lengths[number]
        if length is None:
            assert out.start == -seconds
        else:
            assert out.start == max(0.0, length - seconds)
        assert into.end is None or into.end == seconds


# -- on a real mpv ----------------------------------------------------------------------------


@pytest.fixture
def player() -> Iterator[Player]:
    require_mpv()
    with Player() as running:
        yield running


@pytest.fixture
def set_tracks(tmp_path: Path) -> list[tuple[Path, float | None]]:
    """Three tracks of about 30, 45 and 60 s, with their lengths as a scan reads them."""
    paths = [
        long_mp3(tmp_path / "Électro" / f"{name}.mp3", loops)
        for name, loops in (("Ouverture", 4), ("Milieu", 6), ("Clôture", 8))
    ]
    return [(path, read_tags(path).duration) for path in paths]


def test_the_preview_plays_each_segment_from_its_start_and_stops_at_its_end(
    player: Player, set_tracks: list[tuple[Path, float | None]]
) -> None:
    (first, first_length), (second, second_length), _ = set_tracks
    assert first_length == pytest.approx(4 * LOOP_SECONDS, abs=0.1)
    assert second_length is not None and first_length is not None
    preview = TransitionPreview(player, transition_segments(set_tracks, seconds=1.0))
    assert preview.transitions == 2

    preview.play()
    assert preview.current() == Segment(0, 0, first, first_length - 1.0, None)
    assert player.position() == pytest.approx(first_length - 1.0, abs=POSITION_TOLERANCE)
    ended = wait_for(player.events, lambda e: isinstance(e, TrackEnded), 5)
    assert ended == TrackEnded(0, first, "eof")  # the outro runs to the end of the track

    event = wait_for(player.events, lambda e: isinstance(e, TrackStarted), 5)
    assert event == TrackStarted(1, second)
    assert player.position() == pytest.approx(0.0, abs=POSITION_TOLERANCE)
    assert preview.current() == Segment(0, 1, second, 0.0, 1.0)
    ended = wait_for(player.events, lambda e: isinstance(e, TrackEnded), 5)
    assert ended == TrackEnded(1, second, "eof")  # mpv stopped the intro at 1 s

    event = wait_for(player.events, lambda e: isinstance(e, TrackStarted), 5)
    assert event == TrackStarted(2, second)  # straight on into the next transition
    assert player.position() == pytest.approx(second_length - 1.0, abs=POSITION_TOLERANCE)
    assert preview.current() == Segment(1, 1, second, second_length - 1.0, None)


def test_stepping_from_transition_to_transition(
    player: Player, set_tracks: list[tuple[Path, float | None]]
) -> None:
    (_, first_length), (second, second_length), _ = set_tracks
    assert first_length is not None and second_length is not None
    preview = TransitionPreview(player, transition_segments(set_tracks, seconds=5.0))
    preview.play(1)
    assert preview.current() == Segment(1, 1, second, second_length - 5.0, None)
    assert player.position() == pytest.approx(second_length - 5.0, abs=POSITION_TOLERANCE)
    assert not preview.next_transition()  # the last one: it plays on
    assert preview.current() == Segment(1, 1, second, second_length - 5.0, None)
    assert preview.previous_transition()
    current = preview.current()
    assert current is not None and current.transition == 0
    assert player.position() == pytest.approx(first_length - 5.0, abs=POSITION_TOLERANCE)
    assert not preview.previous_transition()
    assert preview.next_transition()
    assert player.position() == pytest.approx(second_length - 5.0, abs=POSITION_TOLERANCE)
    with pytest.raises(PreviewError, match="transition 3: the set has 2 transitions"):
        preview.play(2)


def test_an_outro_of_unknown_length_is_found_by_mpv(
    player: Player, set_tracks: list[tuple[Path, float | None]]
) -> None:
    unknown = [(path, None) for path, _ in set_tracks]
    TransitionPreview(player, transition_segments(unknown, seconds=2.0)).play()
    assert player.position() == pytest.approx(4 * LOOP_SECONDS - 2.0, abs=POSITION_TOLERANCE)
