"""Coverage-guided fuzzing of the readers of files a user hands setlist, with atheris.

The hypothesis tests in `make test` (tests/test_fuzzed_inputs.py and the tests beside each
reader) build format-shaped input; this drives the same readers with libFuzzer, which mutates
real files and keeps what reaches new code. It is a tool for a fuzzing session, not part of the
suite, and atheris is not a dependency of setlist:

    .venv/bin/python -m pip install atheris      # a wheel for CPython 3.11 on Linux x86-64
    .venv/bin/python fuzz/readers.py rekordbox -max_total_time=300

TARGET is one of `TARGETS`. Its seeds (the test fixtures, a notes document, a few queries) are
copied to .fuzz/TARGET, where libFuzzer also keeps what it finds. A failure is any exception
other than `SetlistError`, or a message that does not start with the file's name or is not one
line. Each failure found so far became a hypothesis case: a Rekordbox file declaring an encoding
Python lacks (UTF-4) or expat cannot use (utf-32), and a query whose quoted phrase held a line
break.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from library.errors import SetlistError
    from library.keys import parse_key
    from library.query import compile_query
    from library.releases.detect import read_releases
    from library.transfer.document import parse_document
    from setlist.importers.m3u import parse_m3u
    from setlist.importers.rekordbox import parse_rekordbox

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
NAME = "f"  # the file name the readers are told, which each message must start with


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


TARGETS: dict[str, Callable[[bytes], object]] = {
    "releases": lambda data: read_releases(NAME, data),
    "m3u": lambda data: parse_m3u(data, b"/musique", NAME),
    "rekordbox": lambda data: parse_rekordbox(data, NAME),
    "notes": lambda data: parse_document(NAME, data),
    "query": lambda data: compile_query(_text(data)),
    "key": lambda data: parse_key(_text(data)),
}
SEEDS: dict[str, list[bytes]] = {
    "releases": [path.read_bytes() for path in sorted((FIXTURES / "releases").iterdir())],
    "m3u": [path.read_bytes() for path in sorted((FIXTURES / "playlists").glob("*.m3u*"))],
    "rekordbox": [(FIXTURES / "playlists" / "rekordbox.xml").read_bytes()],
    "notes": [
        b'{"format": "setlist-notes", "version": 1, "tracks": [{"key": 1, "identity": "flac:1:a",'
        b' "path": "/m/a.flac", "notes": {"moods": ["hant\xc3\xa9"], "energy": 7, "cues":'
        b' [{"at": 65, "text": "x"}], "updated_at": "2026-05-30T04:00:00+00:00"},'
        b' "link": {"release": 3, "confidence": 0.9}}], "releases": [{"key": 3, "release":'
        b' {"source": "discogs", "source_id": "1", "title": "T", "year": 2000}}], "sets":'
        b' [{"name": "Nacht", "entries": [{"track": 1}]}], "plays": [{"set_name": "Nacht",'
        b' "played_on": "2026-05-30", "tracks": [{"position": 1, "track": 1}]}]}'
    ],
    "query": [
        b"mills metropolis",
        b"label:axis bpm:125..135 -remix key:~8A",
        b'mood:"late night" energy:>=7 has:cues notes:"5am" venue:"de melkweg"',
    ],
    "key": [b"8A", b"A minor", b"F#m", b"1m", b"Ebm"],
}
_QUOTES_NO_FILE = ("query", "key")  # text, not a file: their messages quote the text


def main() -> None:
    """Fuzz the target named first on the command line; the rest goes to libFuzzer."""
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: readers.py TARGET [libFuzzer options]; TARGET: {', '.join(TARGETS)}")
    target = sys.argv.pop(1)
    read = TARGETS[target]
    corpus = ROOT / ".fuzz" / target
    if not corpus.exists():
        corpus.mkdir(parents=True)
        for number, seed in enumerate(SEEDS[target]):
            (corpus / f"seed-{number}").write_bytes(seed)

    def one(data: bytes) -> None:
        try:
            read(data)
        except SetlistError as error:
            message = str(error)
            if target not in _QUOTES_NO_FILE and not message.startswith(f"{NAME}: "):
                raise AssertionError(f"the message does not name the file: {message!r}") from None
            if not message.strip() or len(message.splitlines()) != 1:
                raise AssertionError(f"not one line: {message!r}") from None

    atheris.Setup([sys.argv[0], *sys.argv[1:], str(corpus)], one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
