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
    mood:haunting  role:closer  colour:red        the track's notes (see library.notes)
    energy:>=7  energy:5..7  rating:>=4           numbers of the notes, as bpm: reads them
    has:notes  has:cues  (also moods roles energy rating colour text)
    notes:word                                    the closing note and the free text
    played:>=1  played:0  venue:"de melkweg"      plays of sets (library/set_plays.py)
    set:NAME                                      tracks in the set NAME (ignoring case)
Free words also search the notes: moods, roles, closing note, free text and cue texts.

User text never becomes SQL: the compiler emits fixed fragments with `?` placeholders, and LIKE
patterns escape `%`, `_` and the escape character itself. Anything it cannot understand raises
`QueryError` naming the term and the reason, so the CLI and the search box can say what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from library.errors import QueryError, SetlistError
from library.keys import compatible_keys, parse_key
from library.notes import values as note_values
from library.search_text import fold, normalise_catno
from library.storage import LAST_PLAYED, PLAY_COUNT

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
    "played": f"{PLAY_COUNT} {{dir}}, {LAST_PLAYED} IS NULL, {LAST_PLAYED} {{dir}}",
    "last_played": f"{LAST_PLAYED} IS NULL, {LAST_PLAYED} {{dir}}",
    **{
        column: f"{value} IS NULL, {value} {{dir}}"
        for column, value in (
            (name, f"(SELECT tn.{name} FROM track_notes tn WHERE tn.track_id = tracks.id)")
            for name in ("energy", "rating")
        )
    },
}


@dataclass(frozen=True, slots=True)
class Compiled:
    """A WHERE condition with `?` placeholders and the values to bind to them, in order.

    `probe` (with `probe_params`) is the same condition spelled for checking a few listed
    tracks (by id) rather than filtering the library: a free word reads the track's text
    instead of asking the word index for every track that has it, and a condition on the
    notes looks up each track's row of notes instead of first gathering every noted track
    that matches. Both select the same tracks.
    """

    where: str = "1"
    params: tuple[object, ...] = field(default_factory=tuple)
    probe: str = "1"
    probe_params: tuple[object, ...] = field(default_factory=tuple)


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


# -- the notes: conditions on the track's row of track_notes, if it has one ------------------


# How a condition on the notes is spelled: for filtering the library (`Compiled.where`), an
# uncorrelated `IN (SELECT ...)`, which SQLite runs once, keeping the ids (a free word over
# 50,000 tracks, 20,000 of them noted: 33 ms against 48 ms for `EXISTS`); for checking a
# few hundred listed tracks (`Compiled.probe`), a correlated `EXISTS`, which looks up only
# those tracks' notes instead of gathering every match first (7 ms against 42 ms to find
# the first screenful of `mills orbit` among the whole library in order). The compiler
# writes the first spelling; `_probe` swaps each opening for the second. Only these fixed
# fragments are swapped: user values are never in the SQL text.
_NOTED = "tracks.id IN (SELECT tn.track_id FROM track_notes tn WHERE "
_NOTED_PROBE = "EXISTS (SELECT 1 FROM track_notes tn WHERE tn.track_id = tracks.id AND "
_UNNOTED = "tracks.id NOT IN (SELECT track_id FROM track_notes)"
_UNNOTED_PROBE = "NOT EXISTS (SELECT 1 FROM track_notes un WHERE un.track_id = tracks.id)"


def _in_notes(condition: str) -> str:
    """`condition` on the track's notes (alias `tn`); false for a track without notes."""
    return f"{_NOTED}{condition})"


def _in_notes_or_tags(condition: str, on_tags: str) -> str:
    """`condition` on the track's notes, or `on_tags` (on `tracks`) for a track nobody noted,
    whose notes are the moods of its tags. `on_tags` comes first: it is false for most
    tracks, which then skip the notes lookup."""
    return f"({_in_notes(condition)} OR ({on_tags} AND {_UNNOTED}))"


def _probe(where: str) -> str:
    """`where` spelled for checking listed tracks (see `_NOTED`)."""
    return where.replace(_NOTED, _NOTED_PROBE).replace(_UNNOTED, _UNNOTED_PROBE)


def _checked(term: Term, check: Callable[[str], object]) -> object:
    """A value through a notes check, its error turned into the query's own."""
    try:
        return check(term.value)
    except SetlistError as error:
        raise QueryError(f"{term.field}:{term.value}: {error}") from None


def _mood(term: Term) -> tuple[str, list[object]]:
    pattern = _like(note_values.moods_fold([str(_checked(term, note_values.mood))]))
    condition = "{}.moods_fold LIKE ? ESCAPE '\\'"
    return _in_notes_or_tags(condition.format("tn"), condition.format("tracks")), [pattern] * 2


def _role(term: Term) -> tuple[str, list[object]]:
    role = _checked(term, note_values.role)
    # roles is a JSON list of fixed words: the quoted word matches that role and no other.
    return _in_notes("instr(tn.roles, ?) > 0"), [f'"{role}"']


def _colour(term: Term) -> tuple[str, list[object]]:
    colour = _checked(term, note_values.colour)
    if colour is None:
        raise QueryError(f"colour:{term.value}: name a colour (for none: -has:colour)")
    return _in_notes("tn.colour = ?"), [colour]


def _note_number(column: str) -> Callable[[Term], tuple[str, list[object]]]:
    def condition(term: Term) -> tuple[str, list[object]]:
        sql, params = _numeric(term, f"tn.{column}")
        return _in_notes(sql), params

    return condition


_HAS = {
    "notes": "tn.filled = 1",
    "cues": "tn.cue_count > 0",
    "moods": "tn.moods != '[]'",
    "roles": "tn.roles != '[]'",
    "energy": "tn.energy IS NOT NULL",
    "rating": "tn.rating IS NOT NULL",
    "colour": "tn.colour IS NOT NULL",
    "color": "tn.colour IS NOT NULL",
    "text": "(tn.closing_note != '' OR tn.text != '')",
}


def _has(term: Term) -> tuple[str, list[object]]:
    what = term.value.strip().lower()
    if what not in _HAS:
        known = ", ".join(name for name in _HAS if name != "color")
        raise QueryError(f"has:{term.value}: say has: one of {known}")
    if what in ("notes", "moods"):  # a track nobody noted has the moods of its tags
        return _in_notes_or_tags(_HAS[what], "tracks.moods_fold != ''"), []
    return _in_notes(_HAS[what]), []


def _notes_text(term: Term) -> tuple[str, list[object]]:
    return _in_notes("tn.notes_fold LIKE ? ESCAPE '\\'"), [_like(fold(term.value))]


# -- plays and sets --------------------------------------------------------------------------


def _played(term: Term) -> tuple[str, list[object]]:
    return _numeric(term, PLAY_COUNT)


def _venue(term: Term) -> tuple[str, list[object]]:
    """Tracks played at a venue: the folded text anywhere in the venue's name."""
    condition = (
        "EXISTS (SELECT 1 FROM track_plays tp JOIN set_plays sp ON sp.id = tp.play_id "
        "WHERE tp.track_id = tracks.id AND sp.venue_fold LIKE ? ESCAPE '\\')"
    )
    return condition, [_like(fold(term.value.strip()))]


def _in_set(term: Term) -> tuple[str, list[object]]:
    """Tracks in the set of that name (the whole name, ignoring case)."""
    from library.set_store import name_key

    condition = (
        "EXISTS (SELECT 1 FROM set_entries se JOIN sets s ON s.id = se.set_id "
        "WHERE se.track_id = tracks.id AND s.name_key = ?)"
    )
    return condition, [name_key(term.value)]


_FIELD_HANDLERS: dict[str, Callable[[Term], tuple[str, list[object]]]] = {
    "key": _key,
    "missing": _missing,
    "catno": _catno,
    "format": _format,
    "mood": _mood,
    "role": _role,
    "colour": _colour,
    "energy": _note_number("energy"),
    "rating": _note_number("rating"),
    "has": _has,
    "notes": _notes_text,
    "played": _played,
    "venue": _venue,
    "set": _in_set,
}
_ALIASES = {
    "catalog": "catno", "catalog_number": "catno", "tempo": "bpm", "color": "colour",
    "moods": "mood", "roles": "role", "note": "notes",
}  # fmt: skip
FIELDS: tuple[str, ...] = tuple(
    sorted({*_TEXT_COLUMNS, *_NUMERIC_COLUMNS, *_FIELD_HANDLERS, *_ALIASES})
)


def _free_word(term: Term) -> tuple[str, list[object]]:
    """A free word anywhere in the track's text, its notes, or (unnoted) its tags' moods,
    read from each track's own row: a scan of the library, or a probe of listed tracks."""
    pattern = _like(fold(term.value))
    notes = _in_notes_or_tags(
        "tn.notes_search LIKE ? ESCAPE '\\'", "tracks.moods_fold LIKE ? ESCAPE '\\'"
    )
    return f"(search LIKE ? ESCAPE '\\' OR {notes})", [pattern] * 3


# A free word through the word index (library/migrations.py, step 8): the tracks that hold
# it come from the index, not from reading all of them, and the free words of a query are
# looked up together, the index intersecting them (`mills orbit` over 50,000 tracks, 20,000
# noted: its first screenful in 3 ms against 36 ms for reading every row).
_IN_WORD_INDEX = "tracks.id IN (SELECT rowid FROM track_words WHERE track_words MATCH ?)"


def _phrase(term: Term) -> str | None:
    """A free word as an FTS5 phrase for the word index: quoted, its quotes doubled, so no
    character of it is query syntax. None for a word shorter than three letters, which a
    trigram index cannot look up, or holding a NUL, which would end the phrase: those read
    every row (`_free_word`)."""
    word = fold(term.value)
    if term.field is not None or len(word) < 3 or "\x00" in word:
        return None
    return '"' + word.replace('"', '""') + '"'


def _condition(term: Term) -> tuple[str, list[object]]:
    if term.field is None:
        return _free_word(term)
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
    probes: list[str] = []
    probe_params: list[object] = []
    phrases: list[str] = []  # the free words to look up together in the word index
    for term in parse(_SURROGATE.sub("\ufffd", text or "")):
        phrase = _phrase(term)
        probe, probe_values = _condition(term)  # reads the track's own row
        if phrase is not None and not term.negated:
            phrases.append(phrase)
        else:
            sql, values = (_IN_WORD_INDEX, [phrase]) if phrase else (probe, probe_values)
            conditions.append(_negated(sql) if term.negated else f"({sql})")
            params.extend(values)
        probes.append(_negated(_probe(probe)) if term.negated else f"({_probe(probe)})")
        probe_params.extend(probe_values)
    if phrases:
        conditions.insert(0, f"({_IN_WORD_INDEX})")
        params.insert(0, " AND ".join(phrases))
    if not conditions:
        return Compiled()
    return Compiled(
        " AND ".join(conditions), tuple(params), " AND ".join(probes), tuple(probe_params)
    )


def _negated(sql: str) -> str:
    """Not `sql`, counting NULL (a comparison with a missing value) as not matching."""
    return f"NOT coalesce(({sql}), 0)"


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
