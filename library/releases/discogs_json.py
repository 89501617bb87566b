"""Discogs API release JSON (`GET /releases/{id}`), as the API or a client library saves it.

Names are made readable as the site shows them: the numeric suffix that tells two artists of
one name apart is dropped ("Care Company (2)"), and "Persuader, The" reads "The Persuader".
Tracklist headings (`type_` "heading") are not tracks; an index track's sub-tracks are.
Everything else is kept as the API wrote it: positions, durations, identifiers, companies.
"""

from __future__ import annotations

from typing import Any

from library.errors import ReleaseFormatError
from library.releases.fields import (
    clean_artist,
    json_objects,
    json_text,
    json_texts,
    parse_duration,
)


def is_discogs_release(data: object) -> bool:
    """A release, not a master (`main_release`), artist, label or a page of search results."""
    return (
        isinstance(data, dict)
        and "id" in data
        and isinstance(data.get("title"), str)
        and ("labels" in data or "formats" in data)
        and "main_release" not in data
    )


def _artists(value: object) -> tuple[list[str], str | None]:
    """Artist names, and the credit line with Discogs' join words ("Trash80 & Dma-Sc")."""
    names: list[str] = []
    credit = ""
    for artist in json_objects(value):
        name = json_text(artist.get("name"))
        if name is None:
            continue
        names.append(clean_artist(name))
        join = json_text(artist.get("join"))
        credit += names[-1] + (f" {join} " if join and join != "," else (", " if join else ""))
    return names, credit.strip().rstrip(",") or None


def _tracks(value: object) -> list[dict[str, Any]]:
    tracks: list[dict[str, Any]] = []
    for track in json_objects(value):
        kind = track.get("type_")
        if kind == "heading":
            continue
        if kind == "index" and json_objects(track.get("sub_tracks")):
            tracks.extend(_tracks(track["sub_tracks"]))
            continue
        title = json_text(track.get("title"))
        if title is None:
            continue
        tracks.append(
            {
                "position": json_text(track.get("position")) or "",
                "title": title,
                "duration": parse_duration(track.get("duration")),
                "artists": _artists(track.get("artists"))[0],
            }
        )
    return tracks


def _quantity(value: object) -> int:
    text = json_text(value)
    return int(text) if text is not None and text.isdigit() and len(text) < 6 else 1


def parse_discogs(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a release entry (source "discogs") from one API release object."""
    source_id = json_text(data.get("id"))
    title = json_text(data.get("title"))
    if source_id is None or title is None:
        raise ReleaseFormatError("Discogs release without an id or a title")
    artists, credit = _artists(data.get("artists"))
    fields: dict[str, Any] = {
        "source": "discogs",
        "source_id": source_id,
        "title": title,
        "artists": artists,
        "artist_credit": credit,
        "url": json_text(data.get("uri")) or f"https://www.discogs.com/release/{source_id}",
    }
    if "labels" in data:
        fields["labels"] = [
            {"name": clean_artist(name), "catalog_number": json_text(label.get("catno"))}
            for label in json_objects(data["labels"])
            if (name := json_text(label.get("name")))
        ]
    if "formats" in data:
        fields["formats"] = [
            {
                "name": name,
                "quantity": _quantity(entry.get("qty")),
                "descriptions": json_texts(entry.get("descriptions")),
                "text": json_text(entry.get("text")),
            }
            for entry in json_objects(data["formats"])
            if (name := json_text(entry.get("name")))
        ]
    year = data.get("year")
    if isinstance(year, int) and not isinstance(year, bool) and 0 < year < 10000:
        fields["year"] = year
    for key in ("released", "country", "notes"):
        if key in data:
            fields[key] = json_text(data[key])
    for key in ("genres", "styles"):
        if key in data:
            fields[key] = json_texts(data[key])
    if "identifiers" in data:
        fields["identifiers"] = [
            {
                "type": kind,
                "description": json_text(entry.get("description")),
                "value": json_text(entry.get("value")) or "",
            }
            for entry in json_objects(data["identifiers"])
            if (kind := json_text(entry.get("type")))
        ]
    if "tracklist" in data:
        fields["tracklist"] = _tracks(data["tracklist"])
    if "companies" in data:
        fields["companies"] = [
            {"role": json_text(entry.get("entity_type_name")) or "", "name": name}
            for entry in json_objects(data["companies"])
            if (name := json_text(entry.get("name")))
        ]
    return fields
