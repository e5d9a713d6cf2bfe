"""Every check of a record, in one place: the forms, the scriptable edits and import use it.

Each function returns the problems it finds, as sentences a user can act
on (an empty list: the record is fine). What the app can save, ``import``
accepts, and the reverse.

Two kinds of bounds keep one bad value from making the tracker unusable:
every date lies between 1900 and 2100 (``store.rules.FIRST_YEAR`` and
``LAST_YEAR``), and every text has a length limit, declared with its field
(``store.fields``) and checked for every record by :func:`length_problems`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import Any

from store.fields import LINE_LIMIT, declared_fields, field_of
from store.model import (
    Completion,
    MeetingSeries,
    Note,
    Obligation,
    PlanInfo,
    Session,
    Status,
)
from store.rules import (
    EVENT_KEY,
    FIRST_YEAR,
    ISO_DATE,
    LAST_YEAR,
    RuleError,
    out_of_bounds,
    parse_rule,
)
from store.schedule import YEARS_AROUND_PLAN

MAX_MEETING_DAYS = 14
"""A session longer than this is probably a typo: the form asks before saving it."""

OWNER_NEEDED = (Status.IN_PROGRESS, Status.BLOCKED)
"""Statuses the item form asks an owner for: someone works on it, or it waits on someone."""
MAX_RULES = 20
"""Rules in one schedule (the plan's items have one or two)."""


def too_long(field: str, text: str, limit: int) -> list[str]:
    """``note: 20,431 characters; the limit is 20,000`` when ``text`` is over ``limit``."""
    if len(text) <= limit:
        return []
    return [f"{field}: {len(text):,} characters; the limit is {limit:,}"]


def date_problems(field: str, day: date | None) -> list[str]:
    """``done on: 9999-01-01: the year 9999 is not between 1900 and 2100``, or nothing."""
    problem = None if day is None else out_of_bounds(day)
    return [] if problem is None else [f"{field}: {problem}"]


def _each_too_long(field: str, texts: Iterable[str], limit: int) -> list[str]:
    return [problem for text in texts for problem in too_long(field, text, limit)][:1]


def text_problems(record_type: type, name: str, text: str) -> list[str]:
    """``text`` typed for the field ``name`` of ``record_type``, over its declared limit."""
    field = field_of(record_type, name)
    return [] if field.spec.limit is None else too_long(field.label, text, field.spec.limit)


def length_problems(record: Any) -> list[str]:
    """Each text of ``record`` over the limit its field declares, in declaration order,
    once per field name (an item's key and number are both its ``id``)."""
    problems: dict[str, list[str]] = {}
    for field in declared_fields(type(record)):
        limit, value = field.spec.limit, getattr(record, field.name)
        if limit is None or value is None or field.label in problems:
            continue
        if isinstance(value, tuple) and field.spec.element:
            found = _each_too_long(field.spec.element, value, limit)
        elif isinstance(value, tuple):
            found = too_long(field.label, field.spec.joined.join(value), limit)
        else:
            found = too_long(field.label, value, limit)
        if found:
            problems[field.label] = found
    return [problem for found in problems.values() for problem in found]


def period_problems(plan: PlanInfo) -> list[str]:
    """A plan covers its calendar year: its period may reach a year either side, no further
    (occurrences are generated within it, so a period of centuries would cost centuries)."""
    problems = []
    if not FIRST_YEAR <= plan.year <= LAST_YEAR:
        return [f"year: {plan.year} is not between {FIRST_YEAR} and {LAST_YEAR}"]
    first, last = plan.year - YEARS_AROUND_PLAN, plan.year + YEARS_AROUND_PLAN
    for field, day in (("period start", plan.period_start), ("period end", plan.period_end)):
        if not first <= day.year <= last:
            problems.append(
                f"{field}: {day.isoformat()} is not in {first}–{last} "
                f"(the plan's year {plan.year}, or a year either side)"
            )
    if plan.period_end < plan.period_start:
        problems.append(f"period end: {plan.period_end} is before the period start")
    return problems


def plan_problems(plan: PlanInfo) -> list[str]:
    problems = period_problems(plan)
    problems += date_problems("issued", plan.issued)
    problems += date_problems("meeting date", plan.meeting_date)
    return problems + length_problems(plan)


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
        else:  # a 1900 session's preparatory meeting in 1899, say
            problems += date_problems("first day", session.start)
        if session.end is not None and session.end < session.start:
            problems.append("last day: it is before the first day")
        elif session.end is not None and session.end.year > session.year + 1:
            problems.append(f"last day: {session.end.isoformat()} is long after {session.year}")
        else:
            problems += date_problems("last day", session.end)
    return problems + length_problems(session)


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
    problems += length_problems(series)
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
    problems += date_problems("done on", done_on)
    problems += date_problems("due", completion.due)
    if ISO_DATE.fullmatch(completion.occurrence):  # a dated occurrence's key is its due date
        try:
            problems += date_problems("occurrence", date.fromisoformat(completion.occurrence))
        except ValueError:
            problems.append(f"occurrence: {completion.occurrence} is not a real date")
    return problems + length_problems(completion) + length_problems(completion.evidence)


def note_problems(text: str) -> list[str]:
    """A note as typed (once cleaned): the note form and ``note`` say the same."""
    return text_problems(Note, "text", text)


def _notes_problems(notes: Iterable[Note]) -> list[str]:
    for note in notes:
        problems = length_problems(note) + date_problems("note time", note.at)
        if problems:
            return problems  # the first note that is wrong is enough to say so
    return []


def obligation_problems(
    obligation: Obligation,
    series_keys: Collection[str],
    group_keys: Collection[str] | None = None,
) -> list[str]:
    """``series_keys``: the meetings a rule may name; ``group_keys``: the groups the item
    may belong to (None: any, for a plan that lists none)."""
    problems = []
    if not obligation.key.strip():
        problems.append("id: it cannot be empty")
    if any(char.isspace() for char in obligation.key):
        problems.append("id: it cannot hold spaces or line breaks")
    if not (obligation.text.strip() or obligation.title or obligation.activity):
        problems.append("text: it cannot be empty")
    problems += length_problems(obligation)
    if group_keys is not None and obligation.group not in group_keys:
        problems.append(f"group {obligation.group!r} is not a group of the plan")
    problems += date_problems("last reviewed", obligation.last_reviewed)
    problems += _schedule_problems(obligation.rules, series_keys)
    return problems + _notes_problems(obligation.notes)


def _schedule_problems(rules: Iterable[str], series_keys: Collection[str]) -> list[str]:
    """What is wrong with a schedule's rules (as stored, one text a rule)."""
    rules = tuple(rules)
    problems = []
    if not rules:
        problems.append("schedule: it cannot be empty")
    if len(rules) > MAX_RULES:
        problems.append(f"schedule: {len(rules)} rules; the limit is {MAX_RULES}")
    for spec in rules[:MAX_RULES]:
        if len(spec) > LINE_LIMIT:  # said once by length_problems, not read
            continue
        try:
            parse_rule(spec, known_events=series_keys)
        except RuleError as error:
            problems.append(f"schedule: {error}")
    return problems


def item_form_problems(
    obligation: Obligation, old: Obligation | None, today: date, partner_keys: Collection[str]
) -> list[str]:
    """What the item form asks of a person beyond what the store refuses (the editor
    takes these from a script): an owner for a status newly set to one of
    ``OWNER_NEEDED``, a review day not after ``today``, partners Appendix II lists.
    ``old``: the item as it was (None: it is being added)."""
    problems = []
    newly_set = old is None or obligation.status != old.status
    if obligation.status in OWNER_NEEDED and newly_set and not obligation.owner.strip():
        problems.append(f"owner: needed to set the status to {obligation.status.value}")
    if obligation.last_reviewed is not None and obligation.last_reviewed > today:
        problems.append("last reviewed: it cannot be after today")
    unknown = [key for key in obligation.partners if key not in partner_keys]
    if unknown:
        problems.append(f"partners: {', '.join(unknown)} not in Appendix II (A1–A12, B1–B49)")
    return problems
