"""Importers of other tools' playlists: M3U/M3U8 and Rekordbox XML.

Parsers here read a file into plain records (`PlaylistItem`, `RekordboxCollection`) and never
touch the library; matching functions (`m3u.match_items`, `rekordbox.match_playlists`, through
`path_matching`) find the records' library tracks by path, then by file name; the commands
create the sets. Bad files raise `ImportFormatError` naming the file and the problem.
"""

from __future__ import annotations

from library.errors import SetlistError


class ImportFormatError(SetlistError):
    """A playlist file that cannot be read as the format it claims to be."""
