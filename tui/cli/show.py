"""`cicte-tui show ID`: one obligation with every occurrence of its plan year, as text or JSON.

Read-only (no lock). The JSON shape is a documented interface for scripts (see README).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tui.cli.command import Command, CommandName, Common, values
from tui.cli.exit_codes import EXIT_OK
from tui.cli.lookup import edit_errors_are_usage, find_obligation, terminal_text
from tui.cli.options import Options

if TYPE_CHECKING:
    from collections.abc import Iterable

    from store.model import Evidence, Note
    from store.repository import Tracker
    from store.schedule import Assessment


class ShowFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def _arguments(parser: argparse.ArgumentParser, common: Common) -> None:
    parser.add_argument("id", metavar="ID")
    parser.add_argument("--format", choices=values(ShowFormat), default=ShowFormat.TEXT.value)
    common(parser)


@edit_errors_are_usage
def run(arguments: argparse.Namespace, options: Options) -> int:
    from store.schedule import assess
    from store.text import json_safe  # C1 and bidi characters as \u escapes

    with options.open_tracker(read_only=True) as tracker:
        obligation = find_obligation(tracker, arguments.id)
        assessment = assess(obligation, tracker.plan, tracker.meetings, options.outlook)
        shown = show_json(assessment, tracker)
    if ShowFormat(arguments.format) is ShowFormat.JSON:
        sys.stdout.write(json_safe(json.dumps(shown, ensure_ascii=False, indent=2)) + "\n")
    else:
        sys.stdout.write(show_text(shown))
    return EXIT_OK


def show_json(assessment: Assessment, tracker: Tracker) -> dict[str, Any]:
    """An obligation and every occurrence of its plan year, for scripts (see README)."""
    from store.describe import describe_schedule
    from store.schedule import parsed_rules

    obligation = assessment.obligation
    carried = obligation.carried_from
    earlier = tracker.obligations_of(carried).get(obligation.key) if carried else None
    return {
        "id": obligation.number,
        "key": obligation.key,
        "plan_year": tracker.plan.year,
        "text": obligation.title or obligation.text,
        "schedule": obligation.schedule_text,
        "rule": " + ".join(obligation.rules),
        "rule_words": describe_schedule(
            parsed_rules(obligation.rules), tracker.meetings, tracker.plan.year
        ),
        "state": assessment.state.value,
        "status": obligation.status.value,
        "owner": obligation.owner,
        "last_reviewed": _iso(obligation.last_reviewed),
        "carried_from": obligation.carried_from,
        "notes": _notes(obligation.notes),
        "earlier_notes": _notes(earlier.notes) if earlier is not None else [],
        "occurrences": [
            {
                "due": _iso(due.due),
                "state": due.state.value,
                "session": due.occurrence.session,
                "assumed": due.occurrence.assumed or None,
                "done_on": _iso(due.done_on),
                "evidence": _evidence(due.completion.evidence) if due.completion else None,
            }
            for due in assessment.occurrences
        ],
        "no_longer_scheduled": [
            {
                "due": _iso(c.due),
                "done_on": c.done_on.isoformat(),
                "evidence": _evidence(c.evidence),
            }
            for c in assessment.history
        ],
    }


def _notes(notes: Iterable[Note]) -> list[dict[str, str]]:
    return [{"at": n.at.isoformat(timespec="minutes"), "text": n.text} for n in notes]


def _evidence(evidence: Evidence) -> dict[str, str]:
    return {"document": evidence.document, "link": evidence.link, "outcome": evidence.outcome}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def show_text(shown: dict[str, Any]) -> str:
    """The same as the JSON, for a person: a line per occurrence, then the notes."""
    lines = [
        f"{shown['id']} ({shown['key']}) — {shown['state']}",
        terminal_text(shown["text"]),
        f"Printed schedule: {terminal_text(shown['schedule']) or '(none)'}",
        f"Rule: {shown['rule']} — {terminal_text(shown['rule_words'])}",
        f"Status: {shown['status']}   owner: {terminal_text(shown['owner']) or '—'}",
        f"Occurrences ({shown['plan_year']} plan):",
    ]
    for occurrence in shown["occurrences"]:
        line = f"  {occurrence['due'] or 'no date yet'}  {occurrence['state']}"
        if occurrence["session"]:
            line += f"  [{occurrence['session']}]"
        if occurrence["done_on"]:
            line += f"  done on {occurrence['done_on']}"
        evidence = occurrence["evidence"] or {}
        line += "".join(f"  {terminal_text(value)}" for value in evidence.values() if value)
        if occurrence["assumed"]:
            line += f"  (assumed: {occurrence['assumed']})"
        lines.append(line)
    if not shown["occurrences"]:
        lines.append("  none: it never falls due")
    for old in shown["no_longer_scheduled"]:
        lines.append(f"  {old['due']}  done on {old['done_on']} (no longer scheduled)")
    if shown["carried_from"]:
        year = shown["carried_from"]
        lines.append(f"Carried over from {year}: still open at the end of the {year} plan.")
    for heading, notes in (
        ("Notes", shown["notes"]),
        ("Notes in the earlier plan", shown["earlier_notes"]),
    ):
        if notes:
            lines.append(f"{heading}:")
            lines += [
                f"  {note['at'].replace('T', ' ')}  {terminal_text(note['text'])}" for note in notes
            ]
    return "\n".join(lines) + "\n"


COMMAND = Command(
    CommandName.SHOW, "one obligation with every occurrence of the year", _arguments, run
)
