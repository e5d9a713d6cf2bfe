"""What a quick check reports: counts of states and the urgent items behind them.

``Counts.of`` is the one function that counts states: the app's header and
agenda, ``status``, the brief and the exports all use it, and the urgent
rows they list are one per obligation and state, so a count and its rows
always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from store.describe import describe_rule
from store.model import Obligation, PlanInfo
from store.schedule import (
    Assessment,
    DueOccurrence,
    Meetings,
    OccurrenceState,
    Outlook,
    State,
    assess,
)


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


@dataclass(frozen=True)
class UrgentRow:
    """An obligation's overdue (or due-soon) occurrences, as one line of a check."""

    obligation: Obligation
    state: OccurrenceState
    dues: tuple[DueOccurrence, ...]
    """Every occurrence of the obligation in that state, earliest first."""
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


def urgent_rows(assessments: Iterable[Assessment], meetings: Meetings) -> list[UrgentRow]:
    """One row per obligation and state: overdue ones (oldest first), then due soon."""
    rows = []
    for assessment in assessments:
        for state in (OccurrenceState.OVERDUE, OccurrenceState.DUE_SOON):
            dues = tuple(d for d in assessment.occurrences if d.state is state)
            if dues:
                first = dues[0].occurrence
                rule = describe_rule(first.rule, meetings, first.year)
                rows.append(UrgentRow(assessment.obligation, state, dues, rule))
    return sorted(rows, key=lambda row: (row.state is not OccurrenceState.OVERDUE, row.due))


@dataclass(frozen=True)
class StatusReport:
    plan: PlanInfo
    outlook: Outlook
    counts: Counts
    rows: tuple[UrgentRow, ...]


def status_report(
    obligations: Iterable[Obligation],
    plan: PlanInfo,
    meetings: Meetings,
    outlook: Outlook,
) -> StatusReport:
    assessments = assess_all(obligations, plan, meetings, outlook)
    rows = urgent_rows(assessments, meetings)
    return StatusReport(plan, outlook, Counts.of(assessments), tuple(rows))
