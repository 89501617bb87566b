"""Track lengths and positions as DJs read them: m:ss, or h:mm:ss past an hour."""

from __future__ import annotations


def format_duration(seconds: float | None) -> str:
    """3:05 for 185 s, 1:02:03 past an hour, "" when unknown; rounds to the nearest second."""
    if seconds is None or seconds < 0:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
