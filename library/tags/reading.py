"""Reading tags: open a file with mutagen, flatten its tags to an index, extract the fields.

A file is opened with the mutagen class its extension names (cheaper than `mutagen.File`,
which sniffs every format); when that fails `mutagen.File` sniffs the other classes, so a
FLAC named `.mp3` is still read. Each file's tags are flattened into an *index* of raw strings
keyed as `tag_fields.index_key` says, and `tag_fields.extract` turns that into typed values:
the field table is the only place that knows where a field lives. Never writes.
"""

from __future__ import annotations

import errno
import importlib
import os
from typing import TYPE_CHECKING, Any, BinaryIO

from library.errors import TagReadError
from library.formats import ALL_EXTENSIONS, CODEC_OF_FORMAT, FORMAT_OF_CLASS, SNIFFED
from library.iff_text import read_aiff_text, read_riff_info
from library.tag_fields import FIELDS_BY_NAME, System, extract, index_key
from library.tags.identity import audio_identity

if TYPE_CHECKING:
    from library.models import TagData

SETLIST_COMMENT = "setlist"  # the description of the ID3 COMM frame holding setlist's notes
_ART_KEYS = {"APIC", "PIC", "covr", "METADATA_BLOCK_PICTURE", "COVERART", "WM/PICTURE"}
# What mutagen's parsers say when a file ends before what its headers announce.
_SHORT_READ = ("file said", "unable to read full", "not enough data", "truncated")


def mutagen_class(ext: str) -> Any:
    module, name = ALL_EXTENSIONS[ext]
    return getattr(importlib.import_module(module), name)


def reason(error: BaseException) -> str:
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
    if isinstance(inner, OSError):
        if not str(inner):
            # mutagen's read_full raises a bare IOError when a header announces more than is
            # there.
            return "truncated: the file ends before the tag or header it announces"
        # mutagen wraps the OSError of open() (permission denied...) in its own error type.
        return reason(inner)
    text = str(error).strip() or type(error).__name__
    if any(sign in text for sign in _SHORT_READ):
        return f"truncated: the file ends before the tag or header it announces ({text})"
    return f"not a readable audio file: {text}"


def message(error: BaseException) -> str:
    """An exception's text, or its class name when the text is empty (mutagen's often is)."""
    return str(error).strip() or type(error).__name__


def _open(path: str, handle: BinaryIO, size: int) -> Any:
    """Load `path` (open as `handle`) with mutagen, by extension first, sniffing second.

    The sniff leaves out the class the extension named: `mutagen.File` scores the extension
    too, so it would pick that class again (a FLAC named `.mp3` scores MP3 highest) and fail.
    mutagen reads through our handle, so the reader opens each file once. Raises TagReadError.
    """
    import mutagen

    ext = os.path.splitext(path)[1].lower()
    if size == 0:
        raise TagReadError(path, "empty file (0 bytes)")
    first_error: BaseException | None = None
    tried = ALL_EXTENSIONS.get(ext)
    if tried is not None:
        try:
            return mutagen_class(ext)(handle)
        except OSError as error:
            raise TagReadError(path, reason(error)) from error
        except Exception as error:  # noqa: BLE001 - mutagen's parsers raise anything on bad data
            first_error = error
    options = [
        getattr(importlib.import_module(module), name)
        for module, name in SNIFFED
        if (module, name) != tried
    ]
    try:
        handle.seek(0)
        audio = mutagen.File(handle, options=options)
    except OSError as error:
        raise TagReadError(path, reason(error)) from error
    except Exception as error:  # as above
        raise TagReadError(path, reason(first_error or error)) from error
    if audio is None:
        why = reason(first_error) if first_error else "not a recognised audio file"
        raise TagReadError(path, why)
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
    if comments.get(SETLIST_COMMENT):
        index[f"COMM:{SETLIST_COMMENT}"] = comments[SETLIST_COMMENT]
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


def tag_system(audio: Any) -> System:
    kind = type(audio.tags).__name__ if audio.tags is not None else ""
    if kind in ("ID3", "_WaveID3", "_IFFID3", "ID3FileType"):
        return "id3"
    if kind == "MP4Tags":
        return "mp4"
    if kind == "ASFTags":
        return "asf"
    return "vorbis"


def _format_and_codec(audio: Any) -> tuple[str, str | None]:
    fmt = FORMAT_OF_CLASS.get(type(audio).__name__, type(audio).__name__.lower())
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
    return fmt, CODEC_OF_FORMAT.get(fmt)


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


def _index(audio: Any, handle: BinaryIO) -> tuple[System, dict[str, list[str]], bool]:
    """The file's tags as (system, index, has_artwork), plus RIFF/AIFF text chunks."""
    tags = audio.tags
    system = tag_system(audio)
    if tags is None:
        index: dict[str, list[str]] = {}
        has_art = False
    elif system == "id3":
        index, has_art = _index_id3(tags)
    else:
        # Vorbis comments are a list of (key, value) pairs: iterate them as they are, since
        # their dict-style items() looks every key up again (quadratic in the comment count).
        pairs = tags if isinstance(tags, list) else tags.items()
        index, has_art = _index_pairs(system, pairs)
    has_art = has_art or bool(getattr(audio, "pictures", None))
    fmt = FORMAT_OF_CLASS.get(type(audio).__name__)
    if fmt in ("wav", "aiff"):
        chunks = read_riff_info(handle) if fmt == "wav" else read_aiff_text(handle)
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
    """Every field of `path` as plain values (picklable, no pydantic): the scanner's fast path.

    Besides the tag fields and stream facts, `audio_identity` fingerprints the audio payload
    (see `library.tags.identity`): computed here, in the scan's worker processes, while the
    file is in the page cache.
    """
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after mutagen and the identity
    except OSError as error:
        raise TagReadError(path, reason(error)) from error
    with handle:
        size = os.fstat(handle.fileno()).st_size
        audio = _open(path, handle, size)
        try:
            system, index, has_art = _index(audio, handle)
            values = extract(system, index)
            fmt, codec = _format_and_codec(audio)
            values.update(_stream(audio))
            values["audio_identity"] = audio_identity(handle, type(audio).__name__, size)
        except OSError as error:
            raise TagReadError(path, reason(error)) from error
        except Exception as error:  # a half-parsed tag can fail anywhere
            raise TagReadError(path, f"unreadable tags: {message(error)}") from error
    values.update(format=fmt, codec=codec, has_artwork=has_art)
    return values


def read_tags(path: str | os.PathLike[str]) -> TagData:
    """Read `path`'s tags and stream facts. Never writes. Raises `TagReadError`."""
    from library.models import TagData

    return TagData(**read_tag_values(os.fspath(path)))
