"""Fixtures for app tests: the app on an in-memory tracker, as of a fixed day.

Tests wait for the work a key starts (``settle``, ``until``), never for a
fixed time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from store.model import Obligation
from store.repository import Tracker
from store.schedule import Outlook
from tui.app import CicteApp

JUNE_15 = date(2008, 6, 15)
MAX_PAUSES = 200
"""Each pause lasts until the app is idle: this many is far more than any edit needs."""


def make_app(today: date = JUNE_15, tracker: Tracker | None = None) -> CicteApp:
    return CicteApp(tracker or Tracker.in_memory(), Outlook(today), "--today")


@pytest.fixture
def app() -> CicteApp:
    return make_app()


def clock() -> datetime:
    return datetime(2026, 11, 28, 9, 30)


@asynccontextmanager
async def editing_app(
    db_path: Path, today: date = date(2008, 6, 20)
) -> AsyncIterator[tuple[CicteApp, Pilot[object]]]:
    """The app writing to a real tracker file, with a fixed clock for note times."""
    tracker = Tracker.open(db_path)
    app = CicteApp(tracker, Outlook(today), "--today", clock)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            yield app, pilot
    finally:
        tracker.close()


def saved(db_path: Path, number: str) -> Obligation | None:
    """The obligation as the file holds it (read back by a second reader)."""
    with Tracker.open(db_path, read_only=True) as tracker:
        return tracker.find(number)


async def until(pilot: Pilot[object], condition: Callable[[], bool], what: str = "") -> None:
    """Let the app work until ``condition`` holds."""
    for _ in range(MAX_PAUSES):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what or condition}")


async def settle(pilot: Pilot[object]) -> None:
    """Wait until the edit under way is saved and shown.

    A form's worker is done, or waits for the user on the next screen it
    opened (the meetings and notes lists come back after each edit).
    """
    from tui.screens.main import MainScreen

    app = pilot.app
    await pilot.pause()
    await until(
        pilot,
        lambda: all(w.is_finished for w in app.workers) or not isinstance(app.screen, MainScreen),
        "the edit to be saved",
    )
    await pilot.pause()


async def from_palette(pilot: Pilot[object], typed: str) -> None:
    """Type in the command palette, wait for its search, and run the first hit."""
    await pilot.press("ctrl+p", *typed)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # the palette gathers hits in a worker
    await pilot.pause()
    await pilot.press("enter")
