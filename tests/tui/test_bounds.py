"""The 9999 cases and overlong texts in the app's forms: shown as they are typed, never saved;
and the app on the first and last days allowed, and on a rule that recurs daily for years."""

from __future__ import annotations

from datetime import date

from textual.widgets import Button, Input, Static, TextArea

from store.repository import Tracker, seed_document
from store.schedule import MAX_OCCURRENCES
from tests.tui.conftest import editing_app, make_app, saved, settle
from tui.screens.completion_form import CompletionForm
from tui.screens.dialogs import NoteForm
from tui.screens.meetings import MeetingsScreen, SeriesForm, SessionForm
from tui.screens.obligation_form import ObligationForm
from tui.widgets.detail import DetailPane

NINES = "9999-12-30: the year 9999 is not between 1900 and 2100"
DEC_1 = date(2008, 12, 1)


def form_errors(form) -> str:
    return str(form.query_one("#form-errors", Static).content)


async def select(app, pilot, key):
    app.screen.jump_to(key)
    await pilot.pause()


async def refused_as_typed(app, pilot, form, words):
    """The problem shows under the fields, Save is greyed out, and ctrl+s keeps the form."""
    await settle(pilot)
    assert words in form_errors(form)
    assert form.query_one("#save", Button).disabled
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert app.screen is form


async def open_session(app, pilot, series="cicte-session", year=2008) -> SessionForm:
    await pilot.press("E")
    await pilot.pause()
    assert isinstance(app.screen, MeetingsScreen)
    options = app.screen.query_one("#meeting-list")
    options.highlighted = options.get_option_index(f"session:{series}:{year}")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, SessionForm)
    return app.screen


async def test_the_session_form_refuses_a_last_day_of_9999_and_a_long_place(db_path):
    async with editing_app(db_path) as (app, pilot):
        form = await open_session(app, pilot)
        form.query_one("#end", Input).value = "9999-12-30"
        await refused_as_typed(app, pilot, form, f"last day: {NINES}")
        form.query_one("#end", Input).value = "2008-03-07"
        form.query_one("#place", Input).value = "p" * 501
        await refused_as_typed(app, pilot, form, "place: 501 characters; the limit is 500")
        await pilot.press("escape", "escape")
        await settle(pilot)
    with Tracker.open(db_path, read_only=True) as tracker:
        session = tracker.meetings["cicte-session"].session(2008)
        assert (session.end, session.place) == (date(2008, 3, 7), "Washington, D.C.")


async def test_the_series_form_refuses_a_long_name(db_path):
    async with editing_app(db_path) as (app, pilot):
        await pilot.press("E")
        await pilot.pause()
        options = app.screen.query_one("#meeting-list")
        options.highlighted = options.get_option_index("series:oas-ga")
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SeriesForm)
        form.query_one("#name", Input).value = "n" * 501
        await refused_as_typed(app, pilot, form, "name: 501 characters; the limit is 500")


async def test_the_completion_form_refuses_9999_and_long_evidence(db_path):
    async with editing_app(db_path, DEC_1) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await pilot.press("X")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CompletionForm)
        form.query_one("#done-on", Input).value = "9999-12-30"
        await refused_as_typed(app, pilot, form, f"done on: {NINES}")
        form.query_one("#done-on", Input).value = "2008-11-30"
        form.query_one("#outcome", Input).value = "o" * 501
        await refused_as_typed(app, pilot, form, "outcome: 501 characters; the limit is 500")
        form.query_one("#link", Input).value = "l" * 2001
        await refused_as_typed(app, pilot, form, "link: 2,001 characters; the limit is 2,000")
    assert saved(db_path, "1.ii").completions == ()


async def test_the_edit_form_refuses_a_long_owner_and_a_review_in_9999(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ObligationForm)
        form.query_one("#owner", Input).value = "o" * 101
        await refused_as_typed(app, pilot, form, "owner: 101 characters; the limit is 100")
        form.query_one("#owner", Input).value = "Ana"
        form.query_one("#reviewed", Input).value = "9999-12-30"
        await refused_as_typed(app, pilot, form, f"last reviewed: {NINES}")
        form.query_one("#reviewed", Input).value = ""
        form.query_one("#schedule-input", Input).value = "9999-12-30"
        await refused_as_typed(app, pilot, form, "schedule: see the message under the rule")
        assert NINES in str(form.query_one("#schedule-preview", Static).content)
    assert saved(db_path, "1.ii").owner == ""


async def test_the_add_form_refuses_a_text_over_its_limit(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.xiii")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ObligationForm)
        form.query_one("#text", TextArea).load_text("t" * 10_001)
        await refused_as_typed(app, pilot, form, "text: 10,001 characters; the limit is 10,000")
    assert saved(db_path, "1.xiv") is None


async def test_the_note_form_says_a_note_is_too_long_as_it_is_typed(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NoteForm)
        form.query_one(TextArea).load_text("n" * 20_000)
        await settle(pilot)
        assert form_errors(form) == ""  # at the limit: nothing to say
        await pilot.press("end", "x")
        await settle(pilot)
        assert "note: 20,001 characters; the limit is 20,000" in form_errors(form)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        await pilot.press("backspace")
        await settle(pilot)
        assert form_errors(form) == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
    (note,) = saved(db_path, "1.ii").notes
    assert len(note.text) == 20_000


async def test_the_app_works_on_the_first_and_the_last_day_allowed():
    for today in (date(1900, 1, 1), date(2100, 12, 31)):
        app = make_app(today)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert today.strftime("%Y") in str(app.screen.query_one("#header", Static).content)
            await pilot.press("tab", "tab", "right", "down", "left", "up")  # the calendar
            await settle(pilot)


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
