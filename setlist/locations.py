"""File locations as DJ tools write them: file URLs, Rekordbox's `file://localhost/...`,
Traktor's `/:`-separated folders, and the Windows paths of playlists made on another machine.

A library path is bytes (`library.storage` keeps what the file system gave), so locations are
built from bytes and read back to bytes: a file whose name is not UTF-8 keeps its real name
through a percent-encoded URL. Reading never fails: whatever a playlist holds becomes a
`Location`, which says whether it can be a file here (`path`) and, for matching by name on
another machine's layout, which folders and file name it names (`parts`).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, unquote_to_bytes

# A drive letter ("C:\\Music", "x:/music") or a UNC share ("\\\\server\\share").
_WINDOWS_ABSOLUTE = re.compile(rb"[A-Za-z]:[\\/]|\\\\")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# A drive letter as a file URL writes it: "file:///C:/Music". Only an unencoded ":" makes one,
# so a POSIX folder named "C:" is written "C%3A", and a "\\" in a URL (written %5C) is a
# name's byte, never a UNC share (a share on another machine is the URL's host).
_URL_DRIVE = re.compile(r"/*[A-Za-z]:(?=[/\\]|$)")
_URL_SAFE = "/:"  # kept as written in URL paths; every other byte outside [A-Za-z0-9_.~-] is %XX


@dataclass(frozen=True, slots=True)
class Location:
    """Where a playlist entry says its file is."""

    written: str  # as the playlist wrote it, for messages
    path: bytes | None  # an absolute path on this machine's kind of file system, or None
    parts: tuple[str, ...]  # its folders and file name, on any system, for matching by name
    remote: bool = False  # a stream (http:...) rather than a file

    @property
    def name(self) -> str:
        """The file name, "" when there is none."""
        return self.parts[-1] if self.parts else ""


# -- writing ----------------------------------------------------------------------------------


def _url_path(path: bytes) -> str:
    """A path as the path of a file URL: "/" separated, starting with "/", percent-encoded."""
    if _WINDOWS_ABSOLUTE.match(path) and not path.startswith(b"\\\\"):
        return quote(b"/" + path.replace(b"\\", b"/"), safe=_URL_SAFE)
    written = quote(path, safe=_URL_SAFE)
    drive = _URL_DRIVE.match(written)  # a POSIX path that would read back as a drive
    if drive:
        written = f"{written[: drive.end() - 1]}%3A{written[drive.end() :]}"
    return written


def file_url(path: bytes) -> str:
    """`file:///music/a%20b.flac`: an absolute path as a file URL (RFC 8089)."""
    return "file://" + _url_path(path)


def rekordbox_location(path: bytes) -> str:
    """`file://localhost/music/a%20b.flac`: Rekordbox's form of a file URL (the one it writes
    on macOS; `file://localhost/C:/Music/...` on Windows)."""
    return "file://localhost" + _url_path(path)


def traktor_location(path: bytes) -> tuple[str, str, str]:
    """Traktor's VOLUME, DIR and FILE of an absolute path: `("", "/:music/:house/:", "a.mp3")`.

    Traktor separates folders with "/:" (a ":" cannot be in a name on macOS, its home). Its
    VOLUME is the drive ("C:") on Windows and the disk's name on macOS; a POSIX path names
    no volume, so it is "" and DIR starts at the root. Names that are not UTF-8 are shown
    with U+FFFD: XML cannot carry the raw bytes, so Traktor will not find such a file.
    """
    volume = ""
    if _WINDOWS_ABSOLUTE.match(path) and path[1:2] == b":":
        volume, path = path[:2].decode(), path[2:].replace(b"\\", b"/")
    *folders, name = path.decode("utf-8", errors="replace").split("/")
    return volume, "/:" + "".join(f"{folder}/:" for folder in folders if folder), name


def relative_path(path: bytes, start: bytes) -> bytes:
    """`path` relative to the folder `start`, with ".." where needed (no symlinks resolved)."""
    return os.path.relpath(path, start)


# -- reading ----------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    """Bytes for people: UTF-8, or Windows-1252 (what Windows tools write in .m3u files)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def path_parts(path: bytes) -> tuple[str, ...]:
    """The names in a path, "/" or "\\" separated, without empty names, "." and ".."."""
    names = re.split(rb"[\\/]", path)
    return tuple(_text(name) for name in names if name not in (b"", b".", b".."))


def _local(path: bytes, written: str) -> Location:
    normal = os.path.normpath(path)
    if normal.startswith(b"//"):  # POSIX keeps a leading "//"; no file system here needs it
        normal = b"/" + normal.lstrip(b"/")
    return Location(written, normal, path_parts(normal))


def _windows(path: bytes, written: str) -> Location:
    return Location(written, None, path_parts(path[2:] if path[1:2] == b":" else path))


def parse_file_url(url: str) -> Location:
    """A `file:` URL as written by players and DJ tools: `file:///x`, `file://localhost/x`,
    `file://localhost//x` (some writers double the slash), `file:///C:/x`, `file://server/x`."""
    rest = url[len("file:") :]
    host = ""
    if rest.startswith("//"):
        host, slash, rest = rest[2:].partition("/")
        rest = slash + rest
    path = unquote_to_bytes(rest)
    if host and host.lower() != "localhost":  # a share on another machine
        return Location(url, None, path_parts(path))
    stripped = path.lstrip(b"/")
    if _URL_DRIVE.match(rest):
        return _windows(stripped, url)
    return _local(b"/" + stripped, url)


def parse_location(data: bytes, base: bytes | None) -> Location:
    """One entry of a playlist: a URL, a Windows path, or a POSIX path (relative ones are
    resolved against the folder `base`, when known).

    A relative path holding "\\" but no "/" comes from Windows ("..\\Music\\a.mp3"): it is
    read with "\\" as the separator, and its text (UTF-8, or Windows-1252) as UTF-8 bytes.
    """
    written = _text(data)
    if _WINDOWS_ABSOLUTE.match(data):
        return _windows(data, written)
    scheme = _SCHEME.match(written)
    if scheme and len(scheme.group()) > 2:  # "c:" is a drive letter, caught above
        if scheme.group().lower() == "file:":
            return parse_file_url(written)
        return Location(written, None, (), remote=True)
    if data.startswith(b"/"):
        return _local(data, written)
    if b"\\" in data and b"/" not in data:  # from Windows: its text, as this system's bytes
        data = written.replace("\\", "/").encode("utf-8")
    if base is None:
        return Location(written, None, path_parts(data))
    return _local(os.path.join(base, data), written)


def folded(name: str) -> str:
    """A file or folder name as compared across systems: NFC (macOS writes names decomposed)
    and case-folded (Windows and macOS ignore case)."""
    return unicodedata.normalize("NFC", name).casefold()
