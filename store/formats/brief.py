"""`cicte-tui brief`: a meeting brief as Markdown that reads well pasted into an e-mail.

Plain text with light Markdown (headings and lists, no tables), most urgent
first. No clock and no Rich: the same brief for the same data and *today*.
"""

from __future__ import annotations

from store.brief import (
    Brief,
    BriefLine,
    CompletedLine,
    NoteLine,
    SectorCounts,
    meeting_brief,
)
from store.describe import session_dates, session_name, short_date
from store.formats.markdown import md_document, md_inline, md_line
from store.formats.phrases import evidence_phrase
from store.model import Completion, Obligation
from store.report import UrgentRow
from store.rules import EventRelative
from store.schedule import DueOccurrence, OccurrenceState, Outlook
from store.snapshot import TrackerRecords


def brief_markdown(tracker: TrackerRecords, outlook: Outlook, event_key: str | None = None) -> str:
    """The brief for ``event_key`` (``SERIES`` or ``SERIES/YEAR``; None: the next meeting),
    as Markdown; BriefError if there is none."""
    brief = meeting_brief(
        tracker,
        tracker.plan,
        tracker.meetings,
        tracker.reference,
        outlook,
        event_key,
        earlier_obligations(tracker),
    )
    return render_brief(brief)


def earlier_obligations(tracker: TrackerRecords) -> list[Obligation]:
    """The items of the plan years before the active one (their completions are history)."""
    year = tracker.plan.year
    return [o for y in tracker.plans if y < year for o in tracker.obligations_of(y).values()]


def render_brief(brief: Brief) -> str:
    series = brief.series
    lines = [
        f"# Brief: {md_inline(series.name)}, {session_dates(brief.session)}",
        "",
        f"- Meeting: {_meeting_phrase(brief)}",
        f"- As of: {short_date(brief.outlook.today)} "
        f"(due soon = within {brief.outlook.due_soon_days} days)",
        f"- Plan: {md_inline(brief.plan.label)}",
    ]
    if other_year := _other_plan_year(brief):
        lines.append(f"- Note: {other_year}")
    lines.append("")
    lines += _section(
        f"Overdue ({len(brief.overdue)})",
        [_overdue_line(row) for row in brief.overdue],
        "Nothing is overdue.",
    )
    lines += _section(
        f"Due before the meeting ({len(brief.due_before)})",
        [_deadline_line(brief, line) for line in brief.due_before],
        _nothing_before(brief),
    )
    lines += _section(
        f"Due during the meeting ({len(brief.due_during)})",
        [_deadline_line(brief, line) for line in brief.due_during],
        _nothing_when(brief, "during it"),
    )
    lines += _section(
        f"Due after the meeting ({len(brief.due_after)})",
        [_deadline_line(brief, line) for line in brief.due_after],
        _nothing_when(brief, "after it"),
    )
    lines += _section(
        f"Waiting for a session date ({len(brief.waiting)})",
        [_deadline_line(brief, line) for line in brief.waiting],
        "Nothing waits for a session date.",
    )
    since = _since_phrase(brief)
    lines += _section(
        f"Completed {since} ({len(brief.completed)})",
        [_completed_line(brief, line) for line in brief.completed],
        f"Nothing was marked done {since}.",
    )
    lines += _section(
        f"Latest note per item ({len(brief.notes)})",
        [_note_line(line) for line in brief.notes],
        "No notes yet.",
    )
    lines += _section("Counts by sector", [_sector_line(s) for s in brief.sectors], "")
    return md_document(lines)


def _section(title: str, items: list[str], when_empty: str) -> list[str]:
    return [f"## {title}", "", *(items or [when_empty]), ""]


def _meeting_phrase(brief: Brief) -> str:
    series, session = brief.series, brief.session
    name = session_name(series, session) if session is not None else series.name
    place = f", {md_inline(session.place)}" if session is not None and session.place else ""
    return f"{md_inline(name)}, {session_dates(session)}{place} ({_when(brief)})"


def _when(brief: Brief) -> str:
    """``in 14 days``, ``under way, day 2 of 3``, ``ended 110 days ago``…"""
    dates, today = brief.dates, brief.outlook.today
    if brief.days_to_event is None or dates is None:
        when = "date not set yet"
        if dates is not None and dates.assumed:
            when += f"; its deadlines take dates {md_inline(dates.assumed)}"
            if dates.last_day < today:
                when += f", which ended {_days((today - dates.last_day).days)} ago"
        return when
    days = dates.first_day - today
    if days.days > 0:
        return f"in {_days(days.days)}"
    if (ended := brief.days_since_end) is not None:
        return f"ended {_days(ended)} ago"
    length = (dates.last_day - dates.first_day).days + 1
    if length == 1:
        return "today"
    return f"under way, day {1 - days.days} of {length}"


def _other_plan_year(brief: Brief) -> str:
    """Why no deadline is tied to a session of another year than the plan's."""
    year, plan_year = brief.year, brief.plan.year
    if year == plan_year or brief.anchored:
        return ""
    # The tracker holds one plan year; its rules resolve against that year's sessions.
    return (
        f"the tracker holds the {plan_year} plan, whose deadlines fall at the "
        f"{plan_year} sessions; none is tied to this {year} session."
    )


def _nothing_before(brief: Brief) -> str:
    dates = brief.dates
    if dates is None:
        return "The meeting has no date yet, so nothing can be placed before it."
    if dates.first_day <= brief.outlook.today:
        return f"The meeting opened on {short_date(dates.first_day)}."
    return f"Nothing falls due before {short_date(dates.first_day)}."


def _nothing_when(brief: Brief, when: str) -> str:
    if brief.dates is None:
        return "The meeting has no date yet."
    if not brief.anchored and brief.year == brief.plan.year:
        return f"Nothing falls due {when}; no schedule rule refers to this meeting."
    return f"Nothing falls due {when}."


def _since_phrase(brief: Brief) -> str:
    """``since the last session, 5–7 Mar 2008`` or ``since 1 Jan 2008, the start of the plan``."""
    previous = brief.previous
    if previous is None:
        return f"since {short_date(brief.completed_since)}, the start of the plan year"
    return f"since the last session, {session_dates(previous.session)}"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _obligation(line: BriefLine | CompletedLine | NoteLine | UrgentRow) -> str:
    """The id and the whole first sentence: a cut title could make two items look alike."""
    obligation = line.obligation
    return f"{md_line(obligation.number)} — {md_inline(obligation.readable_title)}"


def _overdue_line(row: UrgentRow) -> str:
    """One line per overdue obligation, every overdue deadline of it named."""
    phrases = [_due_phrase(due) for due in row.dues]
    text = phrases[0] + "".join(f"; also {phrase}" for phrase in phrases[1:])
    return f"- {_obligation(row)} ({text}{_assumed(row.dues[0])})"


def _deadline_line(brief: Brief, line: BriefLine) -> str:
    """A deadline; one of the meeting's own says how it hangs on it (lead time included)."""
    if not line.tied:
        waiting = line.due.state is OccurrenceState.WAITING
        words = f"; {md_inline(line.rule)}" if waiting else ""
        return f"- {_obligation(line)} ({_due_phrase(line.due)}{words}{_assumed(line.due)})"
    # A rule on a series held alongside this one already says so in its words.
    rule = line.due.occurrence.rule
    names_this_one = isinstance(rule, EventRelative) and brief.series.key in rule.events
    assumed = _assumed(line.due) if names_this_one else ""
    return f"- {_obligation(line)} ({_due_phrase(line.due)}; {md_inline(line.rule)}{assumed})"


def _assumed(due: DueOccurrence) -> str:
    """Why a deadline's date comes from another meeting's session, when it does."""
    assumed = due.occurrence.assumed
    return f"; date assumed: {md_inline(assumed)}" if assumed and due.due is not None else ""


def _due_phrase(due: DueOccurrence) -> str:
    if due.state is OccurrenceState.WAITING:
        return f"waiting for the date of {md_inline(due.occurrence.waiting_on or '')}"
    if due.state is OccurrenceState.DONE:
        done_on = f" on {short_date(due.done_on)}" if due.done_on else ""
        return f"done{done_on}"
    assert due.due is not None and due.days_from_today is not None
    days = due.days_from_today
    if days < 0:
        return f"due {short_date(due.due)}, {_days(-days)} late"
    if days == 0:
        return f"due today, {short_date(due.due)}"
    return f"due {short_date(due.due)}, in {_days(days)}"


def _completed_line(brief: Brief, line: CompletedLine) -> str:
    if line.occurrence_due is None:
        what = "marked done"
    else:
        what = f"deadline of {short_date(line.occurrence_due)} done"
    completion = _completion_of(line)
    if completion is not None:
        evidence = evidence_phrase(completion.evidence, markdown=True)
        what += f"; {evidence}" if evidence else "; no evidence recorded"
    year = line.obligation.plan_year
    if year and year != brief.plan.year:
        what += f"; {year} plan"  # done under an earlier plan: its record is there
    return f"- {short_date(line.done_on)}: {_obligation(line)} ({what})"


def _completion_of(line: CompletedLine) -> Completion | None:
    if line.occurrence_due is None:
        return None
    return next(
        (
            c
            for c in line.obligation.completions
            if c.done_on == line.done_on and c.due == line.occurrence_due
        ),
        None,
    )


def _note_line(line: NoteLine) -> str:
    at = line.note.at
    # The title is a whole sentence with its own stop: a dash, not a colon, leads to the note.
    text = md_inline(line.note.text)
    return f"- {short_date(at.date())} {at:%H:%M}, {_obligation(line)} — note: {text}"


def _sector_line(sector: SectorCounts) -> str:
    counts = sector.counts
    if sector.key == "I":
        name = "Section I, mandates"
    else:
        name = f"{sector.key} {md_inline(sector.title)}".strip()
    ended = f", {counts.period_ended} period ended" if counts.period_ended else ""
    return (
        f"- {name}: {counts.total} obligations; {counts.overdue} overdue, "
        f"{counts.due_soon} due soon, {counts.stale} stale, {counts.done} done{ended}"
    )
