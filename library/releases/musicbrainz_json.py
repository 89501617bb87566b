"""MusicBrainz ws/2 release JSON (`/ws/2/release/{mbid}?inc=artist-credits+labels+recordings`).

Keys are read with hyphens (the web service) or underscores (as beets and other clients
re-save it). Artists come from the artist credit with its join phrases; labels with their
catalog numbers from the label info; the tracklist from the media: on vinyl and other media
whose track "number" is a side and a number ("A1"), that is the position; otherwise the number
("3"), prefixed with the medium ("2-3") when there are several. Lengths in milliseconds become
whole seconds, rounded.
"""

from __future__ import annotations

from typing import Any

from library.errors import ReleaseFormatError
from library.releases.fields import (
    json_objects,
    json_text,
    milliseconds_to_seconds,
    year_of,
)


def _get(data: dict[str, Any], key: str) -> Any:
    """`data["artist-credit"]` or `data["artist_credit"]`, whichever the file uses."""
    if key in data:
        return data[key]
    return data.get(key.replace("-", "_"))


def _has(data: dict[str, Any], key: str) -> bool:
    return key in data or key.replace("-", "_") in data


def is_musicbrainz_release(data: object) -> bool:
    """A release: an MBID and a title with media or an artist credit (not a release group,
    an artist, or search results)."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("id"), str)
        and isinstance(data.get("title"), str)
        and (_has(data, "media") or _has(data, "artist-credit"))
        and not _has(data, "primary-type")
    )


def _credit(value: object) -> tuple[list[str], str | None]:
    """Credited names and the credit line: "Name" + joinphrase, as the release prints it."""
    names: list[str] = []
    line = ""
    for credit in json_objects(value):
        artist = credit.get("artist")
        name = json_text(credit.get("name"))
        if name is None and isinstance(artist, dict):
            name = json_text(artist.get("name"))
        if name is None:
            continue
        names.append(name)
        line += name + (json_text(_get(credit, "joinphrase")) or "")
    return names, line.strip() or None


def _position(medium: dict[str, Any], track: dict[str, Any], several: bool) -> str:
    number = json_text(track.get("number")) or json_text(track.get("position")) or ""
    if number and not number.isdigit():
        return number  # "A1" on vinyl and cassette sides
    medium_number = json_text(medium.get("position"))
    return f"{medium_number}-{number}" if several and medium_number and number else number


def _tracklist(media: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tracks: list[dict[str, Any]] = []
    several = len(media) > 1
    for medium in media:
        for track in json_objects(medium.get("tracks")):
            recording = track.get("recording")
            recording = recording if isinstance(recording, dict) else {}
            title = json_text(track.get("title")) or json_text(recording.get("title"))
            if title is None:
                continue
            length = track.get("length")
            tracks.append(
                {
                    "position": _position(medium, track, several),
                    "title": title,
                    "duration": milliseconds_to_seconds(
                        length if length is not None else recording.get("length")
                    ),
                    "artists": _credit(_get(track, "artist-credit"))[0],
                }
            )
    return tracks


def _formats(media: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Media grouped by format, in order: two 12" Vinyl media are 2 x 12" Vinyl."""
    formats: dict[str, int] = {}
    for medium in media:
        name = json_text(medium.get("format")) or "(unknown format)"
        formats[name] = formats.get(name, 0) + 1
    return [{"name": name, "quantity": count} for name, count in formats.items()]


def parse_musicbrainz(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a release entry (source "musicbrainz") from one ws/2 release object."""
    source_id = json_text(data.get("id"))
    title = json_text(data.get("title"))
    if source_id is None or title is None:
        raise ReleaseFormatError("MusicBrainz release without an id or a title")
    artists, credit = _credit(_get(data, "artist-credit"))
    fields: dict[str, Any] = {
        "source": "musicbrainz",
        "source_id": source_id,
        "title": title,
        "artists": artists,
        "artist_credit": credit,
        "url": f"https://musicbrainz.org/release/{source_id}",
    }
    if _has(data, "label-info"):
        labels = []
        for info in json_objects(_get(data, "label-info")):
            label = info.get("label")
            name = json_text(label.get("name")) if isinstance(label, dict) else None
            catno = json_text(_get(info, "catalog-number"))
            if name or catno:
                labels.append({"name": name or "[no label]", "catalog_number": catno})
        fields["labels"] = labels
    if "media" in data:
        media = json_objects(data["media"])
        fields["formats"] = _formats(media)
        fields["tracklist"] = _tracklist(media)
    date = json_text(data.get("date"))
    if "date" in data:
        fields["released"] = date
        fields["year"] = year_of(date)
    if "country" in data:
        fields["country"] = json_text(data["country"])
    if "genres" in data:
        genres = json_objects(data["genres"])
        fields["genres"] = [name for genre in genres if (name := json_text(genre.get("name")))]
    if "annotation" in data:
        fields["notes"] = json_text(data["annotation"])
    identifiers = [
        {"type": kind, "description": None, "value": value}
        for kind, key in (("Barcode", "barcode"), ("ASIN", "asin"))
        if (value := json_text(data.get(key)))
    ]
    if identifiers or "barcode" in data:
        fields["identifiers"] = identifiers
    return fields
