"""The command at the edges: a closed or full stdout, no terminal, an internal error,
putting a backup back, and who holds the lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store.backups import rotating_backups
from store.repository import Tracker
from tui.cli.exit_codes import (
    EXIT_INTERNAL,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_STORE,
    EXIT_USAGE,
)


def cicte(db_path: Path, *argv: str, **options) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "tui", *argv, "--db", str(db_path), "--today", "2008-06-15"]
    return subprocess.run(command, text=True, timeout=60, **options)


@pytest.mark.parametrize(
    "argv", [["status"], ["brief", "--event", "cicte-session"], ["export", "markdown", "-o", "-"]]
)
def test_a_full_stdout_is_one_line_and_its_own_exit_code(db_path, argv):
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    with open("/dev/full", "w") as full:
        result = cicte(db_path, *argv, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == EXIT_OUTPUT
    assert result.stderr.strip().splitlines() == [
        "cicte-tui: cannot write to standard output: No space left on device"
    ]


@pytest.mark.parametrize(
    "argv", [["status"], ["brief", "--event", "cicte-session"], ["export", "csv", "-o", "-"]]
)
def test_a_closed_stdout_is_one_line_and_its_own_exit_code(db_path, argv):
    command = [sys.executable, "-m", "tui", *argv, "--db", str(db_path), "--today", "2008-06-15"]
    result = subprocess.run(
        ["sh", "-c", '"$@" >&-', "sh", *command], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == EXIT_OUTPUT
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("cicte-tui: cannot write to standard output")


def test_a_reader_that_leaves_early_is_not_an_error(db_path):
    command = [sys.executable, "-m", "tui", "export", "json", "-o", "-", "--db", str(db_path)]
    result = subprocess.run(
        ["sh", "-c", '"$@" | head -c 10 >/dev/null; exit "${PIPESTATUS:-0}"', "sh", *command],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stderr == ""


def test_the_app_without_a_terminal_says_so_and_exits_2(db_path):
    result = cicte(db_path, stdin=subprocess.DEVNULL, capture_output=True)
    assert result.returncode == EXIT_USAGE
    assert result.stdout == ""  # no escape codes anywhere
    assert "\x1b" not in result.stderr
    assert "needs a terminal" in result.stderr and "cicte-tui status" in result.stderr


def test_an_internal_error_exits_non_zero_with_the_traceback_in_the_crash_log(
    db_path, tmp_path, monkeypatch, capsys
):
    from tui.cli import parser as cli
    from tui.cli import status

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(status, "status_report", broken)
    assert cli.main(["status", "--db", str(db_path)]) == EXIT_INTERNAL
    error = capsys.readouterr().err
    assert "Traceback" not in error and "internal error" in error
    [log] = (tmp_path / "state").rglob("crash-*.log")
    assert str(log) in error
    text = log.read_text("utf-8")
    assert "Traceback (most recent call last)" in text and "RuntimeError: a bug" in text
    assert log.stat().st_mode & 0o777 == 0o600 and log.parent.stat().st_mode & 0o777 == 0o700


async def test_an_internal_error_in_the_app_exits_non_zero_with_the_traceback_logged(
    db_path, tmp_path, monkeypatch
):
    from tests.tui.conftest import editing_app

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    with pytest.raises(ZeroDivisionError):  # Pilot re-raises what the app met
        async with editing_app(db_path) as (app, pilot):
            app.call_later(lambda: 1 / 0)
            await pilot.pause()
    assert app.return_code == EXIT_INTERNAL
    [log] = (tmp_path / "state").rglob("crash-*.log")
    assert "ZeroDivisionError" in log.read_text("utf-8")
    assert "Traceback (most recent call last)" in log.read_text("utf-8")


# -- backups and restore ---------------------------------------------------------


def edit_owner(db_path: Path, owner: str) -> None:
    with Tracker.open(db_path) as tracker:
        from dataclasses import replace

        tracker.save_obligation(replace(tracker.find("1.i"), owner=owner))


def test_restore_lists_the_backups_newest_first(db_path, run):
    for owner in ("Ana", "Bea"):
        edit_owner(db_path, owner)
    code, out, _ = run("restore", "--list")
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0] == f"Backups of {db_path}, newest first:"
    names = [backup.path.name for backup in rotating_backups(db_path)]
    assert [line.split()[1] for line in lines[1 : 1 + len(names)]] == names
    with Tracker.open(db_path, read_only=True) as tracker:
        items = len(list(tracker.every_obligation()))
    assert f"1 plan year(s), {items} items" in lines[1]


def test_restore_puts_a_backup_back_after_keeping_the_current_file(db_path, run):
    edit_owner(db_path, "Ana")
    edit_owner(db_path, "Bea")  # its open backed up the file holding Ana
    current = db_path.read_bytes()
    [with_ana] = [b for b in rotating_backups(db_path) if '"Ana"' in b.path.read_text("utf-8")]
    code, out, _ = run("restore", with_ana.path.name)
    assert code == EXIT_OK and "Restored" in out
    with Tracker.open(db_path, read_only=True) as tracker:
        assert tracker.find("1.i").owner == "Ana"
    assert any(b.path.read_bytes() == current for b in rotating_backups(db_path))


def test_restore_keeps_an_unreadable_tracker_before_replacing_it(db_path, run):
    edit_owner(db_path, "Ana")
    db_path.write_text("{broken", "utf-8")
    code, out, err = run("status")
    assert code == EXIT_STORE and "cicte-tui restore" in err
    code, out, _ = run("restore", "1")
    assert code == EXIT_OK
    [kept] = db_path.parent.glob("tracker.json.unreadable-*")
    assert kept.read_text("utf-8") == "{broken"
    assert run("status")[0] == EXIT_OK


def test_restore_refuses_a_backup_that_does_not_load(db_path, run, tmp_path):
    edit_owner(db_path, "Ana")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"meta": {"1": {"schema_version": 3}}}), "utf-8")
    before = db_path.read_bytes()
    code, _, err = run("restore", str(bad))
    assert code == EXIT_STORE and "cannot read" in err
    assert db_path.read_bytes() == before


def test_a_refused_writer_learns_who_holds_the_lock(db_path, run):
    with Tracker.open(db_path):
        code, _, err = run("note", "1.i", "hello")
    assert code == EXIT_LOCKED
    assert f"process {os.getpid()}" in err and "since" in err
