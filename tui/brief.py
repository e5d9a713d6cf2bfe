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
from store.describe import event_dates, short_date
from store.repository import Tracker
from store.schedule import OccurrenceState, Outlook
from tui.export import md_document, md_inline, md_line


def brief_markdown(tracker: Tracker, outlook: Outlook, event_key: str | None = None) -> str:
    """The brief for ``event_key`` (or the next meeting), as Markdown; BriefError if none."""
    brief = meeting_brief(
        tracker, tracker.plan, tracker.events, tracker.reference, outlook, event_key
    )
    return render_brief(brief)


def render_brief(brief: Brief) -> str:
    event = brief.event
    lines = [
        f"# Brief: {md_inline(event.name)}, {event_dates(event)}",
        "",
        f"- Meeting: {_meeting_phrase(brief)}",
        f"- As of: {short_date(brief.outlook.today)} "
        f"(due soon = within {brief.outlook.due_soon_days} days)",
        f"- Plan: {md_inline(brief.plan.symbol)} — {md_inline(brief.plan.title)}",
        "",
    ]
    lines += _section(
        f"Overdue ({len(brief.overdue)})",
        [_deadline_line(line) for line in brief.overdue],
        "Nothing is overdue.",
    )
    lines += _section(
        f"Due before the meeting ({len(brief.due_before)})",
        [_deadline_line(line) for line in brief.due_before],
        _nothing_before(brief),
    )
    lines += _section(
        f"Obligations tied to this meeting ({len(brief.anchored)})",
        [_deadline_line(line, with_rule=True) for line in brief.anchored],
        "No schedule rule refers to this meeting.",
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
    event = brief.event
    place = f", {md_inline(event.place)}" if event.place else ""
    days = brief.days_to_event
    if days is None:
        when = "date not set yet"
    elif days == 0:
        when = "starts today"
    elif days > 0:
        when = f"in {_days(days)}"
    else:
        when = f"started {_days(-days)} ago"
    return f"{md_inline(event.name)}, {event_dates(event)}{place} ({when})"


def _nothing_before(brief: Brief) -> str:
    start = brief.event.start
    if start is None:
        return "The meeting has no date yet, so nothing can be placed before it."
    if start <= brief.outlook.today:
        return "The meeting has already started."
    return f"Nothing falls due before {short_date(start)}."


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _obligation(line: BriefLine | CompletedLine | NoteLine) -> str:
    obligation = line.obligation
    return f"{md_line(obligation.number)} — {md_inline(obligation.short_title)}"


def _deadline_line(line: BriefLine, *, with_rule: bool = False) -> str:
    rule = f"; {md_inline(line.rule)}" if with_rule else ""
    return f"- {_obligation(line)} ({_due_phrase(line)}{rule})"


def _due_phrase(line: BriefLine) -> str:
    due = line.due
    if due.state is OccurrenceState.WAITING:
        return f"waiting for the date of {due.occurrence.waiting_on}"
    if due.state is OccurrenceState.DONE:
        done_on = f" on {short_date(due.completed_on)}" if due.completed_on else ""
        return f"done{done_on}"
    assert due.due is not None and due.days_from_today is not None
    days = due.days_from_today
    if due.state is OccurrenceState.LAPSED:
        return f"was due {short_date(due.due)}, before the plan year"
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
    return f"- {short_date(line.completed_on)}: {_obligation(line)} ({what})"


def _note_line(line: NoteLine) -> str:
    at = line.note.at
    return f"- {short_date(at.date())} {at:%H:%M}, {_obligation(line)}: {md_inline(line.note.text)}"


def _sector_line(sector: SectorCounts) -> str:
    counts = sector.counts
    if sector.key == "I":
        name = "Section I, mandates"
    else:
        name = f"{sector.key} {md_inline(sector.title)}".strip()
    return (
        f"- {name}: {counts.total} obligations; {counts.overdue} overdue, "
        f"{counts.due_soon} due soon, {counts.stale} stale, {counts.done} done"
    )
