"""The Textual app: opens the tracker, shows the main screen, closes the file on exit."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.screen import Screen

from store.edit_log import Clock
from store.editing import Editor
from store.plan_years import (
    NewPlan,
    PlanError,
    default_title,
    plan_summary,
    series_named_by_rules,
    start_plan,
)
from store.repository import Tracker
from store.schedule import Outlook
from store.settling import ConflictChoice, PendingConflict
from store.storage import StoreLocked
from tui.cli.options import Options, default_owner
from tui.config import Settings
from tui.crash_hook import CrashReporting
from tui.saving import StoreLink, TrackerChanged
from tui.screens.conflict import ConflictDialog
from tui.screens.lists import RecordList
from tui.screens.main import MainScreen
from tui.screens.plans import START_NEXT, NewPlanForm, PlanChooser
from tui.view import TrackerView

SAVING_GROUPS = frozenset({"command", "store", "form-submit", "settings"})
"""Workers that save (or are about to): quitting waits for them."""


class CicteApp(CrashReporting[None]):
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
        """Read by tests once the work is done; the app itself goes through ``link``."""
        self.today_source = today_source
        self.editor = Editor(tracker, clock)
        view = TrackerView(tracker.snapshot(), outlook)
        self.link = StoreLink(
            self, tracker, self.editor, view, self._open_conflict, self._show_view
        )
        self._notices = list(tracker.notices)  # read before any worker runs
        tracker.notices.clear()
        self._use_saved_theme()
        self._use_saved_keymap()

    @property
    def view(self) -> TrackerView:
        """What the screens show now."""
        return self.link.view

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.link, self.today_source, default_owner())

    def on_tracker_changed(self, message: TrackerChanged) -> None:
        """A job changed the records: every screen (and through the main screen's bindings,
        every pane) shows the new view."""
        self.link.show(message.view)

    def _show_view(self, view: TrackerView) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.view = view
            elif isinstance(screen, RecordList):
                screen.follow(view)

    # -- settings -----------------------------------------------------------------

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

    def _use_saved_keymap(self) -> None:
        """The user's keys for commands by binding id (``keymap`` in the settings file)."""
        if self.settings.keymap:
            self.set_keymap(dict(self.settings.keymap))

    def on_mount(self) -> None:
        self.call_after_refresh(_settle_memory)
        if self.settings.problem:
            self.notify(self.settings.problem, severity="warning", markup=False, timeout=10)
        for notice in self._notices:
            self.notify(notice, markup=False, timeout=10)

    def watch_theme(self, theme: str) -> None:
        """A theme picked in the palette ("Change theme") is the one the next start uses."""
        if theme != self.settings.theme:
            self.run_worker(
                partial(self._save_theme, theme), thread=True, group="settings", exit_on_error=False
            )

    def _save_theme(self, theme: str) -> None:
        try:
            self.settings.save_theme(theme)
        except OSError as error:
            self.call_from_thread(
                self.notify,
                f"Theme not kept for next time: {error}",
                severity="warning",
                markup=False,
            )

    # -- plan years ---------------------------------------------------------------

    @work(group="dialog")
    async def action_plans(self) -> None:
        """Choose the plan year to work on, or start the next one."""
        view = self.link.view
        records = view.records
        summaries = {year: plan_summary(records, year, view.outlook) for year in records.plans}
        chosen = await self.push_screen_wait(PlanChooser(records.plans, records.year, summaries))
        if chosen == START_NEXT:
            await self._start_next_plan()
        elif isinstance(chosen, int) and chosen != records.year:
            await self._show_plan(chosen)

    @work(group="dialog")
    async def start_next_plan(self) -> None:
        """The form that starts next year's plan (the palette's way in)."""
        await self._start_next_plan()

    async def _start_next_plan(self) -> None:
        records = self.link.view.records
        if records.read_only:
            self.notify("Read-only: another cicte-tui is editing this file.", severity="error")
            return
        latest = records.plans[max(records.plans)]
        named = series_named_by_rules(records.obligations_of(latest.year).values())
        form = NewPlanForm(
            records.plans,
            records.meetings,
            named,
            default_title(records, latest.year + 1, latest.year),
        )
        request = await self.push_screen_wait(form)
        if request is None:
            return

        def start(tracker: Tracker, _editor: Editor) -> NewPlan:
            made = start_plan(
                tracker,
                request.year,
                request.from_year,
                request.sessions,
                symbol=request.symbol,
                title=request.title,
            )
            tracker.select(made.plan.year)
            return made

        try:
            outcome = await self.link.run(start)
        except PlanError as error:
            self.notify(f"Not started: {error}", severity="error", markup=False, timeout=10)
            return
        made = outcome.value
        if made is None:
            words = outcome.refusal.words if outcome.refusal else "Not started."
            self.notify(
                words.replace("Not saved", "Not started"),
                severity="error",
                markup=False,
                timeout=10,
            )
            return
        waiting = f"; waiting for a session of: {', '.join(made.waiting)}" if made.waiting else ""
        self.notify(
            f"Started the {made.plan.year} plan: {made.items} items, "
            f"{len(made.carried)} carried over{waiting}.",
            markup=False,
            timeout=10,
        )

    def show_plan(self, year: int) -> None:
        """Work on another plan year (the palette's way in)."""
        self.run_worker(self._show_plan(year), group="store")

    async def _show_plan(self, year: int) -> None:
        await self.link.run(lambda tracker, _editor: tracker.select(year))

    # -- a clash with a change saved meanwhile ------------------------------------

    def _open_conflict(self, pending: PendingConflict) -> None:
        self.push_screen(
            ConflictDialog(self.link.path, pending.clashes),
            callback=partial(self._settle_conflict, pending),
        )

    def _settle_conflict(self, pending: PendingConflict, choice: ConflictChoice | None) -> None:
        if choice is not None:
            self.run_worker(self._settle(pending, choice), group="store")

    async def _settle(self, pending: PendingConflict, choice: ConflictChoice) -> None:
        outcome = await self.link.run(lambda tracker, _editor: tracker.settle(pending, choice))
        if outcome.refusal is not None:
            self.notify(outcome.refusal.words, severity="error", markup=False, timeout=10)
        elif choice == "mine":
            self.notify("Saved your edit over the change made on disk.", markup=False)
        elif choice == "reload":
            self.notify("Showing the file as it is now; your edit was dropped.", markup=False)

    async def action_quit(self) -> None:
        """Quit once the edits asked for are saved: keys typed just before ``q`` count."""
        saving = [w for w in self.workers if w.group in SAVING_GROUPS and not w.is_finished]
        await asyncio.gather(*(worker.wait() for worker in saving), return_exceptions=True)
        self.exit()

    async def on_unmount(self) -> None:
        gc.unfreeze()  # collectable again (another app in the same process: tests)
        self.link.finish()  # a saved edit is never cut short by quitting


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


def _settle_memory() -> None:
    """What the tracker holds lives as long as the app: once loaded and drawn, it is kept
    out of the collector's full passes, which would walk every record of a big plan at
    random keys (a pause of 100-200 ms at 10,000 items). The command line starts the app
    with the collector off (``tui.launch``), so loading did not pay for it either."""
    gc.freeze()
    gc.enable()
