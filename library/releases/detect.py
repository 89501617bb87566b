"""From a file's bytes to release entries: which source it is, read by that source's module.

Detection looks at the content, never the file name: JSON whose object is a Discogs release
or a MusicBrainz release, a CSV whose header is a Discogs collection export, and otherwise
release-page text. Every way a file can be wrong (empty, not UTF-8, truncated JSON, JSON of
another kind, text that is no release page) is one `ReleaseFormatError` naming the file.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from library.errors import ReleaseFormatError, SetlistError, field_path

if TYPE_CHECKING:
    from library.releases.model import Release

FORMATS = ("discogs-page", "discogs", "musicbrainz", "discogs-csv")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _load_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            raise ReleaseFormatError(
                f"truncated JSON: it ends inside a value (line {error.lineno})"
            ) from None
        raise ReleaseFormatError(
            f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except ValueError as error:
        raise ReleaseFormatError(f"invalid JSON: {error}") from None
    except RecursionError:
        raise ReleaseFormatError("invalid JSON: nested too deeply") from None


def _check_text(value: Any) -> None:
    """Refuse lone surrogates ("\\ud800" in JSON): they are no text and cannot be stored."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ReleaseFormatError(
                    "JSON text holds a lone surrogate (\\ud800-\\udfff)"
                ) from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _from_json(text: str, forced: str | None) -> list[dict[str, Any]]:
    from library.releases.discogs_json import is_discogs_release, parse_discogs
    from library.releases.musicbrainz_json import is_musicbrainz_release, parse_musicbrainz

    data = _load_json(text)
    _check_text(data)
    if forced in (None, "discogs") and is_discogs_release(data):
        return [parse_discogs(data)]
    if forced in (None, "musicbrainz") and is_musicbrainz_release(data):
        return [parse_musicbrainz(data)]
    wanted = {"discogs": "a Discogs release", "musicbrainz": "a MusicBrainz release"}
    what = wanted.get(forced or "", "a Discogs or MusicBrainz release")
    if isinstance(data, dict):
        keys = ", ".join(field_path([key]) for key in sorted(data)[:6]) or "no keys"
        shape = f"an object with {keys}"
    else:
        shape = f"a JSON {type(data).__name__.replace('dict', 'object')}"
    raise ReleaseFormatError(f"JSON of another kind, not {what} ({shape})")


def _fields(text: str, forced: str | None) -> list[dict[str, Any]]:
    from library.releases.discogs_csv import looks_like_collection_csv, parse_collection
    from library.releases.page_text import parse_page

    if forced in ("discogs", "musicbrainz") or (
        forced is None and text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")
    ):
        return _from_json(text, forced)
    if forced == "discogs-csv" or (forced is None and looks_like_collection_csv(text)):
        return parse_collection(text)
    return [parse_page(text)]


def read_releases(name: str, data: bytes, forced: str | None = None) -> list[Release]:
    """The release entries in one file's bytes (`name` is for messages); `forced` is one of
    `FORMATS` to skip detection. Raises `ReleaseFormatError` naming `name`."""
    from pydantic import ValidationError

    from library.releases.model import Release

    try:
        if not data.strip():
            raise ReleaseFormatError("empty file")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ReleaseFormatError(
                f"not UTF-8 text (byte {data[error.start]:#04x} at offset {error.start})"
            ) from None
        found = _fields(text, forced)
        try:
            return [Release.model_validate(fields) for fields in found]
        except ValidationError as error:
            first = error.errors()[0]
            where = field_path(first["loc"])
            raise ReleaseFormatError(f"{where}: {first['msg']}") from None
    except ReleaseFormatError as error:
        raise ReleaseFormatError(f"{name}: {error}") from None


def read_file(name: str) -> bytes:
    """The bytes of the file an import names (a leading ~ is the home folder). Raises
    `SetlistError` saying, with the name, why it cannot be read."""
    from pathlib import Path

    try:
        return Path(name).expanduser().read_bytes()
    except IsADirectoryError:
        raise SetlistError(f"{name}: is a folder, not a file") from None
    except OSError as error:
        raise SetlistError(f"{name}: cannot read: {error.strerror or error}") from None
