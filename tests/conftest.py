"""Shared test fixtures: real files copied to tmp_path, a real SQLite library, tool checks,
and the app on a small library (tests/tui; Textual is imported only by those fixtures).

Committed fixtures are never written to: tests that write use `audio_copy`, which copies a
fixture into the test's own folder first.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from library.storage import Store

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from setlist.tui.app import SetlistApp

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
AUDIO = FIXTURES / "audio"
SHARED = TESTS.parent.parent / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"
RELEASES = FIXTURES / "releases"


def _require(name: str, variable: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    reason = f"{name} is not installed (apt-get install {name})"
    if os.environ.get(variable) == "1":
        pytest.fail(f"{reason}, and {variable}=1 says it must be", pytrace=False)
    pytest.skip(reason)


def require_tool(name: str) -> str:
    """The path of a system tool; skip when it is missing, or fail when CI says it must exist.

    `.ci/run` sets SETLIST_REQUIRE_TOOLS=1, so a CI machine without ffmpeg fails loudly
    instead of passing by skipping.
    """
    return _require(name, "SETLIST_REQUIRE_TOOLS")


def require_mpv() -> str:
    """mpv's path, for the playback tests; skip without it, unless SETLIST_REQUIRE_MPV=1 (which
    `.ci/run` sets) makes its absence a failure."""
    return _require("mpv", "SETLIST_REQUIRE_MPV")


def require_corpus(*parts: str) -> Path:
    """A folder of ../shared/corpus, or a skip saying the shared corpus is not checked out."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared corpus not present at {path} (real-world files live outside the repo)")
    return path


def require_seed(name: str) -> Path:
    """A file of ../shared/seeds (read-only), or a skip saying it is not checked out."""
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed file not present at {path} (it lives outside the repo)")
    return path


@pytest.fixture(autouse=True)
def no_real_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach the user's own library or settings: no SETLIST_DB or SETLIST_CONFIG,
    data and config folders in tmp_path. And none makes a sound: playback goes to mpv's null
    audio output, which keeps time as a sound card would."""
    monkeypatch.setenv("SETLIST_AUDIO_OUTPUT", "null")
    monkeypatch.delenv("SETLIST_DB", raising=False)
    monkeypatch.delenv("SETLIST_CONFIG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def audio_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a committed audio fixture into this test's folder and return the copy."""

    def copy(name: str, to: str | None = None) -> Path:
        target = tmp_path / (to or name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(AUDIO / name, target)
        return target

    return copy


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Where this test's library file goes (commands open it themselves)."""
    return tmp_path / "library.db"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh library database file in this test's folder."""
    library = Store(tmp_path / "library.db")
    yield library
    library.close()


@pytest.fixture
def music(tmp_path: Path) -> Path:
    """A folder with one copy of every committed audio fixture (tagged, untagged, broken)."""
    folder = tmp_path / "music"
    folder.mkdir()
    for source in sorted(AUDIO.iterdir()):
        if source.suffix != ".py":
            shutil.copyfile(source, folder / source.name)
    return folder


class Unprivileged:
    """Runs Python code where file permissions apply, even when the tests run as root.

    Root ignores permission bits, so tests of "permission denied" would only ever skip on CI
    machines that run as root. As root, the code runs under `setpriv` with the two
    capabilities that bypass permission checks (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH)
    dropped: it stays uid 0 (so it can still reach the interpreter) but is refused like any
    file owner. The code runs in a fresh interpreter and prints one JSON value, which `run`
    returns.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def run(self, code: str, *args: str) -> Any:
        command = [sys.executable, "-c", code, *args]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            setpriv = require_tool("setpriv")
            command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]
        completed = subprocess.run(
            command, capture_output=True, text=True, cwd=self.folder, check=False, timeout=120
        )
        if completed.returncode != 0:
            if "setpriv:" in completed.stderr:
                pytest.skip(f"cannot drop root's file capabilities here: {completed.stderr}")
            raise AssertionError(completed.stderr)
        return json.loads(completed.stdout)


@pytest.fixture
def unprivileged(tmp_path: Path) -> Iterator[Unprivileged]:
    """This test's folder, and a way to run code there without root's powers over files."""
    yield Unprivileged(tmp_path)
    for path in tmp_path.rglob("*"):  # let pytest clean up what a test locked
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)


# -- the app (tests/tui) --------------------------------------------------------------------


@pytest.fixture
def tui_library(tmp_path: Path) -> Iterator[Store]:
    """A library database holding app_testing.LIBRARY, with fixed made-up paths."""
    from app_testing import library_entries, store_tracks

    store = Store(tmp_path / "library.db")
    store_tracks(store, library_entries())
    yield store
    store.close()


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    """Where the app under test saves its settings: this test's folder."""
    return tmp_path / "config" / "settings.toml"


@pytest.fixture
def tui_app(tui_library: Store, settings_file: Path) -> SetlistApp:
    """The app on `tui_library`, with default settings saved to `settings_file`."""
    from setlist.settings import Settings
    from setlist.tui.app import SetlistApp

    return SetlistApp(tui_library, Settings(), settings_path=settings_file)


@pytest.fixture
async def pilot(tui_app: SetlistApp) -> AsyncIterator[Pilot[None]]:
    """The app running headless at app_testing.SIZE, its first search done."""
    from app_testing import SIZE, settle

    async with tui_app.run_test(size=SIZE, notifications=True) as running:
        await settle(running)
        yield running
