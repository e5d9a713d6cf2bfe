"""`cicte-tui plan new | list | set`: the plan years a tracker holds (no Textual here)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tui.cli.command import Command, CommandName, Common, ListFormat, values
from tui.cli.exit_codes import EXIT_OK, EXIT_USAGE, fail
from tui.cli.options import Options

if TYPE_CHECKING:
    from store.model import Session
    from store.repository import Tracker

MEETING = re.compile(r"([a-z0-9][a-z0-9-]*)=(\S+?)(?:\.\.(\S+))?")
"""``cicte-session=2009-03-04..2009-03-06`` (one day: ``oas-ga=2009-06-02``)."""


class PlanAction(StrEnum):
    NEW = "new"
    LIST = "list"
    SET = "set"


def _arguments(plan: argparse.ArgumentParser, common: Common) -> None:
    actions = plan.add_subparsers(dest="plan_action", required=True)
    new = actions.add_parser(PlanAction.NEW.value, help="start a plan year from an earlier one")
    new.add_argument("year", metavar="YEAR", type=int)
    new.add_argument("--from", dest="from_year", metavar="YEAR", type=int, required=True)
    new.add_argument(
        "--meeting",
        metavar="SERIES=FIRST..LAST",
        action="append",
        default=[],
        help="a session of the new year, e.g. cicte-session=2009-03-04..2009-03-06 (repeatable)",
    )
    new.add_argument(
        "--yes", action="store_true", help="accept a session longer than 14 days without asking"
    )
    new.add_argument("--symbol", metavar="SYMBOL", default="", help="the new plan's symbol")
    new.add_argument("--title", metavar="TITLE", default="", help="the new plan's title")
    listing = actions.add_parser(PlanAction.LIST.value, help="the plan years with their counts")
    listing.add_argument("--format", choices=values(ListFormat), default=ListFormat.TABLE.value)
    rename = actions.add_parser(PlanAction.SET.value, help="set a plan's symbol or title")
    rename.add_argument("year", metavar="YEAR", type=int)
    rename.add_argument("--symbol", metavar="SYMBOL")
    rename.add_argument("--title", metavar="TITLE")
    for parser in (new, listing, rename):
        common(parser)


def run(arguments: argparse.Namespace, options: Options) -> int:
    from store.plan_years import PlanError

    action = PlanAction(arguments.plan_action)
    try:
        if action is PlanAction.LIST:
            return _list(ListFormat(arguments.format), options)
        if action is PlanAction.SET:
            return _rename(arguments, options)
        return _new(arguments, options)
    except (PlanError, ValueError) as error:
        return fail(EXIT_USAGE, str(error))


def _new(arguments: argparse.Namespace, options: Options) -> int:
    from store.editing import EditError
    from store.plan_years import PlanError, start_plan
    from store.repository import Tracker
    from store.validation import session_warnings

    sessions = [_session(text, arguments.year) for text in arguments.meeting]
    series = [key for key, _ in sessions]
    if twice := sorted({key for key in series if series.count(key) > 1}):
        raise ValueError(f"--meeting: {', '.join(twice)} given twice; a meeting has one session")
    for key, session in sessions:
        warnings = session_warnings(session)
        if warnings and not arguments.yes:  # as `meeting set` does: a script cannot confirm
            raise ValueError(f"--meeting {key}: {'; '.join(warnings)}: add --yes if that is right")
    with Tracker.open(options.db) as tracker:
        try:
            made = start_plan(
                tracker,
                arguments.year,
                arguments.from_year,
                sessions,
                symbol=arguments.symbol,
                title=arguments.title,
            )
        except EditError as error:  # a session the store refuses
            raise PlanError(str(error)) from None
    print(
        f"Started the {made.plan.year} plan ({made.plan.symbol}) from {arguments.from_year}: "
        f"{made.items} items, {len(made.carried)} carried over"
        + (f" ({', '.join(made.carried)})" if made.carried else "")
        + "."
    )
    if made.waiting:
        print(
            f"Waiting for a {made.plan.year} session of: {', '.join(made.waiting)} "
            f"(cicte-tui meeting set SERIES {made.plan.year} --from DATE --to DATE)."
        )
    return EXIT_OK


def _session(text: str, year: int) -> tuple[str, Session]:
    from store.model import Session
    from store.rules import RuleError, parse_iso_date

    match = MEETING.fullmatch(text.strip().lower())
    if match is None:
        raise ValueError(f"--meeting {text!r}: write it as SERIES=FIRST..LAST")
    try:
        first = parse_iso_date(match[2])
        last = parse_iso_date(match[3]) if match[3] else first
    except RuleError as error:
        raise ValueError(f"--meeting {text!r}: {error}") from None
    return match[1], Session(year, first, last)


def _rename(arguments: argparse.Namespace, options: Options) -> int:
    from store.repository import Tracker
    from store.validation import plan_problems

    if arguments.symbol is None and arguments.title is None:
        raise ValueError("plan set: give --symbol or --title")
    with Tracker.open(options.db) as tracker:
        plan = tracker.plans.get(arguments.year)
        if plan is None:
            raise ValueError(f"the tracker holds no {arguments.year} plan")
        renamed = replace(
            plan,
            symbol=_text("--symbol", arguments.symbol, plan.symbol),
            title=_text("--title", arguments.title, plan.title),
        )
        if problems := plan_problems(renamed):
            raise ValueError("; ".join(problems))
        tracker.save_plan(renamed)
    print(f"{renamed.year}: {renamed.symbol} — {renamed.title}")
    return EXIT_OK


def _text(option: str, given: str | None, current: str) -> str:
    from store.text import clean_text

    if given is None:
        return current
    cleaned = clean_text(given)
    if not cleaned:
        raise ValueError(f"{option}: it cannot be empty")
    return cleaned


def _list(output_format: ListFormat, options: Options) -> int:
    from store.repository import Tracker
    from store.text import clean_text, json_safe  # a file's text must not drive the terminal

    with Tracker.open(options.db, read_only=True) as tracker:
        rows = plan_rows(tracker, options)
    if output_format is ListFormat.JSON:
        sys.stdout.write(json_safe(json.dumps(rows, ensure_ascii=False, indent=2)) + "\n")
        return EXIT_OK
    for row in rows:
        mark = "*" if row["current"] else " "
        counts = row["counts"]
        carried = f", {row['carried_over']} carried over" if row["carried_over"] else ""
        sys.stdout.write(
            f"{mark} {row['year']}  {clean_text(row['label'])}\n"
            f"        {counts['total']} items: {counts['overdue']} overdue, "
            f"{counts['due_soon']} due soon, {counts['done']} done{carried}\n"
        )
    return EXIT_OK


def plan_rows(tracker: Tracker, options: Options) -> list[dict[str, Any]]:
    """Each plan with its counts as of *today*; ``current`` marks the one commands use."""
    from store.report import Counts, assess_all

    current = options.plan_year or tracker.year_for(options.today)
    rows = []
    for year, plan in tracker.plans.items():
        obligations = tracker.obligations_of(year).values()
        counts = Counts.of(assess_all(obligations, plan, tracker.meetings, options.outlook))
        rows.append(
            {
                "year": year,
                "symbol": plan.symbol,
                "title": plan.title,
                "label": plan.label,
                "derived_from": plan.derived_from,
                "current": year == current,
                "carried_over": sum(1 for o in obligations if o.carried_from is not None),
                "counts": {
                    "total": counts.total,
                    "overdue": counts.overdue,
                    "due_soon": counts.due_soon,
                    "done": counts.done,
                    "stale": counts.stale,
                },
            }
        )
    return rows


COMMAND = Command(
    CommandName.PLAN,
    "plan years: start next year's, list them, set a symbol or title",
    _arguments,
    run,
)
