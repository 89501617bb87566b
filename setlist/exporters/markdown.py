"""Markdown: a table of the set, then each track's notes, for a README, a wiki or a post.

    # Vendredi à la Melkweg

    | # | Start | Track | Release | BPM | Key | Energy | Moods |
    | ---: | ---: | --- | --- | ---: | --- | ---: | --- |
    | 1 | 00:00 | Jëff Mills – Entrée à Métropolis | Axis Récords AX-022 | 128 | 8A | 7 | hanté |

Text from tags and notes is escaped so that it shows as written and cannot change the page:
`\\` `` ` `` `*` `_` `[` `]` `<` `>` `|` `&` `~` `$` get a backslash wherever they are, and
`#` `+` `-` `=` (or the `.` or `)` after a number) when they begin a value; so no tag can end a
table cell, open a link or an image, emphasise, start a heading or a list, or hold HTML
(`<script>` shows as text). Line breaks, control and bidi characters are removed from
one-line values; a note's lines stay lines. Renderers that link bare URLs (GitHub) still
show a URL in a tag as a link to itself; nothing hides behind other text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TextIO

from library.notes.values import format_time
from setlist.exporters.entry_text import (
    artist_title,
    camelot,
    clock,
    one_line,
    release,
    text_lines,
)

if TYPE_CHECKING:
    from setlist.exporters import ExportContext, ExportEntry

# Special anywhere in a line: code, emphasis, links and images, HTML, entities, table cells,
# strikethrough, math.
_INLINE = re.compile(r"([\\`*_\[\]<>|&~$])")
# Special at the start of a line: headings, list items, setext underlines; "1." and "1)".
_LINE_START = re.compile(r"[#+\-=]|\d+(?=[.)])")
HEADER = ("#", "Start", "Track", "Release", "BPM", "Key", "Energy", "Moods")
ALIGN = ("---:", "---:", "---", "---", "---:", "---", "---:", "---")


def escaped(text: str | None) -> str:
    """One line of untrusted text as Markdown that shows exactly that text."""
    line = _INLINE.sub(r"\\\1", one_line(text))
    start = _LINE_START.match(line)
    if start is None:
        return line
    if start.group()[0].isdigit():  # "1." starts a list: escape the "."
        return f"{start.group()}\\{line[start.end() :]}"
    return f"\\{line}"


def _table_row(cells: tuple[str, ...] | list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _cells(entry: ExportEntry) -> list[str]:
    track, key = entry.track, camelot(entry.track)
    return [
        str(entry.position),
        clock(entry.start),
        escaped(artist_title(track)),
        escaped(release(track)),
        "" if track.bpm is None else f"{round(track.bpm, 2):g}",
        str(key) if key else "",
        str(entry.notes.energy or ""),
        escaped(", ".join(entry.notes.moods)),
    ]


def _facts(entry: ExportEntry) -> list[str]:
    """The notes of an entry as list items (the fields that are set)."""
    notes = entry.notes
    facts = []
    if notes.roles:
        facts.append(f"Roles: {', '.join(notes.roles)}")
    if notes.rating is not None:
        facts.append(f"Rating: {notes.rating}/5")
    if notes.colour:
        facts.append(f"Colour: {notes.colour}")
    facts += [f"Cue {format_time(cue.at)}: {escaped(cue.text)}" for cue in notes.cues]
    if notes.closing_note:
        facts.append(f"Closing note: {escaped(' '.join(text_lines(notes.closing_note)))}")
    if entry.transition_note:
        facts.append(f"Into it: {escaped(' '.join(text_lines(entry.transition_note)))}")
    return facts


def _notes(entry: ExportEntry) -> list[str]:
    """The notes section of an entry (no lines when nothing is noted)."""
    facts, text = _facts(entry), text_lines(entry.notes.text)
    if not facts and not text:
        return []
    lines = [f"### {entry.position}. {escaped(artist_title(entry.track))}", ""]
    if facts:
        lines += [f"- {fact}" for fact in facts] + [""]
    if text:
        # A backslash at the end of a line is a hard line break: the note keeps its lines.
        lines += [escaped(line) + "\\" for line in text[:-1]] + [escaped(text[-1]), ""]
    return lines


def export(context: ExportContext, stream: TextIO) -> None:
    """Write the heading, the set's details, the table and the notes."""
    setlist = context.setlist
    lines = [f"# {escaped(setlist.name)}", ""]
    where = [escaped(setlist.venue), setlist.date.isoformat() if setlist.date else ""]
    details = [" · ".join(part for part in where if part)] if any(where) else []
    details += [escaped(line) for line in text_lines(setlist.description)]
    if details:
        lines += [line + "\\" for line in details[:-1]] + [details[-1], ""]
    lines += [_table_row(HEADER), _table_row(ALIGN)]
    lines += [_table_row(_cells(entry)) for entry in context.entries]
    notes = [line for entry in context.entries for line in _notes(entry)]
    if notes:
        lines += ["", "## Notes", "", *notes]
    stream.write("\n".join(lines).rstrip("\n") + "\n")
