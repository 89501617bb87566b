"""Tests for the CSV, JSON and Markdown exports on hostile tags and notes.

CSV is read back with the csv module, JSON with json, and Markdown is rendered by a real
CommonMark renderer with GitHub's tables (markdown-it-py): every value must come back as the
text it was, and no value may add a row, a cell, a link or an HTML element.
"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from export_builder import export_context, hostile_tracks
from hypothesis import given
from hypothesis import strategies as st

from library.storage import Store
from setlist.exporters import ExportContext, exporter
from setlist.exporters.csv_table import COLUMNS, FORMULA_STARTS, neutralised
from setlist.exporters.entry_text import one_line
from setlist.exporters.markdown import escaped
from setlist.locations import parse_file_url

TRANSITION = {"key": "8A → 8A", "bpm_change": -1.6, "verdict": "smooth"}


def exported(fmt: str, context: ExportContext) -> str:
    stream = io.StringIO()
    exporter(fmt)(context, stream)
    return stream.getvalue()


@pytest.fixture
def hostile(store: Store, tmp_path: Path) -> ExportContext:
    ids = hostile_tracks(store, tmp_path)
    return export_context(
        store,
        ids,
        transition_notes=["", "long blend =A1", "cut\non the one"],
        transitions=[None, TRANSITION, {"verdict": "jump"}],
        analysis={"total_seconds": 3926.0, "warnings": ["<b>set longer than its target</b>"]},
    )


# -- CSV --------------------------------------------------------------------------------------


def test_csv_rows(hostile: ExportContext) -> None:
    text = exported("csv", hostile)
    assert text.startswith(",".join(COLUMNS) + "\r\n")
    assert "\x00" not in text and "\x1b" not in text and "\u202e" not in text
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    assert header == list(COLUMNS)
    cells = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    assert [cell["position"] for cell in cells] == ["1", "2", "3"]
    first, second, third = cells
    assert first["title"] == "Entrée à Métropolis"
    assert first["moods"] == "hanté; late night"
    assert first["notes"] == "Builds from the bells.\nLet it breathe."
    assert first["cues"] == "1:05 the bells"
    assert (first["camelot"], first["bpm"], first["rating"], first["colour"]) == (
        "8A", "128", "4", "pink",
    )  # fmt: skip
    assert second["label"] == '\'=HYPERLINK("http://evil.example","click")'
    assert second["catalog_number"] == "'@SUM(A1)"
    assert second["genre"] == "'+cmd|' /C calc'!A0"
    assert second["closing_note"] == "'-1+1"
    assert second["title"] == "Tool #EXTINF:1,pwned /etc/passwd"
    assert second["notes"] == (
        "<script>alert(1)</script> | `code` *bold* [link](http://evil.example)\nline two end"
    )
    assert second["start"] == "03:05"
    assert json.loads(second["transition"]) == TRANSITION
    assert third["artist"] == "'-2+3"
    assert third["title"] == "evil Night"
    assert third["transition_note"] == "cut\non the one"
    assert third["path"].endswith("03 caf\ufffd \ufffd.flac")
    for cell in (value for row in cells for value in row.values()):
        assert not cell.startswith(FORMULA_STARTS), cell


@given(st.text())
def test_csv_cells_never_start_a_formula(text: str) -> None:
    cell = neutralised(one_line(text))
    stream = io.StringIO()
    csv.writer(stream, lineterminator="\r\n").writerow([cell, "x"])
    [read] = list(csv.reader(io.StringIO(stream.getvalue(), newline="")))
    assert read == [cell, "x"]
    assert not read[0].startswith(FORMULA_STARTS)
    assert read[0] in (one_line(text), "'" + one_line(text))


# -- JSON -------------------------------------------------------------------------------------


def test_json_document(hostile: ExportContext) -> None:
    text = exported("json", hostile)
    assert "\u202e" not in text  # escaped as \u202e, like other invisible controls
    document = json.loads(text)
    assert document["format"] == "setlist-set" and document["version"] == 1
    assert document["set"]["name"] == "Vendredi [live] = Melkweg\n#EXTM3U"
    assert document["set"]["date"] == "2026-11-27" and "entries" not in document["set"]
    assert document["analysis"]["warnings"] == ["<b>set longer than its target</b>"]
    entries = document["entries"]
    assert [e["track"]["id"] for e in entries] == [e.track.id for e in hostile.entries]
    assert [e["start_clock"] for e in entries] == ["00:00", "03:05", "1:01:25"]
    first, second, third = entries
    assert first["notes"]["moods"] == ["hanté", "late night"]
    assert first["notes"]["cues"] == [{"at": 65.0, "text": "the bells"}]
    assert first["transition"] is None
    assert second["track"]["title"] == "Tool\n#EXTINF:1,pwned\n/etc/passwd"  # as written
    assert second["notes"]["text"].endswith("line two\x00 end")
    assert second["transition"] == TRANSITION
    assert second["transition_note"] == "long blend =A1"
    assert third["track"]["title"] == "\u202eevil\u202c Ni\x00ght"
    for entry, source in zip(entries, hostile.entries, strict=True):
        assert parse_file_url(entry["location"]).path == source.file_path()


# -- Markdown ---------------------------------------------------------------------------------


class Rendered(HTMLParser):
    """The elements of rendered HTML, and the text of each table cell."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.rows: list[list[str]] = []
        self.in_cell = False
        self.text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self.rows[-1].append("")
            self.in_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.in_cell = False

    def handle_data(self, data: str) -> None:
        self.text += data.strip("\n")
        if self.in_cell:
            self.rows[-1][-1] += data


def render(markdown: str) -> Rendered:
    from markdown_it import MarkdownIt

    return Rendered(MarkdownIt("commonmark").enable("table").render(markdown))


def test_markdown_table_holds(hostile: ExportContext) -> None:
    text = exported("md", hostile)
    page = render(text)
    assert not {"a", "img", "script", "xml", "b", "em", "strong", "code"} & set(page.tags)
    header, *rows = page.rows
    assert header == ["#", "Start", "Track", "Release", "BPM", "Key", "Energy", "Moods"]
    assert len(rows) == 3 and all(len(row) == 8 for row in rows)
    assert rows[0] == [
        "1", "00:00", "Jëff Mills – Entrée à Métropolis", "Axis Récords AX-022", "128", "8A",
        "7", "hanté, late night",
    ]  # fmt: skip
    assert rows[1][2] == ("[bold red]Signal[/] [31mThéory[0m – Tool #EXTINF:1,pwned /etc/passwd")
    assert rows[1][3] == '=HYPERLINK("http://evil.example","click") @SUM(A1)'
    assert rows[2][2:4] == ["-2+3 – evil Night", ""]


def test_markdown_notes_show_as_written(hostile: ExportContext) -> None:
    text = exported("md", hostile)
    assert text.splitlines()[0] == "# Vendredi \\[live\\] = Melkweg #EXTM3U"
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(text)
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; | `code` *bold* [link](http://evil.example)" in html
    )
    assert "line two end" in html
    assert (
        "<h3>2. [bold red]Signal[/] [31mThéory[0m – Tool #EXTINF:1,pwned /etc/passwd</h3>" in html
    )
    assert "<li>Into it: long blend =A1</li>" in html
    assert "<li>Closing note: -1+1</li>" in html
    assert "Builds from the bells.<br />\nLet it breathe." in html
    assert "<li>Cue 1:05: the bells</li>" in html
    assert "De Mélkweg &lt;Oude Zaal&gt; · 2026-11-27<br />" in html


@given(st.text())
def test_markdown_escaping_shows_the_text(text: str) -> None:

    page = render(f"| a |\n| --- |\n| {escaped(text)} |\n")
    assert page.rows[1:] in ([[one_line(text)]], [[one_line(text).strip()]])
    assert set(page.tags) <= {"table", "thead", "tbody", "tr", "th", "td"}


@given(st.text())
def test_markdown_escaping_keeps_a_paragraph(text: str) -> None:
    from markdown_it import MarkdownIt

    page = Rendered(MarkdownIt("commonmark").enable("table").render(escaped(text)))
    assert page.tags in ([], ["p"])
    assert page.text == one_line(text)
