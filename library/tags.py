"""The one doorway to mutagen: read and write the tags of every audio format a DJ keeps.

No other module imports mutagen. Everything mutagen can raise on a damaged file (its own
errors, but also `struct.error`, `IndexError`, `UnicodeDecodeError`... from its parsers) is
turned here into `TagReadError` / `TagWriteError` naming the file and the reason, so a scan of
ten thousand files reports the broken ones and goes on.

Reading opens a file with the mutagen class its extension names (cheaper than `mutagen.File`,
which sniffs every format); when that fails it lets `mutagen.File` sniff, so a FLAC named
`.mp3` is still read. Each file's tags are flattened into an *index* of raw strings keyed as
`tag_fields.index_key` says, and `tag_fields.extract` turns that into typed values: the field
table is the only place that knows where a field lives.
"""

from __future__ import annotations

import errno
import importlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from library.errors import TagReadError, TagWriteError
from library.iff_text import read_aiff_text, read_riff_info
from library.tag_fields import FIELDS_BY_NAME, System, extract, index_key, loose

if TYPE_CHECKING:
    from library.models import TagData

# Extension -> (mutagen module, class). The first group is what setlist promises to read; the
# second is read on a best-effort basis because mutagen happens to know it.
EXTENSIONS: dict[str, tuple[str, str]] = {
    ".mp3": ("mutagen.mp3", "MP3"),
    ".flac": ("mutagen.flac", "FLAC"),
    ".ogg": ("mutagen.oggvorbis", "OggVorbis"),
    ".oga": ("mutagen.oggvorbis", "OggVorbis"),
    ".opus": ("mutagen.oggopus", "OggOpus"),
    ".m4a": ("mutagen.mp4", "MP4"),
    ".mp4": ("mutagen.mp4", "MP4"),
    ".wav": ("mutagen.wave", "WAVE"),
    ".aif": ("mutagen.aiff", "AIFF"),
    ".aiff": ("mutagen.aiff", "AIFF"),
    ".wma": ("mutagen.asf", "ASF"),
}
BEST_EFFORT_EXTENSIONS: dict[str, tuple[str, str]] = {
    ".wv": ("mutagen.wavpack", "WavPack"),
    ".ape": ("mutagen.monkeysaudio", "MonkeysAudio"),
    ".mpc": ("mutagen.musepack", "Musepack"),
    ".dsf": ("mutagen.dsf", "DSF"),
    ".dff": ("mutagen.dsdiff", "DSDIFF"),
    ".spx": ("mutagen.oggspeex", "OggSpeex"),
    ".tta": ("mutagen.trueaudio", "TrueAudio"),
    ".aifc": ("mutagen.aiff", "AIFF"),
    ".mp2": ("mutagen.mp3", "MP3"),
}
ALL_EXTENSIONS: dict[str, tuple[str, str]] = {**EXTENSIONS, **BEST_EFFORT_EXTENSIONS}

_FORMAT_OF_CLASS = {
    "MP3": "mp3", "EasyMP3": "mp3", "FLAC": "flac", "OggVorbis": "ogg", "OggOpus": "opus",
    "OggFLAC": "flac", "OggSpeex": "spx", "OggTheora": "ogg", "MP4": "m4a", "EasyMP4": "m4a",
    "WAVE": "wav", "AIFF": "aiff", "ASF": "wma", "WavPack": "wv", "MonkeysAudio": "ape",
    "Musepack": "mpc", "DSF": "dsf", "DSDIFF": "dff", "TrueAudio": "tta", "OptimFROG": "ofr",
    "AAC": "aac", "AC3": "ac3", "SMF": "mid",
}  # fmt: skip
_CODEC_OF_FORMAT = {
    "mp3": "mp3", "flac": "flac", "ogg": "vorbis", "opus": "opus", "wma": "wma", "spx": "speex",
    "wv": "wavpack", "ape": "ape", "mpc": "musepack", "dsf": "dsd", "dff": "dsd", "tta": "tta",
}  # fmt: skip
_ART_KEYS = {"APIC", "PIC", "covr", "METADATA_BLOCK_PICTURE", "COVERART", "WM/PICTURE"}


def audio_extension(name: str | bytes) -> bool:
    """Whether a file name has an extension setlist reads (case-insensitive)."""
    text = os.fsdecode(name)
    return os.path.splitext(text)[1].lower() in ALL_EXTENSIONS


def _mutagen_class(ext: str) -> Any:
    module, name = ALL_EXTENSIONS[ext]
    return getattr(importlib.import_module(module), name)


def _reason(error: BaseException) -> str:
    """A short, human reason for a failure, without mutagen's internal class names."""
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "file not found"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(error, OSError) and error.errno == errno.EIO:
        return "input/output error (a damaged disk?)"
    inner = error.args[0] if error.args and isinstance(error.args[0], BaseException) else None
    if isinstance(inner, OSError) and not str(inner):
        # mutagen's read_full raises a bare IOError when a header announces more than is there.
        return "truncated: the file ends before the tag or header it announces"
    text = str(error).strip() or type(error).__name__
    return f"not a readable audio file: {text}"


def _open(path: str) -> Any:
    """Load `path` with mutagen, by extension first, sniffing second; raise TagReadError."""
    import mutagen

    ext = os.path.splitext(path)[1].lower()
    try:
        if os.path.getsize(path) == 0:
            raise TagReadError(path, "empty file (0 bytes)")
    except OSError as error:
        raise TagReadError(path, _reason(error)) from error
    first_error: BaseException | None = None
    if ext in ALL_EXTENSIONS:
        try:
            return _mutagen_class(ext)(path)
        except OSError as error:
            raise TagReadError(path, _reason(error)) from error
        except Exception as error:  # mutagen's parsers raise anything on bad data
            first_error = error
    try:
        audio = mutagen.File(path)
    except OSError as error:
        raise TagReadError(path, _reason(error)) from error
    except Exception as error:  # as above
        raise TagReadError(path, _reason(first_error or error)) from error
    if audio is None:
        reason = _reason(first_error) if first_error else "not a recognised audio file"
        raise TagReadError(path, reason)
    return audio


def _text(value: Any) -> str:
    """One raw tag value as a string: bytes decoded, numbers and pairs written out."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, tuple):
        number, total = (*value, 0, 0)[:2]
        return f"{number}/{total}" if total else str(number)
    inner = getattr(value, "value", value)  # ASF and APE attributes wrap their value
    if isinstance(inner, bytes):
        return inner.decode("utf-8", errors="replace")
    return str(inner)


def _index_id3(tags: Any) -> tuple[dict[str, list[str]], bool]:
    index: dict[str, list[str]] = {}
    has_art = False
    comments: dict[str, list[str]] = {}
    for frame in tags.values():
        frame_id = frame.FrameID
        if frame_id in ("APIC", "PIC"):
            has_art = True
        elif frame_id == "COMM":
            comments.setdefault(frame.desc, []).extend(str(text) for text in frame.text)
        elif frame_id == "UFID":
            index.setdefault(f"UFID:{frame.owner}", []).append(_text(frame.data))
        elif frame_id == "WXXX":
            index.setdefault(index_key("id3", f"WXXX:{frame.desc}"), []).append(frame.url)
        elif frame_id == "TXXX":
            key = index_key("id3", f"TXXX:{frame.desc}")
            index.setdefault(key, []).extend(str(text) for text in frame.text)
        elif frame_id == "TCON":
            index.setdefault("TCON", []).extend(frame.genres)
        elif hasattr(frame, "text"):
            index.setdefault(frame_id, []).extend(str(text) for text in frame.text)
    comment = comments.get("") or comments.get("ID3v1 Comment")
    if comment:
        index["COMM"] = comment
    return index, has_art


def _index_pairs(system: System, items: Any) -> tuple[dict[str, list[str]], bool]:
    """Vorbis comments, APEv2, MP4 and ASF: key -> value lists, keys folded per `index_key`."""
    index: dict[str, list[str]] = {}
    has_art = False
    for key, values in items:
        if key in _ART_KEYS or key.upper() in _ART_KEYS:
            has_art = True
            continue
        listed = values if isinstance(values, list) else [values]
        index.setdefault(index_key(system, key), []).extend(_text(value) for value in listed)
    return index, has_art


def _tag_system(audio: Any) -> System:
    kind = type(audio.tags).__name__ if audio.tags is not None else ""
    if kind in ("ID3", "_WaveID3", "_IFFID3", "ID3FileType"):
        return "id3"
    if kind == "MP4Tags":
        return "mp4"
    if kind == "ASFTags":
        return "asf"
    return "vorbis"


def _format_and_codec(audio: Any) -> tuple[str, str | None]:
    fmt = _FORMAT_OF_CLASS.get(type(audio).__name__, type(audio).__name__.lower())
    info = audio.info
    if fmt == "mp3" and getattr(info, "layer", 3) in (1, 2):
        fmt = f"mp{info.layer}"
    if fmt == "m4a":
        codec = str(getattr(info, "codec", "") or "")
        return fmt, {"alac": "alac", "mp4a.6b": "mp3", "mp4a.69": "mp3"}.get(
            codec, "aac" if codec.startswith("mp4a") else (codec or None)
        )
    if fmt in ("wav", "aiff"):
        audio_format = getattr(info, "audio_format", 1)
        return fmt, "pcm" if audio_format in (1, 3, None) else f"format-{audio_format}"
    return fmt, _CODEC_OF_FORMAT.get(fmt)


def _stream(audio: Any) -> dict[str, Any]:
    info = audio.info
    length = getattr(info, "length", None)
    bitrate = getattr(info, "bitrate", None)
    sample_rate = getattr(info, "sample_rate", None)
    if sample_rate is None and type(audio).__name__ == "OggOpus":
        sample_rate = 48000  # Opus always decodes at 48 kHz
    channels = getattr(info, "channels", None)
    return {
        "duration": float(length) if length and length > 0 else None,
        "bitrate": round(bitrate / 1000) if bitrate and bitrate > 0 else None,
        "sample_rate": int(sample_rate) if sample_rate and sample_rate > 0 else None,
        "channels": int(channels) if channels and channels > 0 else None,
    }


def _index(audio: Any, path: str) -> tuple[System, dict[str, list[str]], bool]:
    """The file's tags as (system, index, has_artwork), plus RIFF/AIFF text chunks."""
    tags = audio.tags
    system = _tag_system(audio)
    if tags is None:
        index: dict[str, list[str]] = {}
        has_art = False
    elif system == "id3":
        index, has_art = _index_id3(tags)
    else:
        index, has_art = _index_pairs(system, tags.items())
    has_art = has_art or bool(getattr(audio, "pictures", None))
    fmt = _FORMAT_OF_CLASS.get(type(audio).__name__)
    if fmt in ("wav", "aiff"):
        with Path(path).open("rb") as fileobj:
            chunks = read_riff_info(fileobj) if fmt == "wav" else read_aiff_text(fileobj)
        own: System = "riff" if fmt == "wav" else "aiff"
        extra = extract(own, {key: [value] for key, value in chunks.items()})
        return system, _fill_from(index, system, extra), has_art
    return system, index, has_art


def _fill_from(
    index: dict[str, list[str]], system: System, extra: dict[str, object]
) -> dict[str, list[str]]:
    """Add RIFF/AIFF text values under the ID3 keys of fields the ID3 tag leaves empty."""
    for name, value in extra.items():
        if value in (None, []):
            continue
        field = FIELDS_BY_NAME[name]
        keys = field.lookup_keys(system)
        if keys and not any(index.get(key) for key in keys):
            index[keys[0]] = [str(value)]
    return index


def read_tag_values(path: str) -> dict[str, Any]:
    """Every field of `path` as plain values (picklable, no pydantic): the scanner's fast path."""
    audio = _open(path)
    try:
        system, index, has_art = _index(audio, path)
        values = extract(system, index)
        fmt, codec = _format_and_codec(audio)
        values.update(_stream(audio))
    except OSError as error:
        raise TagReadError(path, _reason(error)) from error
    except Exception as error:  # a half-parsed tag can fail anywhere
        raise TagReadError(path, f"unreadable tags: {error or type(error).__name__}") from error
    values.update(format=fmt, codec=codec, has_artwork=has_art)
    return values


def read_tags(path: str | os.PathLike[str]) -> TagData:
    """Read `path`'s tags and stream facts. Never writes. Raises `TagReadError`."""
    from library.models import TagData

    return TagData(**read_tag_values(os.fspath(path)))


# -- writing -------------------------------------------------------------------------------


def _id3_set(tags: Any, key: str, value: object, version: int) -> None:
    from mutagen import id3

    frame_id, _, desc = key.partition(":")
    if frame_id == "TMOO" and version == 3:  # TMOO does not exist in ID3v2.3
        frame_id, desc = "TXXX", "MOOD"
    if frame_id == "TXXX":
        for old in [f for f in tags.getall("TXXX") if loose(f.desc) == loose(desc)]:
            tags.delall(old.HashKey)
    elif frame_id == "COMM":
        for old in [f for f in tags.getall("COMM") if f.desc == ""]:
            tags.delall(old.HashKey)
    else:
        tags.delall(key if frame_id == "UFID" else frame_id)
    if value in (None, []):
        return
    texts = [str(item) for item in value] if isinstance(value, list) else [_number(value)]
    if frame_id == "TXXX" and version == 3:
        texts = ["; ".join(texts)]
    if frame_id == "TXXX":
        tags.add(id3.TXXX(encoding=3, desc=desc, text=texts))
    elif frame_id == "COMM":
        tags.add(id3.COMM(encoding=3, lang="eng", desc="", text=texts))
    elif frame_id == "UFID":
        tags.add(id3.UFID(owner=desc, data=texts[0].encode("utf-8")))
    else:
        tags.add(getattr(id3, frame_id)(encoding=3, text=texts))


def _number(value: object) -> str:
    """128.0 -> "128", 127.5 -> "127.5": tags hold numbers as text."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _pairs_set(system: System, audio: Any, key: str, value: object) -> None:
    from mutagen.mp4 import MP4FreeForm

    tags = audio.tags
    if key in tags:
        del tags[key]
    if value in (None, []):
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
    """
    target = os.fspath(path)
    unknown = sorted(set(values) - set(FIELDS_BY_NAME))
    if unknown:
        raise TagWriteError(target, f"unknown field(s): {', '.join(unknown)}")
    if not os.access(target, os.W_OK):
        raise TagWriteError(target, "file is read-only")
    folder, name = os.path.split(target)
    fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".setlist-tmp", dir=folder or ".")
    os.close(fd)
    try:
        shutil.copyfile(target, temp)
        shutil.copymode(target, temp)
        _write_copy(temp, target, values)
        os.replace(temp, target)
    except TagReadError as error:
        raise TagWriteError(target, error.reason) from error
    except OSError as error:
        raise TagWriteError(target, f"cannot write: {error.strerror or error}") from error
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    dir_fd = os.open(folder or ".", os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _write_copy(temp: str, target: str, values: Mapping[str, object]) -> None:
    """Write `values` into the temporary copy, fsync it and verify by reading it back."""
    ext = os.path.splitext(target)[1].lower()
    if ext not in ALL_EXTENSIONS:
        raise TagWriteError(target, f"cannot write tags to {ext or 'extension-less'} files")
    try:
        audio = _mutagen_class(ext)(temp)
        if audio.tags is None:
            audio.add_tags()
        system = _tag_system(audio)
        version = audio.tags.version[1] if system == "id3" else 4
        for name, value in values.items():
            keys = FIELDS_BY_NAME[name].keys(system)
            if not keys:
                raise TagWriteError(target, f"{name} has no place in {system} tags")
            if system == "id3":
                _id3_set(audio.tags, keys[0], value, version)
            else:
                _pairs_set(system, audio, keys[0], value)
        if system == "id3":
            audio.save(v2_version=3 if version == 3 else 4)
        else:
            audio.save()
    except (TagWriteError, OSError):
        raise
    except Exception as error:  # mutagen's writers fail in many ways on bad files
        raise TagWriteError(
            target, f"cannot write tags: {error or type(error).__name__}"
        ) from error
    with Path(temp).open("rb+") as handle:
        os.fsync(handle.fileno())
    written = read_tag_values(temp)
    for name, value in values.items():
        if written[name] != _expected(system, name, value):
            raise TagWriteError(target, f"{name} did not read back as written")
