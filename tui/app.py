"""The Textual app: opens the tracker, shows the main screen, closes the file on exit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import Any, ClassVar, TypeVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from store.editing import Clock, Editor
from store.repository import Tracker
from store.schedule import Outlook
from store.storage import StoreLocked
from tui.options import Options
from tui.screens.main import MainScreen
from tui.view import TrackerView

T = TypeVar("T")


class CicteApp(App[None]):
    """cicte-tui: what is overdue, what recurs and what is due next in the CICTE work plan."""

    CSS_PATH = "app.tcss"
    TITLE = "cicte-tui"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
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

    async def in_store(self, operation: Callable[..., T], *args: Any) -> T:
        """Run a store operation on the store thread and wait for it without blocking."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._store_thread, partial(operation, *args))

    async def on_unmount(self) -> None:
        self._store_thread.shutdown(wait=True)  # a saved edit is never cut short by quitting


def open_tracker(options: Options) -> Tracker:
    """The user's tracker for writing, or read-only while another instance edits it."""
    try:
        return Tracker.open(options.db)
    except StoreLocked:
        return Tracker.open(options.db, read_only=True)


def run(options: Options) -> int:
    tracker = open_tracker(options)
    try:
        CicteApp(tracker, options.outlook, options.today_source).run()
    finally:
        tracker.close()
    return 0
