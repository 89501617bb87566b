"""The Textual app: the library (and later releases and sets) in one keyboard-driven UI.

`SetlistApp(store=..., settings=...)` takes its database and settings from outside, so the
CLI and the tests build it the same way (`create_app`). The app never blocks: SQLite, tag
reading and scans run in thread workers that post messages; only handlers touch widgets.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, cast

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import Widget

from library.storage import Store
from setlist.commands.scan import summary
from setlist.settings import Settings, SettingsError, save_settings
from setlist.terminal import printable
from setlist.tui.library_watch import LibraryChanged, LibraryWatch
from setlist.tui.messages import (
    NotesStaged,
    NotesWritten,
    ScanFinished,
    SettingsSaveFailed,
)
from setlist.tui.notes_saving import NotesSaver
from setlist.tui.palette import PaletteCommand, SetlistCommands
from setlist.tui.playing import Playback
from setlist.tui.playing_commands import playing_commands
from setlist.tui.playing_updates import PlaybackReported
from setlist.tui.release_messages import ReleaseRequested
from setlist.tui.screens.help import HelpScreen, key_groups
from setlist.tui.screens.main import MainScreen
from setlist.tui.screens.scan_dialog import ScanDialog
from setlist.tui.set_messages import TrackAddRequested
from setlist.tui.views import VIEWS
from setlist.tui.widgets.library_view import LibraryView
from setlist.tui.widgets.releases_view import ReleasesView
from setlist.tui.widgets.sets_view import SetsView
from setlist.tui.widgets.track_table import TrackTable

ERRORS_LISTED = 3  # unreadable files named in the scan's notification
FULL_COLLECTION_EVERY = 100  # middle collections per full one (Python's default: 10)


class SetlistApp(App[None]):
    """The app on one library database, with the user's settings."""

    TITLE = "setlist"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    COMMANDS: ClassVar[set[type[SetlistCommands]]] = {SetlistCommands}  # type: ignore[assignment]
    HELP_TITLE = "Everywhere"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+r", "scan", "Scan", id="app.scan"),
        Binding("ctrl+x", "cancel_scan", "Cancel scan", id="app.cancel_scan"),
        Binding("ctrl+t", "change_theme", "Theme", id="app.theme"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding(
            "ctrl+p", "command_palette", "Palette", show=False, priority=True, id="app.palette"
        ),
        *(
            Binding(spec.key, f"show_view('{spec.id}')", spec.title, show=False, id=spec.id)
            for spec in VIEWS
        ),
    ]

    store: Store
    settings: Settings
    settings_path: Path | None

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        settings_path: Path | None = None,
        notices: Sequence[str] = (),
    ) -> None:
        """`settings_path`: where to save changed settings (None: keep them in memory);
        `notices`: warnings to show once the app is up (a bad settings file...)."""
        super().__init__()
        self.store = store
        self.settings = settings
        self.settings_path = settings_path
        self._notices = list(notices)
        self.notes_saver = NotesSaver(store)
        self.playback = Playback(self, store, self.notes_saver)
        self.library_watch = LibraryWatch(self, store)
        self._gc_thresholds: tuple[int, int, int] | None = None  # Python's, while the app runs

    def get_default_screen(self) -> Screen[None]:
        return MainScreen()

    @property
    def main_screen(self) -> MainScreen:
        return cast(MainScreen, self.screen_stack[0])

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self._notices.append(f"unknown theme {self.settings.theme!r}; using {self.theme!r}")
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.call_after_refresh(self._freeze_startup_objects)
        self.library_watch.start()
        for notice in self._notices:
            self.notify(notice, title="Settings", severity="warning", timeout=10, markup=False)

    def _freeze_startup_objects(self) -> None:
        """Exempt what start-up made (modules, widgets, styles) from the garbage collector,
        and make its full collections ten times rarer.

        Python's full collections walk every object; with Textual and the app loaded they
        paused the app 20-50 ms now and then, a keystroke's whole budget. What start-up
        made lives as long as the app anyway; objects made later are collected as usual.
        Those still fill the caches of rows and drawn lines (tens of thousands of objects),
        and a full collection of them took 6-12 ms, about once a second while typing into
        the search box at 50,000 tracks: now and then in the middle of a keystroke's frame.
        Young garbage is still collected as often as before; only the full pass waits.
        """
        gc.freeze()
        self._gc_thresholds = gc.get_threshold()
        young, middle, _ = self._gc_thresholds
        gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)

    def on_unmount(self) -> None:
        """Write the notes still waiting (the last keystrokes typed), and give the frozen
        objects back to the collector: the process may go on (tests, an embedding program),
        and the app's widgets hold cycles only a collection frees. mpv stops with the app,
        whichever way it ends (a crash in the app comes here too)."""
        self.playback.close()
        self.notes_saver.write_pending()
        gc.unfreeze()
        if self._gc_thresholds is not None:
            gc.set_threshold(*self._gc_thresholds)

    # -- notes ------------------------------------------------------------------------------

    def on_notes_staged(self, message: NotesStaged) -> None:
        self._write_notes(self.notes_saver)

    @work(thread=True, exit_on_error=False, group="notes-save")
    def _write_notes(self, saver: NotesSaver) -> None:
        """Not exclusive: a write never cancels another; the saver keeps them in order."""
        results = saver.write_pending()
        if results:
            self.post_message(NotesWritten(results))

    def on_notes_written(self, message: NotesWritten) -> None:
        from setlist.tui.screens.track_panel import TrackPanel

        written = [result.track_id for result in message.results]
        for view in self.main_screen.views():
            view.notes_changed(written)
        self.playback.notes_written(message.results)
        for screen in self.screen_stack:
            if isinstance(screen, TrackPanel):
                for result in message.results:
                    if result.track_id == screen.track_id:
                        screen.show_written(result)
        for result in message.results:
            if result.error is not None:
                error = printable(result.error)
                self.notify(
                    f"Notes of track {result.track_id} not saved: {error}",
                    severity="error",
                    markup=False,
                )

    # -- settings ---------------------------------------------------------------------------

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name != self.settings.theme:
            self.settings.theme = theme.name
            self._save_settings()

    def on_library_view_sort_changed(self, message: LibraryView.SortChanged) -> None:
        if message.sort != self.settings.library_sort:
            self.settings.library_sort = message.sort
            self._save_settings()

    def _save_settings(self) -> None:
        if self.settings_path is not None:
            self._write_settings(self.settings.model_copy(), self.settings_path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings")
    def _write_settings(self, settings: Settings, path: Path) -> None:
        try:
            save_settings(settings, path)
        except SettingsError as error:
            self.post_message(SettingsSaveFailed(str(error)))

    def on_settings_save_failed(self, message: SettingsSaveFailed) -> None:
        self.notify(printable(message.error), severity="error", markup=False)

    # -- actions ----------------------------------------------------------------------------

    def action_show_view(self, view_id: str) -> None:
        if self.screen is self.main_screen:
            self.main_screen.show_view(view_id)

    def action_scan(self) -> None:
        if self.main_screen.scan_bar.scanning:
            self.notify("A scan is already running (ctrl+x cancels it).", markup=False)
            return
        self.push_screen(ScanDialog(self.store), self._start_scan)

    def _start_scan(self, paths: list[str] | None) -> None:
        if paths:
            workers = self.settings.scan_workers or os.cpu_count() or 1
            self.main_screen.scan_bar.start(self.store, paths, workers)
            self.refresh_bindings()

    def action_cancel_scan(self) -> None:
        self.main_screen.scan_bar.cancel()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_scan":
            return self.main_screen.scan_bar.scanning
        return True

    def on_scan_finished(self, message: ScanFinished) -> None:
        self.refresh_bindings()
        if message.result is None:
            error = printable(message.error or "unknown error")
            self.notify(f"Scan failed: {error}", severity="error", markup=False, timeout=10)
            return
        result = message.result
        lines = [summary(result)]
        for failure in sorted(result.errors, key=lambda error: error.path)[:ERRORS_LISTED]:
            lines.append(f"unreadable: {printable(failure.path)}: {printable(failure.error)}")
        if len(result.errors) > ERRORS_LISTED:
            lines.append(f"… and {len(result.errors) - ERRORS_LISTED} more unreadable files")
        calm = not (result.errors or result.cancelled)
        severity: SeverityLevel = "information" if calm else "warning"
        self.notify("\n".join(lines), severity=severity, markup=False, timeout=10)
        self._refresh_views()

    def on_library_changed(self, _message: LibraryChanged) -> None:
        """Another process (or this one's scan) committed: show the library as it is now."""
        self._refresh_views()

    def on_app_focus(self) -> None:
        """Back from another terminal, where the library may have been changed: look now."""
        self.library_watch.check()

    def _refresh_views(self) -> None:
        for view in self.main_screen.views():
            view.library_changed()

    def on_track_table_track_chosen(self, message: TrackTable.TrackChosen) -> None:
        # Imported when first opened: its text areas cost 50 ms of the app's start-up.
        from setlist.tui.screens.track_panel import TrackPanel

        self.push_screen(TrackPanel(self.store, message.track_id, self.notes_saver))

    def on_release_requested(self, message: ReleaseRequested) -> None:
        while self.screen is not self.main_screen:
            self.pop_screen()
        self.main_screen.show_view("releases")
        releases = self.main_screen.query_one(ReleasesView)
        releases.open_release(message.release_id)

    def on_playback_reported(self, message: PlaybackReported) -> None:
        self.playback.handle(message.update)

    def action_listen_set(self, name: str) -> None:
        """Listen mode through the set `name`."""
        from setlist.tui.screens.listen import ListenScreen

        self.push_screen(ListenScreen(set_name=name))

    def action_preview_transitions(self, name: str, start: int = 1) -> None:
        """The transition preview of the set `name`, from entry `start` into the next."""
        from setlist.tui.screens.preview import PreviewScreen

        self.push_screen(PreviewScreen(name, start))

    def on_track_add_requested(self, message: TrackAddRequested) -> None:
        """A track to add to the current set, from whichever view: the Sets view adds it."""
        self.main_screen.query_one(SetsView).add_track(message.track_id)

    async def action_quit(self) -> None:
        """Quit: a running scan is asked to stop (its worker thread must end), and what is
        typed in an open track panel is kept (written as the app unmounts)."""
        from setlist.tui.screens.track_panel import TrackPanel

        self.main_screen.scan_bar.cancel()
        for screen in self.screen_stack:
            if isinstance(screen, TrackPanel):
                screen.finish_editing()
        self.exit()

    def action_help(self) -> None:
        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        if screen is self.main_screen:
            view = self.main_screen.current_view
            groups = key_groups(screen, view=cast(Widget, view))
            self.push_screen(HelpScreen(view.HELP_TITLE, groups))
        else:
            title = getattr(screen, "HELP_TITLE", "setlist")
            self.push_screen(HelpScreen(title, key_groups(screen)))

    # -- help and palette -------------------------------------------------------------------

    def palette_commands(self, screen: Screen[Any]) -> list[PaletteCommand]:
        """Every action available from `screen`: the shown view's, then the app's."""
        commands: list[PaletteCommand] = []
        if screen is self.main_screen:
            commands.extend(self.main_screen.current_view.palette_commands())
            for spec in VIEWS:
                commands.append(
                    PaletteCommand(
                        f"Show {spec.title.lower()}",
                        f"Switch to the {spec.title} view ({spec.key})",
                        partial(self.action_show_view, spec.id),
                    )
                )
            commands.append(PaletteCommand("Scan folders…", "Scan (ctrl+r)", self.action_scan))
            if self.main_screen.scan_bar.scanning:
                commands.append(
                    PaletteCommand("Cancel the scan", "ctrl+x", self.action_cancel_scan)
                )
        else:
            own = getattr(screen, "palette_commands", None)
            if own is not None:
                commands.extend(own())
        commands += playing_commands(self)
        commands += [
            PaletteCommand("Keys", "Show the keys of this view (?)", self.action_help),
            PaletteCommand("Theme…", "Pick a theme (ctrl+t)", self.action_change_theme),
            PaletteCommand("Quit", "Leave setlist (q)", self.action_quit),
        ]
        return commands


def create_app(db: Path | None, *, settings_file: Path | None = None) -> SetlistApp:
    """The app on the library at `db` (the default library when None) with the user's
    settings; a bad settings file gives the defaults and a notice, and is left alone."""
    from library.storage import default_path
    from setlist.settings import Settings, load_settings, settings_path

    store = Store(db or default_path())
    path = settings_file or settings_path()
    notices: list[str] = []
    try:
        settings = load_settings(path)
        save_to: Path | None = path
    except SettingsError as error:
        settings = Settings()
        save_to = None  # never overwrite a file the user may want to fix
        notices.append(f"{printable(str(error))}; using the defaults until it is fixed")
    return SetlistApp(store, settings, settings_path=save_to, notices=notices)


def run_app(db: Path | None) -> None:
    """Run the app in this terminal until the user quits; the database is closed after.

    The terminal is asked which pictures it shows before the app takes it over (after, its
    answers would arrive as key presses): `open_app` starts asking, here it is waited for."""
    from setlist.tui import pictures

    pictures.start_probe()  # a no-op when `open_app` started it
    app = create_app(db)
    pictures.finish_probe()
    try:
        app.run()
    finally:
        app.store.close()
