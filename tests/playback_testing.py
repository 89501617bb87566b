"""Helpers for the playback tests: audio long enough to seek in, child processes that own a
Player, and a bounded wait for a process to end."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_LOOP = ROOT / "setlist" / "demo" / "media" / "loop-128.mp3"
# The demo loop is whole MP3 frames of 576 samples at 8 kHz, 72 bytes each: frame-exact.
LOOP_SECONDS = DEMO_LOOP.stat().st_size / 72 * 576 / 8000


def long_mp3(path: Path, loops: int = 8) -> Path:
    """An MP3 of `loops` demo loops back to back (about 7.5 s each): a valid, seekable file
    made without an encoder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(DEMO_LOOP.read_bytes() * loops)
    return path


def process_ended(pid: int, seconds: float) -> bool:
    """Whether process `pid` has ended, or ends within `seconds` (a zombie has ended).

    On Linux a pidfd wakes us the moment it exits: no polling. Elsewhere, polling every
    20 ms until the deadline.
    """
    if hasattr(os, "pidfd_open"):
        try:
            handle = os.pidfd_open(pid)
        except ProcessLookupError:
            return True
        try:
            readable, _, _ = select.select([handle], [], [], seconds)
            return bool(readable)
        finally:
            os.close(handle)
    deadline = time.monotonic() + seconds
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        state = subprocess.run(
            ["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True, check=False
        ).stdout.strip()
        if state.startswith("Z") or not state:
            return True
        if time.monotonic() >= deadline:
            return False
        threading.Event().wait(0.02)


def read_line(process: subprocess.Popen[str], seconds: float) -> str:
    """One line of the child's stdout, waiting at most `seconds`; "" if none came."""
    assert process.stdout is not None
    readable, _, _ = select.select([process.stdout], [], [], seconds)
    return process.stdout.readline() if readable else ""


def owner_process(code: str, *args: str) -> subprocess.Popen[str]:
    """A fresh Python running `code` (which owns a Player), its stdout piped to us."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
