"""Schedule rules → occurrences, and an obligation's state as of *today*.

An occurrence is overdue when its due date is before today and it is not
completed; due soon when it falls within a window from today. Continuous,
on-demand and undetermined obligations never fall due: they go stale when
not reviewed within the review period; continuous work within a period of
years ("Permanent : 2004-2008") asks to be renewed or closed once it ends.

A rule that hangs on a meeting resolves, for each plan year, against that
year's session of the series (or, without dates of its own, the session of
the series it sits alongside). A completed occurrence keeps the due date it
had when it was done, so moving a session never rewrites history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from dateutil.rrule import rrulestr

from store.model import (
    Completion,
    Obligation,
    PlanInfo,
    Session,
    Status,
    session_id,
)
from store.model import Meetings as Meetings  # where the views and formats take it from
from store.rules import (
    FIRST_YEAR,
    LAST_YEAR,
    REVIEW_TRACKED,
    Dated,
    EventRelative,
    Period,
    Recurring,
    Relation,
    Rule,
    RuleError,
    ToBeDetermined,
    YearRange,
    midnight,
    parse_rule,
)

DUE_SOON_DAYS = 14
REVIEW_DAYS = 90
AFTER_EVENT_DAYS = 30
"""'After the session' has no printed deadline: it falls due this many days
after the event's last day, so that it surfaces without being overdue at once."""

YEARS_AROUND_PLAN = 1
"""Occurrences are generated within the plan's period and never further than this many
years from the plan's year: a hand-edited period of 1900–2100 costs no more than three years."""
MAX_OCCURRENCES = 400
"""At most this many occurrences of one item, the earliest kept. Even a daily rule
fills a plan year (366 days) without reaching it; only a period stretched past the
plan's year can, and then the later dates are left out rather than filling memory."""

Window = tuple[date, date]
"""The first and last day occurrences are generated in."""


class OccurrenceState(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due soon"
    UPCOMING = "upcoming"
    DONE = "done"
    WAITING = "waiting for event date"


class State(StrEnum):
    """An obligation's headline state, most urgent first."""

    DONE = "done"
    OVERDUE = "overdue"
    DUE_SOON = "due soon"
    WAITING = "waiting for event date"
    PERIOD_ENDED = "period ended — renew or close"
    STALE = "stale"
    SCHEDULED = "scheduled"
    CONTINUOUS = "continuous"
    ON_DEMAND = "on demand"
    TBD = "to be determined"


@dataclass(frozen=True)
class Outlook:
    """The point of view of a check: *today* and the windows around it."""

    today: date
    due_soon_days: int = DUE_SOON_DAYS
    review_days: int = REVIEW_DAYS


@dataclass(frozen=True)
class Occurrence:
    """One due instance of an obligation, derived from one of its rules."""

    key: str
    """Stable key used to record completion (see ``Completion.occurrence``):
    the ISO due date as first computed, or ``SERIES/YEAR:[lead ]relation`` for
    an occurrence that hangs on a session, which stays put when the session moves."""
    due: date | None
    """None while the session it hangs on has no date."""
    rule: Rule
    waiting_on: str | None = None
    """Key of the series whose session date this occurrence waits for."""
    opens: date | None = None
    """First day of the window the work belongs to, when the rule has one."""
    session: str | None = None
    """``cicte-session/2008``: the session an event-relative occurrence hangs on."""
    assumed: str = ""
    """Why the dates are another series' ("alongside the CICTE regular session, footnote 4")."""

    @property
    def year(self) -> int | None:
        """The year of the session it hangs on, if any."""
        return int(self.session.rpartition("/")[2]) if self.session else None


@dataclass(frozen=True)
class DueOccurrence:
    """An occurrence with its state as of today."""

    occurrence: Occurrence
    state: OccurrenceState
    completion: Completion | None = None
    days_from_today: int | None = None
    """Negative when late, positive when ahead, None when undated."""

    @property
    def due(self) -> date | None:
        """The due date; a completed occurrence keeps the one it was done against."""
        if self.completion is not None and self.completion.due is not None:
            return self.completion.due
        return self.occurrence.due

    @property
    def done_on(self) -> date | None:
        return self.completion.done_on if self.completion else None


@dataclass(frozen=True)
class Assessment:
    """Everything the views need to know about one obligation today."""

    obligation: Obligation
    occurrences: tuple[DueOccurrence, ...]
    state: State
    recurring: bool
    review_tracked: bool
    stale: bool
    period_ended: bool = False
    """Continuous work within a period of years whose period is over."""
    history: tuple[Completion, ...] = ()
    """Completions that no longer match an occurrence (the rule was edited)."""

    @property
    def key(self) -> str:
        return self.obligation.key

    def _with(self, state: OccurrenceState) -> list[DueOccurrence]:
        return [o for o in self.occurrences if o.state is state]

    @property
    def overdue(self) -> list[DueOccurrence]:
        return self._with(OccurrenceState.OVERDUE)

    @property
    def due_soon(self) -> list[DueOccurrence]:
        return self._with(OccurrenceState.DUE_SOON)

    @property
    def waiting(self) -> bool:
        return bool(self._with(OccurrenceState.WAITING))

    @property
    def open_occurrences(self) -> list[DueOccurrence]:
        """Dated occurrences not yet done, earliest first: what ``x`` completes."""
        return [d for d in self.occurrences if d.due is not None and d.completion is None]

    @property
    def done(self) -> bool:
        return self.state is State.DONE

    @property
    def current(self) -> DueOccurrence | None:
        """The earliest dated occurrence not yet done: the one to work on."""
        open_ones = self.open_occurrences
        return open_ones[0] if open_ones else None

    @property
    def next_due(self) -> date | None:
        current = self.current
        return current.due if current else None


@lru_cache(maxsize=4096)
def parsed_rules(specs: tuple[str, ...]) -> tuple[Rule, ...]:
    """Rules of a stored obligation; an unreadable one counts as undetermined."""
    rules: list[Rule] = []
    for spec in specs:
        try:
            rules.append(parse_rule(spec))
        except RuleError:
            rules.append(ToBeDetermined())
    return tuple(rules) or (ToBeDetermined(),)


def occurrence_window(plan: PlanInfo) -> Window:
    """The plan's period, cut to the years around the plan's year and to 1900–2100."""
    low = min(max(plan.year - YEARS_AROUND_PLAN, FIRST_YEAR), LAST_YEAR)
    high = max(min(plan.year + YEARS_AROUND_PLAN, LAST_YEAR), FIRST_YEAR)
    return max(plan.period_start, date(low, 1, 1)), min(plan.period_end, date(high, 12, 31))


def occurrences(
    rules: Iterable[Rule], plan: PlanInfo, meetings: Meetings, window: Window | None = None
) -> list[Occurrence]:
    """All occurrences of the rules over the plan period, in date order.

    Year ranges yield their own end (which may lie outside the plan year);
    a session without dates yields one undated occurrence, sorted last.
    Recurring rules yield the dates of ``window`` (default: ``occurrence_window``),
    at most ``MAX_OCCURRENCES`` in all.
    """
    window = window or occurrence_window(plan)
    found: list[Occurrence] = []
    for rule in rules:
        found.extend(_occurrences_of(rule, plan, meetings, window))
    found.sort(key=lambda o: (o.due is None, o.due or date.max, o.key))
    return found[:MAX_OCCURRENCES]


_SHARED_OCCURRENCES: dict[tuple[tuple[str, ...], date, Window], tuple[Occurrence, ...]] = {}
"""Occurrences of rules that name no meeting, by the rules' text and the plan's period:
items with the same schedule (a plan's ``continuous``, its ``yearly in september``) share
them, so assessing 10,000 items expands each schedule once."""
_SHARED_LIMIT = 4096


_last_window: tuple[PlanInfo, Window] | None = None


def _window_of(plan: PlanInfo) -> Window:
    """``occurrence_window(plan)``, worked out once for the plan a batch assesses. The
    pair is read and replaced whole: the store's worker thread may assess meanwhile."""
    global _last_window  # noqa: PLW0603 - a one-entry cache
    last = _last_window
    if last is None or last[0] is not plan:
        last = _last_window = (plan, occurrence_window(plan))
    return last[1]


def _occurrences_of_rules(
    specs: tuple[str, ...], rules: tuple[Rule, ...], plan: PlanInfo, meetings: Meetings
) -> Sequence[Occurrence]:
    if any(isinstance(rule, EventRelative) for rule in rules):  # they follow the meetings
        return occurrences(rules, plan, meetings)
    window = _window_of(plan)
    key = (specs, plan.period_start, window)
    found = _SHARED_OCCURRENCES.get(key)
    if found is None:
        if len(_SHARED_OCCURRENCES) >= _SHARED_LIMIT:
            _SHARED_OCCURRENCES.clear()
        found = _SHARED_OCCURRENCES[key] = tuple(occurrences(rules, plan, meetings, window))
    return found


def _occurrences_of(
    rule: Rule, plan: PlanInfo, meetings: Meetings, window: Window
) -> list[Occurrence]:
    if isinstance(rule, Dated):
        return [Occurrence(rule.due.isoformat(), rule.due, rule)]
    if isinstance(rule, YearRange):
        return [Occurrence(rule.due.isoformat(), rule.due, rule, opens=date(rule.first, 1, 1))]
    if isinstance(rule, Recurring):
        days = recurrence_dates(rule, plan, window)
        return [Occurrence(day.isoformat(), day, rule) for day in days]
    if isinstance(rule, EventRelative):
        first, last = window
        years = range(first.year, last.year + 1) if rule.yearly else [plan.year]
        return [_event_occurrence(rule, year, meetings) for year in years]
    return []


def recurrence_dates(rule: Recurring, plan: PlanInfo, window: Window | None = None) -> list[date]:
    """The rule's dates within ``window`` (default: ``occurrence_window``), at most
    ``MAX_OCCURRENCES``; a rule without a start of its own starts on the plan's first day."""
    first, last = window or occurrence_window(plan)
    return list(_recurrence_dates(rule.rrule, rule.start or plan.period_start, first, last))


@lru_cache(maxsize=1024)
def _recurrence_dates(rrule: str, start: date, first: date, last: date) -> tuple[date, ...]:
    if last < first:
        return ()
    recurrence = rrulestr(rrule, dtstart=midnight(_closer_start(rrule, start, first)))
    found: list[date] = []
    for moment in recurrence.xafter(midnight(first), inc=True):
        day = moment.date()
        if day > last or len(found) == MAX_OCCURRENCES:
            break
        if not found or found[-1] != day:
            found.append(day)
    return tuple(found)


def _closer_start(rrule: str, start: date, first: date) -> date:
    """A start as near ``first`` as gives the same dates, so that a daily or weekly rule
    from 1900 is not stepped through day by day to reach the plan's year.

    Moving the start by whole intervals keeps every later date; COUNT counts from
    the real start and BYSETPOS picks within its first interval, so such a rule keeps it."""
    parts = dict(part.partition("=")[::2] for part in rrule.split(";"))
    days = {"DAILY": 1, "WEEKLY": 7}.get(parts.get("FREQ", ""))
    if days is None or "COUNT" in parts or "BYSETPOS" in parts or start >= first:
        return start
    step = days * int(parts.get("INTERVAL") or 1)
    return start + timedelta(days=(first - start).days // step * step)


class SessionDays:
    """The days of a dated session, for a record that holds one (``session``)."""

    session: Session

    @property
    def first_day(self) -> date:
        assert self.session.start is not None
        return self.session.start

    @property
    def last_day(self) -> date:
        return self.session.last_day or self.first_day


@dataclass(frozen=True)
class ResolvedSession(SessionDays):
    """The session whose dates a series has in a year, and whose dates they really are."""

    session: Session
    assumed: str = ""
    """Empty when the series has dates of its own; else why it takes another's."""


def resolve_session(meetings: Meetings, series_key: str, year: int) -> ResolvedSession | None:
    """The dated session of ``series_key`` in ``year``, or of the series it sits alongside."""
    series = meetings.get(series_key)
    if series is None:
        return None
    own = series.session(year)
    if own is not None and own.dated:
        return ResolvedSession(own)
    host = meetings.get(series.alongside) if series.alongside else None
    hosted = host.session(year) if host is not None else None
    if host is None or hosted is None or not hosted.dated:
        return None
    basis = f", {series.alongside_basis}" if series.alongside_basis else ""
    return ResolvedSession(hosted, f"alongside the {host.name}{basis}")


def _event_occurrence(rule: EventRelative, year: int, meetings: Meetings) -> Occurrence:
    anchor_key = rule.anchor
    session = session_id(anchor_key, year)
    lead_words = f"{rule.lead} " if rule.lead else ""  # two lead times on one session: two keys
    key = f"{session}:{lead_words}{rule.relation.value}"
    anchor = resolve_session(meetings, anchor_key, year)
    if anchor is None:
        return Occurrence(key, None, rule, waiting_on=anchor_key, session=session)
    first_day, last_day = anchor.first_day, anchor.last_day
    lead = timedelta(days=rule.lead_days)

    def occurrence(due: date, opens: date | None = None) -> Occurrence:
        return Occurrence(key, due, rule, opens=opens, session=session, assumed=anchor.assumed)

    if rule.relation is Relation.BEFORE:
        return occurrence(first_day - (lead or timedelta(days=1)))
    if rule.relation is Relation.DURING:
        return occurrence(last_day, opens=first_day)
    if rule.relation is Relation.BEFORE_AND_DURING:
        return occurrence(last_day)
    if rule.relation is Relation.AFTER:
        return occurrence(
            last_day + (lead or timedelta(days=AFTER_EVENT_DAYS)), opens=last_day + timedelta(1)
        )
    opener = resolve_session(meetings, rule.event, year)
    opens = opener.last_day + timedelta(days=1) if opener else None
    return occurrence(first_day - timedelta(days=1), opens=opens)


CARRIED_STATUSES = (Status.IN_PROGRESS, Status.BLOCKED)
"""Besides a missed deadline, what leaves an item open at the end of its plan year."""


def still_open(obligation: Obligation, missed_a_deadline: bool) -> bool:
    """Open at the end of a plan year: not done, and a deadline missed or work under way.

    Such an item is carried over into the next year's plan, and the year-end
    report lists it as still open."""
    if obligation.status is Status.DONE:
        return False
    return missed_a_deadline or obligation.status in CARRIED_STATUSES


def is_recurring(rules: Iterable[Rule]) -> bool:
    return any(
        isinstance(rule, Recurring) or (isinstance(rule, EventRelative) and rule.yearly)
        for rule in rules
    )


def assess(
    obligation: Obligation, plan: PlanInfo, meetings: Meetings, outlook: Outlook
) -> Assessment:
    """The obligation's occurrences and headline state as of ``outlook.today``."""
    rules = parsed_rules(obligation.rules)
    facts = _facts_of(obligation.rules)
    review_tracked = facts.review_tracked
    status_done = obligation.status is Status.DONE
    found = _occurrences_of_rules(obligation.rules, rules, plan, meetings)
    if plan.derived_from is not None and obligation.carried_from is None:
        # A copied deliverable of an earlier year belongs to the plan it was due in;
        # only a carried-over item brings its open deadline along.
        found = [o for o in found if o.due is None or o.due >= plan.period_start]
    dues = tuple(_due_state(o, obligation, outlook, status_done) for o in found)
    period_ended = not status_done and facts.period_ended(outlook.today)
    stale = (
        review_tracked
        and not status_done
        and not period_ended
        and _unreviewed_too_long(obligation, plan, outlook)
    )
    keys = {o.key for o in found}
    history = tuple(
        c for c in obligation.completions if c.occurrence not in keys and c.done_on <= outlook.today
    )
    state = _headline(facts, dues, status_done, stale, period_ended)
    return Assessment(
        obligation, dues, state, facts.recurring, review_tracked, stale, period_ended, history
    )


@dataclass(frozen=True)
class _RuleFacts:
    """What an item's rules say whatever the day: worked out once per set of rules."""

    review_tracked: bool
    recurring: bool
    periods: tuple[Period, ...]
    """Its periods of continuous work, when nothing else keeps it going."""
    undated: State
    """Its state when no occurrence decides it: continuous, on demand or to be determined."""

    def period_ended(self, today: date) -> bool:
        """Every period of continuous work is over, and nothing else keeps the item going."""
        return bool(self.periods) and all(period.ends < today for period in self.periods)


@lru_cache(maxsize=4096)
def _facts_of(specs: tuple[str, ...]) -> _RuleFacts:
    rules = parsed_rules(specs)
    periods = tuple(rule for rule in rules if isinstance(rule, Period))
    others = [rule for rule in rules if isinstance(rule, REVIEW_TRACKED) and rule not in periods]
    kinds = {rule.spec for rule in rules}
    if "continuous" in kinds or periods:
        undated = State.CONTINUOUS
    elif "on demand" in kinds:
        undated = State.ON_DEMAND
    else:
        undated = State.TBD
    return _RuleFacts(
        review_tracked=any(isinstance(rule, REVIEW_TRACKED) for rule in rules),
        recurring=is_recurring(rules),
        periods=() if others else periods,
        undated=undated,
    )


def _due_state(
    occurrence: Occurrence, obligation: Obligation, outlook: Outlook, status_done: bool
) -> DueOccurrence:
    completion = obligation.completion_of(occurrence.key)
    if completion is not None and completion.done_on > outlook.today:
        completion = None  # as of an earlier day, work done later is not done yet
    if completion is not None or status_done:
        due = DueOccurrence(occurrence, OccurrenceState.DONE, completion)
        return replace(due, days_from_today=_days(due.due, outlook))
    if occurrence.due is None:
        return DueOccurrence(occurrence, OccurrenceState.WAITING)
    days = (occurrence.due - outlook.today).days
    if days < 0:
        state = OccurrenceState.OVERDUE
    elif days <= outlook.due_soon_days:
        state = OccurrenceState.DUE_SOON
    else:
        state = OccurrenceState.UPCOMING
    return DueOccurrence(occurrence, state, None, days)


def _days(due: date | None, outlook: Outlook) -> int | None:
    return None if due is None else (due - outlook.today).days


def _unreviewed_too_long(obligation: Obligation, plan: PlanInfo, outlook: Outlook) -> bool:
    reviewed = obligation.last_reviewed or plan.period_start
    return (outlook.today - reviewed).days > outlook.review_days


def _headline(
    facts: _RuleFacts,
    dues: tuple[DueOccurrence, ...],
    status_done: bool,
    stale: bool,
    period_ended: bool,
) -> State:
    if status_done:
        return State.DONE
    states = {due.state for due in dues}
    for occurrence_state, state in (
        (OccurrenceState.OVERDUE, State.OVERDUE),
        (OccurrenceState.DUE_SOON, State.DUE_SOON),
        (OccurrenceState.WAITING, State.WAITING),
    ):
        if occurrence_state in states:
            return state
    if period_ended:
        return State.PERIOD_ENDED
    if stale:
        return State.STALE
    if OccurrenceState.UPCOMING in states:
        return State.SCHEDULED
    if dues and not facts.review_tracked:
        return State.DONE  # every occurrence of a dated obligation is completed
    return facts.undated


def preview_dates(
    rules: Iterable[Rule],
    plan: PlanInfo,
    meetings: Meetings,
    today: date,
    count: int = 3,
) -> list[date]:
    """The next ``count`` due dates from today, looking past the plan year if needed."""
    ahead = max(plan.period_end, today + timedelta(days=3 * 366))
    window = (today, min(ahead, date(LAST_YEAR, 12, 31)))
    dues = [o.due for o in occurrences(rules, plan, meetings, window) if o.due and o.due >= today]
    return dues[:count]
