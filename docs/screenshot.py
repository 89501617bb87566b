"""Save the README's screenshots: the app on the demo library, drawn by the app itself.

Run: `.venv/bin/python docs/screenshot.py` (or `make screenshot`). The demo is built in
`setlist-demo` under the system's temporary folder (always the same: the release page shows
its files' paths), the app runs headless at a fixed size, and `App.save_screenshot` writes
docs/screenshot-library.svg, then (with the demo set) docs/screenshot-sets.svg, and (with
the demo's release and its links) docs/screenshot-releases.svg.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from library.scanning import scan
from library.storage import Store
from setlist.commands.demo import link_demo_release
from setlist.demo import build_demo
from setlist.demo.demo_set import add_demo_set
from setlist.settings import Settings
from setlist.tui.app import SetlistApp

DOCS = Path(__file__).resolve().parent
SIZE = (120, 30)
SETS_SIZE = (120, 40)


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
            library = Path(app.save_screenshot("screenshot-library.svg", str(DOCS)))
        add_demo_set(store)
        app = SetlistApp(store, Settings())
        async with app.run_test(size=SETS_SIZE) as pilot:
            for keys in (("3",), ("enter",), ("down", "down")):
                await pilot.press(*keys)
                for _ in range(10):  # the set, then its suggestions (bounded)
                    await app.workers.wait_for_complete()
                    await pilot.pause()
            app.save_screenshot("screenshot-sets.svg", str(DOCS))
        link_demo_release(store)
        app = SetlistApp(store, Settings())
        async with app.run_test(size=SETS_SIZE) as pilot:
            await pilot.press("2")
            for _ in range(10):  # the list, then the page and its cover (bounded)
                await app.workers.wait_for_complete()
                await pilot.pause()
            app.save_screenshot("screenshot-releases.svg", str(DOCS))
        return library
    finally:
        store.close()


def main() -> None:
    folder = Path(tempfile.gettempdir()) / "setlist-demo"
    shutil.rmtree(folder, ignore_errors=True)
    try:
        print(asyncio.run(save(folder)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
