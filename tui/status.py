"""`cicte-tui status`: the quick check before a meeting, as a table, Markdown or JSON.

Each row is one obligation in one state (its overdue, its due-soon, or —
when the next meeting is near — its deadlines falling by that meeting's
end), so the counts line and the rows agree. The JSON shape is a documented
interface for scripts (see README): keep it stable and only ever add keys.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from store.describe import day_month, session_dates, session_name, short_date
from store.report import NEXT_MEETING_DAYS, Counts, NextMeeting, StatusReport, UrgentRow
from store.schedule import OccurrenceState
from tui.options import Options

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console  # only the table format needs Rich; JSON skips it

COUNT_LABELS = (
    ("overdue", "overdue"),
    ("due_soon", "due soon"),
    ("stale", "stale"),
    ("recurring", "recurring"),
    ("done", "done"),
    ("waiting", "waiting for event date"),
    ("period_ended", "period ended — renew or close"),
)
SCHEDULE_COLUMN_MIN_WIDTH = 100
"""Narrower terminals leave the Schedule column out of the table."""
DEPRECATED_COUNTS = {"lapsed": "period_ended"}
"""JSON count keys kept for scripts written against 0.1, with the field they now mirror."""
STATE_CELLS = {
    OccurrenceState.OVERDUE: ("! OVERDUE", "bold red"),
    OccurrenceState.DUE_SOON: ("~ due soon", "yellow"),
    OccurrenceState.UPCOMING: ("» before meeting", "cyan"),
}
"""The table's State cell: a glyph and words, so colour is never the only cue."""


def days_phrase(row: UrgentRow) -> str:
    if row.days < 0:
        return f"{-row.days} d late"
    if row.days == 0:
        return "due today"
    return f"{row.days} d left"


def due_phrase(row: UrgentRow, today: date) -> str:
    """The earliest due date, and how many more of the row's deadlines follow: ``30 Jun +1``."""
    more = len(row.dues) - 1
    return day_month(row.due, today) + (f" +{more}" if more else "")


def all_dues_phrase(row: UrgentRow, today: date) -> str:
    """Every due date of the row, earliest first: ``30 Jun 2008, 31 Dec 2008``."""
    return ", ".join(day_month(due.due, today) for due in row.dues if due.due is not None)


def today_phrase(options: Options) -> str:
    suffix = f" (set by {options.today_source})" if options.today_is_set else ""
    return f"{short_date(options.today)}{suffix}"


def counts_phrase(counts: Counts, before_meeting: int | None = None) -> str:
    """The counts line; ``before_meeting`` (the rows due by a near meeting) follows due soon."""
    parts = [f"{getattr(counts, field)} {label}" for field, label in COUNT_LABELS]
    if before_meeting is not None:
        parts.insert(2, f"{before_meeting} before the meeting")
    noun = "obligation" if counts.total == 1 else "obligations"
    return f"{counts.total} {noun}: " + ", ".join(parts)


def report_counts_phrase(report: StatusReport) -> str:
    meeting = report.next_meeting
    listing = meeting is not None and meeting.lists_items
    return counts_phrase(report.counts, report.before_meeting if listing else None)


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def meeting_phrase(report: StatusReport) -> str:
    """One line on the next meeting: which, when, in how many days, how many items hang on it."""
    meeting = report.next_meeting
    today = report.outlook.today
    if meeting is None:
        none = "Next meeting: none dated yet (add a session: cicte-tui meeting set)"
        if report.last_meeting is None:
            return none + "."
        series, session = report.last_meeting
        ended = (today - (session.last_day or today)).days
        return (
            f"{none}; the last ended {_days(ended)} ago: "
            f"{session_name(series, session)}, {session_dates(session)}."
        )
    session = meeting.session
    place = f", {session.place}" if session.place else ""
    # The tracker's rules resolve against the plan year's sessions: say whose items these are.
    of_plan = f" of the {report.plan.year} plan" if session.year != report.plan.year else ""
    count = meeting.open_items
    items = (
        f"{count} open item{'' if count == 1 else 's'}{of_plan} {'hangs' if count == 1 else 'hang'}"
    )
    return (
        f"Next meeting: {session_name(meeting.series, session)}, {session_dates(session)}{place} "
        f"— {_when(meeting)}; {items} on it."
    )


def _when(meeting: NextMeeting) -> str:
    if meeting.days > 0:
        return f"in {_days(meeting.days)}"
    length = (meeting.last_day - meeting.first_day).days + 1
    if length == 1:
        return "today"
    return f"under way, day {1 - meeting.days} of {length}"


def owner_phrase(report: StatusReport) -> str:
    """``Owner: Ana (set by CICTE_OWNER) · 4 of 58 obligations``; empty when not filtered."""
    if report.owner is None:
        return ""
    phrase = f"Owner: {report.owner} · {report.counts.total} of {report.plan_total} obligations"
    if report.counts.total == 0:
        known = ", ".join(report.owners) or "none yet"
        phrase += f" (no item has this owner; owners: {known})"
    return phrase + " · --all shows everyone's"


def plan_ended_phrase(report: StatusReport) -> str:
    """What to do once the plan year is over and nothing follows it; empty otherwise."""
    plan = report.plan
    if report.next_plan or report.outlook.today <= plan.period_end:
        return ""
    following = plan.year + 1
    return (
        f"The {plan.year} plan year ended on {short_date(plan.period_end)}: start the next "
        f"with cicte-tui plan new {following} --from {plan.year}"
    )


def render_table(report: StatusReport, options: Options, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    plan = report.plan
    console.print(Text(plan.label, style="bold"))
    if ended := plan_ended_phrase(report):
        console.print(Text(ended, style="bold"))
    console.print(Text(f"Today: {today_phrase(options)} · due soon = within {options.within} days"))
    if owner := owner_phrase(report):
        console.print(Text(owner))
    console.print(Text(meeting_phrase(report)))
    console.print(Text(report_counts_phrase(report)))
    if not report.rows:
        console.print(Text("Nothing overdue or due soon.", style="green"))
        return
    # One line per row: long French texts are cut with an ellipsis to fit. Below
    # 100 columns the schedule would be cut to a word or two: the obligation gets its room.
    with_schedule = console.width >= SCHEDULE_COLUMN_MIN_WIDTH
    table = Table(show_lines=False, header_style="bold", expand=True)
    table.add_column("State", no_wrap=True)
    table.add_column("ID", no_wrap=True)
    table.add_column("Obligation", ratio=3, no_wrap=True, overflow="ellipsis")
    table.add_column("Due", no_wrap=True)
    table.add_column("Late/left", no_wrap=True)
    if with_schedule:
        table.add_column("Schedule", ratio=2, no_wrap=True, overflow="ellipsis")
    for row in report.rows:
        words, style = STATE_CELLS[row.state]
        cells = [
            Text(words, style=style),
            Text(row.obligation.number),
            Text(row.obligation.short_title),
            Text(due_phrase(row, options.today)),
            Text(days_phrase(row)),
        ]
        if with_schedule:
            cells.append(Text(row.obligation.schedule_text or row.rule))
        table.add_row(*cells)
    console.print(table)
    if any(len(row.dues) > 1 for row in report.rows):
        console.print(Text("Due +N: N more deadlines of the same item, in the same state."))


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_markdown(report: StatusReport, options: Options) -> str:
    plan = report.plan
    lines = [
        f"# {_cell(plan.label)}",
        "",
        *([plan_ended_phrase(report), ""] if plan_ended_phrase(report) else []),
        f"Today: {today_phrase(options)} · due soon = within {options.within} days",
        "",
    ]
    if owner := owner_phrase(report):
        lines += [owner, ""]
    lines += [meeting_phrase(report), "", report_counts_phrase(report), ""]
    if not report.rows:
        lines.append("Nothing overdue or due soon.")
    else:
        lines += [
            "| State | ID | Obligation | Due | Late/left | Schedule |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {row.label} | {_cell(row.obligation.number)} | "
            f"{_cell(row.obligation.readable_title)} | {all_dues_phrase(row, options.today)} | "
            f"{days_phrase(row)} | {_cell(row.obligation.schedule_text or row.rule)} |"
            for row in report.rows
        ]
    return "\n".join(lines) + "\n"


def report_json(report: StatusReport, options: Options) -> dict[str, Any]:
    plan = report.plan
    counts = {"total": report.counts.total} | {
        field: getattr(report.counts, field) for field, _ in COUNT_LABELS
    }
    counts |= {old: counts[new] for old, new in DEPRECATED_COUNTS.items()}
    counts["before_meeting"] = report.before_meeting
    return {
        "plan": {
            "symbol": plan.symbol,
            "title": plan.title,
            "year": plan.year,
            "ended_without_next": bool(plan_ended_phrase(report)),
        },
        "today": options.today.isoformat(),
        "today_source": options.today_source,
        "within_days": options.within,
        "review_days": options.review_days,
        "counts": counts,
        "items": [
            {
                "id": row.obligation.number,
                "key": row.obligation.key,
                "state": row.label,
                "due": row.due.isoformat(),
                "days": row.days,
                "text": row.obligation.short_title,
                "schedule": row.obligation.schedule_text,
                "rule": row.rule,
                "dues": [due.due.isoformat() for due in row.dues if due.due is not None],
                "assumed": row.dues[0].occurrence.assumed,
                "title": row.obligation.readable_title,
                "owner": row.obligation.owner,
            }
            for row in report.rows
        ],
        "next_meeting": _meeting_json(report.next_meeting),
        "owner": report.owner,
    }


def _meeting_json(meeting: NextMeeting | None) -> dict[str, Any] | None:
    if meeting is None:
        return None
    series, session = meeting.series, meeting.session
    return {
        "series": series.key,
        "name": series.name,
        "title": session.title,
        "year": session.year,
        "first_day": meeting.first_day.isoformat(),
        "last_day": meeting.last_day.isoformat(),
        "place": session.place,
        "days": meeting.days,
        "under_way": meeting.under_way,
        "open_items": meeting.open_items,
        "lists_items": meeting.lists_items,
        "lists_within_days": NEXT_MEETING_DAYS,
    }


def render_json(report: StatusReport, options: Options) -> str:
    return json.dumps(report_json(report, options), ensure_ascii=False, indent=2) + "\n"
