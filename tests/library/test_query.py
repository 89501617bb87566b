"""Tests for library.query: parsing, the SQL it builds, and what that SQL finds in a real store.

Rows go in through `Store.save_scanned` (as a scan stores them), with non-ASCII defaults, so
every assertion about matching is made by SQLite itself, never by re-implementing the matcher.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import add_track
from hypothesis import given, settings
from hypothesis import strategies as st

from library.errors import QueryError
from library.query import SORT_FIELDS, Term, compile_query, compile_sort, narrows, parse
from library.scanning import scan
from library.search_text import fold
from library.storage import Store


def ids(store: Store, text: str) -> set[int]:
    compiled = compile_query(text)
    return {track.id for track in store.tracks(compiled.where, compiled.params)}


def table_exists(store: Store) -> bool:
    row = store.connection().execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'tracks'"
    )
    return bool(row.fetchone()[0])


# -- parsing ------------------------------------------------------------------------------


def test_parse_words_phrases_fields_and_exclusions() -> None:
    assert parse('jëff  "the bells" -remix ARTIST:mills -label:"axis récords" key:~8A') == [
        Term(None, "jëff"),
        Term(None, "the bells"),
        Term(None, "remix", negated=True),
        Term("artist", "mills"),
        Term("label", "axis récords", negated=True),
        Term("key", "~8A"),
    ]


def test_parse_unclosed_quote_runs_to_the_end() -> None:
    assert parse('mills "the bel') == [Term(None, "mills"), Term(None, "the bel")]
    assert parse('title:"the bel') == [Term("title", "the bel")]


def test_parse_ignores_blank_and_lone_quotes() -> None:
    assert parse("") == []
    assert parse('   "  " ') == []
    assert parse('"') == []


def test_parse_field_without_value_is_a_word() -> None:
    assert parse("artist:") == [Term(None, "artist:")]


# -- parameters, never pasted text ----------------------------------------------------------

HOSTILE = [
    "'; DROP TABLE tracks; --", "' OR 1=1 --", ") OR (1=1", "%", "_", "\\", "\\%", "'",
    "Robert'); DELETE FROM tracks; --",
]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE)
def test_user_text_only_travels_as_parameters(store: Store, value: str) -> None:
    target = add_track(store, title=f"x{value}y")
    add_track(store, title="plain")
    for text in (f'"{value}"', f'title:"{value}"', f'-title:"{value}"', f'artist:"{value}"'):
        compiled = compile_query(text)
        # The SQL depends only on the query's shape (a free word's length is part of it:
        # shorter than three letters, it cannot be looked up in the trigram index).
        shape = compile_query(text.replace(value, "z" * len(value)))
        assert compiled.where == shape.where
        assert compiled.probe == shape.probe
        assert all(isinstance(p, str | int | float) for p in compiled.params)
        if len(value) > 2 and not set(value) & set("%_\\"):  # wildcards travel escaped
            assert value.casefold() not in compiled.where.casefold()
            assert any(fold(value) in str(param) for param in compiled.params)
    assert ids(store, f'"{value}"') == {target}
    assert ids(store, f'title:"{value}"') == {target}
    assert target not in ids(store, f'-title:"{value}"')
    assert table_exists(store)
    assert store.count_tracks() == 2


def test_raw_hostile_query_runs_and_harms_nothing(store: Store) -> None:
    add_track(store, title="'; DROP TABLE tracks; --")
    add_track(store, title="other")
    compiled = compile_query("'; DROP TABLE tracks; --")
    store.tracks(compiled.where, compiled.params)
    assert table_exists(store)
    assert store.count_tracks() == 2


def test_like_wildcards_are_literal(store: Store) -> None:
    percent = add_track(store, title="100% Pure")
    add_track(store, title="100 Pure")
    underscore = add_track(store, title="a_b")
    add_track(store, title="axb")
    backslash = add_track(store, title="back\\slash")
    add_track(store, title="backslash")
    assert ids(store, "%") == {percent}
    assert ids(store, "title:_") == {underscore}
    assert ids(store, "\\") == {backslash}
    assert ids(store, "a_b") == {underscore}


# -- case and Unicode -----------------------------------------------------------------------


def test_matching_is_case_insensitive_beyond_ascii(store: Store) -> None:
    entree = add_track(store, title="Entrée à Métropolis")
    strasse = add_track(store, title="Straße", artist="ΣΊΣΥΦΟΣ")
    shouted = add_track(store, title="DIE STRASSE", artist="x")
    assert ids(store, "ENTRÉE") == {entree}
    assert ids(store, "entrée") == {entree}
    assert ids(store, "straße") == {strasse, shouted}
    assert ids(store, "STRASSE") == {strasse, shouted}
    assert ids(store, "artist:σίσυφος") == {strasse}  # final sigma folds too


def test_decomposed_and_composed_accents_match(store: Store) -> None:
    """macOS writes "é" as "e" + U+0301; a keyboard types U+00E9. Both are the same letter."""
    decomposed = add_track(store, title="Cafe\u0301 del Mar")
    assert ids(store, "café") == {decomposed}
    composed = add_track(store, title="Caf\u00e9 Tacvba")
    assert ids(store, "Cafe\u0301") == {decomposed, composed}


def test_undecodable_shell_text_does_not_break_the_query(store: Store) -> None:
    add_track(store)
    assert ids(store, "caf\udce9") == set()  # a surrogate-escaped byte from the shell


# -- free words and fields ------------------------------------------------------------------


def test_free_words_must_all_match_somewhere(store: Store) -> None:
    both = add_track(store, artist="Jëff Mills", title="The Bells")
    add_track(store, artist="Jëff Mills", title="Changes of Life")
    add_track(store, artist="Robert Hood", title="The Bells Cover")
    assert ids(store, "mills bells") == {both}
    assert ids(store, 'MILLS "the bells"') == {both}


@pytest.mark.parametrize(
    ("field", "column"),
    [("artist", "artist"), ("title", "title"), ("album", "album"), ("label", "label")],
)
def test_text_fields_match_only_their_column(store: Store, field: str, column: str) -> None:
    hit = add_track(store, **{column: "Tresor Ünique"})
    add_track(store, **{"comment": "tresor ünique"})
    others = {"artist", "title", "album", "label"} - {column}
    add_track(store, **dict.fromkeys(others, "Tresor Ünique"))
    assert ids(store, f"{field}:ünique") == {hit}
    assert ids(store, f'{field}:"TRESOR ÜNIQUE"') == {hit}


def test_free_words_search_label_and_catalog_number(store: Store) -> None:
    hit = add_track(store, label="Tresor", catalog_number="TRESOR-113", title="x", artist="y")
    add_track(store, title="z", artist="w", label="Axis", catalog_number="AX-1")
    assert ids(store, "tresor113") == {hit}
    assert ids(store, "tresor-113") == {hit}


@pytest.mark.parametrize("text", ["catno:AX-022", 'catno:"ax 022"', "catno:AX022", "catno:ax022"])
def test_catalog_numbers_compare_without_case_spaces_or_dashes(store: Store, text: str) -> None:
    hit = add_track(store, catalog_number="AX-022")
    add_track(store, catalog_number="AX-023")
    add_track(store, catalog_number=None)
    assert ids(store, text) == {hit}
    assert ids(store, text.replace("catno", "catalog")) == {hit}


def test_format_matches_container_or_codec(store: Store) -> None:
    flac = add_track(store, format="flac", codec="flac")
    alac = add_track(store, format="m4a", codec="alac")
    add_track(store, format="mp3", codec="mp3")
    assert ids(store, "format:FLAC") == {flac}
    assert ids(store, "format:.flac") == {flac}
    assert ids(store, "format:alac") == {alac}
    assert ids(store, "format:m4a") == {alac}


@pytest.mark.parametrize("notation", ["8A", "8a", "Am", '"A minor"', "amin", "1m", '"8A - 6"'])
def test_key_in_any_notation(store: Store, notation: str) -> None:
    hit = add_track(store, key="A minor")
    add_track(store, key="C")
    add_track(store, key=None)
    assert ids(store, f"key:{notation}") == {hit}


def test_compatible_keys(store: Store) -> None:
    by_key = {
        f"{n}{letter}": add_track(store, key=f"{n}{letter}")
        for n in range(1, 13)
        for letter in "AB"
    }
    add_track(store, key=None)
    expected = {by_key[k] for k in ("8A", "7A", "9A", "8B")}
    assert ids(store, "key:~8A") == expected
    assert ids(store, "key:~Am") == expected
    assert ids(store, "key:~1A") == {by_key[k] for k in ("1A", "12A", "2A", "1B")}


def test_bpm_exact_means_what_rounds_to_it(store: Store) -> None:
    by_bpm = {bpm: add_track(store, bpm=bpm) for bpm in (127.4, 127.6, 128.0, 128.4, 128.5, 129.0)}
    add_track(store, bpm=None)
    assert ids(store, "bpm:128") == {by_bpm[127.6], by_bpm[128.0], by_bpm[128.4]}
    assert ids(store, "bpm:=128") == ids(store, "bpm:128")
    assert ids(store, "tempo:128") == ids(store, "bpm:128")


def test_bpm_ranges_and_comparisons(store: Store) -> None:
    by_bpm = {bpm: add_track(store, bpm=bpm) for bpm in (95.0, 100.0, 120.0, 126.0, 130.0, 140.0)}
    none = add_track(store, bpm=None)

    def of(*bpms: float) -> set[int]:
        return {by_bpm[bpm] for bpm in bpms}

    assert ids(store, "bpm:120..130") == of(120, 126, 130)
    assert ids(store, "bpm:120..") == of(120, 126, 130, 140)
    assert ids(store, "bpm:..100") == of(95, 100)
    assert ids(store, "bpm:>=126") == of(126, 130, 140)
    assert ids(store, "bpm:>126") == of(130, 140)
    assert ids(store, "bpm:<100") == of(95)
    assert ids(store, "bpm:<=100") == of(95, 100)
    assert ids(store, "bpm:125,5..126,5") == of(126)
    assert none in ids(store, "-bpm:120..130")


def test_year(store: Store) -> None:
    nineties = {add_track(store, year=year) for year in (1990, 1995, 1999)}
    two_thousand = add_track(store, year=2000)
    add_track(store, year=None)
    assert ids(store, "year:1990..1999") == nineties
    assert ids(store, "year:2000") == {two_thousand}
    assert ids(store, "year:>=2000") == {two_thousand}


def test_missing_yes_and_no(store: Store) -> None:
    here = add_track(store)
    gone = add_track(store)
    (path,) = [p for p, known in store.known_files().items() if known.id == gone]
    store.mark_missing([path])
    assert ids(store, "missing:yes") == {gone}
    assert ids(store, "missing:true") == {gone}
    assert ids(store, "missing:no") == {here}


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("-label:axis", "label"),
        ("-catno:ax", "catalog_number"),
        ("-key:8A", "key"),
        ("-bpm:128", "bpm"),
        ("-year:2000", "year"),
        ("-artist:mills", "artist"),
        ("-mills", "artist"),
    ],
)
def test_exclusion_keeps_tracks_without_the_value(store: Store, text: str, column: str) -> None:
    add_track(store)
    without = add_track(store, **{column: None})
    assert ids(store, text) == {without}


def test_exclusion_with_other_terms(store: Store) -> None:
    original = add_track(store, title="The Bells")
    add_track(store, title="The Bells (Remix)")
    assert ids(store, "bells -remix") == {original}
    assert ids(store, 'bells -"(remix)"') == {original}


# -- errors -------------------------------------------------------------------------------


def test_unknown_field_is_named() -> None:
    with pytest.raises(QueryError, match="'grouping'") as caught:
        compile_query("mills grouping:red")
    assert "grouping:red" in str(caught.value)


BAD_VALUES = [
    "bpm:fast", "bpm:1..x", "bpm:>>120", "year:nineties", "key:H", "key:13A", "key:~",
    "missing:maybe", 'catno:"--"',
]  # fmt: skip


@pytest.mark.parametrize("text", BAD_VALUES)
def test_bad_values_raise_query_error(text: str) -> None:
    with pytest.raises(QueryError) as caught:
        compile_query(text)
    assert text.split(":", maxsplit=1)[0] in str(caught.value)


def test_empty_query_matches_everything(store: Store) -> None:
    everything = {add_track(store), add_track(store, title=None, artist=None, label=None)}
    assert compile_query("").where == "1"
    assert compile_query(None).params == ()
    assert ids(store, "   ") == everything


# -- sorting ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SORT_FIELDS))
def test_every_sort_field_runs(store: Store, name: str) -> None:
    add_track(store)
    add_track(store, bpm=None, key=None, year=None, title=None)
    for text in (name, f"-{name}", name.upper()):
        assert len(store.tracks(order_by=compile_sort(text))) == 2


def test_sort_direction_and_unknown_bpm_last(store: Store) -> None:
    slow, fast = add_track(store, bpm=100.0), add_track(store, bpm=140.0)
    unknown = add_track(store, bpm=None)
    assert [t.id for t in store.tracks(order_by=compile_sort("bpm"))] == [slow, fast, unknown]
    assert [t.id for t in store.tracks(order_by=compile_sort("-bpm"))] == [fast, slow, unknown]
    assert compile_sort(None) == compile_sort("")


@pytest.mark.parametrize("text", ["colour", "-", "bpm; DROP TABLE tracks"])
def test_unknown_sort_field_raises(text: str) -> None:
    with pytest.raises(QueryError, match="cannot sort"):
        compile_sort(text)


# -- real scans ---------------------------------------------------------------------------


def test_queries_over_scanned_fixtures(store: Store, music: Path) -> None:
    scan(store, [music], workers=1)
    names = {t.id: Path(t.path).name for t in store.tracks()}

    def found(text: str) -> set[str]:
        return {names[i] for i in ids(store, text)}

    assert "full.flac" in found("mills métropolis key:8A bpm:128 catno:ax022 label:axis")
    assert "alias.ogg" in found("bpm:127..128 key:~9A")
    assert found("format:wma") == {"full.wma", "untagged.wma"}
    assert found("format:alac") == {"alac.m4a"}
    assert "untagged.flac" in found("-mills")
    assert not {"full.flac", "alias.flac"} & found("-mills")


# -- properties ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    from library.notes import store as notes_store
    from library.notes.model import Cue, TrackNotes

    store = Store(tmp_path_factory.mktemp("query") / "library.db")
    noted = add_track(store)
    add_track(store, title=None, artist=None, bpm=None, key=None, label=None, catalog_number=None)
    notes = TrackNotes(moods=["hanté"], energy=7, roles=["closer"], text="%_\\", rating=3,
                       colour="red", cues=[Cue(at=1, text="x")])  # fmt: skip
    notes_store.save(store, noted, notes)
    yield store
    store.close()


QUERYISH = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=()), max_size=12),
        st.sampled_from(["-", '"', ":", "..", "~", ">=", "<", ",", "%", "_", "\\", "'", " "]),
        st.sampled_from(['"late\nnight"', '"a\u2028b"', '"\r"']),  # line breaks in a phrase
        st.sampled_from(
            [
                "artist:",
                "bpm:",
                "key:",
                "catno:",
                "missing:",
                "year:",
                "format:",
                "mood:",
                "energy:",
                "role:",
                "rating:",
                "colour:",
                "has:",
                "notes:",
            ]
        ),
    ),
    max_size=8,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=QUERYISH)
def test_any_text_compiles_or_says_why_and_always_runs(shared_store: Store, text: str) -> None:
    try:
        compiled = compile_query(text)
    except QueryError as error:
        assert str(error).strip() and "\n" not in str(error), repr(str(error))
        return
    assert compiled.where.count("?") == len(compiled.params)
    try:
        shared_store.tracks(compiled.where, compiled.params)
    except sqlite3.Error as error:  # pragma: no cover - the failure message is the point
        pytest.fail(f"{text!r} compiled to SQL that fails: {compiled.where!r}: {error}")


# -- narrowing ------------------------------------------------------------------------------

NARROWING = [
    ("", "n", True),
    ("nac", "nacht", True),
    ("acht", "nacht", True),
    ("nacht", "nac", False),
    ("mills", "mills orbit", True),
    ("mills orbit", "mills", False),
    ("a b", "a c", False),
    ('"jeff"', '"jeff mills"', True),
    ("artist:mil", "artist:mills", True),
    ("ARTIST:Mil", "artist:MILLS", True),
    ("artist:m", "title:m", False),
    ("catno:ax", "catno:ax-02", True),
    ("label:axis", "label:axis key:8A", True),
    ("-re", "-rem", False),
    ("bpm:12", "bpm:125", False),
    ("key:8A", "key:8A bpm:120..130", True),
    ("mills", "-mills", False),
]


@pytest.mark.parametrize(("old", "new", "expected"), NARROWING)
def test_narrows_only_when_certain(old: str, new: str, expected: bool) -> None:
    assert narrows(old, new) is expected


def test_a_narrowing_search_finds_a_subset(store: Store) -> None:
    for artist, title, label in [
        ("Jëff Mills", "The Bells", "Axis Récords"),
        ("Jëff Mills", "Orbit", "Axis Récords"),
        ("Ellen Allien", "Orbit Nacht", "BPitch"),
        ("Kōji", "Nachtmusik", "Axis Récords"),
    ]:
        add_track(store, artist=artist, title=title, label=label)
    queries = [old for old, _, _ in NARROWING] + [new for _, new, _ in NARROWING]
    for old in queries:
        for new in queries:
            if narrows(old, new):
                assert ids(store, new) <= ids(store, old), (old, new)
