"""Finding the library tracks of the files another tool's playlist names.

First by the exact path (the bytes the library keeps, so a name that is not UTF-8 matches
too). Failing that (a playlist made on another machine, a library that moved, a Windows
path, which cannot exist here) by file name: the library files with the same name (compared
NFC and case-folded, as macOS and Windows compare names); among several, the one whose path
ends with the most of the same folders. A tie is not guessed: the entry is reported with the
reason. A stream URL never matches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from setlist.locations import Location, folded, path_parts

if TYPE_CHECKING:
    from library.storage import KnownFile, Store

Item = TypeVar("Item")


@dataclass(frozen=True, slots=True)
class Matched(Generic[Item]):
    """A playlist entry and its library track; `exact` False when found by file name."""

    item: Item
    track_id: int
    exact: bool = True


@dataclass(frozen=True, slots=True)
class Unmatched(Generic[Item]):
    """A playlist entry no library track was found for, and why."""

    item: Item
    reason: str


@dataclass(frozen=True, slots=True)
class Matches(Generic[Item]):
    """Every entry of a playlist, matched or not, in playlist order."""

    matched: list[Matched[Item]] = field(default_factory=list)
    unmatched: list[Unmatched[Item]] = field(default_factory=list)

    @property
    def track_ids(self) -> list[int]:
        """The library tracks of the matched entries, in playlist order (repeats kept)."""
        return [match.track_id for match in self.matched]

    @property
    def by_name(self) -> list[Matched[Item]]:
        """The entries matched by file name rather than by exact path (worth a look)."""
        return [match for match in self.matched if not match.exact]


def _shared_tail(one: tuple[str, ...], other: tuple[str, ...]) -> int:
    """How many names agree at the ends of two paths."""
    shared = 0
    for mine, theirs in zip(reversed(one), reversed(other), strict=False):
        if mine != theirs:
            break
        shared += 1
    return shared


class LibraryFiles:
    """The library's files, looked up by exact path and by file name."""

    def __init__(self, known: Mapping[bytes, KnownFile]) -> None:
        self._known = known
        self._by_name: dict[str, list[tuple[tuple[str, ...], int]]] | None = None
        self._found: dict[Location, tuple[int, bool] | str] = {}  # a playlist names a file twice

    @classmethod
    def of(cls, store: Store) -> LibraryFiles:
        """Every file of the library in `store`."""
        return cls(store.known_files())

    def _names(self) -> dict[str, list[tuple[tuple[str, ...], int]]]:
        """Files by folded name, built once, when a first entry is not found by path."""
        if self._by_name is None:
            self._by_name = {}
            for path, known in self._known.items():
                parts = tuple(folded(part) for part in path_parts(path))
                if parts:
                    self._by_name.setdefault(parts[-1], []).append((parts, known.id))
        return self._by_name

    def find(self, location: Location) -> tuple[int, bool] | str:
        """(track id, exact) for the file `location` names, or why none was found."""
        if location not in self._found:
            self._found[location] = self._find(location)
        return self._found[location]

    def _find(self, location: Location) -> tuple[int, bool] | str:
        if location.remote:
            return "a stream, not a file"
        if location.path is not None and location.path in self._known:
            return self._known[location.path].id, True
        if not location.name:
            return "names no file"
        parts = tuple(folded(part) for part in location.parts)
        candidates = self._names().get(parts[-1], [])
        if not candidates:
            return f"not in the library (no file named {location.name!r})"
        ranked = sorted(
            ((_shared_tail(parts, theirs), id_) for theirs, id_ in candidates), reverse=True
        )
        if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
            return (
                f"{len(candidates)} library files are named {location.name!r}, and no one of "
                "them shares more of its folders; not guessed"
            )
        return ranked[0][1], False


def match_locations(
    files: LibraryFiles, items: Sequence[Item], location: Callable[[Item], Location]
) -> Matches[Item]:
    """Match each item (in order) to a library track through the location it names."""
    matches: Matches[Item] = Matches()
    for item in items:
        found = files.find(location(item))
        if isinstance(found, str):
            matches.unmatched.append(Unmatched(item, found))
        else:
            matches.matched.append(Matched(item, *found))
    return matches
