"""Schedule rules and dates in plain words, for every view and export."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from store.model import Meetings, MeetingSeries, PlanInfo, Session
from store.rules import (
    MONTHS,
    Dated,
    EventRelative,
    NeverDue,
    Period,
    Recurring,
    Relation,
    Rule,
    RuleError,
    YearRange,
    parse_schedule,
)
from store.schedule import AFTER_EVENT_DAYS, occurrences, preview_dates, resolve_session


def short_date(day: date) -> str:
    """``5 Mar 2008``."""
    return f"{day.day} {MONTHS[day.month - 1][:3].title()} {day.year}"


def day_month(day: date, today: date) -> str:
    """``5 Mar`` in *today*'s year, ``5 Mar 2008`` in any other: a date never hides its year."""
    label = f"{day.day} {MONTHS[day.month - 1][:3].title()}"
    return label if day.year == today.year else f"{label} {day.year}"


def session_dates(session: Session | None) -> str:
    """``5–7 Mar 2008``, or ``date not set``."""
    if session is None or session.start is None:
        return "date not set"
    start, end = session.start, session.end or session.start
    if end == start:
        return short_date(start)
    if (end.year, end.month) == (start.year, start.month):
        return f"{start.day}–{short_date(end)}"
    return f"{short_date(start)} – {short_date(end)}"


def session_name(series: MeetingSeries, session: Session) -> str:
    """``CICTE regular session 2008 (Eighth Regular Session)``."""
    title = f" ({session.title})" if session.title else ""
    return f"{series.name} {session.year}{title}"


def event_label(key: str, meetings: Meetings, year: int | None = None) -> str:
    """``the CICTE regular session`` with the dates of its ``year`` session, when given."""
    series = meetings.get(key)
    if series is None:
        return f"{key} (unknown meeting)"
    if year is None:
        return f"the {series.name}"
    resolved = resolve_session(meetings, key, year)
    if resolved is None:
        return f"the {series.name} ({session_dates(series.session(year))})"
    assumed = f"; assumed: {resolved.assumed}" if resolved.assumed else ""
    return f"the {series.name} ({session_dates(resolved.session)}{assumed})"


def describe_rule(rule: Rule, events: Meetings, year: int | None = None) -> str:
    """One rule in words, e.g. 'every year in September (due 30 Sep)'."""
    if isinstance(rule, NeverDue):
        return rule.meaning
    if isinstance(rule, Dated):
        return f"due {short_date(rule.due)}"
    if isinstance(rule, YearRange):
        years = str(rule.first) if rule.first == rule.last else f"{rule.first}–{rule.last}"
        return f"during {years}, due by {short_date(rule.due)}"
    if isinstance(rule, Period):
        return (
            f"continuous work within {rule.first}–{rule.last}, tracked by review; "
            f"after {short_date(rule.ends)} the period has ended: renew or close it"
        )
    if isinstance(rule, Recurring):
        return _describe_recurring(rule)
    return _describe_event_relative(rule, events, year)


def _describe_recurring(rule: Recurring) -> str:
    words = rule.spec.split()
    if rule.spec.startswith("yearly in "):
        month = words[2].title()
        return f"every year in {month} (due by the last day of {month})"
    if rule.spec.startswith("yearly on "):
        return f"every year on {words[3]} {words[2].title()}"
    if rule.spec == "monthly":
        return "every month (due by the last day of the month)"
    if rule.spec.startswith("every "):
        start = date.fromisoformat(words[-1])
        return f"every {' '.join(words[1:3])}, starting {short_date(start)}"
    return f"recurring: {rule.rrule}"


def _describe_event_relative(rule: EventRelative, events: Meetings, year: int | None) -> str:
    prefix = "every year, " if rule.yearly else ""
    anchor = event_label(rule.event, events, year)
    if rule.relation is Relation.BETWEEN:
        until = event_label(rule.until_event or "", events, year)
        return f"{prefix}between {anchor} and {until}; due the day before the second opens"
    if rule.relation is Relation.AFTER:
        days = rule.lead_days or AFTER_EVENT_DAYS
        return f"{prefix}after {anchor}; due {days} days after it ends"
    if rule.relation is Relation.BEFORE:
        lead = f"{rule.lead_days} days" if rule.lead else "the day"
        return f"{prefix}before {anchor}; due {lead} before it opens"
    if rule.relation is Relation.DURING:
        return f"{prefix}during {anchor}; due its last day"
    return f"{prefix}{rule.relation.value} {anchor}; due its last day"


def describe_schedule(rules: Iterable[Rule], events: Meetings, year: int | None = None) -> str:
    return "; and ".join(describe_rule(rule, events, year) for rule in rules)


@dataclass(frozen=True)
class SchedulePreview:
    """What a schedule as typed means, as of a day: what the schedule form shows under it."""

    rules: tuple[Rule, ...] | None
    """None while the text cannot be read."""
    error: str | None = None
    """Why it cannot be read (the parser's words)."""
    meaning: str = ""
    """The rules in words."""
    next_due: tuple[date, ...] = ()
    """The next due dates from today."""
    last_past: date | None = None
    """The latest due date already past (it will show as overdue until marked done)."""
    waiting_on: tuple[str, ...] = ()
    """Meetings without a date yet that occurrences wait for."""


def preview_schedule(
    text: str, plan: PlanInfo, meetings: Mapping[str, MeetingSeries], today: date
) -> SchedulePreview:
    """Read ``text`` as a schedule and say what it means as of ``today``."""
    try:
        rules = parse_schedule(text, known_events=meetings.keys())
    except RuleError as error:
        return SchedulePreview(None, str(error))
    found = occurrences(rules, plan, meetings)
    late = [o.due for o in found if o.due is not None and o.due < today]
    return SchedulePreview(
        tuple(rules),
        meaning=describe_schedule(rules, meetings, plan.year),
        next_due=tuple(preview_dates(rules, plan, meetings, today)),
        last_past=late[-1] if late else None,
        waiting_on=tuple(o.waiting_on for o in found if o.waiting_on),
    )
