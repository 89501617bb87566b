"""Writing tags, atomically: a copy is written, verified by reading it back, then renamed.

Each field is written to the canonical key of its tag system (the first key in the field
table); other tags, the audio stream and the file's ID3 version are left as they were.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from library.errors import TagReadError, TagWriteError
from library.formats import ALL_EXTENSIONS
from library.tag_fields import FIELDS_BY_NAME, System, index_key
from library.tags.reading import (
    SETLIST_COMMENT,
    message,
    mutagen_class,
    read_tag_values,
    reason,
    tag_system,
)

TEMP_SUFFIX = ".setlist-tmp"  # a write's temporary copy: `.NAME.XXXXXXXX.setlist-tmp`


def _id3_key(frame: Any) -> str | None:
    """The index key `_index_id3` files a frame under; None for frames that are no field."""
    frame_id = frame.FrameID
    if frame_id in ("TXXX", "WXXX"):
        return index_key("id3", f"{frame_id}:{frame.desc}")
    if frame_id == "UFID":
        return f"UFID:{frame.owner}"
    if frame_id == "COMM":
        # Reading falls back to the ID3v1 comment, so it is the comment too; iTunNORM is not.
        if frame.desc == SETLIST_COMMENT:
            return f"COMM:{SETLIST_COMMENT}"
        return "COMM" if frame.desc in ("", "ID3v1 Comment") else None
    return str(frame_id)


def _id3_set(tags: Any, keys: tuple[str, ...], value: object, version: int) -> None:
    """Replace the field stored under `keys` (canonical first); clearing removes every alias.

    Setting replaces only the canonical frame (it is read first, so an alias cannot answer);
    clearing must remove the aliases as well, or reading back would still find a value.
    """
    from mutagen import id3

    frame_id, _, desc = keys[0].partition(":")
    if frame_id == "TMOO" and version == 3:  # TMOO does not exist in ID3v2.3
        frame_id, desc = "TXXX", "MOOD"
    if frame_id == "TDRC" and version == 3:  # nor does TDRC: v2.3 keeps the year in TYER
        frame_id = "TYER"
    canonical = f"{frame_id}:{desc}" if desc else frame_id
    cleared = value in (None, [])
    replaced = (canonical, *keys) if cleared else (canonical, keys[0])
    gone = {index_key("id3", key) for key in replaced}
    for frame in list(tags.values()):
        if _id3_key(frame) in gone:
            tags.delall(frame.HashKey)
    if cleared:
        return
    texts = [str(item) for item in value] if isinstance(value, list) else [_number(value)]
    if frame_id == "TXXX" and version == 3:
        texts = ["; ".join(texts)]
    if frame_id == "TXXX":
        tags.add(id3.TXXX(encoding=3, desc=desc, text=texts))
    elif frame_id == "COMM":
        tags.add(id3.COMM(encoding=3, lang="eng", desc=desc, text=texts))
    elif frame_id == "UFID":
        tags.add(id3.UFID(owner=desc, data=texts[0].encode("utf-8")))
    else:
        tags.add(getattr(id3, frame_id)(encoding=3, text=texts))


def _number(value: object) -> str:
    """128.0 -> "128", 127.5 -> "127.5": tags hold numbers as text."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _pairs_set(system: System, audio: Any, keys: tuple[str, ...], value: object) -> None:
    """As `_id3_set` for key -> values tags; keys are matched as reading folds them, so a
    "----:com.serato.dj:LABEL" atom or a lower-case Vorbis key is replaced too."""
    from mutagen.mp4 import MP4FreeForm

    tags = audio.tags
    key = keys[0]
    cleared = value in (None, [])
    gone = {index_key(system, name) for name in (keys if cleared else keys[:1])}
    # .keys(): Vorbis and ASF tags iterate as (key, value) pairs, not as keys.
    for old in [name for name in tags.keys() if index_key(system, name) in gone]:  # noqa: SIM118
        del tags[old]
    if cleared:
        return
    items = [str(item) for item in value] if isinstance(value, list) else [_number(value)]
    if system == "mp4":
        if key == "tmpo":
            tags[key] = [round(float(items[0]))]
        elif key in ("trkn", "disk"):
            tags[key] = [(int(items[0]), 0)]
        elif key.startswith("----:"):
            tags[key] = [MP4FreeForm(item.encode("utf-8")) for item in items]
        else:
            tags[key] = items
    else:
        tags[key] = items


def _expected(system: System, name: str, value: object) -> object:
    """What reading back must give after writing `value`, given the format's limits."""
    if name == "bpm" and system == "mp4" and value is not None:
        return float(round(float(str(value))))
    if name == "moods" and isinstance(value, list):
        return [item for item in value if item]
    return value


def write_tags(path: str | os.PathLike[str], values: Mapping[str, object]) -> None:
    """Set fields (None or [] clears one) atomically; other tags and the audio stay as they were.

    The work happens on a copy in the same folder: write, fsync, read back and compare, then
    rename over the original. Any failure removes the copy and leaves the original untouched.
    The ID3 version of a file is kept (v2.3 stays v2.3).

    A symbolic link is followed and its target rewritten: renaming over the link itself would
    replace it with a regular file and leave the real file untagged. A rename never consults the
    file's own permissions (and root passes `os.access`), so a file with no write bit is refused
    explicitly rather than silently replaced.
    """
    shown = os.fspath(path)
    unknown = sorted(set(values) - set(FIELDS_BY_NAME))
    if unknown:
        raise TagWriteError(shown, f"unknown field(s): {', '.join(unknown)}")
    import shutil  # here, not at the top: with tempfile they pull in `random`, and nothing
    import tempfile  # on the scanner's path may pay for that

    target = os.path.realpath(shown)
    try:
        info = os.stat(target)
    except OSError as error:
        raise TagWriteError(shown, reason(error)) from error
    if not stat.S_ISREG(info.st_mode):
        raise TagWriteError(shown, "not a regular file")
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise TagWriteError(shown, "file is read-only")
    folder, name = os.path.split(target)
    temp = None
    fd = -1
    try:
        # The name is cut so the copy's name stays under the 255-byte limit of file systems.
        fd, temp = tempfile.mkstemp(prefix=f".{name[:40]}.", suffix=TEMP_SUFFIX, dir=folder)
        _lock(fd)  # held until the end: the copy is in use (see remove_stale_copies)
        shutil.copyfile(target, temp)
        shutil.copymode(target, temp)
        _write_copy(temp, target, values)
        os.replace(temp, target)
    except (TagReadError, TagWriteError) as error:
        raise TagWriteError(shown, error.reason) from error
    except OSError as error:
        raise TagWriteError(shown, f"cannot write: {error.strerror or error}") from error
    finally:
        if temp is not None and os.path.exists(temp):
            os.unlink(temp)
        if fd >= 0:
            os.close(fd)
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _lock(fd: int, wait: bool = True) -> bool:
    """Take the lock a writer holds on its temporary copy; False if another process has it.

    Where there are no advisory locks (Windows), a file another process has open cannot be
    removed anyway, which protects a copy in use just as well.
    """
    try:
        import fcntl
    except ImportError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def remove_stale_copies(folder: str | os.PathLike[str]) -> list[str]:
    """Remove the temporary copies that writes killed midway (SIGKILL, a power cut) left in
    `folder`; return their paths.

    Such a copy (`.NAME.XXXX.setlist-tmp`, hidden, so scans skip it) is never the file
    itself: the original was only ever replaced by a complete, verified copy. A copy is
    stale when no process holds the lock its writer keeps on it while working, so a write
    running in another process keeps its copy. Files that cannot be opened or removed are
    left as they are.
    """
    removed: list[str] = []
    try:
        listing = os.scandir(folder)
    except OSError:
        return removed
    with listing:
        for entry in listing:
            if not (entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                fd = os.open(entry.path, os.O_RDONLY)
            except OSError:
                continue
            try:
                if _lock(fd, wait=False):
                    os.unlink(entry.path)
                    removed.append(entry.path)
            except OSError:
                continue
            finally:
                os.close(fd)
    return removed


def _write_copy(temp: str, target: str, values: Mapping[str, object]) -> None:
    """Write `values` into the temporary copy, fsync it and verify by reading it back."""
    ext = os.path.splitext(target)[1].lower()
    if ext not in ALL_EXTENSIONS:
        raise TagWriteError(target, f"cannot write tags to {ext or 'extension-less'} files")
    cls = mutagen_class(ext)
    # ID3 tags load untranslated: mutagen would otherwise turn a v2.3 tag's TYER into TDRC on
    # load and `save(v2_version=3)` would write that v2.4 frame into the v2.3 tag. Its own
    # `update_to_v23` is no cure: it drops the TSOP/TSOA sort frames iTunes writes in v2.3.
    untranslated = cls.__name__ in ("MP3", "WAVE", "AIFF", "TrueAudio")
    try:
        audio = cls(temp, translate=False) if untranslated else cls(temp)
    except Exception as error:  # as in `_open`: a damaged file fails anywhere
        raise TagWriteError(target, reason(error)) from error
    try:
        if audio.tags is None:
            audio.add_tags()
        system = tag_system(audio)
        version = audio.tags.version[1] if system == "id3" else 4
        if untranslated and system == "id3" and version != 3:
            audio.tags.update_to_v24()  # what loading with translation would have done
        for name, value in values.items():
            keys = FIELDS_BY_NAME[name].keys(system)
            if not keys:
                raise TagWriteError(target, f"{name} has no place in {system} tags")
            if system == "id3":
                _id3_set(audio.tags, keys, value, version)
            else:
                _pairs_set(system, audio, keys, value)
        if system == "id3":
            audio.save(v2_version=3 if version == 3 else 4)
        else:
            audio.save()
    except (TagWriteError, OSError):
        raise
    except Exception as error:  # mutagen's writers fail in many ways on bad files
        raise TagWriteError(target, f"cannot write tags: {message(error)}") from error
    with Path(temp).open("rb+") as handle:
        os.fsync(handle.fileno())
    written = read_tag_values(temp)
    for name, value in values.items():
        if written[name] != _expected(system, name, value):
            raise TagWriteError(target, f"{name} did not read back as written")
