"""Which release entry a library track is a copy of, how sure that is, and why.

Evidence, strongest first:

1. the release id in the tags: a Discogs release id or a MusicBrainz album id equal to the
   entry's own id links at 0.99; a different id of the same source rules the entry out;
2. the catalog number (compared without case, spaces or dashes) with a label that agrees
   ("Axis Records" ~ "Axis"): 0.90; the catalog number alone: 0.75;
3. the album and the album artist (or artist), ignoring decorations such as "(EP)" or
   "[Remastered]": 0.80; the album alone: 0.55.

Each further agreeing fact adds 0.04. Conflicting facts count against: another catalog
number -0.35, another label -0.25, another artist -0.25, another album title -0.15, so the
same artist's "Metropolis Metropolis" on another label with another catalog number is not
"Metropolis" on Axis. A link at or above `THRESHOLD` is applied; from `PROPOSE_FLOOR` up it
is only proposed, and so is a best guess that another release matches as well (within
`AMBIGUITY_MARGIN`). Within the release, the tracklist position is chosen by title
similarity, duration, and the track number or a vinyl position ("A1") in the file name or
title. Scoring is pure; `link_auto` reads the library and writes links.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from rapidfuzz.fuzz import ratio

from library.releases.fields import label_matches
from library.search_text import fold
from library.search_text import normalise_catno as _normalise_catno

if TYPE_CHECKING:
    from library.models import Track
    from library.releases.model import Release
    from library.storage import Store

THRESHOLD = 0.8
PROPOSE_FLOOR = 0.5
AMBIGUITY_MARGIN = 0.05
POSITION_FLOOR = 0.55

_DECORATION = re.compile(
    r"[(\[][^)\]]*\b(?:ep|lp|single|remaster(?:ed)?|deluxe|edition|reissue|expanded|bonus"
    r"|anniversary|version|mono|stereo|explicit|clean)\b[^)\]]*[)\]]"
    r"|[(\[]\s*original\s+mix\s*[)\]]"
)
_TRAILING_FORMAT = re.compile(r"\s*[-–]?\s*\b(?:ep|lp|single)\s*$")
_ARTIST_SPLIT = re.compile(r"\s*(?:&|,|;|/|\band\b|\bfeat\.?|\bft\.?|\bvs\.?|\bx\b)\s*")
_VINYL_POSITION = re.compile(r"^\s*([A-Z]{1,2}\d{1,2})(?=[\s._)\-–]|$)")
_NO_CATNO = {"", "none", "na"}


@dataclass(frozen=True, slots=True)
class Match:
    """A track's best release: confidence 0-1, the method (the evidence), applied or not."""

    track_id: int
    release_id: int
    position: str | None
    confidence: float
    method: str
    applied: bool

    def as_json(self) -> dict[str, object]:
        return {
            "track_id": self.track_id,
            "release_id": self.release_id,
            "position": self.position,
            "confidence": self.confidence,
            "method": self.method,
            "applied": self.applied,
        }


@functools.lru_cache(maxsize=65_536)
def title_key(text: str | None) -> str:
    """A title as compared: folded, decorations ("(EP)", "[Remastered]", "(Original Mix)")
    and punctuation gone."""
    text = _TRAILING_FORMAT.sub("", _DECORATION.sub(" ", fold(text)))
    return " ".join(re.findall(r"\w+", text))


def similarity(one: str, other: str, floor: float = 0.0) -> float:
    """0-1 likeness of two title keys: the Indel ratio (difflib's ratio, computed by
    rapidfuzz about 100 times faster: see benchmarks/linking.py); 0 under `floor`."""
    if not one or not other:
        return 0.0
    if one == other:
        return 1.0
    return float(ratio(one, other, score_cutoff=floor * 100)) / 100


# Folding is most of the cost of scoring; a track meets several candidates and a release
# many tracks, so the folded forms are cached.
normalise_catno = functools.lru_cache(maxsize=65_536)(_normalise_catno)


@functools.lru_cache(maxsize=65_536)
def _artist_names(text: str | None) -> frozenset[str]:
    return frozenset(name for name in _ARTIST_SPLIT.split(fold(text)) if name)


def _release_artists(release: Release) -> frozenset[str] | None:
    """The entry's artist names, or None for a compilation ("Various"), which never conflicts."""
    names = frozenset().union(*(_artist_names(a) for a in release.artists))
    return None if not names or names <= {"various", "various artists"} else names


def score(track: Track, release: Release) -> tuple[float, str]:
    """How sure it is that `track` is on `release` (0-1), and the evidence, strongest first."""
    own_id = {"discogs": track.discogs_release_id, "musicbrainz": track.musicbrainz_album_id}
    tagged = own_id.get(release.source)
    if tagged and release.source_id:
        if tagged.strip().casefold() == release.source_id.casefold():
            return 0.99, f"{release.source}-id"
        return 0.0, f"another {release.source} id"
    track_catno = normalise_catno(track.catalog_number)
    catnos = {normalise_catno(label.catalog_number) for label in release.labels} - _NO_CATNO
    catno_agrees = track_catno not in _NO_CATNO and track_catno in catnos
    catno_conflicts = track_catno not in _NO_CATNO and bool(catnos) and not catno_agrees
    label_agrees = any(label_matches(track.label, label.name) for label in release.labels)
    label_conflicts = bool(track.label) and bool(release.labels) and not label_agrees
    album, title = title_key(track.album), title_key(release.title)
    album_agrees = bool(album) and album == title
    album_conflicts = bool(album) and bool(title) and similarity(album, title, 0.9) < 0.9
    names = _release_artists(release)
    mine = _artist_names(track.album_artist) or _artist_names(track.artist)
    artist_agrees = names is not None and bool(mine & names)
    artist_conflicts = names is not None and bool(mine) and not artist_agrees

    if catno_agrees and label_agrees:
        confidence, used = 0.90, ["catno", "label"]
    elif catno_agrees:
        confidence, used = 0.75, ["catno"]
    elif album_agrees and artist_agrees:
        confidence, used = 0.80, ["album", "artist"]
    elif album_agrees:
        confidence, used = 0.55, ["album"]
    else:
        return 0.0, "no evidence"
    agreeing = {"label": label_agrees, "album": album_agrees, "artist": artist_agrees}
    extra = [name for name, agrees in agreeing.items() if agrees and name not in used]
    confidence += 0.04 * len(extra)
    penalties = {
        "catno": (catno_conflicts, 0.35),
        "label": (label_conflicts, 0.25),
        "artist": (artist_conflicts, 0.25),
        "album": (album_conflicts, 0.15),
    }
    conflicts = [name for name, (found, _) in penalties.items() if found]
    confidence -= sum(penalties[name][1] for name in conflicts)
    method = "+".join(used + extra) + "".join(f", other {name}" for name in conflicts)
    return round(min(1.0, max(0.0, confidence)), 2), method


def vinyl_position(track: Track) -> str | None:
    """A side position ("A1") that starts the file name or the title, if any."""
    for text in (PurePath(track.path).stem, track.title or ""):
        found = _VINYL_POSITION.match(text)
        if found:
            return found.group(1)
    return None


def best_position(track: Track, release: Release) -> tuple[str | None, str]:
    """The tracklist position `track` most likely is, and how it was chosen ("" if none)."""
    side = vinyl_position(track)
    wanted = title_key(_VINYL_POSITION.sub("", track.title or ""))
    best: tuple[float, str | None, str] = (0.0, None, "")
    for index, entry in enumerate(release.tracklist):
        how = []
        value = 0.0
        title = similarity(wanted, title_key(entry.title), floor=0.5)
        if title >= 0.5:
            value += 0.6 * title
            how.append("title")
        if track.duration is not None and entry.duration is not None:
            gap = abs(track.duration - entry.duration)
            if gap <= 10:
                value += 0.25 if gap <= 2 else 0.12
                how.append("duration")
        if side is not None and side == entry.position:
            value += 0.35
            how.append("vinyl position")
        elif track.track_number is not None and track.track_number in (
            index + 1,
            int(entry.position) if entry.position.isdigit() else None,
        ):
            value += 0.2
            how.append("track number")
        if value > best[0]:
            best = (value, entry.position or None, "+".join(how))
    if best[0] < POSITION_FLOOR:
        return None, ""
    return best[1], best[2]


class _Index:
    """Releases by the keys a track can be looked up with, so each track is scored only
    against the few entries that share an id, a catalog number or an album title with it."""

    def __init__(self, releases: Iterable[Release]) -> None:
        self.by_key: dict[tuple[str, str], list[Release]] = {}
        for release in releases:
            keys = {("title", title_key(release.title))}
            keys |= {("catno", normalise_catno(label.catalog_number)) for label in release.labels}
            if release.source_id:
                keys.add((release.source, release.source_id.casefold()))
            for key in keys:
                if key[1] and key[1] not in _NO_CATNO:
                    self.by_key.setdefault(key, []).append(release)

    def candidates(self, track: Track) -> list[Release]:
        keys = [
            ("title", title_key(track.album)),
            ("catno", normalise_catno(track.catalog_number)),
            ("discogs", (track.discogs_release_id or "").strip().casefold()),
            ("musicbrainz", (track.musicbrainz_album_id or "").strip().casefold()),
        ]
        found: dict[int, Release] = {}
        for key in keys:
            for release in self.by_key.get(key, []):
                found[release.id or 0] = release
        return list(found.values())


def match_tracks(tracks: Sequence[Track], releases: Sequence[Release]) -> list[Match]:
    """The best release for each track that has one at or above `PROPOSE_FLOOR`."""
    index = _Index(releases)
    matches = []
    for track in tracks:
        scored = sorted(
            ((*score(track, release), release) for release in index.candidates(track)),
            key=lambda item: (-item[0], item[2].id or 0),
        )
        if not scored or scored[0][0] < PROPOSE_FLOOR:
            continue
        confidence, method, release = scored[0]
        rival = next((r for c, _, r in scored[1:] if confidence - c < AMBIGUITY_MARGIN), None)
        if rival is not None:
            method += f", ambiguous: release {rival.id} as well"
        position, how = best_position(track, release)
        if position is not None:
            method += f"; position by {how}"
        applied = confidence >= THRESHOLD and rival is None
        matches.append(Match(track.id, release.id or 0, position, confidence, method, applied))
    return matches


def link_auto(store: Store, dry_run: bool = False) -> list[Match]:
    """Match every track without a manual link and store the applied links (one
    transaction) unless `dry_run`. Manual links are never replaced; no link is removed; a
    pair the DJ rejected in the app's link proposals is never matched again, however sure."""
    from library.releases.proposals import rejected
    from library.releases.store import Link, ReleaseStore

    releases = ReleaseStore(store)
    manual = {link.track_id for link in releases.links() if link.manual}
    tracks = [track for track in store.tracks() if track.id not in manual]
    turned_down = rejected(store)
    matches = [
        match
        for match in match_tracks(tracks, releases.all())
        if (match.track_id, match.release_id) not in turned_down
    ]
    if not dry_run:
        releases.set_links(
            Link(m.track_id, m.release_id, m.position, m.confidence, m.method)
            for m in matches
            if m.applied
        )
    return matches
