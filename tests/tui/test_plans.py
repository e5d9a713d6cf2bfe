"""Plan years in the app: the header says which, P switches, and next year starts from a form."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, OptionList

from store.model import Session
from store.plan_years import start_plan
from store.repository import Tracker
from tests.tui.conftest import editing_app, make_app, saved, settle, until
from tui.screens.plans import NewPlanForm, PlanChooser
from tui.widgets.detail import DetailPane
from tui.widgets.header import TrackerHeader

MARCH_1_2009 = date(2009, 3, 1)


def header(app) -> str:
    return str(app.screen.query_one(TrackerHeader).render())


def two_plans() -> Tracker:
    tracker = Tracker.in_memory()
    start_plan(
        tracker, 2009, 2008, [("cicte-session", Session(2009, date(2009, 3, 4), date(2009, 3, 6)))]
    )
    tracker.select(2008)
    return tracker


async def choose(pilot, label: str) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, PlanChooser), "the plan chooser")
    options = pilot.app.screen.query_one(OptionList)
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    options.highlighted = next(i for i, p in enumerate(prompts) if label in p)
    await pilot.press("enter")
    await settle(pilot)


async def test_after_the_plan_year_the_header_offers_to_start_the_next():
    app = make_app(MARCH_1_2009)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Plan 2008 ended: P starts 2009" in header(app)


async def test_p_switches_between_plan_years_and_every_pane_follows():
    app = make_app(MARCH_1_2009, two_plans())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Plan 2008" in header(app) and "P starts" not in header(app)  # 2009 exists
        assert "! 11 overdue" in header(app)
        await pilot.press("P")
        await choose(pilot, "2009")
        assert "Plan 2009" in header(app) and "Work plan 2009 (from CICTE/RP/doc.2/07)" in header(
            app
        )
        assert "! 3 overdue" in header(app)  # the carried-over deliverables of 2008
        app.screen.jump_to("I-1.vii")
        await pilot.pause()
        detail = str(app.screen.query_one(DetailPane).content)
        assert "Carried over from 2008" in detail


async def test_the_next_plan_is_started_from_a_form(db_path):
    async with editing_app(db_path, MARCH_1_2009) as (app, pilot):
        await pilot.press("P")
        await choose(pilot, "Start the 2009 plan")
        assert isinstance(app.screen, NewPlanForm)
        app.screen.query_one("#start-cicte-session", Input).value = "2009-03-04"
        app.screen.query_one("#end-cicte-session", Input).value = "2009-03-06"
        await pilot.pause()
        waiting = str(app.screen.query_one("#form-waiting").render())
        assert "OAS General Assembly" in waiting  # left without dates: its items will wait
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Plan 2009" in header(app), "the 2009 plan")
        assert "Started the 2009 plan: 58 items, 11 carried over" in " ".join(
            str(n.message) for n in app._notifications
        )
    with Tracker.open(db_path, read_only=True) as tracker:
        assert list(tracker.plans) == [2008, 2009]
        assert tracker.meetings["cicte-session"].session(2009).start == date(2009, 3, 4)
        assert tracker.year == 2009 and len(tracker) == 58
        carried = [o.number for o in tracker if o.carried_from == 2008]
        assert len(carried) == 11 and "1.iv" in carried  # overdue at the end of 2008
    assert saved(db_path, "1.iv").completions == ()  # the 2009 record starts afresh


async def test_the_palette_switches_plans_too():
    from tests.tui.conftest import from_palette

    app = make_app(MARCH_1_2009, two_plans())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await from_palette(pilot, "work on the 2009 plan")
        await until(pilot, lambda: "Plan 2009" in header(app), "the 2009 plan")
        await from_palette(pilot, "start the 2010 plan")
        await until(pilot, lambda: isinstance(app.screen, NewPlanForm), "the new plan form")
