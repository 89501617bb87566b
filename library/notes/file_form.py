"""Track notes as tag values: what `setlist tags write` puts in a file and a scan reads back.

Three fields carry the notes (their keys per format are in `library.tag_fields`):

    moods          the standard mood field (ID3v2.4 TMOO, TXXX:MOOD in a v2.3 tag, Vorbis MOOD,
                   MP4 ----:MOOD, ASF WM/Mood): several values, one mood each
    energy         where Mixed In Key writes it (TXXX:EnergyLevel, ENERGYLEVEL...): "1".."10"
    setlist_notes  everything else, in one field setlist owns (ID3 COMM "setlist", Vorbis
                   SETLIST_NOTES, MP4 ----:SETLIST_NOTES, ASF SETLIST_NOTES), as one line of
                   JSON (UTF-8, compact, control characters escaped by JSON itself):

        {"v":1,"roles":["closer"],"closing_note":"…","text":"…","rating":4,"colour":"red",
         "cues":[{"at":65.0,"text":"the bells"}]}

"v" is the form's version: a reader refuses a version it does not know rather than guess.
Fields with nothing noted are left out, and with nothing but moods and energy noted the field
is not written at all. Unknown keys are ignored, so a later version 1 writer may add fields.
When the notes are read back, every value goes through the same checks as a command's
(`library.notes.values`); a value that fails is reported and left out, never stored.

Plain Python (no pydantic): the scanner decodes notes in its main process.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from library.errors import SetlistError
from library.notes import values
from library.notes.values import EMPTY_NOTES, NOTE_FIELDS

FORM_VERSION = 1
IN_THE_JSON = ("roles", "closing_note", "text", "rating", "colour", "cues")
TAG_FIELDS = ("moods", "energy", "setlist_notes")


def encode(content: Mapping[str, Any]) -> dict[str, object]:
    """The tag values (for `write_tags`) that hold `content`; empty fields clear their tag."""
    body = {name: content[name] for name in IN_THE_JSON if content[name] != EMPTY_NOTES[name]}
    notes = None
    if body:
        notes = json.dumps({"v": FORM_VERSION, **body}, ensure_ascii=False, separators=(",", ":"))
    return {"moods": list(content["moods"]), "energy": content["energy"], "setlist_notes": notes}


def content_hash(content: Mapping[str, Any]) -> str:
    """A digest of the notes a file holds (or would hold): equal digests, equal tags.

    Over a JSON list in a fixed order (json.dumps with its defaults takes its fast C path).
    hashlib is imported here: it loads OpenSSL (4 MB), which a scan of files without notes
    never needs in its main process.
    """
    import hashlib

    cues = [[cue["at"], cue["text"]] for cue in content["cues"]]
    canonical = json.dumps([*(content[name] for name in NOTE_FIELDS[:-1]), cues])
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def empty_content() -> dict[str, Any]:
    """Fresh empty notes (new lists every time)."""
    return {
        "moods": [], "energy": None, "roles": [], "closing_note": "", "text": "", "rating": None,
        "colour": None, "cues": [],
    }  # fmt: skip


# content_hash(EMPTY_NOTES), written out so that importing this module needs no hashlib
# (tests/library/test_notes_files.py checks it).
EMPTY_HASH = "e04b45b82603d5b48601abfb6c34c75a"


@dataclass(slots=True)
class FileNotes:
    """Notes read from a file: the full content (empty where the file has nothing), which
    fields the file does have, and the values that failed the checks (field, reason)."""

    content: dict[str, Any]
    present: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def digest(self) -> str:
        return content_hash(self.content)


def holds_more_than_moods(tags: Mapping[str, Any]) -> bool:
    """Whether a file's tag values hold notes besides moods (cheap: no decoding).

    Moods alone need no notes of their own: the moods of a track's tags are its notes' moods
    until it is noted (see `library.notes.store`).
    """
    return tags.get("energy") is not None or bool(tags.get("setlist_notes"))


def _check(found: FileNotes, name: str, check: Any, raw: object) -> None:
    try:
        value = check(raw)
    except SetlistError as error:
        found.problems.append((name, str(error)))
        return
    if value != EMPTY_NOTES[name]:
        found.content[name] = value
        found.present.append(name)


def _cues(raw: object) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(cue, dict) for cue in raw):
        raise values.NoteValueError("cues: expected a list of {at, text}")
    by_time: dict[float, str] = {}
    for cue in raw:
        text = cue.get("text", "")
        if not isinstance(text, str):
            raise values.NoteValueError(f"cue text {text!r}: not text")
        by_time[values.cue_at(cue.get("at"))] = values.clean_text(text)
    return [{"at": at, "text": by_time[at]} for at in sorted(by_time)]


def _text(raw: object) -> str:
    if not isinstance(raw, str):
        raise values.NoteValueError(f"{raw!r}: not text")
    return values.clean_text(raw)


def _list_of_text(check: Any) -> Any:
    def checked(raw: object) -> object:
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise values.NoteValueError(f"{raw!r}: not a list of words")
        return check(raw)

    return checked


_JSON_CHECKS: dict[str, Any] = {
    "roles": _list_of_text(values.roles),
    "closing_note": _text,
    "text": _text,
    "rating": values.rating,
    "colour": lambda raw: values.colour(raw if isinstance(raw, str | None) else repr(raw)),
    "cues": _cues,
}


def decode(tags: Mapping[str, Any]) -> FileNotes:
    """The notes in a file's tag values (as `read_tag_values` gives them)."""
    found = FileNotes(empty_content())
    if tags.get("moods"):
        kept = []
        for item in tags["moods"]:
            try:
                kept.append(values.mood(item))
            except SetlistError as error:
                found.problems.append(("moods", str(error)))
        if kept:
            found.content["moods"] = sorted(set(kept))
            found.present.append("moods")
    if tags.get("energy") is not None:
        _check(found, "energy", values.energy, tags["energy"])
    raw = tags.get("setlist_notes")
    if raw:
        body = _parse(raw, found)
        for name in IN_THE_JSON:
            if body is not None and name in body:
                _check(found, name, _JSON_CHECKS[name], body[name])
    return found


def _parse(raw: str, found: FileNotes) -> dict[str, Any] | None:
    """The JSON object of the notes field, or None (with a problem) when it is not one."""
    try:
        body = json.loads(raw)
    except ValueError:
        found.problems.append(("setlist_notes", "not readable as setlist's notes (not JSON)"))
        return None
    if not isinstance(body, dict) or not isinstance(body.get("v"), int):
        found.problems.append(("setlist_notes", "not readable as setlist's notes (no version)"))
        return None
    if body["v"] != FORM_VERSION:
        found.problems.append(
            ("setlist_notes", f"written in form {body['v']} by another setlist; left alone")
        )
        return None
    return body
