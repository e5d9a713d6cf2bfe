"""`cicte-tui`: the one-shot commands, and the app when no command is given.

The command line (``tui.cli``) never imports the app; this entry point hands
it the one run it needs for "no command", which imports Textual only then.
"""

from __future__ import annotations

import argparse
import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from tui.cli import parser
from tui.cli.exit_codes import EXIT_USAGE, fail
from tui.cli.options import NO_COLOR_VARIABLE, Options, no_color

NO_TERMINAL = (
    "the app needs a terminal; without one, 'cicte-tui status' gives the same picture "
    "as text (see 'cicte-tui --help' for brief, export and the scriptable edits)"
)


def main(argv: Sequence[str] | None = None) -> int:
    """``cicte-tui ARGV``: what the installed command and ``python -m tui`` run."""
    # A command lasts a moment, and reference counting frees what it drops: the cyclic
    # collector would only walk every record of a big tracker, again and again (a fifth
    # of `status` at 10,000 items). The app turns it back on once its records are loaded
    # and drawn (``CicteApp.on_mount``).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return parser.main(argv, open_app=open_app)
    finally:
        if collecting:
            gc.enable()


def open_app(arguments: argparse.Namespace, options: Options) -> int:
    """The app, on the tracker the options name (it needs a terminal)."""
    # Textual reads NO_COLOR as the App is made (it then draws in greys): set it before.
    with _variable(NO_COLOR_VARIABLE, "1" if no_color(arguments.no_color) else None):
        from tui.app import run as run_app

        # A corrupt or locked file is said first; then the app needs a terminal to draw on.
        return run_app(options, when_no_terminal=lambda: fail(EXIT_USAGE, NO_TERMINAL))


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
