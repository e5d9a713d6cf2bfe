"""Scriptable edits and look-ups: `done`, `undone`, `note`, `set`, `review`, `meeting`, `show`.

No Textual here. Each edit takes the writer lock (exit 4 when another
cicte-tui holds it), goes through the same editor as the app (same
validation, same change log) and prints one line saying what it did.
`set` and `review` take several ids: one grouped edit (one write, a log
entry per item), and an unknown id saves nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from tui.cli.exit_codes import EXIT_OK, EXIT_USAGE, fail
from tui.cli.options import Options

if TYPE_CHECKING:
    from store.editing import Editor
    from store.model import MeetingSeries, Obligation
    from store.repository import Tracker
    from store.schedule import Assessment

EDIT_COMMANDS = ("done", "undone", "note", "set", "review", "meeting", "show")


class CommandError(ValueError):
    """Bad input to a command; the message is for the user (exit 2)."""


def add_edit_parsers(
    commands: argparse._SubParsersAction[Any],
    common: Callable[[argparse.ArgumentParser], None],
) -> None:
    done = commands.add_parser("done", help="mark an occurrence done (the earliest open one)")
    done.add_argument("id", metavar="ID", help="1.iv, II-1.D.1 or a stable key")
    done.add_argument("--on", metavar="DATE", help="the day it was done (default: today)")
    done.add_argument("--occurrence", metavar="DUE_DATE", help="the occurrence due that day")
    done.add_argument("--doc", metavar="SYMBOL", default="", help="document symbol, evidence")
    done.add_argument("--link", metavar="URL", default="", help="a link, evidence")
    done.add_argument("--outcome", metavar="TEXT", default="", help="one line on the outcome")

    undone = commands.add_parser("undone", help="take back the completion of an occurrence")
    undone.add_argument("id", metavar="ID")
    undone.add_argument("--occurrence", metavar="DUE_DATE", required=True)

    note = commands.add_parser("note", help="add a note to an obligation (counts as a review)")
    note.add_argument("id", metavar="ID")
    note.add_argument("text", metavar="TEXT")

    settings = commands.add_parser(
        "set", help="set the status, owner or rule of one obligation or several"
    )
    settings.add_argument("ids", metavar="ID", nargs="+", help="one id or several")
    settings.add_argument("--status", choices=_statuses())
    settings.add_argument("--owner", metavar="NAME")
    settings.add_argument("--rule", metavar="RULE", help="schedule rule(s), joined by ' + '")

    review = commands.add_parser(
        "review", help="mark obligations reviewed today (they are no longer stale)"
    )
    review.add_argument("ids", metavar="ID", nargs="*", help="the items to mark reviewed")
    review.add_argument(
        "--all-stale", action="store_true", help="every item not reviewed within the review period"
    )

    meeting = commands.add_parser("meeting", help="list meetings, or set a session's dates")
    actions = meeting.add_subparsers(dest="meeting_action", required=True)
    listing = actions.add_parser("list", help="meeting series and their sessions")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    setting = actions.add_parser("set", help="add or change the session of a year")
    setting.add_argument("series", metavar="SERIES", help="e.g. cicte-session")
    setting.add_argument("year", metavar="YEAR", type=int)
    setting.add_argument("--from", dest="first", metavar="DATE", required=True)
    setting.add_argument("--to", dest="last", metavar="DATE", help="last day (default: --from)")
    setting.add_argument("--place", metavar="PLACE")
    setting.add_argument("--title", metavar="TITLE", help="e.g. 'Ninth Regular Session'")
    setting.add_argument("--document", metavar="SYMBOL", help="the document that records it")
    setting.add_argument(
        "--yes", action="store_true", help="save a session longer than 14 days without asking"
    )

    show = commands.add_parser("show", help="one obligation with every occurrence of the year")
    show.add_argument("id", metavar="ID")
    show.add_argument("--format", choices=("text", "json"), default="text")

    for parser in (done, undone, note, settings, review, listing, setting, show):
        common(parser)


def _statuses() -> list[str]:
    from store.model import Status

    return [status.value for status in Status]


def run_edit_command(arguments: argparse.Namespace, options: Options) -> int:
    from store.editing import EditError

    try:
        if arguments.command == "show":
            return _show(arguments, options)
        if arguments.command == "meeting" and arguments.meeting_action == "list":
            return _meeting_list(arguments, options)
        return _edit(arguments, options)
    except (CommandError, EditError) as error:
        return fail(EXIT_USAGE, str(error))


# -- edits -------------------------------------------------------------------


def _edit(arguments: argparse.Namespace, options: Options) -> int:
    from store.editing import Editor

    with options.open_tracker() as tracker:
        editor = Editor(tracker)
        if arguments.command == "meeting":
            what, summary = _meeting_set(editor, arguments)
        elif arguments.command == "review":
            print(_review(editor, arguments, options))
            return EXIT_OK
        elif arguments.command == "set" and len(arguments.ids) > 1:
            print(_set_several(editor, arguments, options))
            return EXIT_OK
        else:
            identifier = arguments.ids[0] if arguments.command == "set" else arguments.id
            obligation = _obligation(tracker, identifier)
            what, summary = (
                obligation.number,
                _obligation_edit(editor, obligation, arguments, options),
            )
    print(f"{what}: {summary}")
    return EXIT_OK


def _obligation_edit(
    editor: Editor, obligation: Obligation, arguments: argparse.Namespace, options: Options
) -> str:
    from store.model import Evidence

    today, key = options.today, obligation.key
    if arguments.command == "done":
        evidence = Evidence(arguments.doc, arguments.link, arguments.outcome)
        change = editor.complete(
            key,
            today,
            done_on=_day("--on", arguments.on),
            due=_day("--occurrence", arguments.occurrence),
            evidence=evidence,
        )
    elif arguments.command == "undone":
        due = _day("--occurrence", arguments.occurrence)
        assert due is not None  # required by the parser
        change = editor.uncomplete(key, due)
    elif arguments.command == "note":
        change = editor.add_note(key, arguments.text, today)
    else:
        change = editor.save_obligation(
            _with_settings(editor.tracker, obligation, arguments, today)
        )
    return change.summary


def _with_settings(
    tracker: Tracker, obligation: Obligation, arguments: argparse.Namespace, today: date
) -> Obligation:
    from store.model import Status
    from store.rules import RuleError, format_schedule, parse_schedule
    from store.text import clean_text

    if arguments.status is None and arguments.owner is None and arguments.rule is None:
        raise CommandError("set: give --status, --owner or --rule")
    changed = obligation
    if arguments.status is not None and Status(arguments.status) is not changed.status:
        # A status change counts as a review; the same status again changes nothing.
        changed = replace(changed, status=Status(arguments.status), last_reviewed=today)
    if arguments.owner is not None:
        changed = replace(changed, owner=clean_text(arguments.owner))
    if arguments.rule is not None:
        try:
            rules = parse_schedule(arguments.rule, known_events=tracker.meetings.keys())
        except RuleError as error:
            raise CommandError(f"--rule: {error}") from None
        changed = replace(changed, rules=tuple(format_schedule([r]) for r in rules))
    return changed


def _set_several(editor: Editor, arguments: argparse.Namespace, options: Options) -> str:
    """``set ID ID… --owner NAME``: one grouped edit; items already so are left alone."""
    from store import bulk
    from store.editing import EditError

    tracker = editor.tracker
    obligations = bulk.in_plan_order(_obligation(tracker, i) for i in arguments.ids)
    pairs = [(o, _with_settings(tracker, o, arguments, options.today)) for o in obligations]
    action = bulk.edited(_settings_words(arguments), pairs)
    if not action.targets:
        raise EditError(f"nothing changed: {_numbers(action.unchanged)} already so")
    action.run(editor)
    said = f"{bulk.items(len(action.targets))} set ({action.what}): {_numbers(action.targets)}"
    if action.unchanged:
        said += f"; unchanged: {_numbers(action.unchanged)}"
    return said


def _settings_words(arguments: argparse.Namespace) -> str:
    from store.text import clean_text

    parts = []
    if arguments.status is not None:
        parts.append(f"status: {arguments.status}")
    if arguments.owner is not None:
        parts.append(f"owner: {clean_text(arguments.owner) or '(none)'}")
    if arguments.rule is not None:
        parts.append(f"rule: {clean_text(arguments.rule)}")
    return "; ".join(parts)


def _review(editor: Editor, arguments: argparse.Namespace, options: Options) -> str:
    """``review ID…`` or ``review --all-stale``: reviewed today, in one grouped edit."""
    from store import bulk

    tracker, today = editor.tracker, options.today
    if arguments.all_stale == bool(arguments.ids):
        raise CommandError("review: give the ids to mark reviewed, or --all-stale (not both)")
    if arguments.all_stale:
        obligations = bulk.stale(tracker, options.outlook)
        if not obligations:
            return f"No stale item as of {today.isoformat()}: nothing to review."
    else:
        obligations = [_obligation(tracker, i) for i in arguments.ids]
    action = bulk.review(obligations, today)
    if not action.targets:
        return f"Nothing to review: {_numbers(action.unchanged)} already reviewed on {today}."
    action.run(editor)
    said = f"Reviewed {bulk.items(len(action.targets))} on {today}: {_numbers(action.targets)}"
    if action.unchanged:
        said += f" (already reviewed that day: {_numbers(action.unchanged)})"
    return said


def _numbers(obligations: tuple[Obligation, ...]) -> str:
    return ", ".join(o.number for o in obligations)


def _meeting_set(editor: Editor, arguments: argparse.Namespace) -> tuple[str, str]:
    from store.model import Session
    from store.validation import session_warnings

    series = _series(editor.tracker, arguments.series)
    first = _day("--from", arguments.first)
    last = _day("--to", arguments.last) or first
    old = series.session(arguments.year) or Session(arguments.year)
    session = replace(
        old,
        start=first,
        end=last,
        place=old.place if arguments.place is None else arguments.place,
        title=old.title if arguments.title is None else arguments.title,
        document=old.document if arguments.document is None else arguments.document,
    )
    warnings = session_warnings(session)
    if warnings and not arguments.yes:
        raise CommandError(f"{'; '.join(warnings)}: add --yes if that is right")
    change = editor.save_session(series.key, session)
    return f"{series.key} {arguments.year}", change.summary


def _day(option: str, text: str | None) -> date | None:
    from store.rules import RuleError, parse_iso_date

    if text is None:
        return None
    try:
        return parse_iso_date(text.strip())
    except RuleError as error:
        raise CommandError(f"{option}: {error}") from None


def _obligation(tracker: Tracker, identifier: str) -> Obligation:
    obligation = tracker.find(identifier)
    if obligation is None:
        raise CommandError(
            f"no obligation {identifier!r}; use the plan's numbering (1.iv, II-1.D.1) or a key"
        )
    return obligation


def _series(tracker: Tracker, key: str) -> MeetingSeries:
    if key not in tracker.meetings:
        known = ", ".join(sorted(tracker.meetings)) or "none"
        raise CommandError(f"no meeting {key!r} (known: {known})")
    return tracker.meetings[key]


# -- look-ups (read-only: no lock) -------------------------------------------


def _meeting_list(arguments: argparse.Namespace, options: Options) -> int:
    from store.editing import anchored_to
    from store.text import json_safe  # C1 and bidi characters as \u escapes

    with options.open_tracker(read_only=True) as tracker:
        rows = [
            (series, len(anchored_to(tracker, series.key))) for series in tracker.meetings.values()
        ]
    if arguments.format == "json":
        document = [_series_json(series, count) for series, count in rows]
        sys.stdout.write(json_safe(json.dumps(document, ensure_ascii=False, indent=2)) + "\n")
    else:
        sys.stdout.write("".join(_series_lines(series, count) for series, count in rows))
    return EXIT_OK


def _series_json(series: MeetingSeries, anchored: int) -> dict[str, Any]:
    from store.documents import series_to_doc

    return series_to_doc(series) | {"obligations": anchored}


def _series_lines(series: MeetingSeries, anchored: int) -> str:
    from store.describe import session_dates

    along = f"; alongside {series.alongside}" if series.alongside else ""
    count = f"{anchored} obligation{'' if anchored == 1 else 's'}"
    lines = [f"{series.key}  {_safe(series.name)} ({count}{along})\n"]
    for session in series.sessions:
        parts = [session_dates(session), session.title, session.place, session.document]
        lines.append(f"  {session.year}  " + " · ".join(_safe(p) for p in parts if p) + "\n")
    if not series.sessions:
        lines.append("  no session yet\n")
    return "".join(lines)


def _show(arguments: argparse.Namespace, options: Options) -> int:
    from store.schedule import assess
    from store.text import json_safe  # C1 and bidi characters as \u escapes

    with options.open_tracker(read_only=True) as tracker:
        obligation = _obligation(tracker, arguments.id)
        assessment = assess(obligation, tracker.plan, tracker.meetings, options.outlook)
        shown = show_json(assessment, tracker)
    if arguments.format == "json":
        sys.stdout.write(json_safe(json.dumps(shown, ensure_ascii=False, indent=2)) + "\n")
    else:
        sys.stdout.write(_show_text(shown))
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


def _notes(notes: Any) -> list[dict[str, str]]:
    return [{"at": n.at.isoformat(timespec="minutes"), "text": n.text} for n in notes]


def _evidence(evidence: Any) -> dict[str, str]:
    return {"document": evidence.document, "link": evidence.link, "outcome": evidence.outcome}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _show_text(shown: dict[str, Any]) -> str:
    lines = [
        f"{shown['id']} ({shown['key']}) — {shown['state']}",
        _safe(shown["text"]),
        f"Printed schedule: {_safe(shown['schedule']) or '(none)'}",
        f"Rule: {shown['rule']} — {_safe(shown['rule_words'])}",
        f"Status: {shown['status']}   owner: {_safe(shown['owner']) or '—'}",
        f"Occurrences ({shown['plan_year']} plan):",
    ]
    for occurrence in shown["occurrences"]:
        line = f"  {occurrence['due'] or 'no date yet'}  {occurrence['state']}"
        if occurrence["session"]:
            line += f"  [{occurrence['session']}]"
        if occurrence["done_on"]:
            line += f"  done on {occurrence['done_on']}"
        evidence = occurrence["evidence"] or {}
        line += "".join(f"  {_safe(value)}" for value in evidence.values() if value)
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
            lines += [f"  {note['at'].replace('T', ' ')}  {_safe(note['text'])}" for note in notes]
    return "\n".join(lines) + "\n"


def _safe(text: str) -> str:
    """Plan or user text for a terminal: no control characters or escape sequences."""
    from store.text import clean_text

    return clean_text(text, multiline=True)
