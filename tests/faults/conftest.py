"""Shared pieces of the fault-injection suite: faults in the os calls, children that report."""

from __future__ import annotations

import contextlib
import errno
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import store.files
from store.repository import Tracker

KEY = "I-1.ii"
"""The item the tests edit."""
OTHER_KEY = "I-1.iii"
"""The item someone else edits meanwhile."""

CHILD_BOUND = 30.0
"""Seconds a child may take to report a step before the test gives up (a bound, never a wait)."""


@pytest.fixture(autouse=True)
def _private_crash_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An internal error writes a crash log under the user's state folder: keep it in the test's.
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("CICTE_DB", raising=False)


@pytest.fixture
def tracker_file(tmp_path: Path) -> Path:
    """A tracker file written once (seeded, with its first backup), closed."""
    path = tmp_path / "data" / "tracker.json"
    Tracker.open(path).close()
    return path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """``cicte-tui ARGV --db DB`` in this process: (exit code, out, err)."""
    from tui.launch import main

    def cli(*argv: str, db: Path, today: str = "2008-06-15") -> tuple[int, str, str]:
        code = main([*argv, "--db", str(db), "--today", today])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return cli


def temp_files(folder: Path) -> list[str]:
    """Anything in ``folder`` that looks like a temporary file, ours or not."""
    return sorted(n for n in os.listdir(folder) if n.endswith(".tmp") or n.startswith("."))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file in ``folder`` and its bytes, but the lock (its record changes
    with each writer)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix != ".lock"
    }


# -- faults in the os calls of store.files ------------------------------------------


def no_space() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FailingStream(contextlib.AbstractContextManager["_FailingStream"]):
    """A file object that writes the first half of what it is given, then fails
    (``corrupt``: writes everything with one byte changed, and says nothing)."""

    def __init__(self, stream: Any, fault: FaultyOS) -> None:
        self._stream = stream
        self._fault = fault

    def write(self, content: bytes) -> int:
        if self._fault.fail == "corrupt":
            self._fault.fired += 1
            return int(self._stream.write(bytes([content[0] ^ 0x20]) + content[1:]))
        self._stream.write(content[: len(content) // 2])
        self._stream.flush()
        self._fault.fired += 1
        raise self._fault.error()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def __exit__(self, *exception: object) -> None:
        self._stream.close()


class FaultyOS:
    """The ``os`` module as store.files sees it, with one kind of call failing.

    ``fail``: ``write`` (half the bytes land, then ENOSPC), ``fsync`` (EIO on the
    file's fsync), ``replace`` (the rename fails), ``corrupt`` (the bytes land
    changed, with no error: a bad disk).
    """

    def __init__(self, fail: str = "", error: Callable[[], OSError] | None = None) -> None:
        self.fail = fail
        self.fired = 0
        self.error = error or (
            (lambda: OSError(errno.EIO, os.strerror(errno.EIO))) if fail == "fsync" else no_space
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def fdopen(self, descriptor: int, *args: Any, **kwargs: Any) -> Any:
        stream = os.fdopen(descriptor, *args, **kwargs)
        return _FailingStream(stream, self) if self.fail in ("write", "corrupt") else stream

    def fsync(self, descriptor: int) -> None:
        if self.fail == "fsync" and not self.fired:
            self.fired += 1
            raise self.error()
        os.fsync(descriptor)

    def replace(self, source: Any, target: Any) -> None:
        if self.fail == "replace":
            self.fired += 1
            raise self.error()
        os.replace(source, target)


@pytest.fixture
def inject(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], FaultyOS]]:
    """``inject("fsync")``: from now on store.files' fsync fails; ``inject("")`` heals it."""

    def inject(fail: str) -> FaultyOS:
        fault = FaultyOS(fail)
        monkeypatch.setattr(store.files, "os", fault if fail else os)
        return fault

    yield inject


# -- children that report what they have done ------------------------------------------


def python(script: str, *argv: str) -> list[str]:
    return [sys.executable, "-c", script, *argv]


REPOSITORY = Path(__file__).resolve().parents[2]

_FAULTY_CLI = """
import sys
import store.files
from tests.faults.conftest import FaultyOS
store.files.os = FaultyOS(sys.argv[1])
from tui.launch import main
sys.exit(main(sys.argv[2:]))
"""


def cli_process(*argv: str, fault: str = "") -> subprocess.CompletedProcess[str]:
    """``cicte-tui ARGV`` in a process of its own, with one kind of os call failing in
    store.files (see :class:`FaultyOS`): its real exit code and messages."""
    return subprocess.run(
        python(_FAULTY_CLI, fault, *argv),
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=CHILD_BOUND,
    )


class Child:
    """A child process that reports each step on its standard output, one line each.

    ``expect`` waits for a line (bounded: a child that hangs or dies fails the test
    with its stderr); ``kill`` ends it with SIGKILL and collects what it said.
    """

    def __init__(self, argv: list[str], *, stdin: bool = False) -> None:
        self.process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.pid = self.process.pid
        self.lines: list[str] = []
        self._unread: list[str] = []
        self._partial = b""

    def _fill(self, within: float) -> bool:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], within)
        if not ready:
            return False
        chunk = os.read(self.process.stdout.fileno(), 65536)
        if not chunk:
            return False
        *complete, self._partial = (self._partial + chunk).split(b"\n")
        for line in complete:
            text = line.decode("utf-8", "replace")
            self.lines.append(text)
            self._unread.append(text)
        return True

    def expect(self, prefix: str | tuple[str, ...], within: float = CHILD_BOUND) -> str:
        """The next line starting with ``prefix`` (earlier other lines are passed over)."""
        deadline = time.monotonic() + within
        while True:
            while self._unread:
                line = self._unread.pop(0)
                if line.startswith(prefix):
                    return line
            left = deadline - time.monotonic()
            if left <= 0 or not self._fill(left):
                self.kill()
                raise AssertionError(
                    f"the child did not report {prefix!r} (said {self.lines[-5:]}); "
                    f"stderr: {self.stderr}"
                )

    def go_on(self) -> None:
        """Let a child that waits after each report (on its standard input) go on."""
        assert self.process.stdin is not None
        self.process.stdin.write(b"\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        """SIGKILL, then everything it had written before it died."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
        out, err = self.process.communicate(timeout=CHILD_BOUND)
        *complete, _ = (self._partial + out).split(b"\n")
        self._partial = b""
        self.lines += [line.decode("utf-8", "replace") for line in complete]
        self.stderr = err.decode("utf-8", "replace")

    def finish(self) -> int:
        """Close its standard input (it ends on its own) and wait for it, bounded."""
        out, err = self.process.communicate(input=b"", timeout=CHILD_BOUND)
        self.lines += out.decode("utf-8", "replace").splitlines()
        self.stderr = err.decode("utf-8", "replace")
        return self.process.returncode

    stderr = ""
