"""Shell completion for ``cicte-tui``, generated from its parser by shtab (no Textual)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Literal, get_args

from tui.cli.command import CommandName, Common, ManualCommand
from tui.cli.exit_codes import EXIT_OK

Shell = Literal["bash", "zsh"]
SHELLS: tuple[Shell, ...] = get_args(Shell)
"""The shells ``cicte-tui completion`` writes a script for."""

PATH_METAVARS = frozenset({"PATH", "FILE", "BACKUP"})
"""Arguments whose value is a file name: the shell offers files for them."""


def completion_script(parser: argparse.ArgumentParser, shell: Shell) -> str:
    """The completion script for ``shell``, for every command and option ``parser`` knows."""
    import shtab

    for action in _actions(parser):
        if action.metavar in PATH_METAVARS:
            action.complete = shtab.FILE  # type: ignore[attr-defined]
    return shtab.complete(parser, shell=shell)


def _actions(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    """Every argument of the parser and of its commands, however deeply nested."""
    for action in parser._actions:
        yield action
        if isinstance(action, argparse._SubParsersAction):
            for command in dict.fromkeys(action.choices.values()):  # aliases share a parser
                yield from _actions(command)


def _arguments(parser: argparse.ArgumentParser, common: Common) -> None:
    parser.add_argument("shell", metavar="SHELL", choices=SHELLS, help=" or ".join(SHELLS))


def run(arguments: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    sys.stdout.write(completion_script(parser, arguments.shell))
    return EXIT_OK


COMMAND = ManualCommand(
    CommandName.COMPLETION,
    "print the shell completion script for bash or zsh",
    _arguments,
    run,
    description="Print the completion script for SHELL on standard output; "
    "the README says where to put it.",
)
