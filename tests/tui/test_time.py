"""Time done right, from the keyboard: dated completions, sessions by year, counts that agree."""

from __future__ import annotations

import re
from datetime import date

import pytest
from textual.widgets import Input, Select, Static

from store.model import Evidence
from store.report import Counts, assess_all
from store.repository import Tracker
from store.schedule import Outlook
from tests.tui.conftest import (
    detail,
    editing_app,
    fill,
    form_errors,
    header,
    make_app,
    notified,
    open_form,
    open_meeting,
    open_meetings,
    open_screen,
    press_and_settle,
    saved,
    select,
    until,
)
from tui.screens.completion_form import CompletionForm
from tui.screens.dialogs import ConfirmDialog
from tui.screens.meetings import MeetingsScreen, SeriesForm, SessionForm
from tui.screens.obligation_form import ObligationForm
from tui.widgets.agenda import Agenda
from tui.widgets.calendar import MonthCalendar
from tui.widgets.mandate_tree import MandateTree

DEC_20 = date(2008, 12, 20)
MAR_1_2009 = date(2009, 3, 1)


def saved_session(db_path, series, year):
    with Tracker.open(db_path, read_only=True) as tracker:
        return tracker.meetings[series].session(year)


def agenda_lines(app) -> list[str]:
    agenda = app.screen.query_one(Agenda)
    return [str(agenda.get_option_at_index(i).prompt) for i in range(agenda.option_count)]


# -- completing occurrences ------------------------------------------------------


async def test_x_twice_on_4i_completes_30_june_then_31_december(db_path):
    async with editing_app(db_path, DEC_20) as (app, pilot):
        await select(app, pilot, "I-4.i")
        assert "8 overdue" in header(app) and "5 soon" in header(app)
        await press_and_settle(pilot, "x")
        assert "✓ 30 Jun 2008  done on 20 Dec 2008" in detail(app)
        assert "Next due: 31 Dec 2008 (in 11d)" in detail(app)
        assert "7 overdue" in header(app) and "5 soon" in header(app)
        await press_and_settle(pilot, "x")  # again: the next open one, not a take-back
        assert "✓ 31 Dec 2008  done on 20 Dec 2008" in detail(app)
        assert "7 overdue" in header(app) and "4 soon" in header(app)
        await press_and_settle(pilot, "u")  # undo takes back the last one only
        assert "~ 31 Dec 2008  due soon" in detail(app)
    completions = saved(db_path, "4.i").completions
    assert [(c.due, c.done_on) for c in completions] == [(date(2008, 6, 30), DEC_20)]


async def test_the_completion_form_records_a_backdated_day_and_its_evidence(db_path):
    async with editing_app(db_path, date(2008, 6, 20)) as (app, pilot):
        form = await open_form(pilot, "I-1.iv", CompletionForm, "X")
        assert form.query_one("#done-on", Input).value == "2008-06-20"  # today, prefilled
        assert app.focused is form.query_one("#done-on", Input)
        await fill(
            pilot,
            form,
            done_on="2008-03-06",
            document="CICTE/doc.4/08",
            link="https://www.oas.org/cicte",
            outcome="Secretariat [bold]services[/] provided",
        )
        assert form_errors(form) == ""
        await press_and_settle(pilot, "ctrl+s")
        text = detail(app)
        assert "✓ 7 Mar 2008  done on 6 Mar 2008" in text
        assert "document: CICTE/doc.4/08" in text
        assert "link: https://www.oas.org/cicte" in text
        assert "outcome: Secretariat [bold]services[/] provided" in text  # shown as typed
        assert "4 overdue" in header(app)
    (completion,) = saved(db_path, "1.iv").completions
    assert completion.done_on == date(2008, 3, 6) and completion.due == date(2008, 3, 7)
    assert completion.session == "cicte-session/2008"
    assert completion.evidence == Evidence(
        "CICTE/doc.4/08", "https://www.oas.org/cicte", "Secretariat [bold]services[/] provided"
    )


async def test_the_completion_form_refuses_a_day_after_today(db_path):
    async with editing_app(db_path, date(2008, 6, 20)) as (app, pilot):
        form = await open_form(pilot, "I-1.iv", CompletionForm, "X")
        await fill(pilot, form, done_on="2008-06-21")
        assert (
            "done on: 2008-06-21 is after today (2008-06-20); work is recorded once it is done"
            in form_errors(form)
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # refused: the form stays open
        await fill(pilot, form, done_on="6 March")
        assert "done on: '6 March' is not a date; write it as YYYY-MM-DD" in form_errors(form)
        await press_and_settle(pilot, "escape")
    assert saved(db_path, "1.iv").completions == ()


async def test_the_completion_form_takes_the_occurrence_under_the_calendar_cursor(db_path):
    async with editing_app(db_path, DEC_20) as (app, pilot):
        await select(app, pilot, "I-4.i")
        calendar = app.screen.query_one(MonthCalendar)
        calendar.focus()
        calendar.go_to(date(2008, 12, 31))
        form = await open_screen(pilot, CompletionForm, "X")
        assert form.query_one("#occurrence", Select).value == date(2008, 12, 31)
        await press_and_settle(pilot, "ctrl+s")
    (completion,) = saved(db_path, "4.i").completions
    assert completion.due == date(2008, 12, 31)  # the overdue June one is still open


async def test_x_on_an_item_that_never_falls_due_says_why(db_path):
    async with editing_app(db_path, DEC_20) as (app, pilot):
        await select(app, pilot, "I-1.i")
        await press_and_settle(pilot, "X")
        assert not isinstance(app.screen, CompletionForm)
        assert "1.i never falls due" in notified(app)


# -- meetings: series and sessions ------------------------------------------------


async def test_e_adds_next_years_cicte_session_in_one_short_form(db_path):
    async with editing_app(db_path, MAR_1_2009) as (app, pilot):
        meetings = await open_meetings(pilot, "series:cicte-session")
        listed = str(meetings.query_one("#meeting-list").get_option_at_index(0).prompt)
        assert "CICTE regular session" in listed and "obligations" in listed
        form = await open_screen(pilot, SessionForm, "n")
        assert form.query_one("#year", Input).value == "2009"  # the year after the latest
        assert app.focused is form.query_one("#start", Input)  # it opens on the dates
        await press_and_settle(pilot, *"2009-03-04", "tab", *"2009-03-06")
        await press_and_settle(pilot, "ctrl+s")
        meetings = app.screen
        assert isinstance(meetings, MeetingsScreen)  # back in the list, on the new session
        options = meetings.query_one("#meeting-list")
        assert options.get_option_at_index(options.highlighted).id == "session:cicte-session:2009"
        assert "2009  4–6 Mar 2009" in str(options.get_option_at_index(options.highlighted).prompt)
        await press_and_settle(pilot, "escape")
        app.screen.show_day(date(2009, 3, 1))
        await pilot.pause()
        grid = app.screen.query_one(MonthCalendar).render().plain
        assert "4–6 Mar 2009 CICTE regular session" in grid
    session = saved_session(db_path, "cicte-session", 2009)
    assert (session.start, session.end) == (date(2009, 3, 4), date(2009, 3, 6))
    assert saved_session(db_path, "cicte-session", 2008).start == date(2008, 3, 5)  # untouched


async def test_moving_the_session_keeps_a_completion_and_moves_what_is_open(db_path):
    async with editing_app(db_path, date(2008, 3, 6)) as (app, pilot):
        await select(app, pilot, "I-1.iv")
        await press_and_settle(pilot, "x")  # done on 6 Mar, for the 7 Mar deadline
        form = await open_meeting(pilot, "session:cicte-session:2008", SessionForm)
        await fill(pilot, form, start="2008-03-10", end="2008-03-12")
        await press_and_settle(pilot, "ctrl+s")
        await press_and_settle(pilot, "escape")
        await select(app, pilot, "I-1.iv")
        assert "✓ 7 Mar 2008  done on 6 Mar 2008" in detail(app)
        assert "session: CICTE regular session 2008 (Eighth Regular Session), 10–12 Mar" in detail(
            app
        )
        await select(app, pilot, "I-1.viii")
        assert "Next due: 12 Mar 2008 (in 6d)" in detail(app)
        await select(app, pilot, "I-1.v")  # alongside the session: it moves with it
        assert "Next due: 12 Mar 2008" in detail(app)
    (completion,) = saved(db_path, "1.iv").completions
    assert (completion.due, completion.done_on) == (date(2008, 3, 7), date(2008, 3, 6))


async def test_a_session_longer_than_two_weeks_asks_before_it_is_saved(db_path):
    async with editing_app(db_path, date(2008, 2, 1)) as (app, pilot):
        form = await open_meeting(pilot, "session:cicte-session:2008", SessionForm)
        await fill(pilot, form, end="2008-03-25")
        warnings = str(form.query_one("#form-warnings", Static).content)
        assert "the meeting lasts 21 days (more than 14)" in warnings
        await open_screen(pilot, ConfirmDialog, "ctrl+s")
        assert await open_screen(pilot, SessionForm, "n") is form  # not saved: back to the form
        await open_screen(pilot, ConfirmDialog, "ctrl+s")
        await press_and_settle(pilot, "y")
        assert isinstance(app.screen, MeetingsScreen)
    assert saved_session(db_path, "cicte-session", 2008).end == date(2008, 3, 25)


async def test_a_session_holding_completed_occurrences_cannot_be_deleted(db_path):
    async with editing_app(db_path, date(2008, 6, 20)) as (app, pilot):
        await select(app, pilot, "I-1.iv")
        await press_and_settle(pilot, "x")
        await open_meetings(pilot, "session:cicte-session:2008")
        await press_and_settle(pilot, "d")
        assert not isinstance(app.screen, ConfirmDialog)  # refused outright, with the reason
        assert "the 2008 session holds completed occurrences (1.iv)" in notified(app)
        assert isinstance(app.screen, MeetingsScreen)
    assert saved_session(db_path, "cicte-session", 2008) is not None


async def test_a_session_without_completions_is_deleted_after_asking(db_path):
    async with editing_app(db_path, date(2008, 6, 20)) as (app, pilot):
        await open_meetings(pilot, "session:oas-ga:2008")
        await open_screen(pilot, ConfirmDialog, "d")
        await press_and_settle(pilot, "y")
        await press_and_settle(pilot, "escape")
        await select(app, pilot, "I-1.vii")  # between the session and the Assembly: it waits
        assert "waiting for the date of the OAS General Assembly 2008" in detail(app)
    assert saved_session(db_path, "oas-ga", 2008) is None


async def test_a_series_named_by_schedules_cannot_be_deleted(db_path):
    async with editing_app(db_path, date(2008, 6, 20)) as (app, pilot):
        await open_meetings(pilot, "series:oas-ga")
        await press_and_settle(pilot, "d")
        assert "the schedule of 1.vii names oas-ga" in notified(app)
    with Tracker.open(db_path, read_only=True) as tracker:
        assert "oas-ga" in tracker.meetings


async def test_a_series_name_and_alongside_are_editable(db_path):
    async with editing_app(db_path, date(2008, 6, 20)) as (app, pilot):
        form = await open_meeting(pilot, "series:pcn-meeting", SeriesForm)
        assert form.query_one("#alongside", Select).value == "cicte-session"
        await fill(pilot, form, name="PCN meeting", alongside="")
        await press_and_settle(pilot, "ctrl+s")
        await press_and_settle(pilot, "escape")
        await select(app, pilot, "I-1.v")  # no dates of its own any more: it waits
        assert "waiting for the date of the PCN meeting 2008" in detail(app)
        assert "4 overdue" in header(app)
    with Tracker.open(db_path, read_only=True) as tracker:
        series = tracker.meetings["pcn-meeting"]
        assert (series.name, series.alongside) == ("PCN meeting", None)


async def test_a_series_cannot_sit_alongside_one_that_sits_alongside_another(db_path):
    async with editing_app(db_path, date(2008, 6, 20)) as (app, pilot):
        form = await open_meeting(pilot, "series:oas-ga", SeriesForm)
        await fill(pilot, form, alongside="pcn-meeting")
        assert "alongside: pcn-meeting itself takes another meeting's dates" in form_errors(form)


# -- dates and counts that agree ----------------------------------------------------


async def test_1v_falls_due_alongside_the_cicte_session():
    app = make_app(date(2008, 3, 1))
    async with app.run_test(size=(120, 40)) as pilot:
        await select(app, pilot, "I-1.v")
        text = detail(app)
        assert "Next due: 7 Mar 2008 (in 6d)" in text
        assert "assumed: alongside the CICTE regular session, footnote 4" in text


async def test_a_programme_period_that_ended_is_renew_or_close_not_overdue():
    app = make_app(MAR_1_2009)
    async with app.run_test(size=(120, 40)) as pilot:
        await select(app, pilot, "II-1.D.1")
        line = app.screen.query_one(MandateTree).cursor_node.label.plain
        assert line.startswith("⊘ II-1.D.1 ended")
        assert "⊘ period ended — renew or close" in detail(app)
        assert "late" not in line and "! overdue" not in detail(app)
        await pilot.press("o")
        assert "II-1.D.1" not in app.screen.query_one(MandateTree).obligation_keys()


@pytest.mark.parametrize(
    ("today", "overdue", "due_soon"),
    [(date(2008, 6, 15), 5, 0), (DEC_20, 8, 5), (MAR_1_2009, 11, 0)],
)
async def test_header_and_agenda_count_the_same_obligations(today, overdue, due_soon):
    app = make_app(today)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        tracker = app.tracker
        counts = Counts.of(assess_all(tracker, tracker.plan, tracker.meetings, Outlook(today)))
        assert (counts.overdue, counts.due_soon) == (overdue, due_soon)
        assert f"! {overdue} overdue" in header(app) and f"~ {due_soon} soon" in header(app)
        lines = agenda_lines(app)
        assert f"Overdue: {overdue or 'none'}" in lines
        assert f"Due soon (14 days): {due_soon or 'none'}" in lines
        start = lines.index(f"Overdue: {overdue or 'none'}") + 1
        rows = [line for line in lines[start : start + overdue] if " ! " in line]
        numbers = [line.split(" ! ")[1].split()[0] for line in rows]
        assert len(numbers) == overdue == len(set(numbers))  # one line per obligation


async def test_dates_outside_todays_year_show_their_year():
    app = make_app(MAR_1_2009)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        lines = agenda_lines(app)
        assert any(re.match(r"\s*7 Mar 2008 ! 1\.iv\b", line) for line in lines)
        assert any(re.match(r"30 Jun 2008 ! 4\.i \+1\b", line) for line in lines)  # and 31 Dec
        assert "On 1 Mar: none" in lines
        app.screen.show_day(date(2008, 3, 7))
        await until(pilot, lambda: "On 7 Mar 2008: 3" in agenda_lines(app), "the day's agenda")
    before = make_app(date(2007, 12, 1))
    async with before.run_test(size=(120, 40)) as pilot:
        await select(before, pilot, "I-1.ii")
        line = before.screen.query_one(MandateTree).cursor_node.label.plain
        assert "1.ii due 30 Sep 2008" in line
    during = make_app(date(2008, 6, 15))
    async with during.run_test(size=(120, 40)) as pilot:
        await select(during, pilot, "I-1.ii")
        line = during.screen.query_one(MandateTree).cursor_node.label.plain
        assert "1.ii due 30 Sep ↻" in line  # this year's dates stay short


async def test_a_narrow_agenda_keeps_each_dates_year_and_whole_ids():
    app = make_app(MAR_1_2009)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(Agenda).size.width < 30  # the compact layout
        lines = agenda_lines(app)
        overdue = lines.index("Overdue: 11")
        entries = lines[overdue + 1 :]
        # An entry too wide for one line keeps its date, year included, just above it.
        assert entries[0] == "7 Mar 2008\n  ! 1.iv"
        assert "30 Jun 2008\n  ! 4.i +1" in entries
        assert "31 Dec 2008\n  ! II-3.A.3" in entries and "31 Dec 2008\n  ! II-3.B.2" in entries


async def test_a_completion_whose_occurrence_left_the_schedule_is_kept_as_history(db_path):
    async with editing_app(db_path, date(2008, 10, 2)) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await press_and_settle(pilot, "x")  # the 30 September draft plan, done on 2 October
        form = await open_screen(pilot, ObligationForm, "e")
        await fill(pilot, form, schedule_input="2008-11-30")
        await press_and_settle(pilot, "ctrl+s")
        text = detail(app)
        assert "· 30 Nov 2008  upcoming" in text
        assert "✓ due 30 Sep 2008  done on 2 Oct 2008  — no longer scheduled" in text
    assert [c.due for c in saved(db_path, "1.ii").completions] == [date(2008, 9, 30)]
