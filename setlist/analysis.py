"""How a set flows: each transition's key relation, tempo change and energy change, a verdict
per transition, the set's warnings, start times and totals.

Pure functions over plain data (`PlannedTrack`), no storage: the same rules serve `sets show`,
the exporters (the analysis JSON), the suggestions and, later, the app, and every rule is
tested on hand-made cases. The rules and their thresholds are the README's table ("Sets").
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from library.keys import Camelot, parse_key
from library.search_text import fold
from setlist.durations import format_duration

SMOOTH_PERCENT = 3.0  # a tempo change up to this is smooth
WORKABLE_PERCENT = 6.0  # up to this workable; more is a jump
ENERGY_STEADY = 2  # an energy change up to this (either way) is good
ENERGY_JUMP = 4  # from this on it is rough (in between: ok)
SHORT_SHARE = 0.8  # a set under 80% of its target is much shorter than planned
EDGE_SHARE = 0.2  # "near the start/end": the first/last fifth of the entries...
EDGE_MIN = 2  # ...and at least the first/last two

VERDICTS = ("good", "ok", "rough")  # from best to worst; "unknown" when nothing is known
# Key relations, what each means, and its verdict (the README's table).
KEY_RELATIONS: dict[str, tuple[str, str]] = {
    "same": ("the same key", "good"),
    "+1": ("one step up the wheel (a fifth up): all notes but one shared", "good"),
    "-1": ("one step down the wheel (a fifth down): all notes but one shared", "good"),
    "relative": ("the relative major or minor (same number): the same notes", "good"),
    "diagonal": ("one step and across (8A → 9B or 7B): all notes but one shared", "ok"),
    "+2": ("energy boost: two steps up, the key a whole tone higher", "ok"),
    "+7": ("semitone: seven steps up, the key a semitone higher", "ok"),
    "clash": ("no shared scale: the keys clash", "rough"),
    "unknown": ("a key is not known", "unknown"),
}
# Every warning a set can get (the README's table lists them).
WARNING_CODES = (
    "key-clash", "bpm-jump", "energy-jump", "same-artist", "closer-early", "opener-late",
    "missing-file", "unknown-duration", "over-target", "under-target",
)  # fmt: skip
_SQRT2 = math.sqrt(2)
_ARTIST_SPLIT = re.compile(r"\s*(?:;|,|&|\bfeat\.?|\bft\.?|\bvs\.?)\s*")


@dataclass(frozen=True, slots=True)
class PlannedTrack:
    """What the analysis needs of one entry of a set (from a library `Track` and its notes)."""

    track_id: int
    artist: str | None = None
    title: str | None = None
    bpm: float | None = None
    camelot: str | None = None
    energy: int | None = None
    roles: tuple[str, ...] = ()
    moods: tuple[str, ...] = ()
    duration: float | None = None
    missing: bool = False

    @property
    def key(self) -> Camelot | None:
        return camelot(self.camelot)


@functools.lru_cache(maxsize=256)
def camelot(text: str | None) -> Camelot | None:
    """A stored key as a `Camelot` (cached: a library holds 24 keys, on thousands of tracks
    that suggestions weigh at once)."""
    return parse_key(text)


@functools.lru_cache(maxsize=1024)  # 24 × 24 keys, and None
def key_relation(first: Camelot | None, second: Camelot | None) -> str:
    """How `second` sits on the Camelot wheel from `first`: a name of `KEY_RELATIONS`."""
    if first is None or second is None:
        return "unknown"
    if first == second:
        return "same"
    if second == first.relative():
        return "relative"
    steps = (second.number - first.number) % 12
    if first.letter != second.letter:
        return "diagonal" if steps in (1, 11) else "clash"
    return {1: "+1", 11: "-1", 2: "+2", 7: "+7"}.get(steps, "clash")


@dataclass(frozen=True, slots=True)
class TempoChange:
    """The tempo change into the next track, as a DJ would mix it.

    `timing` is "normal", "double" (the next track's BPM is about twice this one's: it is
    mixed at half its tempo) or "half"; `percent` is the change after that, signed.
    """

    percent: float
    timing: str
    rating: str  # smooth, workable, jump


def tempo_change(first: float | None, second: float | None) -> TempoChange | None:
    """The change from `first` BPM to `second`, half and double time considered; None when a
    BPM is unknown (or not positive)."""
    if not first or not second or first <= 0 or second <= 0:
        return None
    # The reading closest to `first` (on a log scale: the ratio nearest 1); an octave apart,
    # the boundaries between readings are at √2 and 1/√2.
    ratio = second / first
    timing = "double" if ratio > _SQRT2 else "half" if ratio < 1 / _SQRT2 else "normal"
    ratio *= {"double": 0.5, "half": 2.0, "normal": 1.0}[timing]
    percent = round((ratio - 1) * 100, 2)
    size = abs(percent)
    rating = "smooth" if size <= SMOOTH_PERCENT else "workable"
    if size > WORKABLE_PERCENT:
        rating = "jump"
    return TempoChange(percent, timing, rating)


def energy_rating(change: int | None) -> str:
    """good for a step of up to ENERGY_STEADY, rough from ENERGY_JUMP, ok between."""
    if change is None:
        return "unknown"
    if abs(change) <= ENERGY_STEADY:
        return "good"
    return "ok" if abs(change) < ENERGY_JUMP else "rough"


_TEMPO_VERDICT = {"smooth": "good", "workable": "ok", "jump": "rough"}


def worst(verdicts: Sequence[str]) -> str:
    """The worst of some verdicts ("unknown" ones left out; all unknown: "unknown")."""
    known = [v for v in verdicts if v in VERDICTS]
    return max(known, key=VERDICTS.index) if known else "unknown"


@dataclass(frozen=True, slots=True)
class Transition:
    """From one entry into the next (`position` is the next one's)."""

    position: int
    first: PlannedTrack
    second: PlannedTrack
    relation: str
    tempo: TempoChange | None
    energy_change: int | None
    verdict: str

    def to_json(self) -> dict[str, Any]:
        """The transition as the JSON of `sets show` and of the exporters."""
        tempo = self.tempo
        return {
            "from": self.position - 1,
            "to": self.position,
            "key": {
                "from": self.first.camelot,
                "to": self.second.camelot,
                "relation": self.relation,
                "meaning": KEY_RELATIONS[self.relation][0],
                "verdict": KEY_RELATIONS[self.relation][1],
            },
            "bpm": {
                "from": self.first.bpm,
                "to": self.second.bpm,
                "percent": tempo.percent if tempo else None,
                "timing": tempo.timing if tempo else None,
                "rating": tempo.rating if tempo else "unknown",
            },
            "energy": {
                "from": self.first.energy,
                "to": self.second.energy,
                "change": self.energy_change,
                "rating": energy_rating(self.energy_change),
            },
            "verdict": self.verdict,
        }


def transition(first: PlannedTrack, second: PlannedTrack, position: int) -> Transition:
    """The analysis of mixing `first` into `second` (which is at `position`)."""
    relation = key_relation(first.key, second.key)
    tempo = tempo_change(first.bpm, second.bpm)
    change = None
    if first.energy is not None and second.energy is not None:
        change = second.energy - first.energy
    verdict = worst(
        [
            KEY_RELATIONS[relation][1],
            _TEMPO_VERDICT[tempo.rating] if tempo else "unknown",
            energy_rating(change),
        ]
    )
    return Transition(position, first, second, relation, tempo, change, verdict)


def artists(text: str | None) -> set[str]:
    """The artists of an artist field, folded: "A; B", "A & B", "A feat. B" are A and B."""
    return {part for part in _ARTIST_SPLIT.split(fold(text)) if part}


def start_times(tracks: Sequence[PlannedTrack]) -> list[float]:
    """When each entry starts, in seconds from the start of the set, each played whole; an
    unknown duration counts as 0 (the analysis warns that the starts after it are early)."""
    starts, clock = [], 0.0
    for track in tracks:
        starts.append(clock)
        clock += track.duration or 0.0
    return starts


def near_start(position: int, count: int) -> bool:
    """In the first fifth of the set, or among its first two entries."""
    return position <= max(EDGE_MIN, math.ceil(count * EDGE_SHARE))


def near_end(position: int, count: int) -> bool:
    """In the last fifth of the set, or among its last two entries."""
    return position > count - max(EDGE_MIN, math.ceil(count * EDGE_SHARE))


@dataclass(frozen=True, slots=True)
class SetWarning:
    """Something in a set a DJ should look at: a code, where (a position or None for the
    whole set), and what, in words."""

    code: str  # one of WARNING_CODES
    position: int | None
    message: str

    def __post_init__(self) -> None:
        if self.code not in WARNING_CODES:
            raise ValueError(f"not a warning code: {self.code!r}")

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "position": self.position, "message": self.message}


def _name(track: PlannedTrack) -> str:
    return f"{track.artist or '?'} – {track.title or '?'}"


def transition_warnings(step: Transition) -> list[SetWarning]:
    """A clash, a tempo jump, an energy jump, the same artist twice in a row."""
    at, found = step.position, []
    where = f"#{at - 1} → #{at}"
    if step.relation == "clash":
        keys = f"{step.first.camelot} → {step.second.camelot}"
        found.append(SetWarning("key-clash", at, f"{where}: the keys clash ({keys})"))
    if step.tempo and step.tempo.rating == "jump":
        bpm = f"{step.first.bpm:g} → {step.second.bpm:g} BPM"
        found.append(
            SetWarning(
                "bpm-jump", at, f"{where}: a tempo jump of {step.tempo.percent:+.1f}% ({bpm})"
            )
        )
    if step.energy_change is not None and abs(step.energy_change) >= ENERGY_JUMP:
        change = f"{step.first.energy} → {step.second.energy}"
        found.append(SetWarning("energy-jump", at, f"{where}: energy jumps {change}"))
    shared = artists(step.first.artist) & artists(step.second.artist)
    if shared:
        found.append(
            SetWarning(
                "same-artist", at, f"{where}: the same artist back to back ({step.second.artist})"
            )
        )
    return found


def entry_warnings(track: PlannedTrack, position: int, count: int) -> list[SetWarning]:
    """A missing file, an unknown length, a closer early or an opener late."""
    found, name = [], _name(track)
    if track.missing:
        found.append(
            SetWarning("missing-file", position, f"#{position} {name}: the file is missing")
        )
    if track.duration is None:
        found.append(
            SetWarning(
                "unknown-duration", position,
                f"#{position} {name}: length unknown; the start times after it are early",
            )
        )  # fmt: skip
    roles = set(track.roles)
    if "closer" in roles and "opener" not in roles and not near_end(position, count):
        found.append(
            SetWarning("closer-early", position, f"#{position} {name}: a closer, not near the end")
        )
    if "opener" in roles and "closer" not in roles and not near_start(position, count):
        found.append(
            SetWarning(
                "opener-late", position, f"#{position} {name}: an opener, not near the start"
            )
        )
    return found


def length_warnings(seconds: float, target_minutes: int | None) -> list[SetWarning]:
    """Longer than the target, or under `SHORT_SHARE` of it."""
    if not target_minutes:
        return []
    target = target_minutes * 60
    length, goal = format_duration(seconds), format_duration(target)
    if seconds > target:
        over = format_duration(seconds - target)
        return [SetWarning("over-target", None, f"{length} is over the {goal} target by {over}")]
    if seconds < target * SHORT_SHARE:
        return [
            SetWarning(
                "under-target", None,
                f"{length} is under {SHORT_SHARE:.0%} of the {goal} target",
            )
        ]  # fmt: skip
    return []


@dataclass(frozen=True, slots=True)
class SetAnalysis:
    """A whole set: each entry's start, the transitions into entries 2..N, and more."""

    starts: tuple[float, ...]
    transitions: tuple[Transition, ...]  # transitions[i] leads into entry i + 2
    seconds: float
    unknown_durations: int
    target_minutes: int | None
    warnings: tuple[SetWarning, ...]

    def transition_into(self, position: int) -> Transition | None:
        """The transition into the entry at `position` (None for the first)."""
        return self.transitions[position - 2] if position >= 2 else None

    def totals(self) -> dict[str, Any]:
        """The figures of the whole set, as JSON."""
        target = self.target_minutes * 60 if self.target_minutes else None
        counts = {name: 0 for name in (*VERDICTS, "unknown")}
        for step in self.transitions:
            counts[step.verdict] += 1
        return {
            "tracks": len(self.starts),
            "seconds": round(self.seconds, 3),
            "unknown_durations": self.unknown_durations,
            "target_seconds": target,
            "difference_seconds": round(self.seconds - target, 3) if target else None,
            "verdicts": counts,
        }

    def to_json(self) -> dict[str, Any]:
        """The analysis as exporters receive it (`ExportContext.analysis`)."""
        return {
            "starts": [round(start, 3) for start in self.starts],
            "transitions": [step.to_json() for step in self.transitions],
            "totals": self.totals(),
            "warnings": [warning.to_json() for warning in self.warnings],
        }


def analyse(tracks: Sequence[PlannedTrack], target_minutes: int | None = None) -> SetAnalysis:
    """Everything the rules say about a set of these tracks, in this order."""
    count = len(tracks)
    steps = tuple(transition(tracks[i - 1], tracks[i], i + 1) for i in range(1, count))
    warnings: list[SetWarning] = []
    for position, track in enumerate(tracks, start=1):
        if position >= 2:
            warnings += transition_warnings(steps[position - 2])
        warnings += entry_warnings(track, position, count)
    seconds = sum(track.duration or 0.0 for track in tracks)
    warnings += length_warnings(seconds, target_minutes)
    unknown = sum(track.duration is None for track in tracks)
    return SetAnalysis(
        tuple(start_times(tracks)), steps, seconds, unknown, target_minutes, tuple(warnings)
    )
