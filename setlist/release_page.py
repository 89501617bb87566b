"""A release entry as a readable page for a terminal, laid out like the release page it came
from: header, label – catalog number, format, notes, identifiers, tracklist with the local
files linked to each position (or "not in library"), and the reviews.

Every line of imported text goes through `printable` on its own, so a multi-line note or
review stays readable while no escape sequence, control character or bidi override reaches
the terminal.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from setlist.durations import format_duration
from setlist.terminal import cell_width, fit, printable

if TYPE_CHECKING:
    from library.models import Track
    from library.releases.model import Format, Release
    from library.releases.store import Link

_LINE_BREAKS = re.compile("\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")


def text_lines(text: str | None, indent: str = "  ", width: int | None = None) -> Iterator[str]:
    """A multi-line text as printable lines, each indented and, given a `width`, wrapped at
    spaces to fit it; blank lines stay blank, so paragraphs stay apart."""
    for line in _LINE_BREAKS.split((text or "").strip("\r\n")):
        shown = printable(line).rstrip()
        if not shown:
            yield ""
        elif width is None:
            yield f"{indent}{shown}"
        else:
            yield from textwrap.wrap(
                shown, width, initial_indent=indent, subsequent_indent=indent,
                break_long_words=False, break_on_hyphens=False,
            )  # fmt: skip


def format_line(fmt: Format) -> str:
    """ "Vinyl, 12", 33 ⅓ RPM" as the page writes it; "2 x Vinyl, ..." for several."""
    parts = [fmt.name, *fmt.descriptions] + ([f'"{fmt.text}"'] if fmt.text else [])
    text = ", ".join(parts)
    return f"{fmt.quantity} x {text}" if fmt.quantity != 1 else text


def _file(track: Track, link: Link, paths: bool) -> str:
    """A linked track: id, artist – title, and with `paths` its file and how it was linked."""
    name = f"{printable(track.artist) or '?'} – {printable(track.title) or '?'}"
    missing = " (missing)" if track.missing else ""
    if not paths:
        return f"#{track.id} {name}{missing}"
    how = "manual" if link.manual else f"{link.method} {link.confidence:.2f}"
    return f"#{track.id} {name}{missing}  {printable(track.path)}  [{how}]"


def _facts(release: Release) -> list[str]:
    facts = [
        f"Released {printable(release.released or str(release.year))}"
        if release.released or release.year
        else "",
        printable(release.country),
        ", ".join(printable(g) for g in [*release.genres, *release.styles]),
    ]
    return [" · ".join(fact for fact in facts if fact)] if any(facts) else []


def _tracklist(
    release: Release, links: Sequence[Link], tracks: dict[int, Track], width: int, paths: bool
) -> Iterator[str]:
    """One row per track: position, title, length, then its local file or "not in library"."""
    by_position: dict[str, list[Link]] = {}
    for link in links:
        by_position.setdefault(link.position or "", []).append(link)
    rows: list[tuple[str, str, str, list[Link]]] = []
    for entry in release.tracklist:
        artists = " & ".join(printable(a) for a in entry.artists)
        title = printable(entry.title)
        rows.append(
            (
                printable(entry.position),
                f"{artists} – {title}" if artists else title,
                format_duration(entry.duration),
                by_position.get(entry.position, []) if entry.position else [],
            )
        )
    widths = [max([cell_width(str(row[i])) for row in rows] + [1]) for i in range(3)]
    widths[1] = min(widths[1], max(16, width * 2 // 5))
    yield "Tracklist"
    for position, title, length, linked in rows:
        cells = f"  {fit(position, widths[0])}  {fit(title, widths[1])}  {length:>{widths[2]}}"
        files = [_file(tracks[link.track_id], link, paths) for link in linked]
        files = files or ["not in library"]
        if not paths and cell_width(f"{cells}  {files[0]}") > width:  # under the title
            yield cells.rstrip()
            yield from (f"{' ' * (widths[0] + 6)}{file}" for file in files)
            continue
        yield f"{cells}  {files[0]}"
        yield from (f"{' ' * len(cells)}  {more}" for more in files[1:])
    yield ""


def render_release(
    release: Release,
    links: Sequence[Link],
    tracks: dict[int, Track],
    width: int = 100,
    *,
    paths: bool = True,
) -> list[str]:
    """The page's lines for a terminal `width` columns wide; `links` are this release's
    links, `tracks` their tracks by id. Notes and reviews are wrapped to the width. Without
    `paths` a linked file is its track alone (the app's narrower pane: the track panel
    shows the rest)."""
    wrap = max(40, min(width, 100))
    lines = [
        f"{printable(release.artist_line) or '?'} – {printable(release.title)}",
        printable(release.label_line) or "(no label)",
        *[printable(format_line(fmt)) for fmt in release.formats],
        *_facts(release),
        f"Release {release.id} · from {release.source}"
        + (f" · {printable(release.url)}" if release.url else ""),
        "",
    ]
    if release.tracklist:
        lines += _tracklist(release, links, tracks, width, paths)
        positions = {entry.position for entry in release.tracklist if entry.position}
        unplaced = [link for link in links if link.position not in positions]
    else:
        unplaced = list(links)
    if unplaced:
        lines.append("Local files" if not release.tracklist else "Other local files")
        lines += [f"  {_file(tracks[link.track_id], link, paths)}" for link in unplaced]
        lines.append("")
    if release.companies:
        lines.append("Companies, etc.")
        lines += [f"  {printable(c.role)} – {printable(c.name)}" for c in release.companies]
        lines.append("")
    if release.notes:
        lines += ["Notes", *text_lines(release.notes, "  ", wrap), ""]
    if release.identifiers:
        lines.append("Barcode and Other Identifiers")
        for ident in release.identifiers:
            label = printable(ident.type)
            if ident.description:
                label += f" ({printable(ident.description)})"
            first, *rest = list(text_lines(ident.value, "")) or [""]
            lines.append(f"  • {label}: {first}")
            lines += [f"    {line}" for line in rest]
        lines.append("")
    if release.collection:
        owned = release.collection
        facts = [
            ("Folder", owned.folder), ("Rating", str(owned.rating) if owned.rating else None),
            ("Media", owned.media_condition), ("Sleeve", owned.sleeve_condition),
            ("Added", owned.date_added),
        ]  # fmt: skip
        lines.append("In your collection")
        summary = " · ".join(f"{key}: {value}" for key, value in facts if value)
        lines += text_lines(summary, "  ", wrap)
        if owned.notes:
            lines += text_lines(owned.notes, "  ", wrap)
        lines.append("")
    if release.reviews or release.review_count:
        count = release.review_count
        shown = len(release.reviews)
        heading = f"Reviews ({shown}" + (f" of {count} announced)" if count != shown else ")")
        lines.append(heading)
        for review in release.reviews:
            lines += ["", f"  {review.date.isoformat()}", *text_lines(review.text, "    ", wrap)]
        lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return lines
