"""`cicte-tui import FILE`: load a JSON export into the tracker, replacing it or merging."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.command import Command, CommandError, CommandName, Common
from tui.cli.exit_codes import EXIT_OK, EXIT_STORE, fail
from tui.cli.options import Options

if TYPE_CHECKING:
    from store.formats.exchange import MergeReport
    from store.storage import Document


def _arguments(parser: argparse.ArgumentParser, common: Common) -> None:
    common(parser)
    parser.add_argument("file", metavar="FILE", help="a file written by 'cicte-tui export json'")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--replace", action="store_true", help="replace the whole tracker")
    how.add_argument(
        "--merge",
        action="store_true",
        help="merge by obligation and meeting series key, keeping the rest",
    )


def run(arguments: argparse.Namespace, options: Options) -> int:
    """Validate the file first; only then open the tracker (taking its lock) and write."""
    from store.formats.exchange import ExchangeError, ExportUnreadable, merge_documents, read_export
    from store.storage import load_document

    source, merge = Path(arguments.file), arguments.merge
    try:
        incoming = read_export(source)
    except ExportUnreadable as error:
        return fail(EXIT_STORE, str(error))
    except ExchangeError as error:
        raise CommandError(f"{source} was not imported: {error}") from None
    has_data = load_document(options.db) is not None
    if has_data and not (arguments.replace or merge):
        raise CommandError(
            f"{options.db} already holds a tracker; add --replace to overwrite it "
            "or --merge to merge by obligation and meeting series key"
        )
    with options.open_tracker() as tracker:
        if merge and has_data:
            try:
                merged, report = merge_documents(tracker.raw_document(), incoming)
            except ExchangeError as error:
                raise CommandError(f"{source} was not merged: {error}") from None
            if report.changed_anything:
                tracker.replace_document(merged)
            print(merge_summary(source, options.db, report))
        else:
            tracker.replace_document(incoming)
            print(import_summary(source, options.db, incoming))
    return EXIT_OK


def import_summary(source: Path, db: Path, document: Document) -> str:
    from store.storage import OBLIGATIONS, SERIES

    obligations, series = len(document[OBLIGATIONS]), len(document[SERIES])
    return f"Imported {source} into {db}: {obligations} obligations, {series} meeting series."


def merge_summary(source: Path, db: Path, report: MergeReport) -> str:
    lines = [f"Merged {source} into {db}:"]
    for table in report.tables:
        parts = [f"{len(table.added)} added"]
        if table.added:
            parts[0] += f" ({', '.join(table.added)})"
        changed = f"{len(table.changed)} changed"
        if table.changed:
            details = "; ".join(f"{key}: {', '.join(fields)}" for key, fields in table.changed)
            changed += f" ({details})"
        parts += [changed, f"{table.unchanged} unchanged", f"{table.kept} only in the store, kept"]
        lines.append(f"  {table.table}: " + ", ".join(parts))
    return "\n".join(lines)


COMMAND = Command(CommandName.IMPORT, "load a JSON export into the tracker file", _arguments, run)
