"""Start → last frame in a real pseudo-terminal, as a user at a terminal sees it.

The app is spawned on a pty of a fixed size; its output is read as it comes,
each read stamped, and replayed through a terminal emulator (``pyte``). The
figure is the time of the last read that changed a character on the screen:
Pilot's first pause, or a first paint followed by a second one, would hide
what the user waits for.

Frames are told apart as a modern terminal lets Textual draw them: the
emulator answers Textual's question about synchronized output (mode 2026), so
each frame comes between ``ESC [ ? 2026 h`` and ``ESC [ ? 2026 l`` and is
applied whole. Writes outside such a frame (before Textual has the answer) that
come within ``FRAME_GAP`` of each other count as one. A *paint* is a frame that
changes many cells (``PAINT_CELLS``): starting should take one, not two.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyte

COLUMNS, LINES = 100, 30
QUIET = 0.8
"""Seconds without a change on screen after which the start is over."""
TIMEOUT = 60.0
FRAME_GAP = 0.05
"""Unsynchronized writes closer than this are one frame."""
PAINT_CELLS = 0.02
"""A frame that changes at least this share of the screen's cells is a paint."""
SYNC_QUESTION = b"\x1b[?2026$p"
SYNC_ANSWER = b"\x1b[?2026;2$y"
"""Supported, currently off: what kitty, WezTerm, iTerm2 or Windows Terminal answer."""
SYNC_START, SYNC_END = b"\x1b[?2026h", b"\x1b[?2026l"


@dataclass
class Paint:
    at: float
    """Seconds from the spawn to its last changing read."""
    cells: int
    """Cells it changed."""


@dataclass
class PtyRun:
    """What one start looked like from the terminal."""

    last_frame: float
    """Seconds from the spawn to the last read that changed the screen."""
    paints: list[Paint] = field(default_factory=list)
    peak_kib: int = 0
    """The process's peak resident memory (KiB), from its own rusage."""
    screen: list[str] = field(default_factory=list)

    @property
    def paint_count(self) -> int:
        """Frames that changed many cells."""
        return sum(1 for p in self.paints if p.cells >= PAINT_CELLS * COLUMNS * LINES)


def run_on_pty(argv: list[str], env: dict[str, str], cwd: Path, quit_keys: bytes = b"q") -> PtyRun:
    """Spawn ``argv`` on a fresh pty, record its screen until it settles, then quit it."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    start = time.perf_counter()
    replay = Replay(start)
    process = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env=env,
        start_new_session=True,
        preexec_fn=_take_terminal,  # safe: this process runs no threads
    )
    os.close(slave)
    try:
        paints = _record(master, replay, start)
        shown = list(replay.screen.display)
        peak = _quit(process, master, quit_keys)
    finally:
        os.close(master)
    last = paints[-1].at if paints else float("nan")
    return PtyRun(last, paints, peak, shown)


def _take_terminal() -> None:
    """Make the pty the child's controlling terminal, as a shell would."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Replay:
    """The terminal: output fed through ``pyte`` one frame at a time, each change stamped."""

    def __init__(self, start: float) -> None:
        self.screen = pyte.Screen(COLUMNS, LINES)
        self._stream = pyte.ByteStream(self.screen)
        self._pending = b""
        self._start = start
        self.paints: list[Paint] = []
        self.last_change: float | None = None

    def feed(self, data: bytes, stamp: float) -> None:
        """Apply whole frames now; keep a frame begun but not ended for the next read."""
        self._pending += data
        while True:
            end = self._pending.find(SYNC_END)
            begin = self._pending.find(SYNC_START)
            if end >= 0 and (begin < 0 or begin < end):
                cut = end + len(SYNC_END)
                self._apply(self._pending[:cut], stamp, synchronized=True)
                self._pending = self._pending[cut:]
                continue
            outside = self._pending if begin < 0 else self._pending[:begin]
            if outside:
                self._apply(outside, stamp, synchronized=False)
            self._pending = self._pending[len(outside) :]
            return

    def _apply(self, data: bytes, stamp: float, synchronized: bool) -> None:
        before = list(self.screen.display)
        self._stream.feed(data)
        cells = _changed_cells(before, self.screen.display)
        if not cells:
            return
        at = stamp - self._start
        joined = not synchronized and self.last_change is not None
        if joined and self.paints and stamp - self.last_change <= FRAME_GAP:
            self.paints[-1] = Paint(at, self.paints[-1].cells + cells)
        else:
            self.paints.append(Paint(at, cells))
        self.last_change = stamp


def _record(master: int, replay: Replay, start: float) -> list[Paint]:
    while True:
        now = time.perf_counter()
        quiet = replay.last_change is not None and now - replay.last_change > QUIET
        if now - start > TIMEOUT or quiet:
            return replay.paints
        if not select.select([master], [], [], 0.05)[0]:
            continue
        try:
            data = os.read(master, 1 << 16)
        except OSError:  # the child closed the terminal
            return replay.paints
        if not data:
            return replay.paints
        if SYNC_QUESTION in data:
            os.write(master, SYNC_ANSWER)
        replay.feed(data, time.perf_counter())


def _changed_cells(before: list[str], after: list[str]) -> int:
    return sum(
        sum(1 for a, b in zip(old, new, strict=False) if a != b)
        for old, new in zip(before, after, strict=False)
    )


def _quit(process: subprocess.Popen[bytes], master: int, keys: bytes) -> int:
    """Press the quit keys, drain the terminal until the app is gone; its peak memory."""
    os.write(master, keys)
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        pid, _status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = 0  # reaped here: Popen must not wait for it again
            return usage.ru_maxrss
        if select.select([master], [], [], 0.05)[0]:
            with contextlib.suppress(OSError):  # gone meanwhile: the wait says so next
                os.read(master, 1 << 16)
    os.killpg(process.pid, signal.SIGKILL)
    _pid, _status, usage = os.wait4(process.pid, 0)
    process.returncode = -9
    return usage.ru_maxrss
