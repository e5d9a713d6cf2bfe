"""`cicte-tui restore [--list | BACKUP]`: the tracker's backups, and putting one back."""

from __future__ import annotations

import argparse
from datetime import datetime

from tui.cli.command import Command, CommandError, CommandName, Common
from tui.cli.exit_codes import EXIT_OK, EXIT_STORE, fail
from tui.cli.options import Options


def _arguments(parser: argparse.ArgumentParser, common: Common) -> None:
    parser.add_argument(
        "backup",
        metavar="BACKUP",
        nargs="?",
        help="a number from --list (1: the newest), a backup's file name, or a path",
    )
    parser.add_argument("--list", action="store_true", help="list the backups (the default)")
    common(parser)


def run(arguments: argparse.Namespace, options: Options) -> int:
    from store.restore import find_backup, restore

    which: str | None = arguments.backup
    if which is None or arguments.list:
        print(backup_list(options))
        return EXIT_OK
    try:
        source = find_backup(options.db, which)
    except LookupError as error:
        raise CommandError(error.args[0]) from None
    try:
        done = restore(options.db, source, datetime.now())
    except OSError as error:  # a full disk, no permission: nothing was replaced
        reason = error.strerror or str(error)
        return fail(
            EXIT_STORE, f"cannot restore {source}: {reason}; {options.db} was left as it was"
        )
    kept = f" The file it replaced is kept as {done.kept}." if done.kept else ""
    print(
        f"Restored {options.db} from {done.source}: {done.plans} plan year(s), "
        f"{done.items} items.{kept}"
    )
    return EXIT_OK


def backup_list(options: Options) -> str:
    from store.restore import survey

    states = survey(options.db)
    if not states:
        return f"No backups of {options.db} yet: one is written each time it opens for editing."
    lines = [f"Backups of {options.db}, newest first:"]
    for number, state in enumerate(states, 1):
        backup = state.backup
        when = f"{backup.taken:%Y-%m-%d %H:%M:%S}" if backup.taken else _kind(backup.kind)
        if state.problem is None:
            what = f"{state.plans} plan year(s), {state.items} items, {state.size:,} bytes"
        else:
            what = f"does not load: {state.problem}"
        lines.append(f"{number:>3}  {backup.path.name}  {when}  {what}")
    lines.append("Put one back with: cicte-tui restore NUMBER (the current file is kept first).")
    return "\n".join(lines)


def _kind(kind: str) -> str:
    if kind == "single":
        return "(the backup of an earlier release)"
    return f"(the file before its migration from {kind.replace('-', ' ')})"


COMMAND = Command(
    CommandName.RESTORE,
    "list the tracker's backups, or put one back (the current file is kept)",
    _arguments,
    run,
)
