"""The whole tracker as one JSON file: export, validation before import, replace or merge.

An export wraps the stored document, every table included (even tables this
version does not know), so that export → import → export gives identical
JSON. Import checks everything first and refuses a bad file with the reason
and the offending record; only a document that passed is ever written.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from store.documents import (
    OutOfBounds,
    change_from_doc,
    obligation_from_doc,
    obligation_to_doc,
    plan_from_doc,
    plan_to_doc,
    reference_from_doc,
    series_from_doc,
    series_to_doc,
)
from store.gate import cleaned_obligation, cleaned_plan, cleaned_series
from store.model import Completion, Evidence, MeetingSeries, Section, Status
from store.repository import CHANGES, OBLIGATIONS, PLANS, SERIES
from store.rules import ISO_DATE, RuleError, parse_rule
from store.storage import (
    META_TABLE,
    SCHEMA_VERSION,
    Document,
    StoreError,
    migrate,
    parse_json,
    read_limited,
)
from store.text import scrub_tree
from store.validation import (
    completion_problems,
    obligation_problems,
    plan_problems,
    series_problems,
)

FORMAT_MARKER = "cicte-tui-tracker"
"""Says that a JSON file is a cicte-tui export, not any JSON."""


class ExchangeError(ValueError):
    """An export file that cannot be imported; the message names the reason and record."""


class ExportUnreadable(ExchangeError):
    """The file itself cannot be read (missing, a folder, no permission)."""


# -- export ------------------------------------------------------------------


def export_envelope(document: Document) -> dict[str, Any]:
    """The stored document wrapped with the format marker and its schema version.

    The file's revision counter stays behind: it counts writes of one file, and
    an export is the same data whichever file it came from.
    """
    meta = {
        row_id: {name: value for name, value in row.items() if name != "revision"}
        for row_id, row in document.get(META_TABLE, {}).items()
    }
    return {
        "format": FORMAT_MARKER,
        "schema_version": _meta_version(document),
        "tracker": {**document, META_TABLE: meta},
    }


def export_json(document: Document) -> str:
    """The export as text: UTF-8 friendly (accents kept), indented, newline-terminated."""
    return json.dumps(export_envelope(document), ensure_ascii=False, indent=2) + "\n"


def _meta_version(document: Mapping[str, Any]) -> object:
    meta = document.get(META_TABLE)
    row = next(iter(meta.values()), None) if isinstance(meta, dict) and meta else None
    return row.get("schema_version") if isinstance(row, dict) else None


# -- reading and validating an export ----------------------------------------


def read_export(path: Path) -> Document:
    """The validated tracker document inside the export file at ``path``."""
    try:
        raw = read_limited(path)
    except FileNotFoundError:
        raise ExportUnreadable(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ExportUnreadable(f"{path} is a folder, not an export file") from None
    except OSError as error:
        raise ExportUnreadable(f"cannot read {path}: {error.strerror or error}") from None
    data = parse_json(raw, lambda where: ExchangeError(f"the file is not valid JSON ({where})"))
    return document_from_export(data, path)


def document_from_export(data: object, source: Path = Path("export")) -> Document:
    """Unwrap, migrate and validate a parsed export; ``source`` names it to migrations."""
    if not isinstance(data, dict) or data.get("format") != FORMAT_MARKER:
        raise ExchangeError(
            f'the file is not a cicte-tui export (no "format": "{FORMAT_MARKER}"); '
            "a tracker file itself is opened with --db, not imported"
        )
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ExchangeError(f"schema_version {version!r} is not a version number")
    if version > SCHEMA_VERSION:
        raise ExchangeError(
            f"the file was written by a newer cicte-tui (schema {version}; this one reads "
            f"up to {SCHEMA_VERSION}); upgrade cicte-tui to import it"
        )
    document = data.get("tracker")
    _check_tables(document, version)
    assert isinstance(document, dict)
    meta_version = _meta_version(document)
    if meta_version != version:
        raise ExchangeError(
            f"the export says schema {version} but its tracker says {meta_version!r}"
        )
    try:
        document = migrate(source, document)
    except StoreError as error:
        raise ExchangeError(str(error)) from None
    validate_document(document)
    if _through_the_gate(document):
        validate_document(document)  # a field the gate had to empty is refused as typed
    return document


def _through_the_gate(document: Document) -> bool:
    """Each record with a line break or tab in it, as the editor would save it: single-line
    fields (a title, a place, an id) fold theirs. Whether anything changed."""
    gates: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
        OBLIGATIONS: lambda row: obligation_to_doc(cleaned_obligation(obligation_from_doc(row))),
        SERIES: lambda row: series_to_doc(cleaned_series(series_from_doc(row))),
    }
    changed = False
    for table, gate in gates.items():
        for row_id, row in document.get(table, {}).items():
            if _has_line_break(row) and (gated := gate(row)) != row:
                document[table][row_id], changed = gated, True
    for row in document.get(PLANS, {}).values():
        if _has_line_break(row["plan"]):
            plan = plan_to_doc(cleaned_plan(plan_from_doc(row["plan"])))
            changed, row["plan"] = changed or plan != row["plan"], plan
    return changed


def _has_line_break(row: Mapping[str, Any]) -> bool:
    text = json.dumps(row, ensure_ascii=False)
    return "\\n" in text or "\\t" in text


def _check_tables(document: object, version: int) -> None:
    """TinyDB's shape: tables of rows keyed by a positive whole-number id."""
    if not isinstance(document, dict):
        raise ExchangeError('"tracker" must be an object of tables')
    for name, table in document.items():
        if not isinstance(table, dict):
            raise ExchangeError(f"table {name!r} must be an object of rows keyed by id")
        for row_id, row in table.items():
            if not re.fullmatch(r"[1-9]\d*", row_id):
                raise ExchangeError(f"{name}[{row_id}]: a row id must be a whole number")
            if not isinstance(row, dict):
                raise ExchangeError(f"{name}[{row_id}]: a row must be an object")
    meetings = "events" if version == 1 else SERIES  # schema 1 kept one date pair per meeting
    required = (META_TABLE, OBLIGATIONS, meetings) + ((PLANS,) if version >= 3 else ())
    for name in required:
        if name not in document:
            raise ExchangeError(f"the tracker has no {name!r} table")
    if "1" not in document[META_TABLE]:
        raise ExchangeError(f"{META_TABLE}[1] is missing: it holds the schema version")


def validate_document(document: Document) -> None:
    """Refuse, with the first problem found, a document the tracker could not load."""
    try:
        _validate(document)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        if isinstance(error, ExchangeError):
            raise
        raise ExchangeError(
            f"the file's records are not shaped as cicte-tui writes them ({error!r})"
        ) from None


def _validate(document: Document) -> None:
    groups_by_year = _validate_plans(document[PLANS])
    event_keys = _validate_series(document[SERIES])
    _validate_obligations(document[OBLIGATIONS], event_keys, groups_by_year)
    _validate_changes(document.get(CHANGES, {}))


class _Record:
    """Where a problem is, for messages: ``obligations[12] (key I-1.ii)``."""

    def __init__(self, label: str, row: dict[str, Any]) -> None:
        self.label = label
        self.row = row

    @classmethod
    def of(cls, table: str, row_id: str, row: dict[str, Any]) -> _Record:
        key = row.get("key")
        suffix = f" (key {key})" if isinstance(key, str) else ""
        return cls(f"{table}[{row_id}]{suffix}", row)

    def fail(self, problem: str) -> ExchangeError:
        return ExchangeError(f"{self.label}: {problem}")

    def text(self, name: str, *, required: bool = False, optional_null: bool = False) -> None:
        if name not in self.row:
            if required:
                raise self.fail(f"required field {name!r} is missing")
            return
        value = self.row[name]
        if value is None and optional_null:
            return
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(f"{name} must be {'non-empty ' if required else ''}text, not {value!r}")

    def list_of(self, name: str, kind: type, kind_name: str) -> list[Any]:
        value = self.row.get(name, [])
        if not isinstance(value, list) or not all(_is(item, kind) for item in value):
            raise self.fail(f"{name} must be a list of {kind_name}, not {value!r}")
        return value

    def iso_date(self, name: str, value: object, *, nullable: bool = True) -> date | None:
        if value is None and nullable:
            return None
        return _parse_date(value, lambda problem: self.fail(f"{name} {problem}"))

    def readable(self, convert: Callable[[dict[str, Any]], object]) -> None:
        """Last safety net: the record converts to its dataclass."""
        try:
            convert(self.row)
        except OutOfBounds as error:  # a date outside 1900–2100, in the form's words
            raise self.fail(error.problem) from None
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            raise self.fail(f"cannot be read ({error})") from None


def _is(value: object, kind: type) -> bool:
    # bool is an int in Python, but never a footnote number.
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def _parse_date(value: object, fail: Callable[[str], ExchangeError]) -> date:
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise fail(f"{value!r} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{value!r} is not a real date") from None


def _validate_plans(table: Mapping[str, Any]) -> dict[int, set[str] | None]:
    """Check each plan; by year, the plan's group keys (None when it lists none)."""
    if not table:
        raise ExchangeError(f"the {PLANS!r} table is empty: a tracker holds at least one plan")
    groups_by_year: dict[int, set[str] | None] = {}
    for row_id, row in table.items():
        record = _Record.of(PLANS, row_id, row)
        plan = row.get("plan")
        if not isinstance(plan, dict):
            raise record.fail("required field 'plan' is missing")
        plan_record = _Record(f"{PLANS}[{row_id}] plan", plan)
        for name in ("symbol", "title"):
            plan_record.text(name, required=True)
        year = plan.get("year")
        if not isinstance(year, int) or isinstance(year, bool):
            raise plan_record.fail(f"year must be a whole number, not {year!r}")
        if year in groups_by_year:
            raise plan_record.fail(f"a second plan for {year}: a tracker holds one plan a year")
        start = plan_record.iso_date("period_start", plan.get("period_start"), nullable=False)
        end = plan_record.iso_date("period_end", plan.get("period_end"), nullable=False)
        assert start is not None and end is not None
        if end < start:
            raise plan_record.fail(f"period_end {end} is before period_start {start}")
        for name in ("issued", "meeting_date"):
            plan_record.iso_date(name, plan.get(name))
        plan_record.readable(plan_from_doc)
        problems = plan_problems(plan_from_doc(plan))
        if problems:
            raise plan_record.fail(problems[0])
        reference = row.get("reference", {})
        if not isinstance(reference, dict):
            raise record.fail("reference must be an object")
        record.readable(lambda row: reference_from_doc(row.get("reference", {})))
        groups = reference.get("groups")
        groups_by_year[year] = {group["key"] for group in groups} if groups else None
    return groups_by_year


def _validate_series(table: Mapping[str, Any]) -> set[str]:
    """Shapes first (field by field, for a precise message), then the store's own checks."""
    keys: dict[str, str] = {}
    meetings: dict[str, MeetingSeries] = {}
    records: list[tuple[_Record, MeetingSeries]] = []
    for row_id, row in table.items():
        record = _Record.of(SERIES, row_id, row)
        record.text("key", required=True)
        record.text("name")  # an empty one is refused below, in the editor's words
        record.text("alongside", optional_null=True)
        for name in ("alongside_basis", "note"):
            record.text(name)
        _refuse_duplicate(record, row["key"], keys, row_id, SERIES)
        for index, session in enumerate(record.list_of("sessions", dict, "sessions")):
            _validate_session_shape(record, index, session)
        record.readable(series_from_doc)
        series = series_from_doc(row)
        meetings[series.key] = series
        records.append((record, series))
    for record, series in records:
        problems = series_problems(series, meetings)
        if problems:
            raise record.fail(problems[0])
    return set(keys)


def _validate_session_shape(record: _Record, index: int, session: dict[str, Any]) -> None:
    where = _Record(f"{record.label} session {index + 1}", session)
    if not _is(session.get("year"), int):
        raise where.fail(f"year must be a whole number, not {session.get('year')!r}")
    for name in ("start", "end"):
        where.iso_date(name, session.get(name))
    for name in ("title", "place", "note", "document"):
        where.text(name)


def _refuse_duplicate(
    record: _Record, key: str, seen: dict[str, str], row_id: str, table: str
) -> None:
    if key in seen:
        raise record.fail(f"duplicate key; {table}[{seen[key]}] has the same key")
    seen[key] = row_id


_STATUSES = tuple(status.value for status in Status)
_SECTIONS = tuple(section.value for section in Section)


def _validate_obligations(
    table: Mapping[str, Any],
    event_keys: Collection[str],
    groups_by_year: Mapping[int, set[str] | None],
) -> None:
    keys: dict[str, str] = {}
    for row_id, row in table.items():
        record = _Record.of(OBLIGATIONS, row_id, row)
        for name in ("key", "group"):
            record.text(name, required=True)
        if row.get("section") not in _SECTIONS:
            raise record.fail(
                f"section {row.get('section')!r} is not one of: {', '.join(_SECTIONS)}"
            )
        year = row.get("plan_year")
        if year not in groups_by_year:
            held = ", ".join(str(y) for y in groups_by_year)
            raise record.fail(f"plan_year {year!r} is not a plan of the tracker ({held})")
        if row.get("carried_from") is not None and not _is(row["carried_from"], int):
            raise record.fail(f"carried_from must be a year or null, not {row['carried_from']!r}")
        # One key per plan: the 2009 plan holds its own I-1.ii beside 2008's.
        _refuse_duplicate(record, f"{year}/{row['key']}", keys, row_id, OBLIGATIONS)
        group_keys = groups_by_year[year]
        if group_keys is not None and row["group"] not in group_keys:
            raise record.fail(f"group {row['group']!r} is not a group of the plan")
        _validate_obligation_fields(record, event_keys)
        record.readable(obligation_from_doc)
        problems = obligation_problems(obligation_from_doc(row), event_keys)
        if problems:
            raise record.fail(problems[0])


def _validate_obligation_fields(record: _Record, event_keys: Collection[str]) -> None:
    row = record.row
    for name in ("number", "text", "schedule_text", "owner"):
        record.text(name)
    record.text("title", optional_null=True)
    if "status" in row and row["status"] not in _STATUSES:
        raise record.fail(f"status {row['status']!r} is not one of: {', '.join(_STATUSES)}")
    if not isinstance(row.get("activity_bulleted", False), bool):
        raise record.fail("activity_bulleted must be true or false")
    for name in ("sources", "activity", "partners"):
        record.list_of(name, str, "texts")
    record.list_of("footnotes", int, "footnote numbers")
    for spec in record.list_of("rules", str, "rule texts"):
        try:
            parse_rule(spec, known_events=event_keys)
        except RuleError as error:
            raise record.fail(f"rule {spec!r}: {error}") from None
    record.iso_date("last_reviewed", row.get("last_reviewed"))
    for note in record.list_of("notes", dict, "notes"):
        _validate_note(record, note)
    for completion in record.list_of("completions", dict, "completions"):
        if not isinstance(completion.get("occurrence"), str):
            raise record.fail(f"a completion needs its occurrence: {completion!r}")
        done_on = record.iso_date("done_on", completion.get("done_on"), nullable=False)
        due = record.iso_date("due", completion.get("due"))
        if not isinstance(completion.get("session"), str | None):
            raise record.fail(f"a completion's session must be text or null: {completion!r}")
        assert done_on is not None  # not nullable
        for name in ("document", "link", "outcome"):
            if not isinstance(completion.get(name, ""), str):
                raise record.fail(f"a completion's {name} must be text: {completion!r}")
        evidence = Evidence(*(completion.get(name, "") for name in ("document", "link", "outcome")))
        recorded = Completion(completion["occurrence"], done_on, due, evidence=evidence)
        problems = completion_problems(recorded, date.max)  # recorded: no "after today"
        if problems:
            raise record.fail(problems[0])


def _validate_note(record: _Record, note: dict[str, Any]) -> None:
    if not isinstance(note.get("text"), str):
        raise record.fail(f"a note needs its text: {note!r}")
    at = note.get("at")
    if not isinstance(at, str) or not ISO_DATE.match(at):
        raise record.fail(f"note time {at!r} is not a date and time (YYYY-MM-DDTHH:MM:SS)")
    try:
        datetime.fromisoformat(at)
    except ValueError:
        raise record.fail(f"note time {at!r} is not a real date and time") from None


def _validate_changes(table: Mapping[str, Any]) -> None:
    """The change log the detail pane shows as history."""
    for row_id, row in table.items():
        record = _Record.of(CHANGES, row_id, row)
        for name in ("key", "action"):
            record.text(name, required=True)
        record.text("summary")
        if row.get("target") not in ("obligation", "series", "plan"):
            raise record.fail(f"target {row.get('target')!r} is not obligation, series or plan")
        at = row.get("at")
        try:
            datetime.fromisoformat(at) if isinstance(at, str) else None
        except ValueError:
            at = None
        if not isinstance(at, str):
            raise record.fail(f"time {row.get('at')!r} is not a date and time")
        for name in ("before", "after"):
            if row.get(name) is not None and not isinstance(row[name], dict):
                raise record.fail(f"{name} must be a record or null")
        record.readable(change_from_doc)


# -- merging -----------------------------------------------------------------


@dataclass(frozen=True)
class TableMerge:
    """What a merge did to one table: keys added, keys changed (with fields), the rest."""

    table: str
    added: tuple[str, ...] = ()
    changed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(key, names of the fields that differ)."""
    unchanged: int = 0
    kept: int = 0
    """Records only in the store, left as they were."""


@dataclass(frozen=True)
class MergeReport:
    tables: tuple[TableMerge, ...] = field(default_factory=tuple)

    @property
    def changed_anything(self) -> bool:
        return any(table.added or table.changed for table in self.tables)


def merge_documents(current: Document, incoming: Document) -> tuple[Document, MergeReport]:
    """``current`` with ``incoming`` merged in by obligation key and meeting series key.

    A record in both takes the file's version whole (tracking state
    included); a record only in the store is kept; the store's plan details
    are kept. Tables this version does not know gain the file's rows they
    lack. Neither argument is modified. The file's text passes the store's text
    gate (``read_export`` already did; a document from elsewhere may not have).
    """
    incoming = cast(Document, scrub_tree(incoming))
    _refuse_other_plan(current, incoming)
    merged = copy.deepcopy(current)
    reports = [
        _merge_keyed(merged, incoming, PLANS, _plan_year_of, keep_ours=True),
        _merge_keyed(merged, incoming, OBLIGATIONS, _year_and_key),
        _merge_keyed(merged, _keeping_our_sessions(current, incoming), SERIES, _key),
    ]
    for name in incoming:
        if name not in (META_TABLE, PLANS, OBLIGATIONS, SERIES):
            reports.append(_merge_rows(merged, incoming, name))
    validate_document(merged)
    return merged, MergeReport(tuple(reports))


def _refuse_other_plan(current: Document, incoming: Document) -> None:
    """Two different plans of one year are never merged silently."""
    ours = {row["plan"]["year"]: row["plan"] for row in current[PLANS].values()}
    for row in incoming[PLANS].values():
        theirs = row["plan"]
        mine = ours.get(theirs["year"])
        if mine is not None and mine["symbol"] != theirs["symbol"]:
            raise ExchangeError(
                f"cannot merge: for {theirs['year']} the file tracks {theirs['symbol']} but the "
                f"store tracks {mine['symbol']}; use --replace to swap the whole tracker"
            )


def _keeping_our_sessions(current: Document, incoming: Document) -> Document:
    """``incoming`` with each series holding the store's sessions of the years the file
    lacks: a merge by year never drops a session (and the work done against it)."""
    ours = {row["key"]: row for row in current.get(SERIES, {}).values()}
    adjusted = copy.deepcopy(incoming)
    for row in adjusted.get(SERIES, {}).values():
        mine = ours.get(row["key"])
        if mine is None:
            continue
        theirs = {session["year"] for session in row.get("sessions", [])}
        kept = [s for s in mine.get("sessions", []) if s["year"] not in theirs]
        row["sessions"] = sorted([*row.get("sessions", []), *kept], key=lambda s: s["year"])
    return adjusted


def _plan_year_of(row: dict[str, Any]) -> str:
    return str(row["plan"]["year"])


def _year_and_key(row: dict[str, Any]) -> str:
    return f"{row['plan_year']}/{row['key']}"


def _key(row: dict[str, Any]) -> str:
    return str(row["key"])


def _next_id(table: Mapping[str, Any]) -> int:
    return max((int(row_id) for row_id in table), default=0) + 1


def _merge_keyed(
    merged: Document,
    incoming: Document,
    name: str,
    key_of: Callable[[dict[str, Any]], str],
    *,
    keep_ours: bool = False,
) -> TableMerge:
    """``keep_ours``: a record in both stays as the store has it (a plan's details)."""
    table = merged.setdefault(name, {})
    ids_by_key = {key_of(row): row_id for row_id, row in table.items()}
    added: list[str] = []
    changed: list[tuple[str, tuple[str, ...]]] = []
    unchanged = 0
    next_id = _next_id(table)
    for row in incoming[name].values():
        key = key_of(row)
        row_id = ids_by_key.get(key)
        if row_id is None:
            table[str(next_id)] = copy.deepcopy(row)
            next_id += 1
            added.append(key)
        elif table[row_id] != row and not keep_ours:
            fields = sorted(set(row) | set(table[row_id]))
            differing = tuple(f for f in fields if table[row_id].get(f) != row.get(f))
            table[row_id] = copy.deepcopy(row)
            changed.append((key, differing))
        else:
            unchanged += 1
    incoming_keys = {key_of(row) for row in incoming[name].values()}
    kept = sum(1 for key in ids_by_key if key not in incoming_keys)
    return TableMerge(name, tuple(added), tuple(changed), unchanged, kept)


def _merge_rows(merged: Document, incoming: Document, name: str) -> TableMerge:
    """A table with no keys we know of (e.g. a newer change log): add the rows it lacks."""
    table = merged.setdefault(name, {})
    stored = list(table.values())
    arriving = list(incoming[name].values())
    kept = sum(1 for row in stored if row not in arriving)
    next_id = _next_id(table)
    added: list[str] = []
    unchanged = 0
    for row in arriving:
        if row in stored:
            unchanged += 1
            continue
        table[str(next_id)] = copy.deepcopy(row)
        stored.append(row)
        added.append(f"row {next_id}")
        next_id += 1
    return TableMerge(name, tuple(added), (), unchanged, kept)
