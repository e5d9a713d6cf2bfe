"""The Textual app: opens the tracker, shows the main screen, closes the file on exit."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from store.editing import Clock, EditError, Editor
from store.plan_years import (
    PlanError,
    default_title,
    plan_summary,
    series_named_by_rules,
    start_plan,
)
from store.repository import ConflictChoice, EditConflict, PendingConflict, Tracker
from store.schedule import Outlook
from store.storage import StoreError, StoreLocked
from tui.cli.exit_codes import EXIT_INTERNAL
from tui.cli.options import Options
from tui.config import Settings
from tui.crash import crash_message, write_crash_log
from tui.screens.conflict import ConflictDialog
from tui.screens.main import MainScreen
from tui.screens.plans import START_NEXT, NewPlanForm, PlanChooser
from tui.view import TrackerView

T = TypeVar("T")


class CicteApp(App[None]):
    """cicte-tui: what is overdue, what recurs and what is due next in the CICTE work plan."""

    CSS_PATH = "app.tcss"
    TITLE = "cicte-tui"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("P", "plans", "Plan years", id="plans", show=False),
    ]

    def __init__(
        self,
        tracker: Tracker,
        outlook: Outlook,
        today_source: str = "clock",
        clock: Clock = datetime.now,
        settings: Settings | None = None,
    ) -> None:
        """``settings``: the user's settings file (default: none, nothing saved)."""
        super().__init__()
        self.settings = settings or Settings()
        self.tracker = tracker
        self.view = TrackerView(tracker, outlook)
        self.today_source = today_source
        self.editor = Editor(tracker, clock)
        # One thread does every write, in order; the event loop never waits on a disk.
        self._store_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self._use_saved_theme()

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.view, self.today_source)

    # -- the theme ----------------------------------------------------------------

    def _use_saved_theme(self) -> None:
        settings = self.settings
        if settings.theme is None:
            return
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        else:
            settings.problem = (
                f"No theme named {settings.theme!r} (in {settings.path}): using the default."
            )

    def on_mount(self) -> None:
        if self.settings.problem:
            self.notify(self.settings.problem, severity="warning", markup=False, timeout=10)

    def watch_theme(self, theme: str) -> None:
        """A theme picked in the palette ("Change theme") is the one the next start uses."""
        if theme != self.settings.theme:
            self._save_theme(theme)

    @work(group="settings")
    async def _save_theme(self, theme: str) -> None:
        # On the store thread: in order, and finished before the app exits.
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._store_thread, self.settings.save_theme, theme)
        except OSError as error:
            self.notify(f"Theme not kept for next time: {error}", severity="warning", markup=False)

    # -- plan years ---------------------------------------------------------------

    @work(group="dialog")
    async def action_plans(self) -> None:
        """Choose the plan year to work on, or start the next one."""
        tracker, view = self.tracker, self.view
        summaries = {year: plan_summary(tracker, year, view.outlook) for year in tracker.plans}
        chosen = await self.push_screen_wait(PlanChooser(tracker.plans, tracker.year, summaries))
        if chosen == START_NEXT:
            await self._start_next_plan()
        elif isinstance(chosen, int) and chosen != tracker.year:
            self.show_plan(chosen)

    @work(group="dialog")
    async def start_next_plan(self) -> None:
        """The form that starts next year's plan (the palette's way in)."""
        await self._start_next_plan()

    async def _start_next_plan(self) -> None:
        tracker = self.tracker
        if tracker.read_only:
            self.notify("Read-only: another cicte-tui is editing this file.", severity="error")
            return
        latest = tracker.plans[max(tracker.plans)]
        named = series_named_by_rules(tracker.obligations_of(latest.year).values())
        form = NewPlanForm(
            tracker.plans,
            tracker.meetings,
            named,
            default_title(tracker, latest.year + 1, latest.year),
        )
        request = await self.push_screen_wait(form)
        if request is None:
            return
        try:
            made = await self.in_store(
                partial(
                    start_plan,
                    tracker,
                    request.year,
                    request.from_year,
                    request.sessions,
                    symbol=request.symbol,
                    title=request.title,
                )
            )
        except (PlanError, EditError, StoreError, OSError) as error:
            self.notify(f"Not started: {error}", severity="error", markup=False, timeout=10)
            return
        self.show_plan(made.plan.year)
        waiting = f"; waiting for a session of: {', '.join(made.waiting)}" if made.waiting else ""
        self.notify(
            f"Started the {made.plan.year} plan: {made.items} items, "
            f"{len(made.carried)} carried over{waiting}.",
            markup=False,
            timeout=10,
        )

    def show_plan(self, year: int) -> None:
        """Work on another plan year: every pane shows it."""
        self.tracker.select(year)
        self.view.refresh()
        screen = self.screen
        if isinstance(screen, MainScreen):
            screen.plan_switched()

    async def in_store(self, operation: Callable[..., T], *args: Any) -> T:
        """Run a store operation on the store thread and wait for it without blocking.

        An edit that clashes with a change someone saved meanwhile raises
        ``EditConflict`` (the caller says it was not saved); the dialog that
        settles it opens at the same time.
        """
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._store_thread, partial(operation, *args))
        except EditConflict as clash:
            self.push_screen(
                ConflictDialog(str(self.tracker.path), clash.pending.clashes),
                callback=partial(self._settle_conflict, clash.pending),
            )
            raise
        finally:
            self._after_store()

    @work(group="store")
    async def _settle_conflict(self, pending: PendingConflict, choice: ConflictChoice) -> None:
        try:
            await self.in_store(self.tracker.settle, pending, choice)
        except (StoreError, OSError) as error:
            self.notify(f"Not saved: {error}", severity="error", markup=False, timeout=10)
            return
        if choice == "mine":
            self.notify("Saved your edit over the change made on disk.", markup=False)
        elif choice == "reload":
            self.notify("Showing the file as it is now; your edit was dropped.", markup=False)

    def tracker_reopened(self) -> None:
        """The tracker became writable (or was read again): banner, header and panes anew."""
        self._after_store()
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.show_warnings()

    def _after_store(self) -> None:
        """News from the store (a change on disk merged, a lock taken back), and every pane
        shown afresh when the records were read again."""
        tracker = self.tracker
        for notice in tracker.notices:
            self.notify(notice, markup=False, timeout=10)
        tracker.notices.clear()
        if tracker.reloaded:
            tracker.reloaded = False
            self.view.refresh()
            for screen in self.screen_stack:
                if isinstance(screen, MainScreen):
                    screen.records_reloaded()

    async def on_unmount(self) -> None:
        self._store_thread.shutdown(wait=True)  # a saved edit is never cut short by quitting

    def _handle_exception(self, error: Exception) -> None:
        """An unhandled error: a message and a log file instead of a traceback on screen,
        and a non-zero exit. On any surprise it falls back to Textual's own handling."""
        try:
            if self._exception is None:
                self._exception = error  # Pilot re-raises it in tests
                self._exception_event.set()
            self._return_code = EXIT_INTERNAL
            log = write_crash_log(error)
            self._exit_renderables.append(Text(f"cicte-tui {crash_message(log, in_app=True)}"))
            self.bell()
            self._close_messages_no_wait()
        except Exception:  # noqa: BLE001 - never fail worse than Textual would
            super()._handle_exception(error)


def open_tracker(options: Options) -> Tracker:
    """The user's tracker for writing, or read-only while another instance edits it,
    on the plan the options name."""
    try:
        return options.open_tracker(quiet=True)
    except StoreLocked as refused:
        tracker = options.open_tracker(read_only=True, quiet=True)
        tracker.warnings.append(f"Read-only: {refused}")
        return tracker


def run(options: Options, when_no_terminal: Callable[[], int]) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Read only, so that a corrupt file is still said first and nothing is written.
        options.open_tracker(read_only=True, quiet=True).close()
        return when_no_terminal()
    tracker = open_tracker(options)
    try:
        app = CicteApp(tracker, options.outlook, options.today_source, settings=Settings.load())
        app.run()
    finally:
        tracker.close()
    return app.return_code or 0
