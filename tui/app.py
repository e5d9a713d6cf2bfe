"""The Textual app: opens the tracker, shows the main screen, closes the file on exit."""

from __future__ import annotations

import asyncio
import sys
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path
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
from store.repository import Tracker
from store.schedule import Outlook
from store.storage import StoreError, StoreLocked
from tui.options import Options
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
    ) -> None:
        super().__init__()
        self.tracker = tracker
        self.view = TrackerView(tracker, outlook)
        self.today_source = today_source
        self.editor = Editor(tracker, clock)
        # One thread does every write, in order; the event loop never waits on a disk.
        self._store_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.view, self.today_source)

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
        """Run a store operation on the store thread and wait for it without blocking."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._store_thread, partial(operation, *args))

    async def on_unmount(self) -> None:
        self._store_thread.shutdown(wait=True)  # a saved edit is never cut short by quitting

    def _fatal_error(self) -> None:
        """An unhandled error: a message and a log file instead of a traceback on screen.

        Overrides Textual's own hook; on any surprise it falls back to Textual's.
        """
        try:
            error = self._exception or sys.exc_info()[1]
            log = write_crash_log(error)
            self._exit_renderables.append(Text(crash_message(log)))
            self.bell()
            self._close_messages_no_wait()
        except Exception:  # noqa: BLE001 - never fail worse than Textual would
            super()._fatal_error()


def crash_message(log: Path | None) -> str:
    where = f" The details are in {log}." if log else ""
    return (
        "cicte-tui stopped on an internal error. Your edits are safe: each one was saved "
        f"when you made it.{where}"
    )


def write_crash_log(error: BaseException | None) -> Path | None:
    """Keep the traceback for whoever fixes it; None when it cannot be written."""
    from platformdirs import user_log_path

    text = "".join(traceback.format_exception(error)) if error else "no exception recorded\n"
    try:
        folder = user_log_path("cicte-tui", appauthor=False)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S}.log"
        path.write_text(text, "utf-8")
    except OSError:
        return None
    return path


def open_tracker(options: Options) -> Tracker:
    """The user's tracker for writing, or read-only while another instance edits it,
    on the plan the options name."""
    try:
        return options.open_tracker()
    except StoreLocked:
        return options.open_tracker(read_only=True)


def run(options: Options) -> int:
    tracker = open_tracker(options)
    try:
        CicteApp(tracker, options.outlook, options.today_source).run()
    finally:
        tracker.close()
    return 0
