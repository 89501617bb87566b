"""Which files setlist reads and what it calls them: extension and class tables, no mutagen.

Kept apart from the mutagen doorway (`library.tags`) so that the scanner can decide which
files are audio, and a rescan of an unchanged library can finish, without importing mutagen.
Classes are named by module and class name and imported only when a file is opened.
"""

from __future__ import annotations

import os

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

FORMAT_OF_CLASS = {
    "MP3": "mp3", "EasyMP3": "mp3", "FLAC": "flac", "OggVorbis": "ogg", "OggOpus": "opus",
    "OggFLAC": "flac", "OggSpeex": "spx", "OggTheora": "ogg", "MP4": "m4a", "EasyMP4": "m4a",
    "WAVE": "wav", "AIFF": "aiff", "ASF": "wma", "WavPack": "wv", "MonkeysAudio": "ape",
    "Musepack": "mpc", "DSF": "dsf", "DSDIFF": "dff", "TrueAudio": "tta", "OptimFROG": "ofr",
    "AAC": "aac", "AC3": "ac3", "SMF": "mid",
}  # fmt: skip
CODEC_OF_FORMAT = {
    "mp3": "mp3", "flac": "flac", "ogg": "vorbis", "opus": "opus", "wma": "wma", "spx": "speex",
    "wv": "wavpack", "ape": "ape", "mpc": "musepack", "dsf": "dsd", "dff": "dsd", "tta": "tta",
}  # fmt: skip
# The classes `mutagen.File` sniffs, minus the tag-only ID3FileType and APEv2File: a file whose
# audio no class can parse is not a track, whatever tag it carries.
SNIFFED = (
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
