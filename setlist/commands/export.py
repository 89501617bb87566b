"""`setlist export NAME --format FMT [-o FILE] [--relative-to DIR]`: a set for other tools."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from setlist.cli_state import CliState, UserError, pass_state
from setlist.exporters import FORMATS
from setlist.terminal import printable

# Analysis warnings that make an export less than the set: said on stderr, never fatal.
_EXPORT_WARNINGS = ("missing-file", "unknown-duration")


@click.command("export")
@click.argument("name")
@click.option("--format", "fmt", required=True, help=f"One of: {', '.join(FORMATS)}.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE (replaced only once complete) instead of stdout.",
)
@click.option(
    "--relative-to",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="m3u8: write paths relative to DIR (e.g. the USB stick the playlist goes on).",
)
@pass_state
def export_command(
    state: CliState, name: str, fmt: str, output: Path | None, relative_to: Path | None
) -> None:
    """Write the set NAME as m3u8, txt, csv, json, md, rekordbox or nml.

    \b
    Examples:
        setlist export "Friday" --format txt
        setlist export "Friday" --format rekordbox -o friday.xml
        setlist export "Friday" --format m3u8 -o /media/usb/friday.m3u8 --relative-to /media/usb
    """
    from setlist import sets
    from setlist.exporters.output import print_export, write_export

    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UserError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    store = state.store()
    setlist = sets.load(store, name)
    context = sets.export_context(
        store, setlist, relative_to.resolve() if relative_to is not None else None
    )
    for warning in context.analysis.get("warnings", []):
        if warning["code"] in _EXPORT_WARNINGS:
            click.echo(f"warning: {printable(warning['message'])}", err=True)
    if output is None:
        print_export(fmt, context, sys.stdout.buffer)
    else:
        write_export(fmt, context, output)
        click.echo(
            f"Wrote {len(context.entries)} tracks of {printable(setlist.name)!r} to {output}"
        )
