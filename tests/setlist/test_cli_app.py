"""Opening the app from the command line: `setlist`, `setlist tui`, `setlist demo`.

The app itself is tested headless in tests/tui; here the real `setlist` script runs in a
pseudo-terminal, as a person starts it, draws the library, and quits on `q`.
"""

from __future__ import annotations

import os
import select
import signal
import struct
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import add_track, one_error_line

from library.storage import Store
from setlist.cli import cli

SCRIPT = Path(sys.executable).with_name("setlist")


@pytest.mark.parametrize("args", [[], ["tui"]], ids=["no command", "tui"])
def test_the_app_without_a_terminal_is_a_clear_error(tmp_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "lib.db"), *args])
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert "the app needs a terminal" in line and "setlist tracks" in line
    assert not (tmp_path / "lib.db").exists()  # nothing opened for nothing


def test_the_demo_without_a_terminal_lists_instead(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "Kasimir Lund – Afterglow" in result.stdout
    assert "listing the tracks instead of opening the app" in result.stderr


def _read_until(fd: int, wanted: bytes, seconds: float) -> bytes:
    """Read the terminal until `wanted` appears or `seconds` pass (select, never sleep)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX")
@pytest.mark.skipif(not SCRIPT.exists(), reason=f"no installed setlist script at {SCRIPT}")
def test_setlist_opens_the_app_in_a_terminal_and_q_quits(tmp_path: Path) -> None:
    import fcntl
    import pty
    import termios

    db = tmp_path / "bibliothèque.db"
    store = Store(db)
    add_track(store, artist="Nadia Okafor", title="Copper Lines")
    store.close()
    environment = {
        **os.environ,
        "TERM": "xterm-256color",
        "SETLIST_CONFIG": str(tmp_path / "settings.toml"),
    }
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real script, in the pseudo-terminal
        os.execve(SCRIPT, [str(SCRIPT), "--db", str(db)], environment)
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        screen = _read_until(fd, b"Copper Lines", 30)
        assert b"Copper Lines" in screen, screen[-2000:]
        os.write(fd, b"q")
        _read_until(fd, b"\x00never\x00", 15)  # drain until the app closes the terminal
        _, status = os.waitpid(pid, 0)
        pid = 0
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
