"""Edits through the store: saved at once, logged, undoable, never with control characters."""

from dataclasses import replace
from datetime import date, datetime

import pytest

from store.editing import EditError, Editor
from store.model import Event, Obligation, Section, Status
from store.repository import Tracker
from store.schedule import Outlook, assess

JUNE_20 = date(2008, 6, 20)


def clock() -> datetime:
    return datetime(2026, 11, 28, 10, 15, 0)


def assessed(tracker, key, today=JUNE_20):
    return assess(tracker.obligation(key), tracker.plan, tracker.events, Outlook(today))


@pytest.fixture
def editing(db_path):
    tracker = Tracker.open(db_path)
    yield tracker, Editor(tracker, clock)
    tracker.close()


def reopened(db_path) -> Tracker:
    return Tracker.open(db_path, read_only=True)


def test_status_change_is_saved_and_counts_as_a_review(editing, db_path):
    tracker, editor = editing
    editor.cycle_status("I-1.i", JUNE_20)
    assert tracker.obligation("I-1.i").status is Status.IN_PROGRESS
    saved = reopened(db_path).obligation("I-1.i")
    assert saved.status is Status.IN_PROGRESS and saved.last_reviewed == JUNE_20
    assert not assessed(tracker, "I-1.i").stale


def test_completing_a_recurring_occurrence_makes_the_next_one_current(editing, db_path):
    tracker, editor = editing
    editor.toggle_occurrence(assessed(tracker, "I-4.i"), JUNE_20)
    after = assessed(tracker, "I-4.i")
    assert after.next_due == date(2008, 12, 31)
    assert not after.due_soon
    assert reopened(db_path).obligation("I-4.i").completions[0].occurrence == "2008-06-30"
    editor.toggle_occurrence(after, JUNE_20)  # pressed again at once: taken back
    assert assessed(tracker, "I-4.i").next_due == date(2008, 6, 30)
    assert reopened(db_path).obligation("I-4.i").completions == ()


def test_an_event_anchored_completion_survives_moving_the_event(editing):
    tracker, editor = editing
    editor.toggle_occurrence(assessed(tracker, "I-1.viii"), JUNE_20)
    session = tracker.events["cicte-session"]
    editor.save_event(replace(session, start=date(2008, 3, 12), end=date(2008, 3, 14)))
    moved = assessed(tracker, "I-1.viii")
    assert moved.occurrences[0].due == date(2008, 3, 14)
    assert moved.done and not moved.overdue


def test_notes_are_added_edited_and_deleted(editing, db_path):
    tracker, editor = editing
    editor.add_note("I-1.ii", "Premier jet envoyé\nà la présidence", JUNE_20)
    note = tracker.obligation("I-1.ii").notes[0]
    assert note.at == datetime(2008, 6, 20, 10, 15)
    assert note.text == "Premier jet envoyé\nà la présidence"
    editor.edit_note("I-1.ii", note, "Second jet")
    assert reopened(db_path).obligation("I-1.ii").notes[0].text == "Second jet"
    editor.delete_note("I-1.ii", tracker.obligation("I-1.ii").notes[0])
    assert reopened(db_path).obligation("I-1.ii").notes == ()
    with pytest.raises(EditError, match="empty"):
        editor.add_note("I-1.ii", " \x1b[2J ", JUNE_20)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("\x1b]0;title\x07Réunion", "Réunion"),
        ("a\x1b[2Jb", "ab"),
        ("\x9b31mrouge", "rouge"),
        ("nul\x00l", "null"),
        ("[bold]x[/]", "[bold]x[/]"),
        ("[@click=app.quit]x", "[@click=app.quit]x"),
    ],
)
def test_control_characters_and_escape_sequences_are_stripped(editing, typed, stored):
    tracker, editor = editing
    editor.add_note("I-1.i", typed, JUNE_20)
    assert tracker.obligation("I-1.i").notes[-1].text == stored


def test_add_and_delete_an_obligation_and_undo_both(editing, db_path):
    tracker, editor = editing
    new = Obligation(
        "I-1.xiv", "1.xiv", Section.MANDATES, "I-1", "Nouvelle tâche", "", ("2008-11-30",)
    )
    editor.add_obligation(new)
    assert reopened(db_path).find("1.xiv").text == "Nouvelle tâche"
    with pytest.raises(EditError, match="already exists"):
        editor.add_obligation(new)
    editor.delete_obligation("I-1.v")
    assert reopened(db_path).find("1.v") is None
    editor.undo()
    restored = reopened(db_path).find("1.v")
    assert restored is not None and restored.order == 5  # back in its place
    editor.undo()
    assert reopened(db_path).find("1.xiv") is None
    editor.redo()
    assert reopened(db_path).find("1.xiv") is not None


def test_undo_and_redo_many_levels(editing, db_path):
    tracker, editor = editing
    editor.cycle_status("I-1.i", JUNE_20)
    editor.cycle_status("I-1.i", JUNE_20)
    editor.add_note("I-1.i", "vu", JUNE_20)
    assert tracker.obligation("I-1.i").status is Status.DONE
    editor.undo()
    editor.undo()
    assert reopened(db_path).obligation("I-1.i").status is Status.IN_PROGRESS
    assert reopened(db_path).obligation("I-1.i").notes == ()
    editor.redo()
    assert reopened(db_path).obligation("I-1.i").status is Status.DONE
    editor.cycle_status("I-1.ii", JUNE_20)  # a new edit forgets what could be redone
    assert not editor.can_redo


def test_the_change_log_records_old_and_new(editing, db_path):
    tracker, editor = editing
    editor.set_status("I-1.vii", Status.BLOCKED, JUNE_20)
    editor.undo()
    log = reopened(db_path).changes("I-1.vii")
    assert [c.action for c in log] == ["edit", "undo"]
    assert "status: not started → blocked" in log[0].summary
    assert log[0].before["status"] == "not started" and log[0].after["status"] == "blocked"
    assert log[0].at == datetime(2026, 11, 28, 10, 15)


def test_events_are_added_changed_and_removed(editing, db_path):
    tracker, editor = editing
    editor.save_event(Event("pcn-meeting", "Réunion des PCN", date(2008, 3, 4), date(2008, 3, 4)))
    assert assessed(tracker, "I-1.v").next_due == date(2008, 3, 4)
    with pytest.raises(EditError, match="ends before it starts"):
        editor.save_event(Event("x", "x", date(2008, 3, 4), date(2008, 3, 1)))
    with pytest.raises(EditError, match="lower-case letters"):
        editor.save_event(Event("réunion", "x"))
    with pytest.raises(EditError, match="1 schedule.* name pcn-meeting .*clear its dates"):
        editor.delete_event("pcn-meeting")  # 1.v hangs on it
    editor.save_event(Event("pcn-meeting", "Réunion des PCN"))  # dates cleared
    assert assessed(tracker, "I-1.v").waiting
    editor.delete_event("preparatory-meeting")  # no schedule names it
    assert "preparatory-meeting" not in reopened(db_path).events
    editor.undo()
    assert reopened(db_path).events["preparatory-meeting"].start == date(2007, 11, 2)


def test_a_failed_undo_can_be_tried_again(editing, monkeypatch):
    import os

    tracker, editor = editing
    editor.cycle_status("I-1.i", JUNE_20)

    def crash(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        editor.undo()
    monkeypatch.undo()
    assert editor.can_undo
    editor.undo()
    assert tracker.obligation("I-1.i").status is Status.NOT_STARTED


def test_a_failed_write_loses_nothing_and_keeps_memory_true_to_disk(editing, db_path, monkeypatch):
    import os

    tracker, editor = editing
    before = db_path.read_bytes()

    def crash(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        editor.cycle_status("I-1.i", JUNE_20)
    monkeypatch.undo()
    assert db_path.read_bytes() == before
    assert tracker.obligation("I-1.i").status is Status.NOT_STARTED
    assert tracker.changes() == []


def test_completing_a_continuous_item_says_how_to_record_a_review(editing):
    tracker, editor = editing
    with pytest.raises(EditError, match="never falls due .*add a note"):
        editor.toggle_occurrence(assessed(tracker, "I-1.i"), JUNE_20)


def test_after_moving_on_a_second_press_completes_the_next_occurrence(editing):
    tracker, editor = editing
    january = date(2009, 1, 15)
    editor.toggle_occurrence(assessed(tracker, "I-4.i", january), january)
    editor.forget_completion()  # the user moved the cursor away and back
    editor.toggle_occurrence(assessed(tracker, "I-4.i", january), january)
    assert [c.occurrence for c in tracker.obligation("I-4.i").completions] == [
        "2008-06-30",
        "2008-12-31",
    ]


def test_history_names_fields_in_words(editing):
    tracker, editor = editing
    editor.save_obligation(replace(tracker.obligation("I-1.ii"), rules=("2008-11-30",)))
    assert tracker.changes("I-1.ii")[-1].summary == "schedule: yearly in september → 2008-11-30"
