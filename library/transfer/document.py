"""The notes document: its JSON shape, as models that check what an import reads.

```json
{"format": "setlist-notes", "version": 1, "exported_at": "2026-06-01T04:12:09+00:00",
 "tracks": [{"key": 12, "identity": "9f2c…:31457280", "path": "/home/dj/Musique/a.flac",
             "artist": "Jëff Mills", "title": "Entrée",
             "notes": {"moods": ["hanté"], "energy": 7, …, "updated_at": "…"},
             "link": {"release": 3, "position": "A1", "confidence": 0.9,
                      "method": "catno+label", "manual": false, "linked_at": "…"}}],
 "releases": [{"key": 3, "updated_at": "…", "release": {"source": "discogs", …}}],
 "sets": [{"name": "Nacht", …, "updated_at": "…",
           "entries": [{"track": 12, "transition_note": "long blend"}]}],
 "plays": [{"set": "Nacht", "set_name": "Nacht", "played_on": "2026-05-30", "venue": "De Melkweg",
            "recorded_at": "…", "tracks": [{"position": 1, "track": 12}]}]}
```

`key`s are the exporting library's ids, used only to tie the parts of the document
together. A path that is not UTF-8 also travels as `path_base64`, its exact bytes. Times
(`updated_at`, `linked_at`, `recorded_at`) say which side is newer when an import meets
data the library has already; they are read as ISO 8601 and kept in UTC, to the second.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from library.errors import field_path
from library.notes.model import TrackNotes
from library.notes.values import NoteValueError
from library.releases.model import Release
from library.transfer import FORMAT, VERSION, TransferError


def _utc(text: str) -> str:
    """An ISO 8601 time as setlist stores times (UTC, to the second): times from the
    document and the library then compare as text."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


Stamp = Annotated[str, AfterValidator(_utc)]


class _Part(BaseModel):
    # Keys a later version adds are ignored: the version number says what must be understood.
    model_config = ConfigDict(frozen=True, extra="ignore")


def _first_problem(error: ValidationError) -> str:
    """The first thing pydantic found wrong, as "where: what"."""
    first = error.errors()[0]
    where = field_path(first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


class _DocCue(_Part):
    at: float | str
    text: str = ""


class _DocNotes(_Part):
    """The shape of a track's notes in the document, checked strictly (a mood is text, not
    a number) before `TrackNotes` checks the values as `setlist note` does."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    moods: list[str] = Field(default_factory=list)
    energy: int | None = None
    roles: list[str] = Field(default_factory=list)
    closing_note: str = ""
    text: str = ""
    rating: int | None = None
    colour: str | None = None
    cues: list[_DocCue] = Field(default_factory=list)
    updated_at: Stamp | None = None


def _track_notes(value: object) -> TrackNotes | None:
    if value is None or isinstance(value, TrackNotes):
        return value
    try:
        shape = _DocNotes.model_validate(value)
        return TrackNotes(**shape.model_dump())
    except ValidationError as error:
        raise ValueError(_first_problem(error)) from None
    except NoteValueError as error:
        raise ValueError(str(error)) from None


class DocLink(_Part):
    """A track's link to a release of the document."""

    release: int = Field(description="The `key` of a release of the document.")
    position: str | None = None
    confidence: float = Field(default=1.0, ge=0, le=1)
    method: str = "manual"
    manual: bool = False
    linked_at: Stamp | None = None


class DocTrack(_Part):
    """A track something hangs on, and how to find it in another library."""

    key: int
    identity: str = Field(default="", description="The audio identity ('' when it has none).")
    path: str
    path_base64: str | None = Field(default=None, description="The exact path, if not UTF-8.")
    artist: str | None = None
    title: str | None = None
    notes: Annotated[TrackNotes | None, BeforeValidator(_track_notes)] = None
    link: DocLink | None = None

    def path_bytes(self) -> bytes:
        """The file's path exactly as its file system gave it."""
        if self.path_base64 is None:
            return self.path.encode("utf-8", "surrogatepass")
        return base64.b64decode(self.path_base64, validate=True)


class DocRelease(_Part):
    """A release entry, with when it last changed."""

    key: int
    updated_at: Stamp | None = None
    release: Release


class DocEntry(_Part):
    """A place in a set."""

    track: int
    transition_note: str = ""


class DocSet(_Part):
    """A set, with its entries in order."""

    name: str = Field(min_length=1)
    description: str = ""
    venue: str = ""
    date: dt.date | None = None
    target_minutes: int | None = Field(default=None, ge=1)
    allow_repeat: bool = False
    updated_at: Stamp | None = None
    entries: list[DocEntry] = Field(default_factory=list)


class DocPlayed(_Part):
    """A track of a set played, at its position that night."""

    position: int = Field(ge=1)
    track: int


class DocPlay(_Part):
    """A set played: when, where, and its tracks that night."""

    set: str | None = Field(default=None, description="The name of its set now, if it has one.")
    set_name: str = Field(description="The set's name the night it was played.")
    played_on: dt.date
    venue: str = ""
    recorded_at: Stamp | None = None
    tracks: list[DocPlayed] = Field(default_factory=list)


class NotesDocument(_Part):
    """The whole document."""

    format: str
    version: int
    exported_at: str | None = None
    tracks: list[DocTrack] = Field(default_factory=list)
    releases: list[DocRelease] = Field(default_factory=list)
    sets: list[DocSet] = Field(default_factory=list)
    plays: list[DocPlay] = Field(default_factory=list)


def _repeated(keys: list[int], part: str) -> str | None:
    seen: set[int] = set()
    for number, key in enumerate(keys):
        if key in seen:
            return f"{part}.{number}.key: {key} is the key of an earlier one too"
        seen.add(key)
    return None


def _dangling(document: NotesDocument) -> str | None:
    """A reference to a track or release the document does not hold (or holds twice), and
    where it is."""
    tracks = [track.key for track in document.tracks]
    releases = [release.key for release in document.releases]
    twice = _repeated(tracks, "tracks") or _repeated(releases, "releases")
    if twice is not None:
        return twice
    for number, track in enumerate(document.tracks):
        if track.link is not None and track.link.release not in releases:
            return f"tracks.{number}.link: release {track.link.release} is not in releases"
        try:
            track.path_bytes()
        except (binascii.Error, ValueError):
            return f"tracks.{number}.path_base64: not base64"
    for number, one_set in enumerate(document.sets):
        for place, entry in enumerate(one_set.entries):
            if entry.track not in tracks:
                return f"sets.{number}.entries.{place}: track {entry.track} is not in tracks"
    for number, play in enumerate(document.plays):
        positions: set[int] = set()
        for place, played in enumerate(play.tracks):
            if played.track not in tracks:
                return f"plays.{number}.tracks.{place}: track {played.track} is not in tracks"
            if played.position in positions:
                return f"plays.{number}.tracks.{place}.position: {played.position} is taken twice"
            positions.add(played.position)
    return None


_SQLITE_INTEGERS = range(-(2**63), 2**63)


# What can lead to an unstorable value: a surrogate escape, a number of 19 digits or more.
_MAYBE_UNSTORABLE = re.compile(rb"\\u[dD][89a-fA-F]|\d{19}")


def _unstorable(value: Any, where: tuple[Any, ...] = ()) -> str | None:
    """Where the JSON holds what no SQLite column can: a lone UTF-16 surrogate (a "\\ud800"
    escape) or a whole number past 64 bits; "where: what"."""
    problem = None
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            problem = "holds an unpaired surrogate (not text)"
    elif isinstance(value, int) and value not in _SQLITE_INTEGERS:
        problem = f"{value} is too large a number"
    if problem is not None:
        return f"{field_path(where) or '(the document)'}: {problem}"
    items: Any = ()
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    for key, item in items:
        inner = (*where, key)
        found = _unstorable(key, inner) or _unstorable(item, inner)
        if found is not None:
            return found
    return None


def _not_a_number(word: str) -> Any:
    raise ValueError(f"{word} is not a JSON number")


def parse_document(name: str, data: bytes) -> NotesDocument:
    """Read a notes document; `TransferError` naming `name` and what is wrong with it."""
    try:
        value: Any = json.loads(data.decode("utf-8-sig"), parse_constant=_not_a_number)
    except UnicodeDecodeError as error:
        raise TransferError(f"{name}: not UTF-8 text (byte at offset {error.start})") from None
    except json.JSONDecodeError as error:
        raise TransferError(f"{name}: not JSON ({error.msg}, line {error.lineno})") from None
    except RecursionError:
        raise TransferError(f"{name}: not JSON (nested too deeply)") from None
    except ValueError as error:  # NaN, Infinity: Python reads them, JSON has no such numbers
        raise TransferError(f"{name}: not JSON ({error})") from None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise TransferError(f'{name}: not a setlist notes export (no "format": "{FORMAT}")')
    version = value.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TransferError(f"{name}: version {version!r} is not a version number")
    if version > VERSION:
        raise TransferError(
            f"{name}: written by a newer setlist (notes export version {version}, this one "
            f"reads {VERSION}); upgrade setlist to import it"
        )
    try:
        unstorable = _unstorable(value) if _MAYBE_UNSTORABLE.search(data) else None
    except RecursionError:
        raise TransferError(f"{name}: not JSON (nested too deeply)") from None
    if unstorable is not None:
        raise TransferError(f"{name}: {unstorable}")
    try:
        document = NotesDocument.model_validate(value)
    except ValidationError as error:
        raise TransferError(f"{name}: {_first_problem(error)}") from None
    problem = _dangling(document)
    if problem is not None:
        raise TransferError(f"{name}: {problem}")
    return document
