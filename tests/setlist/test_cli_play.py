"""`setlist play TRACK`: in a pseudo-terminal with keys, piped, and its bad-input stories.

The terminal test runs the real `setlist` script in a pty, as a person would, with a real
mpv (SETLIST_AUDIO_OUTPUT=null): space, the arrows and q, the status line, the exit status,
the terminal's mode restored, and mpv gone afterwards.
"""

from __future__ import annotations

import os
import re
import select
import signal
import struct
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import require_mpv
from factories import add_track, invoke, one_error_line
from playback_testing import long_mp3, process_ended

from library.storage import Store
from library.tags import write_tags
from setlist.terminal_keys import parse_keys

SCRIPT = Path(sys.executable).with_name("setlist")
TITLE = "Jun Takeda – 階段 (Stairwell)"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A library holding one tagged, 60-second track (id 1), scanned as a user would."""
    track = long_mp3(tmp_path / "musique" / "Jun Takeda" / "階段.mp3")
    write_tags(track, {"artist": "Jun Takeda", "title": "階段 (Stairwell)"})
    db = tmp_path / "bibliothèque.db"
    assert invoke(db, "scan", str(track.parent)).exit_code == 0
    return db


def test_without_a_terminal_it_prints_status_lines_until_seconds_pass(library: Path) -> None:
    require_mpv()
    result = invoke(library, "play", "takeda", "--seconds", "1.2")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert 2 <= len(lines) <= 4  # one a second, and the last
    assert all(re.fullmatch(f"{re.escape(TITLE)}  0:0[0-2] / 1:00", line) for line in lines)


def test_without_a_terminal_it_plays_to_the_end(
    tmp_path: Path, audio_copy: Callable[..., Path]
) -> None:
    require_mpv()
    audio_copy("full.flac", "court/full.flac")  # 1 s
    db = tmp_path / "court.db"
    assert invoke(db, "scan", str(tmp_path / "court")).exit_code == 0
    started = time.monotonic()
    result = invoke(db, "play", "1")
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 10
    *_, last = result.stdout.splitlines()
    assert last.endswith("0:01 / 0:01")  # said at the end: played through


def test_without_mpv_exit_2_says_how_to_install_it(
    library: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    result = invoke(library, "play", "1")
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert "playback needs mpv" in line and "apt-get install mpv" in line
    assert "brew install mpv" in line


def test_a_track_whose_file_is_missing_is_refused(store: Store, db: Path) -> None:
    track = add_track(store, title="Perdu")  # its made-up path does not exist
    store.mark_missing([store.track_paths([track]).get(track) or b""])
    result = invoke(db, "play", str(track))
    assert result.exit_code == 2
    assert "its file is missing" in one_error_line(result.stderr)


def test_a_file_gone_since_the_scan_is_an_error_naming_it(library: Path, tmp_path: Path) -> None:
    require_mpv()
    for path in (tmp_path / "musique").rglob("*.mp3"):
        path.unlink()
    result = invoke(library, "play", "1")
    assert result.exit_code == 2
    assert "階段.mp3: no such file" in one_error_line(result.stderr)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["99"], "no track with id 99"),
        (["nothing matches this"], "no track matches"),
        (["1", "--seconds", "0"], "Invalid value for '--seconds'"),
    ],
)
def test_bad_arguments_exit_2(library: Path, args: list[str], message: str) -> None:
    result = invoke(library, "play", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_an_audio_output_mpv_cannot_open_exits_2(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_mpv()
    monkeypatch.setenv("SETLIST_AUDIO_OUTPUT", "nosuchdriver")
    result = invoke(library, "play", "1")
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert "cannot play: audio output initialization failed" in line
    assert "--ao=nosuchdriver, from SETLIST_AUDIO_OUTPUT" in line


def test_a_broken_settings_file_is_reported_and_the_default_used(
    library: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    require_mpv()
    settings = tmp_path / "settings.toml"
    settings.write_text("audio_output = 'pulse; rm -rf'\n", encoding="utf-8")
    monkeypatch.setenv("SETLIST_CONFIG", str(settings))
    result = invoke(library, "play", "1", "--seconds", "0.2")
    assert result.exit_code == 0
    assert result.stderr.startswith(f"setlist: warning: {settings}: audio_output:")


def test_keys_are_parsed_across_reads() -> None:
    assert parse_keys(b" q\x1b[C\x1bOD\x03") == (["space", "q", "right", "left", "ctrl+c"], b"")
    assert parse_keys(b"\x1b[") == ([], b"\x1b[")  # the rest comes with the next read
    assert parse_keys(b"\x1b[")[1] + b"C" == b"\x1b[C"
    assert parse_keys(b"\x1bq") == (["escape", "q"], b"")
    assert parse_keys("é".encode() + b"\x1b[1;5C") == (["", "", ""], b"")


# -- in a terminal ----------------------------------------------------------------------------


class Terminal:
    """`setlist play` running in a pseudo-terminal: its output read with select and a
    deadline (never a sleep), keys written to it."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd = fd
        self.seen = b""

    def press(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def wait_for(self, pattern: bytes, seconds: float = 10) -> re.Match[bytes]:
        """The first match of `pattern` in what is written from now on."""
        deadline = time.monotonic() + seconds
        start = len(self.seen)
        while not (found := re.search(pattern, self.seen[start:])):
            if not self._read(deadline):
                raise AssertionError(f"no {pattern!r} within {seconds} s in {self.seen[-600:]!r}")
        return found

    def exit_status(self, seconds: float = 10) -> int:
        """Read until the program closes the terminal, then reap it: its exit status."""
        deadline = time.monotonic() + seconds
        while self._read(deadline):
            pass
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        assert os.WIFEXITED(status), status
        return os.WEXITSTATUS(status)

    def _read(self, deadline: float) -> bool:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([self.fd], [], [], left)[0]:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # the program closed the terminal
            return False
        self.seen += chunk
        return bool(chunk)

    def mpv(self) -> int:
        """The pid of the mpv the program started (Linux: its child, found in /proc)."""
        found = []
        for entry in Path("/proc").iterdir():
            try:
                stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
            except OSError:  # it ended while we looked
                continue
            if stat:
                name = stat[stat.index("(") + 1 : stat.rindex(")")]
                parent = int(stat[stat.rindex(")") + 2 :].split()[1])
                if name == "mpv" and parent == self.pid:
                    found.append(int(entry.name))
        (pid,) = found
        return pid


@contextmanager
def playing_in_a_terminal(db: Path) -> Iterator[Terminal]:
    """`setlist --db DB play 1`, the real script, in a 100-column pseudo-terminal."""
    import fcntl
    import pty
    import termios

    require_mpv()
    environment = {**os.environ, "TERM": "xterm-256color", "SETLIST_AUDIO_OUTPUT": "null"}
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.execve(SCRIPT, [str(SCRIPT), "--db", str(db), "play", "1"], environment)
    terminal = Terminal(pid, fd)
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        yield terminal
    finally:
        if terminal.pid:
            os.kill(terminal.pid, signal.SIGKILL)
            os.waitpid(terminal.pid, 0)
        os.close(fd)


with_proc = pytest.mark.skipif(not Path("/proc/self").exists(), reason="finds mpv in Linux's /proc")
with_script = pytest.mark.skipif(not SCRIPT.exists(), reason=f"no setlist script at {SCRIPT}")


@with_proc
@with_script
def test_in_a_terminal_the_keys_play_pause_seek_and_quit(library: Path) -> None:
    import termios

    with playing_in_a_terminal(library) as terminal:
        terminal.wait_for(b"space play/pause")
        terminal.wait_for(re.escape(TITLE.encode()) + rb"  0:00 / 1:00")
        mpv = terminal.mpv()
        assert not process_ended(mpv, 0)
        mode = termios.tcgetattr(terminal.fd)
        assert not mode[3] & termios.ICANON and not mode[3] & termios.ECHO  # raw while playing

        terminal.press(b"\x1b[C")  # → 10 s on
        terminal.wait_for(rb"0:1\d / 1:00")
        terminal.press(b"\x1b[C\x1b[C")  # → → 30 s on
        terminal.wait_for(rb"0:3\d / 1:00")
        terminal.press(b" ")
        held = terminal.wait_for(rb"0:3\d / 1:00  \(paused\)").group()
        terminal.wait_for(re.escape(b"\r" + TITLE.encode() + b"  " + held))  # redrawn, held
        terminal.press(b"\x1b[D")  # ← 10 s back, still paused
        terminal.wait_for(rb"0:2\d / 1:00  \(paused\)")
        terminal.press(b" ")
        terminal.wait_for(rb"0:2\d / 1:00\x1b\[K")  # playing again: no "(paused)"
        terminal.press(b"q")
        assert terminal.exit_status() == 0
        assert process_ended(mpv, 5)
        assert terminal.seen.endswith(b"\r\n\x1b[?25h")  # the cursor shown again
        assert b"Traceback" not in terminal.seen


@with_proc
@with_script
def test_in_a_terminal_ctrl_c_quits_with_130(library: Path) -> None:
    with playing_in_a_terminal(library) as terminal:
        terminal.wait_for(rb"0:00 / 1:00")
        mpv = terminal.mpv()
        terminal.press(b"\x03")
        assert terminal.exit_status() == 130
        assert b"\x1b[?25h" in terminal.seen  # the terminal was restored on the way out
        assert process_ended(mpv, 5)
        assert b"Traceback" not in terminal.seen
