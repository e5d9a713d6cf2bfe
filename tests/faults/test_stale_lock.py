"""The writer lock: a killed writer's lock is taken over with a note; a live one refuses by name."""

from __future__ import annotations

import getpass
import socket
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from store.locking import lock_path
from store.repository import Tracker
from store.storage import StoreLocked
from tests.faults.conftest import KEY, Child, python

HOLDER = """
import os, sys
from pathlib import Path
from store.repository import Tracker

path = Path(sys.argv[1])
with Tracker.open(path) as tracker:
    print("held", flush=True)
    sys.stdin.read()  # until the test closes our stdin
"""

TAKE_OVER = """
import os, sys
from pathlib import Path
from store.repository import Tracker

path = Path(sys.argv[1])
os.unlink(str(path) + ".lock")
with Tracker.open(path) as tracker:
    print("held", flush=True)
    sys.stdin.read()
"""

Cli = Callable[..., tuple[int, str, str]]


def _holder(path: Path, script: str = HOLDER) -> Child:
    child = Child(python(script, str(path)), stdin=True)
    child.expect("held")
    return child


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        pytest.skip("no user name to look for")


def test_a_writer_killed_holding_the_lock_is_taken_over_with_a_note(tracker_file: Path) -> None:
    writer = _holder(tracker_file)
    writer.kill()
    with Tracker.open(tracker_file) as tracker:
        said = " ".join(tracker.notices)
        assert f"process {writer.pid}" in said
        assert _user() in said and socket.gethostname() in said
        assert "stopped without closing it" in said
        tracker.save_obligation(replace(tracker.find(KEY), owner="after the kill"))  # type: ignore[type-var]
    # Closed cleanly this time: the next writer is told nothing.
    with Tracker.open(tracker_file) as tracker:
        assert tracker.notices == []


def test_a_live_writer_refuses_a_second_one_naming_itself(tracker_file: Path, cli: Cli) -> None:
    before = tracker_file.read_bytes()
    writer = _holder(tracker_file)
    try:
        with pytest.raises(StoreLocked) as caught:
            Tracker.open(tracker_file)
        for said in (str(caught.value), cli("note", KEY, "refused", db=tracker_file)[2]):
            assert f"process {writer.pid}" in said
            assert _user() in said and socket.gethostname() in said
            assert str(lock_path(tracker_file)) in said
        assert cli("note", KEY, "refused", db=tracker_file)[0] == 4
        assert cli("status", db=tracker_file)[0] == 0  # a reader needs no lock
        assert tracker_file.read_bytes() == before
    finally:
        assert writer.finish() == 0, writer.stderr
    with Tracker.open(tracker_file) as tracker:
        assert tracker.notices == []


def test_a_deleted_lock_taken_by_another_writer_stops_my_next_save(tracker_file: Path) -> None:
    with Tracker.open(tracker_file) as tracker:
        before = tracker_file.read_bytes()
        other = _holder(tracker_file, TAKE_OVER)
        try:
            with pytest.raises(StoreLocked) as caught:
                tracker.save_obligation(replace(tracker.find(KEY), owner="refused"))  # type: ignore[type-var]
            assert f"process {other.pid}" in str(caught.value)
            assert tracker_file.read_bytes() == before
            assert tracker.find(KEY).owner == ""  # type: ignore[union-attr]
        finally:
            assert other.finish() == 0, other.stderr
        # The other writer has gone: this one takes the lock again and saves.
        tracker.save_obligation(replace(tracker.find(KEY), owner="saved"))  # type: ignore[type-var]
    with Tracker.open(tracker_file, read_only=True) as saved:
        assert saved.find(KEY).owner == "saved"  # type: ignore[union-attr]
