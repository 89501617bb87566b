"""Finding the one track a command is about: by id, by file path, or by a query.

Commands that act on a single track (`note`, `link`, `play`...) take TRACK as a DJ would
naturally give it: `42`, `~/Music/Mills/Metropolis.flac`, or `mills metropolis`. A query must
match exactly one track; otherwise the error lists the candidates, so the DJ can pick an id.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from library.errors import SetlistError
from library.query import compile_query

if TYPE_CHECKING:
    from library.models import Track
    from library.storage import Store

CANDIDATES_SHOWN = 10


class TrackNotFoundError(SetlistError):
    """No track matches what the user gave."""


class AmbiguousTrackError(SetlistError):
    """Several tracks match; the message lists them."""

    def __init__(self, text: str, candidates: list[Track], total: int) -> None:
        lines = [f"{text!r} matches {total} tracks; give an id or a narrower query:"]
        lines += [f"  {t.id}: {t.artist or '?'} – {t.title or '?'} ({t.path})" for t in candidates]
        if total > len(candidates):
            lines.append(f"  … and {total - len(candidates)} more")
        super().__init__("\n".join(lines))
        self.candidates = candidates


def find_track(store: Store, text: str) -> Track:
    """The track `text` names: an id, an existing file's path, or a query matching one track."""
    text = text.strip()
    if not text:
        raise TrackNotFoundError("no track given")
    if text.isdigit():
        found = store.tracks("id = ?", (int(text),))
        if found:
            return found[0]
        raise TrackNotFoundError(f"no track with id {text}")
    if os.sep in text or os.path.exists(text):
        path = os.path.abspath(os.path.expanduser(text))
        found = store.tracks("path_bytes = ?", (os.fsencode(path),))
        if found:
            return found[0]
        if os.path.exists(path):
            raise TrackNotFoundError(f"{text}: not in the library (scan its folder first)")
    compiled = compile_query(text)
    matches = store.tracks(compiled.where, compiled.params, limit=CANDIDATES_SHOWN)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise TrackNotFoundError(f"no track matches {text!r}")
    total = store.count_tracks(compiled.where, compiled.params)
    raise AmbiguousTrackError(text, matches, total)
