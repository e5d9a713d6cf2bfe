"""What ``cicte-tui`` exits with, and the one line it says on stderr when it fails.

The README lists the codes for scripts.
"""

import sys

EXIT_OK = 0
EXIT_OVERDUE = 1
"""``--fail-on-overdue`` and something is overdue."""
EXIT_USAGE = 2
"""A bad argument or input, or no terminal for the app."""
EXIT_STORE = 3
"""The tracker file cannot be used (corrupt, unreadable, changed under an edit)."""
EXIT_LOCKED = 4
"""Another cicte-tui is editing the tracker."""
EXIT_OUTPUT = 5
"""Standard output is closed or full: what was asked for could not be written."""
EXIT_INTERNAL = 6
"""An internal error; the traceback is in the crash log."""
EXIT_INTERRUPTED = 130
"""Interrupted (Ctrl-C): 128 plus SIGINT's number, as shells report it."""


def fail(code: int, message: str) -> int:
    """``cicte-tui: MESSAGE`` on stderr, on one line and safe to print whatever a file put
    in it (a key with a line break, an escape sequence); returns ``code`` to exit with."""
    print(f"cicte-tui: {one_line(message)}", file=sys.stderr)
    return code


def one_line(message: str) -> str:
    """``message`` safe to print and on one line (a file may have put a line break in it)."""
    from store.text import safe_text

    return " ".join(safe_text(message).split())
