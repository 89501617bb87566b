"""The demo's set: a warm-up to peak to close order of demo tracks, so the app's Sets view
has something to show (transitions, curves, suggestions) on `make demo`.

It is made only in a library with no set at all (a rerun, or a set of the user's, is left
alone), and the energies and roles that make the curves and the suggestions speak are noted
only on demo tracks that have no notes yet: nothing noted is ever overwritten.
"""

from __future__ import annotations

import datetime as dt

from library.notes import store as notes_store
from library.set_store import SetStore
from library.storage import Store

DEMO_SET = "Friday at Kettle Hall [demo]"
# (title, energy, roles), in the set's order: an opener, the build, the peak, a closer.
DEMO_SET_TRACKS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("Copper Lines", 3, ("opener",)),
    ("Night Ferry", 4, ("warm-up",)),
    ("Szkło", 5, ("builder",)),
    ("階段 (Stairwell)", 6, ("builder",)),
    ("Fjord Engine", 8, ("peak",)),
    ("Low Orbit", 9, ("peak",)),
    ("Afterglow", 4, ("closer",)),
)
# Energies for the other full-length demo tracks, so suggestions can weigh them too.
OTHER_ENERGIES = {"Grachten (Dub)": 4, "Tool [Extended Mix] [/] <b>": 7, "Untitled Sketch 3": 5}


def add_demo_set(store: Store) -> str | None:
    """Make the demo set in a library without sets; its name, or None when left alone."""
    sets = SetStore(store)
    if sets.summaries():
        return None
    energies = {title: (energy, roles) for title, energy, roles in DEMO_SET_TRACKS}
    energies.update({title: (energy, ()) for title, energy in OTHER_ENERGIES.items()})
    ids: dict[str, int] = {}
    for title, (energy, roles) in energies.items():
        found = store.tracks("title = ?", (title,))
        if not found:
            continue
        ids[title] = found[0].id
        notes = notes_store.load(store, found[0].id)
        if notes.energy is None and not notes.roles:
            noted = notes.model_copy(update={"energy": energy, "roles": list(roles)})
            notes_store.save(store, found[0].id, noted, "demo")
    order = [ids[title] for title, _, _ in DEMO_SET_TRACKS if title in ids]
    made = sets.create(
        DEMO_SET,
        description="Made by setlist demo: open it in the Sets view (3, then enter).",
        venue="Kettle Hall",
        date=dt.date(2026, 12, 4),
        target_minutes=60,
        track_ids=order,
    )
    return made.name
