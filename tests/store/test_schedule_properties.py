"""General rules of the schedule engine, for any day and any schedule."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from store.model import Completion, Event, Obligation, Section, Status
from store.plan_data import embedded_plan
from store.rules import MONTHS, Dated, EventRelative, YearRange
from store.schedule import OccurrenceState, Outlook, State, assess, occurrences, parsed_rules

PLAN = embedded_plan().plan
EVENTS = {event.key: event for event in embedded_plan().events}
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
        ]
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
        Completion(due.occurrence.key, today)
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
        assert not (due.state is OccurrenceState.OVERDUE and due.completed_on is not None)


@given(PLAN_DAYS, st.integers(0, 4), st.integers(-60, 60))
@settings(max_examples=60)
def test_moving_an_event_moves_every_obligation_anchored_to_it(start, length, shift):
    session = Event("cicte-session", "CICTE regular session", start, start + timedelta(length))
    moved = replace(session, start=start + timedelta(shift), end=session.end + timedelta(shift))
    oas_ga = EVENTS["oas-ga"]
    for obligation in embedded_plan().obligations:
        rules = parsed_rules(obligation.rules)
        anchored = [
            r for r in rules if isinstance(r, EventRelative) and "cicte-session" in r.events
        ]
        if not anchored:
            continue
        before = occurrences(rules, PLAN, {"cicte-session": session, "oas-ga": oas_ga})
        after = occurrences(rules, PLAN, {"cicte-session": moved, "oas-ga": oas_ga})
        for old, new in zip(before, after, strict=True):
            rule = old.rule
            if isinstance(rule, EventRelative) and rule.until_event is None:
                assert new.due - old.due == timedelta(shift)
            elif isinstance(rule, EventRelative):  # between the session and the Assembly
                assert new.opens - old.opens == timedelta(shift)
            else:
                assert isinstance(rule, Dated | YearRange) or new.due == old.due
