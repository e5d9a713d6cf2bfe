"""Schedule rules → occurrences, and an obligation's state as of *today*.

An occurrence is overdue when its due date is before today and it is not
completed; due soon when it falls within a window from today. Continuous,
on-demand and undetermined obligations never fall due: they go stale when
not reviewed within the review period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from dateutil.rrule import rrulestr

from store.model import Event, Obligation, PlanInfo, Status
from store.rules import (
    REVIEW_TRACKED,
    Dated,
    EventRelative,
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


class OccurrenceState(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due soon"
    UPCOMING = "upcoming"
    DONE = "done"
    WAITING = "waiting for event date"
    LAPSED = "ended before plan year"


class State(StrEnum):
    """An obligation's headline state, most urgent first."""

    DONE = "done"
    OVERDUE = "overdue"
    DUE_SOON = "due soon"
    WAITING = "waiting for event date"
    LAPSED = "ended before plan year"
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
    """Stable key used to record completion (see ``Completion.occurrence``)."""
    due: date | None
    """None while the event it hangs on has no date."""
    rule: Rule
    waiting_on: str | None = None
    """Key of the undated event this occurrence waits for."""
    opens: date | None = None
    """First day of the window the work belongs to, when the rule has one."""


@dataclass(frozen=True)
class DueOccurrence:
    """An occurrence with its state as of today."""

    occurrence: Occurrence
    state: OccurrenceState
    completed_on: date | None = None
    days_from_today: int | None = None
    """Negative when late, positive when ahead, None when undated."""

    @property
    def due(self) -> date | None:
        return self.occurrence.due


@dataclass(frozen=True)
class Assessment:
    """Everything the views need to know about one obligation today."""

    obligation: Obligation
    occurrences: tuple[DueOccurrence, ...]
    state: State
    recurring: bool
    review_tracked: bool
    stale: bool

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
    def lapsed(self) -> bool:
        return bool(self._with(OccurrenceState.LAPSED))

    @property
    def done(self) -> bool:
        return self.state is State.DONE

    @property
    def current(self) -> DueOccurrence | None:
        """The earliest dated occurrence not yet done: the one to work on."""
        for due in self.occurrences:
            if due.due is not None and due.state is not OccurrenceState.DONE:
                return due
        return None

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


def occurrences(
    rules: Iterable[Rule], plan: PlanInfo, events: Mapping[str, Event]
) -> list[Occurrence]:
    """All occurrences of the rules over the plan period, in date order.

    Year ranges yield their own end (which may lie outside the plan year);
    undated event anchors yield one undated occurrence, sorted last.
    """
    found: list[Occurrence] = []
    for rule in rules:
        found.extend(_occurrences_of(rule, plan, events))
    return sorted(found, key=lambda o: (o.due is None, o.due or date.max, o.key))


def _occurrences_of(rule: Rule, plan: PlanInfo, events: Mapping[str, Event]) -> list[Occurrence]:
    if isinstance(rule, Dated):
        return [Occurrence(rule.due.isoformat(), rule.due, rule)]
    if isinstance(rule, YearRange):
        return [Occurrence(rule.due.isoformat(), rule.due, rule, opens=date(rule.first, 1, 1))]
    if isinstance(rule, Recurring):
        return [Occurrence(day.isoformat(), day, rule) for day in recurrence_dates(rule, plan)]
    if isinstance(rule, EventRelative):
        return [_event_occurrence(rule, events)]
    return []


def recurrence_dates(rule: Recurring, plan: PlanInfo) -> list[date]:
    return list(_recurrence_dates(rule.rrule, rule.start, plan.period_start, plan.period_end))


@lru_cache(maxsize=1024)
def _recurrence_dates(
    rrule: str, start: date | None, period_start: date, period_end: date
) -> tuple[date, ...]:
    first = midnight(start or period_start)
    recurrence = rrulestr(rrule, dtstart=first)
    found = recurrence.between(midnight(period_start), midnight(period_end), inc=True)
    return tuple(moment.date() for moment in found)


def _event_occurrence(rule: EventRelative, events: Mapping[str, Event]) -> Occurrence:
    key = f"event:{rule.relation.value}:{'/'.join(rule.events)}"
    anchor = events.get(rule.until_event or rule.event)
    if anchor is None or anchor.start is None:
        return Occurrence(key, None, rule, waiting_on=rule.until_event or rule.event)
    first_day, last_day = anchor.start, anchor.last_day or anchor.start
    if rule.relation is Relation.BEFORE:
        return Occurrence(key, first_day - timedelta(days=1), rule)
    if rule.relation in (Relation.DURING, Relation.BEFORE_AND_DURING):
        opens = first_day if rule.relation is Relation.DURING else None
        return Occurrence(key, last_day, rule, opens=opens)
    if rule.relation is Relation.AFTER:
        return Occurrence(
            key, last_day + timedelta(days=AFTER_EVENT_DAYS), rule, opens=last_day + timedelta(1)
        )
    opener = events.get(rule.event)
    opens = opener.last_day + timedelta(days=1) if opener and opener.last_day else None
    return Occurrence(key, first_day - timedelta(days=1), rule, opens=opens)


def is_recurring(rules: Iterable[Rule]) -> bool:
    return any(
        isinstance(rule, Recurring) or (isinstance(rule, EventRelative) and rule.yearly)
        for rule in rules
    )


def assess(
    obligation: Obligation, plan: PlanInfo, events: Mapping[str, Event], outlook: Outlook
) -> Assessment:
    """The obligation's occurrences and headline state as of ``outlook.today``."""
    rules = parsed_rules(obligation.rules)
    review_tracked = any(isinstance(rule, REVIEW_TRACKED) for rule in rules)
    status_done = obligation.status is Status.DONE
    dues = tuple(
        _due_state(occurrence, obligation, plan, outlook, status_done)
        for occurrence in occurrences(rules, plan, events)
    )
    # A stretch of years that ended before the plan is flagged as ended, not as stale.
    lapsed = any(due.state is OccurrenceState.LAPSED for due in dues)
    stale = (
        review_tracked
        and not status_done
        and not lapsed
        and _unreviewed_too_long(obligation, plan, outlook)
    )
    state = _headline(rules, dues, status_done, review_tracked, stale)
    return Assessment(obligation, dues, state, is_recurring(rules), review_tracked, stale)


def _due_state(
    occurrence: Occurrence,
    obligation: Obligation,
    plan: PlanInfo,
    outlook: Outlook,
    status_done: bool,
) -> DueOccurrence:
    completion = obligation.completion_of(occurrence.key)
    if completion is not None or status_done:
        done_on = completion.completed_on if completion else None
        return DueOccurrence(occurrence, OccurrenceState.DONE, done_on, _days(occurrence, outlook))
    if occurrence.due is None:
        return DueOccurrence(occurrence, OccurrenceState.WAITING)
    days = (occurrence.due - outlook.today).days
    if isinstance(occurrence.rule, YearRange) and occurrence.rule.last < plan.year:
        state = OccurrenceState.LAPSED
    elif days < 0:
        state = OccurrenceState.OVERDUE
    elif days <= outlook.due_soon_days:
        state = OccurrenceState.DUE_SOON
    else:
        state = OccurrenceState.UPCOMING
    return DueOccurrence(occurrence, state, None, days)


def _days(occurrence: Occurrence, outlook: Outlook) -> int | None:
    return None if occurrence.due is None else (occurrence.due - outlook.today).days


def _unreviewed_too_long(obligation: Obligation, plan: PlanInfo, outlook: Outlook) -> bool:
    reviewed = obligation.last_reviewed or plan.period_start
    return (outlook.today - reviewed).days > outlook.review_days


def _headline(
    rules: tuple[Rule, ...],
    dues: tuple[DueOccurrence, ...],
    status_done: bool,
    review_tracked: bool,
    stale: bool,
) -> State:
    states = {due.state for due in dues}
    if status_done:
        return State.DONE
    for occurrence_state, state in (
        (OccurrenceState.OVERDUE, State.OVERDUE),
        (OccurrenceState.DUE_SOON, State.DUE_SOON),
        (OccurrenceState.WAITING, State.WAITING),
        (OccurrenceState.LAPSED, State.LAPSED),
    ):
        if occurrence_state in states:
            return state
    if stale:
        return State.STALE
    if OccurrenceState.UPCOMING in states:
        return State.SCHEDULED
    if dues and not review_tracked:
        return State.DONE  # every occurrence of a dated obligation is completed
    kinds = {rule.spec for rule in rules}
    if "continuous" in kinds:
        return State.CONTINUOUS
    if "on demand" in kinds:
        return State.ON_DEMAND
    return State.TBD


def preview_dates(
    rules: Iterable[Rule],
    plan: PlanInfo,
    events: Mapping[str, Event],
    today: date,
    count: int = 3,
) -> list[date]:
    """The next ``count`` due dates from today, looking past the plan year if needed."""
    horizon = replace(
        plan,
        period_start=min(plan.period_start, today),
        period_end=max(plan.period_end, today + timedelta(days=3 * 366)),
    )
    dues = [o.due for o in occurrences(rules, horizon, events) if o.due and o.due >= today]
    return dues[:count]
