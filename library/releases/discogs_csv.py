"""A Discogs collection export: the CSV Discogs gives a collector, one release per row.

Columns (Discogs' names): Catalog#, Artist, Title, Label, Format, Rating, Released,
release_id, CollectionFolder, Date Added, Collection Media Condition, Collection Sleeve
Condition, Collection Notes. Other columns (custom fields) are ignored. Each row becomes a
release with source "discogs" and the row's release_id, so a later import of the same release
from the API's JSON completes the same entry instead of adding another; the collector's own
facts (folder, rating, conditions, notes) are kept under `collection`.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from library.errors import ReleaseFormatError
from library.releases.fields import clean_artist, parse_format

REQUIRED = ("release_id", "Artist", "Title")
_COLLECTION = {
    "folder": "CollectionFolder",
    "date_added": "Date Added",
    "media_condition": "Collection Media Condition",
    "sleeve_condition": "Collection Sleeve Condition",
    "notes": "Collection Notes",
}


def looks_like_collection_csv(text: str) -> bool:
    """Whether the first line is a Discogs collection header (it names release_id and Title)."""
    first = text.removeprefix("\ufeff").partition("\n")[0]
    try:
        header = next(csv.reader([first]))
    except csv.Error:
        return False
    return all(column in header for column in REQUIRED)


def _labels(names: str, numbers: str) -> list[dict[str, str | None]]:
    """ "Axis, Tresor" with "AX-022, TRESOR 1": paired when the counts agree, else one label."""
    if not names.strip():
        return []
    split_names = [name.strip() for name in names.split(", ")]
    split_numbers = [number.strip() for number in numbers.split(", ")]
    if len(split_names) == len(split_numbers):
        return [
            {"name": clean_artist(name), "catalog_number": number or None}
            for name, number in zip(split_names, split_numbers, strict=True)
        ]
    return [{"name": clean_artist(names.strip()), "catalog_number": numbers.strip() or None}]


def _row(line: int, row: dict[str, str]) -> dict[str, Any]:
    source_id = (row.get("release_id") or "").strip()
    title = row.get("Title") or ""
    if not source_id.isdigit():
        raise ReleaseFormatError(f"line {line}: release_id {source_id!r} is not a Discogs id")
    if not title.strip():
        raise ReleaseFormatError(f"line {line}: no Title")
    artist = (row.get("Artist") or "").strip()
    released = (row.get("Released") or "").strip()
    rating = (row.get("Rating") or "").strip()
    collection: dict[str, Any] = {
        key: row.get(column) or None for key, column in _COLLECTION.items()
    }
    collection["rating"] = int(rating) if rating.isdigit() and len(rating) < 4 else None
    return {
        "source": "discogs",
        "source_id": source_id,
        "title": title,
        "artists": [clean_artist(artist)] if artist else [],
        "artist_credit": artist or None,
        "labels": _labels(row.get("Label") or "", row.get("Catalog#") or ""),
        "formats": parse_format(row.get("Format") or ""),
        "released": released or None,
        "year": int(released[:4]) if released[:4].isdigit() and released[:4] != "0000" else None,
        "url": f"https://www.discogs.com/release/{source_id}",
        "collection": collection,
    }


def parse_collection(text: str) -> list[dict[str, Any]]:
    """The fields of one release entry per row; a bad row fails the whole file."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    missing = [column for column in REQUIRED if column not in (reader.fieldnames or [])]
    if missing:
        raise ReleaseFormatError(f"not a Discogs collection export: no {', '.join(missing)} column")
    releases = []
    try:
        for row in reader:
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            releases.append(_row(reader.line_num, row))
    except csv.Error as error:
        raise ReleaseFormatError(f"line {reader.line_num}: {error}") from None
    if not releases:
        raise ReleaseFormatError("a Discogs collection export with no rows")
    return releases
