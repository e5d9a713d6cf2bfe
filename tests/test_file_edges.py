"""Files at the edges: streams, pipes, stray names, growth past the limit, restore's own
backups, and a merge of two sides that both did the same thing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime

import pytest

import store.storage
from store.backups import KEEP, back_up, rotating_backups
from store.errors import StoreError
from store.model import Completion
from store.repository import Tracker
from store.three_way import three_way_merge
from tui.cli.exit_codes import EXIT_OK, EXIT_STORE, EXIT_USAGE


def test_a_tracker_that_would_outgrow_the_size_limit_refuses_the_edit(db_path, monkeypatch):
    Tracker.open(db_path).close()
    monkeypatch.setattr(store.storage, "MAX_FILE_BYTES", db_path.stat().st_size + 1000)
    before = db_path.read_bytes()
    with Tracker.open(db_path) as tracker:
        with pytest.raises(StoreError, match="would grow to .* the change was not saved"):
            tracker.save_obligation(replace(tracker.find("1.i"), owner="x" * 5000))
        assert tracker.find("1.i").owner == ""
    assert db_path.read_bytes() == before
    Tracker.open(db_path).close()  # and it still opens


def test_an_endless_import_stream_is_refused_without_filling_the_memory(run, monkeypatch):
    monkeypatch.setattr(store.storage, "MAX_FILE_BYTES", 1_000_000)
    code, _, err = run("import", "--replace", "/dev/zero")
    assert code == EXIT_USAGE and "over 0 MB, the most cicte-tui reads" in err


def test_a_tracker_that_is_a_pipe_is_refused_not_waited_for(tmp_path):
    pipe = tmp_path / "tracker.json"
    os.mkfifo(pipe)
    command = [sys.executable, "-m", "tui", "status", "--db", str(pipe)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == EXIT_STORE and "not a regular file" in result.stderr


def test_a_lock_file_that_is_a_pipe_or_a_folder_is_refused_with_its_name(db_path, run):
    lock = db_path.with_name("tracker.json.lock")
    os.mkfifo(lock)
    code, _, err = run("note", "1.i", "x")
    assert code == EXIT_STORE and f"the lock file {lock} is not a regular file" in err
    lock.unlink()
    lock.mkdir()
    code, _, err = run("note", "1.i", "x")
    assert code == EXIT_STORE and f"the lock file {lock} is not a regular file" in err


def test_a_stray_file_named_like_a_backup_is_not_taken_for_one(db_path, run):
    Tracker.open(db_path).close()
    db_path.with_name("tracker.json.20081399-999999.bak").write_text("x", "utf-8")
    assert run("note", "1.i", "x")[0] == EXIT_OK
    assert run("restore", "--list")[0] == EXIT_OK


@pytest.mark.parametrize("kept", ["backup", "lock"])
def test_the_db_cannot_be_a_backup_or_the_lock(db_path, capsys, kept):
    from tui.cli.parser import main

    Tracker.open(db_path).close()
    [backup] = rotating_backups(db_path)
    wrong = backup.path if kept == "backup" else db_path.with_name("tracker.json.lock")
    before = wrong.read_bytes()
    assert main(["note", "1.i", "x", "--db", str(wrong)]) == EXIT_USAGE
    assert "is a backup or lock file of a tracker" in capsys.readouterr().err
    assert wrong.read_bytes() == before


def test_restoring_the_oldest_backup_keeps_it(db_path, run):
    Tracker.open(db_path).close()
    for second in range(KEEP):  # fill the rotation with other versions
        back_up(db_path, f'{{"v": {second}}}'.encode(), datetime(2030, 1, 1, 0, 0, second))
    oldest = rotating_backups(db_path)[-1].path
    oldest.write_bytes(db_path.read_bytes())
    assert run("restore", oldest.name)[0] == EXIT_OK
    assert oldest.exists()


def test_restore_of_a_backup_that_does_not_exist_is_a_usage_error(db_path, run):
    Tracker.open(db_path).close()
    code, _, err = run("restore", "9")
    assert code == EXIT_USAGE and "no backup '9'" in err


def test_the_corrupt_message_says_which_tracker_to_restore(db_path, run):
    Tracker.open(db_path).close()
    db_path.write_text("{", "utf-8")
    code, _, err = run("status")
    assert code == EXIT_STORE and f"--db {db_path}' puts it back" in err


def test_the_app_without_a_terminal_writes_nothing(tmp_path):
    new = tmp_path / "folder" / "tracker.json"
    command = [sys.executable, "-m", "tui", "--db", str(new)]
    result = subprocess.run(
        command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == EXIT_USAGE
    assert not new.parent.exists() or list(new.parent.iterdir()) == []


def test_both_sides_marking_one_occurrence_done_keep_one_completion(tracker):
    base = json.loads(json.dumps(tracker.raw_document()))
    row_id = next(i for i, r in base["obligations"].items() if r["number"] == "1.ii")
    done = Completion("2008-09-30", date(2008, 9, 20), date(2008, 9, 30))
    from store.documents import completion_to_doc

    mine, theirs = json.loads(json.dumps(base)), json.loads(json.dumps(base))
    mine["obligations"][row_id]["completions"] = [completion_to_doc(done)]
    theirs["obligations"][row_id]["completions"] = [
        completion_to_doc(replace(done, done_on=date(2008, 9, 21)))
    ]
    merged = three_way_merge(base, mine, theirs)
    row = next(r for r in merged.document["obligations"].values() if r["number"] == "1.ii")
    assert [c["occurrence"] for c in row["completions"]] == ["2008-09-30"]


def test_an_interval_beyond_any_calendar_is_refused(run):
    code, _, err = run("set", "1.iv", "--rule", "every 99999999999 months from 2008-01-01")
    assert code == EXIT_USAGE and "the interval must be between 1 and 999" in err


def test_keep_mine_when_the_versions_cannot_be_combined_keeps_theirs_as_a_backup(db_path):
    from store.model import Status
    from store.settling import EditConflict

    with Tracker.open(db_path) as tracker:
        document = json.loads(db_path.read_text("utf-8"))
        for row in document["obligations"].values():
            if row["number"] == "1.i":
                row["status"] = "blocked"
            if row["number"] == "1.iii":
                row["owner"] = "Bea"
        theirs = json.dumps(document).encode("utf-8")
        db_path.with_name("elsewhere").write_bytes(theirs)
        os.replace(db_path.with_name("elsewhere"), db_path)
        with pytest.raises(EditConflict) as clash, tracker.transaction():
            tracker.save_obligation(replace(tracker.find("1.i"), status=Status.IN_PROGRESS))
            tracker.delete_series("cicte-session")  # what items still hang on
        tracker.settle(clash.value.pending, "mine")
        assert "could not be combined with your edit" in " ".join(tracker.notices)
        assert tracker.find("1.i").status is Status.IN_PROGRESS
    assert any(b.path.read_bytes() == theirs for b in rotating_backups(db_path))


def test_import_folds_line_breaks_in_single_line_fields_and_keeps_them_in_notes(
    db_path, run, tmp_path
):
    assert run("export", "json", "-o", str(tmp_path / "e.json"))[0] == EXIT_OK
    data = json.loads((tmp_path / "e.json").read_text("utf-8"))
    data["plans"][0]["title"] = "PROJET\nDE PLAN"
    series = data["meeting_series"][0]
    series["name"] = "first\r\nsecond"
    row = next(r for r in data["plans"][0]["obligations"] if r["number"] == "1.i")
    row["owner"] = "Ana\tMaría"
    row["notes"] = [{"at": "2008-06-01T09:00:00", "text": "line one\nline two"}]
    (tmp_path / "n.json").write_text(json.dumps(data), "utf-8")
    assert run("import", "--replace", str(tmp_path / "n.json"))[0] == EXIT_OK
    with Tracker.open(db_path, read_only=True) as stored:
        assert stored.plan.title == "PROJET DE PLAN"
        assert stored.meetings[series["key"]].name == "first second"
        assert stored.find("1.i").owner == "Ana María"
        assert stored.find("1.i").notes[0].text == "line one\nline two"
    code, out, _ = run("export", "ics", "-o", "-")
    assert code == EXIT_OK and "X-WR-CALNAME:" in out


def test_import_refuses_an_id_with_a_line_break(db_path, run, tmp_path):
    assert run("export", "json", "-o", str(tmp_path / "e.json"))[0] == EXIT_OK
    data = json.loads((tmp_path / "e.json").read_text("utf-8"))
    row = next(r for r in data["plans"][0]["obligations"] if r["number"] == "1.iv")
    row["key"] = "I-1.iv\nX"
    (tmp_path / "n.json").write_text(json.dumps(data), "utf-8")
    code, _, err = run("import", "--replace", str(tmp_path / "n.json"))
    assert code == EXIT_USAGE and "id: it cannot hold spaces or line breaks" in err
    assert "\n" not in err.rstrip("\n")
