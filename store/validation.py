"""Every check of a record, in one place: the forms, the scriptable edits and import use it.

Each function returns the problems it finds, as sentences a user can act
on (an empty list: the record is fine). What the app can save, ``import``
accepts, and the reverse.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from store.model import Completion, MeetingSeries, Obligation, Session
from store.rules import EVENT_KEY, FIRST_YEAR, LAST_YEAR, RuleError, parse_rule

MAX_MEETING_DAYS = 14
"""A session longer than this is probably a typo: the form asks before saving it."""


def session_problems(session: Session) -> list[str]:
    problems = []
    if not FIRST_YEAR <= session.year <= LAST_YEAR:
        problems.append(f"year: {session.year} is not between {FIRST_YEAR} and {LAST_YEAR}")
    if session.start is None:
        problems.append("first day: a session needs its first day")
    if session.start is not None:
        if session.start.year not in (session.year - 1, session.year):
            problems.append(
                f"first day: {session.start.isoformat()} is not in {session.year} "
                "(or the autumn before, for a preparatory meeting)"
            )
        if session.end is not None and session.end < session.start:
            problems.append("last day: it is before the first day")
        elif session.end is not None and session.end.year > session.year + 1:
            problems.append(f"last day: {session.end.isoformat()} is long after {session.year}")
    return problems


def session_warnings(session: Session) -> list[str]:
    """What is allowed but worth a second look before saving."""
    if session.start and session.end and (session.end - session.start).days + 1 > MAX_MEETING_DAYS:
        days = (session.end - session.start).days + 1
        return [f"the meeting lasts {days} days (more than {MAX_MEETING_DAYS})"]
    return []


def series_problems(series: MeetingSeries, meetings: Mapping[str, MeetingSeries]) -> list[str]:
    """``meetings``: every series of the tracker (this one's old version may be among them)."""
    problems = []
    if not EVENT_KEY.fullmatch(series.key):
        problems.append("key: lower-case letters, figures and dashes only (e.g. board-meeting)")
    if not series.name.strip():
        problems.append("name: it cannot be empty")
    if series.alongside is not None:
        if series.alongside == series.key:
            problems.append("alongside: a meeting cannot sit alongside itself")
        elif series.alongside not in meetings:
            problems.append(f"alongside: there is no meeting {series.alongside!r}")
        elif meetings[series.alongside].alongside is not None:
            problems.append(f"alongside: {series.alongside} itself takes another meeting's dates")
        guests = [m.key for m in meetings.values() if m.alongside == series.key]
        if guests:
            problems.append(
                f"alongside: {', '.join(guests)} takes this meeting's dates, "
                "so it cannot take another's"
            )
    years = [session.year for session in series.sessions]
    if len(years) != len(set(years)):
        problems.append("sessions: a meeting holds one session a year")
    for session in series.sessions:
        problems += [f"session {session.year}, {p}" for p in session_problems(session)]
    return problems


def completion_problems(completion: Completion, today: date) -> list[str]:
    problems = []
    done_on = completion.done_on
    if done_on > today:
        problems.append(
            f"done on: {done_on.isoformat()} is after today ({today.isoformat()}); "
            "work is recorded once it is done"
        )
    if done_on.year < FIRST_YEAR:
        problems.append(f"done on: {done_on.isoformat()} is before {FIRST_YEAR}")
    return problems


def obligation_problems(obligation: Obligation, series_keys: Collection[str]) -> list[str]:
    problems = []
    if not obligation.key.strip():
        problems.append("id: it cannot be empty")
    if not (obligation.text.strip() or obligation.title or obligation.activity):
        problems.append("text: it cannot be empty")
    if not obligation.rules:
        problems.append("schedule: it cannot be empty")
    for spec in obligation.rules:
        try:
            parse_rule(spec, known_events=series_keys)
        except RuleError as error:
            problems.append(f"schedule: {error}")
    return problems
