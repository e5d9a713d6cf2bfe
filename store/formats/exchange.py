"""The whole tracker as one JSON file: export, validation before import, replace or merge.

The export is cicte-tui's own exchange format (``docs/EXCHANGE.md``, JSON
Schema in ``docs/cicte-tui.schema.json``): plans by year with their
obligations, meeting series with their sessions, the change log, all as
lists; the tracker file's TinyDB row ids stay behind. Tables this version
does not know travel along under ``other_tables``, so that export → import →
export gives identical JSON. Import also reads the exports of earlier
releases, which wrapped the tracker file's own layout. It checks everything
first and refuses a bad file with the reason and the offending record; only
a document that passed is ever written.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import MISSING, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from store import storage
from store.documents import (
    OutOfBounds,
    change_from_doc,
    completion_from_doc,
    obligation_from_doc,
    obligation_to_doc,
    plan_from_doc,
    plan_to_doc,
    reference_from_doc,
    series_from_doc,
    series_to_doc,
)
from store.fields import Declared, declared_fields, is_record, label_of
from store.gate import cleaned
from store.model import (
    Change,
    Evidence,
    MeetingSeries,
    Note,
    Obligation,
    PlanInfo,
    Session,
)
from store.rules import ISO_DATE, RuleError, parse_rule
from store.storage import CHANGES, META_TABLE, OBLIGATIONS, PLANS, SERIES, Document
from store.text import scrub_tree
from store.validation import (
    completion_problems,
    obligation_problems,
    plan_problems,
    series_problems,
)

FORMAT_MARKER = "cicte-tui-export"
"""Says that a JSON file is a cicte-tui export, not any JSON."""
FORMAT_VERSION = 1
"""The exchange format's version: raised when a reader of the previous one would
misread a file. Independent of the tracker file's schema version."""
LEGACY_MARKER = "cicte-tui-tracker"
"""The marker of exports up to 0.1, which wrapped the tracker file (schema 1–3) as is."""

MEETING_SERIES = "meeting_series"
OTHER_TABLES = "other_tables"
_KNOWN_TABLES = (META_TABLE, PLANS, OBLIGATIONS, SERIES, CHANGES)
_TOP_LEVEL = (
    "$schema",
    "format",
    "format_version",
    "seeded_from",
    PLANS,
    MEETING_SERIES,
    CHANGES,
    OTHER_TABLES,
)
"""Every member an export may have; ``$schema`` (for an editor's validation) is ignored."""


class ExchangeError(ValueError):
    """An export file that cannot be imported; the message names the reason and record."""


class ExportUnreadable(ExchangeError):
    """The file itself cannot be read (missing, a folder, no permission)."""


# -- export ------------------------------------------------------------------


def export_envelope(document: Document) -> dict[str, Any]:
    """The stored document in the exchange format.

    Plans come by year, each holding its obligations (without ``plan_year``:
    the plan says it); series, changes and other tables keep the file's row
    order. The file's revision counter stays behind: it counts writes of one
    file, and an export is the same data whichever file it came from. Records
    are shared with ``document``, not copied, except obligations and plans
    (whose fields the export rearranges). Unknown keys of the meta row (none
    so far) are not exported.
    """
    meta = _meta_row(document)
    by_year: dict[object, list[dict[str, Any]]] = {}
    for row in _rows(document.get(OBLIGATIONS, {})):
        by_year.setdefault(row.get("plan_year"), []).append(
            {name: value for name, value in row.items() if name != "plan_year"}
        )
    plans = []
    for row in sorted(_rows(document.get(PLANS, {})), key=lambda row: row["plan"]["year"]):
        year = row["plan"]["year"]
        plan = {name: value for name, value in row["plan"].items() if name != "year"}
        entry = {"year": year, **plan, "reference": row.get("reference", {})}
        plans.append(entry | {"obligations": by_year.get(year, [])})
    envelope: dict[str, Any] = {
        "format": FORMAT_MARKER,
        "format_version": FORMAT_VERSION,
        "seeded_from": meta.get("seeded_from"),
        PLANS: plans,
        MEETING_SERIES: _rows(document.get(SERIES, {})),
        CHANGES: _rows(document.get(CHANGES, {})),
    }
    others = {
        name: _rows(table) for name, table in sorted(document.items()) if name not in _KNOWN_TABLES
    }
    if others:
        envelope[OTHER_TABLES] = others
    return envelope


def export_json(document: Document) -> str:
    """The export as text: UTF-8 friendly (accents kept), indented, newline-terminated."""
    return storage.pretty(export_envelope(document)) + "\n"


def _rows(table: Mapping[str, Any]) -> list[Any]:
    """A table's rows in row-id order (numeric: row 10 after row 9)."""

    def position(row_id: str) -> tuple[bool, int, str]:
        numeric = row_id.isdigit()
        return (not numeric, int(row_id) if numeric else 0, row_id)

    return [table[row_id] for row_id in sorted(table, key=position)]


def _meta_row(document: Mapping[str, Any]) -> dict[str, Any]:
    meta = document.get(META_TABLE)
    row = next(iter(meta.values()), None) if isinstance(meta, dict) and meta else None
    return row if isinstance(row, dict) else {}


def _meta_version(document: Mapping[str, Any]) -> object:
    return _meta_row(document).get("schema_version")


# -- reading an export ---------------------------------------------------------


def read_export(path: Path) -> Document:
    """The validated tracker document inside the export file at ``path``."""
    try:
        raw = storage.read_limited(path)
    except FileNotFoundError:
        raise ExportUnreadable(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ExportUnreadable(f"{path} is a folder, not an export file") from None
    except OSError as error:
        raise ExportUnreadable(f"cannot read {path}: {error.strerror or error}") from None
    data = storage.parse_json(
        raw, lambda where: ExchangeError(f"the file is not valid JSON ({where})")
    )
    return document_from_export(data, path)


def document_from_export(data: object, source: Path = Path("export")) -> Document:
    """The tracker document of a parsed export (of this format or an earlier release's),
    validated; ``source`` names the file to migrations."""
    marker = data.get("format") if isinstance(data, dict) else None
    if marker == FORMAT_MARKER:
        assert isinstance(data, dict)
        document, places = _document_from_exchange(data)
    elif marker == LEGACY_MARKER:
        assert isinstance(data, dict)
        document, places = _document_from_tracker_layout(data, source), _Places()
    else:
        raise ExchangeError(
            f'the file is not a cicte-tui export (no "format": "{FORMAT_MARKER}"); '
            "a tracker file itself is opened with --db, not imported"
        )
    validate_document(document, places)
    if _through_the_gate(document):
        validate_document(document, places)  # a field the gate had to empty is refused as typed
    return document


def _version_number(name: str, version: object, newest: int, what: str) -> int:
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ExchangeError(f"{name} {version!r} is not a version number")
    if version > newest:
        raise ExchangeError(
            f"the file was written by a newer cicte-tui ({what} {version}; this one reads "
            f"up to {newest}); upgrade cicte-tui to import it"
        )
    return version


def _document_from_exchange(data: dict[str, Any]) -> tuple[Document, _Places]:
    """The exchange format as a tracker document of this schema, and where each row
    came from in the file (for messages)."""
    _version_number("format_version", data.get("format_version"), FORMAT_VERSION, "format")
    for name in data:
        if name not in _TOP_LEVEL:
            raise ExchangeError(
                f"unknown member {name!r} at the top of the file (known: {', '.join(_TOP_LEVEL)})"
            )
    seeded_from = data.get("seeded_from")
    if seeded_from is not None and not isinstance(seeded_from, str):
        raise ExchangeError(f"seeded_from must be text or null, not {seeded_from!r}")
    meta: dict[str, Any] = {"schema_version": storage.SCHEMA_VERSION}
    if seeded_from is not None:
        meta["seeded_from"] = seeded_from
    paths: dict[tuple[str, str], str] = {}
    plans: dict[str, Any] = {}
    obligations: dict[str, Any] = {}
    entries = _records(data, PLANS, required=True)
    if not entries:
        raise ExchangeError("the file holds no plan: a tracker holds at least one plan")
    for index, entry in enumerate(entries):
        where = f"{PLANS}[{index}]"
        row_id = str(index + 1)
        paths[PLANS, row_id] = where
        plan = {
            name: value for name, value in entry.items() if name not in ("reference", OBLIGATIONS)
        }
        plans[row_id] = {"plan": plan, "reference": entry.get("reference", {})}
        for position, row in enumerate(_records(entry, OBLIGATIONS, where=where)):
            obligation_id = str(len(obligations) + 1)
            paths[OBLIGATIONS, obligation_id] = f"{where}.{OBLIGATIONS}[{position}]"
            obligations[obligation_id] = {**row, "plan_year": entry.get("year")}
    document: Document = {META_TABLE: {"1": meta}, PLANS: plans, OBLIGATIONS: obligations}
    document[SERIES] = _table(_records(data, MEETING_SERIES, required=True), paths, SERIES)
    if changes := _records(data, CHANGES):
        document[CHANGES] = _table(changes, paths, CHANGES)
    others = data.get(OTHER_TABLES, {})
    if not isinstance(others, dict):
        raise ExchangeError(f"{OTHER_TABLES} must be an object of tables, not {others!r}")
    for name in others:
        if name in _KNOWN_TABLES or name == "events":  # events: schema 1's meetings
            raise ExchangeError(f"{OTHER_TABLES}: {name!r} is a table of cicte-tui's own")
        rows = _records(others, name, where=OTHER_TABLES)
        document[name] = {str(number): row for number, row in enumerate(rows, 1)}
    return document, _Places(paths)


def _records(
    container: Mapping[str, Any], name: str, *, where: str = "", required: bool = False
) -> list[dict[str, Any]]:
    """The list of records ``container[name]``, checked for its shape."""
    path = f"{where}.{name}" if where else name
    if name not in container:
        if required:
            raise ExchangeError(f"the file has no {name!r} list")
        return []
    records = container[name]
    if not isinstance(records, list):
        raise ExchangeError(f"{path} must be a list of records, not {type(records).__name__}")
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise ExchangeError(f"{path}[{index}]: a record must be an object")
    return records


def _table(
    records: list[dict[str, Any]], paths: dict[tuple[str, str], str], name: str
) -> dict[str, Any]:
    rows = {str(number): row for number, row in enumerate(records, 1)}
    source = MEETING_SERIES if name == SERIES else name
    paths.update({(name, row_id): f"{source}[{int(row_id) - 1}]" for row_id in rows})
    return rows


def _document_from_tracker_layout(data: dict[str, Any], source: Path) -> Document:
    """An export of 0.1 (``cicte-tui-tracker``): the tracker file wrapped, of schema 1–3."""
    version = _version_number(
        "schema_version", data.get("schema_version"), storage.SCHEMA_VERSION, "schema"
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
        return storage.migrate(source, document)
    except storage.StoreError as error:
        raise ExchangeError(str(error)) from None


def _through_the_gate(document: Document) -> bool:
    """Each record with a line break or tab in it, as the editor would save it: single-line
    fields (a title, a place, an id) fold theirs. Whether anything changed."""
    gates: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
        OBLIGATIONS: lambda row: obligation_to_doc(cleaned(obligation_from_doc(row))),
        SERIES: lambda row: series_to_doc(cleaned(series_from_doc(row))),
    }
    changed = False
    for table, gate in gates.items():
        for row_id, row in document.get(table, {}).items():
            if _has_line_break(row) and (gated := gate(row)) != row:
                document[table][row_id], changed = gated, True
    for row in document.get(PLANS, {}).values():
        if _has_line_break(row["plan"]):
            plan = plan_to_doc(cleaned(plan_from_doc(row["plan"])))
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


class _Places:
    """How a message names a record: by row id in a tracker-layout file
    (``obligations[12]``), by its place in an export (``plans[0].obligations[11]``,
    as jq spells it)."""

    def __init__(self, paths: Mapping[tuple[str, str], str] | None = None) -> None:
        self.paths = paths or {}

    def row(self, table: str, row_id: str) -> str:
        return self.paths.get((table, row_id)) or f"{table}[{row_id}]"

    def plan(self, row_id: str) -> str:
        """A plan's own fields: beside its reference in an export, under ``plan`` in a file."""
        return self.paths.get((PLANS, row_id)) or f"{PLANS}[{row_id}] plan"


def validate_document(document: Document, places: _Places | None = None) -> None:
    """Refuse, with the first problem found, a document the tracker could not load;
    ``places`` names the records as the file imported has them."""
    try:
        _validate(document, places or _Places())
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        if isinstance(error, ExchangeError):
            raise
        raise ExchangeError(
            f"the file's records are not shaped as cicte-tui writes them ({error!r})"
        ) from None


def _validate(document: Document, places: _Places) -> None:
    groups_by_year = _validate_plans(document[PLANS], places)
    event_keys = _validate_series(document[SERIES], places)
    _validate_obligations(document[OBLIGATIONS], event_keys, groups_by_year, places)
    _validate_changes(document.get(CHANGES, {}), places)


class _Record:
    """Where a problem is, for messages: ``obligations[12] (key I-1.ii)``."""

    def __init__(self, label: str, row: dict[str, Any]) -> None:
        self.label = label
        self.row = row

    @classmethod
    def of(cls, places: _Places, table: str, row_id: str, row: dict[str, Any]) -> _Record:
        key = row.get("key")
        suffix = f" (key {key})" if isinstance(key, str) else ""
        return cls(f"{places.row(table, row_id)}{suffix}", row)

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

    def moment(self, label: str, value: object) -> None:
        if not isinstance(value, str) or not ISO_DATE.match(value):
            raise self.fail(f"{label} {value!r} is not a date and time (YYYY-MM-DDTHH:MM:SS)")
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{label} {value!r} is not a real date and time") from None

    def fields(self, record_type: type, *, skip: Collection[str] = ()) -> None:
        """Each field ``record_type`` declares, of the type it declares: a precise message
        before the store's own checks. Lists of records are checked by their callers."""
        members = sorted(declared_fields(record_type), key=lambda f: not f.spec.required)
        for member in members:  # the fields that name the record first
            if member.name not in skip and not is_record(member.element):
                self._field(member)

    def _field(self, field: Declared) -> None:  # noqa: C901 - one branch per kind of field
        name, kind, row = field.name, field.base, self.row
        absent = name not in row and (field.missing is not MISSING or field.spec.fallback != "")
        if is_record(kind):  # a nested record lends its fields to this one's document
            self.fields(kind)
        elif kind is str:
            self.text(name, required=field.spec.required, optional_null=field.optional)
        elif absent or (field.optional and row.get(name) is None):
            return
        elif isinstance(kind, type) and issubclass(kind, StrEnum):
            values = tuple(member.value for member in kind)
            if row.get(name) not in values:
                raise self.fail(f"{name} {row.get(name)!r} is not one of: {', '.join(values)}")
        elif kind is bool and not isinstance(row.get(name), bool):
            raise self.fail(f"{name} must be true or false")
        elif kind is int and not _is(row.get(name), int):
            null = " or null" if field.optional else ""
            raise self.fail(f"{name} must be a whole number{null}, not {row.get(name)!r}")
        elif kind is date:
            self.iso_date(name, row.get(name), nullable=field.optional)
        elif kind is datetime:
            self.moment(field.label, row.get(name))
        elif field.element in (str, int):
            self.list_of(name, field.element, "texts" if field.element is str else "whole numbers")

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


def _validate_plans(table: Mapping[str, Any], places: _Places) -> dict[int, set[str] | None]:
    """Check each plan; by year, the plan's group keys (None when it lists none)."""
    if not table:
        raise ExchangeError(f"the {PLANS!r} table is empty: a tracker holds at least one plan")
    groups_by_year: dict[int, set[str] | None] = {}
    for row_id, row in table.items():
        record = _Record.of(places, PLANS, row_id, row)
        plan = row.get("plan")
        if not isinstance(plan, dict):
            raise record.fail("required field 'plan' is missing")
        plan_record = _Record(places.plan(row_id), plan)
        plan_record.fields(PlanInfo)
        year = plan["year"]
        if year in groups_by_year:
            raise plan_record.fail(f"a second plan for {year}: a tracker holds one plan a year")
        start, end = (date.fromisoformat(plan[name]) for name in ("period_start", "period_end"))
        if end < start:
            raise plan_record.fail(f"period_end {end} is before period_start {start}")
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


def _validate_series(table: Mapping[str, Any], places: _Places) -> set[str]:
    """Shapes first (field by field, for a precise message), then the store's own checks."""
    keys: dict[str, str] = {}
    meetings: dict[str, MeetingSeries] = {}
    records: list[tuple[_Record, MeetingSeries]] = []
    for row_id, row in table.items():
        record = _Record.of(places, SERIES, row_id, row)
        record.fields(MeetingSeries)  # an empty name is refused below, in the editor's words
        _refuse_duplicate(record, row["key"], keys, places.row(SERIES, row_id))
        for index, session in enumerate(record.list_of("sessions", dict, "sessions")):
            _Record(f"{record.label} session {index + 1}", session).fields(Session)
        record.readable(series_from_doc)
        series = series_from_doc(row)
        meetings[series.key] = series
        records.append((record, series))
    for record, series in records:
        problems = series_problems(series, meetings)
        if problems:
            raise record.fail(problems[0])
    return set(keys)


def _refuse_duplicate(record: _Record, key: str, seen: dict[str, str], place: str) -> None:
    """``seen``: key → the place of the record that has it."""
    if key in seen:
        raise record.fail(f"duplicate key; {seen[key]} has the same key")
    seen[key] = place


def _validate_obligations(
    table: Mapping[str, Any],
    event_keys: Collection[str],
    groups_by_year: Mapping[int, set[str] | None],
    places: _Places,
) -> None:
    keys: dict[str, str] = {}
    for row_id, row in table.items():
        record = _Record.of(places, OBLIGATIONS, row_id, row)
        record.fields(Obligation, skip=("plan_year",))
        year = row.get("plan_year")
        if year not in groups_by_year:
            held = ", ".join(str(y) for y in groups_by_year)
            raise record.fail(f"plan_year {year!r} is not a plan of the tracker ({held})")
        # One key per plan: the 2009 plan holds its own I-1.ii beside 2008's.
        _refuse_duplicate(record, f"{year}/{row['key']}", keys, places.row(OBLIGATIONS, row_id))
        for spec in row.get("rules", []):
            try:
                parse_rule(spec, known_events=event_keys)
            except RuleError as error:
                raise record.fail(f"rule {spec!r}: {error}") from None
        for note in record.list_of("notes", dict, "notes"):
            _validate_note(record, note)
        for completion in record.list_of("completions", dict, "completions"):
            _validate_completion(record, completion)
        record.readable(obligation_from_doc)
        obligation = obligation_from_doc(row)
        problems = obligation_problems(obligation, event_keys, groups_by_year[year])
        if problems:
            raise record.fail(problems[0])


def _validate_completion(record: _Record, completion: dict[str, Any]) -> None:
    """In the words of the item it belongs to: ``a completion's document must be text``."""
    if not isinstance(completion.get("occurrence"), str):
        raise record.fail(f"a completion needs its occurrence: {completion!r}")
    record.iso_date("done_on", completion.get("done_on"), nullable=False)
    record.iso_date("due", completion.get("due"))
    if not isinstance(completion.get("session"), str | None):
        raise record.fail(f"a completion's session must be text or null: {completion!r}")
    for part in declared_fields(Evidence):
        if not isinstance(completion.get(part.name, ""), str):
            raise record.fail(f"a completion's {part.name} must be text: {completion!r}")
    recorded = completion_from_doc(completion)
    problems = completion_problems(recorded, date.max)  # recorded: no "after today"
    if problems:
        raise record.fail(problems[0])


def _validate_note(record: _Record, note: dict[str, Any]) -> None:
    if not isinstance(note.get("text"), str):
        raise record.fail(f"a note needs its text: {note!r}")
    record.moment(label_of(Note, "at"), note.get("at"))


def _validate_changes(table: Mapping[str, Any], places: _Places) -> None:
    """The change log the detail pane shows as history."""
    for row_id, row in table.items():
        record = _Record.of(places, CHANGES, row_id, row)
        record.fields(Change)
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
