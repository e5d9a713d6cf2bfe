"""What a brief for a meeting says: urgent deadlines, the meeting's own obligations, recent work.

Pure data for a given *today*: no clock, no rendering (see tui/brief.py).
Everything after *today* is left out, so a brief "as of" a past day reads
as it would have on that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from store.describe import describe_rule, event_label
from store.model import (
    MeetingSeries,
    Note,
    Obligation,
    PlanInfo,
    PlanReference,
    Section,
    Session,
    Status,
)
from store.report import Counts, UrgentRow, assess_all, urgent_rows
from store.rules import EventRelative, Relation
from store.schedule import (
    AFTER_EVENT_DAYS,
    Assessment,
    DueOccurrence,
    Meetings,
    OccurrenceState,
    Outlook,
)

RECENT_DAYS = 30
"""'Recently completed' looks back this many days from today."""
LATEST_NOTES = 10

# Most urgent first, for the obligations anchored to the meeting.
_URGENCY = (
    OccurrenceState.OVERDUE,
    OccurrenceState.DUE_SOON,
    OccurrenceState.UPCOMING,
    OccurrenceState.WAITING,
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
    done_on: date
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
    series: MeetingSeries
    session: Session | None
    """The session briefed for; None when the series has none yet."""
    overdue: tuple[UrgentRow, ...]
    """Every overdue obligation (its overdue deadlines), oldest first: as ``status`` counts."""
    due_before: tuple[BriefLine, ...]
    """Not yet late, falling due from today until the meeting starts, soonest first."""
    anchored: tuple[BriefLine, ...]
    """Deadlines whose rule hangs on this meeting, most urgent first."""
    completed: tuple[CompletedLine, ...]
    notes: tuple[NoteLine, ...]
    sectors: tuple[SectorCounts, ...]

    @property
    def days_to_event(self) -> int | None:
        if self.session is None or self.session.start is None:
            return None
        return (self.session.start - self.outlook.today).days


def choose_meeting(
    meetings: Meetings, today: date, key: str | None = None
) -> tuple[MeetingSeries, Session | None]:
    """The named series' coming (else latest) session, or the next session of any series."""
    known = ", ".join(sorted(meetings)) or "none"
    if key is not None:
        if key not in meetings:
            raise BriefError(f"unknown meeting {key!r} (known: {known})")
        series = meetings[key]
        dated = [s for s in series.sessions if s.start is not None]
        coming = [s for s in dated if (s.last_day or today) >= today]
        chosen = coming[0] if coming else (dated[-1] if dated else series.session(today.year))
        return series, chosen
    upcoming = [
        (session.start, series.key, series, session)
        for series in meetings.values()
        for session in series.sessions
        if session.start is not None and session.start >= today
    ]
    if not upcoming:
        raise BriefError(
            f"no meeting with a date on or after {today.isoformat()}; "
            f"name one with --event (known: {known})"
        )
    _, _, series, session = min(upcoming, key=lambda item: (item[0], item[1]))
    return series, session


def meeting_brief(
    obligations: Iterable[Obligation],
    plan: PlanInfo,
    meetings: Meetings,
    reference: PlanReference,
    outlook: Outlook,
    event_key: str | None = None,
) -> Brief:
    """The brief for ``event_key`` (or the next meeting) as of ``outlook.today``."""
    series, session = choose_meeting(meetings, outlook.today, event_key)
    assessments = assess_all(obligations, plan, meetings, outlook)
    lines = [
        BriefLine(
            a.obligation, due, describe_rule(due.occurrence.rule, meetings, due.occurrence.year)
        )
        for a in assessments
        for due in a.occurrences
    ]
    overdue = [row for row in urgent_rows(assessments, meetings) if row.state.value == "overdue"]
    return Brief(
        plan=plan,
        outlook=outlook,
        series=series,
        session=session,
        overdue=tuple(overdue),
        due_before=_due_before(lines, session),
        anchored=_anchored(lines, series, session, meetings),
        completed=_recently_completed(assessments, outlook.today),
        notes=_latest_notes(assessments, outlook.today),
        sectors=_sector_counts(assessments, reference),
    )


def _by_due(line: BriefLine) -> date:
    return line.due.due or date.max


def _due_before(lines: Sequence[BriefLine], session: Session | None) -> tuple[BriefLine, ...]:
    if session is None or session.start is None:
        return ()  # an undated meeting has no "before" yet
    start = session.start
    coming = (OccurrenceState.DUE_SOON, OccurrenceState.UPCOMING)
    before = [
        line
        for line in lines
        if line.due.state in coming and line.due.due is not None and line.due.due < start
    ]
    return tuple(sorted(before, key=_by_due))


def _anchored(
    lines: Sequence[BriefLine],
    series: MeetingSeries,
    session: Session | None,
    meetings: Meetings,
) -> tuple[BriefLine, ...]:
    """Deadlines of this session: rules naming the series, or a series sitting alongside it."""
    year = session.year if session else None
    guests = {m.key for m in meetings.values() if m.alongside == series.key}
    anchored = [
        BriefLine(line.obligation, line.due, relation_to_meeting(rule, series.key, meetings, year))
        for line in lines
        if isinstance(rule := line.due.occurrence.rule, EventRelative)
        and (series.key in rule.events or (rule.anchor in guests and line.due.occurrence.assumed))
        and (year is None or line.due.occurrence.year == year)
    ]
    return tuple(sorted(anchored, key=lambda line: (_URGENCY.index(line.due.state), _by_due(line))))


def relation_to_meeting(
    rule: EventRelative, event_key: str, meetings: Meetings, year: int | None = None
) -> str:
    """How a rule hangs on the briefed meeting, e.g. 'every year, during this meeting'."""
    prefix = "every year, " if rule.yearly else ""
    if event_key not in rule.events:
        guest = meetings.get(rule.anchor)
        name = guest.name if guest else rule.anchor
        return f"{prefix}{rule.relation.value} the {name}, held alongside this meeting"
    if rule.relation is Relation.BETWEEN:
        if rule.event == event_key:
            until = event_label(rule.until_event or "", meetings, year)
            return f"{prefix}between this meeting and {until}"
        return f"{prefix}between {event_label(rule.event, meetings, year)} and this meeting"
    if rule.relation is Relation.AFTER:
        days = rule.lead_days or AFTER_EVENT_DAYS
        return f"{prefix}after this meeting; due {days} days after it ends"
    if rule.lead:
        return f"{prefix}{rule.lead} before this meeting"
    return f"{prefix}{rule.relation.value} this meeting"


def _recently_completed(
    assessments: Iterable[Assessment], today: date
) -> tuple[CompletedLine, ...]:
    since = today - timedelta(days=RECENT_DAYS)
    found: list[CompletedLine] = []
    for assessment in assessments:
        obligation = assessment.obligation
        recent = [c for c in obligation.completions if since <= c.done_on <= today]
        found += [CompletedLine(obligation, c.done_on, c.due) for c in recent]
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
    return tuple(sorted(found, key=lambda line: line.done_on, reverse=True))


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
