"""General rules of the schedule engine, for any day and any schedule."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.editing import EditError, Editor
from store.model import Completion, Obligation, Section, Session, Status
from store.plan_data import embedded_plan
from store.repository import Tracker
from store.rules import MONTHS, Dated, EventRelative, YearRange
from store.schedule import OccurrenceState, Outlook, State, assess, occurrences, parsed_rules

PLAN = embedded_plan().plan
EVENTS = {series.key: series for series in embedded_plan().meetings}
PLAN_DAYS = st.dates(min_value=PLAN.period_start, max_value=PLAN.period_end)
ANY_DAY = st.dates(min_value=date(2007, 1, 1), max_value=date(2010, 12, 31))

rule_specs = st.one_of(
    st.sampled_from(["continuous", "on demand", "tbd", "monthly"]),
    PLAN_DAYS.map(date.isoformat),
    st.sampled_from(MONTHS).map(lambda month: f"yearly in {month}"),
    st.tuples(st.integers(1, 12), st.sampled_from(["day", "week", "month"]), PLAN_DAYS).map(
        lambda t: f"every {t[0]} {t[1]}s from {t[2].isoformat()}"
    ),
    st.tuples(st.integers(2004, 2010), st.integers(0, 3)).map(lambda t: f"{t[0]}-{t[0] + t[1]}"),
    st.sampled_from(
        [
            "yearly during cicte-session",
            "yearly before and during cicte-session",
            "yearly after cicte-session",
            "yearly between cicte-session and oas-ga",
            "before oas-ga",
            "during pcn-meeting",
            "21 days before cicte-session",
            "yearly 2 weeks after oas-ga",
        ]
    ),
    st.tuples(st.integers(2004, 2010), st.integers(0, 3)).map(
        lambda t: f"period {t[0]}-{t[0] + t[1]}"
    ),
)
schedules = st.lists(rule_specs, min_size=1, max_size=3).map(tuple)


def obligation_with(rules: tuple[str, ...], **changes) -> Obligation:
    base = Obligation("II-9.Z.1", "II-9.Z.1", Section.PROGRAMMES, "II-9.Z", "x", "", rules)
    return replace(base, **changes)


@given(schedules)
def test_occurrences_are_sorted_and_inside_the_plan_or_their_own_years(rules):
    found = occurrences(parsed_rules(rules), PLAN, EVENTS)
    dated = [o.due for o in found if o.due is not None]
    assert dated == sorted(dated)
    assert all(o.due is not None for o in found[: len(dated)]), "undated ones come last"
    for occurrence in found:
        if occurrence.due is None:
            continue
        rule = occurrence.rule
        if isinstance(rule, YearRange):
            assert rule.first <= occurrence.due.year <= rule.last
        elif isinstance(rule, EventRelative):
            assert abs((occurrence.due - PLAN.period_start).days) <= 366 + 31
        else:
            assert PLAN.period_start <= occurrence.due <= PLAN.period_end


@given(schedules, ANY_DAY)
def test_completing_every_past_occurrence_leaves_nothing_overdue(rules, today):
    obligation = obligation_with(rules)
    before = assess(obligation, PLAN, EVENTS, Outlook(today))
    completions = tuple(
        Completion(due.occurrence.key, today, due.due)
        for due in before.occurrences
        if due.due is not None and due.due < today
    )
    after = assess(replace(obligation, completions=completions), PLAN, EVENTS, Outlook(today))
    assert not after.overdue
    assert after.state is not State.OVERDUE


@given(schedules, ANY_DAY, st.sampled_from(list(Status)), st.integers(0, 60))
def test_never_both_overdue_and_done(rules, today, status, window):
    assessment = assess(obligation_with(rules, status=status), PLAN, EVENTS, Outlook(today, window))
    if assessment.state is State.DONE:
        assert not assessment.overdue
    if assessment.overdue:
        assert assessment.state is State.OVERDUE
    for due in assessment.occurrences:
        assert not (due.state is OccurrenceState.OVERDUE and due.completion is not None)


def with_cicte_session(start: date, length: int) -> dict:
    series = EVENTS["cicte-session"]
    session = Session(2008, start, start + timedelta(length))
    return EVENTS | {"cicte-session": replace(series, sessions=(session,))}


@given(PLAN_DAYS, st.integers(0, 4), st.integers(-60, 60))
@settings(max_examples=60)
def test_moving_a_session_moves_every_obligation_anchored_to_it(start, length, shift):
    before_move = with_cicte_session(start, length)
    after_move = with_cicte_session(start + timedelta(shift), length)
    for obligation in embedded_plan().obligations:
        rules = parsed_rules(obligation.rules)
        anchored = [
            r for r in rules if isinstance(r, EventRelative) and "cicte-session" in r.events
        ]
        if not anchored:
            continue
        before = occurrences(rules, PLAN, before_move)
        after = occurrences(rules, PLAN, after_move)
        for old, new in zip(before, after, strict=True):
            assert new.key == old.key  # a completion stays attached across the move
            rule = old.rule
            if isinstance(rule, EventRelative) and rule.until_event is None:
                assert new.due - old.due == timedelta(shift)
            elif isinstance(rule, EventRelative):  # between the session and the Assembly
                assert new.opens - old.opens == timedelta(shift)
            else:
                assert isinstance(rule, Dated | YearRange) or new.due == old.due


def _completed(tracker, key, today):
    """(key, due, done on, completion) of each completed occurrence of the item ``key``."""
    assessment = assess(tracker.obligation(key), tracker.plan, tracker.meetings, Outlook(today))
    return [
        (d.occurrence.key, d.due, d.done_on, d.completion)
        for d in assessment.occurrences
        if d.completion is not None
    ]


@given(
    st.sampled_from(["I-1.iv", "I-1.v", "I-1.viii", "I-1.xiii", "I-1.vii"]),
    PLAN_DAYS,
    st.integers(0, 4),
    st.integers(-120, 120),
)
@settings(max_examples=60, deadline=None)
def test_moving_any_session_never_changes_a_completed_occurrence(key, today, length, shift):
    tracker = Tracker.in_memory()
    editor = Editor(tracker)
    try:
        editor.complete(key, today)
    except EditError:
        return  # nothing open to complete on that day
    done_before = _completed(tracker, key, today)
    for series in list(tracker.meetings.values()):
        session = series.session(2008)
        if session is None or session.start is None:
            continue
        start = session.start + timedelta(shift)
        moved = Session(2008, start, start + timedelta(length))
        if start.year not in (2007, 2008):
            continue
        editor.save_session(series.key, moved)
    assert _completed(tracker, key, today) == done_before


@given(st.sampled_from(["I-4.i", "I-1.ii", "I-1.viii"]), ANY_DAY, st.integers(-400, 400))
@settings(max_examples=80, deadline=None)
def test_completions_never_lie_after_today(key, today, offset):
    tracker = Tracker.in_memory()
    editor = Editor(tracker)
    done_on = today + timedelta(offset)
    if offset > 0:
        with pytest.raises(EditError, match="after today"):
            editor.complete(key, today, done_on=done_on)
        assert tracker.obligation(key).completions == ()
        return
    editor.complete(key, today, done_on=done_on)
    assert all(c.done_on <= today for c in tracker.obligation(key).completions)


def test_a_future_completion_is_refused_with_the_reason():
    editor = Editor(Tracker.in_memory())
    with pytest.raises(EditError, match="after today"):
        editor.complete("I-4.i", date(2008, 6, 1), done_on=date(2008, 6, 2))
