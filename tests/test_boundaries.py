"""The borders the architecture promises, enforced: who may import Textual, mutagen, the UI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    """Top-level package names a module imports, anywhere in its body."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", _modules("library"), ids=lambda p: str(p.relative_to(ROOT)))
def test_library_never_imports_the_ui(path: Path) -> None:
    assert not _imports(path) & {"textual", "rich", "setlist", "click", "PIL", "textual_image"}


@pytest.mark.parametrize(
    "path",
    [*_modules("library"), *_modules("setlist")],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_only_the_tags_package_imports_mutagen(path: Path) -> None:
    if (ROOT / "library" / "tags") in path.parents:
        return
    assert "mutagen" not in _imports(path)


def test_the_tags_package_does_import_mutagen() -> None:
    """The check above would pass vacuously if the doorway moved: make sure it is here."""
    doorway = _modules("library/tags")
    assert any("mutagen" in _imports(path) for path in doorway)


@pytest.mark.parametrize("path", _modules("setlist"), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_tui_package_imports_textual(path: Path) -> None:
    if (ROOT / "setlist" / "tui") in path.parents:
        return
    assert "textual" not in _imports(path)


def test_cli_and_library_load_without_textual_pydantic_or_mutagen() -> None:
    """In a fresh interpreter: the CLI's start-up path stays light (a rescan pays only this)."""
    code = (
        "import sys, pkgutil, importlib, library, setlist.cli\n"
        "heavy = [m for m in ('textual', 'rich', 'pydantic', 'mutagen', 'PIL', 'textual_image')\n"
        "         if m in sys.modules]\n"
        "print(','.join(heavy))\n"
        "for info in pkgutil.walk_packages(library.__path__, 'library.'):\n"
        "    importlib.import_module(info.name)\n"
        "print('textual' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    # First line: heavy modules loaded by the CLI's start-up (none); then whether the whole
    # library package pulled in Textual (it must not).
    assert out == ["False"], out
