"""What stays true while the tracker is open is said in a banner: no backup, read-only."""

from __future__ import annotations

import errno

from textual.widgets import Static

from store.repository import Tracker
from tests.tui.conftest import editing_app, saved, settle


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
        app.screen.jump_to("I-1.i")
        await pilot.pause()
        await pilot.press("s")
        await settle(pilot)
    assert saved(db_path, "1.i").status.value == "in progress"


async def test_a_good_open_shows_no_banner(db_path):
    async with editing_app(db_path) as (app, pilot):
        assert banner(app) == ""
