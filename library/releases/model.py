"""The release entry as a typed record, the same whichever source it came from.

Values are kept exactly as the source wrote them: no Unicode normalisation, so the U+0336
strokes of a matrix value such as "AX-021̶-A" and the "⅓" of "33 ⅓ RPM" survive storage and
display character for character. Models are frozen; an update is a new model.
"""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Source = Literal["discogs-page", "discogs", "musicbrainz", "manual"]
SOURCES: tuple[Source, ...] = ("discogs-page", "discogs", "musicbrainz", "manual")


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Label(_Part):
    """A label the release came out on, with the catalog number it had there."""

    name: str
    catalog_number: str | None = None


class Format(_Part):
    """One format line: "2 x Vinyl, 12", 33 ⅓ RPM, Album" is 2 of Vinyl with 3 descriptions."""

    name: str
    quantity: int = 1
    descriptions: list[str] = Field(default_factory=list)
    text: str | None = Field(default=None, description="Free text, as Discogs' format text.")


class Identifier(_Part):
    """A barcode, matrix/runout etching, rights society code...: "Type (Description): Value"."""

    type: str
    description: str | None = None
    value: str


class TracklistEntry(_Part):
    """One track of the release: its position on the medium ("A1", "2", "1-3") and length."""

    position: str = ""
    title: str
    duration: int | None = Field(default=None, description="Whole seconds, rounded.")
    artists: list[str] = Field(default_factory=list)


class Company(_Part):
    """A company credit: "Pressed By – Record Industry"."""

    role: str
    name: str


class Review(_Part):
    """A review as the page shows it: the day it was written and its full text."""

    date: datetime.date
    text: str


class Collection(_Part):
    """What a collector's own export says about their copy (Discogs collection CSV)."""

    folder: str | None = None
    rating: int | None = None
    date_added: str | None = None
    media_condition: str | None = None
    sleeve_condition: str | None = None
    notes: str | None = None


class Release(BaseModel):
    """A release entry. `model_fields_set` matters: an importer sets only the fields its
    source carries, and a re-import replaces just those (see `store.merge`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int | None = Field(default=None, description="The library's id, once stored.")
    source: Source
    source_id: str | None = Field(default=None, description="The source's own id, as text.")
    artists: list[str] = Field(default_factory=list)
    artist_credit: str | None = Field(
        default=None, description="The artist line as printed, join phrases included."
    )
    title: str
    labels: list[Label] = Field(default_factory=list)
    formats: list[Format] = Field(default_factory=list)
    year: int | None = None
    released: str | None = Field(default=None, description="The release date as written.")
    country: str | None = None
    genres: list[str] = Field(default_factory=list)
    styles: list[str] = Field(default_factory=list)
    notes: str | None = None
    identifiers: list[Identifier] = Field(default_factory=list)
    tracklist: list[TracklistEntry] = Field(default_factory=list)
    companies: list[Company] = Field(default_factory=list)
    reviews: list[Review] = Field(default_factory=list)
    review_count: int | None = Field(default=None, description="As announced by the page.")
    url: str | None = None
    collection: Collection | None = None

    @property
    def artist_line(self) -> str:
        """The artists as a person reads them: the credit if known, else the names joined."""
        return self.artist_credit or " & ".join(self.artists)

    @property
    def label_line(self) -> str:
        """ "Axis – AX-022", several labels joined with ", "."""
        return ", ".join(
            f"{label.name} – {label.catalog_number}" if label.catalog_number else label.name
            for label in self.labels
        )
