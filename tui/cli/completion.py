"""Shell completion for ``cicte-tui``, generated from its parser by shtab (no Textual)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

SHELLS = ("bash", "zsh")
"""The shells ``cicte-tui completion`` writes a script for."""

PATH_METAVARS = frozenset({"PATH", "FILE", "BACKUP"})
"""Arguments whose value is a file name: the shell offers files for them."""


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
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
