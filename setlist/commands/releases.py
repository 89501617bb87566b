"""`setlist releases ...`: import, list, show, create and edit release entries."""

from __future__ import annotations

import shutil
import sys
from typing import TYPE_CHECKING, Any

import click

from library.errors import SetlistError
from setlist.cli_state import CliState, pass_state
from setlist.terminal import cell_width, dumps_json, fit, printable

if TYPE_CHECKING:
    from library.releases.model import Release
    from library.releases.store import ReleaseStore

IMPORT_FORMATS = ("discogs-page", "discogs", "musicbrainz", "discogs-csv")


def _read(name: str) -> tuple[str, bytes]:
    """A file's bytes (or stdin's for "-"), with the name messages give it."""
    if name == "-":
        return "<stdin>", sys.stdin.buffer.read()
    from library.releases.detect import read_file

    return name, read_file(name)


def _releases(state: CliState) -> ReleaseStore:
    from library.releases.store import ReleaseStore

    return ReleaseStore(state.store())


def _summary(release: Release) -> str:
    name = f"{printable(release.artist_line) or '?'} – {printable(release.title)}"
    label = printable(release.label_line)
    return f"{name}  ({label})" if label else name


@click.group("releases")
def releases_command() -> None:
    """Release entries: label, catalog number, format, matrix, tracklist, reviews."""


@releases_command.command("import")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format",
    "forced",
    type=click.Choice(IMPORT_FORMATS),
    default=None,
    help="Read every file as this source instead of detecting it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the stored releases as JSON.")
@pass_state
def import_command(
    state: CliState, files: tuple[str, ...], forced: str | None, as_json: bool
) -> None:
    """Import release pages (text), Discogs or MusicBrainz release JSON, or a Discogs
    collection CSV. FILE may be "-" to read standard input (paste a page, end with Ctrl-D).

    Every file is read before anything is stored: one bad file stores nothing. A release
    imported again is updated, not copied.
    """
    from library.releases.detect import read_releases

    found: list[Release] = []
    for name in files:
        label, data = _read(name)
        found += read_releases(label, data, forced)
    saved = _releases(state).save(found)
    if as_json:
        click.echo(dumps_json([item.release.model_dump(mode="json") for item in saved]))
        return
    added = sum(item.added for item in saved)
    click.echo(f"Imported {len(saved)} releases: {added} added, {len(saved) - added} updated")
    for item in saved:
        verb = "added  " if item.added else "updated"
        click.echo(f"  {verb} {item.release.id:>4}  {_summary(item.release)}")


@releases_command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the releases as a JSON list.")
@pass_state
def list_command(state: CliState, as_json: bool) -> None:
    """List release entries with how many library tracks are linked to each."""
    releases = _releases(state)
    everything = releases.all()
    if as_json:
        click.echo(dumps_json([release.model_dump(mode="json") for release in everything]))
        return
    if not everything:
        click.echo("No releases yet: setlist releases import FILE", err=True)
        return
    linked = releases.linked_counts()
    header = ("ID", "ARTIST – TITLE", "LABEL", "YEAR", "SOURCE", "FILES")
    rows = [
        (
            str(release.id),
            f"{printable(release.artist_line) or '?'} – {printable(release.title)}",
            printable(release.label_line),
            str(release.year or ""),
            release.source,
            str(linked.get(release.id or 0, 0)),
        )
        for release in everything
    ]
    widths = [max(cell_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    spare = shutil.get_terminal_size((120, 24)).columns - sum(widths[i] for i in (0, 3, 4, 5))
    widths[1] = min(widths[1], max(16, (spare - 10) * 3 // 5))
    widths[2] = min(widths[2], max(8, spare - 10 - widths[1]))
    for row in [header, *rows]:
        cells = [fit(cell, widths[i]) for i, cell in enumerate(row)]
        click.echo("  ".join(cells).rstrip())


@releases_command.command("show")
@click.argument("release_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the release and its links as JSON.")
@pass_state
def show_command(state: CliState, release_id: int, as_json: bool) -> None:
    """Show a release as a page, with the local files linked to its tracklist."""
    from setlist.release_page import render_release

    releases = _releases(state)
    release = releases.get(release_id)
    links = releases.links(release_id)
    ids = [link.track_id for link in links]
    marks = ", ".join("?" * len(ids))
    tracks = {t.id: t for t in state.store().tracks(f"id IN ({marks})", ids)} if ids else {}
    if as_json:
        data: dict[str, Any] = release.model_dump(mode="json")
        data["links"] = [
            {
                "track_id": link.track_id,
                "position": link.position,
                "confidence": link.confidence,
                "method": link.method,
                "manual": link.manual,
                "path": tracks[link.track_id].path,
            }
            for link in links
        ]
        click.echo(dumps_json(data))
        return
    width = shutil.get_terminal_size((100, 24)).columns
    for line in render_release(release, links, tracks, width):
        click.echo(line)


def _entry_options(command: Any) -> Any:
    """The options `new` and `edit` share: each sets one field of the entry."""
    options = [
        click.option("--artist", "artists", multiple=True, help="An artist (repeat for several)."),
        click.option("--title", default=None, help="The release title."),
        click.option("--label", default=None, help="The label."),
        click.option("--catno", default=None, help="The catalog number on that label."),
        click.option("--format", "format_text", default=None,
                     help='A format line: \'2 x Vinyl, 12", 33 ⅓ RPM, Album\'.'),
        click.option("--year", type=click.IntRange(1, 9999), default=None, help="The year."),
        click.option("--released", default=None, help="The release date as written."),
        click.option("--country", default=None, help="The country of release."),
        click.option("--genre", "genres", multiple=True, help="A genre (repeat for several)."),
        click.option("--style", "styles", multiple=True, help="A style (repeat for several)."),
        click.option("--notes", default=None, help="Notes (use $'...\\n...' for lines)."),
        click.option("--url", default=None, help="Where the release is described."),
        click.option("--track", "tracks", multiple=True,
                     help="A tracklist line: 'A1 Title 5:32' (repeat, in order)."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def _changes(release: Release | None, given: dict[str, Any]) -> dict[str, Any]:
    """The fields the options set; "" clears a text field."""
    from library.releases.fields import clean_artist, parse_format, parse_track_line

    changes: dict[str, Any] = {}
    for name in ("title", "released", "country", "notes", "url", "year"):
        if given[name] is not None:
            changes[name] = given[name] if given[name] != "" else None
    if given["artists"]:
        changes["artists"] = [clean_artist(a) for a in given["artists"]]
        changes["artist_credit"] = " & ".join(given["artists"])
    for name in ("genres", "styles"):
        if given[name]:
            changes[name] = list(given[name])
    if given["label"] is not None or given["catno"] is not None:
        labels = [label.model_dump() for label in release.labels] if release else []
        first = labels[0] if labels else {"name": "", "catalog_number": None}
        if given["label"] is not None:
            first["name"] = given["label"]
        if given["catno"] is not None:
            first["catalog_number"] = given["catno"] or None
        changes["labels"] = [first, *labels[1:]] if first["name"] else labels[1:]
    if given["format_text"] is not None:
        changes["formats"] = parse_format(given["format_text"])
    if given["tracks"]:
        parsed = [parse_track_line(line) for line in given["tracks"]]
        changes["tracklist"] = [
            {"position": position, "title": title or line, "duration": duration}
            for (position, title, duration), line in zip(parsed, given["tracks"], strict=True)
        ]
    if "title" in changes and not changes["title"]:
        raise SetlistError("--title: a release needs a title")
    return changes


@releases_command.command("new")
@_entry_options
@pass_state
def new_command(state: CliState, /, **given: Any) -> None:
    """Create a release by hand: a white label, a promo, a record with no page.

    \b
    Example:
        setlist releases new --artist "Studio Rough" --title "Untitled" \\
            --label "White Label" --format 'Vinyl, 12", Single Sided' --track "A Untitled 6:10"
    """
    from pydantic import ValidationError

    from library.releases.model import Release

    if not given["title"]:
        raise SetlistError("--title: a release needs a title")
    try:
        release = Release.model_validate({"source": "manual", **_changes(None, given)})
    except ValidationError as error:
        raise SetlistError(f"invalid release: {error.errors()[0]['msg']}") from None
    (saved,) = _releases(state).save([release])
    click.echo(f"Created release {saved.release.id}: {_summary(saved.release)}")


@releases_command.command("edit")
@click.argument("release_id", metavar="ID", type=int)
@_entry_options
@pass_state
def edit_command(state: CliState, /, release_id: int, **given: Any) -> None:
    """Change fields of a release: each option given replaces that field ("" clears it).

    An imported release can be edited too; importing it again replaces the fields that
    import carries.
    """
    releases = _releases(state)

    def change(release: Release) -> Release:
        changes = _changes(release, given)
        if not changes:
            raise SetlistError("nothing to change: give at least one option (see --help)")
        return release.model_validate({**release.model_dump(), **changes})

    updated = releases.edit(release_id, change)
    click.echo(f"Updated release {updated.id}: {_summary(updated)}")
