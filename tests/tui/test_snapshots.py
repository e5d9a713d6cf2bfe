"""Key screens pinned as SVG snapshots, on 15 June 2008 (regenerate: pytest --snapshot-update)."""

from __future__ import annotations

from datetime import date

from tests.tui.conftest import make_app


def test_main_screen_wide(snap_compare):
    assert snap_compare(make_app(), terminal_size=(120, 40), press=["down", "down", "down"])


def test_main_screen_80_by_24(snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["down", "down", "down", "down"])


def test_calendar_on_march_2008(snap_compare):
    async def show_march(pilot):
        app = pilot.app
        await pilot.pause()
        app.screen.jump_to("I-1.viii")
        await pilot.pause()
        app.screen.show_day(date(2008, 3, 7))
        await pilot.press("tab", "tab")

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=show_march)


def test_overdue_filter(snap_compare):
    assert snap_compare(make_app(), terminal_size=(120, 40), press=["o", "down"])


def test_overdue_filter_80_by_24(snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["o", "down", "down"])


def test_edit_form_with_a_validation_error(snap_compare):
    async def bad_date(pilot):
        await pilot.pause()
        pilot.app.screen.jump_to("I-1.ii")
        await pilot.press("e")
        await pilot.pause()
        pilot.app.screen.query_one("#schedule-input").value = "2008-02-30"
        await pilot.pause()

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
    async def future(pilot):
        await pilot.pause()
        pilot.app.screen.jump_to("I-1.iv")
        await pilot.press("X")
        await pilot.pause()
        pilot.app.screen.query_one("#done-on").value = "2008-06-16"
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=future)


async def _march_in_theme(pilot, theme):
    """Overdue, recurring, stale and done items; the session's days, the item's day, the cursor."""
    app = pilot.app
    app.theme = theme
    await pilot.pause()
    app.screen.jump_to("I-1.viii")
    await pilot.pause()
    app.screen.show_day(date(2008, 3, 6))
    await pilot.press("tab", "tab")


def test_main_screen_in_a_light_theme(snap_compare):
    async def light(pilot):
        await _march_in_theme(pilot, "textual-light")

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=light)


def test_main_screen_in_a_dark_theme(snap_compare):
    async def dark(pilot):
        await _march_in_theme(pilot, "nord")

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=dark)
