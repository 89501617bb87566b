"""mpv's JSON IPC over a connected socket: requests matched to replies, events handed on.

The protocol is one JSON object per line in each direction. A request carries a
`request_id`; mpv's reply carries it back, possibly after events and in any order relative to
other replies. One reader thread reads every line: a reply wakes the thread waiting for it,
an event goes to `on_event` (called on the reader thread, so it must only record state and
never send a request itself). Requests may be sent from any thread.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from setlist.playback.errors import PlaybackError

REPLY_SECONDS = 5.0  # mpv answers in microseconds; this is only there for a hung mpv

Command = list[Any] | dict[str, Any]


class MpvCommandError(PlaybackError):
    """mpv answered a request with an error ("property unavailable", "error running
    command"...); the connection is fine."""

    def __init__(self, command: Command, error: str) -> None:
        super().__init__(f"mpv refused {_describe(command)}: {error}")
        self.error = error


def _describe(command: Command) -> str:
    name = command.get("name") if isinstance(command, dict) else command[0]
    return repr(name)


def _lines(stream: IO[bytes]) -> Iterator[bytes]:
    """The stream's lines until it ends or the socket is shut down under it."""
    while True:
        try:
            line = stream.readline()
        except OSError:  # shut down while reading: the same as the end of the stream
            return
        if not line:
            return
        yield line


@dataclass(slots=True)
class _Pending:
    """A request waiting for its reply (filled in by the reader thread)."""

    command: Command
    on_reply: Callable[[Any], None] | None
    request_id: int = 0
    done: threading.Event = field(default_factory=threading.Event)
    reply: dict[str, Any] | None = None


class MpvConnection:
    """Requests and events over one socket to one mpv. Thread-safe."""

    def __init__(
        self,
        connection: socket.socket,
        on_event: Callable[[dict[str, Any]], None],
        on_closed: Callable[[], None],
    ) -> None:
        self._socket = connection
        self._on_event = on_event
        self._on_closed = on_closed
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._lock = threading.Lock()  # guards _pending and _closed
        self._write_lock = threading.Lock()  # never held by the reader: it must keep reading
        self._closed = False
        self._reader = threading.Thread(target=self._read, name="mpv-ipc-reader", daemon=True)
        self._reader.start()

    def request(
        self,
        command: Command,
        *,
        on_reply: Callable[[Any], None] | None = None,
        timeout: float = REPLY_SECONDS,
    ) -> Any:
        """Send `command` and return its reply's `data` (None when there is none).

        `on_reply`, if given, runs on the reader thread with the data *before* any later
        event is handled: the way to record, say, a new playlist entry's id before its
        start-file event can arrive. Raises MpvCommandError when mpv refuses the command,
        PlaybackError when mpv has gone or does not answer within `timeout` seconds.
        """
        pending = self._send(command, on_reply)
        if not pending.done.wait(timeout):
            with self._lock:
                self._pending.pop(pending.request_id, None)
            raise PlaybackError(f"mpv did not answer {_describe(command)} within {timeout:g} s")
        reply = pending.reply
        if reply is None:
            raise PlaybackError(f"mpv stopped before answering {_describe(command)}")
        if reply.get("error") != "success":
            raise MpvCommandError(command, str(reply.get("error")))
        return reply.get("data")

    def send(self, command: Command) -> None:
        """Send `command` without waiting for mpv to answer (the reply is ignored)."""
        self._send(command, None)

    def _send(self, command: Command, on_reply: Callable[[Any], None] | None) -> _Pending:
        pending = _Pending(command, on_reply)
        with self._lock:
            if self._closed:
                raise PlaybackError(f"cannot send {_describe(command)}: mpv has stopped")
            pending.request_id = next(self._ids)
            self._pending[pending.request_id] = pending
        line = json.dumps({"command": command, "request_id": pending.request_id}) + "\n"
        try:
            with self._write_lock:  # one whole line at a time
                self._socket.sendall(line.encode("utf-8"))
        except OSError as error:
            with self._lock:
                self._pending.pop(pending.request_id, None)
            raise PlaybackError(
                f"cannot send {_describe(command)} to mpv: {error.strerror or error}"
            ) from error
        return pending

    @property
    def closed(self) -> bool:
        """Whether the connection has ended (mpv gone, or `close` called)."""
        return self._closed

    def join(self, timeout: float) -> None:
        """Wait for the reader thread to finish after the socket was shut down."""
        if threading.current_thread() is not self._reader:
            self._reader.join(timeout)

    def _read(self) -> None:
        stream = self._socket.makefile("rb")
        try:
            for raw in _lines(stream):
                try:
                    message = json.loads(raw.decode("utf-8", "replace"))
                except ValueError:  # not JSON: mpv never sends that; skip rather than stop
                    continue
                if "event" in message:
                    self._on_event(message)
                elif "request_id" in message:
                    self._answer(message)
        finally:
            stream.close()
            with self._lock:
                self._closed = True
                waiting = list(self._pending.values())
                self._pending.clear()
            for pending in waiting:
                pending.done.set()  # reply None: "mpv stopped before answering"
            self._on_closed()

    def _answer(self, message: dict[str, Any]) -> None:
        with self._lock:
            pending = self._pending.pop(message["request_id"], None)
        if pending is None:  # a reply nobody waits for any more (sent with `send`)
            return
        if pending.on_reply is not None and message.get("error") == "success":
            pending.on_reply(message.get("data"))
        pending.reply = message
        pending.done.set()
