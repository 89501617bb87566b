"""`setlist scan PATH...`: bring the library up to date with folders of audio files."""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from library.scanning import ScanProgress, ScanResult, resolve_roots, scan
from setlist.cli_state import CliState, pass_state
from setlist.terminal import dumps_json, printable


class _Bar:
    """A click progress bar on stderr, created when the scan knows how many files it found."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._bar: Any = None  # click's ProgressBar class is private
        self._shown = 0

    def __call__(self, progress: ScanProgress) -> None:
        if progress.total == 0:
            return
        if self._bar is None:
            bar = click.progressbar(length=progress.total, label="Scanning", file=sys.stderr)
            self._bar = self._stack.enter_context(bar)
        if progress.done > self._shown:
            self._bar.update(progress.done - self._shown)
            self._shown = progress.done

    def close(self) -> None:
        self._stack.close()


def summary(result: ScanResult) -> str:
    """The one line a scan ends with; moves and conflicts are counted only when there were
    some."""
    parts = [
        f"{result.added} added",
        *([f"{result.moved} moved"] if result.moved else []),
        f"{result.updated} updated",
        f"{result.unchanged} unchanged",
        f"{result.missing} missing",
        f"{len(result.errors)} unreadable",
        *([f"{len(result.conflicts)} note conflicts"] if result.conflicts else []),
    ]
    prefix = "Scan cancelled" if result.cancelled else "Scanned"
    return f"{prefix}: {', '.join(parts)}"


@click.command("scan")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes reading tags (default: one per CPU).",
)
@click.option("--strict", is_flag=True, help="Exit 1 when any file could not be read.")
@pass_state
def scan_command(
    state: CliState, paths: tuple[Path, ...], as_json: bool, workers: int | None, strict: bool
) -> None:
    """Scan folders (or files) of audio into the library.

    Unchanged files (same size and modification time) are not opened again; files that are
    gone are marked missing, never deleted; a file that was moved or renamed is recognised by
    its audio and its track follows it. Notes in the files' tags (setlist tags write) are read
    back; where the library already has a different value, it is kept and the conflict is
    reported. Hidden folders and files are skipped. Scanning never writes to your files.
    """
    resolve_roots(paths)  # a mistyped path fails before a new library file is created
    store = state.store()
    bar = _Bar() if not as_json and sys.stderr.isatty() else None
    try:
        result = scan(store, paths, workers=workers or os.cpu_count() or 1, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    if as_json:
        click.echo(dumps_json(result.as_json()))
    else:
        for move in result.moves:
            click.echo(f"moved: {printable(move.old)} -> {printable(move.new)}")
        for error in result.errors:
            click.echo(f"unreadable: {printable(error.path)}: {printable(error.error)}", err=True)
        for conflict in result.conflicts:
            where = f"{printable(conflict.path)}: {conflict.field}"
            click.echo(f"note conflict: {where}: {printable(conflict.reason)}", err=True)
        click.echo(summary(result))
    if strict and result.errors:
        raise SystemExit(1)
