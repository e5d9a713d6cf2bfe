"""Someone else changes the tracker file while the app has it open: never a silent overwrite.

The other writer here goes around the lock (a hand edit, a sync tool, an
import after the lock file was deleted): it replaces the file directly.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from store.model import Status
from tests.tui.conftest import (
    editing_app,
    notified,
    press_and_settle,
    saved,
    select,
    settle,
    until,
)
from tui.screens.conflict import ConflictDialog
from tui.screens.main import MainScreen


def change_on_disk(db_path: Path, **owners_and_statuses: tuple[str, str]) -> bytes:
    """Replace the file as another program would: ``1.i=("owner", "Bea")``…"""
    document = json.loads(db_path.read_text("utf-8"))
    for number, (field, value) in owners_and_statuses.items():
        row = next(
            r for r in document["obligations"].values() if r["number"] == number.replace("_", ".")
        )
        row[field] = value
    raw = json.dumps(document, ensure_ascii=False).encode("utf-8")
    other = db_path.with_name("elsewhere.json")
    other.write_bytes(raw)
    os.replace(other, db_path)
    return raw


async def cycle_status(app, pilot, key: str) -> None:
    """``s`` on ``key``."""
    await select(app, pilot, key)
    await pilot.press("s")


async def s_on_1i_asks(app, pilot, what: str = "the conflict dialog") -> None:
    """``s`` on 1.i, whose status changed on disk too: the conflict dialog asks."""
    await cycle_status(app, pilot, "I-1.i")
    await until(pilot, lambda: isinstance(app.screen, ConflictDialog), what)


async def a_clash_answered(app, pilot, db_path, key: str) -> bytes:
    """1.i blocked on disk, ``s`` on 1.i in the app, ``key`` in the dialog; the file on disk."""
    theirs = change_on_disk(db_path, **{"1_i": ("status", "blocked")})
    await s_on_1i_asks(app, pilot)
    await press_and_settle(pilot, key)
    return theirs


async def test_an_edit_of_another_item_is_made_on_top_of_the_change_on_disk(db_path):
    async with editing_app(db_path) as (app, pilot):
        change_on_disk(db_path, **{"1_iii": ("owner", "Bea")})
        await cycle_status(app, pilot, "I-1.i")
        await settle(pilot)
        assert "changed by another program; your edit was made on top" in notified(app)
        assert app.tracker.find("1.iii").owner == "Bea"  # the app shows their change too
    assert saved(db_path, "1.i").status is Status.IN_PROGRESS
    assert saved(db_path, "1.iii").owner == "Bea"


async def test_a_clash_asks_and_keep_mine_saves_mine_and_keeps_their_other_change(db_path):
    async with editing_app(db_path) as (app, pilot):
        change_on_disk(db_path, **{"1_i": ("status", "blocked"), "1_iii": ("owner", "Bea")})
        await s_on_1i_asks(app, pilot)
        assert "obligations 2008/I-1.i: status" in str(app.screen.query_one("Static").render())
        await press_and_settle(pilot, "m")
        assert isinstance(app.screen, MainScreen)
    assert saved(db_path, "1.i").status is Status.IN_PROGRESS
    assert saved(db_path, "1.iii").owner == "Bea"


async def test_reload_drops_my_edit_and_shows_the_file_as_it_is(db_path):
    async with editing_app(db_path) as (app, pilot):
        theirs = await a_clash_answered(app, pilot, db_path, "r")
        assert db_path.read_bytes() == theirs
        assert app.tracker.find("1.i").status is Status.BLOCKED
        assert "Not saved" in notified(app)


async def test_cancel_saves_nothing_and_the_next_edit_asks_again(db_path):
    async with editing_app(db_path) as (app, pilot):
        theirs = await a_clash_answered(app, pilot, db_path, "escape")
        assert db_path.read_bytes() == theirs
        assert app.tracker.find("1.i").status is Status.NOT_STARTED  # as it was read
        await s_on_1i_asks(app, pilot, "asked again")
        await press_and_settle(pilot, "c")
    assert db_path.read_bytes() == theirs


async def test_an_edit_while_the_file_on_disk_is_broken_is_refused_and_the_app_goes_on(db_path):
    async with editing_app(db_path) as (app, pilot):
        db_path.write_text("{garbage", "utf-8")
        await cycle_status(app, pilot, "I-1.i")
        await settle(pilot)
        assert app.is_running
        assert "Not saved" in notified(app) and "not a readable tracker" in notified(app)
        assert app.tracker.find("1.i").status is Status.NOT_STARTED  # as it was read
        assert len(list(app.tracker)) == 58
    assert db_path.read_text("utf-8") == "{garbage"
