"""`b` with no meeting ahead: the app offers the last session, or a choice, never a flag."""

from __future__ import annotations

from datetime import date

from textual.widgets import OptionList

from tests.tui.conftest import editing_app, from_palette, settle, until
from tui.screens.brief_choice import BriefChoice
from tui.screens.main import MainScreen

DECEMBER_1 = date(2008, 12, 1)
"""After the General Assembly (1–3 June): no 2008 meeting lies ahead."""


def choices(app) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).id) for i in range(options.option_count)]


async def test_b_offers_the_last_session_first_and_writes_its_brief(db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with editing_app(db_path, today=DECEMBER_1) as (app, pilot):
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, BriefChoice), "the choice of session")
        assert choices(app) == ["oas-ga/2008", "cicte-session/2008", "preparatory-meeting/2008"]
        assert app.screen.query_one(OptionList).highlighted == 0  # the last one, ready
        shown = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "1–3 Jun 2008 · ended 181 days ago" in shown
        await pilot.press("enter")
        await settle(pilot)
        written = tmp_path / "cicte-brief-oas-ga-2008-12-01.md"
        assert written.exists()
        brief = written.read_text("utf-8")
        assert brief.startswith("# Brief: OAS General Assembly, 1–3 Jun 2008\n")
        assert "Medellín, Colombia (ended 181 days ago)" in brief
        assert any(str(written) in str(n.message) for n in app._notifications)
        assert not any("--event" in str(n.message) for n in app._notifications)


async def test_another_session_can_be_chosen_and_escape_writes_nothing(
    db_path, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    async with editing_app(db_path, today=DECEMBER_1) as (app, pilot):
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, BriefChoice), "the choice of session")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert list(tmp_path.glob("*.md")) == []

        await from_palette(pilot, "meeting brief")  # the palette asks the same question
        await until(pilot, lambda: isinstance(app.screen, BriefChoice), "the choice of session")
        await pilot.press("down", "enter")
        await settle(pilot)
        written = tmp_path / "cicte-brief-cicte-session-2008-12-01.md"
        brief = written.read_text("utf-8")
        assert "5–7 Mar 2008, Washington, D.C. (ended 269 days ago)" in brief
        assert "## Due after the meeting (2)" in brief  # 1.xiii and 1.vii, both late now


async def test_with_a_meeting_ahead_b_asks_nothing(db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with editing_app(db_path, today=date(2008, 5, 20)) as (app, pilot):
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert (tmp_path / "cicte-brief-oas-ga-2008-05-20.md").exists()
