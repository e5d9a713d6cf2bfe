"""CSV: one row per obligation, for a spreadsheet; every cell safe from formula injection.

The columns are the item's fields declared for the CSV (``store.model``), with
the words their declarations give, and a few worked out from the schedule.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from store.fields import Output, field_of, one_line, shown_fields
from store.formats.phrases import completion_order, completion_words, last_note
from store.model import Obligation
from store.report import assess_all
from store.schedule import Assessment, Outlook
from store.snapshot import TrackerRecords
from store.text import safe_text


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[Assessment], str]


def _field(name: str) -> Column:
    field = field_of(Obligation, name)
    return Column(field.heading, lambda a: one_line(field, getattr(a.obligation, name)))


def _next_due(assessment: Assessment) -> str:
    return assessment.next_due.isoformat() if assessment.next_due else ""


def _completions(assessment: Assessment) -> str:
    completions = sorted(assessment.obligation.completions, key=completion_order)
    return "\n".join(completion_words(c, markdown=False) for c in completions)


def _last_done(assessment: Assessment) -> str:
    completions = assessment.obligation.completions
    return max(c.done_on for c in completions).isoformat() if completions else ""


LAYOUT: tuple[str | Column, ...] = (
    "number",
    "section",
    "group",
    "text",
    "sources",
    "schedule_text",
    "rules",
    Column("next due", _next_due),
    Column("state", lambda a: a.state.value),
    "status",
    "owner",
    Column("last note", lambda a: last_note(a.obligation)),
    Column("completions", _completions),
    Column("last done", _last_done),
)
"""The columns, in order: a field by name, or one worked out. A field declared for the
CSV that the layout does not name comes after them: columns are only ever added at
the end, so that spreadsheets built on the file keep working."""
SHOWN_BY_COLUMNS = frozenset({"notes", "completions"})
"""Fields the worked-out columns show."""

_LAID_OUT = tuple(column if isinstance(column, Column) else _field(column) for column in LAYOUT)
COLUMNS = _LAID_OUT + tuple(
    _field(field.name)
    for field in shown_fields(Obligation, Output.CSV)
    if field.name not in LAYOUT and field.name not in SHOWN_BY_COLUMNS
)
CSV_COLUMNS = tuple(column.header for column in COLUMNS)


FORMULA_STARTS = frozenset("=+-@\t\r")
"""What makes a spreadsheet take a cell for a formula (OWASP's list)."""


def spreadsheet_cell(value: str) -> str:
    """A CSV cell that a spreadsheet shows as the text it is, never runs as a formula.

    Safe to print (:func:`safe_text`); a cell that starts with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return (or with one after spaces or line
    breaks) gets a leading ``'``, as OWASP recommends against CSV injection.
    """
    value = safe_text(value)
    if value and (
        value[0] in FORMULA_STARTS or (value[0].isspace() and value.lstrip()[:1] in FORMULA_STARTS)
    ):
        return "'" + value
    return value


def csv_document(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A CSV file's text with every cell through :func:`spreadsheet_cell`."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(header)
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return stream.getvalue()


def csv_text(tracker: TrackerRecords, outlook: Outlook) -> str:
    """One row per obligation, in plan order; multi-line texts stay in one quoted cell."""
    assessments = assess_all(tracker, tracker.plan, tracker.meetings, outlook)
    rows = ([column.cell(assessment) for column in COLUMNS] for assessment in assessments)
    return csv_document(CSV_COLUMNS, rows)


def csv_bytes(tracker: TrackerRecords, outlook: Outlook, *, excel_marker: bool) -> bytes:
    # The byte-order mark tells Excel the file is UTF-8, or it garbles accents;
    # it is left off standard output, where it would get in a pipe's way.
    encoding = "utf-8-sig" if excel_marker else "utf-8"
    return csv_text(tracker, outlook).encode(encoding)
