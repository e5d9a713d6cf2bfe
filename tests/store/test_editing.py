"""Edits through the store: saved at once, logged, undoable, never with control characters."""

from dataclasses import replace
from datetime import date, datetime

import pytest

from store.editing import EditError, Editor
from store.errors import StoreError
from store.model import Evidence, MeetingSeries, Obligation, Section, Session, Status
from store.repository import Tracker
from store.schedule import Outlook, assess

JUNE_20 = date(2008, 6, 20)


def clock() -> datetime:
    return datetime(2026, 11, 28, 10, 15, 0)


def assessed(tracker, key, today=JUNE_20):
    return assess(tracker.obligation(key), tracker.plan, tracker.meetings, Outlook(today))


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
    editor.complete("I-4.i", JUNE_20)
    after = assessed(tracker, "I-4.i")
    assert after.next_due == date(2008, 12, 31)
    assert not after.due_soon
    saved = reopened(db_path).obligation("I-4.i").completions[0]
    assert (saved.occurrence, saved.due, saved.done_on) == (
        "2008-06-30",
        date(2008, 6, 30),
        JUNE_20,
    )


def test_done_twice_completes_30_june_then_31_december(editing):
    tracker, editor = editing
    december = date(2008, 12, 20)
    editor.complete("I-4.i", december)
    editor.complete("I-4.i", december)
    completions = tracker.obligation("I-4.i").completions
    assert [c.due for c in completions] == [date(2008, 6, 30), date(2008, 12, 31)]
    assert assessed(tracker, "I-4.i", december).open_occurrences == []
    with pytest.raises(EditError, match="every occurrence of 4.i .* is done"):
        editor.complete("I-4.i", december)


def test_a_completion_can_be_backdated_with_evidence_but_not_put_in_the_future(editing, db_path):
    tracker, editor = editing
    june = date(2008, 6, 15)
    evidence = Evidence("CICTE/doc.4/08", "https://www.oas.org/cicte", "Rapport \x1b[2Jprésenté")
    editor.complete("I-1.iv", june, done_on=date(2008, 3, 6), evidence=evidence)
    saved = reopened(db_path).obligation("I-1.iv").completions[0]
    assert saved.done_on == date(2008, 3, 6) and saved.due == date(2008, 3, 7)
    assert saved.session == "cicte-session/2008"
    assert saved.evidence == Evidence(
        "CICTE/doc.4/08", "https://www.oas.org/cicte", "Rapport présenté"
    )
    with pytest.raises(EditError, match="after today"):
        editor.complete("I-4.i", june, done_on=date(2008, 6, 16))
    assert tracker.obligation("I-4.i").completions == ()


def test_a_named_occurrence_is_completed_and_taken_back(editing):
    tracker, editor = editing
    december = date(2008, 12, 20)
    editor.complete("I-4.i", december, due=date(2008, 12, 31))
    assert [c.due for c in tracker.obligation("I-4.i").completions] == [date(2008, 12, 31)]
    with pytest.raises(EditError, match="no open occurrence due 2008-07-01 .*2008-06-30"):
        editor.complete("I-4.i", december, due=date(2008, 7, 1))
    editor.uncomplete("I-4.i", date(2008, 12, 31))
    assert tracker.obligation("I-4.i").completions == ()
    with pytest.raises(EditError, match="no completed occurrence due 2008-12-31"):
        editor.uncomplete("I-4.i", date(2008, 12, 31))


def test_moving_the_session_keeps_a_completion_and_moves_open_occurrences(editing):
    tracker, editor = editing
    editor.complete("I-1.iv", date(2008, 3, 6))
    session = tracker.meetings["cicte-session"].session(2008)
    editor.save_session(
        "cicte-session", replace(session, start=date(2008, 3, 10), end=date(2008, 3, 12))
    )
    today = date(2008, 3, 11)
    kept = assessed(tracker, "I-1.iv", today).occurrences[0]
    assert (kept.due, kept.done_on) == (date(2008, 3, 7), date(2008, 3, 6))
    assert kept.completion.session == "cicte-session/2008"
    assert assessed(tracker, "I-1.viii", today).next_due == date(2008, 3, 12)


def test_a_session_holding_completions_cannot_be_deleted(editing):
    tracker, editor = editing
    editor.complete("I-1.iv", date(2008, 3, 6))
    with pytest.raises(EditError, match="2008 session holds completed occurrences \\(1.iv\\)"):
        editor.delete_session("cicte-session", 2008)
    editor.delete_session("oas-ga", 2008)  # nothing done against it yet
    assert assessed(tracker, "I-1.vii").waiting


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


def test_meetings_are_added_changed_and_removed(editing, db_path):
    tracker, editor = editing
    assert assessed(tracker, "I-1.v").next_due == date(2008, 3, 7)  # alongside the session
    editor.save_session("pcn-meeting", Session(2008, date(2008, 3, 4), date(2008, 3, 4)))
    assert assessed(tracker, "I-1.v").next_due == date(2008, 3, 4)
    with pytest.raises(EditError, match="last day: it is before the first day"):
        editor.save_session("pcn-meeting", Session(2008, date(2008, 3, 4), date(2008, 3, 1)))
    with pytest.raises(EditError, match="first day: a session needs its first day"):
        editor.save_session("pcn-meeting", Session(2008, None, date(2008, 3, 1)))
    with pytest.raises(EditError, match="lower-case letters"):
        editor.save_series(MeetingSeries("réunion", "x"))
    with pytest.raises(EditError, match="the schedule of 1.v names pcn-meeting: change those"):
        editor.delete_series("pcn-meeting")  # 1.v hangs on it
    editor.delete_session("pcn-meeting", 2008)
    pcn = tracker.meetings["pcn-meeting"]
    editor.save_series(replace(pcn, alongside=None))
    assert assessed(tracker, "I-1.v").waiting
    editor.delete_series("preparatory-meeting")  # no schedule names it
    assert "preparatory-meeting" not in reopened(db_path).meetings
    editor.undo()
    prep = reopened(db_path).meetings["preparatory-meeting"]
    assert prep.session(2008).start == date(2007, 11, 2)


def test_next_years_session_is_added_and_undone(editing, db_path):
    tracker, editor = editing
    editor.save_session(
        "cicte-session",
        Session(2009, date(2009, 3, 4), date(2009, 3, 6), title="Ninth Regular Session"),
    )
    years = [s.year for s in reopened(db_path).meetings["cicte-session"].sessions]
    assert years == [2008, 2009]
    with pytest.raises(EditError, match="already has a session in 2009"):
        editor.save_session("cicte-session", Session(2009, date(2009, 3, 1)), year=2008)
    with pytest.raises(EditError, match="one session a year|nothing changed"):
        editor.save_session(
            "cicte-session",
            Session(2009, date(2009, 3, 4), date(2009, 3, 6), title="Ninth Regular Session"),
        )
    editor.undo()
    assert [s.year for s in reopened(db_path).meetings["cicte-session"].sessions] == [2008]


def test_a_failed_undo_can_be_tried_again(editing, monkeypatch):
    import os

    tracker, editor = editing
    editor.cycle_status("I-1.i", JUNE_20)

    def crash(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(StoreError, match="cannot write"):
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
    with pytest.raises(StoreError, match="cannot write"):
        editor.cycle_status("I-1.i", JUNE_20)
    monkeypatch.undo()
    assert db_path.read_bytes() == before
    assert tracker.obligation("I-1.i").status is Status.NOT_STARTED
    assert tracker.changes() == []


def test_completing_a_continuous_item_says_how_to_record_a_review(editing):
    tracker, editor = editing
    with pytest.raises(EditError, match="never falls due .*add a note"):
        editor.complete("I-1.i", JUNE_20)


def test_the_change_log_keeps_differences_so_many_notes_stay_small(editing, db_path):
    tracker, editor = editing
    for number in range(800):
        editor.add_note("I-1.i", f"Note de suivi numéro {number}", JUNE_20)
    last = tracker.changes("I-1.i")[-1]
    assert last.before == {"notes": []}
    assert [n["text"] for n in last.after["notes"]] == ["Note de suivi numéro 799"]
    # Linear growth: 800 notes and 800 log entries of about one note each, not 30 MB.
    assert db_path.stat().st_size < 500_000
    for _ in range(3):
        editor.undo()
    notes = reopened(db_path).obligation("I-1.i").notes
    assert len(notes) == 797 and notes[-1].text == "Note de suivi numéro 796"


def test_history_names_fields_in_words(editing):
    tracker, editor = editing
    editor.save_obligation(replace(tracker.obligation("I-1.ii"), rules=("2008-11-30",)))
    assert tracker.changes("I-1.ii")[-1].summary == "schedule: yearly in september → 2008-11-30"


def test_as_of_an_earlier_day_work_done_later_is_not_yet_done(editing):
    tracker, editor = editing
    editor.complete("I-1.iv", date(2008, 6, 15), done_on=date(2008, 3, 6))
    february = assessed(tracker, "I-1.iv", date(2008, 2, 25))
    assert february.state.value == "due soon" and february.occurrences[0].completion is None
    with pytest.raises(EditError, match="every occurrence of 1.iv"):
        editor.complete("I-1.iv", date(2008, 2, 25))  # it is recorded: not twice
    assert len(tracker.obligation("I-1.iv").completions) == 1


def test_identical_notes_are_two_notes(editing, db_path):
    tracker, editor = editing
    editor.add_note("I-1.iv", "Appelé la présidence", JUNE_20)
    editor.add_note("I-1.iv", "Appelé la présidence", JUNE_20)  # same second, same words
    twin = tracker.obligation("I-1.iv").notes[0]
    editor.delete_note("I-1.iv", twin)
    assert len(reopened(db_path).obligation("I-1.iv").notes) == 1
    editor.undo()
    assert len(reopened(db_path).obligation("I-1.iv").notes) == 2
    editor.undo()
    assert len(reopened(db_path).obligation("I-1.iv").notes) == 1


def test_two_lead_times_on_one_session_are_two_occurrences(editing):
    tracker, editor = editing
    item = tracker.obligation("I-1.vii")
    editor.save_obligation(replace(item, rules=("21 days before oas-ga", "7 days before oas-ga")))
    editor.complete("I-1.vii", JUNE_20)
    editor.complete("I-1.vii", JUNE_20)
    done = [c.due for c in tracker.obligation("I-1.vii").completions]
    assert done == [date(2008, 5, 11), date(2008, 5, 25)]


@pytest.mark.parametrize(
    ("session", "message"),
    [
        (Session(2008, date(2008, 6, 1), date(9999, 12, 31)), "9999-12-31 is long after 2008"),
        (Session(9999, date(9999, 6, 1)), "9999 is not between 1900 and 2100"),
    ],
)
def test_absurd_session_dates_are_refused(editing, session, message):
    tracker, editor = editing
    with pytest.raises(EditError, match=message):
        editor.save_session("oas-ga", session)


def test_a_meeting_that_hosts_another_cannot_sit_alongside_a_third(editing):
    tracker, editor = editing
    cicte = tracker.meetings["cicte-session"]
    with pytest.raises(EditError, match="pcn-meeting takes this meeting's dates"):
        editor.save_series(replace(cicte, alongside="oas-ga"))


def test_text_that_is_not_utf_8_is_kept_readable(editing, db_path):
    tracker, editor = editing
    editor.add_note("I-1.iv", "caf\udce9", JUNE_20)  # a Latin-1 é on a UTF-8 command line
    assert reopened(db_path).obligation("I-1.iv").notes[0].text == "caf\ufffd"


def test_an_item_closed_as_done_is_not_counted_as_period_ended(editing):
    tracker, editor = editing
    editor.set_status("II-1.D.1", Status.DONE, date(2009, 3, 1))
    closed = assessed(tracker, "II-1.D.1", date(2009, 3, 1))
    assert closed.state.value == "done" and not closed.period_ended


def test_a_bulk_edit_is_one_write_one_undo_step_and_one_log_entry_per_item(
    editing, db_path, monkeypatch
):
    import store.storage

    tracker, editor = editing
    today = date(2008, 6, 15)
    stale = [o.key for o in tracker if assessed(tracker, o.key, today).stale]
    assert len(stale) == 48
    writes = []
    real_write = store.storage.atomic_write_bytes

    def counted(path, content, **options):
        writes.append(path)
        return real_write(path, content, **options)

    monkeypatch.setattr(store.storage, "atomic_write_bytes", counted)
    with editor.grouped():
        for key in stale:
            editor.mark_reviewed(key, today)
    assert len(writes) == 1
    assert not any(assessed(tracker, key, today).stale for key in stale)
    assert len(tracker.changes()) == 48 and set(editor.last_touched) == set(stale)
    editor.undo()
    assert len(writes) == 2  # the undo too is one write
    reopened_tracker = reopened(db_path)
    assert all(reopened_tracker.obligation(key).last_reviewed is None for key in stale)
    assert not editor.can_undo
    editor.redo()
    assert reopened(db_path).obligation(stale[0]).last_reviewed == today


def test_a_bulk_edit_that_fails_saves_nothing(editing, db_path):
    tracker, editor = editing
    before = db_path.read_bytes()
    with pytest.raises(EditError), editor.grouped():
        editor.mark_reviewed("I-1.i", JUNE_20)
        editor.set_status("I-1.ii", Status.IN_PROGRESS, JUNE_20)
        editor.mark_reviewed("I-1.i", JUNE_20)  # already reviewed: the whole group is refused
    assert db_path.read_bytes() == before
    assert tracker.obligation("I-1.i").last_reviewed is None and not editor.can_undo
