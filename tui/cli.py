"""The `cicte-tui` command: the app, or a one-shot command such as `status`.

One-shot commands must not import Textual: the app is imported only when
it is about to run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from store.storage import StoreError, StoreLocked
from tui.options import OptionError, Options, resolve

EXIT_OK = 0
EXIT_OVERDUE = 1
EXIT_USAGE = 2
EXIT_STORE = 3
EXIT_LOCKED = 4


class _Parser(argparse.ArgumentParser):
    """Argument errors as one line and exit 2, no usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="tracker file (default: user data folder; env CICTE_DB)",
    )
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        default=default,
        help="review as of this day (env CICTE_TODAY)",
    )
    parser.add_argument(
        "--within",
        metavar="DAYS",
        type=int,
        default=default,
        help="due-soon window in days (default 14)",
    )
    parser.add_argument(
        "--review-days",
        metavar="DAYS",
        type=int,
        default=default,
        help="a continuous item not reviewed for this long is stale (default 90)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cicte-tui",
        description="Track the CICTE work plan: what is overdue, what recurs, what is due next.",
    )
    _common(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    status = commands.add_parser("status", help="counts and overdue / due-soon items as of today")
    _common(status, suppress=True)
    status.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        options = resolve(arguments.db, arguments.today, arguments.within, arguments.review_days)
    except OptionError as error:
        return _fail(EXIT_USAGE, str(error))
    try:
        if arguments.command == "status":
            return run_status(options, arguments.format)
        return run_app(options)
    except StoreLocked as error:
        return _fail(EXIT_LOCKED, str(error))
    except StoreError as error:
        return _fail(EXIT_STORE, str(error))
    except KeyboardInterrupt:
        return 130


def _fail(code: int, message: str) -> int:
    print(f"cicte-tui: {message}", file=sys.stderr)
    return code


def run_status(options: Options, output_format: str) -> int:
    from rich.console import Console

    from store.report import status_report
    from store.repository import Tracker
    from tui.status import render_json, render_markdown, render_table

    with Tracker.open(options.db, read_only=True) as tracker:
        report = status_report(tracker, tracker.plan, tracker.events, options.outlook)
    if output_format == "json":
        sys.stdout.write(render_json(report, options))
    elif output_format == "markdown":
        sys.stdout.write(render_markdown(report, options))
    else:
        render_table(report, options, Console())
    return EXIT_OK


def run_app(options: Options) -> int:
    from tui.app import run

    return run(options)


if __name__ == "__main__":
    sys.exit(main())
