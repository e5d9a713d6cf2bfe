"""iCalendar (RFC 5545): every dated deadline and meeting session, for any calendar program.

UIDs name what an event is, never its date, and SEQUENCE counts the logged
changes, so that a calendar importing a later export moves its entries.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from dateutil.rrule import rrulestr
from icalendar import Calendar, vRecur, vText
from icalendar import Event as CalendarEvent

from store.describe import describe_rule, session_dates, session_name
from store.fields import names_where
from store.model import (
    Change,
    ChangeTarget,
    Evidence,
    Meetings,
    MeetingSeries,
    Obligation,
    PlanInfo,
    Session,
    first_sentence,
    session_id,
    shorten,
)
from store.report import assess_all
from store.rules import EventRelative, Recurring
from store.schedule import (
    Assessment,
    DueOccurrence,
    Occurrence,
    OccurrenceState,
    Outlook,
    recurrence_dates,
)
from store.snapshot import TrackerRecords
from store.text import safe_text

UID_DOMAIN = "cicte-tui"
DONE_MARK = "[done] "
"""Put before the SUMMARY of a completed deadline: every calendar program shows it."""
TITLE_WIDTH = 80
"""Characters of an item's first sentence kept in a SUMMARY, cut at a word boundary."""

SCHEDULE_FIELDS = names_where(Obligation, lambda spec: spec.in_calendar)
"""Fields of an obligation that its calendar events show (declared ``in_calendar``): a
logged change to one of them raises the events' SEQUENCE (a note or an owner does not)."""


@dataclass(frozen=True)
class Revision:
    """How often an event has changed, from the tracker's change log.

    Calendars keep, of two copies of one UID, the one with the higher SEQUENCE:
    counting logged changes makes every export after an edit win over the one
    before it, and the same tracker always gives the same numbers.
    """

    sequence: int = 0
    modified: datetime | None = None
    """When the latest of those changes was made (UTC); None when none was logged."""

    @classmethod
    def of(cls, changes: Iterable[Change]) -> Revision:
        moments = [change.at for change in changes]
        if not moments:
            return cls()
        # The log keeps local wall-clock time; LAST-MODIFIED must be UTC (RFC 5545 3.8.7.3).
        return cls(len(moments), max(moments).astimezone(UTC))

    def __add__(self, other: Revision) -> Revision:
        moments = [m for m in (self.modified, other.modified) if m is not None]
        return Revision(self.sequence + other.sequence, max(moments, default=None))


def obligation_revision(tracker: TrackerRecords, obligation: Obligation) -> Revision:
    """The logged changes to what ``obligation``'s events show (in its plan year)."""
    return Revision.of(
        change
        for change in tracker.changes(obligation.key)
        if change.target == ChangeTarget.OBLIGATION and _touches(change, SCHEDULE_FIELDS)
    )


def session_revision(tracker: TrackerRecords, series_key: str, year: int) -> Revision:
    """The logged changes to a series that can move or rename its session of ``year``."""
    return Revision.of(
        change
        for change in tracker.changes(series_key)
        if change.target == ChangeTarget.SERIES and _touches_session(change, year)
    )


def _touches(change: Change, fields: frozenset[str]) -> bool:
    if change.before is None or change.after is None:  # added or deleted whole
        return True
    return bool(fields & (set(change.before) | set(change.after)))


def _touches_session(change: Change, year: int) -> bool:
    if change.before is None or change.after is None:
        return True
    changed = set(change.before) | set(change.after)
    if changed - {"sessions"}:  # its name, note or the meeting it sits alongside
        return True
    # A session edit keeps only the sessions removed and added (store.changes).
    sessions = [*change.before.get("sessions", ()), *change.after.get("sessions", ())]
    return any(isinstance(s, dict) and s.get("year") == year for s in sessions)


def calendar_of(tracker: TrackerRecords, stamp: datetime | None = None) -> Calendar:
    """All dated deadlines and meeting sessions as an RFC 5545 calendar.

    Deadlines are all-day events on their due date (a completed one on the
    due date it was done against). A recurring rule is one event with an
    RRULE bounded by the plan period, with an EXDATE for each completed
    occurrence, which is an event of its own marked ``[done]``: one entry a
    day in every program, RECURRENCE-ID or not. Undated deadlines (waiting
    for a session's date) are left out; each dated session is one event.

    UIDs name what an event is, never its date or rule (see :func:`deadline_uid`),
    so a calendar that imports a later export moves the entry; SEQUENCE and
    LAST-MODIFIED come from the change log. ``stamp`` (DTSTAMP) defaults to now.
    """
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    plan, meetings = tracker.plan, tracker.meetings
    calendar = Calendar()
    calendar.add("prodid", "-//cicte-tui//CICTE work plan tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", plan.label)
    titles = deadline_titles(tracker)
    # A calendar shows every completion recorded, whatever day it is reviewed as of.
    outlook = Outlook(date.max)
    for assessment in assess_all(tracker, plan, meetings, outlook):
        obligation = assessment.obligation
        context = _DeadlineContext(
            plan,
            meetings,
            stamp,
            titles[obligation.key],
            obligation_revision(tracker, obligation),
            lambda occurrence: _session_revision_of(tracker, occurrence),
        )
        for component in _deadline_events(assessment, context):
            calendar.add_component(component)
    dated = [
        (session.start, series.key, series, session)
        for series in meetings.values()
        for session in series.sessions
        if session.start is not None
    ]
    for _, _, series, session in sorted(dated, key=lambda item: (item[0], item[1])):
        revision = session_revision(tracker, series.key, session.year)
        calendar.add_component(_meeting_event(series, session, stamp, revision))
    return _printable(calendar)


def _session_revision_of(tracker: TrackerRecords, occurrence: Occurrence) -> Revision:
    """Changes that can move a deadline hanging on a session: to its series, and to the
    series it takes its dates from when it has none of its own."""
    rule, year = occurrence.rule, occurrence.year
    if not isinstance(rule, EventRelative) or year is None:
        return Revision()
    revision = session_revision(tracker, rule.anchor, year)
    series = tracker.meetings.get(rule.anchor)
    if series is not None and series.alongside:
        revision += session_revision(tracker, series.alongside, year)
    return revision


def deadline_titles(tracker: TrackerRecords) -> dict[str, str]:
    """Each item's SUMMARY: ``1.ii · Préparer un projet annuel de Plan de travail…``.

    The id, then the first sentence of its text cut at a word boundary. Two
    items never read the same: when the cut makes them alike, they get their
    whole sentence, and when even that is alike, their key.
    """
    obligations = list(tracker)

    def title(obligation: Obligation, width: int | None) -> str:
        sentence = first_sentence(obligation.headline)
        if sentence.endswith(".") and not sentence.endswith(".."):
            sentence = sentence[:-1]  # a title, not a sentence
        if width is not None:
            sentence = shorten(sentence, width)
        return f"{obligation.number} · {sentence}" if sentence else obligation.number

    titles = {o.key: title(o, TITLE_WIDTH) for o in obligations}
    for alike in _alike(titles):
        for obligation in obligations:
            if obligation.key in alike:
                titles[obligation.key] = title(obligation, None)
    for alike in _alike(titles):
        for key in alike:
            titles[key] = f"{titles[key]} ({key})"
    return titles


def _alike(titles: Mapping[str, str]) -> list[set[str]]:
    """Keys whose titles are the same (compared as a calendar shows them: spaces folded)."""
    by_title: dict[str, set[str]] = {}
    for key, title in titles.items():
        by_title.setdefault(" ".join(safe_text(title).split()).casefold(), set()).add(key)
    return [keys for keys in by_title.values() if len(keys) > 1]


def _printable(calendar: Calendar) -> Calendar:
    """Every text property through :func:`safe_text`, before icalendar escapes and folds
    it: a fold could cut an escape sequence in two and leave its payload readable."""
    for component in calendar.walk():
        for name, value in list(component.items()):
            if not isinstance(value, str):
                continue
            printable = safe_text(value)
            if not isinstance(value, vText):  # a UID or X- name: no escaping for line breaks
                printable = " ".join(printable.split())
            if printable != value:
                component[name] = type(value)(printable)
    return calendar


def ics_bytes(tracker: TrackerRecords, stamp: datetime | None = None) -> bytes:
    """The calendar as a file: CRLF line ends, and nothing else a terminal could act on."""
    content = calendar_of(tracker, stamp).to_ical().decode("utf-8")
    # A lone CR would end a content line (and could start a property): a space instead.
    lines = content.replace("\r\n", "\n").replace("\r", " ")
    return safe_text(lines).replace("\n", "\r\n").encode("utf-8")


EVENT_PART = "event"


def deadline_uid(plan: PlanInfo, obligation: Obligation, part: str) -> str:
    """``2008.I-1.ii.event@cicte-tui``: what the event is, never when it falls.

    ``part`` names the event within the obligation (see :func:`deadline_parts`).
    The plan year keeps next year's plan from overwriting this one in a calendar.
    """
    key = "-".join(obligation.key.split())  # a key hand-edited with a line break stays one line
    return f"{plan.year}.{key}.{_slug(part)}@{UID_DOMAIN}"


def deadline_parts(dated: Iterable[DueOccurrence], plan: PlanInfo) -> dict[str, str]:
    """The UID part of each dated occurrence of one obligation, by occurrence key.

    An item's events are numbered in one sequence, whatever their kind: its
    first recurring rule or deadline is ``event``, the next ``event-2``…; an
    occurrence of a recurring rule adds its place in it (``event.3``, the
    third date). So changing a rule (yearly to a fixed date, a session to a
    date) or moving a session moves the event; it never makes another.
    """
    parts: dict[str, str] = {}
    streams: dict[object, str] = {}
    dates_seen: Counter[str] = Counter()
    for due in dated:
        occurrence = due.occurrence
        if occurrence.key in parts:
            continue
        rule = occurrence.rule
        stream = rule if isinstance(rule, Recurring) else occurrence.key
        base = streams.setdefault(stream, _numbered(EVENT_PART, len(streams) + 1))
        if isinstance(rule, Recurring):
            dates = recurrence_dates(rule, plan)
            dates_seen[base] += 1
            place = dates.index(occurrence.due) + 1 if occurrence.due in dates else dates_seen[base]
            parts[occurrence.key] = f"{base}.{place}"
        else:
            parts[occurrence.key] = base
    return parts


def series_part(dues: list[DueOccurrence], parts: Mapping[str, str]) -> str:
    """``event``: the UID part of the recurring rule that ``dues`` come from."""
    return parts[dues[0].occurrence.key].rpartition(".")[0]


def _numbered(name: str, position: int) -> str:
    return name if position == 1 else f"{name}-{position}"


def meeting_uid(series: MeetingSeries, session: Session) -> str:
    """``2008.event.cicte-session@cicte-tui``: one per session, whichever plan exports it.

    It names the session, not its dates: moving the session moves the event.
    """
    return f"{session.year}.event.{series.key}@{UID_DOMAIN}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-").lower()


@dataclass(frozen=True)
class _DeadlineContext:
    """What every event of one obligation is written with."""

    plan: PlanInfo
    meetings: Meetings
    stamp: datetime
    title: str
    revision: Revision
    session_revision: Callable[[Occurrence], Revision]

    def uid(self, obligation: Obligation, part: str) -> str:
        return deadline_uid(self.plan, obligation, part)


def _deadline_events(assessment: Assessment, context: _DeadlineContext) -> list[CalendarEvent]:
    obligation = assessment.obligation
    # Undated occurrences wait for a session's date: nothing to put in a calendar yet.
    # Two rules that fall on the same day make one occurrence (one key, one
    # completion): one calendar entry, the first rule's.
    owned: dict[str, DueOccurrence] = {}
    for due in assessment.occurrences:
        if due.due is not None:
            owned.setdefault(due.occurrence.key, due)
    dated = list(owned.values())
    parts = deadline_parts(dated, context.plan)
    by_rule: dict[Recurring, list[DueOccurrence]] = {}
    for due in dated:
        if isinstance(due.occurrence.rule, Recurring):
            by_rule.setdefault(due.occurrence.rule, []).append(due)
    components: list[CalendarEvent] = []
    for rule, dues in by_rule.items():
        components += _recurring_events(obligation, rule, dues, parts, context)
    for due in dated:
        if not isinstance(due.occurrence.rule, Recurring):
            uid = context.uid(obligation, parts[due.occurrence.key])
            components.append(_deadline(obligation, due, uid, context))
    return components


def _recurring_events(
    obligation: Obligation,
    rule: Recurring,
    dues: list[DueOccurrence],
    parts: Mapping[str, str],
    context: _DeadlineContext,
) -> list[CalendarEvent]:
    """One VEVENT with an RRULE, plus one ``[done]`` event per completed occurrence.

    The series leaves out (EXDATE) every date it does not show open: the
    completed ones, and one that another rule of the item already gives. A
    program that ignores RECURRENCE-ID (calcurse) would show an override and
    the series on the same day; an EXDATE and a separate event it shows
    once, like every other program.
    """

    def event(due: DueOccurrence) -> CalendarEvent:
        uid = context.uid(obligation, parts[due.occurrence.key])
        return _deadline(obligation, due, uid, context)

    done = [event(due) for due in dues if due.state is OccurrenceState.DONE]
    still_open = [due for due in dues if due.state is not OccurrenceState.DONE]
    rule_dates = recurrence_dates(rule, context.plan)
    recurrence = bounded_rrule(rule, rule_dates[0], context.plan) if rule_dates else None
    if recurrence is None:
        # A hand-written RRULE that cannot be restated from its first date
        # (COUNT from an earlier start, say): its open dates one by one.
        return done + [event(due) for due in still_open]
    shown = {due.occurrence.due for due in still_open}
    master = _deadline(
        obligation,
        dues[0],
        context.uid(obligation, series_part(dues, parts)),
        context,
        series_start=rule_dates[0],
    )
    master.add("rrule", vRecur.from_ical(recurrence))
    for day in rule_dates:
        if day not in shown:
            # One EXDATE a line: some readers take only the first date of a list.
            master.add("exdate", day)
    return [master, *done]


def bounded_rrule(rule: Recurring, first: date, plan: PlanInfo) -> str | None:
    """The rule's RRULE ending with the plan period (UNTIL), to start on ``first``.

    DTSTART must itself be an occurrence (RFC 5545 counts it as one), so the
    calendar starts on the first due date rather than the rule's own start.
    None when the result would not give exactly the schedule engine's dates.
    """
    parts = [part for part in rule.rrule.split(";") if part.split("=")[0] not in ("UNTIL", "COUNT")]
    parts.append(f"UNTIL={plan.period_end:%Y%m%d}")
    value = ";".join(parts)
    start = datetime(first.year, first.month, first.day)
    expanded = [moment.date() for moment in rrulestr(value, dtstart=start)]
    return value if expanded == recurrence_dates(rule, plan) else None


def _deadline(
    obligation: Obligation,
    due: DueOccurrence,
    uid: str,
    context: _DeadlineContext,
    series_start: date | None = None,
) -> CalendarEvent:
    """The event of one deadline, or of a recurring rule's series (``series_start``: its
    first date; a series is never marked done, its completed dates are events of their own)."""
    day = series_start or due.due
    assert day is not None
    done = series_start is None and due.state is OccurrenceState.DONE
    meetings = context.meetings
    component = CalendarEvent()
    component.add("uid", uid)
    component.add("dtstamp", context.stamp)
    _add_revision(component, context.revision + context.session_revision(due.occurrence))
    component.add("dtstart", day)
    component.add("dtend", day + timedelta(days=1))
    component.add("summary", f"{DONE_MARK if done else ''}{context.title}")
    component.add("description", _deadline_description(obligation, due, meetings, done))
    component.add("categories", ["CICTE deadline"] + (["done"] if done else []))
    component.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    component.add("x-cicte-obligation", obligation.key)
    if due.occurrence.session:
        component.add("x-cicte-session", due.occurrence.session)
    return component


def _add_revision(component: CalendarEvent, revision: Revision) -> None:
    component.add("sequence", revision.sequence)
    if revision.modified is not None:
        component.add("last-modified", revision.modified)


def _deadline_description(
    obligation: Obligation, due: DueOccurrence, meetings: Meetings, done: bool
) -> str:
    occurrence = due.occurrence
    lines = [f"Obligation {obligation.number} ({obligation.key}), Section {obligation.section}"]
    if obligation.sources:
        lines.append("Source: " + "; ".join(obligation.sources))
    if obligation.schedule_text:
        lines.append(f"Schedule: {obligation.schedule_text}")
    lines.append(f"Rule: {describe_rule(occurrence.rule, meetings, occurrence.year)}")
    session = _session_fact(occurrence, meetings)
    if session:
        lines.append(f"Session: {session}")
    if occurrence.assumed and due.completion is None:
        lines.append(f"Date assumed: {occurrence.assumed}.")
    if done:
        completion = due.completion
        when = f" on {completion.done_on.isoformat()}" if completion else ""
        lines.append(f"COMPLETED{when}.")
        if completion is not None:
            lines += _evidence_lines(completion.evidence)
    lines.append("")
    if obligation.title:
        lines.append(obligation.title)
    lines.append(obligation.text)
    return "\n".join(lines).rstrip()


def _evidence_lines(evidence: Evidence) -> list[str]:
    named = (("Document", evidence.document), ("Link", evidence.link))
    lines = [f"{name}: {value}" for name, value in named if value]
    if evidence.outcome:
        lines.append(f"Outcome: {evidence.outcome}")
    return lines


def _meeting_event(
    series: MeetingSeries, session: Session, stamp: datetime, revision: Revision
) -> CalendarEvent:
    assert session.start is not None
    component = CalendarEvent()
    component.add("uid", meeting_uid(series, session))
    component.add("dtstamp", stamp)
    _add_revision(component, revision)
    component.add("dtstart", session.start)
    last_day = session.last_day or session.start
    component.add("dtend", last_day + timedelta(days=1))  # DTEND is exclusive
    title = f" — {session.title}" if session.title else ""
    component.add("summary", f"{series.name}{title}")
    if session.place:
        component.add("location", session.place)
    description = [text for text in (session.note, series.note) if text]
    if session.document:
        description.append(f"Document: {session.document}")
    if description:
        component.add("description", "\n".join(description))
    component.add("categories", ["CICTE meeting"])
    component.add("x-cicte-event", series.key)
    component.add("x-cicte-session", session_id(series.key, session.year))
    return component


def _session_fact(occurrence: Occurrence, meetings: Meetings) -> str:
    """``CICTE regular session 2008 (Eighth Regular Session), 5–7 Mar 2008`` for a deadline."""
    rule, year = occurrence.rule, occurrence.year
    if not isinstance(rule, EventRelative) or year is None:
        return ""
    series = meetings.get(rule.anchor)
    if series is None:
        return occurrence.session or ""
    own = series.session(year)
    if own is not None and own.dated:
        return f"{session_name(series, own)}, {session_dates(own)}"
    return f"{series.name} {year}"
