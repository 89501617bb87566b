"""What the two XML exports (Rekordbox, Traktor) share: clean attribute values, the notes as
one comment, and writing the document.

ElementTree escapes what XML needs (`&`, `<`, quotes, line breaks in attributes); what XML
cannot hold at all (NUL and most C0 controls, U+FFFE, U+FFFF) is removed before, and every
value is put on one line without control or bidi characters.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, TextIO

from setlist.exporters.entry_text import one_line, text_lines
from setlist.rekordbox_fields import comments, xml_text

if TYPE_CHECKING:
    from setlist.exporters import ExportEntry


def clean(text: str | None) -> str:
    """A value for an XML attribute: one line, no control, bidi or non-XML characters."""
    return xml_text(one_line(text))


def notes_comments(entry: ExportEntry) -> str:
    """The comment of an entry: its moods and its notes' text, on one line."""
    return clean(comments(entry.notes.moods, " ".join(text_lines(entry.notes.text))))


def write_document(root: ET.Element, declaration: str, stream: TextIO) -> None:
    """Write `root` indented by two spaces after `declaration` (which says UTF-8)."""
    ET.indent(root, space="  ")
    stream.write(declaration)
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
