"""One set of checks: what the editor refuses, import refuses with the same words, and back."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date

import pytest

from store.documents import obligation_to_doc, series_to_doc
from store.editing import EditError, Editor
from store.formats.exchange import ExchangeError, validate_document
from store.model import MeetingSeries, Session
from store.repository import OBLIGATIONS, SERIES, Tracker, seed_document


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
    ("rules", "message"),
    [
        (("every fortnight",), "cannot read 'every fortnight'"),
        (("before board-meeting",), "unknown event 'board-meeting'"),
        ((), "schedule: it cannot be empty"),
    ],
)
def test_an_item_the_editor_refuses_import_refuses_too(rules, message):
    tracker = Tracker.in_memory()
    bad = replace(tracker.find("1.ii"), rules=rules)
    with pytest.raises(EditError, match=message):
        Editor(tracker).save_obligation(bad)
    document = copy.deepcopy(seed_document())
    row = next(i for i, r in document[OBLIGATIONS].items() if r["key"] == "I-1.ii")
    document[OBLIGATIONS][row] = obligation_to_doc(bad)
    with pytest.raises(ExchangeError, match=message):
        validate_document(document)


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
