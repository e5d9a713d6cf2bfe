"""The `cicte-tui` command line: the parser, and the dispatch to the command named.

Each command is declared once in its own module (its arguments and its run,
see :mod:`tui.cli.command`); this module lists them, adds the options they
share and runs the one typed, turning failures into one line and an exit code.
No Textual here: the entry point (:mod:`tui.launch`) hands in the app.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from store.storage import StoreError, StoreLocked
from tui.cli import (
    brief,
    completion,
    edit,
    export,
    importing,
    manpage,
    meetings,
    plans,
    report,
    restore,
    show,
    status,
)
from tui.cli.command import CommandError, CommandName, Declared, ManualCommand, Run
from tui.cli.exit_codes import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_OVERDUE,
    EXIT_STORE,
    EXIT_USAGE,
    fail,
    one_line,
)
from tui.cli.options import NO_COLOR_VARIABLE, OptionError, resolve
from tui.cli.output import ClosedOutput, WatchedOutput, silence_stdout

__all__ = ["EXIT_LOCKED", "EXIT_OK", "EXIT_OVERDUE", "EXIT_STORE", "EXIT_USAGE", "main"]

COMMANDS: tuple[Declared, ...] = (
    status.COMMAND,
    brief.COMMAND,
    export.COMMAND,
    importing.COMMAND,
    *edit.COMMANDS,
    meetings.COMMAND,
    show.COMMAND,
    plans.COMMAND,
    report.COMMAND,
    restore.COMMAND,
    completion.COMMAND,
    manpage.COMMAND,
)
"""Every command, in the order ``cicte-tui --help`` lists them."""

BY_NAME: dict[CommandName, Declared] = {command.name: command for command in COMMANDS}


class _Parser(argparse.ArgumentParser):
    """Argument errors as one line and exit 2, no usage dump."""

    def error(self, message: str) -> NoReturn:
        # One line, whatever was typed (a value with a line break or an escape in it).
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)}\n")


class _VersionAction(argparse.Action):
    """``--version``: the installed package's version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(
            option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0, help=help
        )

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> NoReturn:
        print(f"{parser.prog} {manpage.package_version()}")
        parser.exit(EXIT_OK)


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The options every command takes, before the command or after it (``suppress``: a
    command's copy does not overwrite what was given before the command)."""
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
        "--plan",
        metavar="YEAR",
        type=int,
        default=default,
        help="the plan year to work on (default: the one holding today, else the latest before)",
    )
    parser.add_argument(
        "--review-days",
        metavar="DAYS",
        type=int,
        default=default,
        help="a continuous item not reviewed for this long is stale (default 90)",
    )
    parser.add_argument(
        "--no-color",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help=f"no colour: plain text, a monochrome app (as env {NO_COLOR_VARIABLE})",
    )


def _common_of_a_command(parser: argparse.ArgumentParser) -> None:
    _common(parser, suppress=True)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cicte-tui",
        description="Track the CICTE work plan: what is overdue, what recurs, what is due next. "
        "Without a command, cicte-tui opens the app (it needs a terminal); each command "
        "does one thing and exits.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    _common(parser, suppress=False)
    commands = parser.add_subparsers(
        title="commands",
        dest="command",
        metavar="COMMAND",
        parser_class=_Parser,
    )
    for command in COMMANDS:
        command.add_to(commands, _common_of_a_command)
    return parser


NO_APP = "give a command (see 'cicte-tui --help'): the app is not available here"


def main(argv: Sequence[str] | None = None, *, open_app: Run | None = None) -> int:
    """``cicte-tui ARGV``: the command named, or ``open_app`` when none is (the entry point,
    :mod:`tui.launch`, hands it the app; this package never imports Textual)."""
    parser = build_parser()
    # Started with standard output closed (`cicte-tui status >&-`): every write fails.
    stdout = WatchedOutput(sys.stdout if sys.stdout is not None else ClosedOutput())
    sys.stdout = stdout  # a stand-in with the same writes (it passes the rest through)
    try:
        arguments = _parse(parser, argv, stdout)
        code = _run(arguments, parser, open_app)
        sys.stdout.flush()
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `cicte-tui status | head`: the reader left; that is not an error.
        silence_stdout()
        return EXIT_OK
    except OSError as error:
        if stdout.failure is None:
            return _internal_error(error)
        silence_stdout()
        failure = stdout.failure
        return fail(EXIT_OUTPUT, f"cannot write to standard output: {failure.strerror or failure}")
    except Exception as error:  # noqa: BLE001 - a log file, never a traceback on screen
        return _internal_error(error)
    finally:
        sys.stdout = stdout.stream
    return code


def _parse(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None, stdout: WatchedOutput
) -> argparse.Namespace:
    """The arguments. What --help or --version printed is flushed before they exit, so that
    a full standard output is said in one line like any other failed write (argparse itself
    ignores a failed write of its help)."""
    try:
        return parser.parse_args(argv)
    except SystemExit:
        stdout.flush()
        if stdout.failure is not None:
            raise stdout.failure from None
        raise


def _run(
    arguments: argparse.Namespace, parser: argparse.ArgumentParser, open_app: Run | None
) -> int:
    """The command named (no command: the app), and its failures as one line each."""
    command = None if arguments.command is None else BY_NAME[CommandName(arguments.command)]
    if isinstance(command, ManualCommand):  # it documents the parser: no tracker, no options
        return command.run(arguments, parser)
    try:
        options = resolve(
            arguments.db, arguments.today, arguments.within, arguments.review_days, arguments.plan
        )
        if command is not None:
            return command.run(arguments, options)
        if open_app is None:
            return fail(EXIT_USAGE, NO_APP)
        return open_app(arguments, options)
    except (OptionError, CommandError) as error:  # bad input, or --plan naming a missing year
        return fail(EXIT_USAGE, str(error))
    except StoreLocked as error:
        return fail(EXIT_LOCKED, str(error))
    except StoreError as error:
        return fail(EXIT_STORE, str(error))


def _internal_error(error: BaseException) -> int:
    from tui.crash import crash_message, write_crash_log

    return fail(EXIT_INTERNAL, crash_message(write_crash_log(error), in_app=False))
