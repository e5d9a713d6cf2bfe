"""The `cicte-tui` command: the app, or a one-shot command (status, brief, export, import…).

One-shot commands must not import Textual: the app is imported only when
it is about to run, and each command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from store.storage import StoreError, StoreLocked
from tui.cli.edit import EDIT_COMMANDS, add_edit_parsers, run_edit_command
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
from tui.cli.options import OptionError, Options, resolve
from tui.cli.plans import add_plan_parsers, run_plan_command
from tui.cli.report import REPORT_COMMANDS, add_report_parser, run_report
from tui.cli.restore import add_restore_parser, run_restore

if TYPE_CHECKING:
    from rich.console import Console

    from store.formats.exchange import MergeReport
    from store.storage import Document

__all__ = ["EXIT_LOCKED", "EXIT_OK", "EXIT_OVERDUE", "EXIT_STORE", "EXIT_USAGE", "main"]

OWNER_VARIABLE = "CICTE_OWNER"
"""Whose items ``status`` shows by default ("my items")."""

NO_COLOR_VARIABLE = "NO_COLOR"
"""Set and not empty: no colour, as ``--no-color`` (https://no-color.org)."""

# The same list as store.formats.export.FORMATS, written out so that parsing the
# command line does not import the exporters (and icalendar).
EXPORT_FORMATS = ("ics", "markdown", "csv", "json")


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
        print(f"{parser.prog} {package_version()}")
        parser.exit(EXIT_OK)


def package_version() -> str:
    """The version of the installed cicte-tui distribution (its metadata, not a constant)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cicte-tui")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
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
    status = commands.add_parser(
        "status", help="the next meeting, counts and overdue / due-soon items as of today"
    )
    _common(status, suppress=True)
    status.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    whose = status.add_mutually_exclusive_group()
    whose.add_argument(
        "--owner",
        metavar="NAME",
        help=f"only this owner's items (default: env {OWNER_VARIABLE}; '' for everyone's)",
    )
    whose.add_argument(
        "--all", action="store_true", help=f"everyone's items, even when {OWNER_VARIABLE} is set"
    )
    _fail_on_overdue(status)

    brief = commands.add_parser("brief", help="Markdown brief for the next meeting (or --event)")
    _common(brief, suppress=True)
    brief.add_argument(
        "--event",
        metavar="KEY[/YEAR]",
        help="meeting series key, e.g. cicte-session or oas-ga (its coming or latest session), "
        "or one session, e.g. cicte-session/2008",
    )
    _output(brief, required=False)
    _fail_on_overdue(brief)

    export = commands.add_parser("export", help="write the tracker as ics, markdown, csv or json")
    _common(export, suppress=True)
    export.add_argument("format", choices=EXPORT_FORMATS)
    _output(export, required=True)

    load = commands.add_parser("import", help="load a JSON export into the tracker file")
    _common(load, suppress=True)
    load.add_argument("file", metavar="FILE", help="a file written by 'cicte-tui export json'")
    how = load.add_mutually_exclusive_group()
    how.add_argument("--replace", action="store_true", help="replace the whole tracker")
    how.add_argument(
        "--merge",
        action="store_true",
        help="merge by obligation and meeting series key, keeping the rest",
    )
    add_edit_parsers(commands, lambda sub: _common(sub, suppress=True))
    add_plan_parsers(commands, lambda sub: _common(sub, suppress=True))
    add_report_parser(commands, lambda sub: _common(sub, suppress=True))
    add_restore_parser(commands, lambda sub: _common(sub, suppress=True))
    _add_manual_parsers(commands)
    return parser


def _add_manual_parsers(commands: argparse._SubParsersAction[Any]) -> None:
    """The commands that document cicte-tui itself: shell completion and the man page."""
    from tui.cli.completion import SHELLS

    completion = commands.add_parser(
        "completion",
        help="print the shell completion script for bash or zsh",
        description="Print the completion script for SHELL on standard output; "
        "the README says where to put it.",
    )
    completion.add_argument("shell", metavar="SHELL", choices=SHELLS, help=" or ".join(SHELLS))
    commands.add_parser(
        "man",
        help="print the manual page (roff) on standard output",
        description="Print the manual page on standard output: read it with "
        "'cicte-tui man | man -l -', or save it as cicte-tui.1 in a man1 folder.",
    )


def _output(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        required=required,
        default="-",
        help="file to write; - for standard output" + ("" if required else " (default)"),
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")


def _fail_on_overdue(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fail-on-overdue",
        action="store_true",
        help=f"exit {EXIT_OVERDUE} when anything is overdue (for scripts)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    # Started with standard output closed (`cicte-tui status >&-`): every write fails.
    stdout = _WatchedOutput(sys.stdout if sys.stdout is not None else _ClosedOutput())
    sys.stdout = stdout  # type: ignore[assignment]
    try:
        arguments = _parse(parser, argv, stdout)
        code = _run(arguments, parser)
        sys.stdout.flush()
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `cicte-tui status | head`: the reader left; that is not an error.
        _silence_stdout()
        return EXIT_OK
    except OSError as error:
        if stdout.failure is None:
            return _internal_error(error)
        _silence_stdout()
        failure = stdout.failure
        return fail(EXIT_OUTPUT, f"cannot write to standard output: {failure.strerror or failure}")
    except Exception as error:  # noqa: BLE001 - a log file, never a traceback on screen
        return _internal_error(error)
    finally:
        sys.stdout = stdout.stream
    return code


def _parse(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None, stdout: _WatchedOutput
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


def _run(arguments: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    # These two document the parser: no tracker, no options to resolve.
    if arguments.command == "completion":
        from tui.cli.completion import completion_script

        sys.stdout.write(completion_script(parser, arguments.shell))
        return EXIT_OK
    if arguments.command == "man":
        from tui.cli.manpage import man_page

        sys.stdout.write(man_page(parser, package_version()))
        return EXIT_OK
    plain = arguments.no_color or bool(os.environ.get(NO_COLOR_VARIABLE))
    try:
        options = resolve(
            arguments.db, arguments.today, arguments.within, arguments.review_days, arguments.plan
        )
        if arguments.command == "status":
            owner = owner_filter(arguments.owner, arguments.all)
            return run_status(
                options, arguments.format, arguments.fail_on_overdue, owner, plain=plain
            )
        if arguments.command == "brief":
            return run_brief(
                options,
                arguments.event,
                arguments.output,
                arguments.force,
                arguments.fail_on_overdue,
            )
        if arguments.command == "export":
            return run_export(options, arguments.format, arguments.output, arguments.force)
        if arguments.command == "import":
            return run_import(options, Path(arguments.file), arguments.replace, arguments.merge)
        if arguments.command == "restore":
            return run_restore(options, arguments.backup, arguments.list)
        if arguments.command in EDIT_COMMANDS:
            return run_edit_command(arguments, options)
        if arguments.command == "plan":
            return run_plan_command(arguments, options)
        if arguments.command in REPORT_COMMANDS:
            return run_report(arguments, options)
        return run_app(options, no_color=plain)
    except OptionError as error:  # a bad option, or --plan naming a year the tracker lacks
        return fail(EXIT_USAGE, str(error))
    except StoreLocked as error:
        return fail(EXIT_LOCKED, str(error))
    except StoreError as error:
        return fail(EXIT_STORE, str(error))


class _ClosedOutput:
    """Standard output that was closed before we started: every write fails, as it should."""

    def write(self, content: object) -> int:
        raise OSError(errno.EBADF, "it is closed")

    def flush(self) -> None:
        pass  # nothing was written; Python's own flush at exit must not fail

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "it is closed")

    def isatty(self) -> bool:
        return False

    @property
    def buffer(self) -> _ClosedOutput:
        return self


class _WatchedOutput:
    """Standard output that remembers a write to it failed: closed, full, gone.

    Whatever writes to it (print, Rich, the exporters' bytes), an OSError it
    raised is the output's fault, not a bug.
    """

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.failure: OSError | None = None

    def _guard(self, operation: Callable[..., Any], *args: Any) -> Any:
        try:
            return operation(*args)
        except OSError as error:
            self.failure = error
            raise

    def write(self, text: Any) -> Any:
        return self._guard(self.stream.write, text)

    def flush(self) -> None:
        self._guard(self.stream.flush)

    @property
    def buffer(self) -> _BufferOf:
        return _BufferOf(self)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


class _BufferOf:
    """The binary side of a watched standard output (the exporters write bytes)."""

    def __init__(self, text_side: _WatchedOutput) -> None:
        self._text_side = text_side

    def write(self, content: bytes) -> Any:
        return self._text_side._guard(self._text_side.stream.buffer.write, content)

    def flush(self) -> None:
        self._text_side._guard(self._text_side.stream.buffer.flush)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._text_side.stream.buffer, name)


def _silence_stdout() -> None:
    """Point stdout at nothing, so Python's own flush at exit does not complain again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
    except OSError:
        return


def _internal_error(error: BaseException) -> int:
    from tui.crash import crash_message, write_crash_log

    return fail(EXIT_INTERNAL, crash_message(write_crash_log(error), in_app=False))


def owner_filter(option: str | None, everyone: bool) -> str | None:
    """Whose items ``status`` shows: ``--owner``, else ``CICTE_OWNER``; None for everyone's.

    ``--all`` or an empty name (``--owner ''``) shows everyone's, whatever the variable says.
    """
    if everyone:
        return None
    name = option if option is not None else os.environ.get(OWNER_VARIABLE, "")
    return " ".join(name.split()) or None


def run_status(
    options: Options,
    output_format: str,
    fail_on_overdue: bool = False,
    owner: str | None = None,
    *,
    plain: bool = False,
) -> int:
    from dataclasses import replace

    from store.report import status_report
    from tui.cli.status import render_json, render_markdown, render_table

    with options.open_tracker(read_only=True) as tracker:
        report = status_report(tracker, tracker.plan, tracker.meetings, options.outlook, owner)
        report = replace(report, next_plan=tracker.plan.year + 1 in tracker.plans)
    if output_format == "json":
        sys.stdout.write(render_json(report, options))
    elif output_format == "markdown":
        sys.stdout.write(render_markdown(report, options))
    else:
        render_table(report, options, _PipedConsole(plain=plain))
    return EXIT_OVERDUE if fail_on_overdue and report.counts.overdue else EXIT_OK


def run_brief(
    options: Options, event_key: str | None, output: str, force: bool, fail_on_overdue: bool
) -> int:
    from store.brief import BriefError, meeting_brief
    from store.formats.brief import earlier_obligations, render_brief
    from store.formats.export import OutputError, write_output

    with options.open_tracker(read_only=True) as tracker:
        try:
            brief = meeting_brief(
                tracker,
                tracker.plan,
                tracker.meetings,
                tracker.reference,
                options.outlook,
                event_key,
                earlier_obligations(tracker),
            )
        except BriefError as error:
            return fail(EXIT_USAGE, str(error))
    try:
        written = write_output(
            output, render_brief(brief).encode("utf-8"), force=force, protect=options.db
        )
    except OutputError as error:
        return fail(EXIT_USAGE, str(error))
    _say_written(written, "brief")
    return EXIT_OVERDUE if fail_on_overdue and brief.overdue else EXIT_OK


def run_export(options: Options, kind: str, output: str, force: bool) -> int:
    from store.formats.export import OutputError, export_bytes, write_output

    with options.open_tracker(read_only=True) as tracker:
        content = export_bytes(kind, tracker, options.outlook, to_file=output != "-")
    try:
        written = write_output(output, content, force=force, protect=options.db)
    except OutputError as error:
        return fail(EXIT_USAGE, str(error))
    _say_written(written, kind)
    return EXIT_OK


def _say_written(path: Path | None, what: str) -> None:
    # On stderr, so that standard output only ever carries the content itself.
    if path is not None:
        print(f"cicte-tui: wrote {what} to {path}", file=sys.stderr)


def run_import(options: Options, source: Path, replace: bool, merge: bool) -> int:
    """Validate the file first; only then open the tracker (taking its lock) and write."""
    from store.formats.exchange import ExchangeError, ExportUnreadable, merge_documents, read_export
    from store.storage import load_document

    try:
        incoming = read_export(source)
    except ExportUnreadable as error:
        return fail(EXIT_STORE, str(error))
    except ExchangeError as error:
        return fail(EXIT_USAGE, f"{source} was not imported: {error}")
    has_data = load_document(options.db) is not None
    if has_data and not (replace or merge):
        return fail(
            EXIT_USAGE,
            f"{options.db} already holds a tracker; add --replace to overwrite it "
            "or --merge to merge by obligation and meeting series key",
        )
    with options.open_tracker() as tracker:
        if merge and has_data:
            try:
                merged, report = merge_documents(tracker.raw_document(), incoming)
            except ExchangeError as error:
                return fail(EXIT_USAGE, f"{source} was not merged: {error}")
            if report.changed_anything:
                tracker.replace_document(merged)
            print(_merge_summary(source, options.db, report))
        else:
            tracker.replace_document(incoming)
            print(_import_summary(source, options.db, incoming))
    return EXIT_OK


def _import_summary(source: Path, db: Path, document: Document) -> str:
    from store.repository import OBLIGATIONS, SERIES

    obligations, series = len(document[OBLIGATIONS]), len(document[SERIES])
    return f"Imported {source} into {db}: {obligations} obligations, {series} meeting series."


def _merge_summary(source: Path, db: Path, report: MergeReport) -> str:
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


def _PipedConsole(*, plain: bool = False) -> Console:  # noqa: N802 - reads as the class it builds
    """Rich's console, but a closed pipe ends quietly instead of exiting 1 (our "overdue").

    ``plain`` (--no-color, NO_COLOR): no escape sequence at all, even on a terminal or under
    FORCE_COLOR; the glyphs and words in each cell say what the colours did.
    """
    from rich.console import Console

    class PipedConsole(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    if plain:
        return PipedConsole(color_system=None, no_color=True)
    return PipedConsole()


NO_TERMINAL = (
    "the app needs a terminal; without one, 'cicte-tui status' gives the same picture "
    "as text (see 'cicte-tui --help' for brief, export and the scriptable edits)"
)


def run_app(options: Options, *, no_color: bool = False) -> int:
    # Textual reads NO_COLOR as the App is made (it then draws in greys): set it before.
    with _variable(NO_COLOR_VARIABLE, "1" if no_color else None):
        from tui.app import run

        # A corrupt or locked file is said first; then the app needs a terminal to draw on.
        return run(options, when_no_terminal=lambda: fail(EXIT_USAGE, NO_TERMINAL))


@contextmanager
def _variable(name: str, value: str | None) -> Iterator[None]:
    """``name=value`` in the environment while the block runs (None: leave it as it is)."""
    if value is None:
        yield
        return
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


if __name__ == "__main__":
    sys.exit(main())
