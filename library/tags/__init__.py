"""The one doorway to mutagen: read and write the tags of every audio format a DJ keeps.

No module outside this package imports mutagen (`tests/test_boundaries.py` checks). Everything
mutagen can raise on a damaged file (its own errors, but also `struct.error`, `IndexError`,
`UnicodeDecodeError`... from its parsers) is turned here into `TagReadError` /
`TagWriteError` naming the file and the reason, so a scan of ten thousand files reports the
broken ones and goes on. `reading` opens and extracts; `writing` writes atomically;
`artwork` hands over the bytes of a file's cover picture.
"""

from __future__ import annotations

from library.tags.artwork import read_artwork
from library.tags.reading import read_tag_values, read_tags
from library.tags.writing import remove_stale_copies, write_tags

__all__ = ["read_artwork", "read_tag_values", "read_tags", "remove_stale_copies", "write_tags"]
