"""`cicte-tui meeting list | set`: the meeting series and their sessions (no Textual here)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tui.cli.command import Command, CommandError, CommandName, Common, ListFormat, values
from tui.cli.exit_codes import EXIT_OK
from tui.cli.lookup import edit_errors_are_usage, find_series, parse_day, terminal_text
from tui.cli.options import Options

if TYPE_CHECKING:
    from store.model import MeetingSeries


class MeetingAction(StrEnum):
    LIST = "list"
    SET = "set"


def _arguments(parser: argparse.ArgumentParser, common: Common) -> None:
    actions = parser.add_subparsers(dest="meeting_action", required=True)
    listing = actions.add_parser(MeetingAction.LIST.value, help="meeting series and their sessions")
    listing.add_argument("--format", choices=values(ListFormat), default=ListFormat.TABLE.value)
    setting = actions.add_parser(
        MeetingAction.SET.value, help="add or change the session of a year"
    )
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
    common(listing)
    common(setting)


@edit_errors_are_usage
def run(arguments: argparse.Namespace, options: Options) -> int:
    if MeetingAction(arguments.meeting_action) is MeetingAction.LIST:
        return _list(ListFormat(arguments.format), options)
    return _set(arguments, options)


def _set(arguments: argparse.Namespace, options: Options) -> int:
    """Add or change one session; takes the writer lock, through the editor."""
    from store.editing import Editor
    from store.model import Session
    from store.validation import session_warnings

    with options.open_tracker() as tracker:
        editor = Editor(tracker)
        series = find_series(tracker, arguments.series)
        first = parse_day("--from", arguments.first)
        last = parse_day("--to", arguments.last) or first
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
    print(f"{series.key} {arguments.year}: {change.summary}")
    return EXIT_OK


def _list(output_format: ListFormat, options: Options) -> int:
    """Read-only: no lock."""
    from store.editing import anchored_to
    from store.text import json_safe  # C1 and bidi characters as \u escapes

    with options.open_tracker(read_only=True) as tracker:
        rows = [
            (series, len(anchored_to(tracker, series.key))) for series in tracker.meetings.values()
        ]
    if output_format is ListFormat.JSON:
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
    lines = [f"{series.key}  {terminal_text(series.name)} ({count}{along})\n"]
    for session in series.sessions:
        parts = [session_dates(session), session.title, session.place, session.document]
        lines.append(
            f"  {session.year}  " + " · ".join(terminal_text(p) for p in parts if p) + "\n"
        )
    if not series.sessions:
        lines.append("  no session yet\n")
    return "".join(lines)


COMMAND = Command(CommandName.MEETING, "list meetings, or set a session's dates", _arguments, run)
