"""The changes the Sets view makes to sets, each run in a worker thread, one at a time.

A change is a function of the library's `Store` that edits (one transaction, through
`library.set_store.SetStore`) and says which set to show next, which entry to select, and
what was done, in words for a notification. The view queues them: an edit asked for while
another runs waits, and is worked out from what is on screen once that one is shown (two
quick "move down" presses move the entry two places, never the wrong one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from library.set_store import SetStore
from setlist.commands.set_views import quoted, track_name

if TYPE_CHECKING:
    from library.storage import Store


@dataclass(frozen=True, slots=True)
class Outcome:
    """After a change: the set to show (None: none, it is gone), the entry to select
    (0-based; -1 the last; None: keep the selection) and what was done ("" to say nothing)."""

    name: str | None
    cursor: int | None = None
    done: str = ""


Change = Callable[["Store"], Outcome]


def open_set(name: str, cursor: int | None = 0) -> Change:
    """Read a set to show it (`cursor` None: keep the selected entry)."""
    return lambda store: Outcome(SetStore(store).get(name).name, cursor=cursor)


def create(name: str, track_id: int | None = None) -> Change:
    """A new, empty set (holding `track_id`, when given)."""

    def change(store: Store) -> Outcome:
        tracks = [track_id] if track_id is not None else []
        made = SetStore(store).create(name, track_ids=tracks)
        done = f"Created the set {quoted(made.name)}"
        if track_id is not None:
            done = f"Added {_track(store, track_id)} to the new set {quoted(made.name)}"
        return Outcome(made.name, cursor=0, done=done)

    return change


def rename(name: str, new: str) -> Change:
    def change(store: Store) -> Outcome:
        renamed = SetStore(store).rename(name, new)
        return Outcome(renamed.name, done=f"Renamed {quoted(name)} to {quoted(renamed.name)}")

    return change


def copy(name: str, new: str) -> Change:
    def change(store: Store) -> Outcome:
        copied = SetStore(store).copy(name, new)
        return Outcome(
            copied.name, cursor=0, done=f"Copied {quoted(name)} to {quoted(copied.name)}"
        )

    return change


def delete(name: str, showing: str | None) -> Change:
    """Delete a set; the set shown stays (None when it was the one deleted)."""

    def change(store: Store) -> Outcome:
        deleted = SetStore(store).delete(name)
        count = len(deleted.entries)
        done = f"Deleted the set {quoted(deleted.name)} ({count} track{'s' if count != 1 else ''})"
        still = showing if showing is not None and showing != deleted.name else None
        return Outcome(still, done=done)

    return change


def move(name: str, position: int, target: int) -> Change:
    def change(store: Store) -> Outcome:
        SetStore(store).move(name, position, target)
        return Outcome(name, cursor=target - 1)

    return change


def remove(name: str, position: int) -> Change:
    def change(store: Store) -> Outcome:
        removed = SetStore(store).remove(name, position)
        done = f"Removed {_track(store, removed.track_id)} from {quoted(name)}"
        return Outcome(name, cursor=position - 1, done=done)

    return change


def add(name: str, track_id: int, after: int | None = None, why: str = "") -> Change:
    """Put a track after entry `after` (None: at the end); `why` follows the notification."""

    def change(store: Store) -> Outcome:
        at = after + 1 if after is not None else None
        stored = SetStore(store).add(name, [track_id], at)
        done = f"Added {_track(store, track_id)} to {quoted(stored.name)}{why}"
        return Outcome(stored.name, cursor=after if after is not None else -1, done=done)

    return change


def _track(store: Store, track_id: int) -> str:
    found = store.tracks("id = ?", (track_id,))
    return f"'{track_name(found[0].artist, found[0].title)}'" if found else f"track {track_id}"


def edit_fields(name: str, fields: dict[str, Any]) -> Change:
    """Change a set's fields (checked already by `setlist.commands.sets.set_fields`)."""

    def change(store: Store) -> Outcome:
        edited = SetStore(store).edit(name, **fields)
        return Outcome(edited.name, done=f"Changed the details of {quoted(edited.name)}")

    return change


def note(name: str, position: int, text: str) -> Change:
    """Set the transition note into entry `position` ("" clears it); it stays selected."""

    def change(store: Store) -> Outcome:
        stored = SetStore(store).note(name, position, text)
        what = "Noted the transition" if text else "Cleared the transition note"
        return Outcome(stored.name, cursor=position - 1, done=f"{what} into {position}")

    return change
