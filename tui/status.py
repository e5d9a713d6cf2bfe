"""`cicte-tui status`: the quick check before a meeting, as a table, Markdown or JSON.

The JSON shape is a documented interface for scripts (see README): keep it
stable and only ever add keys.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from store.describe import short_date
from store.report import Counts, StatusReport, UrgentRow
from store.schedule import OccurrenceState
from tui.options import Options

if TYPE_CHECKING:
    from rich.console import Console  # only the table format needs Rich; JSON skips it

COUNT_LABELS = (
    ("overdue", "overdue"),
    ("due_soon", "due soon"),
    ("stale", "stale"),
    ("recurring", "recurring"),
    ("done", "done"),
    ("waiting", "waiting for event date"),
    ("lapsed", "ended before plan year"),
)


def days_phrase(row: UrgentRow) -> str:
    if row.days < 0:
        return f"{-row.days} d late"
    if row.days == 0:
        return "due today"
    return f"{row.days} d left"


def today_phrase(options: Options) -> str:
    suffix = f" (set by {options.today_source})" if options.today_is_set else ""
    return f"{short_date(options.today)}{suffix}"


def counts_phrase(counts: Counts) -> str:
    parts = [f"{getattr(counts, field)} {label}" for field, label in COUNT_LABELS]
    return f"{counts.total} obligations: " + ", ".join(parts)


def render_table(report: StatusReport, options: Options, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    plan = report.plan
    console.print(Text(f"{plan.symbol} — {plan.title}", style="bold"))
    console.print(Text(f"Today: {today_phrase(options)} · due soon = within {options.within} days"))
    console.print(Text(counts_phrase(report.counts)))
    if not report.rows:
        console.print(Text("Nothing overdue or due soon.", style="green"))
        return
    # One line per row: long French texts are cut with an ellipsis to fit.
    table = Table(show_lines=False, header_style="bold", expand=True)
    table.add_column("State", no_wrap=True)
    table.add_column("ID", no_wrap=True)
    table.add_column("Obligation", ratio=3, no_wrap=True, overflow="ellipsis")
    table.add_column("Due", no_wrap=True)
    table.add_column("Late/left", no_wrap=True)
    table.add_column("Schedule", ratio=2, no_wrap=True, overflow="ellipsis")
    for row in report.rows:
        overdue = row.state is OccurrenceState.OVERDUE
        state = Text(
            "! OVERDUE" if overdue else "~ due soon", style="bold red" if overdue else "yellow"
        )
        table.add_row(
            state,
            Text(row.obligation.number),
            Text(row.obligation.short_title),
            Text(row.due.isoformat()),
            Text(days_phrase(row)),
            Text(row.obligation.schedule_text or row.rule),
        )
    console.print(table)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_markdown(report: StatusReport, options: Options) -> str:
    plan = report.plan
    lines = [
        f"# {_cell(plan.symbol)} — {_cell(plan.title)}",
        "",
        f"Today: {today_phrase(options)} · due soon = within {options.within} days",
        "",
        counts_phrase(report.counts),
        "",
    ]
    if not report.rows:
        lines.append("Nothing overdue or due soon.")
    else:
        lines += [
            "| State | ID | Obligation | Due | Late/left | Schedule |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {row.state.value} | {_cell(row.obligation.number)} | "
            f"{_cell(row.obligation.short_title)} | {row.due.isoformat()} | {days_phrase(row)} | "
            f"{_cell(row.obligation.schedule_text or row.rule)} |"
            for row in report.rows
        ]
    return "\n".join(lines) + "\n"


def report_json(report: StatusReport, options: Options) -> dict[str, Any]:
    plan = report.plan
    return {
        "plan": {"symbol": plan.symbol, "title": plan.title, "year": plan.year},
        "today": options.today.isoformat(),
        "today_source": options.today_source,
        "within_days": options.within,
        "review_days": options.review_days,
        "counts": {"total": report.counts.total}
        | {field: getattr(report.counts, field) for field, _ in COUNT_LABELS},
        "items": [
            {
                "id": row.obligation.number,
                "key": row.obligation.key,
                "state": row.state.value,
                "due": row.due.isoformat(),
                "days": row.days,
                "text": row.obligation.short_title,
                "schedule": row.obligation.schedule_text,
                "rule": row.rule,
            }
            for row in report.rows
        ],
    }


def render_json(report: StatusReport, options: Options) -> str:
    return json.dumps(report_json(report, options), ensure_ascii=False, indent=2) + "\n"
