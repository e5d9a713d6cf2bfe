"""A view made after a save from the last one (reusing what the edit did not touch) shows
exactly what a view made afresh would: the counts, the agenda, the calendar's days."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from store.editing import Editor
from store.model import Status
from store.repository import Tracker
from store.schedule import Outlook
from tui.view import TrackerView

TODAY = date(2008, 6, 15)


def same_picture(updated: TrackerView, afresh: TrackerView) -> None:
    assert updated.counts() == afresh.counts()
    assert updated.agenda() == afresh.agenda()
    everything = (date(1900, 1, 1), date(2100, 12, 31))
    assert updated.days_with_dues(*everything) == afresh.days_with_dues(*everything)
    for key in afresh.assessments:
        assert updated.urgency(key) == afresh.urgency(key), key


def test_views_updated_edit_after_edit_match_views_made_afresh() -> None:
    tracker = Tracker.in_memory()
    editor = Editor(tracker, lambda: datetime(2008, 6, 15, 9))
    outlook = Outlook(TODAY)
    view = TrackerView(tracker.snapshot(), outlook)
    overdue = [key for key, a in view.assessments.items() if a.overdue]
    template = tracker.obligation(overdue[0])
    edits = [
        lambda: editor.complete(overdue[0], TODAY),  # leaves the overdue list
        lambda: editor.set_status(overdue[1], Status.DONE, TODAY),
        lambda: editor.add_obligation(replace(template, key="I-1.zz", number="1.zz", order=999)),
        lambda: editor.delete_obligation(overdue[2]),
        lambda: editor.undo(),  # the deleted item comes back
        lambda: editor.add_note(overdue[3], "Relancé par courriel.", TODAY),
    ]
    for edit in edits:
        change = edit()
        assert change is not None
        records = tracker.snapshot()
        view = view.updated(records, [change.key])
        same_picture(view, TrackerView(records, outlook))
    assert view.counts().total == len(tracker)
