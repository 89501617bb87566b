"""Text as the search compares it: folded so that what a DJ types finds what a tag says.

SQLite's LIKE and lower() fold ASCII only, so the library stores a folded copy of each
searchable field and the query language folds its words the same way. Folding is for
comparison only; stored values stay exactly as written.
"""

from __future__ import annotations

import functools
import unicodedata

# Letters that are not a base letter plus an accent, so decomposition leaves them alone,
# yet a DJ types them without the stroke: "odegaard" should find "Ødegaard".
_LOOKALIKE = str.maketrans(
    {"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ŧ": "t", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th"}
)
# Accents are dropped after Latin, Greek and Cyrillic letters only: in Japanese, for one, the
# dakuten is what tells ダ from タ, not decoration.
_ACCENTED_SCRIPTS_END = 0x0530


@functools.lru_cache(maxsize=16384)
def fold(text: str | None) -> str:
    """Case-, accent- and width-insensitive form: "Jëff", "JEFF" and "ｊｅｆｆ" give "jeff".

    NFKD also makes decomposed input (as macOS writes file names, "e" + U+0301) equal to the
    composed form a keyboard types. Cached: a library repeats its artists, albums, labels and
    moods on track after track, and a scan folds each of them again.
    """
    if not text:
        return ""
    if text.isascii():  # the common case, and exact: ASCII has no accents or wide forms
        return text.lower()
    kept: list[str] = []
    base = 0
    # Decompose before and after folding case: compatibility forms ("𝑨") decompose to
    # letters that still have a case, and folding can yield decomposable letters.
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    for char in folded:
        if unicodedata.combining(char):
            if base >= _ACCENTED_SCRIPTS_END:
                kept.append(char)
            continue
        base = ord(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).translate(_LOOKALIKE)


def normalise_catno(text: str | None) -> str:
    """ "AX-022", "ax 022" and "AX022" are one catalog number: letters and digits, folded."""
    return "".join(ch for ch in fold(text) if ch.isalnum())
