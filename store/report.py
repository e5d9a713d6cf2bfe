"""What a quick check reports: counts of states and the urgent items behind them.

``Counts.of`` is the one function that counts states: the app's header and
agenda, ``status``, the brief and the exports all use it, and the urgent
rows they list are one per obligation and state, so a count and its rows
always agree.

``status`` also names the next meeting: the items due by its last day are
listed once it is within ``NEXT_MEETING_DAYS``, even past the due-soon
window, as rows of their own state ("before meeting").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date

from store.describe import describe_rule
from store.model import Meetings, MeetingSeries, Obligation, PlanInfo, Session
from store.rules import EventRelative
from store.schedule import (
    Assessment,
    DueOccurrence,
    Occurrence,
    OccurrenceState,
    Outlook,
    SessionDays,
    State,
    assess,
)
from store.text import unaccented

NEXT_MEETING_DAYS = 30
"""Once the next meeting opens within this many days, what falls due by its end is listed."""
BEFORE_MEETING = "before meeting"
"""The state of a row listed only because the next meeting comes first."""


def assess_all(
    obligations: Iterable[Obligation],
    plan: PlanInfo,
    meetings: Meetings,
    outlook: Outlook,
) -> list[Assessment]:
    return [assess(obligation, plan, meetings, outlook) for obligation in obligations]


@dataclass(frozen=True)
class Counts:
    """How many obligations are in each situation (one may count in several)."""

    total: int
    overdue: int
    due_soon: int
    stale: int
    recurring: int
    done: int
    waiting: int
    period_ended: int

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f) + getattr(other, f) for f in _COUNT_FIELDS))

    def __sub__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f) - getattr(other, f) for f in _COUNT_FIELDS))

    @classmethod
    def of(cls, assessments: Iterable[Assessment]) -> Counts:
        listed = list(assessments)
        return cls(
            total=len(listed),
            overdue=sum(1 for a in listed if a.overdue),
            due_soon=sum(1 for a in listed if a.due_soon),
            stale=sum(1 for a in listed if a.stale),
            recurring=sum(1 for a in listed if a.recurring),
            done=sum(1 for a in listed if a.state is State.DONE),
            waiting=sum(1 for a in listed if a.waiting),
            period_ended=sum(1 for a in listed if a.period_ended),
        )


_COUNT_FIELDS = tuple(field.name for field in fields(Counts))
"""In their order: what an edit adds to and takes from the counts (see ``__add__``)."""


@dataclass(frozen=True)
class UrgentRow:
    """An obligation's overdue (or due-soon) occurrences, as one line of a check."""

    dues: tuple[DueOccurrence, ...]
    """Every occurrence of the obligation in that state, earliest first."""
    obligation: Obligation
    state: OccurrenceState
    """Overdue, due soon, or upcoming (a row listed before the next meeting)."""
    rule: str
    """The rule that produced the earliest one, in words."""

    @property
    def due(self) -> date:
        day = self.dues[0].due
        assert day is not None
        return day

    @property
    def days(self) -> int:
        """Days left for the earliest (negative: days late)."""
        days = self.dues[0].days_from_today
        assert days is not None
        return days

    @property
    def label(self) -> str:
        """The row's state in words: ``overdue``, ``due soon`` or ``before meeting``.

        Only ``status`` lists upcoming occurrences, and only those due by the
        next meeting (see ``before_meeting_rows``).
        """
        return BEFORE_MEETING if self.state is OccurrenceState.UPCOMING else self.state.value


def urgent_rows(assessments: Iterable[Assessment], meetings: Meetings) -> list[UrgentRow]:
    """One row per obligation and state: overdue ones (oldest first), then due soon."""
    rows = []
    for assessment in assessments:
        for state in (OccurrenceState.OVERDUE, OccurrenceState.DUE_SOON):
            dues = tuple(d for d in assessment.occurrences if d.state is state)
            if dues:
                first = dues[0].occurrence
                rule = describe_rule(first.rule, meetings, first.year)
                rows.append(UrgentRow(dues, assessment.obligation, state, rule))
    return sorted(rows, key=lambda row: (row.state is not OccurrenceState.OVERDUE, row.due))


# -- the next meeting ---------------------------------------------------------------


def dated_sessions(meetings: Meetings) -> list[tuple[MeetingSeries, Session]]:
    """Every session with a date, in date order (ties by series key)."""
    found = [
        (series, session)
        for series in meetings.values()
        for session in series.sessions
        if session.start is not None
    ]
    return sorted(found, key=lambda pair: (pair[1].start or date.min, pair[0].key))


def next_session(meetings: Meetings, today: date) -> tuple[MeetingSeries, Session] | None:
    """The first session not over by ``today``: one under way counts, it is still ahead of work.

    A series held alongside another has no session of its own: it is that meeting.
    """
    return next(
        (
            (series, session)
            for series, session in dated_sessions(meetings)
            if _ends(session) >= today
        ),
        None,
    )


def last_session(meetings: Meetings, today: date) -> tuple[MeetingSeries, Session] | None:
    """The session that ended most recently before ``today``."""
    over = [
        (_ends(session), series.key, series, session)
        for series, session in dated_sessions(meetings)
        if _ends(session) < today
    ]
    if not over:
        return None
    _, _, series, session = max(over, key=lambda item: (item[0], item[1]))
    return series, session


def _ends(session: Session) -> date:
    day = session.last_day
    assert day is not None
    return day


def hangs_on(occurrence: Occurrence, series_key: str, year: int | None, meetings: Meetings) -> bool:
    """The occurrence's rule names the series, or a series held alongside it without dates
    of its own (the points of contact at the CICTE session, footnote 4), in ``year``."""
    rule = occurrence.rule
    if not isinstance(rule, EventRelative):
        return False
    if year is not None and occurrence.year != year:
        return False
    if series_key in rule.events:
        return True
    guest = meetings.get(rule.anchor)
    return bool(guest and guest.alongside == series_key and occurrence.assumed)


@dataclass(frozen=True)
class NextMeeting(SessionDays):
    """The next meeting as a quick check names it."""

    series: MeetingSeries
    session: Session
    days: int
    """Days from today to its first day; zero or negative once it has opened."""
    open_items: int
    """Occurrences that hang on it (see ``hangs_on``) and are not done."""

    @property
    def under_way(self) -> bool:
        """It has opened (today or before) and not ended: the next meeting is this one."""
        return self.days <= 0

    @property
    def lists_items(self) -> bool:
        """Close enough for the items due by its end to be listed."""
        return self.days <= NEXT_MEETING_DAYS


def next_meeting(
    assessments: Iterable[Assessment], meetings: Meetings, today: date
) -> NextMeeting | None:
    found = next_session(meetings, today)
    if found is None:
        return None
    series, session = found
    open_items = sum(
        1
        for assessment in assessments
        for due in assessment.occurrences
        if due.state is not OccurrenceState.DONE
        and hangs_on(due.occurrence, series.key, session.year, meetings)
    )
    start = session.start
    assert start is not None
    return NextMeeting(series, session, (start - today).days, open_items)


def before_meeting_rows(
    assessments: Iterable[Assessment], meetings: Meetings, meeting: NextMeeting | None
) -> list[UrgentRow]:
    """Upcoming (not yet due soon) deadlines up to the meeting's last day, when it is close."""
    if meeting is None or not meeting.lists_items:
        return []
    rows = []
    for assessment in assessments:
        dues = tuple(
            d
            for d in assessment.occurrences
            if d.state is OccurrenceState.UPCOMING
            and d.due is not None
            and d.due <= meeting.last_day
        )
        if dues:
            first = dues[0].occurrence
            rule = describe_rule(first.rule, meetings, first.year)
            rows.append(UrgentRow(dues, assessment.obligation, OccurrenceState.UPCOMING, rule))
    return sorted(rows, key=lambda row: row.due)


# -- owners --------------------------------------------------------------------------


def owner_key(owner: str) -> str:
    """Owners are typed by hand: ``ana`` and ``Ána `` are the same person."""
    return unaccented(" ".join(owner.split())).casefold()


def same_owner(owner: str, name: str) -> bool:
    return owner_key(owner) == owner_key(name)


def owned_by(obligations: Iterable[Obligation], name: str | None) -> list[Obligation]:
    """The obligations of one owner; all of them when ``name`` is None."""
    listed = list(obligations)
    return listed if name is None else [o for o in listed if same_owner(o.owner, name)]


# -- the quick check -----------------------------------------------------------------


@dataclass(frozen=True)
class StatusReport:
    plan: PlanInfo
    outlook: Outlook
    counts: Counts
    rows: tuple[UrgentRow, ...]
    """Overdue rows, due-soon rows, then rows due by the next meeting (``UrgentRow.label``)."""
    next_meeting: NextMeeting | None = None
    last_meeting: tuple[MeetingSeries, Session] | None = None
    """The session that ended last, for a check with no meeting ahead."""
    owner: str | None = None
    """Only this owner's items are counted and listed; None: everyone's."""
    plan_total: int = 0
    """Obligations in the plan, whoever owns them."""
    owners: tuple[str, ...] = ()
    """Every owner named in the plan, in the order first met."""
    next_plan: bool = False
    """The tracker holds the plan of the following year."""

    @property
    def before_meeting(self) -> int:
        """Rows (obligations) listed because the next meeting comes first."""
        return sum(1 for row in self.rows if row.state is OccurrenceState.UPCOMING)


def status_report(
    obligations: Iterable[Obligation],
    plan: PlanInfo,
    meetings: Meetings,
    outlook: Outlook,
    owner: str | None = None,
) -> StatusReport:
    everyone = list(obligations)
    assessments = assess_all(owned_by(everyone, owner), plan, meetings, outlook)
    meeting = next_meeting(assessments, meetings, outlook.today)
    rows = urgent_rows(assessments, meetings) + before_meeting_rows(assessments, meetings, meeting)
    owners: dict[str, str] = {}  # one spelling per owner, as first met
    for obligation in everyone:
        if name := " ".join(obligation.owner.split()):
            owners.setdefault(owner_key(name), name)
    return StatusReport(
        plan,
        outlook,
        Counts.of(assessments),
        tuple(rows),
        meeting,
        None if meeting else last_session(meetings, outlook.today),
        owner,
        len(everyone),
        tuple(owners.values()),
    )
