"""`setlist sets list`, `sets show` and `sets suggest`: what sets hold and what could come next.

Everything from tags, notes and set fields is printed through `printable`; JSON goes through
`dumps_json`. Verdicts are plain words here (the app colours them).
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import click

from setlist.cli_state import CliState, UserError, pass_state
from setlist.durations import format_duration
from setlist.terminal import dumps_json, printable
from setlist.text_table import render_table

if TYPE_CHECKING:
    from library.models import Track
    from setlist.analysis import Transition
    from setlist.sets import AnalysedSet
    from setlist.suggestions import Suggestion

_RELATION_WORDS = {"same": "same key", "+2": "+2 boost", "+7": "+7 semitone", "unknown": ""}


def whole_number(text: str, what: str, low: int | None = None) -> int:
    """`text` as a whole number (at least `low`), or a one-line error naming `what`."""
    try:
        number = int(text.strip())
    except ValueError:
        raise UserError(f"{what} {text!r}: not a whole number") from None
    if low is not None and number < low:
        raise UserError(f"{what} {number}: must be {low} or more")
    return number


def quoted(name: str) -> str:
    """A set name for a message: quoted, printable."""
    return f"'{printable(name)}'"


def track_name(artist: str | None, title: str | None) -> str:
    """ "Artist – Title", printable."""
    return f"{printable(artist) or '?'} – {printable(title) or '?'}"


def _bpm(bpm: float | None) -> str:
    return f"{bpm:.1f}".removesuffix(".0") if bpm else ""


def _width() -> int:
    return shutil.get_terminal_size((120, 24)).columns


def transition_parts(
    step: Transition, relations: dict[str, str] = _RELATION_WORDS, energy: str = "energy "
) -> list[str]:
    """What a transition is made of: the key relation (named by `relations` where it names
    it), the tempo change (×2 or ×½ at double or half time), the energy change."""
    parts = [relations.get(step.relation, step.relation)]
    if step.tempo is not None:
        timing = {"double": " ×2", "half": " ×½"}.get(step.tempo.timing, "")
        parts.append(f"{step.tempo.percent:+.1f}%{timing}")
    if step.energy_change is not None:
        parts.append(f"{energy}{step.energy_change:+d}")
    return [part for part in parts if part]


def transition_words(step: Transition | None) -> str:
    """ "good (+1, +0.8%, energy +1)": the verdict, then what it was made of."""
    if step is None:
        return ""
    details = ", ".join(transition_parts(step))
    return f"{step.verdict} ({details})" if details else step.verdict


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the sets as a JSON list.")
@pass_state
def list_command(state: CliState, as_json: bool) -> None:
    """List the sets, with their length against the target and how often they were played."""
    from library.set_store import SetStore

    summaries = SetStore(state.store()).summaries()
    if as_json:
        from dataclasses import asdict

        data = [
            {
                **asdict(s),
                "date": s.date.isoformat() if s.date else None,
                "last_played": s.last_played.isoformat() if s.last_played else None,
            }
            for s in summaries
        ]
        click.echo(dumps_json(data))
        return
    if not summaries:
        click.echo("No sets yet: setlist sets new NAME", err=True)
        return
    header = ("NAME", "TRACKS", "LENGTH", "TARGET", "VENUE", "DATE", "PLAYED")
    rows = [
        (
            printable(s.name),
            str(s.tracks),
            format_duration(s.seconds) + ("+?" if s.unknown_durations else ""),
            format_duration(s.target_minutes * 60) if s.target_minutes else "",
            printable(s.venue),
            s.date.isoformat() if s.date else "",
            f"{s.plays}× (last {s.last_played})" if s.last_played else "",
        )
        for s in summaries
    ]
    for line in render_table(header, rows, _width(), stretch=(0, 4), right=(1, 2, 3)):
        click.echo(line)


def _heading(found: AnalysedSet, plays: list[tuple[str, str]]) -> list[str]:
    setlist = found.setlist
    facts = [printable(setlist.venue), setlist.date.isoformat() if setlist.date else ""]
    if setlist.target_minutes:
        facts.append(f"target {format_duration(setlist.target_minutes * 60)}")
    if setlist.allow_repeat:
        facts.append("repeats allowed")
    lines = [" · ".join([f"Set {quoted(setlist.name)}", *(fact for fact in facts if fact)])]
    lines += [f"  {printable(line)}" for line in setlist.description.splitlines()]
    if plays:
        on, venue = plays[-1]
        where = f" at {printable(venue)}" if venue else ""
        times = "once" if len(plays) == 1 else f"{len(plays)} times"
        lines.append(f"Played {times}, last on {on}{where}")
    return lines


def totals_lines(found: AnalysedSet) -> list[str]:
    totals = found.analysis.totals()
    line = f"Total {format_duration(totals['seconds'])}"
    if totals["target_seconds"]:
        difference = totals["difference_seconds"]
        side = "over" if difference > 0 else "under"
        line += f" of a {format_duration(totals['target_seconds'])} target"
        if difference:
            line += f" ({format_duration(abs(difference))} {side})"
    unknown = totals["unknown_durations"]
    if unknown:
        line += f"; {unknown} track{'s' if unknown > 1 else ''} of unknown length"
    counts = totals["verdicts"]
    words = [
        f"{counts[name]} {name}" for name in ("good", "ok", "rough", "unknown") if counts[name]
    ]
    lines = [line]
    if words:
        lines.append(f"Transitions: {', '.join(words)}")
    return lines


def render_set(found: AnalysedSet, plays: list[tuple[str, str]]) -> list[str]:
    """The lines of `sets show`: heading, table (transition notes under their entries),
    totals, warnings."""
    setlist, analysis = found.setlist, found.analysis
    lines = _heading(found, plays)
    if not setlist.entries:
        return [*lines, "No tracks yet: setlist sets add NAME TRACK..."]
    header = ("#", "START", "ARTIST – TITLE", "BPM", "KEY", "ENERGY", "TRANSITION")
    rows: list[tuple[str, ...]] = []
    notes: dict[int, list[str]] = {}
    for entry, start in zip(setlist.entries, analysis.starts, strict=True):
        track: Track = found.tracks[entry.track_id]
        name = track_name(track.artist, track.title) + (" (missing)" if track.missing else "")
        rows.append(
            (
                str(entry.position), format_duration(start), name, _bpm(track.bpm),
                track.camelot or "", str(track.energy or ""),
                transition_words(analysis.transition_into(entry.position)),
            )
        )  # fmt: skip
        if entry.transition_note:
            notes[len(rows)] = entry.transition_note.splitlines()
    table = render_table(header, rows, _width(), stretch=(2, 6), right=(0, 1, 3))
    lines.append("")
    lines.append(table[0])
    for number, row_line in enumerate(table[1:], start=1):
        lines.append(row_line)
        lines += [f"      ↳ {printable(text)}" for text in notes.get(number, [])]
    lines += ["", *totals_lines(found)]
    if analysis.warnings:
        lines.append("Warnings:")
        lines += [f"  {printable(warning.message)}" for warning in analysis.warnings]
    return lines


@click.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the set and its analysis as JSON.")
@pass_state
def show_command(state: CliState, name: str, as_json: bool) -> None:
    """Show set NAME: each track's start, BPM, key, energy and the transition into it; the
    totals against the target; warnings."""
    from library.set_plays import plays
    from setlist.sets import analysed, load, show_json

    store = state.store()
    setlist = load(store, name)
    found = analysed(store, setlist)
    played = plays(store, setlist.id)
    if as_json:
        data = show_json(found)
        data["plays"] = [
            {"played_on": p.played_on.isoformat(), "venue": p.venue, "set_name": p.set_name,
             "tracks": p.tracks}
            for p in played
        ]  # fmt: skip
        click.echo(dumps_json(data))
        return
    for line in render_set(found, [(p.played_on.isoformat(), p.venue) for p in played]):
        click.echo(line)


def _suggestion_rows(suggestions: list[Suggestion]) -> list[str]:
    header = ("#", "ID", "SCORE", "ARTIST – TITLE", "BPM", "KEY", "ENERGY")
    rows = [
        (
            str(rank),
            str(s.track.track_id),
            f"{s.score:.1f}",
            track_name(s.track.artist, s.track.title),
            _bpm(s.track.bpm),
            s.track.camelot or "",
            str(s.track.energy or ""),
        )
        for rank, s in enumerate(suggestions, start=1)
    ]
    table = render_table(header, rows, _width(), stretch=(3,), right=(0, 1, 2, 4))
    lines = [table[0]]
    for row_line, suggestion in zip(table[1:], suggestions, strict=True):
        lines.append(row_line)
        if suggestion.reasons:
            lines.append(f"      {printable(', '.join(suggestion.reasons))}")
    return lines


@click.command("suggest")
@click.argument("name")
@click.option("--after", metavar="POS", help="Suggest for the place after POS (default: the end).")
@click.option("--limit", metavar="N", default="10", help="How many suggestions (default 10).")
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
@pass_state
def suggest_command(
    state: CliState, name: str, after: str | None, limit: str, as_json: bool
) -> None:
    """Suggest library tracks for the place after POS in set NAME, ranked by key, tempo,
    energy, shared moods and roles, each with its reasons."""
    from setlist.sets import load
    from setlist.suggestions import suggest

    store = state.store()
    setlist = load(store, name)
    position = whole_number(after, "--after", 0) if after is not None else None
    count = whole_number(limit, "--limit", 1)
    suggestions = suggest(store, setlist, position, count)
    after_position = len(setlist.entries) if position is None else position
    if as_json:
        click.echo(
            dumps_json(
                {
                    "set": setlist.name,
                    "after": after_position,
                    "suggestions": [s.to_json() for s in suggestions],
                }
            )
        )
        return
    where = f"after #{after_position}" if after_position else "to open it"
    if not suggestions:
        click.echo(f"No tracks to suggest for {quoted(setlist.name)} {where}", err=True)
        return
    click.echo(f"Suggestions for {quoted(setlist.name)} {where}:")
    for line in _suggestion_rows(suggestions):
        click.echo(line)
