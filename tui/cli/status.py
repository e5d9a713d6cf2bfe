"""`cicte-tui status`: the quick check before a meeting, as a table, Markdown or JSON.

Each row is one obligation in one state (its overdue, its due-soon, or —
when the next meeting is near — its deadlines falling by that meeting's
end), so the counts line and the rows agree. The JSON shape is a documented
interface for scripts (see README): keep it stable and only ever add keys.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from store.describe import day_month, session_dates, session_name, short_date
from store.formats.markdown import md_cell, md_heading, md_inline
from store.report import (
    NEXT_MEETING_DAYS,
    Counts,
    NextMeeting,
    StatusReport,
    UrgentRow,
    status_report,
)
from store.schedule import OccurrenceState
from store.storage import pretty
from store.text import json_safe, may_hold_controls, safe_text, safe_tree
from tui.cli.command import Command, CommandName, Common, add_fail_on_overdue, values
from tui.cli.exit_codes import EXIT_OK, EXIT_OVERDUE
from tui.cli.options import OWNER_VARIABLE, Options, no_color
from tui.cli.output import piped_console
from tui.cli.table import Cell, Column, print_table
from tui.titles import distinct_titles

FIXED_COLUMNS = 55
"""State, id, due date, days late or left, and the table's borders, in columns."""

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


Escape = Callable[[str], str]
"""What a phrase does to plan and user text in it: nothing (plain), or Markdown escaping."""


def _plain(text: str) -> str:
    return text


def meeting_phrase(report: StatusReport, escape: Escape = _plain) -> str:
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
            f"{escape(session_name(series, session))}, {session_dates(session)}."
        )
    session = meeting.session
    place = f", {escape(session.place)}" if session.place else ""
    # The tracker's rules resolve against the plan year's sessions: say whose items these are.
    of_plan = f" of the {report.plan.year} plan" if session.year != report.plan.year else ""
    count = meeting.open_items
    items = (
        f"{count} open item{'' if count == 1 else 's'}{of_plan} {'hangs' if count == 1 else 'hang'}"
    )
    return (
        f"Next meeting: {escape(session_name(meeting.series, session))}, "
        f"{session_dates(session)}{place} "
        f"— {_when(meeting)}; {items} on it."
    )


def _when(meeting: NextMeeting) -> str:
    if meeting.days > 0:
        return f"in {_days(meeting.days)}"
    length = (meeting.last_day - meeting.first_day).days + 1
    if length == 1:
        return "today"
    return f"under way, day {1 - meeting.days} of {length}"


def owner_phrase(report: StatusReport, escape: Escape = _plain) -> str:
    """``Owner: Ana (set by CICTE_OWNER) · 4 of 58 obligations``; empty when not filtered."""
    if report.owner is None:
        return ""
    owner, total = escape(report.owner), report.plan_total
    phrase = f"Owner: {owner} · {report.counts.total} of {total} obligations"
    if report.counts.total == 0:
        known = ", ".join(escape(name) for name in report.owners) or "none yet"
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
    from rich.text import Text

    def text(words: str, style: str = "") -> Text:
        """Every cell and line through safe_text: what a terminal could act on never gets there."""
        return Text(safe_text(words), style=style)

    plan = report.plan
    console.print(text(plan.label, style="bold"))
    if ended := plan_ended_phrase(report):
        console.print(text(ended, style="bold"))
    console.print(text(f"Today: {today_phrase(options)} · due soon = within {options.within} days"))
    if owner := owner_phrase(report):
        console.print(text(owner))
    console.print(text(meeting_phrase(report)))
    console.print(text(report_counts_phrase(report)))
    if not report.rows:
        console.print(text("Nothing overdue or due soon.", style="green"))
        return
    # One line per row: long French texts are cut with an ellipsis to fit. Below
    # 100 columns the schedule would be cut to a word or two: the obligation gets its room.
    with_schedule = console.width >= SCHEDULE_COLUMN_MIN_WIDTH
    columns = [
        Column("State", whole=True),
        Column("ID", whole=True),
        Column("Obligation", ratio=3),
        Column("Due"),
        Column("Late/left"),
        *([Column("Schedule", ratio=2)] if with_schedule else []),
    ]
    # The title's room, roughly as the width will be shared: cut at a word, never so
    # that two items (4.i and 4.ii) read the same.
    room = max(20, (console.width - FIXED_COLUMNS) * 3 // (5 if with_schedule else 3))
    titles = distinct_titles({r.obligation.key: r.obligation.headline for r in report.rows}, room)
    rows = []
    for row in report.rows:
        words, style = STATE_CELLS[row.state]
        cells = [
            Cell(words, style),
            Cell(safe_text(row.obligation.number)),
            Cell(safe_text(titles[row.obligation.key])),
            Cell(due_phrase(row, options.today)),
            Cell(days_phrase(row)),
        ]
        if with_schedule:
            cells.append(Cell(safe_text(row.obligation.schedule_text or row.rule)))
        rows.append(cells)
    print_table(console, columns, rows)
    if any(len(row.dues) > 1 for row in report.rows):
        console.print(text("Due +N: N more deadlines of the same item, in the same state."))


def render_markdown(report: StatusReport, options: Options) -> str:
    """The same as the table, as Markdown: plan and user text escaped (cells as well)."""
    plan = report.plan
    lines = [
        md_heading(f"# {md_inline(plan.label)}"),
        "",
        *([plan_ended_phrase(report), ""] if plan_ended_phrase(report) else []),
        f"Today: {today_phrase(options)} · due soon = within {options.within} days",
        "",
    ]
    if owner := owner_phrase(report, md_inline):
        lines += [owner, ""]
    lines += [meeting_phrase(report, md_inline), "", report_counts_phrase(report), ""]
    if not report.rows:
        lines.append("Nothing overdue or due soon.")
    else:
        lines += [
            "| State | ID | Obligation | Due | Late/left | Schedule |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {row.label} | {md_cell(row.obligation.number)} | "
            f"{md_cell(row.obligation.readable_title)} | {all_dues_phrase(row, options.today)} | "
            f"{days_phrase(row)} | {md_cell(row.obligation.schedule_text or row.rule)} |"
            for row in report.rows
        ]
    return safe_text("\n".join(lines) + "\n")


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
    """The report for scripts; its text as the table shows it (through safe_text)."""
    document = report_json(report, options)
    text = pretty(document)
    if may_hold_controls(text):  # rare (the store's gate cleaned its text): walk it then
        text = pretty(safe_tree(document))
    return json_safe(text) + "\n"


# -- the command ---------------------------------------------------------------------


class StatusFormat(StrEnum):
    TABLE = "table"
    MARKDOWN = "markdown"
    JSON = "json"


def _arguments(parser: argparse.ArgumentParser, common: Common) -> None:
    common(parser)
    parser.add_argument("--format", choices=values(StatusFormat), default=StatusFormat.TABLE.value)
    whose = parser.add_mutually_exclusive_group()
    whose.add_argument(
        "--owner",
        metavar="NAME",
        help=f"only this owner's items (default: env {OWNER_VARIABLE}; '' for everyone's)",
    )
    whose.add_argument(
        "--all", action="store_true", help=f"everyone's items, even when {OWNER_VARIABLE} is set"
    )
    add_fail_on_overdue(parser)


def owner_filter(option: str | None, everyone: bool) -> str | None:
    """Whose items ``status`` shows: ``--owner``, else ``CICTE_OWNER``; None for everyone's.

    ``--all`` or an empty name (``--owner ''``) shows everyone's, whatever the variable says.
    """
    if everyone:
        return None
    name = option if option is not None else os.environ.get(OWNER_VARIABLE, "")
    return " ".join(name.split()) or None


def run(arguments: argparse.Namespace, options: Options) -> int:
    output_format = StatusFormat(arguments.format)
    owner = owner_filter(arguments.owner, arguments.all)
    with options.open_tracker(read_only=True) as tracker:
        report = status_report(tracker, tracker.plan, tracker.meetings, options.outlook, owner)
        report = replace(report, next_plan=tracker.plan.year + 1 in tracker.plans)
    if output_format is StatusFormat.JSON:
        sys.stdout.write(render_json(report, options))
    elif output_format is StatusFormat.MARKDOWN:
        sys.stdout.write(render_markdown(report, options))
    else:
        render_table(report, options, piped_console(plain=no_color(arguments.no_color)))
    return EXIT_OVERDUE if arguments.fail_on_overdue and report.counts.overdue else EXIT_OK


COMMAND = Command(
    CommandName.STATUS,
    "the next meeting, counts and overdue / due-soon items as of today",
    _arguments,
    run,
)
