"""`setlist tracks [QUERY...]`: list library tracks matching the search language."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from library.query import FIELDS, compile_query, compile_sort
from setlist.cli_state import CliState, pass_state
from setlist.durations import format_duration
from setlist.terminal import cell_width, dumps_json, fit, printable

if TYPE_CHECKING:
    from library.models import Track


def query_text(words: Sequence[str]) -> str:
    """Rebuild search text from shell words, re-quoting words the shell unquoted.

    `setlist tracks title:"the bells"` reaches us as the single word `title:the bells`;
    joining words with spaces would split it again, so words with spaces get quotes back.
    Only a known field name before the colon makes a field term: `"Live: at Tresor"` quoted
    in the shell is a phrase, not an unknown field `live`.
    """
    parts = []
    for word in words:
        if not any(ch.isspace() for ch in word) or '"' in word:
            parts.append(word)
            continue
        sign = "-" if word.startswith("-") else ""
        body = word[len(sign) :]
        name, colon, value = body.partition(":")
        if colon and name.lower() in FIELDS:
            parts.append(f'{sign}{name}:"{value}"')
        else:
            parts.append(f'{sign}"{body}"')
    return " ".join(parts)


def render_table(tracks: Sequence[Track], width: int) -> list[str]:
    """Rows for a terminal: id, artist – title, BPM, key, length, format, label and catno."""
    rows = []
    for track in tracks:
        name = f"{printable(track.artist) or '?'} – {printable(track.title) or '?'}"
        release = " ".join(
            p for p in (printable(track.label), printable(track.catalog_number)) if p
        )
        rows.append(
            (
                str(track.id),
                name + (" (missing)" if track.missing else ""),
                f"{track.bpm:.1f}".removesuffix(".0") if track.bpm else "",
                track.camelot or "",
                format_duration(track.duration),
                track.format or "",
                release,
            )
        )
    header = ("ID", "ARTIST – TITLE", "BPM", "KEY", "LEN", "FMT", "LABEL")
    widths = [max(cell_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    fixed = sum(widths) - widths[1] - widths[6] + 2 * (len(header) - 1)
    spare = max(20, width - fixed)
    widths[1] = min(widths[1], max(12, spare * 2 // 3))
    widths[6] = min(widths[6], max(0, spare - widths[1]))
    lines = []
    for row in [header, *rows]:
        cells = [fit(cell, widths[i]) for i, cell in enumerate(row)]
        cells[0] = row[0].rjust(widths[0])
        lines.append("  ".join(cells).rstrip())
    return lines


# Settings of a command taking query words. No "-h": an exclusion such as "-house" would be
# parsed as the -h flag and show help.
QUERY_COMMAND_SETTINGS = {
    "ignore_unknown_options": True,
    "allow_interspersed_args": True,
    "help_option_names": ["--help"],
}


@click.command("tracks", context_settings=QUERY_COMMAND_SETTINGS)
@click.argument("query", nargs=-1, type=click.UNPROCESSED)
@click.option("--json", "as_json", is_flag=True, help="Print the tracks as a JSON list.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most N tracks.")
@click.option(
    "--sort",
    "sort",
    default=None,
    help="Sort by a field (also energy, rating, played, last_played); - reverses.",
)
@pass_state
def tracks_command(
    state: CliState, query: tuple[str, ...], as_json: bool, limit: int | None, sort: str | None
) -> None:
    """List tracks matching QUERY (all tracks without one).

    \b
    Free words match artist, title, album, label, catalog number and the notes.
    Fields: artist: title: album: label: catno: format: key: (key:~8A for compatible keys)
            bpm: (bpm:128, bpm:120..130, bpm:>=126) year: missing:yes
    Notes:  mood: role: colour: energy: (energy:>=7, energy:5..7) rating: notes:
            has:notes has:cues (also has:moods roles energy rating colour text)
    Plays:  played: (played:>=1, played:0) venue:"de melkweg" set:NAME
    "quoted phrases" are one word; -word excludes. Example:
        setlist tracks mills key:~8A bpm:125..135 -- -remix
        setlist tracks role:closer 'energy:<=5' mood:haunting
    """
    compiled = compile_query(query_text(query))
    order = compile_sort(sort)
    store = state.store()
    tracks = store.tracks(compiled.where, compiled.params, order, limit)
    if as_json:
        click.echo(dumps_json([track.model_dump(mode="json") for track in tracks]))
        return
    if not tracks:
        click.echo("No tracks match.", err=True)
        return
    width = shutil.get_terminal_size((120, 24)).columns
    for line in render_table(tracks, width):
        click.echo(line)
    total = store.count_tracks(compiled.where, compiled.params)
    if total > len(tracks):
        click.echo(f"{len(tracks)} of {total} tracks", err=True)
