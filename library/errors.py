"""One exception hierarchy for the domain.

Every failure a user can cause (a broken file, a foreign database, a bad query) is raised as a
`SetlistError` whose message names the thing and the problem in one line, so the CLI can print
it and exit 2 and the TUI can show it without a traceback. Third-party exceptions (mutagen,
sqlite3) are translated at the one module that calls them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# What str.splitlines() splits at.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


class SetlistError(Exception):
    """Base of every error setlist reports to a user."""


class TagReadError(SetlistError):
    """A file's tags or stream could not be read."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class TagWriteError(SetlistError):
    """Tags could not be written; the original file is untouched."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class DatabaseError(SetlistError):
    """The library database cannot be used."""


class ForeignDatabaseError(DatabaseError):
    """The file is not a setlist database; it is refused and left untouched."""


class DamagedDatabaseError(DatabaseError):
    """The library file is a setlist database whose content is damaged; it is left as it is."""


class NewerSchemaError(DatabaseError):
    """The database was written by a newer setlist; it is refused and left untouched."""


class ScanPathError(SetlistError):
    """A path given to scan does not exist or is not a folder or file."""


class QueryError(SetlistError):
    """The search text cannot be understood; the message says where and why."""

    def __init__(self, message: str) -> None:
        # The message quotes the query, whose quoted phrases may hold line breaks: they are
        # written as escapes, so the message stays the one line a user sees.
        super().__init__(_LINE_BREAK.sub(lambda found: repr(found.group())[1:-1], message))


class ReleaseFormatError(SetlistError):
    """Text, JSON or CSV that cannot be read as a release; nothing from it is stored."""


class ReleaseNotFoundError(SetlistError):
    """No release entry has the id the user gave."""


def field_path(parts: Iterable[object]) -> str:
    """Where in a document a problem lies, as `tracks.0.notes`, for a one-line message.

    The parts come from the document itself (JSON or TOML keys), so a key that is not plain
    text (a line break, a control character, a dot, nothing at all) is shown quoted, as
    Python writes it: the message stays one line and says exactly which key.
    """
    shown = []
    for part in parts:
        text = str(part)
        plain = isinstance(part, int) or (text.isprintable() and text.strip() and "." not in text)
        shown.append(text if plain else repr(text))
    return ".".join(shown)
