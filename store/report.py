"""What a quick check before a meeting reports: counts and urgent occurrences."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from store.describe import describe_rule
from store.model import Event, Obligation, PlanInfo
from store.schedule import Assessment, DueOccurrence, OccurrenceState, Outlook, State, assess


def assess_all(
    obligations: Iterable[Obligation],
    plan: PlanInfo,
    events: Mapping[str, Event],
    outlook: Outlook,
) -> list[Assessment]:
    return [assess(obligation, plan, events, outlook) for obligation in obligations]


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
    lapsed: int

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
            lapsed=sum(1 for a in listed if a.lapsed),
        )


@dataclass(frozen=True)
class UrgentRow:
    """One overdue or due-soon occurrence, as the status table shows it."""

    obligation: Obligation
    state: OccurrenceState
    due: date
    days: int
    """Days left (negative: days late)."""
    rule: str
    """The rule that produced the occurrence, in words."""


@dataclass(frozen=True)
class StatusReport:
    plan: PlanInfo
    outlook: Outlook
    counts: Counts
    rows: tuple[UrgentRow, ...]


def urgent_rows(assessments: Iterable[Assessment], events: Mapping[str, Event]) -> list[UrgentRow]:
    """Overdue occurrences (oldest first), then those due soon (soonest first)."""
    rows = [
        _row(assessment.obligation, due, events)
        for assessment in assessments
        for due in assessment.occurrences
        if due.state in (OccurrenceState.OVERDUE, OccurrenceState.DUE_SOON)
    ]
    return sorted(rows, key=lambda row: (row.state is not OccurrenceState.OVERDUE, row.due))


def _row(obligation: Obligation, due: DueOccurrence, events: Mapping[str, Event]) -> UrgentRow:
    assert due.due is not None and due.days_from_today is not None
    rule = describe_rule(due.occurrence.rule, events)
    return UrgentRow(obligation, due.state, due.due, due.days_from_today, rule)


def status_report(
    obligations: Iterable[Obligation],
    plan: PlanInfo,
    events: Mapping[str, Event],
    outlook: Outlook,
) -> StatusReport:
    assessments = assess_all(obligations, plan, events, outlook)
    rows = urgent_rows(assessments, events)
    return StatusReport(plan, outlook, Counts.of(assessments), tuple(rows))
