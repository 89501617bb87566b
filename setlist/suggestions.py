"""Next-track suggestions: library tracks ranked for a place in a set, each with its reasons.

A candidate is weighed against its neighbours by the analysis' own rules: the key relation
(`KEY_SCORES`), the tempo change with half and double time, the energy change against the
direction the set should take there, the moods it shares, and whether its roles fit the
place. The direction comes from where the place falls in the target length: rising toward
the peak, holding at the peak, falling toward a closer at the end (`phase`); between two
entries it is the way from one to the other.

`rank` is pure; `suggest` narrows the library in SQL first (`library.set_candidates`): the
keys that do not clash and the tempo windows (±6%, at half and double time too), widening
only when too few tracks are left; and it reads those candidates best score bound first
(`score_bound`), stopping once nothing unread could enter the best.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from library.keys import Camelot
from setlist.analysis import (
    WORKABLE_PERCENT,
    PlannedTrack,
    Transition,
    key_relation,
    transition,
)

if TYPE_CHECKING:
    from library.set_candidates import CandidateRow, ScoreBound
    from library.storage import Store
    from setlist.models import SetList

KEY_SCORES = {
    "same": 1.0, "+1": 0.95, "-1": 0.95, "relative": 0.9, "diagonal": 0.7, "+2": 0.65,
    "+7": 0.6, "unknown": 0.3, "clash": 0.0,
}  # fmt: skip
WEIGHTS = {"key": 0.35, "tempo": 0.30, "energy": 0.20, "moods": 0.10, "roles": 0.05}
TEMPO_ZERO = 10.0  # a tempo change of this many percent scores nothing
ENERGY_STEP = 0.25  # the energy part loses this per step away from the change wanted
# Parts that cannot be judged: no neighbour at all, a tempo or an energy unknown, an energy
# with nothing before it to compare with.
ALONE, TEMPO_UNKNOWN, ENERGY_UNKNOWN, ENERGY_UNJUDGED = 0.5, 0.3, 0.4, 0.6
# Where a place falls in the target length -> the phase of the set there: the energy change
# it wants, the roles that fit and the roles that do not.
PHASES: tuple[tuple[float, str, int, frozenset[str], frozenset[str]], ...] = (
    (0.15, "opening", 1, frozenset({"opener", "warm-up"}), frozenset({"peak", "closer", "encore"})),
    (0.6, "building toward the peak", 1, frozenset({"warm-up", "builder"}),
     frozenset({"opener", "closer", "encore"})),
    (0.8, "at the peak", 0, frozenset({"peak", "builder", "breakdown"}),
     frozenset({"opener", "warm-up", "encore"})),
    (1.0, "closing", -1, frozenset({"closer", "breakdown"}), frozenset({"opener", "warm-up"})),
    (float("inf"), "past the target", -1, frozenset({"closer", "encore"}),
     frozenset({"opener", "warm-up", "builder"})),
)  # fmt: skip
READ_CHUNK = 500  # candidates read at a time, best bound first
EPSILON = 1e-9  # scores closer than this are equal (SQL and Python add floats apart)
_KEY_WORDS = {"relative": "relative", "diagonal": "diagonal", "+2": "energy boost",
              "+7": "a semitone up", "clash": "clash"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Place:
    """Where a suggestion would go: its neighbours and how far into the target it starts
    (None without a target)."""

    previous: PlannedTrack | None
    following: PlannedTrack | None
    progress: float | None = None
    position: int = 1  # the position the suggestion would take


def phase(progress: float) -> tuple[str, int, frozenset[str], frozenset[str]]:
    """The phase of the set at `progress` (the share of the target length already played)."""
    for end, name, direction, fitting, unfitting in PHASES:
        if progress < end:
            return name, direction, fitting, unfitting
    raise AssertionError("the last phase has no end")


def wanted_change(place: Place) -> tuple[int, str]:
    """The energy change wanted at a place, and why in words."""
    before = place.previous.energy if place.previous else None
    after = place.following.energy if place.following else None
    if before is not None and after is not None:
        step = max(-2, min(2, round((after - before) / 2)))
        return step, f"on the way to {after}"
    if place.progress is not None:
        name, direction, _, _ = phase(place.progress)
        return direction, name
    if before is not None and before >= 8:
        return 0, "holding the peak"
    return 1, "building"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A track for the place, its score (0 to 100) and the reasons, in words."""

    track: PlannedTrack
    score: float  # rounded to a tenth, as shown
    reasons: tuple[str, ...]
    into: Transition | None  # from the previous entry into it
    onward: Transition | None  # from it into the following entry
    exact: float = 0.0  # the score unrounded: what ranks

    def to_json(self) -> dict[str, Any]:
        track = self.track
        return {
            "track_id": track.track_id, "artist": track.artist, "title": track.title,
            "bpm": track.bpm, "camelot": track.camelot, "energy": track.energy,
            "roles": list(track.roles), "moods": list(track.moods), "score": self.score,
            "reasons": list(self.reasons),
            "transition": self.into.to_json() if self.into else None,
            "next_transition": self.onward.to_json() if self.onward else None,
        }  # fmt: skip


def _tempo_score(step: Transition | None) -> float:
    if step is None or step.tempo is None:
        return TEMPO_UNKNOWN
    return max(0.0, 1 - abs(step.tempo.percent) / TEMPO_ZERO)


def _step_words(step: Transition, reverse: bool = False) -> list[str]:
    """ "8A → 9A", "+2.1% BPM" (and how the tempo was read) for a transition."""
    words = []
    if step.relation != "unknown":
        keys = f"{step.first.camelot} → {step.second.camelot}"
        extra = _KEY_WORDS.get(step.relation)
        words.append(f"{keys} ({extra})" if extra else keys)
    if step.tempo is not None:
        timing = {"double": " at double time", "half": " at half time"}.get(step.tempo.timing, "")
        words.append(f"{step.tempo.percent:+.1f}% BPM{timing}")
    if reverse and words:
        words[0] = f"then {words[0]}"
    return words


def weigh(candidate: PlannedTrack, place: Place) -> Suggestion:
    """A candidate's score and reasons at a place."""
    into = transition(place.previous, candidate, place.position) if place.previous else None
    onward = None
    if place.following:
        onward = transition(candidate, place.following, place.position + 1)
    steps = [step for step in (into, onward) if step is not None]
    key = sum(KEY_SCORES[s.relation] for s in steps) / len(steps) if steps else ALONE
    tempo = sum(_tempo_score(s) for s in steps) / len(steps) if steps else ALONE
    reasons = [*(_step_words(into) if into else []), *(_step_words(onward, True) if onward else [])]
    ideal, why = wanted_change(place)
    energy = ENERGY_UNKNOWN
    before = place.previous.energy if place.previous else None
    if candidate.energy is not None and before is None:
        energy = ENERGY_UNJUDGED
    elif candidate.energy is not None and before is not None:
        energy = max(0.0, 1 - ENERGY_STEP * abs(candidate.energy - before - ideal))
        reasons.append(f"energy {before} → {candidate.energy}, {why}")
    neighbours = [n for n in (place.previous, place.following) if n is not None]
    shared = sorted({m for n in neighbours for m in n.moods} & set(candidate.moods))
    if shared:
        reasons.append("shares " + ", ".join(f"'{mood}'" for mood in shared))
    roles = ALONE
    if place.progress is not None and candidate.roles:
        _, _, fitting, unfitting = phase(place.progress)
        if fitting & set(candidate.roles):
            roles = 1.0
            role = next(r for r in candidate.roles if r in fitting)
            reasons.append(f"{'an' if role[0] in 'aeiou' else 'a'} {role} fits here")
        elif unfitting & set(candidate.roles):
            roles = 0.0
    parts = {
        "key": key, "tempo": tempo, "energy": energy,
        "moods": min(1.0, len(shared) / 2), "roles": roles,
    }  # fmt: skip
    exact = 100 * sum(WEIGHTS[name] * value for name, value in parts.items())
    return Suggestion(candidate, round(exact, 1), tuple(reasons), into, onward, exact)


def rank(candidates: Sequence[PlannedTrack], place: Place, limit: int) -> list[Suggestion]:
    """The `limit` best candidates for a place, best first (ties: the lower track id)."""
    weighed = [weigh(candidate, place) for candidate in candidates]
    weighed.sort(key=lambda s: (-s.exact, s.track.track_id))
    return weighed[:limit]


WHEEL = tuple(Camelot(number, letter) for number in range(1, 13) for letter in "AB")


def _relation(key: Camelot | None, other: Camelot, after: bool) -> str:
    """How `other` relates to `key` when it comes after it (or before)."""
    return key_relation(key, other) if after else key_relation(other, key)


def mixing_keys(key: Camelot, after: bool = True) -> list[str]:
    """The keys that mix after a track in `key` (every relation but a clash), or before it."""
    return sorted(str(other) for other in WHEEL if _relation(key, other, after) != "clash")


def score_bound(place: Place) -> ScoreBound:
    """`weigh`'s rules for SQL to compute per track, as exactly as SQL can (roles, and moods
    compared folded, are upper bounds): candidates are read best bound first, and reading
    stops once the best found beat every bound left (see `suggest`)."""
    from library.search_text import fold
    from library.set_candidates import ScoreBound, TempoAnchor

    sides = [(n, after) for n, after in ((place.previous, True), (place.following, False)) if n]
    scores = {
        str(key): sum(KEY_SCORES[_relation(n.key, key, after)] for n, after in sides) / len(sides)
        if sides else ALONE
        for key in WHEEL
    }  # fmt: skip
    before = place.previous.energy if place.previous else None
    return ScoreBound(
        weights=WEIGHTS,
        key_scores=scores,
        key_unknown=KEY_SCORES["unknown"] if sides else ALONE,
        anchors=[TempoAnchor(n.bpm, before=not after) for n, after in sides],
        # The analysis rounds percents to 0.01: a change may score up to half of that better.
        tempo_zero=TEMPO_ZERO, tempo_margin=0.005, tempo_unknown=TEMPO_UNKNOWN, tempo_alone=ALONE,
        energy_target=before + wanted_change(place)[0] if before is not None else None,
        energy_step=ENERGY_STEP, energy_known=ENERGY_UNJUDGED, energy_unknown=ENERGY_UNKNOWN,
        moods=Counter(fold(mood) for mood in {m for n, _ in sides for m in n.moods}),
        roles_noted=1.0 if place.progress is not None else ALONE, roles_unnoted=ALONE,
    )  # fmt: skip


def tempo_windows(bpm: float) -> list[tuple[float, float]]:
    """The BPMs mixable with `bpm` within WORKABLE_PERCENT: as is, at half and double time."""
    share = WORKABLE_PERCENT / 100 + 0.0001  # a hair wider: the analysis rounds the percent
    return [(base * (1 - share), base * (1 + share)) for base in (bpm / 2, bpm, bpm * 2)]


def from_candidate(row: CandidateRow) -> PlannedTrack:
    """A candidate row as the analysis takes tracks."""
    return PlannedTrack(
        row.id, row.artist, row.title, row.bpm, row.camelot, row.energy, row.roles, row.moods,
        row.duration,
    )  # fmt: skip


def place_in(store: Store, setlist: SetList, after: int | None = None) -> Place:
    """The place after position `after` of a set (0: before the first; default: the end):
    its neighbours and how far into the target it starts."""
    from library.set_store import SetError
    from setlist.sets import analysed, planned

    count = len(setlist.entries)
    after = count if after is None else after
    if not 0 <= after <= count:
        raise SetError(
            f"--after {after}: {setlist.name!r} has positions 1 to {count} (0: before the first)"
            if count
            else f"--after {after}: {setlist.name!r} is empty (only --after 0)"
        )
    found = analysed(store, setlist)
    plan = [planned(found.tracks[entry.track_id]) for entry in setlist.entries]
    start = found.analysis.starts[after] if after < count else found.analysis.seconds
    return Place(
        plan[after - 1] if after >= 1 else None,
        plan[after] if after < count else None,
        start / (setlist.target_minutes * 60) if setlist.target_minutes else None,
        after + 1,
    )


def suggest(
    store: Store, setlist: SetList, after: int | None = None, limit: int = 10
) -> list[Suggestion]:
    """The best `limit` library tracks to put after position `after` of a set (0: before the
    first; default: at the end). Tracks in the set are left out unless it allows repeats;
    its neighbours always are."""
    from library.set_candidates import candidates

    place = place_in(store, setlist, after)
    previous, following = place.previous, place.following
    anchor = previous or following
    key = anchor.key if anchor else None
    common: dict[str, Any] = {
        "exclude_set": None if setlist.allow_repeat else setlist.id,
        "exclude_tracks": [n.track_id for n in (previous, following) if n is not None],
        "bound": score_bound(place),
    }
    windows = tempo_windows(anchor.bpm) if anchor and anchor.bpm else None
    # The keys that mix, in the tempo windows; too few there: any key, then anything.
    tiers: list[dict[str, Any]] = [
        {
            "keys": mixing_keys(key, after=previous is not None) if key else None,
            "bpm_ranges": windows,
            "opening": anchor is None,
        },
        {"bpm_ranges": windows},
        {},
    ]
    seen: set[int] = set()
    ranked: list[Suggestion] = []
    asked: list[dict[str, Any]] = []
    for tier in tiers:
        conditions = {name: value for name, value in tier.items() if value}
        if conditions in asked:  # no key or tempo to narrow by: the same query again
            continue
        asked.append(conditions)
        offset = 0
        while True:
            chunk = candidates(store, **conditions, **common, limit=READ_CHUNK, offset=offset)
            fresh = [from_candidate(row) for row in chunk if row.id not in seen]
            seen.update(track.track_id for track in fresh)
            ranked = rank([*(s.track for s in ranked), *fresh], place, limit)
            offset += READ_CHUNK
            if len(chunk) < READ_CHUNK or _beaten(ranked, chunk[-1], limit):
                break
        if len(ranked) >= limit:
            break
    return ranked


def _beaten(ranked: Sequence[Suggestion], last: CandidateRow, limit: int) -> bool:
    """Whether no candidate left unread can enter the best `limit`: each scores at most its
    bound, which is at most the bound of the `last` read (they come best bound first, then
    by id, so one that ties it has a higher id, and ties rank the lower id first)."""
    if len(ranked) < limit or last.bound is None:
        return False
    worst, most = ranked[limit - 1], 100 * last.bound
    return worst.exact > most + EPSILON or (
        worst.exact >= most - EPSILON and worst.track.track_id < last.id
    )
