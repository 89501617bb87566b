"""Tracks that could go at a place in a set, narrowed in SQL before anything ranks them.

A suggestion weighs each candidate in Python, which a 50,000-track library cannot afford for
every track. So the keys that mix with the neighbour and the tempo windows it can be mixed at
(half and double time included) are conditions of the query, on the indexed `camelot` and
`bpm` columns. Of the tracks left, SQLite hands over those that could score best first
(`ScoreBound`: an upper bound of the ranking's score, from the same rules and weights), a few
hundred at a time, so the ranking can stop reading once nothing left could beat what it has:
narrow rows, no models. Missing files are never candidates (they cannot be played).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from library.notes.values import tag_moods
from library.storage import Store

_SELECT = (
    "SELECT t.id, t.artist, t.title, t.bpm, t.camelot, t.duration, n.energy, "
    "coalesce(n.roles, '[]'), coalesce(n.moods, t.moods), n.track_id IS NULL, {bound} AS bound "
    "FROM tracks t LEFT JOIN track_notes n ON n.track_id = t.id"
)
# What an opening track looks like, for an empty set: noted as an opener or a warm-up, or low
# in energy.
_OPENING = "(instr(n.roles, '\"opener\"') OR instr(n.roles, '\"warm-up\"') OR n.energy <= 4)"


@dataclass(frozen=True, slots=True)
class TempoAnchor:
    """A neighbour's tempo; `before`: the candidate comes before that neighbour."""

    bpm: float | None
    before: bool = False


@dataclass(frozen=True, slots=True)
class ScoreBound:
    """The most a track can score at a place, computed by SQL from the columns it reads.

    Each part is the ranking's rule for that part of the score, or an upper bound of it,
    weighted by `weights` (key, tempo, energy, moods, roles):

    - key: a score per Camelot key (`key_unknown` for a track whose key is not known);
    - tempo: averaged over the neighbours' `anchors`, 1 at the same tempo (at half or double
      time too) down to 0 at `tempo_zero` percent away, `tempo_margin` percent more lenient
      (the ranking rounds percents); `tempo_unknown` for an unknown tempo, `tempo_alone`
      with no neighbours;
    - energy: 1 at `energy_target`, `energy_step` less per step away (no target: a track
      with an energy scores `energy_known`); `energy_unknown` without one;
    - moods: half a point per mood the track shares with the neighbours, at most 1: `moods`
      maps each of their moods, folded, to how many of theirs fold to it;
    - roles: `roles_noted` for a track with roles, `roles_unnoted` without.

    Candidates are read best bound first, so reading can stop once the best found beat
    every bound left.
    """

    weights: Mapping[str, float]
    key_scores: Mapping[str, float]
    key_unknown: float
    anchors: Sequence[TempoAnchor]
    tempo_zero: float
    tempo_margin: float
    tempo_unknown: float
    tempo_alone: float
    energy_target: float | None
    energy_step: float
    energy_known: float
    energy_unknown: float
    moods: Mapping[str, int]
    roles_noted: float
    roles_unnoted: float

    def _key(self) -> tuple[str, list[object]]:
        if not self.key_scores:
            return "?", [self.key_unknown]
        cases = " ".join("WHEN ? THEN ?" for _ in self.key_scores)
        pairs = [value for pair in self.key_scores.items() for value in pair]
        scores = f"coalesce(CASE t.camelot {cases} END, 0)"
        return f"(CASE WHEN t.camelot IS NULL THEN ? ELSE {scores} END)", [
            self.key_unknown, *pairs,
        ]  # fmt: skip

    def _tempo(self) -> tuple[str, list[object]]:
        if not self.anchors:
            return "?", [self.tempo_alone]
        parts: list[str] = []
        params: list[object] = []
        for anchor in self.anchors:
            if not anchor.bpm:
                parts.append("?")
                params.append(self.tempo_unknown)
                continue
            # The ratio as the analysis reads it (next / previous), at each reading.
            ratio = "? / t.bpm" if anchor.before else "t.bpm / ?"
            off = f"min(abs({ratio} - 1), abs({ratio} - 1), abs({ratio} - 1)) * 100"
            parts.append(f"coalesce(max(0, 1 - max(0, {off} - ?) / ?), ?)")
            readings = (1, 0.5, 2) if anchor.before else (1, 2, 0.5)
            params += [anchor.bpm * r for r in readings]
            params += [self.tempo_margin, self.tempo_zero, self.tempo_unknown]
        return f"(({' + '.join(parts)}) / {len(parts)}.0)", params

    def _energy(self) -> tuple[str, list[object]]:
        if self.energy_target is None:
            return "(CASE WHEN n.energy IS NULL THEN ? ELSE ? END)", [
                self.energy_unknown, self.energy_known,
            ]  # fmt: skip
        return "(CASE WHEN n.energy IS NULL THEN ? ELSE max(0, 1 - abs(n.energy - ?) * ?) END)", [
            self.energy_unknown, self.energy_target, self.energy_step,
        ]  # fmt: skip

    def _moods(self) -> tuple[str, list[object]]:
        if not self.moods:
            return "0", []
        folded = "coalesce(n.moods_fold, t.moods_fold)"
        shared = " + ".join(f"(instr({folded}, ?) > 0) * ?" for _ in self.moods)
        params: list[object] = []
        for mood, count in self.moods.items():
            params += [f"\x1f{mood}\x1f", count]
        return f"min(1, ({shared}) / 2.0)", params

    def sql(self) -> tuple[str, list[object]]:
        """The expression and its parameters, in the order of their placeholders."""
        parts = [self._key(), self._tempo(), self._energy(), self._moods()]
        parts.append(
            (
                "(CASE WHEN coalesce(n.roles, '[]') = '[]' THEN ? ELSE ? END)",
                [self.roles_unnoted, self.roles_noted],
            )
        )
        names = ("key", "tempo", "energy", "moods", "roles")
        params: list[object] = []
        for (_, values), name in zip(parts, names, strict=True):
            params += [*values, self.weights[name]]
        return "(" + " + ".join(f"{sql} * ?" for sql, _ in parts) + ")", params


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """What ranking needs of a candidate track."""

    id: int
    artist: str | None
    title: str | None
    bpm: float | None
    camelot: str | None
    duration: float | None
    energy: int | None
    roles: tuple[str, ...]
    moods: tuple[str, ...]
    bound: float | None = None  # what `ScoreBound` gave it, if the query had one


def candidates(
    store: Store,
    *,
    keys: Sequence[str] | None = None,
    bpm_ranges: Sequence[tuple[float, float]] | None = None,
    opening: bool = False,
    exclude_set: int | None = None,
    exclude_tracks: Sequence[int] = (),
    bound: ScoreBound | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[CandidateRow]:
    """Present tracks in one of `keys` (Camelot, as stored) and one of the `bpm_ranges`
    (inclusive), or that look like openers (`opening`); None leaves that condition out.
    Tracks of the set `exclude_set` and `exclude_tracks` are left out. Highest `bound`
    first (then by id), else in id order; `limit` of them from `offset`."""
    select, params = _SELECT.format(bound="NULL"), list[object]()
    if bound is not None:
        expression, params = bound.sql()
        select = _SELECT.format(bound=expression)
    conditions = ["t.missing = 0"]
    if keys is not None:
        conditions.append(f"t.camelot IN ({', '.join('?' * len(keys))})")
        params.extend(keys)
    if bpm_ranges is not None:
        ranges = " OR ".join("t.bpm BETWEEN ? AND ?" for _ in bpm_ranges)
        conditions.append(f"({ranges or '0'})")
        params.extend(bound for pair in bpm_ranges for bound in pair)
    if opening:
        conditions.append(_OPENING)
    if exclude_set is not None:
        conditions.append("t.id NOT IN (SELECT track_id FROM set_entries WHERE set_id = ?)")
        params.append(exclude_set)
    if exclude_tracks:
        conditions.append("t.id NOT IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(exclude_tracks)))
    order = "bound DESC, t.id" if bound is not None else "t.id"
    sql = f"{select} WHERE {' AND '.join(conditions)} ORDER BY {order}"
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
    found = []
    for row in store.connection().execute(sql, params):
        track_id, artist, title, bpm, camelot, duration, energy, roles, moods, from_tags, best = row
        mood_list = json.loads(moods) if moods != "[]" else []  # most tracks have none
        found.append(
            CandidateRow(
                track_id, artist, title, bpm, camelot, duration, energy,
                tuple(json.loads(roles)) if roles != "[]" else (),
                tuple(tag_moods(mood_list) if from_tags else mood_list), best,
            )
        )  # fmt: skip
    return found
