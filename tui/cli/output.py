"""Where a command's output goes: standard output (watched for failures) or a file.

A closed, full or vanished standard output is the output's fault, not a bug:
:class:`WatchedOutput` remembers that a write to it failed, so that the parser
says so in one line (exit 5) instead of writing a crash log.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli.command import CommandError

if TYPE_CHECKING:
    from rich.console import Console


class ClosedOutput:
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
    def buffer(self) -> ClosedOutput:
        return self


class WatchedOutput:
    """Standard output that remembers a write to it failed: closed, full, gone.

    Whatever writes to it (print, Rich, the exporters' bytes), an OSError it
    raised is the output's fault, not a bug.
    """

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.failure: OSError | None = None

    def guard(self, operation: Callable[..., Any], *args: Any) -> Any:
        try:
            return operation(*args)
        except OSError as error:
            self.failure = error
            raise

    def write(self, text: Any) -> Any:
        return self.guard(self.stream.write, text)

    def flush(self) -> None:
        self.guard(self.stream.flush)

    @property
    def buffer(self) -> _BufferOf:
        return _BufferOf(self)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


class _BufferOf:
    """The binary side of a watched standard output (the exporters write bytes)."""

    def __init__(self, text_side: WatchedOutput) -> None:
        self._text_side = text_side

    def write(self, content: bytes) -> Any:
        return self._text_side.guard(self._text_side.stream.buffer.write, content)

    def flush(self) -> None:
        self._text_side.guard(self._text_side.stream.buffer.flush)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._text_side.stream.buffer, name)


def silence_stdout() -> None:
    """Point stdout at nothing, so Python's own flush at exit does not complain again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
    except OSError:
        return


def write_content(output: str, content: bytes, *, force: bool, protect: Path, what: str) -> None:
    """``content`` to the file ``output`` (``-``: standard output), never over the tracker
    ``protect``; a file refused is a :class:`CommandError`. A file written is said on stderr
    (``wrote WHAT to PATH``), so that standard output only ever carries the content itself."""
    from store.output import OutputError, write_output

    try:
        written = write_output(output, content, force=force, protect=protect)
    except OutputError as error:
        raise CommandError(str(error)) from None
    if written is not None:
        print(f"cicte-tui: wrote {what} to {written}", file=sys.stderr)


def piped_console(*, plain: bool = False) -> Console:
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
