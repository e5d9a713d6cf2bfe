"""Every check of a record, in one place: the forms, the scriptable edits and import use it.

Each function returns the problems it finds, as sentences a user can act
on (an empty list: the record is fine). What the app can save, ``import``
accepts, and the reverse.

Two kinds of bounds keep one bad value from making the tracker unusable:
every date lies between 1900 and 2100 (``store.rules.FIRST_YEAR`` and
``LAST_YEAR``), and every text has a length limit.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date

from store.model import Completion, Evidence, MeetingSeries, Note, Obligation, PlanInfo, Session
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

# Length limits, in characters. Each is far above what the 2008 plan or a user needs
# (the plan's longest item text, a quoted resolution, has 2,183 characters; its longest
# title 198), and low enough that a pasted file or a runaway script is refused at once.
ID_LIMIT = 50
"""An item's id, a meeting's key, an Appendix II partner key."""
OWNER_LIMIT = 100
LINE_LIMIT = 500
"""One line of text: an item's title, a source, the printed schedule, one rule, a
meeting's name, a session's title, place or document, an outcome, a plan's symbol or title."""
LINK_LIMIT = 2_000
"""A link: long enough for any URL a browser takes."""
TEXT_LIMIT = 10_000
"""An item's text and its planned activity: the plan quotes whole resolutions."""
NOTE_LIMIT = 20_000
"""A note on an item, and the note of a meeting or a session."""
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
    problems += too_long("symbol", plan.symbol, LINE_LIMIT)
    problems += too_long("title", plan.title, LINE_LIMIT)
    return problems


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
    problems += too_long("title", session.title, LINE_LIMIT)
    problems += too_long("place", session.place, LINE_LIMIT)
    problems += too_long("document", session.document, LINE_LIMIT)
    problems += too_long("note", session.note, NOTE_LIMIT)
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
    problems += too_long("key", series.key, ID_LIMIT)
    if not series.name.strip():
        problems.append("name: it cannot be empty")
    problems += too_long("name", series.name, LINE_LIMIT)
    problems += too_long("alongside basis", series.alongside_basis, LINE_LIMIT)
    problems += too_long("note", series.note, NOTE_LIMIT)
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


def evidence_problems(evidence: Evidence) -> list[str]:
    return (
        too_long("document", evidence.document, LINE_LIMIT)
        + too_long("link", evidence.link, LINK_LIMIT)
        + too_long("outcome", evidence.outcome, LINE_LIMIT)
    )


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
    problems += too_long("occurrence", completion.occurrence, LINE_LIMIT)
    return problems + evidence_problems(completion.evidence)


def note_problems(text: str) -> list[str]:
    """A note as typed (once cleaned): the note form and ``note`` say the same."""
    return too_long("note", text, NOTE_LIMIT)


def _notes_problems(notes: Iterable[Note]) -> list[str]:
    for note in notes:
        problems = note_problems(note.text) + date_problems("note time", note.at)
        if problems:
            return problems  # the first note that is wrong is enough to say so
    return []


def obligation_problems(obligation: Obligation, series_keys: Collection[str]) -> list[str]:
    problems = []
    if not obligation.key.strip():
        problems.append("id: it cannot be empty")
    problems += too_long("id", max(obligation.key, obligation.number, key=len), ID_LIMIT)
    if any(char.isspace() for char in obligation.key):
        problems.append("id: it cannot hold spaces or line breaks")
    if not (obligation.text.strip() or obligation.title or obligation.activity):
        problems.append("text: it cannot be empty")
    problems += too_long("text", obligation.text, TEXT_LIMIT)
    problems += too_long("title", obligation.title or "", LINE_LIMIT)
    problems += too_long("activity", "\n".join(obligation.activity), TEXT_LIMIT)
    problems += _each_too_long("source", obligation.sources, LINE_LIMIT)
    problems += _each_too_long("partner", obligation.partners, ID_LIMIT)
    problems += too_long("printed schedule", obligation.schedule_text, LINE_LIMIT)
    problems += too_long("owner", obligation.owner, OWNER_LIMIT)
    problems += date_problems("last reviewed", obligation.last_reviewed)
    if not obligation.rules:
        problems.append("schedule: it cannot be empty")
    if len(obligation.rules) > MAX_RULES:
        problems.append(f"schedule: {len(obligation.rules)} rules; the limit is {MAX_RULES}")
    for spec in obligation.rules[:MAX_RULES]:
        if long_rule := too_long("schedule", spec, LINE_LIMIT):
            problems += long_rule
            continue
        try:
            parse_rule(spec, known_events=series_keys)
        except RuleError as error:
            problems.append(f"schedule: {error}")
    return problems + _notes_problems(obligation.notes)
