"""`cicte-tui export FORMAT`: the tracker as iCalendar, Markdown, CSV or the JSON exchange file."""

from __future__ import annotations

import argparse
from enum import StrEnum

from tui.cli.command import Command, CommandName, Common, add_output, values
from tui.cli.exit_codes import EXIT_OK
from tui.cli.options import Options
from tui.cli.output import write_content


class ExportFormat(StrEnum):
    """As store.formats.export.FORMATS, written out so that parsing the command line does not
    import the exporters (and icalendar); a test holds the two lists together."""

    ICS = "ics"
    MARKDOWN = "markdown"
    CSV = "csv"
    JSON = "json"


EXPORT_FORMATS = values(ExportFormat)


def _arguments(parser: argparse.ArgumentParser, common: Common) -> None:
    common(parser)
    parser.add_argument("format", choices=EXPORT_FORMATS)
    add_output(parser, required=True)


def run(arguments: argparse.Namespace, options: Options) -> int:
    from store.formats.export import export_bytes

    kind = ExportFormat(arguments.format)
    to_file = arguments.output != "-"
    with options.open_tracker(read_only=True) as tracker:
        content = export_bytes(kind.value, tracker, options.outlook, to_file=to_file)
    write_content(
        arguments.output, content, force=arguments.force, protect=options.db, what=kind.value
    )
    return EXIT_OK


COMMAND = Command(
    CommandName.EXPORT, "write the tracker as ics, markdown, csv or json", _arguments, run
)
