"""Which format ``cicte-tui export`` writes: one entry point, ``export_bytes``.

The formats themselves are pure functions from records to bytes (``ics``,
``csv_table``, ``markdown_report``, ``exchange``); writing the bytes to a file
is ``store.output``'s. No Textual and no Rich here: the one-shot commands
import this module, and the app calls the same function.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol, runtime_checkable

from store.schedule import Outlook
from store.snapshot import TrackerRecords
from store.storage import Document
from store.text import json_safe


class ExportFormat(StrEnum):
    """What `cicte-tui export` writes: a calendar, a report, a table, or the whole tracker."""

    ICS = "ics"
    MARKDOWN = "markdown"
    CSV = "csv"
    JSON = "json"


FORMATS = tuple(kind.value for kind in ExportFormat)


@runtime_checkable
class HoldsDocument(Protocol):
    """A tracker that can hand out its whole stored document (``Tracker`` can)."""

    def raw_document(self) -> Document: ...


def export_bytes(
    kind: str,
    tracker: TrackerRecords,
    outlook: Outlook,
    *,
    to_file: bool = True,
    document: Document | None = None,
) -> bytes:
    """The tracker in format ``kind`` (one of ``FORMATS``), as the bytes to write.

    The JSON exchange format is made from the stored ``document`` (default: the
    tracker's own, when it holds one; a ``TrackerSnapshot`` does not).
    """
    try:
        chosen = ExportFormat(kind)
    except ValueError:
        raise ValueError(f"unknown export format {kind!r} (known: {', '.join(FORMATS)})") from None
    # Each format is imported when asked for: the app and the other commands start
    # without them (icalendar alone takes 20 ms to import).
    if chosen is ExportFormat.ICS:
        from store.formats.ics import ics_bytes

        return ics_bytes(tracker)
    if chosen is ExportFormat.CSV:
        from store.formats.csv_table import csv_bytes

        return csv_bytes(tracker, outlook, excel_marker=to_file)
    if chosen is ExportFormat.MARKDOWN:
        from store.formats.markdown_report import markdown_report

        return markdown_report(tracker, outlook).encode("utf-8")
    from store.formats.exchange import export_json

    if document is None and isinstance(tracker, HoldsDocument):
        document = tracker.raw_document()
    if document is None:
        raise ValueError("the JSON export is made from the stored document: pass it")
    return json_safe(export_json(document)).encode("utf-8")
