"""Shared test fixtures: real files copied to tmp_path, a real SQLite library, tool checks.

Committed fixtures are never written to: tests that write use `audio_copy`, which copies a
fixture into the test's own folder first.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from library.storage import Store

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
AUDIO = FIXTURES / "audio"
SHARED = TESTS.parent.parent / "shared"
CORPUS = SHARED / "corpus"


def require_tool(name: str) -> str:
    """The path of a system tool; skip when it is missing, or fail when CI says it must exist.

    `.ci/run` sets SETLIST_REQUIRE_TOOLS=1, so a CI machine without ffmpeg fails loudly
    instead of passing by skipping.
    """
    found = shutil.which(name)
    if found:
        return found
    reason = f"{name} is not installed (apt-get install {name})"
    if os.environ.get("SETLIST_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason}, and SETLIST_REQUIRE_TOOLS=1 says it must be", pytrace=False)
    pytest.skip(reason)


def require_corpus(*parts: str) -> Path:
    """A folder of ../shared/corpus, or a skip saying the shared corpus is not checked out."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared corpus not present at {path} (real-world files live outside the repo)")
    return path


@pytest.fixture(autouse=True)
def no_real_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach the user's own library: no SETLIST_DB, data folder in tmp_path."""
    monkeypatch.delenv("SETLIST_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


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
