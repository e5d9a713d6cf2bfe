"""Conversion between stored JSON documents and the domain dataclasses.

The one place that reads and writes documents; everything else sees
dataclasses. What a document holds follows each record's field declarations
(``store.fields``): its keys, in the fields' order; a missing optional field
takes its default, so documents written by an older minor version still load.
A date outside 1900–2100 (a hand-edited file) is refused here, with the words
of ``store.validation``, so that no view ever computes with it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import MISSING
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from store.fields import Declared, declared_fields, is_record
from store.model import (
    Change,
    Completion,
    MeetingSeries,
    Obligation,
    PlanInfo,
    PlanReference,
    Session,
)
from store.rules import FIRST_YEAR, LAST_YEAR, out_of_bounds
from store.validation import period_problems

Doc = dict[str, Any]
R = TypeVar("R")


class OutOfBounds(ValueError):
    """A stored record with a date outside 1900–2100: refused whole, never half-read."""

    def __init__(self, problem: str, record: str = "") -> None:
        super().__init__(f"{record}: {problem}" if record else problem)
        self.problem = problem
        """What is wrong, in the words the forms and import use."""
        self.record = record
        """Which record (``meeting cicte-session``), for a message about a whole file."""

    def of(self, record: str) -> OutOfBounds:
        """The same problem, said of ``record``."""
        return OutOfBounds(self.problem, record)


# -- records to documents -----------------------------------------------------------
#
# Each record type's conversion is worked out once from its declarations, into one
# small function per field: a tracker of ten thousand items loads field by field.


def record_to_doc(record: Any) -> Doc:
    """A record as its document: a key per declared field, in declaration order.

    A nested record (a completion's evidence) lends its fields to its parent's document.
    """
    doc: Doc = {}
    for name, write in _writers(type(record)):
        value = getattr(record, name)
        if write is None:
            doc.update(record_to_doc(value))
        else:
            doc[name] = write(value)
    return doc


Convert = Callable[[Any], Any]
_WRITERS: dict[type, list[tuple[str, Convert | None]]] = {}


def _writers(record_type: type) -> list[tuple[str, Convert | None]]:
    """(field name, how its value is stored; None: a nested record lending its fields)."""
    found = _WRITERS.get(record_type)
    if found is None:
        found = _WRITERS[record_type] = [
            (field.name, None if is_record(field.base) else _writer(field))
            for field in declared_fields(record_type)
        ]
    return found


def _writer(field: Declared) -> Convert:
    kind, element = field.base, field.element
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return _enum_value
    if kind is datetime:
        return _moment
    if kind is date:
        return _day_text
    if element is not None and is_record(element):
        return _records
    if element is not None:
        return list
    return _as_is  # text, number, truth value, or a change's partial record


def _as_is(value: Any) -> Any:
    return value


def _enum_value(value: StrEnum) -> str:
    return value.value


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def _day_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _records(values: tuple[Any, ...]) -> list[Doc]:
    return [record_to_doc(value) for value in values]


# -- documents to records -----------------------------------------------------------


def record_from_doc(record_type: type[R], doc: Doc) -> R:
    """The record a document holds; KeyError when a required field is missing,
    OutOfBounds for a date outside 1900–2100."""
    values: dict[str, Any] = {}
    for name, missing, fallback, read in _readers(record_type):
        if read is None:  # a nested record, from this document's own fields
            values[name] = record_from_doc(missing, doc)
            continue
        raw = doc.get(name)
        if fallback and not raw:
            raw = doc[fallback]
        elif raw is None and name not in doc:
            if missing is MISSING:
                raise KeyError(name)
            values[name] = missing
            continue
        values[name] = None if raw is None else read(raw)
    if _built_by_init(record_type):
        return record_type(**values)
    # Every field is in ``values`` (read, or what a missing one reads as). A frozen
    # dataclass's __init__ sets them one object.__setattr__ at a time: half the cost
    # of reading 10,000 items. Its __dict__ takes them at once, to the same effect.
    record = object.__new__(record_type)
    record.__dict__.update(values)
    return record


def _built_by_init(record_type: type) -> bool:
    """Whether a record must go through its __init__: it checks or changes what it is
    given (``__post_init__``), or has fields __init__ does not take."""
    found = _BUILT_BY_INIT.get(record_type)
    if found is None:
        found = _BUILT_BY_INIT[record_type] = hasattr(record_type, "__post_init__") or not all(
            field.init for field in dataclasses.fields(record_type)
        )
    return found


_BUILT_BY_INIT: dict[type, bool] = {}


_Reader = tuple[str, Any, str, Convert | None]
_READERS: dict[type, list[_Reader]] = {}


def _readers(record_type: type) -> list[_Reader]:
    """(field name, what a missing one reads as, the field it falls back on, how a stored
    value reads; None: a nested record, whose type stands in the second place)."""
    found = _READERS.get(record_type)
    if found is None:
        found = _READERS[record_type] = [
            (field.name, field.base, "", None)
            if is_record(field.base)
            else (field.name, field.missing, field.spec.fallback, _reader(field))
            for field in declared_fields(record_type)
        ]
    return found


def _reader(field: Declared) -> Convert:  # noqa: C901 - one per kind of field
    kind, element, label = field.base, field.element, field.label
    if field.spec.blank_is_none:
        return _blank_is_none
    if kind is datetime:
        if field.spec.local_time:
            return lambda raw: _local(_bounded(label, datetime.fromisoformat(raw)))
        return lambda raw: _bounded(label, datetime.fromisoformat(raw))
    if kind is date:
        if field.optional:
            return lambda raw: _bounded(label, date.fromisoformat(raw)) if raw else None
        return lambda raw: _bounded(label, date.fromisoformat(raw))
    if kind is bool:
        return bool
    if kind is int:
        return _year if field.spec.year else int
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return kind
    if element is not None and is_record(element):
        read = _NESTED_READERS.get(element) or (lambda doc: record_from_doc(element, doc))
        return lambda raw: tuple(read(item) for item in raw)
    if element is not None:
        return tuple
    return _as_is


def _blank_is_none(raw: Any) -> Any:
    return raw or None


def _local(moment: datetime) -> datetime:
    """A time with a zone as local wall-clock time."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


Day = TypeVar("Day", date, datetime)


def _bounded(field: str, day: Day) -> Day:
    problem = out_of_bounds(day)
    if problem is not None:
        raise OutOfBounds(f"{field}: {problem}")
    return day


def _year(value: Any) -> int:
    year = int(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise OutOfBounds(f"year: {year} is not between {FIRST_YEAR} and {LAST_YEAR}")
    return year


def _read_as(record_type: type[R], context: Callable[[Doc], str]) -> Callable[[Doc], R]:
    """A reader that says which record a date out of bounds is in (``plan 2008: …``)."""

    def read(doc: Doc) -> R:
        try:
            return record_from_doc(record_type, doc)
        except OutOfBounds as error:
            raise error.of(context(doc)) from None

    return read


def session_from_doc(doc: Doc) -> Session:
    try:
        return record_from_doc(Session, doc)
    except OutOfBounds as error:  # as series_problems says it
        raise OutOfBounds(f"session {doc['year']}, {error.problem}") from None


_NESTED_READERS: dict[Any, Callable[[Doc], Any]] = {Session: session_from_doc}
"""Records that say where in their parent a problem is."""

obligation_from_doc = _read_as(
    Obligation, lambda doc: f"item {doc.get('key')} of {doc.get('plan_year')}"
)
series_from_doc = _read_as(MeetingSeries, lambda doc: f"meeting {doc.get('key')}")
change_from_doc = _read_as(Change, lambda doc: f"change to {doc.get('key')}")


def completion_from_doc(doc: Doc) -> Completion:
    return record_from_doc(Completion, doc)


def plan_from_doc(doc: Doc) -> PlanInfo:
    plan = _read_as(PlanInfo, lambda doc: f"plan {doc.get('year')}")(doc)
    if problems := period_problems(plan):  # a period of centuries would cost centuries
        raise OutOfBounds(problems[0], f"plan {doc.get('year')}")
    return plan


def reference_from_doc(doc: Doc) -> PlanReference:
    return record_from_doc(PlanReference, doc)


plan_to_doc: Callable[[PlanInfo], Doc] = record_to_doc
reference_to_doc: Callable[[PlanReference], Doc] = record_to_doc
obligation_to_doc: Callable[[Obligation], Doc] = record_to_doc
completion_to_doc: Callable[[Completion], Doc] = record_to_doc
session_to_doc: Callable[[Session], Doc] = record_to_doc
series_to_doc: Callable[[MeetingSeries], Doc] = record_to_doc
change_to_doc: Callable[[Change], Doc] = record_to_doc
