"""setlist's fields read through beets' `mediafile`, for the comparison in `mediafile_compare.py`.

Issue 2 asks whether to build the tag table on `mediafile` (beets' cross-format field table
over mutagen) or write our own. To compare like with like, this module reads the fields
setlist reads, under setlist's names and with setlist's "nothing there" convention (None, not
"" or 0), using only what `mediafile` offers out of the box: no `add_field` aliases, so the
comparison shows what it would take to build on it.

It is benchmark code, not part of setlist: `mediafile` is not a dependency of the project.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

# mediafile logs mutagen's crashes at ERROR before raising them; the comparison counts them.
logging.getLogger("mediafile").setLevel(logging.CRITICAL)

# Imported by name, not with an import statement: mediafile ships no type information, and
# `make check` must pass both with it (a developer's venv) and without it (CI's).
mediafile: Any
try:
    mediafile = importlib.import_module("mediafile")
except ImportError:  # the comparison script says how to install it
    mediafile = None

# setlist field name -> MediaFile attribute. Fields MediaFile has no attribute for at all are
# listed in MISSING_FIELDS and read as None (they would need `MediaFile.add_field`).
ATTRIBUTES: dict[str, str] = {
    "title": "title",
    "artist": "artist",
    "album": "album",
    "album_artist": "albumartist",
    "track_number": "track",
    "disc_number": "disc",
    "year": "year",
    "genre": "genre",
    "label": "label",
    "catalog_number": "catalognum",
    "bpm": "bpm",
    "key": "initial_key",
    "comment": "comments",
    "isrc": "isrc",
    "musicbrainz_album_id": "mb_albumid",
    "musicbrainz_track_id": "mb_trackid",
}
MISSING_FIELDS = ("discogs_release_id",)
STREAM = {"duration": "length", "sample_rate": "samplerate", "channels": "channels"}


def available() -> bool:
    """Whether `mediafile` is installed in this environment."""
    return mediafile is not None


def _empty(value: Any) -> bool:
    return value is None or value in ("", 0, [])


def read_with_mediafile(path: str) -> dict[str, Any]:
    """The fields setlist reads, as `MediaFile` gives them; raises what `MediaFile` raises."""
    media = mediafile.MediaFile(path)
    values: dict[str, Any] = {}
    for name, attribute in ATTRIBUTES.items():
        value = getattr(media, attribute)
        if isinstance(value, str):
            value = value.strip() or None
        values[name] = None if _empty(value) else value
    for name in MISSING_FIELDS:
        values[name] = None
    # `images` parses every picture; art presence is what setlist stores.
    values["has_artwork"] = bool(media.images)
    for name, attribute in STREAM.items():
        value = getattr(media, attribute)
        values[name] = None if _empty(value) else value
    return values
