"""Typed domain records that cross module and process borders.

Models validate at the edges (values read from files, rows read from the database, JSON for
scripts). Hot loops such as the scanner's worker processes pass plain dicts instead and build
models only where a caller asks for one, because importing and validating pydantic per file
would cost more than reading the tags.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class TagData(BaseModel):
    """What one audio file says about itself: its tags (as written) and its stream."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str | None = None
    artist: str | None = None
    album: str | None = None
    album_artist: str | None = None
    track_number: int | None = None
    disc_number: int | None = None
    year: int | None = None
    genre: str | None = None
    label: str | None = None
    catalog_number: str | None = None
    bpm: float | None = None
    key: str | None = Field(default=None, description="The key as the tagging tool wrote it.")
    comment: str | None = None
    moods: list[str] = Field(default_factory=list)
    energy: int | None = Field(default=None, description="As written (Mixed In Key: 1-10).")
    setlist_notes: str | None = Field(
        default=None, description="setlist's own notes field, as written (JSON)."
    )
    isrc: str | None = None
    discogs_release_id: str | None = None
    musicbrainz_album_id: str | None = None
    musicbrainz_track_id: str | None = None
    duration: float | None = Field(default=None, description="Seconds.")
    bitrate: int | None = Field(default=None, description="kbit/s.")
    sample_rate: int | None = Field(default=None, description="Hz.")
    channels: int | None = None
    format: str = Field(description="Container as a DJ names it: mp3, flac, m4a, wav...")
    codec: str | None = Field(default=None, description="aac, alac, vorbis, pcm... when known.")
    has_artwork: bool = False
    audio_identity: str | None = Field(
        default=None,
        description="A fingerprint of the audio payload that tag edits do not change.",
    )


class Track(BaseModel):
    """A track in the library: a stable id, where its file is, and what its tags said."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    path: str = Field(description="For display: undecodable bytes shown as U+FFFD.")
    format: str | None = None
    codec: str | None = None
    title: str | None = None
    artist: str | None = None
    album: str | None = None
    album_artist: str | None = None
    track_number: int | None = None
    disc_number: int | None = None
    year: int | None = None
    genre: str | None = None
    label: str | None = None
    catalog_number: str | None = None
    bpm: float | None = None
    key: str | None = None
    camelot: str | None = Field(default=None, description="The key on the Camelot wheel.")
    comment: str | None = None
    moods: list[str] = Field(
        default_factory=list, description="The notes' moods (not noted: the tags' moods)."
    )
    energy: int | None = Field(default=None, description="From the notes: 1 to 10.")
    roles: list[str] = Field(default_factory=list, description="From the notes.")
    rating: int | None = Field(default=None, description="From the notes: 0 to 5.")
    isrc: str | None = None
    discogs_release_id: str | None = None
    musicbrainz_album_id: str | None = None
    musicbrainz_track_id: str | None = None
    duration: float | None = None
    bitrate: int | None = None
    sample_rate: int | None = None
    channels: int | None = None
    has_artwork: bool = False
    size: int = 0
    missing: bool = False
    release_id: int | None = Field(default=None, description="The release it is linked to.")
    position: str | None = Field(default=None, description="Its tracklist position there.")
    play_count: int = Field(default=0, description="How often it was in a set played.")
    last_played: dt.date | None = Field(default=None, description="When it was last played.")
