"""Scriptable edits: `done`, `undone`, `note`, `set` and `review`.

No Textual here. Each edit takes the writer lock (exit 4 when another
cicte-tui holds it), goes through the same editor as the app (same
validation, same change log) and prints one line saying what it did.
`set` and `review` take several ids: one grouped edit (one write, a log
entry per item), and an unknown id saves nothing.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from tui.cli.command import Command, CommandError, CommandName, Common, Run
from tui.cli.exit_codes import EXIT_OK
from tui.cli.lookup import edit_errors_are_usage, find_obligation, parse_day
from tui.cli.options import Options

if TYPE_CHECKING:
    from store.editing import Editor
    from store.model import Obligation
    from store.repository import Tracker

ObligationEdit = Callable[["Editor", "Obligation", argparse.Namespace, Options], str]
"""One edit of one obligation; returns the change's summary."""


def _edits_one(edit: ObligationEdit, identifier: Callable[[argparse.Namespace], str]) -> Run:
    """A command that edits the obligation ``identifier`` names and says ``ID: what changed``."""

    @edit_errors_are_usage
    def run(arguments: argparse.Namespace, options: Options) -> int:
        from store.editing import Editor

        with options.open_tracker() as tracker:
            editor = Editor(tracker)
            obligation = find_obligation(tracker, identifier(arguments))
            summary = edit(editor, obligation, arguments, options)
        print(f"{obligation.number}: {summary}")
        return EXIT_OK

    return run


def _one_item(
    name: CommandName,
    help: str,
    own_arguments: Callable[[argparse.ArgumentParser], object],
    edit: ObligationEdit,
    id_help: str | None = None,
) -> Command:
    """A command on one obligation: ``NAME ID [its own arguments] [common options]``."""

    def arguments(parser: argparse.ArgumentParser, common: Common) -> None:
        parser.add_argument("id", metavar="ID", help=id_help)
        own_arguments(parser)
        common(parser)

    return Command(name, help, arguments, _edits_one(edit, lambda arguments: arguments.id))


# -- done, undone, note ------------------------------------------------------------------


def _done_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--on", metavar="DATE", help="the day it was done (default: today)")
    parser.add_argument("--occurrence", metavar="DUE_DATE", help="the occurrence due that day")
    parser.add_argument("--doc", metavar="SYMBOL", default="", help="document symbol, evidence")
    parser.add_argument("--link", metavar="URL", default="", help="a link, evidence")
    parser.add_argument("--outcome", metavar="TEXT", default="", help="one line on the outcome")


def _complete(
    editor: Editor, obligation: Obligation, arguments: argparse.Namespace, options: Options
) -> str:
    from store.model import Evidence

    evidence = Evidence(arguments.doc, arguments.link, arguments.outcome)
    return editor.complete(
        obligation.key,
        options.today,
        done_on=parse_day("--on", arguments.on),
        due=parse_day("--occurrence", arguments.occurrence),
        evidence=evidence,
    ).summary


def _uncomplete(
    editor: Editor, obligation: Obligation, arguments: argparse.Namespace, options: Options
) -> str:
    due = parse_day("--occurrence", arguments.occurrence)
    assert due is not None  # required by the parser
    return editor.uncomplete(obligation.key, due).summary


def _add_note(
    editor: Editor, obligation: Obligation, arguments: argparse.Namespace, options: Options
) -> str:
    return editor.add_note(obligation.key, arguments.text, options.today).summary


DONE = _one_item(
    CommandName.DONE,
    "mark an occurrence done (the earliest open one)",
    _done_arguments,
    _complete,
    id_help="1.iv, II-1.D.1 or a stable key",
)
UNDONE = _one_item(
    CommandName.UNDONE,
    "take back the completion of an occurrence",
    lambda parser: parser.add_argument("--occurrence", metavar="DUE_DATE", required=True),
    _uncomplete,
)
NOTE = _one_item(
    CommandName.NOTE,
    "add a note to an obligation (counts as a review)",
    lambda parser: parser.add_argument("text", metavar="TEXT"),
    _add_note,
)


# -- set ---------------------------------------------------------------------------------


def _set_arguments(parser: argparse.ArgumentParser, common: Common) -> None:
    from store.model import Status

    parser.add_argument("ids", metavar="ID", nargs="+", help="one id or several")
    parser.add_argument("--status", choices=[status.value for status in Status])
    parser.add_argument("--owner", metavar="NAME")
    parser.add_argument("--rule", metavar="RULE", help="schedule rule(s), joined by ' + '")
    common(parser)


def _set(arguments: argparse.Namespace, options: Options) -> int:
    """``set ID``: one obligation's settings; ``set ID ID…``: one grouped edit."""
    if len(arguments.ids) == 1:
        return _set_one(arguments, options)
    return _set_several(arguments, options)


def _save_settings(
    editor: Editor, obligation: Obligation, arguments: argparse.Namespace, options: Options
) -> str:
    changed = _with_settings(editor.tracker, obligation, arguments, options.today)
    return editor.save_obligation(changed).summary


_set_one = _edits_one(_save_settings, lambda arguments: str(arguments.ids[0]))


def _with_settings(
    tracker: Tracker, obligation: Obligation, arguments: argparse.Namespace, today: date
) -> Obligation:
    from store.model import Status
    from store.rules import RuleError, format_schedule, parse_schedule
    from store.text import clean_text

    if arguments.status is None and arguments.owner is None and arguments.rule is None:
        raise CommandError("set: give --status, --owner or --rule")
    changed = obligation
    if arguments.status is not None and Status(arguments.status) is not changed.status:
        # A status change counts as a review; the same status again changes nothing.
        changed = replace(changed, status=Status(arguments.status), last_reviewed=today)
    if arguments.owner is not None:
        changed = replace(changed, owner=clean_text(arguments.owner))
    if arguments.rule is not None:
        try:
            rules = parse_schedule(arguments.rule, known_events=tracker.meetings.keys())
        except RuleError as error:
            raise CommandError(f"--rule: {error}") from None
        changed = replace(changed, rules=tuple(format_schedule([r]) for r in rules))
    return changed


@edit_errors_are_usage
def _set_several(arguments: argparse.Namespace, options: Options) -> int:
    """``set ID ID… --owner NAME``: one grouped edit; items already so are left alone."""
    from store import bulk
    from store.editing import EditError, Editor

    with options.open_tracker() as tracker:
        obligations = bulk.in_plan_order(find_obligation(tracker, i) for i in arguments.ids)
        pairs = [(o, _with_settings(tracker, o, arguments, options.today)) for o in obligations]
        action = bulk.edited(_settings_words(arguments), pairs)
        if not action.targets:
            raise EditError(f"nothing changed: {_numbers(action.unchanged)} already so")
        action.run(Editor(tracker))
    said = f"{bulk.items(len(action.targets))} set ({action.what}): {_numbers(action.targets)}"
    if action.unchanged:
        said += f"; unchanged: {_numbers(action.unchanged)}"
    print(said)
    return EXIT_OK


def _settings_words(arguments: argparse.Namespace) -> str:
    from store.text import clean_text

    parts = []
    if arguments.status is not None:
        parts.append(f"status: {arguments.status}")
    if arguments.owner is not None:
        parts.append(f"owner: {clean_text(arguments.owner) or '(none)'}")
    if arguments.rule is not None:
        parts.append(f"rule: {clean_text(arguments.rule)}")
    return "; ".join(parts)


SET = Command(
    CommandName.SET,
    "set the status, owner or rule of one obligation or several",
    _set_arguments,
    _set,
)


# -- review ------------------------------------------------------------------------------


def _review_arguments(parser: argparse.ArgumentParser, common: Common) -> None:
    parser.add_argument("ids", metavar="ID", nargs="*", help="the items to mark reviewed")
    parser.add_argument(
        "--all-stale", action="store_true", help="every item not reviewed within the review period"
    )
    common(parser)


@edit_errors_are_usage
def _review(arguments: argparse.Namespace, options: Options) -> int:
    """``review ID…`` or ``review --all-stale``: reviewed today, in one grouped edit."""
    with options.open_tracker() as tracker:
        said = _reviewed(tracker, arguments, options)
    print(said)
    return EXIT_OK


def _reviewed(tracker: Tracker, arguments: argparse.Namespace, options: Options) -> str:
    from store import bulk
    from store.editing import Editor

    today = options.today
    if arguments.all_stale == bool(arguments.ids):
        raise CommandError("review: give the ids to mark reviewed, or --all-stale (not both)")
    if arguments.all_stale:
        obligations = bulk.stale(tracker, options.outlook)
        if not obligations:
            return f"No stale item as of {today.isoformat()}: nothing to review."
    else:
        obligations = [find_obligation(tracker, i) for i in arguments.ids]
    action = bulk.review(obligations, today)
    if not action.targets:
        return f"Nothing to review: {_numbers(action.unchanged)} already reviewed on {today}."
    action.run(Editor(tracker))
    said = f"Reviewed {bulk.items(len(action.targets))} on {today}: {_numbers(action.targets)}"
    if action.unchanged:
        said += f" (already reviewed that day: {_numbers(action.unchanged)})"
    return said


def _numbers(obligations: tuple[Obligation, ...]) -> str:
    return ", ".join(o.number for o in obligations)


REVIEW = Command(
    CommandName.REVIEW,
    "mark obligations reviewed today (they are no longer stale)",
    _review_arguments,
    _review,
)


COMMANDS = (DONE, UNDONE, NOTE, SET, REVIEW)
