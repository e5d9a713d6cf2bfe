"""What ``cicte-tui`` exits with; the README lists them for scripts."""

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
