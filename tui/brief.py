"""`cicte-tui brief`: a meeting brief as Markdown that reads well pasted into an e-mail.

Plain text with light Markdown (headings and lists, no tables), most urgent
first. No clock and no Rich: the same brief for the same data and *today*.
"""

from __future__ import annotations

from store.brief import (
    RECENT_DAYS,
    Brief,
    BriefLine,
    CompletedLine,
    NoteLine,
    SectorCounts,
    meeting_brief,
)
from store.describe import session_dates, session_name, short_date
from store.model import Completion
from store.report import UrgentRow
from store.repository import Tracker
from store.rules import EventRelative
from store.schedule import DueOccurrence, OccurrenceState, Outlook
from tui.export import evidence_phrase, md_document, md_inline, md_line


def brief_markdown(tracker: Tracker, outlook: Outlook, event_key: str | None = None) -> str:
    """The brief for ``event_key`` (or the next meeting), as Markdown; BriefError if none."""
    brief = meeting_brief(
        tracker, tracker.plan, tracker.meetings, tracker.reference, outlook, event_key
    )
    return render_brief(brief)


def render_brief(brief: Brief) -> str:
    series = brief.series
    lines = [
        f"# Brief: {md_inline(series.name)}, {session_dates(brief.session)}",
        "",
        f"- Meeting: {_meeting_phrase(brief)}",
        f"- As of: {short_date(brief.outlook.today)} "
        f"(due soon = within {brief.outlook.due_soon_days} days)",
        f"- Plan: {md_inline(brief.plan.symbol)} — {md_inline(brief.plan.title)}",
        "",
    ]
    lines += _section(
        f"Overdue ({len(brief.overdue)})",
        [_overdue_line(row) for row in brief.overdue],
        "Nothing is overdue.",
    )
    lines += _section(
        f"Due before the meeting ({len(brief.due_before)})",
        [_deadline_line(line) for line in brief.due_before],
        _nothing_before(brief),
    )
    lines += _section(
        f"Obligations tied to this meeting ({len(brief.anchored)})",
        [_anchored_line(brief, line) for line in brief.anchored],
        _nothing_tied(brief),
    )
    lines += _section(
        f"Completed in the last {RECENT_DAYS} days ({len(brief.completed)})",
        [_completed_line(line) for line in brief.completed],
        f"Nothing was marked done in the last {RECENT_DAYS} days.",
    )
    lines += _section(
        f"Latest notes ({len(brief.notes)})",
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
    days = brief.days_to_event
    if days is None:
        when = "date not set yet"
        assumed = next((line.due.occurrence.assumed for line in brief.anchored), "")
        if assumed:
            when += f"; its deadlines take dates {assumed}"
    elif days == 0:
        when = "starts today"
    elif days > 0:
        when = f"in {_days(days)}"
    else:
        when = f"started {_days(-days)} ago"
    return f"{md_inline(name)}, {session_dates(session)}{place} ({when})"


def _nothing_tied(brief: Brief) -> str:
    year, plan_year = (brief.session.year if brief.session else None), brief.plan.year
    if year is not None and year != plan_year:
        # The tracker holds one plan year; its rules resolve against that year's sessions.
        return (
            f"The tracker holds the {plan_year} plan, whose deadlines fall at the "
            f"{plan_year} sessions; none is tied to this {year} session."
        )
    return "No schedule rule refers to this meeting."


def _nothing_before(brief: Brief) -> str:
    start = brief.session.start if brief.session is not None else None
    if start is None:
        return "The meeting has no date yet, so nothing can be placed before it."
    if start <= brief.outlook.today:
        return "The meeting has already started."
    return f"Nothing falls due before {short_date(start)}."


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _obligation(line: BriefLine | CompletedLine | NoteLine | UrgentRow) -> str:
    obligation = line.obligation
    return f"{md_line(obligation.number)} — {md_inline(obligation.short_title)}"


def _overdue_line(row: UrgentRow) -> str:
    """One line per overdue obligation, every overdue deadline of it named."""
    phrases = [_due_phrase(due) for due in row.dues]
    text = phrases[0] + "".join(f"; also {phrase}" for phrase in phrases[1:])
    return f"- {_obligation(row)} ({text}{_assumed(row.dues[0])})"


def _deadline_line(line: BriefLine) -> str:
    return f"- {_obligation(line)} ({_due_phrase(line.due)}{_assumed(line.due)})"


def _anchored_line(brief: Brief, line: BriefLine) -> str:
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
        return f"waiting for the date of {due.occurrence.waiting_on}"
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


def _completed_line(line: CompletedLine) -> str:
    if line.occurrence_due is None:
        what = "marked done"
    else:
        what = f"deadline of {short_date(line.occurrence_due)} done"
    completion = _completion_of(line)
    evidence = evidence_phrase(completion.evidence, markdown=True) if completion else ""
    if evidence:
        what += f"; {evidence}"
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
    return f"- {short_date(at.date())} {at:%H:%M}, {_obligation(line)}: {md_inline(line.note.text)}"


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
