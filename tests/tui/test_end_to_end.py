"""The installed `cicte-tui` in a real terminal (tmux), read back from the screen."""

from __future__ import annotations

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
    """One tmux session on a private server, torn down after the test."""

    def __init__(self, command: str, width: int = 100, height: int = 30) -> None:
        self.socket = f"cicte-test-{uuid.uuid4().hex[:8]}"
        self._tmux("new-session", "-d", "-s", "app", "-x", str(width), "-y", str(height), command)

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            [TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        )
        return result.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "app")

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "app", *keys)

    def alive(self) -> bool:
        return "app" in self._tmux("list-sessions", "-F", "#{session_name}")

    def close(self) -> None:
        self._tmux("kill-server")


def test_the_installed_app_shows_what_is_overdue_on_15_june_2008(tmp_path):
    db = tmp_path / "tracker.json"
    # The shell tmux starts may export the initial 80x24 as COLUMNS/LINES, which
    # would override the real pane size.
    terminal = Terminal(f"env -u COLUMNS -u LINES {COMMAND} --today 2008-06-15 --db {db}")
    try:
        screen = terminal.wait_for("5 overdue")
        assert "15 Jun 2008 (--today)" in screen
        assert "1.vii 15d late" in screen
        terminal.keys("o")
        screen = terminal.wait_for("filter: overdue only")
        assert "1.xiii 70d late" in screen and "1.ii " not in screen
        terminal.keys("/")
        terminal.wait_for("enter to keep")
        terminal.keys("-l", "securite")
        terminal.keys("Enter")
        screen = terminal.wait_for("0 of 58 shown")  # nothing overdue is about "sécurité"
        assert 'search "secu' in screen and "Nothing matches" in screen
        terminal.keys("Escape")  # sent alone: "Escape q" together reads as alt+q
        terminal.wait_for("58 of 58 shown")
        terminal.keys("q")
        deadline = time.monotonic() + 10
        while terminal.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not terminal.alive()
        assert db.exists()  # the first run seeded the user's file
    finally:
        terminal.close()
