"""The app's crash hook: an unhandled error ends the app with a crash log and one line, exit 6.

Textual offers no public hook for this. :class:`CrashReporting` overrides the
private ``App._handle_exception`` and sets the private state Textual's own
handler sets; it is the one place in cicte-tui that touches Textual's private
API (:data:`PRIVATE_API`). ``tests/test_crash_hook.py`` checks those names
against the installed Textual and says what to update when they change;
``pyproject.toml`` pins Textual below its next major version for the same reason.
"""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual.app import App

from tui.cli.exit_codes import EXIT_INTERNAL
from tui.crash import crash_message, write_crash_log

ReturnType = TypeVar("ReturnType")

PRIVATE_API = (
    "_handle_exception",
    "_exception",
    "_exception_event",
    "_return_code",
    "_exit_renderables",
    "_close_messages_no_wait",
)
"""What of ``textual.app.App`` the hook uses that Textual does not document."""


class CrashReporting(App[ReturnType]):
    """An App whose unhandled errors are kept in a crash log and said in one sentence."""

    def _handle_exception(self, error: Exception) -> None:
        """An unhandled error: a message and a log file instead of a traceback on screen,
        and a non-zero exit. On any surprise it falls back to Textual's own handling."""
        try:
            if self._exception is None:
                self._exception = error  # Pilot re-raises it in tests
                self._exception_event.set()
            self._return_code = EXIT_INTERNAL
            log = write_crash_log(error)
            self._exit_renderables.append(Text(f"cicte-tui {crash_message(log, in_app=True)}"))
            self.bell()
            self._close_messages_no_wait()
        except Exception:  # noqa: BLE001 - never fail worse than Textual would
            super()._handle_exception(error)
