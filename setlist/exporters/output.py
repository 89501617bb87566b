"""Where an export goes: a file, written whole or not at all, or a binary stream (stdout).

`-o FILE` never leaves a half-written file: the export is written to a temporary file in
the same folder, which replaces FILE only once complete; if anything fails, an existing
FILE stays as it was. The text is UTF-8 with exactly the line ends each format writes (CSV's
CRLF included): no newline translation, on any system.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from library.errors import SetlistError
from setlist.exporters import FORMATS, Exporter, exporter

if TYPE_CHECKING:
    from setlist.exporters import ExportContext


class ExportError(SetlistError):
    """An export that cannot be made: an unknown format, a file that cannot be written."""


def format_exporter(fmt: str) -> Exporter:
    """The exporter of `fmt`, or an error naming the formats there are."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    return exporter(fmt)


def _new_file_mode(path: Path) -> int:
    """The mode of the file it replaces, or what the umask gives a new file."""
    with contextlib.suppress(OSError):
        return path.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_export(fmt: str, context: ExportContext, path: str | os.PathLike[str]) -> None:
    """Write the export to the file `path`, replacing it only once the export is complete."""
    export = format_exporter(fmt)
    write_whole(path, lambda stream: export(context, stream))


def write_whole(path: str | os.PathLike[str], write: Callable[[TextIO], object]) -> None:
    """Have `write` write UTF-8 text into the file `path`, which is replaced only once the
    text is complete and on disk (any export: a set, the notes document)."""
    target = Path(path)
    temp: str | None = None
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name[:40]}.", dir=target.parent)
        with open(handle, "w", encoding="utf-8", newline="") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, _new_file_mode(target))
        os.replace(temp, target)
        temp = None
    except OSError as error:
        raise ExportError(f"{path}: cannot write: {error.strerror or error}") from error
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def print_export(fmt: str, context: ExportContext, binary: BinaryIO) -> None:
    """Write the export to a binary stream (`sys.stdout.buffer`) as UTF-8, whatever the
    terminal's encoding."""
    export = format_exporter(fmt)
    stream = io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=True)
    try:
        export(context, stream)
        stream.flush()
    finally:
        stream.detach()
