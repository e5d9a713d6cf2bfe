"""`cicte-tui brief`: the Markdown brief for the next meeting, or for the one ``--event`` names."""

from __future__ import annotations

import argparse

from tui.cli.command import (
    Command,
    CommandError,
    CommandName,
    Common,
    add_fail_on_overdue,
    add_output,
)
from tui.cli.exit_codes import EXIT_OK, EXIT_OVERDUE
from tui.cli.options import Options
from tui.cli.output import write_content


def _arguments(parser: argparse.ArgumentParser, common: Common) -> None:
    common(parser)
    parser.add_argument(
        "--event",
        metavar="KEY[/YEAR]",
        help="meeting series key, e.g. cicte-session or oas-ga (its coming or latest session), "
        "or one session, e.g. cicte-session/2008",
    )
    add_output(parser, required=False)
    add_fail_on_overdue(parser)


def run(arguments: argparse.Namespace, options: Options) -> int:
    from store.brief import BriefError, meeting_brief
    from store.formats.brief import earlier_obligations, render_brief

    with options.open_tracker(read_only=True) as tracker:
        try:
            brief = meeting_brief(
                tracker,
                tracker.plan,
                tracker.meetings,
                tracker.reference,
                options.outlook,
                arguments.event,
                earlier_obligations(tracker),
            )
        except BriefError as error:
            raise CommandError(str(error)) from None
    content = render_brief(brief).encode("utf-8")
    write_content(
        arguments.output, content, force=arguments.force, protect=options.db, what="brief"
    )
    return EXIT_OVERDUE if arguments.fail_on_overdue and brief.overdue else EXIT_OK


COMMAND = Command(
    CommandName.BRIEF, "Markdown brief for the next meeting (or --event)", _arguments, run
)
