"""`cicte-tui report year`: what became of a plan year, as Markdown or CSV.

No Textual here: a one-shot command. It only reads the tracker file (no
lock, never a write) and writes the report to standard output or a file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui.cli.exit_codes import EXIT_OK, EXIT_USAGE, fail
from tui.cli.options import OptionError, Options

if TYPE_CHECKING:
    from store.repository import Tracker

REPORT_COMMANDS = ("report",)
REPORT_FORMATS = ("markdown", "csv")
"""As store.formats.year_report.FORMATS, so that parsing does not import the renderer."""


def add_report_parser(
    commands: argparse._SubParsersAction[Any],
    common: Callable[[argparse.ArgumentParser], None],
) -> None:
    report = commands.add_parser("report", help="reports on a plan: 'report year'")
    kinds = report.add_subparsers(dest="report_kind", required=True, metavar="KIND")
    year = kinds.add_parser(
        "year",
        help="each deadline of the plan year done, missed or open; reviews; counts by sector",
        description=(
            "What became of a plan year: each deadline done (with its evidence), missed "
            "or still open; items tracked by review with their last review and latest "
            "note; items carried in; counts per group and sector. States are taken the "
            "day after the plan year ends, or today when that comes first."
        ),
    )
    common(year)  # --db, --today, --plan…
    year.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default="markdown",
        help="markdown (default; renders with pandoc) or csv (a row per deadline and per review)",
    )
    year.add_argument(
        "-o", "--output", metavar="FILE", default="-", help="file to write; - for standard output"
    )
    year.add_argument("--force", action="store_true", help="overwrite an existing file")


def run_report(arguments: argparse.Namespace, options: Options) -> int:
    from store.formats.export import OutputError, write_output
    from store.formats.year_report import csv_bytes, render_markdown
    from store.year_report import year_report

    try:
        with _open(options) as tracker:
            report = year_report(
                tracker, tracker.plan, tracker.meetings, tracker.reference, options.outlook
            )
    except OptionError as error:  # --plan naming a year the tracker does not hold
        return fail(EXIT_USAGE, str(error))
    to_file = arguments.output != "-"
    if arguments.format == "csv":
        content = csv_bytes(report, excel_marker=to_file)
    else:
        content = render_markdown(report).encode("utf-8")
    try:
        written = write_output(arguments.output, content, force=arguments.force, protect=options.db)
    except OutputError as error:
        return fail(EXIT_USAGE, str(error))
    if written is not None:  # on stderr: standard output only ever carries the report
        print(f"cicte-tui: wrote the {report.plan.year} year report to {written}", file=sys.stderr)
    return EXIT_OK


def _open(options: Options) -> Tracker:
    """The tracker, read-only (no lock, never a write), on the plan ``--plan`` names."""
    return options.open_tracker(read_only=True)
