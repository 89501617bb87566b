"""`setlist demo`: build the demo library, scan it and show it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import click

from library.scanning import scan
from library.storage import Store, default_path
from setlist.cli_state import CliState, pass_state
from setlist.commands.app import has_terminal, open_app
from setlist.commands.scan import summary
from setlist.commands.tracks import render_table

if TYPE_CHECKING:
    from library.matching import Match
    from library.releases.model import Release


def default_demo_folder() -> Path:
    """Beside the real library, never inside the user's music."""
    return default_path().parent / "demo"


def link_demo_release(store: Store) -> tuple[Release, list[Match]]:
    """Store the demo's release entry (an update when it is there) and link tracks to it."""
    from library.matching import link_auto
    from library.releases.model import Release
    from library.releases.store import ReleaseStore
    from setlist.demo import DEMO_RELEASE

    (saved,) = ReleaseStore(store).save([Release.model_validate(DEMO_RELEASE)])
    return saved.release, link_auto(store)


@click.command("demo")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to build the demo (default: a 'demo' folder in setlist's data folder).",
)
@click.option("--fresh", is_flag=True, help="Delete and rebuild the demo folder first.")
@click.option(
    "--list", "as_list", is_flag=True, help="Print the tracks instead of opening the app."
)
@pass_state
def demo_command(state: CliState, folder: Path | None, fresh: bool, as_list: bool) -> None:
    """Build a small tagged demo library (several formats), scan it and open the app on it.

    The demo has its own database in the demo folder unless --db is given, so trying it
    never touches your library. With --list (or without a terminal) the tracks are printed.
    """
    from setlist.demo import build_demo
    from setlist.demo.demo_set import add_demo_set

    folder = folder or default_demo_folder()
    if fresh and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    music = build_demo(folder)
    store = state.store() if state.db else Store(folder / "library.db")
    try:
        result = scan(store, [music])
        release, matches = link_demo_release(store)
        click.echo(f"Demo library: {music}")
        click.echo(f"Database:     {store.path}")
        click.echo(summary(result))
        linked = sum(match.applied for match in matches)
        click.echo(
            f"Release {release.id}: {release.artist_line} – {release.title} "
            f"({release.label_line}), {linked} tracks linked "
            f"(setlist releases show {release.id})"
        )
        made = add_demo_set(store)
        if made is not None:
            click.echo(f"Set: {made!r} (setlist sets show {made!r}; in the app: 3, enter)")
        if as_list or not has_terminal():
            if not as_list:
                click.echo("(no terminal: listing the tracks instead of opening the app)", err=True)
            click.echo()
            for line in render_table(store.tracks(), shutil.get_terminal_size((120, 24)).columns):
                click.echo(line)
            return
    finally:
        if not state.db:
            store.close()
    open_app(store.path)
