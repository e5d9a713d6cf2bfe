"""One set of checks: what the editor refuses, import refuses with the same words, and back."""

from __future__ import annotations

import contextlib
import copy
import json
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.documents import obligation_to_doc, series_to_doc
from store.editing import EditError, Editor, obligation_edit_problems
from store.formats.exchange import (
    ExchangeError,
    document_from_export,
    export_json,
    validate_document,
)
from store.model import MeetingSeries, Obligation, Section, Session, Status
from store.repository import Tracker, seed_document
from store.storage import OBLIGATIONS, SERIES
from store.validation import item_form_problems


def _series_row(document, key):
    return next(row_id for row_id, row in document[SERIES].items() if row["key"] == key)


BAD_SERIES = [
    (
        lambda s: replace(s, sessions=(Session(2008, None, date(2008, 3, 7)),)),
        "first day: a session needs its first day",
    ),
    (
        lambda s: replace(s, sessions=(Session(2008, date(2008, 3, 7), date(2008, 3, 5)),)),
        "last day: it is before the first day",
    ),
    (
        lambda s: replace(s, sessions=(Session(2008, date(2010, 3, 5)),)),
        "2010-03-05 is not in 2008",
    ),
    (lambda s: replace(s, alongside="board-meeting"), "there is no meeting 'board-meeting'"),
    (lambda s: replace(s, alongside=s.key), "cannot sit alongside itself"),
    (lambda s: replace(s, name=" "), "name: it cannot be empty"),
]


@pytest.mark.parametrize(("spoil", "message"), BAD_SERIES)
def test_a_meeting_the_editor_refuses_import_refuses_too(spoil, message):
    tracker = Tracker.in_memory()
    bad: MeetingSeries = spoil(tracker.meetings["oas-ga"])
    with pytest.raises(EditError, match=message):
        Editor(tracker).save_series(bad)
    document = copy.deepcopy(seed_document())
    document[SERIES][_series_row(document, "oas-ga")] = series_to_doc(bad)
    with pytest.raises(ExchangeError, match=message):
        validate_document(document)


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda o: replace(o, rules=("every fortnight",)), "cannot read 'every fortnight'"),
        (lambda o: replace(o, rules=("before board-meeting",)), "unknown event 'board-meeting'"),
        (lambda o: replace(o, rules=()), "schedule: it cannot be empty"),
        (lambda o: replace(o, group="I-9"), "group 'I-9' is not a group of the plan"),
        (lambda o: replace(o, sources=("s" * 501,)), "source: 501 characters; the limit is 500"),
    ],
)
def test_an_item_the_editor_refuses_import_refuses_with_the_same_words(spoil, message):
    tracker = Tracker.in_memory()
    bad = spoil(tracker.find("1.ii"))
    with pytest.raises(EditError, match=message):
        Editor(tracker).save_obligation(bad)
    assert any(message in problem for problem in obligation_edit_problems(tracker, bad, None))
    document = copy.deepcopy(seed_document())
    row = next(i for i, r in document[OBLIGATIONS].items() if r["key"] == "I-1.ii")
    document[OBLIGATIONS][row] = obligation_to_doc(bad)
    with pytest.raises(ExchangeError, match=message):
        validate_document(document)


def test_a_new_item_in_a_group_the_plan_lacks_is_refused_before_it_is_saved():
    # The editor once saved it, and the app's own export of that tracker was refused.
    tracker = Tracker.in_memory()
    new = Obligation("I-9.i", "9.i", Section.MANDATES, "I-9", "Nouvelle tâche", "", ("tbd",))
    with pytest.raises(EditError, match="group 'I-9' is not a group of the plan"):
        Editor(tracker).add_obligation(new)
    assert tracker.find("9.i") is None


def test_a_new_item_with_a_taken_id_is_refused_in_the_forms_words():
    tracker = Tracker.in_memory()
    taken = replace(tracker.find("1.ii"), text="autre")
    assert obligation_edit_problems(tracker, taken) == ["id: 1.ii already exists"]


def test_what_the_app_saves_import_accepts():
    tracker = Tracker.in_memory()
    editor = Editor(tracker)
    today = date(2008, 12, 20)
    editor.complete("I-4.i", today, done_on=date(2008, 7, 1))
    editor.save_session("cicte-session", Session(2009, date(2009, 3, 4), date(2009, 3, 6)))
    editor.save_series(
        MeetingSeries("board-meeting", "Réunion du bureau", (Session(2008, date(2008, 11, 3)),))
    )
    editor.save_obligation(replace(tracker.find("1.i"), rules=("2 weeks before board-meeting",)))
    editor.add_note("I-1.i", "Vu [bold]ok[/]", today)
    editor.undo()
    validate_document(tracker.raw_document())  # no exception: the importer takes it


TEXTS = st.text(st.characters(codec="utf-8"), max_size=30)
SESSIONS = st.builds(
    Session,
    year=st.integers(2007, 2010),
    start=st.none() | st.dates(date(2006, 1, 1), date(2011, 12, 31)),
    end=st.none() | st.dates(date(2006, 1, 1), date(2011, 12, 31)),
    title=TEXTS,
    place=TEXTS,
    note=TEXTS,
    document=TEXTS,
)
RULES = st.lists(
    st.sampled_from(
        ["tbd", "every fortnight", "yearly in june", "before cicte-session", "2008-13-01", ""]
    )
    | TEXTS,
    max_size=3,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    session=SESSIONS,
    rules=RULES,
    group=st.sampled_from(["I-1", "I-9", "II-1.A", ""]),
    owner=TEXTS,
    sources=st.lists(TEXTS, max_size=2),
)
def test_whatever_the_editor_accepts_its_export_imports(session, rules, group, owner, sources):
    """Export → import of anything the editor saves: what one accepts, the other takes."""
    tracker = Tracker.in_memory()
    editor = Editor(tracker)
    item = tracker.find("1.ii")
    edits = [
        lambda: editor.save_session("cicte-session", session),
        lambda: editor.save_obligation(replace(item, rules=tuple(rules), owner=owner)),
        lambda: editor.add_obligation(
            replace(item, key="I-1.zz", number="1.zz", group=group, sources=tuple(sources))
        ),
    ]
    for edit in edits:
        with contextlib.suppress(EditError):
            edit()
    document_from_export(json.loads(export_json(tracker.raw_document())))


def test_the_item_form_asks_an_owner_a_past_review_and_known_partners():
    tracker = Tracker.in_memory()
    item = tracker.find("1.ii")
    typed = replace(
        item, status=Status.BLOCKED, last_reviewed=date(2008, 7, 1), partners=("A1", "Z9")
    )
    keys = {partner.key for partner in tracker.reference.partners}
    assert item_form_problems(typed, item, date(2008, 6, 15), keys) == [
        "owner: needed to set the status to blocked",
        "last reviewed: it cannot be after today",
        "partners: Z9 not in Appendix II (A1–A12, B1–B49)",
    ]
    assert (
        item_form_problems(replace(typed, owner="Ana"), typed, date(2008, 7, 1), {"A1", "Z9"}) == []
    )
