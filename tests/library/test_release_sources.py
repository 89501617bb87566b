"""Discogs API JSON, MusicBrainz JSON and Discogs collection CSV: real files from the shared
corpus, our own files for what the corpus lacks (vinyl media, headings), and broken input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import RELEASES, require_corpus
from hypothesis import given, settings
from hypothesis import strategies as st

from library.errors import ReleaseFormatError
from library.releases.detect import read_releases
from library.releases.fields import clean_artist, label_matches, parse_format
from library.releases.model import Release


def one(path: Path, forced: str | None = None) -> Release:
    (release,) = read_releases(path.name, path.read_bytes(), forced)
    return release


def discogs(name: str) -> Path:
    return require_corpus("releases", "discogs_client", "releases") / name


# -- Discogs ------------------------------------------------------------------------------


def test_discogs_release_1_names_formats_tracks() -> None:
    release = one(discogs("1.json"))
    assert (release.source, release.source_id) == ("discogs", "1")
    assert release.artists == ["The Persuader"]  # "Persuader, The"
    assert release.title == "Stockholm"
    assert release.label_line == "Svek – SK032"
    assert [(f.name, f.quantity, f.descriptions) for f in release.formats] == [
        ("Vinyl", 2, ['12"'])
    ]
    assert (release.year, release.released, release.country) == (1999, "1999-03-00", "Sweden")
    assert (release.genres, release.styles) == (["Electronic"], ["Deep House"])
    assert [(t.position, t.title, t.duration) for t in release.tracklist] == [
        ("A", "Östermalm", 285),
        ("B1", "Vasastaden", 371),
        ("B2", "Kungsholmen", 169),
        ("C1", "Södermalm", 338),
        ("C2", "Norrmalm", 292),
        ("D", "Gamla Stan", 316),
    ]
    assert [(c.role, c.name) for c in release.companies] == [("Recorded At", "The Globe Studios")]
    assert release.notes == (
        "Recorded at the Globe studio in Stockholm. \r\n"
        "The titles are the names of Stockholm's districts.\r\n"
    )
    assert release.url == "https://www.discogs.com/release/1"


def test_discogs_identifiers_and_two_catalog_numbers() -> None:
    release = one(discogs("2.json"))
    assert release.artists == ["Mr. James Barth & A.D."]
    assert release.label_line == "Svek – SK 026, Svek – SK026"
    assert release.formats[0].descriptions == ['12"', "33 ⅓ RPM"]
    assert [(i.type, i.description, i.value) for i in release.identifiers] == [
        ("Matrix / Runout", "Side A Runout Etching", "MPO SK026-A -J.T.S.-"),
        ("Matrix / Runout", "Side B Runout Etching", "MPO SK026-B -J.T.S.-"),
    ]


def test_discogs_compilation_track_artists_lose_their_suffixes() -> None:
    release = one(discogs("3.json"))
    by_position = {t.position: t for t in release.tracklist}
    assert by_position["1"].artists == ["Heiko Laux", "Johannes Heil"]
    assert by_position["4"].artists == ["The Persuader"]
    assert by_position["5"].artists == ["Care Company"]
    assert [(c.role, c.name) for c in release.companies] == [
        ("Manufactured By", "Columbia Records"),
        ("Distributed By", "Columbia Records"),
    ]
    assert release.identifiers[0].value == "074646362822"


def test_discogs_file_release_with_format_text_and_joined_artists() -> None:
    release = one(discogs("3329867.json"))
    assert release.artists == ["Trash80", "Dma-Sc"]
    assert release.artist_line == "Trash80 & Dma-Sc"
    assert [(f.name, f.quantity, f.text) for f in release.formats] == [("File", 6, "320 kbps")]
    assert release.label_line == "Not On Label – none"
    assert release.notes is None and release.identifiers == []


def test_discogs_headings_index_tracks_and_exact_values() -> None:
    release = one(RELEASES / "discogs-headings.json")
    assert release.artists == ["The Mills", "Élodie Brun"]
    assert release.artist_line == "The Mills & Élodie Brun"
    assert release.label_line == "Axis – AX 0̶2̶1"
    assert release.identifiers[0].value == "AX-021\u0336-A"
    assert [(t.position, t.title, t.duration, t.artists) for t in release.tracklist] == [
        ("A1", "Première", 307, []),
        ("A2.a", "Suite I", 120, []),
        ("A2.b", "Suite II", None, []),
        ("B1", "Zweite", 3723, ["Care Company"]),
    ]
    assert release.formats[0].text == "Clear"
    assert release.url == "https://www.discogs.com/release/4242001-Archive-Sessions"


# -- MusicBrainz --------------------------------------------------------------------------


def test_musicbrainz_official_release_from_beets() -> None:
    release = one(require_corpus("releases", "beets") / "official_release.json")
    assert (release.source, release.source_id) == (
        "musicbrainz", "a5ce1d11-2e32-45a4-b37f-c1589d46b103",
    )  # fmt: skip
    assert release.artists == ["幾田りら"] and release.title == "百花繚乱"
    assert release.label_line == "[no label] – Lilas-020"
    assert [(f.name, f.quantity) for f in release.formats] == [("Digital Media", 1)]
    assert [(t.position, t.title, t.duration) for t in release.tracklist] == [
        ("1", "百花繚乱", 179)  # 179239 ms
    ]
    assert (release.year, release.released, release.country) == (2025, "2025-01-10", "XW")
    assert [(i.type, i.value) for i in release.identifiers] == [
        ("Barcode", "199066336168"), ("ASIN", "B0DR8Y2YDC"),
    ]  # fmt: skip
    assert release.url == f"https://musicbrainz.org/release/{release.source_id}"


def test_musicbrainz_pseudo_release_keeps_the_credited_name() -> None:
    release = one(require_corpus("releases", "beets") / "pseudo_release.json")
    assert release.artists == ["Lilas Ikuta"]  # credited as, not the artist's own name
    assert release.labels == []
    assert release.year is None


def test_musicbrainz_vinyl_media_give_side_positions() -> None:
    release = one(RELEASES / "musicbrainz-vinyl.json")
    assert release.artist_line == "Hélène Voss & Jun Takeda"
    assert release.label_line == "Nordlicht Records – NLR-007"
    assert [(f.name, f.quantity) for f in release.formats] == [('12" Vinyl', 2), ("CD", 1)]
    assert [(t.position, t.title, t.duration, t.artists) for t in release.tracklist] == [
        ("A1", "Ebbe", 372, []),  # 372499 ms rounds down
        ("B1", "Salzwiese", 358, []),  # from the recording: 358500 ms rounds half to even
        ("C1", "Watt", 481, ["Jun Takeda"]),
        ("3-1", "Ebbe (Edit)", 240, []),
        ("3-2", "Watt (Edit)", 200, []),  # 199600 ms rounds up
    ]
    assert release.genres == ["ambient techno"]


# -- Discogs collection CSV ---------------------------------------------------------------


def test_collection_export_one_release_per_row() -> None:
    releases = read_releases("collection.csv", (RELEASES / "collection.csv").read_bytes())
    assert [(r.source, r.source_id) for r in releases] == [
        ("discogs", "28461"), ("discogs", "1"), ("discogs", "1234567"),
    ]  # fmt: skip
    mills, persuader, lund = releases
    assert (mills.artists, mills.title, mills.label_line) == (
        ["Jeff Mills"], "Metropolis", "Axis – AX-022",
    )  # fmt: skip
    assert [(f.name, f.descriptions) for f in mills.formats] == [('12"', ["Album"])]
    assert mills.collection is not None
    assert mills.collection.model_dump() == {
        "folder": "Techno",
        "rating": 5,
        "date_added": "2019-04-02 18:33:10",
        "media_condition": "Very Good Plus (VG+)",
        "sleeve_condition": "Good (G)",
        "notes": "Corner ding; plays through, a little surface noise on B2",
    }
    assert persuader.artists == ["The Persuader"] and persuader.formats[0].quantity == 2
    assert persuader.collection is not None and persuader.collection.rating is None
    assert (lund.artists, lund.year, lund.released) == (["Kasimir Lund"], 2017, "2017-03-12")
    assert lund.label_line == "Lowtide – LT 019, LT-019"
    assert lund.collection is not None and lund.collection.notes == '=SUM(A1:A2) "quoted"'
    # The tracklist is not in the export: it is not a field of these entries.
    assert "tracklist" not in mills.model_fields_set


def test_a_collection_row_without_a_release_id_fails_the_file() -> None:
    text = (RELEASES / "collection.csv").read_text(encoding="utf-8")
    broken = text.replace(",28461,", ",,")
    with pytest.raises(ReleaseFormatError, match=r"^mine\.csv: line 2: release_id '' is not"):
        read_releases("mine.csv", broken.encode())


def test_forced_csv_without_the_columns() -> None:
    with pytest.raises(ReleaseFormatError, match="no release_id, Artist, Title column"):
        read_releases("x.csv", b"a,b\n1,2\n", "discogs-csv")


# -- bad input ----------------------------------------------------------------------------


def test_truncated_json_names_the_file(tmp_path: Path) -> None:
    data = discogs("1.json").read_bytes()
    with pytest.raises(ReleaseFormatError, match=r"^1\.json: truncated JSON"):
        read_releases("1.json", data[: len(data) // 2])


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty file"),
        (b"\n \n", "empty file"),
        (b"\xff\xfe\x00J", "not UTF-8 text (byte 0xff at offset 0)"),
        (b'{"id": 1, "title": "x", "labels": [] ,}', "invalid JSON at line 1"),
        (b'{"id": NaN, "title": "x", "labels": []}', "NaN is not a JSON number"),
        (b'{"id": 1, "title": "\\ud800", "labels": []}', "lone surrogate"),
        (b"[1, 2]", "JSON of another kind"),
        (b'"Jeff Mills"', "not a release page"),  # no object or list: read as text
        (b'{"id": 1, "title": "x", "lab', "truncated JSON"),
        (b"[" * 100_000, "nested too deeply"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_bad_input(data: bytes, problem: str) -> None:
    with pytest.raises(ReleaseFormatError, match=r"^in\.json: ") as caught:
        read_releases("in.json", data)
    assert problem in str(caught.value)


@pytest.mark.parametrize(
    "path",
    [
        "artists/1.json", "labels/1.json", "masters/4242.json", "lists/1.json",
        "database/search_q=trash80&per_page=50&page=1.json",
        "masters/4242/versions_per_page=50&page=1.json",
    ],
)  # fmt: skip
def test_corpus_json_of_another_kind(path: str) -> None:
    file = require_corpus("releases", "discogs_client") / path
    with pytest.raises(ReleaseFormatError, match="JSON of another kind"):
        read_releases(file.name, file.read_bytes())


def test_a_forced_format_that_does_not_fit() -> None:
    data = discogs("1.json").read_bytes()
    with pytest.raises(ReleaseFormatError, match="not a MusicBrainz release"):
        read_releases("1.json", data, "musicbrainz")
    assert read_releases("1.json", data, "discogs")[0].source == "discogs"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["id", "title", "labels", "formats", "tracklist", "artists", "name", "qty",
             "media", "tracks", "artist-credit", "label_info", "length", "number", "type_",
             "sub_tracks", "identifiers", "companies", "catno", "year", "date", "position"]
        ) | st.text(max_size=5),
        children,
        max_size=6,
    ),
    max_leaves=30,
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(_JSON, st.sampled_from([None, "discogs", "musicbrainz"]))
def test_arbitrary_json_raises_only_our_error(value: Any, forced: str | None) -> None:
    for shape in (value, {"id": 1, "title": "t", "labels": value, "tracklist": value}):
        data = json.dumps(shape).encode()
        try:
            read_releases("fuzz.json", data, forced)
        except ReleaseFormatError as error:  # named, and one line (keys may hold line breaks)
            assert str(error).startswith("fuzz.json: ") and "\n" not in str(error), str(error)


# -- small values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Care Company (2)", "Care Company"),
        ("Persuader, The", "The Persuader"),
        ("Jeff Mills*", "Jeff Mills"),
        ("Foo (2) & Bar (13)", "Foo & Bar"),
        ("Orbital (2)ish", "Orbital (2)ish"),
        ("Earth, Wind & Fire", "Earth, Wind & Fire"),
    ],
)
def test_clean_artist(written: str, read: str) -> None:
    assert clean_artist(written) == read


def test_format_lines() -> None:
    assert parse_format('2 × Vinyl, LP + CD, Album, "Signed"') == [
        {"name": "Vinyl", "quantity": 2, "descriptions": ["LP"], "text": None},
        {"name": "CD", "quantity": 1, "descriptions": ["Album"], "text": "Signed"},
    ]


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Axis Records", "Axis", True),
        ("AXIS", "axis recordings ltd.", True),
        ("Axis-Adjacent", "Axis", False),
        ("Tresor", "Axis", False),
        ("", "Axis", False),
        (None, None, False),
    ],
)
def test_label_matches(one: str | None, other: str | None, same: bool) -> None:
    assert label_matches(one, other) is same
