"""The ``cicte-tui(1)`` manual page, generated from the parser by argparse-manpage (no Textual)."""

from __future__ import annotations

import argparse
import ast
import inspect
import sys

from tui.cli import exit_codes
from tui.cli.command import CommandName, ManualCommand, no_arguments

ENVIRONMENT = {
    "CICTE_DB": "the tracker file, when --db is not given",
    "CICTE_TODAY": "the day to review as of (YYYY-MM-DD), when --today is not given",
    "CICTE_OWNER": "whose items status shows by default; --all or --owner '' for everyone's",
    "NO_COLOR": "when set and not empty, no colour: the same as --no-color",
}
"""The variables cicte-tui reads, for the ENVIRONMENT section."""

FILES = (
    "One JSON file, by default tracker.json in the user data folder "
    "(~/.local/share/cicte-tui/ on Linux), with its lock (tracker.json.lock) and the newest "
    "five backups (tracker.json.YYYYMMDD-HHMMSS.bak) beside it. Crash logs go to the user "
    "state folder (~/.local/state/cicte-tui/log/ on Linux)."
)


def man_page(parser: argparse.ArgumentParser, version: str) -> str:
    """The manual page in roff, as ``man -l`` reads it: every command and option of ``parser``,
    then the exit statuses, the environment and the files."""
    from argparse_manpage.manpage import Manpage

    page = Manpage(parser, format="single-commands-section")
    page.source = f"{parser.prog} {version}"
    page.manual = "User Commands"
    page.description = "track the CICTE work plan in a terminal"
    page.add_section("exit status", ">", _definitions(exit_statuses()))
    page.add_section("environment", ">", _definitions(ENVIRONMENT))
    page.add_section("files", ">", _roff_text(FILES))
    return str(page)


def exit_statuses() -> dict[int, str]:
    """Each code of :mod:`tui.cli.exit_codes` and the docstring under it (``success`` for 0)."""
    tree = ast.parse(inspect.getsource(exit_codes))
    statuses: dict[int, str] = {}
    body = tree.body
    for statement, following in zip(body, [*body[1:], None], strict=True):
        if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant)):
            continue
        [target] = statement.targets
        if not (isinstance(target, ast.Name) and target.id.startswith("EXIT_")):
            continue
        meaning = "success"
        if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
            meaning = str(following.value.value)
        statuses[getattr(exit_codes, target.id)] = " ".join(meaning.replace("``", "").split())
    return statuses


def _definitions(terms: dict[int, str] | dict[str, str]) -> str:
    return "\n".join(
        f".TP\n.B {_roff_text(str(term))}\n{_roff_text(text)}" for term, text in terms.items()
    )


def _roff_text(text: str) -> str:
    """Plain text for a roff line: backslashes and hyphens escaped, no line read as a request."""
    escaped = text.replace("\\", "\\e").replace("-", "\\-")
    return f"\\&{escaped}" if escaped.startswith((".", "'")) else escaped


def package_version() -> str:
    """The version of the installed cicte-tui distribution (its metadata, not a constant)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cicte-tui")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def run(arguments: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    sys.stdout.write(man_page(parser, package_version()))
    return exit_codes.EXIT_OK


COMMAND = ManualCommand(
    CommandName.MAN,
    "print the manual page (roff) on standard output",
    no_arguments,
    run,
    description="Print the manual page on standard output: read it with "
    "'cicte-tui man | man -l -', or save it as cicte-tui.1 in a man1 folder.",
)
