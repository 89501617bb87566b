"""What every CLI command shares: the options of the group and the way errors leave."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from library.storage import Store, default_path
from setlist.terminal import printable


@dataclass(slots=True)
class CliState:
    """What the group's options decide for every command."""

    db: Path | None = None
    _store: Store | None = None

    def path(self) -> Path:
        """The library database file this command uses."""
        return self.db or default_path()

    def store(self) -> Store:
        """The library database, opened (and checked) on first use."""
        if self._store is None:
            self._store = Store(self.path())
        return self._store

    def existing_store(self, doing: str) -> Store:
        """The library, for a command that only reads it (`backup`, `export-notes`): one
        that does not exist yet is an error, not a new empty library made as a side effect."""
        library = self.path().expanduser()
        if not library.exists() or library.stat().st_size == 0:
            raise UserError(f"{library}: no library there yet, nothing to {doing}")
        return self.store()

    def opened(self) -> bool:
        """Whether a command opened the library (so an SQLite error is the library's)."""
        return self._store is not None

    def close(self) -> None:
        """Close the database, if a command opened it."""
        if self._store is not None:
            self._store.close()
            self._store = None


class UserError(click.ClickException):
    """A problem with what the user asked for: one line on stderr, exit status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        """Print `setlist: error: ...` on stderr; lines after the first (candidates) follow.

        Each line is made printable on its own, so a message can list things line by line
        while no text inside it (a path, a tag) can break a line or send escape codes.
        """
        first, *rest = self.format_message().split("\n")
        click.echo(f"setlist: error: {printable(first)}", err=True)
        for line in rest:
            click.echo(printable(line), err=True)


pass_state = click.make_pass_decorator(CliState)
