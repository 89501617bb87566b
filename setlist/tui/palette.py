"""The command palette's commands: every action of the app and of the view on screen.

Views contribute their own commands (`palette_commands()`), so a new view brings its
actions to the palette without the app listing them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    """One entry of the palette: what it is called, a line of help, what it does."""

    title: str
    help: str
    run: Callable[[], object]


class HasPaletteCommands(Protocol):
    """An app that can list its commands for the screen the palette was opened on."""

    def palette_commands(self, screen: Screen[Any]) -> list[PaletteCommand]: ...


class SetlistCommands(Provider):
    """Offers `palette_commands()` of the app: all of them before typing, fuzzy after."""

    def _commands(self) -> list[PaletteCommand]:
        app: HasPaletteCommands = self.app  # type: ignore[assignment]
        return app.palette_commands(self.screen)

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)
