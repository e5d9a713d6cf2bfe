"""`cicte-tui report year`: what became of a plan year, as Markdown or CSV.

No Textual here: a one-shot command. It only reads the tracker file (no
lock, never a write) and writes the report to standard output or a file.
"""

from __future__ import annotations

import argparse
from enum import StrEnum
from typing import Any

from tui.cli.command import Command, CommandName, Common, SubParsers, says_usage_errors, values
from tui.cli.exit_codes import EXIT_OK, EXIT_USAGE
from tui.cli.options import Options
from tui.cli.output import write_content

__all__ = ["COMMAND", "EXIT_OK", "EXIT_USAGE", "add_report_parser", "run_report"]


class ReportKind(StrEnum):
    YEAR = "year"


class ReportFormat(StrEnum):
    """As store.formats.year_report.FORMATS, so that parsing does not import the renderer."""

    MARKDOWN = "markdown"
    CSV = "csv"


def _arguments(report: argparse.ArgumentParser, common: Common) -> None:
    kinds = report.add_subparsers(dest="report_kind", required=True, metavar="KIND")
    year = kinds.add_parser(
        ReportKind.YEAR.value,
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
        choices=values(ReportFormat),
        default=ReportFormat.MARKDOWN.value,
        help="markdown (default; renders with pandoc) or csv (a row per deadline and per review)",
    )
    year.add_argument(
        "-o", "--output", metavar="FILE", default="-", help="file to write; - for standard output"
    )
    year.add_argument("--force", action="store_true", help="overwrite an existing file")


@says_usage_errors  # tests run it alone, without the parser
def run_report(arguments: argparse.Namespace, options: Options) -> int:
    """The year report of the plan ``--plan`` names (read-only: no lock, never a write)."""
    from store.formats.year_report import csv_bytes, render_markdown
    from store.year_report import year_report

    with options.open_tracker(read_only=True) as tracker:
        report = year_report(
            tracker, tracker.plan, tracker.meetings, tracker.reference, options.outlook
        )
    if ReportFormat(arguments.format) is ReportFormat.CSV:
        content = csv_bytes(report, excel_marker=arguments.output != "-")
    else:
        content = render_markdown(report).encode("utf-8")
    what = f"the {report.plan.year} year report"
    write_content(arguments.output, content, force=arguments.force, protect=options.db, what=what)
    return EXIT_OK


COMMAND = Command(CommandName.REPORT, "reports on a plan: 'report year'", _arguments, run_report)


def add_report_parser(commands: SubParsers[Any], common: Common) -> None:
    """The ``report`` command alone on a parser of one's own (tests wire it so)."""
    COMMAND.add_to(commands, common)
