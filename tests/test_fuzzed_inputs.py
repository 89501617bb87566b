"""Hostile input to every reader of files a user hands setlist: only setlist's own errors
escape, and each names the file and what was wrong in one line.

Complements the property tests beside each reader (release page text and release JSON in
tests/library/test_release_page.py and test_release_sources.py, the query language in
test_query.py, the key parser in test_keys.py): these feed raw bytes and format-shaped text to
the Discogs collection CSV, M3U and Rekordbox readers, and to the notes document of
`setlist import-notes`, down to merging what parses into a real library. Example counts are
bounded and deadlines off, so the suite stays quick and never flaky on a loaded machine.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from factories import add_track
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from library.errors import ReleaseFormatError, SetlistError
from library.notes import store as notes_store
from library.notes.model import TrackNotes
from library.releases.detect import read_releases
from library.releases.model import Release
from library.releases.store import Link, ReleaseStore
from library.set_plays import record_play
from library.set_store import SetStore
from library.storage import Store
from library.transfer.document import parse_document
from library.transfer.export import collect
from library.transfer.merge import merge
from setlist.importers import ImportFormatError
from setlist.importers.m3u import parse_m3u
from setlist.importers.rekordbox import parse_rekordbox

QUICK = settings(max_examples=300, deadline=None)
SHARED = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def said_well(error: SetlistError, name: str) -> None:
    """The message names the file, says something after it, and is one line."""
    message = str(error)
    assert message.startswith(f"{name}: "), message
    assert message[len(name) + 2 :].strip(), message
    assert "\n" not in message, message


# -- Discogs collection CSV -----------------------------------------------------------------

_CSV_HEADER = "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id,CollectionFolder"
_CSV_CELLS = st.sampled_from(
    ["", "AX-022", "Jëff Mills", "Métropolis", "Axis", "28461", "r28461", "-1", "9" * 20,
     '"', '""', "a,b", "\n", "Vinyl, 12\"", "5", "x", "2000", "\x00", "=1+1", "Uncategorized"]
) | st.text(max_size=8)  # fmt: skip


@QUICK
@given(st.lists(st.lists(_CSV_CELLS, max_size=10), max_size=6), st.booleans())
def test_collection_csv_shaped_text(rows: list[list[str]], header: bool) -> None:
    lines = [_CSV_HEADER] if header else []
    lines += [",".join(row) for row in rows]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    try:
        read_releases("collection.csv", data)
    except ReleaseFormatError as error:
        said_well(error, "collection.csv")


@QUICK
@given(st.binary(max_size=200), st.sampled_from([None, "discogs", "musicbrainz", "csv", "page"]))
def test_release_files_of_any_bytes(data: bytes, forced: str | None) -> None:
    try:
        read_releases("anything", data, forced)
    except ReleaseFormatError as error:
        said_well(error, "anything")


# -- M3U ------------------------------------------------------------------------------------

_M3U_LINES = st.sampled_from(
    [b"#EXTM3U", b"#EXTINF:300,J\xc3\xabff Mills - Entr\xc3\xa9e", b"#EXTINF:-1,", b"#EXTINF:x",
     b"#PLAYLIST:Nacht", b"file:///m/a%20b.flac", b"file://host/share/x.mp3", b"C:\\Music\\a.mp3",
     b"../a.mp3", b"\xff\xfe", b"\xef\xbb\xbf", b"%ZZ", b"file:", b"", b"\x00", b"\\\\srv\\x"]
) | st.binary(max_size=12)  # fmt: skip


@QUICK
@given(st.lists(_M3U_LINES, max_size=12), st.sampled_from([b"\n", b"\r\n", b"\r"]))
def test_m3u_shaped_bytes(lines: list[bytes], end: bytes) -> None:
    try:
        playlist = parse_m3u(end.join(lines), b"/musique/caisse", "nacht.m3u8")
    except ImportFormatError as error:
        said_well(error, "nacht.m3u8")
        return
    for item in playlist.items:
        assert item.line >= 1


@QUICK
@given(st.binary(max_size=300))
def test_m3u_of_any_bytes(data: bytes) -> None:
    try:
        parse_m3u(data, None, "x.m3u")
    except ImportFormatError as error:
        said_well(error, "x.m3u")


# -- Rekordbox XML --------------------------------------------------------------------------

_ATTRIBUTE = st.sampled_from(
    ["TrackID", "Name", "Artist", "Location", "Rating", "Colour", "Comments", "Key", "Type",
     "KeyType", "Entries", "Start", "Num", "AverageBpm", "Tonality", "TotalTime"]
)  # fmt: skip
_VALUE = st.sampled_from(
    ["1", "0", "-1", "x", "", "255", "0xFF0000", "file://localhost/m/a%20b.flac",
     "file:///C:/a.mp3", "1.5", "1e400", "nan", "&amp;", "Jëff", "%",
     "file://localhost/%E9.mp3", "9" * 20]
) | st.text(max_size=6)  # fmt: skip
_ELEMENT = st.tuples(
    st.sampled_from(["TRACK", "POSITION_MARK", "NODE", "COLLECTION", "PLAYLISTS", "TEMPO", "x"]),
    st.dictionaries(_ATTRIBUTE, _VALUE, max_size=5),
)


def _xml(elements: list[tuple[str, dict[str, str]]], encoding: str = "UTF-8") -> bytes:
    from xml.sax.saxutils import quoteattr

    def tag(name: str, attributes: dict[str, str]) -> str:
        shown = " ".join(f"{key}={quoteattr(value)}" for key, value in attributes.items())
        return f"<{name} {shown}/>"

    collection = "".join(tag(*e) for e in elements[: len(elements) // 2])
    playlists = "".join(tag(*e) for e in elements[len(elements) // 2 :])
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?><DJ_PLAYLISTS Version="1.0.0">'
        f'<COLLECTION>{collection}</COLLECTION><PLAYLISTS><NODE Type="0" Name="ROOT">'
        f'<NODE Name="Nacht" Type="1" KeyType="0">{playlists}</NODE></NODE></PLAYLISTS>'
        "</DJ_PLAYLISTS>"
    )
    return text.encode("utf-8", "surrogatepass")


# Encodings an XML declaration may name: some Python lacks, some expat cannot use (found by
# a coverage-guided run of atheris seeded with the Rekordbox fixture).
_ENCODINGS = st.sampled_from(
    ["UTF-8", "utf-8", "latin-1", "cp1252", "UTF-4", "base64", "utf-32", "shift_jis", "punycode"]
)


@QUICK
@given(st.lists(_ELEMENT, max_size=10), _ENCODINGS)
def test_rekordbox_shaped_xml(elements: list[tuple[str, dict[str, str]]], encoding: str) -> None:
    try:
        parse_rekordbox(_xml(elements, encoding), "rekordbox.xml")
    except ImportFormatError as error:
        said_well(error, "rekordbox.xml")


@QUICK
@given(st.binary(max_size=200))
def test_rekordbox_of_any_bytes(data: bytes) -> None:
    try:
        parse_rekordbox(b"<?xml version='1.0'?><DJ_PLAYLISTS>" + data, "rb.xml")
    except ImportFormatError as error:
        said_well(error, "rb.xml")


# -- the notes document ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, Any]]]:
    """The notes document (as JSON values) of a library with notes, a release and a link, a
    set and a play; and another library of the same two tracks and nothing else, where a
    merge adds everything (so every value reaches the database; merges are rolled back)."""
    folder = tmp_path_factory.mktemp("notes-document")
    source, target = Store(folder / "source.db"), Store(folder / "target.db")
    for store in (source, target):
        first = add_track(store, path=b"/m/un.flac", audio_identity="flac:1:aa")
        second = add_track(store, path=b"/m/deux.flac", title="Nuit", audio_identity="")
    notes_store.save(source, first, TrackNotes(moods=["hanté"], energy=7, rating=3))
    SetStore(source).create("Nacht", track_ids=[first, second])
    releases = ReleaseStore(source)
    (saved,) = releases.save(
        [Release(source="discogs", source_id="28461", title="Métropolis", year=2000)]
    )
    releases.set_links([Link(first, saved.release.id or 0, "A1", 0.9, "catno+label")])
    record_play(source, "Nacht", dt.date(2026, 5, 30))
    document = json.loads(json.dumps(collect(source)))
    source.close()
    yield target, document
    target.close()


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=12,
)


def _places(value: Any, where: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON value, as the keys that lead there."""
    yield where
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*where, index))


def _get(document: Any, where: tuple[Any, ...]) -> Any:
    for key in where:
        document = document[key]
    return document


def _like(value: Any) -> st.SearchStrategy[Any]:
    """Values of the same JSON type as `value`: these get past the shape checks, deeper."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(-(2**64), 2**64) | st.integers(-3, 3)
    if isinstance(value, float):
        return st.floats()
    if isinstance(value, str):
        return st.text() | st.sampled_from(["", " ", "2026-02-30", "1:05", "Nacht", "NACHT"])
    return st.none() | st.text(max_size=4) | st.integers(-3, 3)


def _changed(document: dict[str, Any], change: str, data: st.DataObject) -> Any:
    """The document with one place changed: any JSON put there, a value of the same type
    (which gets past the shape checks, deeper), or the place taken out."""
    places = [where for where in _places(document) if where]
    if change == "same kind":
        places = [w for w in places if not isinstance(_get(document, w), dict | list)]
    where = data.draw(st.sampled_from(places), label="where")
    changed = copy.deepcopy(document)
    parent = _get(changed, where[:-1])
    if change == "taken out":
        del parent[where[-1]]
    elif change == "same kind":
        parent[where[-1]] = data.draw(_like(parent[where[-1]]), label="value")
    else:
        parent[where[-1]] = data.draw(_JSON, label="value")
    return changed


@pytest.mark.parametrize("change", ["any value", "same kind", "taken out"])
@SHARED
@given(data=st.data())
def test_a_notes_document_with_one_place_changed(
    library: tuple[Store, dict[str, Any]], change: str, data: st.DataObject
) -> None:
    """Read and merged (rolled back): a TransferError naming the document, or success."""
    store, document = library
    try:
        merge(
            store,
            parse_document("notes.json", json.dumps(_changed(document, change, data)).encode()),
            "notes.json",
            dry_run=True,
        )
    except SetlistError as error:
        event("refused: " + str(error).split(": ")[1])  # --hypothesis-show-statistics
        said_well(error, "notes.json")
    else:
        event("merged")


@QUICK
@given(st.binary(max_size=120))
def test_a_notes_document_of_any_bytes(data: bytes) -> None:
    try:
        parse_document("notes.json", b'{"format": "setlist-notes", "version": 1' + data)
    except SetlistError as error:
        said_well(error, "notes.json")


def test_the_unchanged_document_merges(library: tuple[Store, dict[str, Any]]) -> None:
    """The control for the tests above: the document as exported adds everything."""
    store, document = library
    report = merge(store, parse_document("n", json.dumps(document).encode()), "n", dry_run=True)
    assert report.by_identity == report.by_path == 1
    for tally in report.tallies().values():
        assert tally.added == 1 and tally.updated == tally.unchanged == tally.kept == 0


def test_deeply_nested_json_is_refused_in_words() -> None:
    data = b'{"format": "setlist-notes", "version": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(SetlistError, match=r"^notes\.json: not JSON"):
        parse_document("notes.json", data + b"}")
