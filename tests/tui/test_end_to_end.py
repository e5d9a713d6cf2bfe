"""The installed `cicte-tui` in a real terminal (tmux), read back from the screen."""

from __future__ import annotations

import os
import select
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
COMMAND = Path(sys.executable).with_name("cicte-tui")

pytestmark = pytest.mark.skipif(
    TMUX is None or not COMMAND.exists(), reason="needs tmux and the installed cicte-tui"
)


class Terminal:
    """One tmux session on a private server, torn down after the test.

    Nothing here sleeps for a set time: the test waits on what the pane writes
    (tmux copies it into a FIFO, read with ``select``) and on the command's exit
    (the pane signals a ``tmux wait-for`` channel), each with a deadline.
    """

    def __init__(self, folder: Path, command: str, width: int = 100, height: int = 30) -> None:
        self.socket = f"cicte-test-{uuid.uuid4().hex[:8]}"
        self._exited = f"exited-{self.socket}"
        fifo = folder / "pane-output"
        os.mkfifo(fifo)
        self._output = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        # Held open so that the FIFO never reads as ended while tmux's writer comes and goes.
        self._writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        # The pane says when the command has ended; the session then goes with it.
        command = f"{command}; {TMUX} -L {self.socket} wait-for -S {self._exited}"
        self._tmux("new-session", "-d", "-s", "app", "-x", str(width), "-y", str(height), command)
        self._tmux("pipe-pane", "-O", "-t", "app", f"cat >> {shlex.quote(str(fifo))}")

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            [TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        )
        return result.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "app")

    def _pane_wrote(self, deadline: float) -> bool:
        """Wait until the pane writes something (or the deadline passes); drain what it wrote."""
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([self._output], [], [], left)[0]:
            return False
        while True:
            try:
                if not os.read(self._output, 65536):
                    return True
            except BlockingIOError:
                return True

    def wait_for(self, *texts: str, absent: tuple[str, ...] = (), timeout: float = 20.0) -> str:
        """The screen once it shows every one of ``texts`` and none of ``absent``.

        It is looked at again each time the pane writes, so a frame drawn in
        several writes is judged once it is whole.
        """
        deadline = time.monotonic() + timeout

        def shown(screen: str) -> bool:
            return all(t in screen for t in texts) and not any(t in screen for t in absent)

        screen = self.screen()
        while not shown(screen):
            if not self._pane_wrote(deadline):
                raise AssertionError(f"never {texts} without {absent}; the screen shows:\n{screen}")
            screen = self.screen()
        return screen

    def closed(self, timeout: float = 10.0) -> bool:
        """Whether the command ends within ``timeout`` seconds (its pane signals when it does)."""
        try:
            signalled = subprocess.run(
                [TMUX, "-L", self.socket, "wait-for", self._exited],
                capture_output=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return False
        # Not signalled: the server went with the last session before the wait began.
        return signalled.returncode == 0 or not self.alive()

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "app", *keys)

    def alive(self) -> bool:
        return "app" in self._tmux("list-sessions", "-F", "#{session_name}")

    def close(self) -> None:
        self._tmux("kill-server")
        os.close(self._writer)
        os.close(self._output)


def test_the_installed_app_shows_what_is_overdue_on_15_june_2008(tmp_path):
    db = tmp_path / "tracker.json"
    # The shell tmux starts may export the initial 80x24 as COLUMNS/LINES, which
    # would override the real pane size.
    terminal = Terminal(tmp_path, f"env -u COLUMNS -u LINES {COMMAND} --today 2008-06-15 --db {db}")
    try:
        terminal.wait_for("5 overdue", "15 Jun 2008 (--today)", "1.vii 15d late")
        terminal.keys("o")
        terminal.wait_for("filter: overdue only", "1.xiii 70d late", absent=("1.ii ",))
        terminal.keys("/")
        terminal.wait_for("enter to keep")
        terminal.keys("-l", "securite")
        terminal.keys("Enter")
        # Nothing overdue is about "sécurité".
        terminal.wait_for("0 of 58 shown", 'search "secu', "Nothing matches")
        terminal.keys("Escape")  # sent alone: "Escape q" together reads as alt+q
        terminal.wait_for("58 of 58 shown")
        terminal.keys("q")
        assert terminal.closed()
        assert db.exists()  # the first run seeded the user's file
    finally:
        terminal.close()
