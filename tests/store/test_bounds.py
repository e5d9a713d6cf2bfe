"""Bounds: dates between 1900 and 2100, occurrences within the plan years and capped,
texts within their limits; refused in the same words wherever a record comes from."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from store import schedule
from store.documents import (
    OutOfBounds,
    change_from_doc,
    obligation_from_doc,
    obligation_to_doc,
    plan_from_doc,
    plan_to_doc,
    series_from_doc,
    series_to_doc,
)
from store.editing import EditError, Editor
from store.fields import LINE_LIMIT, LINK_LIMIT, NOTE_LIMIT, OWNER_LIMIT, TEXT_LIMIT
from store.model import Completion, Evidence, Note, Session
from store.plan_data import embedded_plan
from store.plan_years import start_plan
from store.repository import Tracker
from store.rules import Recurring, RuleError, parse_iso_date, parse_rule
from store.schedule import (
    MAX_OCCURRENCES,
    Outlook,
    assess,
    occurrence_window,
    occurrences,
    preview_dates,
    recurrence_dates,
)
from store.validation import (
    completion_problems,
    note_problems,
    obligation_problems,
    plan_problems,
    series_problems,
    session_problems,
    too_long,
)

SEED = embedded_plan()
PLAN = SEED.plan
MEETINGS = {series.key: series for series in SEED.meetings}
JUNE_20 = date(2008, 6, 20)
NINES = "9999-12-30: the year 9999 is not between 1900 and 2100"


@pytest.fixture
def editing() -> tuple[Tracker, Editor]:
    tracker = Tracker.in_memory()
    return tracker, Editor(tracker)


# -- dates -------------------------------------------------------------------


def test_a_typed_date_outside_1900_2100_is_refused_in_the_words_validation_uses():
    with pytest.raises(RuleError) as typed:
        parse_iso_date("9999-12-30")
    assert str(typed.value) == NINES
    cicte = MEETINGS["cicte-session"]
    late = replace(cicte.sessions[0], year=2100, start=date(2100, 12, 30), end=date(2101, 1, 2))
    assert session_problems(late) == [
        "last day: 2101-01-02: the year 2101 is not between 1900 and 2100"
    ]


@pytest.mark.parametrize(
    ("completion", "problem"),
    [
        (Completion("2008-09-30", date(1899, 12, 31)), "done on: 1899-12-31: the year 1899"),
        (Completion("2008-09-30", JUNE_20, date(9999, 12, 30)), f"due: {NINES}"),
        (Completion("9999-12-30", JUNE_20), f"occurrence: {NINES}"),
    ],
)
def test_a_completion_holds_dates_of_1900_to_2100_only(completion, problem):
    assert any(p.startswith(problem) for p in completion_problems(completion, date.max))


def test_a_plan_covers_its_year_and_a_year_either_side_at_most():
    assert plan_problems(PLAN) == []
    wide = replace(PLAN, period_end=date(9999, 12, 31))
    assert plan_problems(wide) == [
        "period end: 9999-12-31 is not in 2007–2009 (the plan's year 2008, or a year either side)"
    ]
    assert plan_problems(replace(PLAN, year=9999)) == ["year: 9999 is not between 1900 and 2100"]
    assert plan_problems(replace(PLAN, issued=date(1, 1, 1))) == [
        "issued: 0001-01-01: the year 1 is not between 1900 and 2100"
    ]


def test_the_file_readers_refuse_a_date_out_of_bounds_in_the_same_words():
    """A hand-edited file never reaches a view: the record is refused as it is read."""
    series = series_to_doc(MEETINGS["cicte-session"])
    series["sessions"][0]["end"] = "9999-12-30"
    with pytest.raises(OutOfBounds) as refused:
        series_from_doc(series)
    assert refused.value.problem == f"session 2008, last day: {NINES}"
    assert str(refused.value) == f"meeting cicte-session: session 2008, last day: {NINES}"

    item = obligation_to_doc(SEED.obligations[1])
    item["notes"] = [{"at": "0001-01-01T00:00:00+05:00", "text": "x"}]  # no OverflowError
    with pytest.raises(OutOfBounds, match="note time: 0001-01-01T00:00:00"):
        obligation_from_doc(item)
    item["notes"] = []
    item["completions"] = [
        {"occurrence": "2008-09-30", "done_on": "2008-09-01", "due": "9999-12-30"}
    ]
    with pytest.raises(OutOfBounds, match=f"due: {NINES}"):
        obligation_from_doc(item)

    plan = plan_to_doc(PLAN) | {"period_end": "9999-12-31"}
    with pytest.raises(OutOfBounds, match="plan 2008: period end: 9999-12-31"):
        plan_from_doc(plan)
    with pytest.raises(OutOfBounds) as wide:
        plan_from_doc(plan_to_doc(PLAN) | {"period_start": "1900-01-01"})
    assert wide.value.problem.startswith("period start: 1900-01-01 is not in 2007–2009")
    plan = plan_to_doc(PLAN) | {"period_end": "2009-12-31"}
    assert plan_from_doc(plan).period_end == date(2009, 12, 31)  # a year beyond: readable

    change = {"at": "9999-12-31T00:00:00", "target": "series", "key": "oas-ga", "action": "edit"}
    with pytest.raises(OutOfBounds, match="change to oas-ga: time: 9999-12-31"):
        change_from_doc(change)


def test_the_editor_refuses_a_session_out_of_bounds(editing):
    tracker, editor = editing
    session = Session(2100, date(2100, 12, 30), date(2101, 1, 1))
    with pytest.raises(EditError, match="last day: 2101-01-01: the year 2101 is not between"):
        editor.save_session("oas-ga", session)
    assert tracker.meetings["oas-ga"].session(2100) is None


# -- occurrences within the plan years, capped ---------------------------------


def test_a_monthly_rule_over_a_period_of_centuries_yields_the_plan_years_only():
    """A period end of 9999 once made `status` take 46 s and 1.9 GB."""
    long = replace(PLAN, period_start=date(1900, 1, 1), period_end=date(9999, 12, 31))
    assert occurrence_window(long) == (date(2007, 1, 1), date(2009, 12, 31))
    found = occurrences([parse_rule("monthly")], long, MEETINGS)
    assert len(found) == 36  # 2007, 2008 and 2009
    assert found[0].due == date(2007, 1, 31) and found[-1].due == date(2009, 12, 31)
    yearly = occurrences([parse_rule("yearly before cicte-session")], long, MEETINGS)
    assert sorted(o.year for o in yearly) == [2007, 2008, 2009]  # 2007, 2009 undated


def test_a_daily_rule_from_1900_is_capped_per_item():
    long = replace(PLAN, period_start=date(2007, 1, 1), period_end=date(2009, 12, 31))
    rules = [parse_rule("every 1 day from 1900-01-01"), parse_rule("monthly")]
    found = occurrences(rules, long, MEETINGS)
    assert len(found) == MAX_OCCURRENCES
    assert found[0].due == date(2007, 1, 1)  # the earliest are kept
    item = replace(SEED.obligations[1], rules=tuple(rule.spec for rule in rules))
    assessed = assess(item, long, MEETINGS, Outlook(date(2100, 12, 31)))
    assert len(assessed.occurrences) == MAX_OCCURRENCES


def test_a_daily_rule_fills_a_plan_year_without_reaching_the_cap():
    daily = parse_rule("every 1 day from 2008-01-01")
    assert isinstance(daily, Recurring)
    assert len(recurrence_dates(daily, PLAN)) == 366  # 2008 is a leap year
    assert MAX_OCCURRENCES > 366


def every_rule_of_the_2008_and_2009_plans() -> list[tuple[object, list]]:
    tracker = Tracker.in_memory()
    start_plan(tracker, 2009, 2008)
    found = []
    for year, plan in tracker.plans.items():
        for obligation in tracker.obligations_of(year).values():
            rules = [parse_rule(spec) for spec in obligation.rules]
            found.append((plan, rules))
    return found


def test_the_window_and_the_cap_hide_no_occurrence_of_the_2008_and_2009_plans(monkeypatch):
    plans = every_rule_of_the_2008_and_2009_plans()
    capped = [occurrences(rules, plan, MEETINGS) for plan, rules in plans]
    monkeypatch.setattr(schedule, "MAX_OCCURRENCES", 10**6)
    monkeypatch.setattr(schedule, "YEARS_AROUND_PLAN", 100)
    schedule._recurrence_dates.cache_clear()
    try:
        unbounded = [occurrences(rules, plan, MEETINGS) for plan, rules in plans]
    finally:
        schedule._recurrence_dates.cache_clear()
    assert capped == unbounded
    for (plan, rules), found in zip(plans, capped, strict=True):  # as the engine always did
        for rule in rules:
            if isinstance(rule, Recurring):
                start = datetime.combine(rule.start or plan.period_start, datetime.min.time())
                every = rrulestr(rule.rrule, dtstart=start).between(
                    datetime(plan.year, 1, 1), datetime(plan.year, 12, 31), inc=True
                )
                dues = {o.due for o in found if o.rule == rule}
                assert dues == {moment.date() for moment in every}


def test_the_next_dates_of_a_schedule_are_found_years_after_the_plan():
    """The preview of a schedule looks from today, whatever the cap keeps of the plan's years."""
    daily = [parse_rule("every 1 day from 2008-01-01")]
    today = date(2011, 5, 2)
    assert preview_dates(daily, PLAN, MEETINGS, today) == [
        today,
        today + timedelta(days=1),
        today + timedelta(days=2),
    ]
    assert preview_dates(daily, PLAN, MEETINGS, date(2100, 12, 31)) == [date(2100, 12, 31)]


@settings(max_examples=150, deadline=None)
@given(
    frequency=st.sampled_from(["DAILY", "WEEKLY"]),
    interval=st.integers(1, 12),
    days=st.sets(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), max_size=3),
    start=st.dates(min_value=date(1900, 1, 1), max_value=date(2010, 12, 31)),
    year=st.integers(2000, 2012),
)
def test_a_rule_from_long_ago_gives_the_dates_it_would_stepping_from_its_start(
    frequency, interval, days, start, year
):
    """Starting a daily or weekly rule near the window skips no date and adds none."""
    rrule = f"FREQ={frequency};INTERVAL={interval}" + (
        f";BYDAY={','.join(sorted(days))}" if days else ""
    )
    first, last = date(year, 1, 1), date(year, 12, 31)
    every = rrulestr(rrule, dtstart=datetime.combine(start, datetime.min.time())).between(
        datetime.combine(first, datetime.min.time()),
        datetime.combine(last, datetime.min.time()),
        inc=True,
    )
    expected = tuple(moment.date() for moment in every)
    assert schedule._recurrence_dates(rrule, start, first, last) == expected


def test_a_deadline_is_a_day_not_an_hour():
    with pytest.raises(RuleError, match="at most daily"):
        parse_rule("rrule FREQ=DAILY;BYHOUR=0,1,2,3")


# -- text lengths --------------------------------------------------------------


def test_a_text_over_its_limit_says_how_long_it_is_and_the_limit():
    assert too_long("note", "x" * 20_431, NOTE_LIMIT) == [
        "note: 20,431 characters; the limit is 20,000"
    ]
    assert too_long("note", "x" * NOTE_LIMIT, NOTE_LIMIT) == []
    assert note_problems("x" * 20_001) == ["note: 20,001 characters; the limit is 20,000"]


def test_no_limit_refuses_the_embedded_plan():
    """The plan quotes whole resolutions: 7.2's text has 2,183 characters."""
    assert max(len(o.text) for o in SEED.obligations) == 2183 < TEXT_LIMIT
    for obligation in SEED.obligations:
        assert obligation_problems(obligation, MEETINGS) == [], obligation.key
    for series in SEED.meetings:
        assert series_problems(series, MEETINGS) == [], series.key
    assert plan_problems(PLAN) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"owner": "o" * 101}, "owner: 101 characters; the limit is 100"),
        ({"text": "t" * 10_001}, "text: 10,001 characters; the limit is 10,000"),
        ({"title": "t" * 501}, "title: 501 characters; the limit is 500"),
        ({"sources": ("s" * 501,)}, "source: 501 characters; the limit is 500"),
        ({"activity": ("a" * 6_000, "b" * 6_000)}, "activity: 12,001 characters; the limit"),
        ({"rules": ("tbd",) * 21}, "schedule: 21 rules; the limit is 20"),
        ({"notes": (Note(datetime(2008, 6, 2), "n" * 20_001),)}, "note: 20,001 characters"),
    ],
)
def test_an_item_text_over_its_limit_is_refused(change, problem):
    item = replace(SEED.obligations[1], **change)
    assert any(p.startswith(problem) for p in obligation_problems(item, MEETINGS))


def test_meeting_and_evidence_texts_have_limits():
    cicte = MEETINGS["cicte-session"]
    assert series_problems(replace(cicte, name="n" * (LINE_LIMIT + 1)), MEETINGS) == [
        "name: 501 characters; the limit is 500"
    ]
    session = replace(cicte.sessions[0], place="p" * 501, note="n" * 20_001)
    assert session_problems(session) == [
        "place: 501 characters; the limit is 500",
        "note: 20,001 characters; the limit is 20,000",
    ]
    evidence = Evidence(link="https://" + "l" * LINK_LIMIT)
    assert completion_problems(Completion("2008-09-30", JUNE_20, evidence=evidence), JUNE_20) == [
        "link: 2,008 characters; the limit is 2,000"
    ]


def test_the_editor_refuses_texts_over_their_limits_and_saves_nothing(editing):
    tracker, editor = editing
    before = tracker.obligation("I-1.ii")
    with pytest.raises(EditError, match="note: 20,001 characters; the limit is 20,000"):
        editor.add_note("I-1.ii", "n" * 20_001, JUNE_20)
    with pytest.raises(EditError, match="owner: 101 characters; the limit is 100"):
        editor.save_obligation(replace(before, owner="o" * OWNER_LIMIT + "o"))
    with pytest.raises(EditError, match="outcome: 501 characters; the limit is 500"):
        editor.complete("I-1.ii", date(2008, 12, 1), evidence=Evidence(outcome="o" * 501))
    assert tracker.obligation("I-1.ii") == before
    editor.add_note("I-1.ii", "n" * NOTE_LIMIT, JUNE_20)  # at the limit: saved
    assert len(tracker.obligation("I-1.ii").notes[-1].text) == NOTE_LIMIT
