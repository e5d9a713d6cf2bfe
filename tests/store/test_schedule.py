"""The schedule engine on the 2008 plan: what is due when, as of any day."""

from dataclasses import replace
from datetime import date

import pytest

from store.describe import describe_schedule
from store.model import Completion, Event, Status
from store.plan_data import embedded_plan, schedule_rules
from store.report import status_report
from store.rules import parse_rule
from store.schedule import OccurrenceState, Outlook, State, assess, parsed_rules


def assess_number(tracker, number, today, **changes):
    obligation = replace(tracker.find(number), **changes)
    return assess(obligation, tracker.plan, tracker.events, Outlook(today))


def test_every_printed_schedule_text_has_rules_that_parse():
    printed = {o.schedule_text for o in embedded_plan().obligations}
    mapping = schedule_rules()
    assert printed <= set(mapping), printed - set(mapping)
    assert set(mapping) <= printed, "mapping lists a text the plan does not print"
    for text, specs in mapping.items():
        assert specs, text
        for spec in specs:
            parse_rule(spec, known_events={"cicte-session", "oas-ga", "pcn-meeting"})


def test_the_september_work_plan_draft_falls_due_at_the_end_of_september(tracker):
    june = assess_number(tracker, "1.ii", date(2008, 6, 15))
    assert june.next_due == date(2008, 9, 30)
    assert june.state is State.SCHEDULED and not june.overdue
    assert assess_number(tracker, "1.ii", date(2008, 9, 20)).state is State.DUE_SOON
    october = assess_number(tracker, "1.ii", date(2008, 10, 15))
    assert october.state is State.OVERDUE
    assert october.overdue[0].days_from_today == -15


def test_a_completed_occurrence_is_not_overdue(tracker):
    completed = (Completion("2008-09-30", date(2008, 9, 25)),)
    october = assess_number(tracker, "1.ii", date(2008, 10, 15), completions=completed)
    assert not october.overdue
    assert october.state is State.DONE


def test_semiannual_directory_is_due_end_of_june_and_end_of_december(tracker):
    directory = assess_number(tracker, "4.i", date(2008, 6, 20))
    assert [o.due for o in directory.occurrences] == [date(2008, 6, 30), date(2008, 12, 31)]
    assert directory.recurring and directory.review_tracked
    assert directory.state is State.DUE_SOON


def test_event_anchored_deadlines_follow_the_2008_meetings(tracker):
    report = assess_number(tracker, "1.viii", date(2008, 2, 1))
    assert report.next_due == date(2008, 3, 7)  # last day of the CICTE session
    ga_report = assess_number(tracker, "1.vii", date(2008, 2, 1))
    assert ga_report.next_due == date(2008, 5, 31)  # before the General Assembly opens
    assert ga_report.occurrences[0].occurrence.opens == date(2008, 3, 8)
    wording = describe_schedule(parsed_rules(tracker.find("1.vii").rules), tracker.events)
    assert "CICTE regular session (5–7 Mar 2008)" in wording
    assert "OAS General Assembly (1–3 Jun 2008)" in wording


def test_an_undated_event_leaves_its_obligations_waiting_never_overdue(tracker):
    points_of_contact = assess_number(tracker, "1.v", date(2008, 12, 31))
    assert points_of_contact.state is State.WAITING
    assert not points_of_contact.overdue
    assert points_of_contact.occurrences[0].occurrence.waiting_on == "pcn-meeting"


def test_moving_an_event_moves_its_deadlines(tracker):
    moved = Event("cicte-session", "CICTE regular session", date(2008, 4, 1), date(2008, 4, 3))
    events = dict(tracker.events) | {"cicte-session": moved}
    obligation = tracker.find("1.viii")
    assessment = assess(obligation, tracker.plan, events, Outlook(date(2008, 3, 15)))
    assert assessment.next_due == date(2008, 4, 3)
    assert not assessment.overdue


def test_year_ranges_are_due_by_their_last_year_and_lapsed_ranges_are_flagged(tracker):
    customs = assess_number(tracker, "II-1.D.1", date(2008, 6, 15))  # Permanent : 2004-2008
    assert customs.next_due == date(2008, 12, 31)
    caribbean = assess_number(tracker, "II-1.D.2", date(2008, 6, 15))  # Permanent : 2006-2007
    assert caribbean.lapsed and not caribbean.overdue
    assert caribbean.state is State.LAPSED
    tourism = assess_number(tracker, "II-3.B.1", date(2008, 6, 15))  # Permanent : 2006-2009
    assert tourism.next_due == date(2009, 12, 31)
    assert tourism.review_tracked  # the "Permanent" part is kept too


def test_continuous_items_go_stale_without_review(tracker):
    fresh = assess_number(tracker, "1.i", date(2008, 3, 1))
    assert fresh.state is State.CONTINUOUS and not fresh.stale
    stale = assess_number(tracker, "1.i", date(2008, 6, 15))
    assert stale.stale and stale.state is State.STALE
    reviewed = assess_number(tracker, "1.i", date(2008, 6, 15), last_reviewed=date(2008, 6, 1))
    assert not reviewed.stale


def test_done_status_clears_everything(tracker):
    done = assess_number(tracker, "1.viii", date(2008, 10, 1), status=Status.DONE)
    assert done.state is State.DONE and not done.overdue
    assert all(o.state is OccurrenceState.DONE for o in done.occurrences)


@pytest.mark.parametrize(
    ("today", "overdue", "due_soon"),
    [
        ("2008-01-15", [], []),
        ("2008-02-25", [], ["1.iv", "1.viii"]),
        ("2008-06-15", ["1.iv", "1.viii", "1.xiii", "1.vii"], []),
        ("2008-10-15", ["1.iv", "1.viii", "1.xiii", "1.vii", "4.i", "4.ii", "1.ii"], []),
    ],
)
def test_status_report_on_plan_days(tracker, today, overdue, due_soon):
    report = status_report(
        tracker, tracker.plan, tracker.events, Outlook(date.fromisoformat(today))
    )
    rows = [(r.obligation.number, r.state) for r in report.rows]
    assert rows == [(n, OccurrenceState.OVERDUE) for n in overdue] + [
        (n, OccurrenceState.DUE_SOON) for n in due_soon
    ]
    assert report.counts.overdue == len(overdue)


def test_a_range_that_ended_before_the_plan_is_not_also_stale(tracker):
    ended = assess_number(tracker, "II-1.D.2", date(2008, 10, 1))  # Permanent : 2006-2007
    assert ended.lapsed and not ended.stale
