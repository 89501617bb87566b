"""The Player against a real mpv (SETLIST_AUDIO_OUTPUT=null: silent, but in real time).

Playing, pausing, seeking and the position go over mpv's IPC; end of file arrives as an
event; mpv is gone after close(), after an exception in its owner, after its owner exits
without closing, and after its owner is killed with SIGKILL.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import require_mpv
from factories import invoke
from playback_testing import LOOP_SECONDS, long_mp3, owner_process, process_ended, read_line

from library.notes import store as notes_store
from library.notes.edits import cue_at_playback
from library.storage import Store
from setlist.playback import (
    Clip,
    PlaybackError,
    Player,
    PlayerEvent,
    PlayerStopped,
    PlayerUnavailableError,
    TrackEnded,
    TrackStarted,
    wait_for,
)

SEEK_TOLERANCE = 0.05  # seeks are exact (hr-seek): mpv reports the time asked, to the sample


@pytest.fixture
def player() -> Iterator[Player]:
    require_mpv()
    with Player() as running:
        yield running
    assert process_ended(running.pid, 0)


@pytest.fixture
def long_track(tmp_path: Path) -> Path:
    """About 60 s of audio, in a folder with a non-ASCII name."""
    return long_mp3(tmp_path / "Électro" / "Longue piste.mp3")


def assert_lands(player: Player, seek: Callable[[], bool], target: Callable[[], float]) -> None:
    """Seek while playing, and check where it landed: exactly the target, plus at most the
    time that passed since the target was read (playback moves on meanwhile, more of it on a
    busy machine)."""
    began = time.monotonic()
    expected = target()
    assert seek()
    landed = player.position()
    elapsed = time.monotonic() - began
    assert landed is not None
    assert expected - SEEK_TOLERANCE <= landed <= expected + SEEK_TOLERANCE + elapsed, (
        f"asked {expected:.3f} s, landed at {landed:.3f} s, {elapsed:.3f} s later"
    )


def until(condition: Callable[[], bool], seconds: float) -> bool:
    """Whether `condition` becomes true within `seconds`, checked every 20 ms."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= deadline:
            return False
        threading.Event().wait(0.02)
    return True


def ended(index: int, reason: str = "eof") -> Callable[[PlayerEvent], bool]:
    return lambda e: isinstance(e, TrackEnded) and e.index == index and e.reason == reason


def started(index: int) -> Callable[[PlayerEvent], bool]:
    return lambda e: isinstance(e, TrackStarted) and e.index == index


def test_play_pause_seek_and_position_over_ipc(player: Player, long_track: Path) -> None:
    player.play(long_track)
    state = player.state()
    assert (state.path, state.index, state.paused) == (long_track, 0, False)
    duration = player.duration()
    assert duration == pytest.approx(8 * LOOP_SECONDS, abs=0.2)
    assert state.duration == duration
    start = player.position()
    assert start is not None and 0 <= start < 1
    assert until(lambda: (player.position() or 0) > start + 0.2, 3), "the position never moved"

    assert_lands(player, lambda: player.seek(30), lambda: 30)
    assert_lands(player, lambda: player.seek_by(-10), lambda: (player.position() or 0) - 10)
    assert_lands(player, lambda: player.seek_by(10), lambda: (player.position() or 0) + 10)

    assert player.toggle_pause() is True
    held = player.position()
    assert player.state().paused
    assert not until(lambda: player.position() != held, 0.3), "the position moved while paused"
    assert player.seek(45)  # seeking while paused moves, and stays paused
    assert player.position() == pytest.approx(45, abs=SEEK_TOLERANCE)
    assert player.state().paused
    assert player.toggle_pause() is False
    assert until(lambda: (player.position() or 0) > 45.1, 3)
    assert player.state().position == pytest.approx(player.position() or 0, abs=0.3)


def test_the_end_of_a_file_is_an_event(player: Player, audio_copy: Callable[..., Path]) -> None:
    track = audio_copy("full.flac", "fin de piste.flac")  # 1 s
    player.play(track)
    assert wait_for(player.events, started(0), 5)
    event = wait_for(player.events, ended(0), 5)
    assert event == TrackEnded(0, track, "eof")
    assert until(lambda: player.state().path is None, 2)
    assert player.position() is None and player.duration() is None
    assert not player.seek(0)  # nothing to seek in: nothing done


def test_a_cue_note_lands_at_the_playback_position(
    player: Player, long_track: Path, db: Path
) -> None:
    assert invoke(db, "scan", str(long_track.parent)).exit_code == 0
    store = Store(db)
    try:
        (track,) = store.tracks()
        assert store.track_paths([track.id]).get(track.id) == os.fsencode(long_track)
        player.play(long_track, start=42.5, paused=True)
        position = player.position()
        assert position is not None
        assert position == pytest.approx(42.5, abs=SEEK_TOLERANCE)
        notes = cue_at_playback(
            notes_store.load(store, track.id), position, "la cloche", track.duration
        )
        notes_store.save(store, track.id, notes)
        (cue,) = notes_store.load(store, track.id).cues
        assert (cue.at, cue.text) == (round(position, 3), "la cloche")
    finally:
        store.close()


def test_seeking_past_the_end_ends_the_track(player: Player, long_track: Path) -> None:
    player.play(long_track)
    player.seek(8 * LOOP_SECONDS - 0.5)
    player.seek_by(10)
    assert wait_for(player.events, ended(0), 5)


def test_events_reach_a_handler_that_may_call_the_player(
    long_track: Path, audio_copy: Callable[..., Path]
) -> None:
    """The handler runs on the Player's own thread, not the reader's: calling back in works."""
    require_mpv()
    seen: queue.Queue[tuple[PlayerEvent, float | None]] = queue.Queue()
    with Player(on_event=lambda event: seen.put((event, mpv.duration()))) as mpv:
        mpv.play(audio_copy("full.flac"))
        first, length = seen.get(timeout=5)
        assert isinstance(first, TrackStarted)
        assert length == pytest.approx(1, abs=0.1)  # asked of mpv from inside the handler
        last, _ = seen.get(timeout=5)
        assert isinstance(last, TrackEnded) and last.reason == "eof"
        assert mpv.events.empty()  # a handler given: nothing queued


def test_a_list_plays_clips_in_turn_and_next_moves_on(player: Player, long_track: Path) -> None:
    player.play_list([Clip(long_track, 10, 11), Clip(long_track, 40, 41), Clip(long_track, 50)])
    assert player.position() == pytest.approx(10, abs=SEEK_TOLERANCE)
    assert wait_for(player.events, ended(0), 5)  # stopped at its end by mpv
    assert wait_for(player.events, started(1), 5)
    assert player.state().index == 1
    assert player.position() == pytest.approx(40, abs=0.3)
    assert player.next()
    assert wait_for(player.events, started(2), 5)
    assert player.position() == pytest.approx(50, abs=0.3)
    assert not player.next()  # the last one: nothing after it
    assert player.previous()
    assert wait_for(player.events, started(1), 5)
    player.stop()
    assert wait_for(player.events, ended(1, "stop"), 5)


def test_a_negative_start_counts_from_the_end(player: Player, long_track: Path) -> None:
    player.play(long_track, start=-5)
    assert player.position() == pytest.approx(8 * LOOP_SECONDS - 5, abs=0.1)


def test_play_while_paused_loads_without_playing(player: Player, long_track: Path) -> None:
    player.play(long_track, start=12, paused=True)
    assert player.state().paused
    assert player.position() == pytest.approx(12, abs=SEEK_TOLERANCE)
    assert not until(lambda: player.position() != pytest.approx(12, abs=SEEK_TOLERANCE), 0.3)


def test_requests_from_many_threads_at_once(player: Player, long_track: Path) -> None:
    player.play(long_track)
    failures: list[BaseException] = []

    def ask() -> None:
        try:
            for number in range(40):
                assert player.position() is not None
                if number % 10 == 0:
                    assert player.seek(number)
                assert player.state().path == long_track
        except (AssertionError, PlaybackError) as error:  # handed to the test's thread
            failures.append(error)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not failures
    assert not any(thread.is_alive() for thread in threads)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not-audio.mp3", "cannot play: unrecognized file format"),
        ("truncated.flac", "cannot play:"),
        ("absent", "no such file"),
        ("a folder", "not a file"),
    ],
)
def test_a_file_mpv_cannot_play_is_an_error_naming_it(
    player: Player, audio_copy: Callable[..., Path], name: str, message: str, tmp_path: Path
) -> None:
    path = tmp_path / f"ça {name}"
    if name == "a folder":
        path.mkdir()
    elif name != "absent":
        audio_copy(name, path.name)
    if name == "truncated.flac":
        path.write_bytes(path.read_bytes()[:60])  # the header only: no audio at all
    with pytest.raises(PlaybackError) as caught:
        player.play(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)
    player.play(long_mp3(tmp_path / "ok.mp3"))  # the player is still fine
    assert player.position() is not None


def test_a_file_name_that_is_not_utf8_plays(
    player: Player, long_track: Path, tmp_path: Path
) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9 \xff.mp3"
    try:
        shutil.copyfile(long_track, raw)
    except OSError as error:  # macOS refuses such names
        pytest.skip(f"this file system refuses names that are not UTF-8: {error}")
    path = Path(os.fsdecode(raw))
    temporary = Path(tempfile.gettempdir())
    before = set(temporary.glob("setlist-play-*"))
    player.play(path, start=3)
    assert player.state().path == path
    assert player.position() == pytest.approx(3, abs=SEEK_TOLERANCE)
    (links,) = set(temporary.glob("setlist-play-*")) - before  # mpv reaches it by a link
    player.close()
    assert not links.exists()  # removed with the player


def test_audio_output_that_cannot_open_is_an_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, long_track: Path
) -> None:
    require_mpv()
    monkeypatch.setenv("SETLIST_AUDIO_OUTPUT", "nosuchdriver")
    with Player("pulse") as player, pytest.raises(PlaybackError) as caught:
        player.play(long_track)
    assert "audio output initialization failed" in str(caught.value)
    assert "--ao=nosuchdriver, from SETLIST_AUDIO_OUTPUT" in str(caught.value)


def test_an_audio_output_that_is_not_a_name_is_refused_before_mpv(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SETLIST_AUDIO_OUTPUT", "null --script=/tmp/x.lua")
    with pytest.raises(PlaybackError, match=r"^SETLIST_AUDIO_OUTPUT: 'null --script"):
        Player()


def test_without_mpv_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no mpv on PATH
    with pytest.raises(PlayerUnavailableError) as caught:
        Player()
    assert "playback needs mpv, which is not installed" in str(caught.value)
    assert "apt-get install mpv" in str(caught.value) and "brew install mpv" in str(caught.value)


def test_an_mpv_that_refuses_to_start_is_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "mpv"  # an "mpv" too old to know --input-ipc-client
    fake.write_text(
        "#!/bin/sh\necho 'Error parsing option input-ipc-client (option not found)' >&2\nexit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PlayerUnavailableError) as caught:
        Player()
    assert "exit status 1" in str(caught.value)
    assert "Error parsing option input-ipc-client" in str(caught.value)


# -- mpv never outlives its owner ------------------------------------------------------------


def test_mpv_is_gone_after_close_and_close_is_idempotent(long_track: Path) -> None:
    require_mpv()
    player = Player()
    player.play(long_track)
    assert not process_ended(player.pid, 0)
    player.close()
    assert process_ended(player.pid, 0)  # close() waits for it
    player.close()
    assert player.closed
    with pytest.raises(PlaybackError, match="mpv has stopped"):
        player.play(long_track)


def test_mpv_is_gone_after_an_exception_in_its_owner(long_track: Path) -> None:
    require_mpv()
    with pytest.raises(RuntimeError), Player() as player:
        player.play(long_track)
        pid = player.pid
        raise RuntimeError("the owner failed")
    assert process_ended(pid, 0)


OWNER = """
import sys
from pathlib import Path
from setlist.playback import Player
player = Player()
player.play(Path(sys.argv[1]))
print(player.pid, flush=True)
if sys.argv[2] == "wait":
    sys.stdin.read()  # until killed
raise RuntimeError("the owner crashes without closing its player")
"""


def test_mpv_is_gone_after_its_owner_crashes_without_closing(long_track: Path) -> None:
    require_mpv()
    owner = owner_process(OWNER, str(long_track), "crash")
    pid = int(read_line(owner, 10))
    _, errors = owner.communicate(timeout=10)
    assert "the owner crashes" in errors
    assert process_ended(pid, 5)


def test_mpv_is_gone_after_its_owner_is_killed(long_track: Path) -> None:
    require_mpv()
    owner = owner_process(OWNER, str(long_track), "wait")
    try:
        line = read_line(owner, 10)
        assert line.strip().isdigit(), f"the owner did not start its player: {line!r}"
        pid = int(line)
        assert not process_ended(pid, 0), "mpv should be playing while its owner lives"
        owner.send_signal(signal.SIGKILL)
        owner.wait(5)
        assert process_ended(pid, 5), "mpv outlived its killed owner"
    finally:
        owner.kill()
        owner.communicate(timeout=5)


def test_mpv_dying_is_an_event_and_later_calls_fail(player: Player, long_track: Path) -> None:
    player.play(long_track)
    os.kill(player.pid, signal.SIGKILL)
    event = wait_for(player.events, lambda e: isinstance(e, PlayerStopped), 5)
    assert event == PlayerStopped("mpv stopped unexpectedly (signal 9)")
    assert player.closed
    with pytest.raises(PlaybackError, match="mpv has stopped"):
        player.seek(3)
