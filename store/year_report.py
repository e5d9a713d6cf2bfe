"""What a plan year came to: each deadline done, missed or still open, and each review.

Pure data, no clock and no rendering (see tui/year_report.py). States are
taken at the *year-end point*: the day after the plan year ends, so that a
deadline on its last day counts as missed when not done; or *today* when
that comes first (an interim report, where "missed" means overdue today).
Work recorded after the year-end point, up to *today*, is still reported,
each with its date: a deadline missed in December and done in January reads
"missed; done since, on …", never as done in time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from store.describe import describe_schedule
from store.model import (
    Completion,
    Group,
    Meetings,
    Note,
    Obligation,
    PlanInfo,
    PlanReference,
    Section,
)
from store.schedule import (
    Assessment,
    DueOccurrence,
    Occurrence,
    OccurrenceState,
    Outlook,
    assess,
    parsed_rules,
    still_open,
)


class Outcome(StrEnum):
    """What became of one deadline of the year."""

    DONE = "done"
    MISSED = "missed"
    """Not done by the year-end point although due before it."""
    OPEN = "open"
    """Not due yet at the year-end point, or waiting for a session date."""


def year_end_point(plan: PlanInfo, today: date) -> date:
    """The day states are taken: the day after the plan year ends, or today if earlier."""
    return min(plan.period_end + timedelta(days=1), today)


@dataclass(frozen=True)
class DeadlineLine:
    """One occurrence of an obligation in the plan year and what became of it."""

    occurrence: Occurrence
    outcome: Outcome
    due: date | None
    """The due date (a completed occurrence keeps the one it was done against)."""
    completion: Completion | None = None
    """Its completion recorded up to *today*, even one after the year-end point."""
    marked_done: bool = False
    """Done because the whole obligation was marked done, with no dated completion."""
    beyond_year: bool = False
    """Due after the plan year ends (a range of years such as 2008-2009)."""
    before_year: bool = False
    """Due before the plan year began: an open deadline an item was carried over with."""
    waiting_for: str = ""
    """The meeting series whose session date it waits for, by name."""

    @property
    def done_on(self) -> date | None:
        return self.completion.done_on if self.completion else None

    @property
    def done_since(self) -> bool:
        """Done, but only after the year-end point (so not counted as done)."""
        return self.completion is not None and self.outcome is not Outcome.DONE

    @property
    def days_late(self) -> int:
        """Days between the due date and the day it was done (0 when on time or undated)."""
        if self.due is None or self.done_on is None:
            return 0
        return max((self.done_on - self.due).days, 0)


@dataclass(frozen=True)
class ItemReport:
    """One obligation over the plan year."""

    obligation: Obligation
    schedule: str
    """Its rules in words, for the plan year."""
    deadlines: tuple[DeadlineLine, ...]
    """Every occurrence of the year, in date order (undated ones last)."""
    former: tuple[Completion, ...]
    """Completions that no longer match an occurrence (the rule was edited since)."""
    review_tracked: bool
    """Continuous, on-demand or undetermined work: tracked by review."""
    stale: bool
    """Not reviewed within the review period before the year-end point."""
    period_ended: bool
    """Continuous work within a period of years that is over: renew or close."""
    reviewed_in_year: bool
    """A status change, note or completion falls within the plan year."""
    latest_note: Note | None
    """The latest note up to *today*."""

    @property
    def key(self) -> str:
        return self.obligation.key

    @property
    def carried_from(self) -> int | None:
        return self.obligation.carried_from

    @property
    def missed(self) -> tuple[DeadlineLine, ...]:
        return tuple(d for d in self.deadlines if d.outcome is Outcome.MISSED)

    @property
    def open_at_year_end(self) -> bool:
        """Still open at the year-end point: a deadline missed, or work in progress or blocked."""
        return still_open(self.obligation, bool(self.missed))


@dataclass(frozen=True)
class Tally:
    """Counts for a set of items: obligations, their deadlines by outcome, their reviews."""

    obligations: int = 0
    deadlines: int = 0
    done: int = 0
    missed: int = 0
    open: int = 0
    review_tracked: int = 0
    reviewed_in_year: int = 0
    stale: int = 0
    carried_in: int = 0
    open_at_year_end: int = 0

    @classmethod
    def of(cls, items: Iterable[ItemReport]) -> Tally:
        listed = list(items)
        deadlines = [d for item in listed for d in item.deadlines]
        tracked = [item for item in listed if item.review_tracked]
        return cls(
            obligations=len(listed),
            deadlines=len(deadlines),
            done=sum(1 for d in deadlines if d.outcome is Outcome.DONE),
            missed=sum(1 for d in deadlines if d.outcome is Outcome.MISSED),
            open=sum(1 for d in deadlines if d.outcome is Outcome.OPEN),
            review_tracked=len(tracked),
            reviewed_in_year=sum(1 for item in tracked if item.reviewed_in_year),
            stale=sum(1 for item in tracked if item.stale),
            carried_in=sum(1 for item in listed if item.carried_from is not None),
            open_at_year_end=sum(1 for item in listed if item.open_at_year_end),
        )


@dataclass(frozen=True)
class Block:
    """The items of a Section I group, or of one Section II programme, in plan order."""

    programme: Group | None
    """The programme (Section II); None for a Section I group or items outside any."""
    items: tuple[ItemReport, ...]


@dataclass(frozen=True)
class SectorReport:
    """A Section I group or a Section II sector, with its counts."""

    group: Group | None
    """None for obligations filed under a group the plan does not list."""
    blocks: tuple[Block, ...]
    tally: Tally

    @property
    def items(self) -> tuple[ItemReport, ...]:
        return tuple(item for block in self.blocks for item in block.items)


@dataclass(frozen=True)
class YearReport:
    plan: PlanInfo
    today: date
    """The day the report is made: work recorded up to it is included."""
    as_of: date
    """The year-end point: states (done, missed, open, stale) are taken on this day."""
    review_days: int
    sectors: tuple[SectorReport, ...]
    """Section I groups, then Section II sectors, in plan order; then any strays."""
    total: Tally

    @property
    def year_over(self) -> bool:
        return self.as_of > self.plan.period_end

    @property
    def items(self) -> tuple[ItemReport, ...]:
        return tuple(item for sector in self.sectors for item in sector.items)

    @property
    def carried_in(self) -> tuple[ItemReport, ...]:
        return tuple(item for item in self.items if item.carried_from is not None)

    @property
    def open_at_year_end(self) -> tuple[ItemReport, ...]:
        return tuple(item for item in self.items if item.open_at_year_end)


def year_report(
    obligations: Iterable[Obligation],
    plan: PlanInfo,
    meetings: Meetings,
    reference: PlanReference,
    outlook: Outlook,
) -> YearReport:
    """The plan year as of ``outlook.today`` (its review window applies at the year-end point)."""
    today = outlook.today
    as_of = year_end_point(plan, today)
    at_year_end = Outlook(as_of, outlook.due_soon_days, outlook.review_days)
    # Plan order: by position, ties in the tracker's own order (sorted() is stable).
    ordered = sorted(obligations, key=lambda o: o.order)
    items = [
        _item(assess(obligation, plan, meetings, at_year_end), plan, meetings, today)
        for obligation in ordered
    ]
    sectors = _sectors(items, reference)
    return YearReport(
        plan=plan,
        today=today,
        as_of=as_of,
        review_days=outlook.review_days,
        sectors=sectors,
        total=Tally.of(items),
    )


def _item(assessment: Assessment, plan: PlanInfo, meetings: Meetings, today: date) -> ItemReport:
    obligation = assessment.obligation
    deadlines = tuple(
        _deadline(due, obligation, plan, meetings, today) for due in assessment.occurrences
    )
    keys = {d.occurrence.key for d in deadlines}
    former = tuple(
        sorted(
            (c for c in obligation.completions if c.occurrence not in keys and c.done_on <= today),
            key=lambda c: (c.due or c.done_on, c.done_on),
        )
    )
    notes = [note for note in obligation.notes if note.at.date() <= today]
    # Compare date and wall time, so that notes with and without a time zone still sort.
    latest = max(notes, key=lambda n: (n.at.date(), n.at.time()), default=None)
    return ItemReport(
        obligation=obligation,
        schedule=describe_schedule(parsed_rules(obligation.rules), meetings, plan.year),
        deadlines=deadlines,
        former=former,
        review_tracked=assessment.review_tracked,
        stale=assessment.stale,
        period_ended=assessment.period_ended,
        reviewed_in_year=_reviewed_in_year(obligation, plan, today),
        latest_note=latest,
    )


def _deadline(
    due: DueOccurrence, obligation: Obligation, plan: PlanInfo, meetings: Meetings, today: date
) -> DeadlineLine:
    occurrence = due.occurrence
    recorded = obligation.completion_of(occurrence.key)
    if recorded is not None and recorded.done_on > today:
        recorded = None  # as of an earlier day, work done later is not done yet
    if due.state is OccurrenceState.DONE:
        outcome = Outcome.DONE
    elif due.state is OccurrenceState.OVERDUE:
        outcome = Outcome.MISSED
    else:
        outcome = Outcome.OPEN
    waiting = meetings.get(occurrence.waiting_on or "")
    return DeadlineLine(
        occurrence=occurrence,
        outcome=outcome,
        due=due.due,
        completion=recorded,
        marked_done=outcome is Outcome.DONE and due.completion is None,
        beyond_year=due.due is not None and due.due > plan.period_end,
        before_year=due.due is not None and due.due < plan.period_start,
        waiting_for=waiting.name if waiting else (occurrence.waiting_on or ""),
    )


def _reviewed_in_year(obligation: Obligation, plan: PlanInfo, today: date) -> bool:
    first, last = plan.period_start, min(plan.period_end, today)
    days = [note.at.date() for note in obligation.notes]
    days += [c.done_on for c in obligation.completions]
    if obligation.last_reviewed is not None:
        days.append(obligation.last_reviewed)
    return any(first <= day <= last for day in days)


def _sectors(items: Sequence[ItemReport], reference: PlanReference) -> tuple[SectorReport, ...]:
    by_group: dict[str, list[ItemReport]] = {}
    for item in items:
        by_group.setdefault(item.obligation.group, []).append(item)
    groups = reference.groups
    sectors: list[SectorReport] = []

    def sector(group: Group | None, blocks: list[Block]) -> SectorReport:
        return SectorReport(
            group, tuple(blocks), Tally.of(i for block in blocks for i in block.items)
        )

    for group in (g for g in groups if g.section is Section.MANDATES):
        sectors.append(sector(group, [Block(None, tuple(by_group.pop(group.key, ())))]))
    for top in (g for g in groups if g.section is Section.PROGRAMMES and g.parent is None):
        blocks = []
        if top.key in by_group:  # a project filed under the sector itself
            blocks.append(Block(None, tuple(by_group.pop(top.key))))
        for programme in (g for g in groups if g.parent == top.key):
            blocks.append(Block(programme, tuple(by_group.pop(programme.key, ()))))
        sectors.append(sector(top, blocks))
    # Whatever no listed group took (a group the plan does not list) still gets reported.
    strays = [item for found in by_group.values() for item in found]
    if strays:
        sectors.append(sector(None, [Block(None, tuple(strays))]))
    return tuple(sectors)
