"""What stays true while the tracker is open is said in a banner: no backup, read-only."""

from __future__ import annotations

import errno

from textual.widgets import Static

from store.repository import Tracker
from tests.tui.conftest import editing_app, saved, select, settle


def banner(app) -> str:
    widget = app.screen.query_one("#banner", Static)
    return str(widget.render()) if widget.display else ""


async def test_no_backup_opens_for_editing_with_a_banner(db_path, monkeypatch):
    import store.repository

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    Tracker.open(db_path).close()
    monkeypatch.setattr(store.repository, "back_up", disk_full)
    async with editing_app(db_path) as (app, pilot):
        assert "no backup could be written (No space left on device)" in banner(app)
        await select(app, pilot, "I-1.i")
        await pilot.press("s")
        await settle(pilot)
    assert saved(db_path, "1.i").status.value == "in progress"


async def test_a_good_open_shows_no_banner(db_path):
    async with editing_app(db_path) as (app, pilot):
        assert banner(app) == ""


async def test_a_read_only_app_edits_once_the_other_one_has_closed(db_path):
    from datetime import date

    from store.schedule import Outlook
    from tui.app import CicteApp
    from tui.cli.options import Options

    other = Tracker.open(db_path)  # another cicte-tui editing
    options = Options(db=db_path, today=date(2008, 6, 20), today_source="--today")
    from tui.app import open_tracker

    tracker = open_tracker(options)
    app = CicteApp(tracker, Outlook(date(2008, 6, 20)), "--today")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert tracker.read_only and "Read-only: another cicte-tui is editing" in banner(app)
            await select(app, pilot, "I-1.i")
            await pilot.press("s")  # still held: refused
            await settle(pilot)
            assert saved(db_path, "1.i").status.value == "not started"
            other.close()
            await pilot.press("s")
            await settle(pilot)
            assert not tracker.read_only and banner(app) == ""
            assert "READ-ONLY" not in str(app.screen.query_one("#header").render())
    finally:
        tracker.close()
        other.close()
    assert saved(db_path, "1.i").status.value == "in progress"
