"""The schedule engine on the 2008 plan: what is due when, as of any day."""

from dataclasses import replace
from datetime import date

import pytest

from store.describe import describe_schedule
from store.model import Completion, Session, Status
from store.plan_data import embedded_plan, schedule_rules
from store.report import status_report
from store.rules import parse_rule
from store.schedule import OccurrenceState, Outlook, State, assess, parsed_rules


def assess_number(tracker, number, today, **changes):
    obligation = replace(tracker.find(number), **changes)
    return assess(obligation, tracker.plan, tracker.meetings, Outlook(today))


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
    completed = (Completion("2008-09-30", date(2008, 9, 25), due=date(2008, 9, 30)),)
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
    wording = describe_schedule(parsed_rules(tracker.find("1.vii").rules), tracker.meetings, 2008)
    assert "CICTE regular session (5–7 Mar 2008)" in wording
    assert "OAS General Assembly (1–3 Jun 2008)" in wording


def meetings_with(tracker, key, **session_changes):
    series = tracker.meetings[key]
    sessions = tuple(replace(s, **session_changes) for s in series.sessions)
    return dict(tracker.meetings) | {key: replace(series, sessions=sessions)}


def test_the_points_of_contact_meet_alongside_the_regular_session(tracker):
    points_of_contact = assess_number(tracker, "1.v", date(2008, 2, 20))
    occurrence = points_of_contact.occurrences[0].occurrence
    assert points_of_contact.next_due == date(2008, 3, 7)
    assert occurrence.assumed == "alongside the CICTE regular session, footnote 4"
    assert occurrence.session == "pcn-meeting/2008"


def test_a_series_with_no_session_leaves_its_obligations_waiting_never_overdue(tracker):
    meetings = dict(tracker.meetings)
    meetings["pcn-meeting"] = replace(meetings["pcn-meeting"], alongside=None)
    obligation = tracker.find("1.v")
    points_of_contact = assess(obligation, tracker.plan, meetings, Outlook(date(2008, 12, 31)))
    assert points_of_contact.state is State.WAITING
    assert not points_of_contact.overdue
    assert points_of_contact.occurrences[0].occurrence.waiting_on == "pcn-meeting"


def test_moving_a_session_moves_its_deadlines(tracker):
    meetings = meetings_with(tracker, "cicte-session", start=date(2008, 4, 1), end=date(2008, 4, 3))
    obligation = tracker.find("1.viii")
    assessment = assess(obligation, tracker.plan, meetings, Outlook(date(2008, 3, 15)))
    assert assessment.next_due == date(2008, 4, 3)
    assert not assessment.overdue


def test_a_rule_resolves_against_the_session_of_its_own_year(tracker):
    meetings = dict(tracker.meetings)
    cicte = meetings["cicte-session"]
    meetings["cicte-session"] = replace(
        cicte, sessions=(Session(2009, date(2009, 3, 4), date(2009, 3, 6)),)
    )
    report = assess(tracker.find("1.viii"), tracker.plan, meetings, Outlook(date(2009, 3, 1)))
    assert report.waiting and not report.overdue  # the 2008 plan waits for a 2008 session
    between = assess(tracker.find("1.vii"), tracker.plan, meetings, Outlook(date(2009, 3, 1)))
    assert between.occurrences[0].occurrence.opens is None  # never a 2009 session with 2008's


@pytest.mark.parametrize(
    ("spec", "due"),
    [
        ("21 days before cicte-session", date(2008, 2, 13)),
        ("2 weeks after oas-ga", date(2008, 6, 17)),
        ("yearly 1 week before cicte-session", date(2008, 2, 27)),
        ("after oas-ga", date(2008, 7, 3)),
    ],
)
def test_lead_times_count_from_the_session(tracker, spec, due):
    assessment = assess_number(tracker, "1.viii", date(2008, 1, 15), rules=(spec,))
    assert assessment.next_due == due


def test_year_ranges_are_due_by_their_last_year_and_periods_end(tracker):
    customs = assess_number(tracker, "II-1.D.1", date(2008, 6, 15))  # Permanent : 2004-2008
    assert customs.state is State.STALE and not customs.occurrences
    assert customs.review_tracked and not customs.period_ended
    after = assess_number(tracker, "II-1.D.1", date(2009, 3, 1))
    assert after.state is State.PERIOD_ENDED and not after.overdue
    caribbean = assess_number(tracker, "II-1.D.2", date(2008, 6, 15))  # Permanent : 2006-2007
    assert caribbean.period_ended and caribbean.state is State.PERIOD_ENDED


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
        ("2008-02-25", [], ["1.iv", "1.v", "1.viii"]),
        ("2008-06-15", ["1.iv", "1.v", "1.viii", "1.xiii", "1.vii"], []),
        ("2008-10-15", ["1.iv", "1.v", "1.viii", "1.xiii", "1.vii", "4.i", "4.ii", "1.ii"], []),
    ],
)
def test_status_report_on_plan_days(tracker, today, overdue, due_soon):
    report = status_report(
        tracker, tracker.plan, tracker.meetings, Outlook(date.fromisoformat(today))
    )
    rows = [(r.obligation.number, r.state) for r in report.rows]
    assert rows == [(n, OccurrenceState.OVERDUE) for n in overdue] + [
        (n, OccurrenceState.DUE_SOON) for n in due_soon
    ]
    assert report.counts.overdue == len(overdue)


def test_a_period_that_ended_before_the_plan_is_not_also_stale(tracker):
    ended = assess_number(tracker, "II-1.D.2", date(2008, 10, 1))  # Permanent : 2006-2007
    assert ended.period_ended and not ended.stale


def test_plain_year_deliverables_stay_due_at_the_end_of_their_last_year(tracker):
    by_text = {o.schedule_text: o for o in tracker if o.schedule_text in ("2008", "2008-2009")}
    one_year = assess(by_text["2008"], tracker.plan, tracker.meetings, Outlook(date(2009, 3, 1)))
    assert one_year.overdue[0].due == date(2008, 12, 31)
    two_years = assess(
        by_text["2008-2009"], tracker.plan, tracker.meetings, Outlook(date(2009, 3, 1))
    )
    assert two_years.next_due == date(2009, 12, 31) and not two_years.overdue
