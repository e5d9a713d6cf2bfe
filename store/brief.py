"""What a brief for a meeting says: urgent deadlines, the meeting's own obligations, recent work.

Pure data for a given *today*: no clock, no rendering (see tui/brief.py).
Everything after *today* is left out, so a brief "as of" a past day reads
as it would have on that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from store.describe import describe_rule, event_label
from store.model import Event, Note, Obligation, PlanInfo, PlanReference, Section, Status
from store.report import Counts, assess_all
from store.rules import EventRelative, Relation
from store.schedule import AFTER_EVENT_DAYS, Assessment, DueOccurrence, OccurrenceState, Outlook

RECENT_DAYS = 30
"""'Recently completed' looks back this many days from today."""
LATEST_NOTES = 10

# Most urgent first, for the obligations anchored to the meeting.
_URGENCY = (
    OccurrenceState.OVERDUE,
    OccurrenceState.DUE_SOON,
    OccurrenceState.UPCOMING,
    OccurrenceState.WAITING,
    OccurrenceState.LAPSED,
    OccurrenceState.DONE,
)


class BriefError(ValueError):
    """No meeting to brief for; the message says why and what to do."""


@dataclass(frozen=True)
class BriefLine:
    """One deadline in a brief: whose it is, when, and how urgent today."""

    obligation: Obligation
    due: DueOccurrence
    rule: str
    """The rule that produced the deadline, in words."""


@dataclass(frozen=True)
class CompletedLine:
    """Work marked done recently."""

    obligation: Obligation
    completed_on: date
    occurrence_due: date | None = None
    """Due date of the completed occurrence; None when the whole obligation
    was marked done (its status), dated by its last review."""


@dataclass(frozen=True)
class NoteLine:
    obligation: Obligation
    note: Note


@dataclass(frozen=True)
class SectorCounts:
    """Counts for Section I as a whole, or for one Section II sector."""

    key: str
    """``I`` or a sector key such as ``II-3``."""
    title: str
    counts: Counts


@dataclass(frozen=True)
class Brief:
    plan: PlanInfo
    outlook: Outlook
    event: Event
    overdue: tuple[BriefLine, ...]
    """Every overdue deadline, oldest first."""
    due_before: tuple[BriefLine, ...]
    """Not yet late, falling due from today until the meeting starts, soonest first."""
    anchored: tuple[BriefLine, ...]
    """Deadlines whose rule hangs on this meeting, most urgent first."""
    completed: tuple[CompletedLine, ...]
    notes: tuple[NoteLine, ...]
    sectors: tuple[SectorCounts, ...]

    @property
    def days_to_event(self) -> int | None:
        if self.event.start is None:
            return None
        return (self.event.start - self.outlook.today).days


def choose_event(events: Mapping[str, Event], today: date, key: str | None = None) -> Event:
    """The named event, or the next meeting: the first whose start is today or later."""
    known = ", ".join(sorted(events)) or "none"
    if key is not None:
        if key not in events:
            raise BriefError(f"unknown event {key!r} (known: {known})")
        return events[key]
    coming = [e for e in events.values() if e.start is not None and e.start >= today]
    if not coming:
        raise BriefError(
            f"no meeting with a date on or after {today.isoformat()}; "
            f"name one with --event (known: {known})"
        )
    return min(coming, key=lambda e: (e.start or date.max, e.key))


def meeting_brief(
    obligations: Iterable[Obligation],
    plan: PlanInfo,
    events: Mapping[str, Event],
    reference: PlanReference,
    outlook: Outlook,
    event_key: str | None = None,
) -> Brief:
    """The brief for ``event_key`` (or the next meeting) as of ``outlook.today``."""
    event = choose_event(events, outlook.today, event_key)
    assessments = assess_all(obligations, plan, events, outlook)
    lines = [
        BriefLine(a.obligation, due, describe_rule(due.occurrence.rule, events))
        for a in assessments
        for due in a.occurrences
    ]
    return Brief(
        plan=plan,
        outlook=outlook,
        event=event,
        overdue=_overdue(lines),
        due_before=_due_before(lines, event),
        anchored=_anchored(lines, event.key, events),
        completed=_recently_completed(assessments, outlook.today),
        notes=_latest_notes(assessments, outlook.today),
        sectors=_sector_counts(assessments, reference),
    )


def _by_due(line: BriefLine) -> date:
    return line.due.due or date.max


def _overdue(lines: Sequence[BriefLine]) -> tuple[BriefLine, ...]:
    late = [line for line in lines if line.due.state is OccurrenceState.OVERDUE]
    return tuple(sorted(late, key=_by_due))


def _due_before(lines: Sequence[BriefLine], event: Event) -> tuple[BriefLine, ...]:
    if event.start is None:
        return ()  # an undated meeting has no "before" yet
    coming = (OccurrenceState.DUE_SOON, OccurrenceState.UPCOMING)
    before = [
        line
        for line in lines
        if line.due.state in coming and line.due.due is not None and line.due.due < event.start
    ]
    return tuple(sorted(before, key=_by_due))


def _anchored(
    lines: Sequence[BriefLine], event_key: str, events: Mapping[str, Event]
) -> tuple[BriefLine, ...]:
    anchored = [
        BriefLine(line.obligation, line.due, relation_to_meeting(rule, event_key, events))
        for line in lines
        if isinstance(rule := line.due.occurrence.rule, EventRelative) and event_key in rule.events
    ]
    return tuple(sorted(anchored, key=lambda line: (_URGENCY.index(line.due.state), _by_due(line))))


def relation_to_meeting(rule: EventRelative, event_key: str, events: Mapping[str, Event]) -> str:
    """How a rule hangs on the briefed meeting, e.g. 'every year, during this meeting'."""
    prefix = "every year, " if rule.yearly else ""
    if rule.relation is Relation.BETWEEN:
        if rule.event == event_key:
            return f"{prefix}between this meeting and {event_label(rule.until_event or '', events)}"
        return f"{prefix}between {event_label(rule.event, events)} and this meeting"
    if rule.relation is Relation.AFTER:
        return f"{prefix}after this meeting; due {AFTER_EVENT_DAYS} days after it ends"
    return f"{prefix}{rule.relation.value} this meeting"


def _recently_completed(
    assessments: Iterable[Assessment], today: date
) -> tuple[CompletedLine, ...]:
    since = today - timedelta(days=RECENT_DAYS)
    found: list[CompletedLine] = []
    for assessment in assessments:
        obligation = assessment.obligation
        dues = {due.occurrence.key: due.due for due in assessment.occurrences}
        recent = [c for c in obligation.completions if since <= c.completed_on <= today]
        found += [CompletedLine(obligation, c.completed_on, dues.get(c.occurrence)) for c in recent]
        # An obligation marked done as a whole carries no completion date:
        # its last review (the status change) stands in for it.
        reviewed = obligation.last_reviewed
        if (
            not recent
            and obligation.status is Status.DONE
            and reviewed is not None
            and since <= reviewed <= today
        ):
            found.append(CompletedLine(obligation, reviewed))
    # Stable sort: ties keep the plan's order.
    return tuple(sorted(found, key=lambda line: line.completed_on, reverse=True))


def _latest_notes(assessments: Iterable[Assessment], today: date) -> tuple[NoteLine, ...]:
    notes = [
        NoteLine(a.obligation, note)
        for a in assessments
        for note in a.obligation.notes
        if note.at.date() <= today
    ]
    # Compare date and wall time, so that notes with and without a time zone still sort.
    notes.sort(key=lambda line: (line.note.at.date(), line.note.at.time()), reverse=True)
    return tuple(notes[:LATEST_NOTES])


def _sector_counts(
    assessments: Sequence[Assessment], reference: PlanReference
) -> tuple[SectorCounts, ...]:
    groups = {group.key: group for group in reference.groups}

    def sector_of(obligation: Obligation) -> str:
        if obligation.section is Section.MANDATES:
            return Section.MANDATES.value
        group = groups.get(obligation.group)
        return (group.parent or group.key) if group else obligation.group

    sectors = [Section.MANDATES.value] + [
        g.key for g in reference.groups if g.section is Section.PROGRAMMES and g.parent is None
    ]
    # Obligations filed under a group the plan does not list still get counted.
    sectors += sorted({sector_of(a.obligation) for a in assessments} - set(sectors))
    return tuple(
        SectorCounts(
            key,
            groups[key].title if key in groups else "",
            Counts.of(a for a in assessments if sector_of(a.obligation) == key),
        )
        for key in sectors
    )
