"""What the scriptable edits and look-ups name on the command line: an item, a series, a day.

Each look-up that fails raises :class:`~tui.cli.command.CommandError` with a message for
the user (exit 2).
"""

from __future__ import annotations

import argparse
import functools
from datetime import date
from typing import TYPE_CHECKING

from tui.cli.command import CommandError, Run
from tui.cli.exit_codes import EXIT_USAGE, fail
from tui.cli.options import Options

if TYPE_CHECKING:
    from store.model import MeetingSeries, Obligation
    from store.repository import Tracker


def edit_errors_are_usage(run: Run) -> Run:
    """``run``, with an edit the store refuses said in one line (exit 2), as a bad id is."""

    @functools.wraps(run)
    def guarded(arguments: argparse.Namespace, options: Options) -> int:
        from store.editing import EditError

        try:
            return run(arguments, options)
        except EditError as error:
            return fail(EXIT_USAGE, str(error))

    return guarded


def find_obligation(tracker: Tracker, identifier: str) -> Obligation:
    obligation = tracker.find(identifier)
    if obligation is None:
        raise CommandError(
            f"no obligation {identifier!r}; use the plan's numbering (1.iv, II-1.D.1) or a key"
        )
    return obligation


def find_series(tracker: Tracker, key: str) -> MeetingSeries:
    if key not in tracker.meetings:
        known = ", ".join(sorted(tracker.meetings)) or "none"
        raise CommandError(f"no meeting {key!r} (known: {known})")
    return tracker.meetings[key]


def parse_day(option: str, text: str | None) -> date | None:
    """The day an option gives (YYYY-MM-DD); None when it was not given."""
    from store.rules import RuleError, parse_iso_date

    if text is None:
        return None
    try:
        return parse_iso_date(text.strip())
    except RuleError as error:
        raise CommandError(f"{option}: {error}") from None


def terminal_text(text: str) -> str:
    """Plan or user text for a terminal: no control characters or escape sequences."""
    from store.text import clean_text

    return clean_text(text, multiline=True)
