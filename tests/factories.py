"""Builders for test data, with non-ASCII defaults so Unicode bugs surface by default."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from library.storage import Store, track_row
from setlist.cli import cli

_paths = itertools.count()


def add_track(store: Store, **values: Any) -> int:
    """Store one track as a scan would (any tag overridable, and `path`: bytes, `size`); return
    its id."""
    path: bytes | None = values.pop("path", None)
    size: int = values.pop("size", 1)
    tags: dict[str, Any] = {
        "format": "flac",
        "codec": "flac",
        "title": "Entrée à Métropolis",
        "artist": "Jëff Mills",
        "album": "Métropolis",
        "label": "Axis Récords",
        "catalog_number": "AX-022",
        "key": "Am",
        "bpm": 128.0,
        "year": 2000,
        "duration": 185.0,
        "has_artwork": False,
        **values,
    }
    path = path or f"/musique/{next(_paths)}-é.{tags['format'] or 'x'}".encode()
    store.save_scanned([track_row(path, size, 1, tags)], [])
    return store.known_files()[path].id


def one_error_line(stderr: str) -> str:
    """The single `setlist: error: ...` line a failing command prints, or a failed assert."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("setlist: error: ")
    return lines[0]


def invoke(db: Path, *args: str) -> Result:
    """Run `setlist --db DB ARGS...` in-process with click's runner (stdout and stderr apart)."""
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
