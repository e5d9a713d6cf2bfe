"""Each field is declared once, on the model; documents, the gate, checks and words follow."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import pytest

from store import model
from store.documents import record_from_doc, record_to_doc
from store.editing import Editor
from store.fields import EVERYWHERE, Output, declared, declared_fields, shown_fields
from store.formats.csv_table import CSV_COLUMNS
from store.gate import cleaned
from store.repository import Tracker
from store.validation import length_problems


@dataclass(frozen=True)
class Visit:
    """A record declared the way the model declares its own, and nothing else written for it."""

    place: str = declared(required=True, limit=20, shown_in=EVERYWHERE)
    day: date | None = declared("visit day", default=None)
    report: str = declared(default="", multiline=True, limit=100)
    people: tuple[str, ...] = declared(default=(), element="person", limit=10, drop_empty=True)


def test_a_record_declared_once_is_stored_cleaned_and_checked():
    visit = Visit("  Washington,\n D.C. ", date(2008, 3, 5), "line one\nline two", ("Ana", ""))
    gated = cleaned(visit)
    assert gated == Visit("Washington, D.C.", date(2008, 3, 5), "line one\nline two", ("Ana",))
    document = record_to_doc(gated)
    assert list(document) == ["place", "day", "report", "people"]
    assert document["day"] == "2008-03-05"
    assert record_from_doc(Visit, document) == gated
    assert record_from_doc(Visit, {"place": "Lima"}) == Visit("Lima")
    long = replace(gated, place="p" * 21, people=("Ana", "x" * 11))
    assert length_problems(long) == [
        "place: 21 characters; the limit is 20",
        "person: 11 characters; the limit is 10",
    ]


@pytest.mark.parametrize(
    "record",
    [
        Tracker.in_memory().find("1.ii"),
        model.Session(2008, date(2008, 3, 5), date(2008, 3, 7), "t", "p", "n", "d"),
        model.MeetingSeries("board", "Board", (model.Session(2008),), alongside="oas-ga", note="n"),
        model.Note(datetime(2008, 1, 1, 9, 0), "x"),
    ],
    ids=lambda record: type(record).__name__,
)
def test_a_stored_document_lists_the_declared_fields_in_their_order(record):
    assert list(record_to_doc(record)) == [f.name for f in declared_fields(type(record))]


def test_a_completion_keeps_its_evidence_in_its_own_document():
    names = [f.name for f in declared_fields(model.Completion) if f.name != "evidence"]
    document = record_to_doc(model.Completion("2008-09-30", date(2008, 9, 25)))
    assert list(document) == [*names, "document", "link", "outcome"]


def test_every_field_declared_for_the_csv_is_a_column():
    for field in shown_fields(model.Obligation, Output.CSV):
        if field.name not in ("notes", "completions"):  # worked-out columns show them
            assert field.heading in CSV_COLUMNS, field.name


def test_the_history_names_a_field_as_its_declaration_does():
    tracker = Tracker.in_memory()
    editor = Editor(tracker)
    item = tracker.find("1.ii")
    change = editor.save_obligation(replace(item, schedule_text="Avant 2008"))
    assert change.summary.startswith("printed schedule: ")
    assert isinstance(change.target, str) and change.target == "obligation"
    assert record_to_doc(change)["action"] == "edit"


@pytest.mark.parametrize(
    ("record_type", "required"),
    [
        (model.Obligation, {"key", "group"}),
        (model.PlanInfo, {"symbol", "title"}),
        (model.Change, {"key"}),
    ],
)
def test_the_fields_a_document_must_give_are_declared_so(record_type, required):
    assert {f.name for f in declared_fields(record_type) if f.spec.required} == required


def test_the_gate_leaves_an_enum_an_enum():
    item = Tracker.in_memory().find("1.ii")
    gated = cleaned(replace(item, status=model.Status.BLOCKED, owner=" Ana\tB "))
    assert gated.status is model.Status.BLOCKED and gated.owner == "Ana B"


def test_records_read_from_the_file_are_the_records_their_init_would_make() -> None:
    """Reading skips a frozen record's __init__ (a speed-up): the result must be the same
    record, as frozen, equal and hashed alike, with every field set."""
    import dataclasses

    from store.documents import obligation_from_doc, obligation_to_doc
    from store.repository import Tracker

    for obligation in Tracker.in_memory():
        read = obligation_from_doc(obligation_to_doc(obligation))
        built = type(read)(**{f.name: getattr(read, f.name) for f in dataclasses.fields(read)})
        assert read == built and hash(read) == hash(built) and repr(read) == repr(built)
        with pytest.raises(dataclasses.FrozenInstanceError):
            read.owner = "someone"  # type: ignore[misc]
        assert all(note == type(note)(**vars(note)) for note in read.notes)
