"""Starting mpv as a child that cannot outlive us, and ending it.

The control channel is also the child's lifeline. mpv is started with
`--input-ipc-client=fd://N`: N is one end of a `socketpair()`, the other end stays here. mpv
treats that descriptor as a client of its JSON IPC and *quits when the connection closes*.
The kernel closes our end whenever this process ends, however it ends (a clean exit, an
exception, SIGTERM, SIGKILL, a crash), so mpv goes with it, on Linux and macOS alike. This is
why setlist uses it rather than `--input-ipc-server=<path>`: there is no socket file to create,
protect or clean up, no race while mpv creates it, and no window in which another local user
could connect to it.

Why not PR_SET_PDEATHSIG: on Linux it fires when the *thread* that started the child ends, not
the process, so a Player started from a short-lived worker thread (as the app's workers are)
would be killed as soon as that worker returned; it also needs a `preexec_fn`, which is unsafe
in a program with threads. The lifeline needs neither.

One caveat: a child *forked without exec* after mpv started (multiprocessing's "fork" start
method) holds a copy of our end, and mpv lives until that child ends too. Sockets are created
non-inheritable, so programs started with exec never hold it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from typing import IO

from setlist.playback.errors import INSTALL_HINT, PlaybackError, PlayerUnavailableError

AUDIO_OUTPUT_ENV = "SETLIST_AUDIO_OUTPUT"

# mpv's audio output drivers are names such as `pulse`, `pipewire`, `alsa`, `coreaudio`,
# `null`; `--ao` takes a comma-separated list to try in order.
_AUDIO_OUTPUT = re.compile(r"[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*")

# Quiet and the same on every machine: none of the user's mpv configuration, scripts,
# key bindings or terminal output; no window (not even for cover art); idle between files.
MPV_OPTIONS = (
    "--no-config",
    "--no-terminal",
    "--idle=yes",
    "--no-video",
    "--audio-display=no",
    "--force-window=no",
    "--load-scripts=no",
    "--osc=no",
    "--ytdl=no",
    "--input-default-bindings=no",
    "--input-media-keys=no",
    "--save-position-on-quit=no",
    "--resume-playback=no",
    "--audio-client-name=setlist",
    "--hr-seek=yes",  # seek to the exact time asked, not the nearest frame boundary
)

GRACE_SECONDS = 2.0  # how long mpv gets to quit on its own before it is killed


def check_audio_output(value: str, source: str) -> str:
    """`value` if it reads as mpv's `--ao` list (`pulse`, `alsa,null`); else a PlaybackError
    naming `source` (the setting or the environment variable)."""
    if not _AUDIO_OUTPUT.fullmatch(value):
        raise PlaybackError(
            f"{source}: {value!r} is not an audio output of mpv "
            "(a driver name such as pulse, pipewire, alsa, coreaudio or null; "
            "'mpv --ao=help' lists them)"
        )
    return value


@dataclass(frozen=True, slots=True)
class AudioOutput:
    """The `--ao` mpv gets (None: mpv's own choice) and where it came from, for messages."""

    driver: str | None
    source: str


def resolve_audio_output(setting: str | None) -> AudioOutput:
    """The environment variable wins over the setting (so tests and scripts can silence a
    machine whose settings name a sound card); neither means mpv picks the output."""
    from_env = os.environ.get(AUDIO_OUTPUT_ENV, "").strip()
    if from_env:
        return AudioOutput(check_audio_output(from_env, AUDIO_OUTPUT_ENV), AUDIO_OUTPUT_ENV)
    if setting:
        source = "the setting audio_output"
        return AudioOutput(check_audio_output(setting, source), source)
    return AudioOutput(None, "mpv's default")


def find_mpv() -> str:
    """The mpv program on PATH, or PlayerUnavailableError saying how to install it."""
    found = shutil.which("mpv")
    if found is None:
        raise PlayerUnavailableError(f"playback needs mpv, which is not installed: {INSTALL_HINT}")
    return found


@dataclass(slots=True)
class MpvChild:
    """A running mpv and our end of its IPC connection (its lifeline)."""

    process: subprocess.Popen[bytes]
    connection: socket.socket
    _errors: IO[bytes]

    def startup_failure(self) -> str:
        """What mpv said on stderr before it stopped, in one line (for a failed start)."""
        with contextlib.suppress(subprocess.TimeoutExpired):  # not answering: end() kills it
            self.process.wait(timeout=GRACE_SECONDS)
        self._errors.seek(0)
        text = self._errors.read().decode("utf-8", "replace")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        said = "; ".join(lines[-3:]) or "nothing"
        return f"mpv stopped at start (exit status {self.process.poll()}); it said: {said}"

    def end(self) -> None:
        """Close the lifeline (mpv quits on its own), wait a little, then kill; reap it."""
        with contextlib.suppress(OSError):  # already shut down, or mpv closed it first
            self.connection.shutdown(socket.SHUT_RDWR)  # wakes a reader blocked in recv()
        self.connection.close()
        try:
            self.process.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=GRACE_SECONDS)
        self._errors.close()


def start_mpv(program: str, audio: AudioOutput) -> MpvChild:
    """Start mpv idle, with its IPC on one end of a fresh socket pair; see the module's notes.

    mpv gets its own session, so a Ctrl-C in the terminal reaches us, not it: we decide when it
    stops. Its stderr goes to an unlinked temporary file that cannot fill up and block it.
    """
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - MpvChild owns it; end() closes it
    command = [program, *MPV_OPTIONS, f"--input-ipc-client=fd://{theirs.fileno()}"]
    if audio.driver is not None:
        command.append(f"--ao={audio.driver}")
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            pass_fds=(theirs.fileno(),),
            start_new_session=True,
        )
    except OSError as error:
        ours.close()
        errors.close()
        raise PlayerUnavailableError(
            f"{program}: cannot start mpv: {error.strerror or error}"
        ) from error
    finally:
        theirs.close()  # mpv holds its own copy; ours must go, or mpv never sees us leave
    return MpvChild(process, ours, errors)
