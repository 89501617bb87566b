"""`TrackNotes`: the notes of one track, as commands, JSON and the TUI see them.

Validation is `library.notes.values`: the model only wires those checks to its fields, so a
value the CLI accepts is a value the scanner accepts from a file, and the other way round.
The JSON shape (`model_dump(mode="json")`) is what `setlist note --show --json` prints.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from library.notes import values


class Cue(BaseModel):
    """A note at a position in the track: "1:05 the bells come in"."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    at: float = Field(description="Seconds from the start of the track, to the millisecond.")
    text: str = ""

    @field_validator("at", mode="before")
    @classmethod
    def _at(cls, value: object) -> float:
        return values.cue_at(value)

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return values.clean_text(value)


class TrackNotes(BaseModel):
    """What a DJ knows about a track. Empty notes are the notes of a track nobody noted."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    moods: list[str] = Field(default_factory=list, description="Lower-case words, sorted.")
    energy: int | None = Field(default=None, description="1 (ambient) to 10 (peak time).")
    roles: list[str] = Field(default_factory=list, description=f"Of: {', '.join(values.ROLES)}.")
    closing_note: str = Field(default="", description="Why and how it closes a set.")
    text: str = Field(default="", description="Free text, several lines if need be.")
    rating: int | None = Field(default=None, description="0 to 5 stars.")
    colour: str | None = Field(default=None, description=f"Of: {', '.join(values.COLOURS)}.")
    cues: list[Cue] = Field(default_factory=list, description="Sorted by time, one per time.")
    updated_at: str | None = Field(default=None, description="ISO 8601 UTC of the last change.")

    @field_validator("moods", mode="before")
    @classmethod
    def _moods(cls, value: list[str]) -> list[str]:
        return values.moods(value)

    @field_validator("roles", mode="before")
    @classmethod
    def _roles(cls, value: list[str]) -> list[str]:
        return values.roles(value)

    @field_validator("energy", mode="before")
    @classmethod
    def _energy(cls, value: object) -> int | None:
        return values.energy(value)

    @field_validator("rating", mode="before")
    @classmethod
    def _rating(cls, value: object) -> int | None:
        return values.rating(value)

    @field_validator("colour", mode="before")
    @classmethod
    def _colour(cls, value: str | None) -> str | None:
        return values.colour(value)

    @field_validator("closing_note", "text")
    @classmethod
    def _free_text(cls, value: str) -> str:
        return values.clean_text(value)

    @field_validator("cues")
    @classmethod
    def _cues(cls, value: list[Cue]) -> list[Cue]:
        """Sorted by time; two cues at one time keep the later one (an edit replaces)."""
        by_time = {cue.at: cue for cue in value}
        return [by_time[at] for at in sorted(by_time)]

    def content(self) -> dict[str, Any]:
        """The notes without `updated_at`: what two versions are compared by."""
        return self.model_dump(mode="json", exclude={"updated_at"})

    def is_empty(self) -> bool:
        """Whether nothing at all is noted."""
        return self.content() == values.EMPTY_NOTES
