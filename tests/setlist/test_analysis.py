"""Tests for the set analysis: every rule on hand-made cases, and the wheel's symmetries for
every pair of keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from library.keys import Camelot, compatible_keys, parse_key
from setlist.analysis import (
    KEY_RELATIONS,
    PlannedTrack,
    SetWarning,
    TempoChange,
    analyse,
    artists,
    energy_rating,
    key_relation,
    near_end,
    near_start,
    start_times,
    tempo_change,
    transition,
    worst,
)

KEYS = [Camelot(number, letter) for number in range(1, 13) for letter in "AB"]
keys = st.sampled_from(KEYS)


def track(n: int = 1, **values: object) -> PlannedTrack:
    defaults: dict[str, object] = {
        "artist": f"Artiste {n}", "title": f"Titre n°{n}", "bpm": 128.0, "camelot": "8A",
        "energy": 5, "duration": 300.0,
    }  # fmt: skip
    return PlannedTrack(n, **{**defaults, **values})  # type: ignore[arg-type]


def codes(warnings: tuple[SetWarning, ...]) -> list[tuple[str, int | None]]:
    return [(w.code, w.position) for w in warnings]


@pytest.mark.parametrize(
    ("first", "second", "relation"),
    [
        ("8A", "8A", "same"),
        ("8A", "9A", "+1"),
        ("8A", "7A", "-1"),
        ("12A", "1A", "+1"),  # round the wheel
        ("1B", "12B", "-1"),
        ("8A", "8B", "relative"),
        ("8B", "8A", "relative"),
        ("8A", "9B", "diagonal"),
        ("8A", "7B", "diagonal"),
        ("12B", "1A", "diagonal"),
        ("8A", "10A", "+2"),
        ("11B", "1B", "+2"),
        ("8A", "3A", "+7"),  # 8 + 7 = 15 = 3
        ("8A", "6A", "clash"),  # -2
        ("8A", "1A", "clash"),  # -7: a semitone down
        ("8A", "2B", "clash"),
        ("8A", "10B", "clash"),
        ("8A", None, "unknown"),
        (None, "8A", "unknown"),
    ],
)
def test_key_relation(first: str | None, second: str | None, relation: str) -> None:
    assert key_relation(parse_key(first), parse_key(second)) == relation


def test_a_semitone_up_is_seven_steps() -> None:
    """+7 steps of a fifth is 49 semitones: one semitone up (A minor to B♭ minor)."""
    assert key_relation(parse_key("Am"), parse_key("Bbm")) == "+7"
    assert key_relation(parse_key("C"), parse_key("D")) == "+2"  # a whole tone up


@given(keys, keys)
def test_key_relations_are_symmetric_where_they_should_be(a: Camelot, b: Camelot) -> None:
    there, back = key_relation(a, b), key_relation(b, a)
    if there in ("same", "relative", "diagonal"):
        assert back == there
    if there in ("+1", "-1"):
        assert back == {"+1": "-1", "-1": "+1"}[there]
    if there in ("+2", "+7"):  # a lift: going back down is no named move
        assert back == "clash"


@given(keys)
def test_the_named_moves_from_every_key(a: Camelot) -> None:
    assert key_relation(a, a.shifted(2)) == "+2"
    assert key_relation(a, a.shifted(7)) == "+7"
    assert key_relation(a, a.relative().shifted(1)) == "diagonal"
    # The good moves are exactly the compatible keys of the query language (key:~8A).
    good = {b for b in KEYS if KEY_RELATIONS[key_relation(a, b)][1] == "good"}
    assert good == set(compatible_keys(a))
    assert sum(KEY_RELATIONS[key_relation(a, b)][1] == "rough" for b in KEYS) == 24 - 8


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (128, 128, TempoChange(0.0, "normal", "smooth")),
        (128, 131.84, TempoChange(3.0, "normal", "smooth")),  # exactly 3%
        (128, 132, TempoChange(3.12, "normal", "workable")),
        (128, 124, TempoChange(-3.12, "normal", "workable")),
        (128, 135.68, TempoChange(6.0, "normal", "workable")),  # exactly 6%
        (128, 136, TempoChange(6.25, "normal", "jump")),
        (128, 110, TempoChange(-14.06, "normal", "jump")),
        (70, 140, TempoChange(0.0, "double", "smooth")),
        (87, 172, TempoChange(-1.15, "double", "smooth")),
        (140, 70, TempoChange(0.0, "half", "smooth")),
        (128, 64.5, TempoChange(0.78, "half", "smooth")),
        (100, 175, TempoChange(-12.5, "double", "jump")),
    ],
)
def test_tempo_change(first: float, second: float, expected: TempoChange) -> None:
    assert tempo_change(first, second) == expected


@pytest.mark.parametrize(("first", "second"), [(None, 128), (128, None), (0, 128), (128, -1)])
def test_unknown_tempo(first: float | None, second: float | None) -> None:
    assert tempo_change(first, second) is None


@given(st.floats(60, 200), st.floats(0.8, 1.25))
def test_double_time_is_the_same_change(bpm: float, ratio: float) -> None:
    normal = tempo_change(bpm, bpm * ratio)
    double = tempo_change(bpm, bpm * ratio * 2)
    assert normal is not None and double is not None
    assert (double.percent, double.timing, double.rating) == (
        normal.percent, "double", normal.rating,
    )  # fmt: skip


@given(st.floats(40, 300), st.floats(0.5, 2))
def test_half_and_double_time_keep_changes_within_half_an_octave(a: float, ratio: float) -> None:
    """Between half and double the tempo, the change as mixed is at most a factor of √2."""
    change = tempo_change(a, a * ratio)
    assert change is not None and -29.3 <= change.percent <= 41.43


@pytest.mark.parametrize(
    ("change", "rating"),
    [(0, "good"), (2, "good"), (-2, "good"), (3, "ok"), (-3, "ok"), (4, "rough"), (-6, "rough"),
     (None, "unknown")],
)  # fmt: skip
def test_energy_rating(change: int | None, rating: str) -> None:
    assert energy_rating(change) == rating


def test_worst() -> None:
    assert worst(["good", "ok", "unknown"]) == "ok"
    assert worst(["good", "rough", "ok"]) == "rough"
    assert worst(["unknown", "unknown"]) == "unknown"


@pytest.mark.parametrize(
    ("second", "verdict"),
    [
        ({"camelot": "9A", "bpm": 129.0, "energy": 6}, "good"),
        ({"camelot": "10A", "bpm": 129.0, "energy": 6}, "ok"),  # +2
        ({"camelot": "9A", "bpm": 133.0, "energy": 6}, "ok"),  # workable tempo
        ({"camelot": "9A", "bpm": 129.0, "energy": 8}, "ok"),  # +3 energy
        ({"camelot": "2A", "bpm": 129.0, "energy": 6}, "rough"),  # clash
        ({"camelot": "9A", "bpm": 140.0, "energy": 6}, "rough"),  # tempo jump
        ({"camelot": "9A", "bpm": 129.0, "energy": 1}, "rough"),  # energy drop of 4
        ({"camelot": None, "bpm": 129.0, "energy": None}, "good"),  # judged on what is known
        ({"camelot": None, "bpm": None, "energy": None}, "unknown"),
    ],
)
def test_the_verdict_is_the_worst_part(second: dict[str, object], verdict: str) -> None:
    assert transition(track(1), track(2, **second), 2).verdict == verdict


def test_transition_json() -> None:
    step = transition(track(1, bpm=126.0, energy=5), track(2, camelot="9A", energy=7), 2)
    assert step.to_json() == {
        "from": 1,
        "to": 2,
        "key": {"from": "8A", "to": "9A", "relation": "+1",
                "meaning": KEY_RELATIONS["+1"][0], "verdict": "good"},
        "bpm": {"from": 126.0, "to": 128.0, "percent": 1.59, "timing": "normal",
                "rating": "smooth"},
        "energy": {"from": 5, "to": 7, "change": 2, "rating": "good"},
        "verdict": "good",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Jëff Mills", "JEFF MILLS", True),
        ("Jeff Mills", "Jeff Mills & Mike Banks", True),
        ("Jeff Mills; Mike Banks", "mike banks feat. Ōta", True),
        ("Jeff Mills", "Jeff Millsy", False),
        ("", "", False),
        (None, "Jeff Mills", False),
    ],
)
def test_same_artist(first: str | None, second: str | None, same: bool) -> None:
    assert bool(artists(first) & artists(second)) is same


@pytest.mark.parametrize(
    ("count", "starts", "ends"),
    [
        (1, [1], [1]),
        (3, [1, 2], [2, 3]),
        (10, [1, 2], [9, 10]),
        (20, [1, 2, 3, 4], [17, 18, 19, 20]),
    ],
)
def test_near_the_start_and_the_end(count: int, starts: list[int], ends: list[int]) -> None:
    positions = range(1, count + 1)
    assert [p for p in positions if near_start(p, count)] == starts
    assert [p for p in positions if near_end(p, count)] == ends


def test_start_times_go_on_past_an_unknown_length() -> None:
    tracks = [track(1, duration=300.5), track(2, duration=None), track(3), track(4)]
    assert start_times(tracks) == [0.0, 300.5, 300.5, 600.5]
    analysis = analyse(tracks)
    assert codes(analysis.warnings) == [("unknown-duration", 2)]
    assert analysis.totals()["unknown_durations"] == 1
    assert analysis.totals()["seconds"] == 900.5


def test_every_warning() -> None:
    tracks = [
        track(1, roles=("closer",), artist="Ōta"),  # a closer at the start
        track(2, camelot="3B", artist="ŌTA & Nina"),  # clash, the same artist
        track(3, camelot="3B", bpm=140.0, energy=9),  # tempo jump, energy jump
        track(4, camelot="3B", bpm=140.0, energy=9, missing=True, roles=("opener",)),
        track(5, camelot="3B", bpm=140.0, energy=8),
        track(6, camelot="3B", bpm=140.0, energy=8, roles=("opener", "closer")),  # either: fine
    ]
    analysis = analyse(tracks, target_minutes=20)
    assert codes(analysis.warnings) == [
        ("closer-early", 1),
        ("key-clash", 2),
        ("same-artist", 2),
        ("bpm-jump", 3),
        ("energy-jump", 3),
        ("missing-file", 4),
        ("opener-late", 4),
        ("over-target", None),
    ]
    messages = [w.message for w in analysis.warnings]
    assert messages[1] == "#1 → #2: the keys clash (8A → 3B)"
    assert messages[3] == "#2 → #3: a tempo jump of +9.4% (128 → 140 BPM)"
    assert messages[4] == "#2 → #3: energy jumps 5 → 9"
    assert messages[-1] == "30:00 is over the 20:00 target by 10:00"


def test_closer_at_the_end_and_opener_at_the_start_are_fine() -> None:
    tracks = [track(1, roles=("opener",)), track(2), track(3), track(4, roles=("closer",))]
    assert analyse(tracks).warnings == ()


@pytest.mark.parametrize(
    ("minutes", "target", "code"),
    [(61, 60, "over-target"), (60, 60, None), (48, 60, None), (47, 60, "under-target"),
     (30, None, None)],
)  # fmt: skip
def test_length_against_the_target(minutes: int, target: int | None, code: str | None) -> None:
    tracks = [track(n, duration=60.0, camelot=None, bpm=None) for n in range(minutes)]
    analysis = analyse(tracks, target_minutes=target)
    assert [w.code for w in analysis.warnings] == ([code] if code else [])
    totals = analysis.totals()
    assert totals["target_seconds"] == (target * 60 if target else None)
    assert totals["difference_seconds"] == ((minutes - target) * 60 if target else None)


def test_totals_and_json_shape() -> None:
    tracks = [track(1), track(2, camelot="9A"), track(3, camelot="4B"), track(4, camelot=None)]
    analysis = analyse(tracks, target_minutes=25)
    assert analysis.transition_into(1) is None
    step = analysis.transition_into(3)
    assert step is not None and step.relation == "clash"
    data = analysis.to_json()
    assert data["starts"] == [0.0, 300.0, 600.0, 900.0]
    assert [t["to"] for t in data["transitions"]] == [2, 3, 4]
    assert data["totals"] == {
        "tracks": 4, "seconds": 1200.0, "unknown_durations": 0, "target_seconds": 1500,
        "difference_seconds": -300.0, "verdicts": {"good": 2, "ok": 0, "rough": 1, "unknown": 0},
    }  # fmt: skip
    assert data["warnings"] == [
        {"code": "key-clash", "position": 3, "message": "#2 → #3: the keys clash (9A → 4B)"}
    ]


def test_an_empty_set() -> None:
    analysis = analyse([], target_minutes=60)
    assert analysis.starts == () and analysis.transitions == ()
    assert codes(analysis.warnings) == [("under-target", None)]
