"""Pictures in the terminal: which kind the terminal shows, and images made ready to draw.

`textual-image` draws a picture with the best the terminal offers: Sixel graphics, Kitty's
graphics protocol, or coloured half blocks (everywhere else). It finds out by asking the
terminal when it is imported, which must happen before Textual takes over the terminal (the
answers would arrive as key presses). Asking costs up to 0.1 s per question on a terminal
that does not answer, so `start_probe` asks in a thread while the app's modules load, and
`finish_probe` waits for it just before the app starts: the questions overlap the imports
instead of adding to the time to the first screen.

This module imports nothing heavy at the top (the CLI imports it before the app), and every
failure ends in text: without `textual-image`, or with a picture that does not decode, the
caller gets a reason to show instead of a picture.
"""

from __future__ import annotations

import io
import struct
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image
    from textual.widget import Widget

LARGEST = 512  # pixels per side kept of a cover: plenty for a terminal, quick to scale
PROBE_WAIT = 2.0  # seconds to wait for the terminal's answers at most (each is 0.1 s)

_probe: threading.Thread | None = None
_unavailable: str | None = None  # why pictures cannot be drawn at all, once known


class PictureError(Exception):
    """A picture that cannot be shown; the message says why, in a few words."""


def _import_textual_image() -> None:
    global _unavailable  # noqa: PLW0603 - set once, by the one probe
    try:
        import textual_image.widget  # noqa: F401 - importing it asks the terminal
    except ImportError as error:
        _unavailable = f"pictures need textual-image ({error})"
    except OSError as error:  # the terminal went away while being asked
        _unavailable = f"the terminal could not be asked about pictures ({error})"


def start_probe() -> None:
    """Ask the terminal which pictures it shows, in the background (once per process)."""
    global _probe  # noqa: PLW0603 - one probe per process
    if _probe is None:
        _probe = threading.Thread(target=_import_textual_image, name="picture-probe", daemon=True)
        _probe.start()


def finish_probe() -> None:
    """Wait for the probe started by `start_probe`, if any: the terminal is the app's next."""
    if _probe is not None:
        _probe.join(PROBE_WAIT)


def unavailable() -> str | None:
    """Why no picture can be drawn in this process (None: they can)."""
    if _unavailable is None and (_probe is None or not _probe.is_alive()):
        _import_textual_image()  # no probe ran (tests, headless): an import is all it takes
    return _unavailable


def decode(data: bytes) -> Image:
    """The picture in `data`, decoded and made small enough to draw quickly.

    For a worker: decoding a large JPEG takes tens of milliseconds. Raises `PictureError`.
    """
    from PIL import Image as Pillow

    try:
        with Pillow.open(io.BytesIO(data)) as opened:
            opened.load()
            picture = opened.convert("RGB")
    except Pillow.DecompressionBombError:
        raise PictureError("the picture is too large to show") from None
    except (OSError, ValueError, SyntaxError, EOFError, struct.error) as error:
        raise PictureError(f"the picture cannot be decoded ({error})") from None
    picture.thumbnail((LARGEST, LARGEST))
    return picture


def picture_widget(picture: Image, *, headless: bool, id: str | None = None) -> Widget:
    """A widget drawing `picture`: the kind the terminal shows best, or half blocks when the
    app runs headless (tests), so that what is drawn does not depend on the terminal."""
    from textual_image.widget import HalfcellImage, Image

    kind = HalfcellImage if headless else Image
    return kind(picture, id=id)
