"""The app's crash hook (tui/crash_hook.py) against the installed Textual, and at work.

The hook overrides a private method of Textual's App and sets its private state.
When a Textual release changes them, the first tests here fail and say what to
update; the last runs the real app in a terminal and breaks it.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import re
import subprocess
import sys
import termios
import threading
from importlib.metadata import version
from pathlib import Path

import pytest
from textual.app import App

from tui.cli.exit_codes import EXIT_INTERNAL
from tui.crash_hook import PRIVATE_API, CrashReporting

UPDATE = (
    f"Textual {version('textual')} changed the private API that tui/crash_hook.py relies on "
    "({what}): update CrashReporting to the new hook, then the pin in pyproject.toml"
)


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_the_hook_names_every_private_textual_api_it_uses():
    """The private names the hook touches are exactly those listed, so that the checks
    below cover them all."""
    source = inspect.getsource(CrashReporting)
    used = set(re.findall(r"(?:self|super\(\))\.(_[a-z]\w*)", source)) | {"_handle_exception"}
    assert used == set(PRIVATE_API)


def test_textual_still_calls_the_method_we_override_as_we_override_it():
    hook = getattr(App, "_handle_exception", None)
    assert callable(hook), UPDATE.format(what="App._handle_exception is gone")
    assert parameters(hook) == ["self", "error"], UPDATE.format(
        what=f"App._handle_exception{inspect.signature(hook)}"
    )
    assert parameters(CrashReporting._handle_exception) == parameters(hook)
    # Textual's own handler sets the state ours sets: the exit code, and the first
    # error with the event that lets Pilot re-raise it in tests.
    source = inspect.getsource(hook)
    for step in ("self._return_code =", "self._exception =", "self._exception_event.set()"):
        assert step in source, UPDATE.format(what=f"App._handle_exception no longer does {step}")


def test_textual_still_has_the_state_the_hook_sets():
    closing = getattr(App, "_close_messages_no_wait", None)
    assert callable(closing) and parameters(closing) == ["self"], UPDATE.format(
        what="App._close_messages_no_wait"
    )
    app = App[None]()
    assert isinstance(getattr(app, "_exception_event", None), asyncio.Event), UPDATE.format(
        what="App._exception_event"
    )
    assert app._exception is None, UPDATE.format(what="App._exception")
    assert isinstance(app._exit_renderables, list), UPDATE.format(what="App._exit_renderables")
    app._return_code = EXIT_INTERNAL
    assert app.return_code == EXIT_INTERNAL, UPDATE.format(
        what="App.return_code no longer reads App._return_code"
    )


@pytest.mark.parametrize("name", PRIVATE_API)
def test_each_private_name_is_on_textuals_app(name: str):
    app = App[None]()
    assert hasattr(type(app), name) or hasattr(app, name), UPDATE.format(what=f"App.{name}")


# -- at work: the real app, in a terminal of its own ----------------------------------------

BROKEN_APP = """
import sys
from tui.app import CicteApp
from tui.launch import main

def on_ready(self):
    raise RuntimeError("a bug inside the app")

CicteApp.on_ready = on_ready  # once the main screen is up
sys.exit(main(sys.argv[1:]))
"""

ESCAPES = re.compile(r"\x1b(\[[0-9;?<>=$]*[A-Za-z~]|\][^\x07]*\x07|[=>78])|\x07")
"""Terminal control sequences (and the bell), to read what is left as text."""


def _read_all(terminal: int, into: bytearray) -> None:
    """Everything the app writes on its terminal, until its side closes (EIO)."""
    try:
        while chunk := os.read(terminal, 65536):
            into += chunk
    except OSError:
        pass


def test_an_error_inside_the_running_app_exits_6_with_one_line_and_a_crash_log(
    db_path: Path, tmp_path: Path
):
    state = tmp_path / "state"
    env = os.environ | {"XDG_STATE_HOME": str(state), "TERM": "xterm-256color"}
    ours, its = os.openpty()
    termios.tcsetwinsize(its, (40, 400))  # wide enough for the message on one line
    screen = bytearray()
    reader = threading.Thread(target=_read_all, args=(ours, screen), daemon=True)
    reader.start()
    try:
        with subprocess.Popen(
            [sys.executable, "-c", BROKEN_APP, "--db", str(db_path), "--today", "2008-06-15"],
            stdin=its,
            stdout=its,
            stderr=its,
            env=env,
            cwd=Path(__file__).resolve().parents[1],
        ) as app:
            os.close(its)
            code = app.wait(timeout=60)
        reader.join(timeout=60)
    finally:
        os.close(ours)
    # What stays on the terminal once the app has left its screen: one sentence.
    after = screen.decode("utf-8", "replace").rpartition("\x1b[?1049l")[2]
    said = [line for line in ESCAPES.sub("", after).splitlines() if line.strip()]
    logs = list(state.rglob("crash-*.log"))
    assert (code, len(logs)) == (EXIT_INTERNAL, 1), said
    assert said == [
        "cicte-tui stopped on an internal error. Every edit the app confirmed was saved. "
        f"The details are in {logs[0]}."
    ]
    assert "RuntimeError: a bug inside the app" in logs[0].read_text("utf-8")
