"""Release-page text: the seed page field by field, our own pages, hostile text, and the
promise that arbitrary text raises nothing but `ReleaseFormatError`."""

from __future__ import annotations

import contextlib
import datetime
import re

import pytest
from conftest import RELEASES, require_seed
from hypothesis import given, settings
from hypothesis import strategies as st

from library.errors import ReleaseFormatError
from library.releases.detect import read_releases
from library.releases.model import Release
from library.releases.page_text import parse_page

SEED = "metropolis-release-page.txt"
STROKE = "\u0336"


def page(name: str) -> Release:
    (release,) = read_releases(name, (RELEASES / name).read_bytes())
    return release


def _seed_reviews(text: str) -> list[tuple[datetime.date, str]]:
    """The reviews as the seed itself lays them out: a date line, then text to the next one."""
    lines = text.split("\n")
    starts = []
    for index, line in enumerate(lines):
        try:
            starts.append((index, datetime.datetime.strptime(line, "%B %d, %Y").date()))
        except ValueError:
            continue
    reviews = []
    for (index, day), end in zip(starts, [s for s, _ in starts[1:]] + [len(lines)], strict=True):
        reviews.append((day, "\n".join(lines[index + 1 : end]).strip("\n")))
    return reviews


def test_the_seed_page_every_field() -> None:
    raw = require_seed(SEED).read_bytes()
    (release,) = read_releases(SEED, raw)
    text = raw.decode("utf-8")
    assert release.source == "discogs-page"
    assert release.source_id is None
    assert release.artists == ["Jeff Mills"]
    assert release.artist_credit == "Jeff Mills"
    assert release.title == "Metropolis"
    assert [(label.name, label.catalog_number) for label in release.labels] == [("Axis", "AX-022")]
    (fmt,) = release.formats
    assert (fmt.name, fmt.quantity, fmt.descriptions, fmt.text) == (
        "Vinyl", 1, ['12"', "33 ⅓ RPM"], None,
    )  # fmt: skip
    assert release.notes == "Inspired by Fritz Lang's Metropolis (1926)."
    assert release.companies == []
    assert release.tracklist == []
    side_a, side_b = release.identifiers
    assert (side_a.type, side_a.description) == ("Matrix / Runout", "Runout side A")
    assert (side_b.type, side_b.description) == ("Matrix / Runout", "Runout side B")
    # Character for character: the U+0336 strokes stay where the page put them.
    assert list(side_a.value) == list("AX-021" + STROKE + "-A 022 MMM.J.R.")
    assert list(side_b.value) == list(
        "AX-0" + STROKE + "2" + STROKE + "1" + STROKE + "-B 022 MMM.J.R."
    )
    assert side_a.value in text and side_b.value in text
    assert release.review_count == 6
    expected = _seed_reviews(text)
    assert len(expected) == 6
    assert [(r.date, r.text) for r in release.reviews] == expected
    assert release.reviews[0].date == datetime.date(2018, 6, 10)
    assert [r.date.isoformat() for r in release.reviews][-1] == "2002-04-08"
    # Several paragraphs stay one review, with their blank lines.
    assert release.reviews[1].text.count("\n\n") == 2
    assert release.year is None and release.country is None and release.url is None


def test_a_full_page_of_our_own() -> None:
    release = page("page-full.txt")
    assert release.artist_line == "Hélène Voss"
    assert release.title == "Tidal Archive"
    assert release.label_line == "Nordlicht Records – NLR-007"
    (fmt,) = release.formats
    assert (fmt.name, fmt.quantity, fmt.descriptions) == (
        "Vinyl", 2, ['12"', "33 ⅓ RPM", "Album"],
    )  # fmt: skip
    assert [(t.position, t.title, t.duration) for t in release.tracklist] == [
        ("A1", "Ebbe", 372),
        ("A2", "Flut (Rückkehr)", 425),
        ("B1", "Salzwiese", 358),
        ("B2", "Priel", 280),
        ("C1", "Watt", 481),
        ("D1", "Leuchtfeuer", 393),
    ]
    assert [(c.role, c.name) for c in release.companies] == [
        ("Pressed By", "Optimal Media GmbH"),
        ("Lacquer Cut At", "Dubplates & Mastering"),
        ("Phonographic Copyright (p)", "Nordlicht Records"),
    ]
    assert release.notes == (
        "Recorded on the island of Föhr in the winter of 2019.\n\n"
        "Track C1 is a longer version than on the digital release."
    )
    assert [(i.type, i.description, i.value) for i in release.identifiers] == [
        ("Barcode", None, "4 260123 456789"),
        ("Matrix / Runout", "Side A, etched", "NLR-007-A" + STROKE + " ☼ D&M"),
        ("Matrix / Runout", "Side B", "NLR-007-B"),
        ("Rights Society", None, "GEMA"),
    ]
    assert release.review_count == 3
    assert [(r.date.isoformat(), r.text) for r in release.reviews] == [
        (
            "2021-09-02",
            "Low tide music: the kick stays under the water for most of Ebbe.\n\n"
            "Playing B2 at the end of the night emptied the room in the best way.",
        ),
        ("2020-01-30", "A test pressing reached me in the post; the final cut is warmer."),
        ("2020-01-30", "Second review the same day, one line only."),
    ]


def test_a_page_with_only_header_lines() -> None:
    release = page("page-minimal.txt")
    assert release.label_line == "White Label – none"
    assert release.formats[0].descriptions == ['12"', "Single Sided", "White Label"]
    # Sections the page does not have are not fields of it (a re-import keeps them).
    assert release.model_fields_set == {
        "source", "artist_credit", "title", "artists", "labels", "formats",
    }  # fmt: skip


def test_the_keyed_layout_and_cells_on_their_own_lines() -> None:
    release = page("page-keyed.txt")
    assert release.artists == ["Kasimir Lund"]  # the name-variation star is Discogs' mark
    assert release.artist_credit == "Kasimir Lund*"
    assert release.title == "Late Hours (EP)"
    assert release.label_line == "Lowtide – LT 019, LT-019"
    (fmt,) = release.formats
    assert (fmt.descriptions, fmt.text) == (['12"', "EP"], "Marbled Blue")
    assert (release.country, release.released, release.year) == ("Sweden", "12 Mar 2017", 2017)
    assert (release.genres, release.styles) == (["Electronic"], ["Ambient", "Techno"])
    assert [(t.position, t.title, t.duration) for t in release.tracklist] == [
        ("A1", "Afterglow", 496),
        ("A2", "Dim Lamps", 400),
        ("B1", "Night Bus (Dub)", 450),
    ]
    assert release.notes == "Mastered at half speed.\nEdition of 300."


def test_hostile_text_is_kept_as_written() -> None:
    raw = (RELEASES / "page-hostile.txt").read_text(encoding="utf-8")
    release = page("page-hostile.txt")
    assert release.title == "[bold]Warehouse[/] Tools <script>"
    assert release.labels[0].catalog_number == "[BR-001]"
    assert [(t.artists, t.title) for t in release.tracklist] == [
        (["Signal Theory"], "Tool [Extended Mix] [/] <b>"),
        ([], '=HYPERLINK("http://evil.example")'),
        (["\x1b[31mRed\x1b[0m"], "[@click=app.quit]Quit"),
    ]
    assert release.companies[0].name == "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\"
    assert release.notes is not None and "\x07" in release.notes and "<xml" in release.notes
    assert release.identifiers[0].value == "\u202eBR-001-A"
    assert [r.text for r in release.reviews] == [
        "[@click=app.quit]Click me[/]\n\x1b[2Jcleared?\x9b31m",
        "=1+1",
    ]
    for review in release.reviews:
        assert review.text in raw


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("   \n\n\t\n", "empty"),
        ("Dear DJ,\nthanks for the set last night.\n", "line 1 is not 'Artist – Title'"),
        ("Jeff Mills – Metropolis\n\nTracklist\nA1 Entrance 5:32\n", "no 'Label – Catalog"),
        ("Jeff Mills – Metropolis\n", "no 'Label – Catalog number' line"),
        ("Tracklist – A1\nAxis – AX-022\n", None),  # a dash in line 1 is enough
        ("Reviews\nAxis – AX-022\n", "line 1 is not"),
        ("id,title\n1,Metropolis\n", "line 1 is not 'Artist – Title'"),
    ],
)
def test_text_that_is_no_release_page(text: str, problem: str | None) -> None:
    if problem is None:
        assert read_releases("x.txt", text.encode())[0].title == "A1"
        return
    with pytest.raises(ReleaseFormatError, match=re.escape(problem)) as caught:
        read_releases("notes.txt", text.encode())
    assert str(caught.value).startswith("notes.txt: ")
    assert "\n" not in str(caught.value)


def test_line_endings_and_a_byte_order_mark() -> None:
    text = (
        "\ufeffJeff Mills – Metropolis\r\nAxis – AX-022\r\n\r\nReviews\r\nMay 1, 2024\r\na\r\n\r\nb"
    )
    (release,) = read_releases("crlf.txt", text.encode())
    assert release.artists == ["Jeff Mills"]
    assert release.reviews[0].text == "a\n\nb"
    assert release.review_count is None


def test_an_impossible_date_is_review_text() -> None:
    text = "A – T\nL – C\nReviews\nMay 1, 2024\nFebruary 30, 2024\nstill the first review"
    fields = parse_page(text)
    assert [r["text"] for r in fields["reviews"]] == ["February 30, 2024\nstill the first review"]


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_arbitrary_text_raises_only_our_error(text: str) -> None:
    with contextlib.suppress(ReleaseFormatError):
        Release.model_validate(parse_page(text))


_LINES = st.sampled_from(
    [
        "Jeff Mills – Metropolis", "Axis – AX-022", 'Vinyl, 12", 33 ⅓ RPM', "Tracklist",
        "Companies, etc.", "Notes", "Barcode and Other Identifiers", "Reviews Show All 6 Reviews",
        "Add Review", "June 10, 2018", "A1 Entrance 5:32", "5:32", "A1", "  • Type (D): V",
        "  • Pressed By – X", "Label: Axis – AX-022", "Released: 0000", "", "Other Versions",
        "2 x Vinyl, 12\"", "Format: ,,,", "  • : ", " – ", "x × ", "Reviews (0)",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=12)), max_size=30))
def test_page_shaped_text_raises_only_our_error(lines: list[str]) -> None:
    with contextlib.suppress(ReleaseFormatError):
        read_releases("fuzz.txt", "\n".join(lines).encode("utf-8", "surrogatepass"))
