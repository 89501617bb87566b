"""Make the short audio loops the demo library is built from (needs ffmpeg; run by hand).

    python setlist/demo/make_media.py

Each loop is sixteen beats of a synthesised kick drum and off-beat hi-hat, so a demo track's
BPM tag matches what you hear. `setlist demo` makes full-length tracks from the MP3 and WAV
loops by repetition, which needs no encoder on the user's machine:

- MP3: encoded at 8 kHz / 8 kbit/s CBR *without the bit reservoir*, so every 72-byte frame
  holds its own data. The loop is cut, frame-exact, from the middle of a longer encode (past
  the encoder delay), and its length is a whole number of frames; repeating it plays
  seamlessly. The tempo is therefore rounded to fit whole frames (e.g. 128.21 BPM), and the
  exact value is recorded in `loops.json`.
- WAV: PCM, so repeating the samples is exact.
The other formats are one loop long and are copied as they are.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "media"
BEATS = 16
MP3_RATE = 8000
MP3_FRAME = 576  # samples per MPEG-2.5 layer III frame
MP3_FRAME_BYTES = 72  # 8 kbit/s at 8 kHz: 72 bytes, never padded
MP3_TEMPI = (100, 118, 120, 122, 124, 126, 128, 130)
OTHER: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (120, "wav", ("-ar", "8000", "-c:a", "pcm_u8")),
    (126, "flac", ("-ar", "8000", "-sample_fmt", "s16", "-c:a", "flac")),
    (124, "ogg", ("-ar", "8000", "-c:a", "libvorbis", "-q:a", "0")),
    (100, "opus", ("-ar", "48000", "-c:a", "libopus", "-b:a", "8k")),
    (122, "m4a", ("-ar", "8000", "-c:a", "aac", "-b:a", "12k")),
    (126, "aiff", ("-ar", "8000", "-c:a", "pcm_s8")),
)


def expression(bpm: float) -> str:
    """A kick with a falling pitch on every beat and a short noise hat between beats."""
    beat = 60 / bpm
    t = f"mod(t,{beat:.9f})"
    off = f"mod(t+{beat / 2:.9f},{beat:.9f})"
    kick = f"0.8*sin(2*PI*(45+90*exp(-25*{t}))*{t})*exp(-7*{t})"
    hat = f"0.12*(random(0)*2-1)*exp(-70*{off})"
    return f"{kick}+{hat}"


def encode(bpm: float, seconds: float, options: tuple[str, ...], out: Path) -> None:
    cmd = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
        "-i", f"aevalsrc=exprs='{expression(bpm)}':s=48000:d={seconds:.6f}",
        "-ac", "1", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
        *options, str(out),
    ]  # fmt: skip
    subprocess.run(cmd, check=True)


def mp3_loop(bpm: int, out: Path) -> float:
    """Cut a seamless loop of whole frames; return its exact tempo."""
    frames = round(BEATS * 60 / bpm * MP3_RATE / MP3_FRAME)
    exact = BEATS * 60 / (frames * MP3_FRAME / MP3_RATE)
    options = ("-ar", str(MP3_RATE), "-c:a", "libmp3lame", "-b:a", "8k", "-reservoir", "0",
               "-write_xing", "0", "-id3v2_version", "0")  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        long = Path(scratch) / "long.mp3"
        encode(exact, 3 * frames * MP3_FRAME / MP3_RATE, options, long)
        data = long.read_bytes()
    start, end = frames * MP3_FRAME_BYTES, 2 * frames * MP3_FRAME_BYTES
    for offset in range(start, end, MP3_FRAME_BYTES):
        if data[offset] != 0xFF or data[offset + 1] & 0xE0 != 0xE0:
            raise SystemExit(f"{out.name}: no MPEG frame sync at byte {offset}")
    out.write_bytes(data[start:end])
    return exact


def main() -> int:
    if shutil.which("ffmpeg") is None:
        print("ffmpeg is needed to make the demo media", file=sys.stderr)
        return 1
    HERE.mkdir(exist_ok=True)
    manifest: dict[str, float] = {}
    for bpm in MP3_TEMPI:
        name = f"loop-{bpm}.mp3"
        manifest[name] = round(mp3_loop(bpm, HERE / name), 2)
    for bpm, ext, options in OTHER:
        name = f"loop-{bpm}.{ext}"
        encode(bpm, BEATS * 60 / bpm, options, HERE / name)
        manifest[name] = float(bpm)
    (HERE / "loops.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
