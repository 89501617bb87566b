"""The search language, compiled to a parameterised SQL condition.

    mills metropolis              free words: each must appear in artist, title, album, label
                                  or catalog number (case-insensitive, anywhere in the text)
    "jeff mills"                  a quoted phrase is one word
    -remix                        a leading minus excludes
    artist:mills  title:"the bells"  album:…  label:axis
    catno:ax-022                  catalog numbers compare without case, spaces or dashes
    format:flac                   container or codec (mp3, flac, m4a, aac, alac, wav...)
    key:8A  key:Am  key:~8A       a key in any notation; ~ adds the harmonically compatible keys
    bpm:128  bpm:120..130  bpm:>=126  bpm:<100  year:1990..1999
    missing:yes

User text never becomes SQL: the compiler emits fixed fragments with `?` placeholders, and LIKE
patterns escape `%`, `_` and the escape character itself. Anything it cannot understand raises
`QueryError` naming the term and the reason, so the CLI and the search box can say what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from library.errors import QueryError
from library.keys import compatible_keys, parse_key
from library.search_text import fold, normalise_catno

_TEXT_COLUMNS = {
    "artist": "artist_fold",
    "title": "title_fold",
    "album": "album_fold",
    "label": "label_fold",
}
_NUMERIC_COLUMNS = {"bpm": "bpm", "year": "year"}
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_COMPARISON = re.compile(r"(>=|<=|>|<|=)?\s*(-?\d+(?:[.,]\d+)?)")
_SURROGATE = re.compile("[\ud800-\udfff]")
_RANGE = re.compile(r"(-?\d+(?:[.,]\d+)?)?\s*\.\.\s*(-?\d+(?:[.,]\d+)?)?")

# Tracks without a value sort after those with one, whichever the direction: an untagged
# file at the top of a sorted list hides what the DJ sorted for.
SORT_FIELDS: dict[str, str] = {
    "artist": "artist_fold = '', artist_fold {dir}, title_fold = '', title_fold {dir}",
    "title": "title_fold = '', title_fold {dir}, artist_fold {dir}",
    "album": "album_fold = '', album_fold {dir}, disc_number {dir}, track_number {dir}",
    "label": "label_fold = '', label_fold {dir}, catno_norm {dir}",
    "catno": "catno_norm = '', catno_norm {dir}",
    "bpm": "bpm IS NULL, bpm {dir}",
    "key": "camelot IS NULL, CAST(camelot AS INTEGER) {dir}, camelot {dir}",
    "year": "year IS NULL, year {dir}",
    "duration": "duration IS NULL, duration {dir}",
    "format": "format {dir}",
    "path": "path {dir}",
    "added": "id {dir}",
}


@dataclass(frozen=True, slots=True)
class Compiled:
    """A WHERE condition with `?` placeholders and the values to bind to them, in order."""

    where: str = "1"
    params: tuple[object, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Term:
    """One parsed term: an optional field, its value, and whether it excludes."""

    field: str | None
    value: str
    negated: bool = False


_TOKEN = re.compile(
    r"""
    (?P<neg>-)?
    (?:(?P<field>[A-Za-z_]+):)?
    (?: "(?P<quoted>[^"]*)"? | (?P<bare>[^\s"]+) )
    """,
    re.VERBOSE,
)


def parse(text: str) -> list[Term]:
    """Split search text into terms; an unclosed quote runs to the end (people type live)."""
    terms: list[Term] = []
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            position += 1  # a lone quote mark: skip it
            continue
        position = match.end()
        value = match.group("quoted")
        if value is None:
            value = match.group("bare") or ""
        name = match.group("field")
        negated = bool(match.group("neg"))
        if name is None and not value.strip():
            continue
        terms.append(Term(name.lower() if name else None, value, negated))
    return terms


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _number(term: Term, text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise QueryError(f"{term.field}:{term.value}: {text!r} is not a number") from None


def _numeric(term: Term, column: str) -> tuple[str, list[object]]:
    value = term.value.strip()
    span = _RANGE.fullmatch(value)
    if span and (span.group(1) or span.group(2)):
        low, high = span.group(1), span.group(2)
        parts: list[str] = []
        params: list[object] = []
        if low:
            parts.append(f"{column} >= ?")
            params.append(_number(term, low))
        if high:
            parts.append(f"{column} <= ?")
            params.append(_number(term, high))
        return " AND ".join(parts), params
    compare = _COMPARISON.fullmatch(value)
    if not compare:
        raise QueryError(
            f"{term.field}:{term.value}: expected a number, a range such as 120..130, "
            "or a comparison such as >=126"
        )
    operator, number = compare.group(1), _number(term, compare.group(2))
    if operator in (None, "="):
        # "bpm:128" means what a DJ reads as 128: anything that rounds to it.
        return f"{column} >= ? AND {column} < ?", [number - 0.5, number + 0.5]
    return f"{column} {operator} ?", [number]


def _key(term: Term) -> tuple[str, list[object]]:
    value = term.value.strip()
    compatible = value.startswith("~")
    key = parse_key(value[1:] if compatible else value)
    if key is None:
        raise QueryError(f"key:{term.value}: not a key (try 8A, Am, A minor, 1m)")
    keys = compatible_keys(key) if compatible else (key,)
    return f"camelot IN ({', '.join('?' * len(keys))})", [str(k) for k in keys]


def _missing(term: Term) -> tuple[str, list[object]]:
    value = term.value.strip().lower()
    if value in _YES:
        return "missing = 1", []
    if value in _NO:
        return "missing = 0", []
    raise QueryError(f"missing:{term.value}: say missing:yes or missing:no")


def _catno(term: Term) -> tuple[str, list[object]]:
    norm = normalise_catno(term.value)
    if not norm:
        raise QueryError(f"catno:{term.value}: a catalog number needs letters or digits")
    return "catno_norm LIKE ? ESCAPE '\\'", [_like(norm)]


def _format(term: Term) -> tuple[str, list[object]]:
    value = term.value.strip().lower().lstrip(".")
    return "(format = ? OR codec = ?)", [value, value]


_FIELD_HANDLERS: dict[str, Callable[[Term], tuple[str, list[object]]]] = {
    "key": _key,
    "missing": _missing,
    "catno": _catno,
    "format": _format,
}
_ALIASES = {"catalog": "catno", "catalog_number": "catno", "tempo": "bpm"}
FIELDS: tuple[str, ...] = tuple(
    sorted({*_TEXT_COLUMNS, *_NUMERIC_COLUMNS, *_FIELD_HANDLERS, *_ALIASES})
)


def _condition(term: Term) -> tuple[str, list[object]]:
    if term.field is None:
        return "search LIKE ? ESCAPE '\\'", [_like(fold(term.value))]
    name = _ALIASES.get(term.field, term.field)
    if name in _TEXT_COLUMNS:
        return f"{_TEXT_COLUMNS[name]} LIKE ? ESCAPE '\\'", [_like(fold(term.value))]
    if name in _NUMERIC_COLUMNS:
        return _numeric(term, _NUMERIC_COLUMNS[name])
    if name in _FIELD_HANDLERS:
        return _FIELD_HANDLERS[name](term)
    raise QueryError(
        f"{term.field}:{term.value}: unknown field {term.field!r} "
        f"(known: {', '.join(FIELDS)}); put the text in quotes to search for it"
    )


def compile_query(text: str | None) -> Compiled:
    """Compile search text to a condition on the `tracks` table; empty text matches all.

    Lone surrogates (a shell argument that was not valid UTF-8 arrives surrogate-escaped)
    become U+FFFD first: SQLite cannot bind them, and U+FFFD is how stored text shows them.
    """
    conditions: list[str] = []
    params: list[object] = []
    for term in parse(_SURROGATE.sub("\ufffd", text or "")):
        sql, values = _condition(term)
        conditions.append(f"NOT coalesce(({sql}), 0)" if term.negated else f"({sql})")
        params.extend(values)
    if not conditions:
        return Compiled()
    return Compiled(" AND ".join(conditions), tuple(params))


def _contains(new: Term, old: Term) -> bool:
    """Whether every track `new` matches also matches `old`: the same text term, its value
    grown (a free word or a text field matches a substring, so a longer one matches less)."""
    if new.negated or old.negated or new.field != old.field:
        return False
    name = _ALIASES.get(new.field, new.field) if new.field else None
    if name is None or name in _TEXT_COLUMNS:
        return fold(old.value) in fold(new.value)
    if name == "catno":
        return bool(normalise_catno(old.value)) and (
            normalise_catno(old.value) in normalise_catno(new.value)
        )
    return False


def narrows(old: str, new: str) -> bool:
    """Whether `new` can only match tracks `old` matches: each of old's terms is in `new`,
    the same or grown (`nac` -> `nacht`), and `new` may add terms. What typing forward does;
    a search box uses it to look for the new results among the old ones first.

    False whenever it is not certain (an excluded word grown matches more, `bpm:12` ->
    `bpm:125` matches other tracks), never a wrong True.
    """
    before, after = parse(old), parse(new)
    if len(after) < len(before):
        return False
    return all(a == b or _contains(a, b) for a, b in zip(after, before, strict=False))


def compile_sort(text: str | None) -> str:
    """An ORDER BY clause for `--sort FIELD` (prefix "-" for descending)."""
    if not text:
        text = "artist"
    descending = text.startswith("-")
    name = text.lstrip("-").lower()
    if name not in SORT_FIELDS:
        raise QueryError(f"cannot sort by {name!r} (known: {', '.join(SORT_FIELDS)})")
    return SORT_FIELDS[name].format(dir="DESC" if descending else "ASC") + ", id"
