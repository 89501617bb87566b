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
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from library.errors import TagReadError, TagWriteError
from library.iff_text import read_aiff_text, read_riff_info
from library.tag_fields import FIELDS_BY_NAME, System, extract, index_key

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
# What mutagen's parsers say when a file ends before what its headers announce.
_SHORT_READ = ("file said", "unable to read full", "not enough data", "truncated")
# The classes `mutagen.File` sniffs, minus the tag-only ID3FileType and APEv2File: a file whose
# audio no class can parse is not a track, whatever tag it carries.
_SNIFFED = (
    ("mutagen.mp3", "MP3"), ("mutagen.trueaudio", "TrueAudio"),
    ("mutagen.oggtheora", "OggTheora"), ("mutagen.oggspeex", "OggSpeex"),
    ("mutagen.oggvorbis", "OggVorbis"), ("mutagen.oggflac", "OggFLAC"), ("mutagen.flac", "FLAC"),
    ("mutagen.aiff", "AIFF"), ("mutagen.mp4", "MP4"), ("mutagen.wavpack", "WavPack"),
    ("mutagen.musepack", "Musepack"), ("mutagen.monkeysaudio", "MonkeysAudio"),
    ("mutagen.optimfrog", "OptimFROG"), ("mutagen.asf", "ASF"), ("mutagen.oggopus", "OggOpus"),
    ("mutagen.aac", "AAC"), ("mutagen.ac3", "AC3"), ("mutagen.smf", "SMF"), ("mutagen.tak", "TAK"),
    ("mutagen.dsf", "DSF"), ("mutagen.dsdiff", "DSDIFF"), ("mutagen.wave", "WAVE"),
)  # fmt: skip


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
    if any(sign in text for sign in _SHORT_READ):
        return f"truncated: the file ends before the tag or header it announces ({text})"
    return f"not a readable audio file: {text}"


def _message(error: BaseException) -> str:
    """An exception's text, or its class name when the text is empty (mutagen's often is)."""
    return str(error).strip() or type(error).__name__


def _open(path: str) -> Any:
    """Load `path` with mutagen, by extension first, sniffing second; raise TagReadError.

    The sniff leaves out the class the extension named: `mutagen.File` scores the extension
    too, so it would pick that class again (a FLAC named `.mp3` scores MP3 highest) and fail.
    """
    import mutagen

    ext = os.path.splitext(path)[1].lower()
    try:
        if os.path.getsize(path) == 0:
            raise TagReadError(path, "empty file (0 bytes)")
    except OSError as error:
        raise TagReadError(path, _reason(error)) from error
    first_error: BaseException | None = None
    tried = ALL_EXTENSIONS.get(ext)
    if tried is not None:
        try:
            return _mutagen_class(ext)(path)
        except OSError as error:
            raise TagReadError(path, _reason(error)) from error
        except Exception as error:  # noqa: BLE001 - mutagen's parsers raise anything on bad data
            first_error = error
    options = [
        getattr(importlib.import_module(module), name)
        for module, name in _SNIFFED
        if (module, name) != tried
    ]
    try:
        audio = mutagen.File(path, options=options)
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
        raise TagReadError(path, f"unreadable tags: {_message(error)}") from error
    values.update(format=fmt, codec=codec, has_artwork=has_art)
    return values


def read_tags(path: str | os.PathLike[str]) -> TagData:
    """Read `path`'s tags and stream facts. Never writes. Raises `TagReadError`."""
    from library.models import TagData

    return TagData(**read_tag_values(os.fspath(path)))


# -- writing -------------------------------------------------------------------------------


def _id3_key(frame: Any) -> str | None:
    """The index key `_index_id3` files a frame under; None for frames that are no field."""
    frame_id = frame.FrameID
    if frame_id in ("TXXX", "WXXX"):
        return index_key("id3", f"{frame_id}:{frame.desc}")
    if frame_id == "UFID":
        return f"UFID:{frame.owner}"
    if frame_id == "COMM":
        # Reading falls back to the ID3v1 comment, so it is the comment too; iTunNORM is not.
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
    target = os.path.realpath(shown)
    try:
        info = os.stat(target)
    except OSError as error:
        raise TagWriteError(shown, _reason(error)) from error
    if not stat.S_ISREG(info.st_mode):
        raise TagWriteError(shown, "not a regular file")
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise TagWriteError(shown, "file is read-only")
    folder, name = os.path.split(target)
    temp = None
    try:
        # The name is cut so the copy's name stays under the 255-byte limit of file systems.
        fd, temp = tempfile.mkstemp(prefix=f".{name[:40]}.", suffix=".setlist-tmp", dir=folder)
        os.close(fd)
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
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _write_copy(temp: str, target: str, values: Mapping[str, object]) -> None:
    """Write `values` into the temporary copy, fsync it and verify by reading it back."""
    ext = os.path.splitext(target)[1].lower()
    if ext not in ALL_EXTENSIONS:
        raise TagWriteError(target, f"cannot write tags to {ext or 'extension-less'} files")
    cls = _mutagen_class(ext)
    # ID3 tags load untranslated: mutagen would otherwise turn a v2.3 tag's TYER into TDRC on
    # load and `save(v2_version=3)` would write that v2.4 frame into the v2.3 tag. Its own
    # `update_to_v23` is no cure: it drops the TSOP/TSOA sort frames iTunes writes in v2.3.
    untranslated = cls.__name__ in ("MP3", "WAVE", "AIFF", "TrueAudio")
    try:
        audio = cls(temp, translate=False) if untranslated else cls(temp)
    except Exception as error:  # as in `_open`: a damaged file fails anywhere
        raise TagWriteError(target, _reason(error)) from error
    try:
        if audio.tags is None:
            audio.add_tags()
        system = _tag_system(audio)
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
        raise TagWriteError(target, f"cannot write tags: {_message(error)}") from error
    with Path(temp).open("rb+") as handle:
        os.fsync(handle.fileno())
    written = read_tag_values(temp)
    for name, value in values.items():
        if written[name] != _expected(system, name, value):
            raise TagWriteError(target, f"{name} did not read back as written")
