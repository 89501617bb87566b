"""Killing real setlist processes with SIGKILL at points spread over their run.

The points come from the run time of the same command measured on the same machine just
before (a full, uninterrupted run), so they fall across the work on a fast machine and on a
slow one alike. A killed process runs no clean-up at all (no `finally`, no atexit), which is
what a crash, an out-of-memory kill or a power cut does to a program's own state.

Each command runs in a session of its own, so everything it started (a scan's reading
workers) can be found afterwards; whatever the kill left running must end by itself.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from processes import PROGRAM, ROOT, run

KILL_POINTS = 12
# Late points, as multiples of the measured run time: when the machine got busier after the
# measurement (other tests, other work), the killed runs are slower, and points within the
# measured time alone could all land before the command wrote anything. On a machine as quiet
# as at the measurement, these find the command finished, which costs one run each.
_LATE = (1.3, 1.7, 2.2, 3.0)
_GONE_WITHIN = 15.0  # seconds a killed command's helpers get to end by themselves


@dataclass(frozen=True, slots=True)
class Run:
    """A command run to its end: how long it took, and what it said."""

    seconds: float
    returncode: int
    stdout: str
    stderr: str


def complete(args: Sequence[str], timeout: float = 120) -> Run:
    """Run `setlist ARGS...` to its end and time it."""
    start = time.perf_counter()
    done = run(*args, timeout=timeout)
    return Run(time.perf_counter() - start, done.returncode, done.stdout, done.stderr)


def points(run_time: float, count: int = KILL_POINTS) -> list[float]:
    """`count` delays spread evenly over a run of `run_time` seconds (never its very end),
    then a few past it, for a machine slower now than when it was measured."""
    spread = [run_time * (number + 0.5) / count for number in range(count)]
    return spread + [run_time * factor for factor in _LATE]


def _session_members(session: int) -> list[int]:
    """The processes of a session (Linux: from /proc), other than zombies."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[3]) == session and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def _wait_gone(pid: int, seconds: float) -> bool:
    """Wait (without polling) until a process that is not our child has ended."""
    try:
        descriptor = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        poller = select.poll()
        poller.register(descriptor, select.POLLIN)
        return bool(poller.poll(seconds * 1000))
    finally:
        os.close(descriptor)


def kill_after(args: Sequence[str], delay: float, timeout: float = 120) -> bool:
    """Start `setlist ARGS...`, SIGKILL it `delay` seconds later; whether it was killed (False:
    it had finished before). Whatever it started must end by itself soon after (a scan's
    workers); a helper left running fails the test."""
    process = subprocess.Popen(
        [*PROGRAM, *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        pass
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=timeout)
    if hasattr(os, "pidfd_open") and Path("/proc/self/stat").exists():
        left = _session_members(process.pid)
        lingering = [pid for pid in left if not _wait_gone(pid, _GONE_WITHIN)]
        for pid in lingering:  # ours to end, so the test run leaves nothing behind
            os.kill(pid, signal.SIGKILL)
        assert lingering == [], f"still running {_GONE_WITHIN} s after the kill: {lingering}"
    return True
