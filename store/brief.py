"""What a brief for a meeting says: what is late, what falls due before, during and after
it, what waits for a session date, what was done since the last session, the notes.

Pure data for a given *today*: no clock, no rendering (see store/formats/brief.py).
Everything after *today* is left out, so a brief "as of" a past day reads
as it would have on that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time

from store.describe import describe_rule, event_label, session_dates, session_name
from store.model import (
    Meetings,
    MeetingSeries,
    Note,
    Obligation,
    PlanInfo,
    PlanReference,
    Section,
    Session,
    Status,
)
from store.report import (
    Counts,
    UrgentRow,
    assess_all,
    hangs_on,
    last_session,
    next_session,
    urgent_rows,
)
from store.rules import EventRelative, Relation
from store.schedule import (
    AFTER_EVENT_DAYS,
    Assessment,
    DueOccurrence,
    OccurrenceState,
    Outlook,
    ResolvedSession,
    resolve_session,
)

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
    """The rule that produced the deadline, in words; for one tied to the briefed
    meeting, how it hangs on it ('every year, during this meeting')."""
    tied: bool = False
    """The rule hangs on the briefed session (see ``store.report.hangs_on``)."""


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
    """An item's latest note."""

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
    """The session briefed for; None when the series has none that year."""
    year: int
    """The year of the session: its deadlines are the ones tied to the meeting."""
    dates: ResolvedSession | None
    """The session's dates: its own, or those of the meeting it sits alongside (assumed)."""
    overdue: tuple[UrgentRow, ...]
    """Every overdue obligation (its overdue deadlines), oldest first: as ``status`` counts."""
    due_before: tuple[BriefLine, ...]
    """Falling due before the meeting opens, lead times included: open ones from
    today, and the meeting's own whatever their state; soonest first, done last."""
    due_during: tuple[BriefLine, ...]
    """Falling due from its first to its last day: open ones, and all its own."""
    due_after: tuple[BriefLine, ...]
    """The meeting's own deadlines after it ends (after it, between it and another)."""
    waiting: tuple[BriefLine, ...]
    """Deadlines waiting for a session date, the meeting's own first."""
    anchored: tuple[BriefLine, ...]
    """Deadlines whose rule hangs on this meeting, most urgent first."""
    previous: ResolvedSession | None
    """The series' session before this one, when one is recorded."""
    completed_since: date
    """Completions from this day (the previous session's first day, else the plan's start)."""
    completed: tuple[CompletedLine, ...]
    notes: tuple[NoteLine, ...]
    """The latest note of each item that has one, most recent first."""
    sectors: tuple[SectorCounts, ...]

    @property
    def days_to_event(self) -> int | None:
        """Days to the session's own first day (negative once it has opened)."""
        if self.session is None or self.session.start is None:
            return None
        return (self.session.start - self.outlook.today).days

    @property
    def days_since_end(self) -> int | None:
        """Days since the meeting ended; None when it has not (or has no date)."""
        if self.dates is None or self.dates.last_day >= self.outlook.today:
            return None
        return (self.outlook.today - self.dates.last_day).days


def choose_meeting(
    meetings: Meetings, today: date, key: str | None = None
) -> tuple[MeetingSeries, Session | None]:
    """The session to brief for.

    ``SERIES/YEAR`` names a session; ``SERIES`` its coming (else latest) one;
    no key, the next meeting, the first not over by today (as ``status`` says).
    """
    known = ", ".join(sorted(meetings)) or "none"
    if key is not None:
        series_key, _, year_text = key.partition("/")
        if series_key not in meetings:
            raise BriefError(f"unknown meeting {series_key!r} (known: {known})")
        series = meetings[series_key]
        if year_text:
            if not (year_text.isdigit() and len(year_text) == 4):
                raise BriefError(f"{key!r}: name a session as SERIES/YEAR, e.g. {series_key}/2008")
            year = int(year_text)
            return series, series.session(year) or Session(year)
        dated = [s for s in series.sessions if s.start is not None]
        coming = [s for s in dated if (s.last_day or today) >= today]
        chosen = coming[0] if coming else (dated[-1] if dated else series.session(today.year))
        return series, chosen
    found = next_session(meetings, today)
    if found is None:
        last = last_session(meetings, today)
        hint = ""
        if last is not None:
            series, session = last
            hint = (
                f"; the last one was the {session_name(series, session)}, "
                f"{session_dates(session)} (--event {series.key}/{session.year})"
            )
        raise BriefError(
            f"no meeting with a date on or after {today.isoformat()}; "
            f"name one with --event (known: {known}){hint}"
        )
    return found


def _session_year(
    series: MeetingSeries, session: Session | None, meetings: Meetings, today: date
) -> int:
    """The briefed year: the session's, else that of the meeting the series sits alongside."""
    if session is not None:
        return session.year
    host = meetings.get(series.alongside) if series.alongside else None
    if host is not None:
        _, hosted = choose_meeting(meetings, today, host.key)
        if hosted is not None:
            return hosted.year
    return today.year


def _previous_session(
    series: MeetingSeries, year: int, meetings: Meetings
) -> ResolvedSession | None:
    """The latest dated session of the series (own or assumed) in a year before ``year``."""
    host = meetings.get(series.alongside) if series.alongside else None
    years = {s.year for s in series.sessions} | {s.year for s in (host.sessions if host else ())}
    for earlier in sorted((y for y in years if y < year), reverse=True):
        if (resolved := resolve_session(meetings, series.key, earlier)) is not None:
            return resolved
    return None


def meeting_brief(
    obligations: Iterable[Obligation],
    plan: PlanInfo,
    meetings: Meetings,
    reference: PlanReference,
    outlook: Outlook,
    event_key: str | None = None,
    earlier: Iterable[Obligation] = (),
) -> Brief:
    """The brief for ``event_key`` (or the next meeting) as of ``outlook.today``.

    ``earlier``: the items of earlier plan years, whose completions since the
    last session count too (the 2008 session's follow-up, done in 2008, for a
    2009 brief).
    """
    today = outlook.today
    series, session = choose_meeting(meetings, today, event_key)
    year = _session_year(series, session, meetings, today)
    dates = resolve_session(meetings, series.key, year)
    assessments = assess_all(obligations, plan, meetings, outlook)
    lines = [
        _line(a.obligation, due, series.key, year, meetings)
        for a in assessments
        for due in a.occurrences
    ]
    overdue = [
        row for row in urgent_rows(assessments, meetings) if row.state is OccurrenceState.OVERDUE
    ]
    before, during, after = _timeline(lines, dates)
    previous = _previous_session(series, year, meetings)
    since = previous.first_day if previous is not None else plan.period_start
    return Brief(
        plan=plan,
        outlook=outlook,
        series=series,
        session=session,
        year=year,
        dates=dates,
        overdue=tuple(overdue),
        due_before=before,
        due_during=during,
        due_after=after,
        waiting=_waiting(lines),
        anchored=_anchored(lines),
        previous=previous,
        completed_since=since,
        completed=_completed_since([*earlier, *(a.obligation for a in assessments)], since, today),
        notes=_latest_notes(assessments, today, earlier),
        sectors=_sector_counts(assessments, reference),
    )


def _line(
    obligation: Obligation, due: DueOccurrence, series_key: str, year: int, meetings: Meetings
) -> BriefLine:
    occurrence = due.occurrence
    rule = occurrence.rule
    if isinstance(rule, EventRelative) and hangs_on(occurrence, series_key, year, meetings):
        return BriefLine(
            obligation, due, relation_to_meeting(rule, series_key, meetings, year), True
        )
    return BriefLine(obligation, due, describe_rule(rule, meetings, occurrence.year))


def _by_due(line: BriefLine) -> date:
    return line.due.due or date.max


_COMING = (OccurrenceState.DUE_SOON, OccurrenceState.UPCOMING)
_SETTLED_OR_LATE = (OccurrenceState.DONE, OccurrenceState.OVERDUE)


def _timeline(
    lines: Sequence[BriefLine], dates: ResolvedSession | None
) -> tuple[tuple[BriefLine, ...], tuple[BriefLine, ...], tuple[BriefLine, ...]]:
    """Deadlines before, during and after the meeting.

    The meeting's own deadlines all appear, done or late too, so that a
    brief for a past meeting still shows what it required and where each
    stands. Other items appear while open and not late (the late ones are
    under "overdue"), and not after the meeting: the rest of the year is
    not the meeting's business.
    """
    if dates is None:
        return (), (), ()  # an undated meeting has no before, during or after yet
    before: list[BriefLine] = []
    during: list[BriefLine] = []
    after: list[BriefLine] = []
    for line in lines:
        due, state = line.due.due, line.due.state
        shown = state in _COMING or (line.tied and state in _SETTLED_OR_LATE)
        if due is None or not shown:
            continue
        if due < dates.first_day:
            before.append(line)
        elif due <= dates.last_day:
            during.append(line)
        elif line.tied:
            after.append(line)

    def ordered(found: list[BriefLine]) -> tuple[BriefLine, ...]:
        return tuple(
            sorted(found, key=lambda line: (line.due.state is OccurrenceState.DONE, _by_due(line)))
        )

    return ordered(before), ordered(during), ordered(after)


def _waiting(lines: Sequence[BriefLine]) -> tuple[BriefLine, ...]:
    waiting = [line for line in lines if line.due.state is OccurrenceState.WAITING]
    return tuple(sorted(waiting, key=lambda line: not line.tied))


def _anchored(lines: Sequence[BriefLine]) -> tuple[BriefLine, ...]:
    """Deadlines of this session: rules naming the series, or a series sitting alongside it."""
    anchored = [line for line in lines if line.tied]
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


def _completed_since(
    obligations: Iterable[Obligation], since: date, today: date
) -> tuple[CompletedLine, ...]:
    found: list[CompletedLine] = []
    for obligation in obligations:
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
    # Stable sort: ties keep the plans' order.
    return tuple(sorted(found, key=lambda line: line.done_on, reverse=True))


def _latest_notes(
    assessments: Iterable[Assessment], today: date, earlier: Iterable[Obligation] = ()
) -> tuple[NoteLine, ...]:
    """Each item's latest note written by today, the most recent first; a carried-over
    item's notes include those of its record in the year it was carried from."""
    earlier_notes = {(o.plan_year, o.key): o.notes for o in earlier}

    def moment(note: Note) -> tuple[date, time]:
        # Date and wall time, so that notes with and without a time zone still compare.
        return note.at.date(), note.at.time()

    latest = []
    for assessment in assessments:
        obligation = assessment.obligation
        carried = earlier_notes.get((obligation.carried_from or 0, obligation.key), ())
        notes = (*obligation.notes, *carried)
        written = [note for note in notes if note.at.date() <= today]
        if written:
            latest.append(NoteLine(assessment.obligation, max(written, key=moment)))
    # Stable sort: ties keep the plan's order.
    return tuple(sorted(latest, key=lambda line: moment(line.note), reverse=True))


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
