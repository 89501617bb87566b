"""A library's notes, release links and sets as one JSON document, to rebuild it elsewhere.

`setlist export-notes` writes everything a DJ made (track notes, the release entries and the
links to them, sets, the record of sets played) keyed by each track's audio identity and
path (`export`); `setlist import-notes` places each track in another library, by audio
identity first and path second, and merges without overwriting anything newer (`merge`).
The document's shape is `document`; its version is checked before anything else is read.
"""

from __future__ import annotations

from library.errors import SetlistError

FORMAT = "setlist-notes"
VERSION = 1


class TransferError(SetlistError):
    """A notes document that cannot be read or used; nothing was changed."""
