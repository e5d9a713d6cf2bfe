"""A tracker written by the 0.1.0 release (schema 1) opens with nothing lost."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from store.editing import Editor
from store.model import Evidence, Session, Status
from store.repository import Tracker
from store.schedule import Outlook, State, assess
from store.storage import SCHEMA_VERSION, schema_backup_path

FIXTURE = Path(__file__).parent.parent / "fixtures" / "tracker-schema1.json"


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "tracker.json"
    shutil.copyfile(FIXTURE, path)
    return path


def test_the_old_file_is_kept_as_it_was_then_rewritten_in_the_current_schema(old_file):
    original = old_file.read_bytes()
    with Tracker.open(old_file):
        pass
    assert schema_backup_path(old_file, 1).read_bytes() == original
    written = json.loads(old_file.read_text("utf-8"))
    assert written["meta"]["1"]["schema_version"] == SCHEMA_VERSION == 3
    assert "events" not in written and "series" in written and "plans" in written


def test_a_reader_migrates_in_memory_and_writes_nothing(old_file):
    original = old_file.read_bytes()
    with Tracker.open(old_file, read_only=True) as tracker:
        assert tracker.meetings["cicte-session"].session(2008) is not None
    assert old_file.read_bytes() == original
    assert not schema_backup_path(old_file, 1).exists()


def test_a_crash_during_the_migration_leaves_the_schema_1_file_intact(old_file, monkeypatch):
    import os

    original = old_file.read_bytes()
    real_replace = os.replace

    def crash_on_the_tracker(source, target, *args, **kwargs):
        if Path(target) == old_file:
            raise OSError("disk full")
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", crash_on_the_tracker)
    with pytest.raises(Exception, match="disk full"):
        Tracker.open(old_file)
    monkeypatch.undo()
    assert old_file.read_bytes() == original
    with Tracker.open(old_file) as tracker:  # and the next open migrates it
        assert len(tracker) == 59


def test_plan_items_tracking_state_and_the_added_item_are_kept(old_file):
    old = json.loads(FIXTURE.read_text("utf-8"))
    with Tracker.open(old_file) as tracker:
        assert len(tracker) == len(old["obligations"]) == 59
        for row in old["obligations"].values():
            migrated = tracker.get(row["key"])
            assert migrated is not None
            assert migrated.text == row["text"]
            assert migrated.status.value == row["status"]
            assert migrated.owner == row["owner"]
            assert [n.text for n in migrated.notes] == [n["text"] for n in row["notes"]]
            assert migrated.last_reviewed == (
                date.fromisoformat(row["last_reviewed"]) if row["last_reviewed"] else None
            )
        added = tracker.find("2.vi")
        assert added.owner == "J. Smith" and added.rules == ("2008-10-15",)
        assert tracker.find("1.ii").status is Status.DONE
        customs = tracker.find("II-1.D.1")
        assert customs.rules == ("period 2004-2008",)
        assert customs.notes[0].text == "Atelier régional prévu à Bogotá — [bold]à confirmer[/]"


def test_each_completion_is_attached_to_its_occurrence_with_its_recorded_date(old_file):
    with Tracker.open(old_file) as tracker:
        (secretariat,) = tracker.find("1.iv").completions
        assert secretariat.occurrence == "cicte-session/2008:before and during"
        assert secretariat.session == "cicte-session/2008"
        assert (secretariat.due, secretariat.done_on) == (date(2008, 3, 7), date(2008, 3, 6))
        (report,) = tracker.find("1.viii").completions
        assert (report.due, report.done_on) == (date(2008, 3, 7), date(2008, 3, 7))
        (directory,) = tracker.find("4.i").completions
        assert directory.occurrence == "2008-06-30"
        assert (directory.due, directory.done_on) == (date(2008, 6, 30), date(2008, 7, 2))
        assert directory.evidence == Evidence()
        today = Outlook(date(2008, 7, 15))
        assessed = assess(tracker.find("1.iv"), tracker.plan, tracker.meetings, today)
        assert assessed.occurrences[0].done_on == date(2008, 3, 6)


def test_meetings_become_series_with_2008_sessions(old_file):
    with Tracker.open(old_file) as tracker:
        meetings = tracker.meetings
        assert set(meetings) == {"cicte-session", "oas-ga", "pcn-meeting", "preparatory-meeting"}
        cicte = meetings["cicte-session"].session(2008)
        assert (cicte.start, cicte.end, cicte.title) == (
            date(2008, 3, 5),
            date(2008, 3, 7),
            "Eighth Regular Session",
        )
        moved_assembly = meetings["oas-ga"].session(2008)  # the user's dates and note are kept
        assert (moved_assembly.start, moved_assembly.end) == (date(2008, 6, 2), date(2008, 6, 4))
        assert moved_assembly.note.endswith("(dates checked)")
        assert meetings["pcn-meeting"].alongside == "cicte-session"
        assert meetings["preparatory-meeting"].session(2008).start == date(2007, 11, 2)
        points = assess(tracker.find("1.v"), tracker.plan, meetings, Outlook(date(2008, 2, 20)))
        assert points.next_due == date(2008, 3, 7)


def test_the_change_log_is_kept_and_holds_differences(old_file):
    old = json.loads(FIXTURE.read_text("utf-8"))
    with Tracker.open(old_file) as tracker:
        log = tracker.changes()
        assert [c.summary for c in log] == [c["summary"] for c in old["changes"].values()]
        assert {c.target for c in log} == {"obligation", "series"}
        status_edit = next(c for c in log if c.key == "I-3.i" and c.action == "edit")
        assert status_edit.before == {"last_reviewed": None, "status": "not started"}
        assert status_edit.after == {"last_reviewed": "2008-06-20", "status": "blocked"}
        added = next(c for c in log if c.action == "add")
        assert added.before is None and added.after["key"] == "I-2.vi"


def test_after_the_migration_moving_the_session_keeps_history(old_file):
    with Tracker.open(old_file) as tracker:
        editor = Editor(tracker)
        editor.save_session(
            "cicte-session", Session(2008, date(2008, 3, 10), date(2008, 3, 12), "Eighth")
        )
        today = Outlook(date(2008, 3, 11))
        secretariat = assess(tracker.find("1.iv"), tracker.plan, tracker.meetings, today)
        kept = secretariat.occurrences[0]
        assert (kept.due, kept.done_on) == (date(2008, 3, 7), date(2008, 3, 6))
        assert not secretariat.overdue and not secretariat.due_soon
        closing = assess(tracker.find("1.xiii"), tracker.plan, tracker.meetings, today)
        assert closing.next_due == date(2008, 4, 11)  # open: it moved with the session


def test_the_period_that_ended_is_not_overdue_in_2009(old_file):
    with Tracker.open(old_file) as tracker:
        customs = assess(
            tracker.find("II-1.D.1"), tracker.plan, tracker.meetings, Outlook(date(2009, 3, 1))
        )
        assert customs.state is State.PERIOD_ENDED and not customs.overdue


def test_a_schema_1_file_that_cannot_be_migrated_is_refused_untouched(old_file):
    from store.storage import StoreCorrupt

    spoiled = json.loads(old_file.read_text("utf-8"))
    row = next(r for r in spoiled["obligations"].values() if r["key"] == "I-4.i")
    row["completions"][0]["completed_on"] = "2008-02-30"
    old_file.write_text(json.dumps(spoiled), "utf-8")
    original = old_file.read_bytes()
    with pytest.raises(StoreCorrupt, match="cannot (read|migrate) .* left untouched"):
        Tracker.open(old_file)
    assert old_file.read_bytes() == original


def _event(document, key):
    return next(e for e in document["events"].values() if e["key"] == key)


def test_the_users_meeting_name_and_place_are_kept(old_file):
    spoiled = json.loads(old_file.read_text("utf-8"))
    cicte = _event(spoiled, "cicte-session")
    cicte["place"], cicte["name"] = "Bogotá, Colombia", "Session ordinaire du CICTE"
    old_file.write_text(json.dumps(spoiled), "utf-8")
    with Tracker.open(old_file) as tracker:
        series = tracker.meetings["cicte-session"]
        assert series.name == "Session ordinaire du CICTE"
        session = series.session(2008)
        assert (session.place, session.title) == ("Bogotá, Colombia", "Eighth Regular Session")


def test_a_meeting_moved_to_2009_keeps_its_2008_dates_from_the_change_log(old_file):
    # The 0.1 bug: after 1.iv was done in March 2008, the user set the CICTE
    # session to March 2009, which rewrote the completion's date.
    old = json.loads(old_file.read_text("utf-8"))
    cicte = _event(old, "cicte-session")
    before = dict(cicte)
    cicte["start"], cicte["end"] = "2009-03-04", "2009-03-06"
    old["changes"]["99"] = {
        "at": "2009-03-01T09:00:00", "target": "event", "key": "cicte-session",
        "action": "edit", "summary": "first day: 2008-03-05 → 2009-03-04",
        "before": before, "after": dict(cicte),
    }  # fmt: skip
    old_file.write_text(json.dumps(old), "utf-8")
    with Tracker.open(old_file) as tracker:
        series = tracker.meetings["cicte-session"]
        assert [(s.year, s.start) for s in series.sessions] == [
            (2008, date(2008, 3, 5)),
            (2009, date(2009, 3, 4)),
        ]
        (done,) = tracker.find("1.iv").completions
        assert (done.due, done.done_on) == (date(2008, 3, 7), date(2008, 3, 6))
        editor = Editor(tracker)
        editor.save_session("cicte-session", Session(2008, date(2008, 9, 20), date(2008, 9, 22)))
        moved = assess(
            tracker.find("1.iv"), tracker.plan, tracker.meetings, Outlook(date(2009, 3, 1))
        )
        assert moved.occurrences[0].due == date(2008, 3, 7)  # history stays put
        editor.uncomplete("I-1.iv", date(2008, 3, 7))
        assert tracker.find("1.iv").completions == ()


def test_a_completion_whose_rule_was_edited_since_keeps_its_due_date(old_file):
    old = json.loads(old_file.read_text("utf-8"))
    row = next(r for r in old["obligations"].values() if r["key"] == "I-1.iv")
    row["rules"] = ["yearly in march"]
    old_file.write_text(json.dumps(old), "utf-8")
    with Tracker.open(old_file) as tracker:
        (done,) = tracker.find("1.iv").completions
        assert (done.due, done.session) == (date(2008, 3, 7), "cicte-session/2008")
        assessed = assess(
            tracker.find("1.iv"), tracker.plan, tracker.meetings, Outlook(date(2008, 4, 1))
        )
        assert assessed.history == (done,)  # shown as done, no longer scheduled


def test_a_second_migration_at_the_same_path_keeps_the_first_copy(old_file):
    first = old_file.read_bytes()
    Tracker.open(old_file).close()
    shutil.copyfile(FIXTURE, old_file)
    Tracker.open(old_file).close()
    assert schema_backup_path(old_file, 1).read_bytes() == first
    assert old_file.with_name("tracker.json.schema-1.2.bak").exists()
