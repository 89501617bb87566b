"""Save the README's screenshot: the app on the demo library, drawn by the app itself.

Run: `.venv/bin/python docs/screenshot.py` (or `make screenshot`). The demo is built in a
temporary folder (no path is on screen in the library view), the app runs headless at a
fixed size, and `App.save_screenshot` writes docs/screenshot-library.svg.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from library.scanning import scan
from library.storage import Store
from setlist.demo import build_demo
from setlist.settings import Settings
from setlist.tui.app import SetlistApp

DOCS = Path(__file__).resolve().parent
SIZE = (120, 30)


async def save(folder: Path) -> Path:
    store = Store(folder / "library.db")
    try:
        scan(store, [build_demo(folder)], workers=1)
        app = SetlistApp(store, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("down", "down", "down")
            await pilot.pause()
            return Path(app.save_screenshot("screenshot-library.svg", str(DOCS)))
    finally:
        store.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="setlist-demo-") as folder:
        print(asyncio.run(save(Path(folder))))


if __name__ == "__main__":
    main()
