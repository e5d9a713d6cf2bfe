"""The 9999 cases and overlong texts in the app's forms: shown as they are typed, never saved;
and the app on the first and last days allowed, and on a rule that recurs daily for years."""

from __future__ import annotations

from datetime import date

from textual.widgets import Button, Static

from store.repository import Tracker, seed_document
from store.schedule import MAX_OCCURRENCES
from tests.tui.conftest import (
    editing_app,
    fill,
    form_errors,
    make_app,
    open_form,
    open_meeting,
    press_and_settle,
    saved,
    select,
)
from tui.screens.completion_form import CompletionForm
from tui.screens.dialogs import NoteForm
from tui.screens.meetings import SeriesForm, SessionForm
from tui.screens.obligation_form import ObligationForm
from tui.widgets.detail import DetailPane

NINES = "9999-12-30: the year 9999 is not between 1900 and 2100"
DEC_1 = date(2008, 12, 1)


async def refused_as_typed(app, pilot, form, words, **fields):
    """Typed in the form: the problem shows under the fields, Save is greyed out,
    and ctrl+s keeps the form."""
    await fill(pilot, form, **fields)
    assert words in form_errors(form)
    assert form.query_one("#save", Button).disabled
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert app.screen is form


async def test_the_session_form_refuses_a_last_day_of_9999_and_a_long_place(db_path):
    async with editing_app(db_path) as (app, pilot):
        form = await open_meeting(pilot, "session:cicte-session:2008", SessionForm)
        await refused_as_typed(app, pilot, form, f"last day: {NINES}", end="9999-12-30")
        words = "place: 501 characters; the limit is 500"
        await refused_as_typed(app, pilot, form, words, end="2008-03-07", place="p" * 501)
        await press_and_settle(pilot, "escape", "escape")
    with Tracker.open(db_path, read_only=True) as tracker:
        session = tracker.meetings["cicte-session"].session(2008)
        assert (session.end, session.place) == (date(2008, 3, 7), "Washington, D.C.")


async def test_the_series_form_refuses_a_long_name(db_path):
    async with editing_app(db_path) as (app, pilot):
        form = await open_meeting(pilot, "series:oas-ga", SeriesForm)
        words = "name: 501 characters; the limit is 500"
        await refused_as_typed(app, pilot, form, words, name="n" * 501)


async def test_the_completion_form_refuses_9999_and_long_evidence(db_path):
    async with editing_app(db_path, DEC_1) as (app, pilot):
        form = await open_form(pilot, "I-1.ii", CompletionForm, "X")
        await refused_as_typed(app, pilot, form, f"done on: {NINES}", done_on="9999-12-30")
        words = "outcome: 501 characters; the limit is 500"
        await refused_as_typed(app, pilot, form, words, done_on="2008-11-30", outcome="o" * 501)
        words = "link: 2,001 characters; the limit is 2,000"
        await refused_as_typed(app, pilot, form, words, link="l" * 2001)
    assert saved(db_path, "1.ii").completions == ()


async def test_the_edit_form_refuses_a_long_owner_and_a_review_in_9999(db_path):
    async with editing_app(db_path) as (app, pilot):
        form = await open_form(pilot, "I-1.ii", ObligationForm, "e")
        words = "owner: 101 characters; the limit is 100"
        await refused_as_typed(app, pilot, form, words, owner="o" * 101)
        words = f"last reviewed: {NINES}"
        await refused_as_typed(app, pilot, form, words, owner="Ana", reviewed="9999-12-30")
        words = "schedule: see the message under the rule"
        await refused_as_typed(app, pilot, form, words, reviewed="", schedule_input="9999-12-30")
        assert NINES in str(form.query_one("#schedule-preview", Static).content)
    assert saved(db_path, "1.ii").owner == ""


async def test_the_add_form_refuses_a_text_over_its_limit(db_path):
    async with editing_app(db_path) as (app, pilot):
        form = await open_form(pilot, "I-1.xiii", ObligationForm, "a")
        words = "text: 10,001 characters; the limit is 10,000"
        await refused_as_typed(app, pilot, form, words, text="t" * 10_001)
    assert saved(db_path, "1.xiv") is None


async def test_the_note_form_says_a_note_is_too_long_as_it_is_typed(db_path):
    async with editing_app(db_path) as (app, pilot):
        form = await open_form(pilot, "I-1.ii", NoteForm, "n")
        await fill(pilot, form, note_text="n" * 20_000)
        assert form_errors(form) == ""  # at the limit: nothing to say
        await press_and_settle(pilot, "end", "x")
        assert "note: 20,001 characters; the limit is 20,000" in form_errors(form)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        await press_and_settle(pilot, "backspace")
        assert form_errors(form) == ""
        await press_and_settle(pilot, "ctrl+s")
    (note,) = saved(db_path, "1.ii").notes
    assert len(note.text) == 20_000


async def test_the_app_works_on_the_first_and_the_last_day_allowed():
    for today in (date(1900, 1, 1), date(2100, 12, 31)):
        app = make_app(today)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert today.strftime("%Y") in str(app.screen.query_one("#header", Static).content)
            await press_and_settle(pilot, "tab", "tab", "right", "down", "left", "up")  # calendar


async def test_a_rule_recurring_daily_since_1900_shows_its_plan_years_only():
    document = seed_document()
    plan = document["plans"]["1"]["plan"]
    plan["period_start"], plan["period_end"] = "2007-01-01", "2009-12-31"
    for item in document["obligations"].values():
        if item["key"] == "I-1.ii":
            item["rules"] = ["every 1 day from 1900-01-01"]
    tracker = Tracker.in_memory(document)
    app = make_app(date(2100, 12, 31), tracker)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await select(app, pilot, "I-1.ii")
        assessment = app.screen.view.assessments["I-1.ii"]
        dues = [o.due for o in assessment.occurrences]
        assert len(dues) == MAX_OCCURRENCES and dues[0] == date(2007, 1, 1)
        assert "every 1 day" in app.screen.query_one(DetailPane).content.plain
