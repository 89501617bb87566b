"""Sets: the ordered plans a DJ makes from library tracks.

A set hangs on track ids (as notes and release links do), so a moved or retagged file stays
in every set that holds it. Positions are 1-based everywhere a user sees them.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class SetEntry(BaseModel):
    """One track at one place in a set, and how the DJ means to get into it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    position: int = Field(ge=1, description="1-based place in the set.")
    track_id: int
    transition_note: str = Field(default="", description="How to mix into this track.")


class SetList(BaseModel):
    """A named set: where and when it is for, how long it should run, and its entries."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    name: str = Field(description="Unique, compared case-insensitively.")
    description: str = ""
    venue: str = ""
    date: dt.date | None = None
    target_minutes: int | None = Field(default=None, ge=1)
    allow_repeat: bool = Field(default=False, description="May a track appear twice?")
    created_at: str | None = Field(default=None, description="ISO 8601 UTC, when stored.")
    updated_at: str | None = Field(default=None, description="ISO 8601 UTC of the last edit.")
    entries: list[SetEntry] = Field(default_factory=list)
