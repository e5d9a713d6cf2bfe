"""A new plan year, started from the last: every item copied, open ones carried over.

The work plan is a yearly document. Starting next year's plan copies each
mandate and project (text, sources, activity, schedule text, rules,
partners, owner) with no completions or notes of its own; an item still
open at the end of the earlier year (overdue, in progress or blocked) is
marked carried over, and its record in that year keeps its history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from store.editing import Editor
from store.model import (
    Change,
    ChangeAction,
    ChangeTarget,
    Completion,
    Obligation,
    PlanInfo,
    Session,
    Status,
)
from store.report import Counts, assess_all
from store.repository import Tracker
from store.rules import FIRST_YEAR, LAST_YEAR, EventRelative
from store.schedule import Outlook, assess, parsed_rules, resolve_session, still_open
from store.snapshot import TrackerRecords
from store.text import clean_text
from store.validation import plan_problems

KEPT_STATUSES = (Status.IN_PROGRESS, Status.BLOCKED, Status.ONGOING)
"""Statuses a copied item keeps; the others start the year as not started."""


class PlanError(ValueError):
    """A plan year that cannot be started; the message says why (nothing was saved)."""


@dataclass(frozen=True)
class NewPlan:
    """What starting a plan did."""

    plan: PlanInfo
    carried: tuple[str, ...]
    """Numbers of the items carried over."""
    waiting: tuple[str, ...]
    """Series that rules name but that have no dated session in the new year."""
    items: int
    """How many items the plan holds."""


def default_title(tracker: TrackerRecords, year: int, from_year: int) -> str:
    """``Work plan 2009 (from CICTE/RP/doc.2/07)``: named after the published plan the
    chain of years started from, so that no text is invented and titles never nest."""
    origin = tracker.plans[from_year]
    while origin.derived_from is not None and origin.derived_from in tracker.plans:
        origin = tracker.plans[origin.derived_from]
    return f"Work plan {year} (from {origin.symbol})"


def start_plan(
    tracker: Tracker,
    year: int,
    from_year: int,
    sessions: Sequence[tuple[str, Session]] = (),
    *,
    symbol: str = "",
    title: str = "",
    clock: Callable[[], datetime] = datetime.now,
) -> NewPlan:
    """Add the plan of ``year`` started from ``from_year``, with ``sessions`` for that year
    ((series key, session)), in one write. The active plan becomes the new one."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PlanError(f"{year} is not between {FIRST_YEAR} and {LAST_YEAR}")
    if year in tracker.plans:
        raise PlanError(f"the tracker already holds a {year} plan")
    if from_year not in tracker.plans:
        held = ", ".join(str(y) for y in tracker.plans)
        raise PlanError(f"the tracker holds no {from_year} plan to start from (it holds {held})")
    if year <= from_year:
        raise PlanError(f"the {year} plan must come after the {from_year} plan it starts from")
    source = tracker.plans[from_year]
    plan = replace(
        source,
        symbol=clean_text(symbol) or default_title(tracker, year, from_year),
        title=clean_text(title) or default_title(tracker, year, from_year),
        year=year,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        issued=None,
        meeting="",
        meeting_date=None,
        derived_from=from_year,
    )
    if problems := plan_problems(plan):
        raise PlanError("; ".join(problems))
    copies = _copies(tracker, from_year, year)
    editor = Editor(tracker)
    for key, session in sessions:
        if key not in tracker.meetings:
            raise PlanError(f"no meeting {key!r} (known: {', '.join(sorted(tracker.meetings))})")
        if session.year != year:
            raise PlanError(f"{key}: a session of the {year} plan is held in {year}")
    with editor.grouped():
        for key, session in sessions:
            editor.save_session(key, session)
        tracker.add_plan(plan, tracker.reference_of(from_year), copies)
        carried = tuple(o.number for o in copies if o.carried_from is not None)
        tracker.log_change(
            Change(
                at=clock().replace(microsecond=0),
                target=ChangeTarget.PLAN,
                key=str(year),
                action=ChangeAction.ADD,
                summary=f"plan {year} started from {from_year}: {len(copies)} items, "
                f"{len(carried)} carried over",
            )
        )
    tracker.select(year)
    return NewPlan(plan, carried, _waiting_series(tracker, year), items=len(copies))


def _copies(tracker: TrackerRecords, from_year: int, year: int) -> list[Obligation]:
    source = tracker.plans[from_year]
    year_end = Outlook(source.period_end + timedelta(days=1))
    copies = []
    for obligation in tracker.obligations_of(from_year).values():
        assessment = assess(obligation, source, tracker.meetings, year_end)
        carried = still_open(obligation, bool(assessment.overdue))
        copies.append(
            replace(
                obligation,
                plan_year=year,
                status=obligation.status
                if obligation.status in KEPT_STATUSES
                else Status.NOT_STARTED,
                notes=(),
                # A carried item brings its earlier deadlines along: those already done
                # come with their completion (one deadline, done once), the others open.
                completions=tuple(
                    c for c in obligation.completions if carried and _before(c, year)
                ),
                last_reviewed=None,
                carried_from=from_year if carried else None,
            )
        )
    return copies


def _before(completion: Completion, year: int) -> bool:
    return completion.due is not None and completion.due.year < year


def series_named_by_rules(obligations: Iterable[Obligation]) -> list[str]:
    """Keys of the meeting series the rules hang on, sorted."""
    named = {
        key
        for obligation in obligations
        for rule in parsed_rules(obligation.rules)
        if isinstance(rule, EventRelative)
        for key in rule.events
    }
    return sorted(named)


def plan_summary(tracker: TrackerRecords, year: int, outlook: Outlook) -> str:
    """``58 items, 11 overdue, 10 carried over``: a plan year in a few words."""
    obligations = tracker.obligations_of(year).values()
    counts = Counts.of(assess_all(obligations, tracker.plans[year], tracker.meetings, outlook))
    carried = sum(1 for o in obligations if o.carried_from is not None)
    return f"{counts.total} items, {counts.overdue} overdue" + (
        f", {carried} carried over" if carried else ""
    )


def _waiting_series(tracker: TrackerRecords, year: int) -> tuple[str, ...]:
    """Series the plan's rules name with no dated session that year (of their own or alongside)."""
    named = series_named_by_rules(tracker.obligations_of(year).values())
    undated = (key for key in named if resolve_session(tracker.meetings, key, year) is None)
    return tuple(undated)
