"""Key screens pinned as SVG snapshots, on 15 June 2008 (regenerate: pytest --snapshot-update)."""

from __future__ import annotations

from datetime import date
from functools import partial

from tests.tui.conftest import make_app


def test_main_screen_wide(snap_compare):
    assert snap_compare(make_app(), terminal_size=(120, 40), press=["down", "down", "down"])


def test_main_screen_80_by_24(snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["down", "down", "down", "down"])


async def _march(pilot, day: int, theme: str | None = None):
    """1.viii's day and the session's days, the calendar focused on ``day`` March.

    Overdue, recurring, stale and done items; the session's days, the item's day, the cursor.
    """
    app = pilot.app
    if theme is not None:
        app.theme = theme
    await pilot.pause()
    app.screen.jump_to("I-1.viii")
    await pilot.pause()
    app.screen.show_day(date(2008, 3, day))
    await pilot.press("tab", "tab")


async def _typed_in_form(pilot, item: str, key: str, field: str, value: str):
    """``key`` on ``item`` opens a form; ``value`` typed in its ``field``."""
    await pilot.pause()
    pilot.app.screen.jump_to(item)
    await pilot.press(key)
    await pilot.pause()
    pilot.app.screen.query_one(field).value = value
    await pilot.pause()


def test_calendar_on_march_2008(snap_compare):
    show_march = partial(_march, day=7)
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=show_march)


def test_overdue_filter(snap_compare):
    assert snap_compare(make_app(), terminal_size=(120, 40), press=["o", "down"])


def test_overdue_filter_80_by_24(snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["o", "down", "down"])


def test_edit_form_with_a_validation_error(snap_compare):
    bad_date = partial(
        _typed_in_form, item="I-1.ii", key="e", field="#schedule-input", value="2008-02-30"
    )
    assert snap_compare(make_app(), terminal_size=(100, 34), run_before=bad_date)


def test_main_screen_on_1_march_2009_80_by_24(snap_compare):
    async def period_ended(pilot):
        await pilot.pause()
        pilot.app.screen.jump_to("II-1.D.1")
        await pilot.pause()

    assert snap_compare(make_app(date(2009, 3, 1)), terminal_size=(80, 24), run_before=period_ended)


def test_meetings_editor(snap_compare):
    assert snap_compare(make_app(), terminal_size=(100, 30), press=["E", "down"])


def test_completion_form_with_a_future_date(snap_compare):
    future = partial(_typed_in_form, item="I-1.iv", key="X", field="#done-on", value="2008-06-16")
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=future)


def test_main_screen_in_a_light_theme(snap_compare):
    light = partial(_march, day=6, theme="textual-light")
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=light)


def test_main_screen_in_a_dark_theme(snap_compare):
    dark = partial(_march, day=6, theme="nord")
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=dark)
