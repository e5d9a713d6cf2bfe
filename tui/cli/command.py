"""What a one-shot command is: a name, its arguments and what it runs, declared together.

Each command module declares its :class:`Command` (or a few); the parser adds
them in the order of its list and runs the one named on the command line. No
Textual here, and nothing imported at module level that a command does not
always need: the parser imports every command module.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tui.cli.exit_codes import EXIT_OVERDUE, EXIT_USAGE, fail
from tui.cli.options import OptionError, Options


class CommandName(StrEnum):
    """Every top-level command of ``cicte-tui``, in the order ``--help`` lists them."""

    STATUS = "status"
    BRIEF = "brief"
    EXPORT = "export"
    IMPORT = "import"
    DONE = "done"
    UNDONE = "undone"
    NOTE = "note"
    SET = "set"
    REVIEW = "review"
    MEETING = "meeting"
    SHOW = "show"
    PLAN = "plan"
    REPORT = "report"
    RESTORE = "restore"
    COMPLETION = "completion"
    MAN = "man"


class CommandError(ValueError):
    """Bad input to a command (an unknown id, a file it may not write…): the parser says the
    message in one line and exits 2."""


Common = Callable[[argparse.ArgumentParser], None]
"""Adds the options every command shares (--db, --today, --plan…) to one parser."""

Arguments = Callable[[argparse.ArgumentParser, Common], None]
"""Adds a command's own arguments to its parser, and the common options where they belong
(on the parser itself, or on each of its actions: ``plan new``, ``plan list``…)."""

Run = Callable[[argparse.Namespace, Options], int]
"""Runs a command on what was typed and the resolved options; returns the exit code."""

ManualRun = Callable[[argparse.Namespace, argparse.ArgumentParser], int]
"""Runs a command that documents the parser itself (no tracker, no options to resolve)."""

SubParsers = argparse._SubParsersAction  # what add_subparsers returns (argparse has no public name)


def says_usage_errors(run: Run) -> Run:
    """``run``, saying bad input in one line (exit 2) itself, as the parser would: for a
    command that is also run on its own, without the parser's dispatch."""

    @functools.wraps(run)
    def guarded(arguments: argparse.Namespace, options: Options) -> int:
        try:
            return run(arguments, options)
        except (CommandError, OptionError) as error:
            return fail(EXIT_USAGE, str(error))

    return guarded


def no_arguments(parser: argparse.ArgumentParser, common: Common) -> None:
    """A command with no argument and no common option of its own (``man``)."""


class _Declared:
    """What every command declares: how the parser shows it and reads its arguments."""

    name: CommandName
    help: str
    """The line in ``cicte-tui --help``."""
    arguments: Arguments
    description: str | None
    """The paragraph of ``cicte-tui NAME --help`` (None: none)."""

    def add_to(self, commands: SubParsers[Any], common: Common) -> argparse.ArgumentParser:
        """The command's parser, added to ``commands``, with all its arguments."""
        parser: argparse.ArgumentParser = commands.add_parser(
            self.name.value, help=self.help, description=self.description
        )
        self.arguments(parser, common)
        return parser


@dataclass(frozen=True)
class Command(_Declared):
    """A command on the tracker: run with the options resolved (the file, *today*…)."""

    name: CommandName
    help: str
    arguments: Arguments
    run: Run
    description: str | None = None


@dataclass(frozen=True)
class ManualCommand(_Declared):
    """A command that documents ``cicte-tui`` itself from its parser: completion, man."""

    name: CommandName
    help: str
    arguments: Arguments
    run: ManualRun
    description: str | None = None


Declared = Command | ManualCommand


class ListFormat(StrEnum):
    """How ``meeting list`` and ``plan list`` print: lines for a person, or JSON."""

    TABLE = "table"
    JSON = "json"


def values(choices: Iterable[StrEnum]) -> tuple[str, ...]:
    """An enum's values as argparse ``choices``: plain strings, so that help and errors
    show them as words (``'json'``), not as enum members."""
    return tuple(choice.value for choice in choices)


def add_output(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """``-o/--output FILE`` and ``--force``: where a command writes its content."""
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        required=required,
        default="-",
        help="file to write; - for standard output" + ("" if required else " (default)"),
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")


def add_fail_on_overdue(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fail-on-overdue",
        action="store_true",
        help=f"exit {EXIT_OVERDUE} when anything is overdue (for scripts)",
    )
