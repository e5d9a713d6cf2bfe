"""Fixtures for app tests: the app on an in-memory tracker, as of a fixed day.

Tests wait for the work a key starts (``settle``, ``until``), never for a
fixed time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select, Static, TextArea

from store.model import Obligation
from store.repository import Tracker
from store.schedule import Outlook
from tui.app import CicteApp
from tui.screens.meetings import MeetingsScreen
from tui.widgets.detail import DetailPane

S = TypeVar("S", bound=Screen[object])

JUNE_15 = date(2008, 6, 15)
MAX_PAUSES = 200
"""Each pause lasts until the app is idle: this many is far more than any edit needs."""


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor is caught on or off at random by a snapshot: keep it on."""
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)


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


# -- reading the screen ---------------------------------------------------------


def detail(app: CicteApp) -> str:
    """The detail pane's text."""
    return app.screen.query_one(DetailPane).content.plain


def header(app: CicteApp) -> str:
    return str(app.screen.query_one("#header", Static).content)


def form_errors(form: Screen[object]) -> str:
    """What a form says is wrong, under its fields."""
    return str(form.query_one("#form-errors", Static).content)


def notified(app: CicteApp) -> str:
    """Every notification the app showed, in order."""
    return " | ".join(str(n.message) for n in app._notifications)


# -- driving the app ------------------------------------------------------------


async def select(app: CicteApp, pilot: Pilot[object], key: str) -> None:
    """Put the tree's cursor on the item ``key``."""
    app.screen.jump_to(key)
    await pilot.pause()


async def press_and_settle(pilot: Pilot[object], *keys: str) -> None:
    """Press the keys, then wait for the edit they start to be saved and shown."""
    await pilot.press(*keys)
    await settle(pilot)


async def open_screen(pilot: Pilot[object], kind: type[S], *keys: str) -> S:
    """Press the keys that open a screen (a form, a list); fail unless it is open."""
    await pilot.press(*keys)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, kind), f"{keys} opened {screen!r}, not a {kind.__name__}"
    return screen


async def open_form(pilot: Pilot[object], item: str, kind: type[S], *keys: str) -> S:
    """The form the keys open on the item ``item`` (``e``: its edit form, ``X``: done on…)."""
    await select(pilot.app, pilot, item)
    return await open_screen(pilot, kind, *keys)


async def zoom_in(pilot: Pilot[object], item: str) -> DetailPane:
    """``z`` on the item ``item``: its detail, maximized."""
    await select(pilot.app, pilot, item)
    await pilot.press("z")
    await pilot.pause()
    return pilot.app.screen.query_one(DetailPane)


async def fill(pilot: Pilot[object], form: Screen[object], **fields: object) -> None:
    """Type into a form's fields (``done_on`` is the field ``#done-on``), then let it check them."""
    for name, value in fields.items():
        field = form.query_one(f"#{name.replace('_', '-')}")
        if isinstance(field, TextArea):
            field.load_text(str(value))
        else:
            assert isinstance(field, Input | Select), field
            field.value = value
    await settle(pilot)


async def open_meetings(pilot: Pilot[object], line: str) -> MeetingsScreen:
    """``E``, with the meetings list's cursor on ``line`` (``series:…`` or ``session:…:year``)."""
    meetings = await open_screen(pilot, MeetingsScreen, "E")
    options = meetings.query_one("#meeting-list")
    options.highlighted = options.get_option_index(line)
    return meetings


async def open_meeting(pilot: Pilot[object], line: str, kind: type[S]) -> S:
    """The form of one line of the meetings list: ``E``, that line, then enter."""
    await open_meetings(pilot, line)
    return await open_screen(pilot, kind, "enter")
