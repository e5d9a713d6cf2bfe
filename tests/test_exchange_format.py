"""The documented JSON: every export, `status --format json` and `show --format json`
validate against the schemas shipped in docs/, and the export is cicte-tui's own format."""

import json
from dataclasses import replace
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from store.formats.exchange import FORMAT_MARKER, FORMAT_VERSION, export_json
from store.model import Session
from store.repository import Tracker
from tui.cli.parser import EXIT_OK, main

DOCS = Path(__file__).parent.parent / "docs"
FIXTURES = Path(__file__).parent / "fixtures"


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((DOCS / name).read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def assert_valid(name: str, instance: object) -> None:
    errors = [
        f"{error.json_path}: {error.message[:300]}"
        for error in validator(name).iter_errors(instance)
    ]
    assert errors == [], "\n".join(errors[:10])


def cli(db: Path, *argv: str, today: str = "2008-06-15") -> None:
    assert main([*argv, "--db", str(db), "--today", today]) == EXIT_OK


def exported(db: Path, tmp_path: Path) -> str:
    target = tmp_path / f"{db.stem}-export.json"
    assert main(["export", "json", "--db", str(db), "-o", str(target), "--force"]) == EXIT_OK
    return target.read_text("utf-8")


# -- trackers to export --------------------------------------------------------------


def embedded(db: Path) -> None:
    """The embedded 2008 plan, untouched."""
    Tracker.open(db).close()


def edited(db: Path) -> None:
    """Worked in through the commands: notes, owners, completions with evidence, a
    meeting's session, a rule changed, and the 2009 plan with its own session."""
    cli(db, "note", "1.vii", "Réunion « préparatoire » [bold]x[/]")
    cli(db, "set", "1.vii", "--owner", "Élodie Müller", "--status", "blocked")
    cli(db, "done", "1.iv", "--on", "2008-03-06", "--doc", "CICTE/doc.4/08", "--outcome", "adopté")
    cli(
        db,
        "done",
        "4.i",
        "--on",
        "2008-07-02",
        "--link",
        "https://example.org/r",
        today="2008-07-03",
    )
    cli(
        db, "meeting", "set", "pcn-meeting", "2008", "--from", "2008-03-04", "--place", "Washington"
    )
    cli(db, "set", "1.ii", "--rule", "2008-09-15")
    cli(db, "plan", "new", "2009", "--from", "2008", "--meeting",
        "cicte-session=2009-03-04..2009-03-06", today="2008-12-01")  # fmt: skip
    cli(db, "note", "1.vii", "carried over", "--plan", "2009", today="2009-01-10")


def empty_ish(db: Path) -> None:
    """A plan with no obligations left and no meeting series."""
    with Tracker.open(db) as tracker:
        for obligation in list(tracker):
            tracker.delete_obligation(obligation.key)
        for key in list(tracker.meetings):
            tracker.delete_series(key)


def with_other_table(db: Path) -> None:
    """A table this version does not know, as a newer cicte-tui might keep."""
    from store.storage import atomic_write_json, load_document

    Tracker.open(db).close()
    document = load_document(db)
    assert document is not None
    document["future"] = {"1": {"at": "2008-06-02T09:30:00", "what": "status → blocked"}}
    atomic_write_json(db, document)


def from_schema_1(db: Path) -> None:
    """The tracker file of 0.1 (schema 1), migrated when opened."""
    db.write_bytes((FIXTURES / "tracker-schema1.json").read_bytes())
    Tracker.open(db).close()


TRACKERS = [embedded, edited, empty_ish, with_other_table, from_schema_1]


@pytest.mark.parametrize("make", TRACKERS, ids=lambda make: make.__name__)
def test_every_export_validates_against_the_shipped_schema(tmp_path, make):
    db = tmp_path / "tracker.json"
    make(db)
    assert_valid("cicte-tui.schema.json", json.loads(exported(db, tmp_path)))


@pytest.mark.parametrize("make", TRACKERS, ids=lambda make: make.__name__)
def test_export_import_export_is_byte_identical_and_export_deterministic(tmp_path, make):
    db, again = tmp_path / "tracker.json", tmp_path / "again.json"
    make(db)
    first = exported(db, tmp_path)
    assert exported(db, tmp_path) == first
    export = tmp_path / "first.json"
    export.write_text(first, "utf-8")
    assert main(["import", str(export), "--db", str(again)]) == EXIT_OK
    assert exported(again, tmp_path) == first


def test_the_export_lists_records_by_what_identifies_them_without_row_ids(tmp_path):
    db = tmp_path / "tracker.json"
    edited(db)
    export = json.loads(exported(db, tmp_path))
    assert (export["format"], export["format_version"]) == (FORMAT_MARKER, FORMAT_VERSION)
    assert export["seeded_from"] == "CICTE/RP/doc.2/07"
    assert [plan["year"] for plan in export["plans"]] == [2008, 2009]
    plan_2008, plan_2009 = export["plans"]
    keys = [obligation["key"] for obligation in plan_2008["obligations"]]
    assert keys[:3] == ["I-1.i", "I-1.ii", "I-1.iii"] and len(keys) == len(set(keys)) == 58
    assert all("plan_year" not in o for plan in export["plans"] for o in plan["obligations"])
    carried = next(o for o in plan_2009["obligations"] if o["key"] == "I-1.vii")
    assert carried["carried_from"] == 2008 and carried["notes"][0]["text"] == "carried over"
    series = {s["key"]: s for s in export["meeting_series"]}
    assert list(series) == ["cicte-session", "oas-ga", "pcn-meeting", "preparatory-meeting"]
    assert [s["year"] for s in series["cicte-session"]["sessions"]] == [2008, 2009]
    assert series["pcn-meeting"]["sessions"][0]["start"] == "2008-03-04"
    assert {change["key"] for change in export["changes"]} >= {"I-1.vii", "pcn-meeting"}
    assert "other_tables" not in export
    text = json.dumps(export)
    assert '"1":' not in text and '"meta"' not in text  # nothing of TinyDB's layout


def test_unknown_tables_travel_under_other_tables(tmp_path):
    db = tmp_path / "tracker.json"
    with_other_table(db)
    export = json.loads(exported(db, tmp_path))
    assert export["other_tables"] == {
        "future": [{"at": "2008-06-02T09:30:00", "what": "status → blocked"}]
    }


def test_the_export_does_not_depend_on_row_ids(tracker):
    document = tracker.raw_document()
    renumbered = {
        name: {str(int(row_id) + 100): row for row_id, row in table.items()}
        for name, table in document.items()
    }
    assert export_json(renumbered) == export_json(document)


# -- earlier exports -------------------------------------------------------------------


def legacy_export(tracker_document: dict, version: int) -> dict:
    """What `export json` wrote before this format: the tracker file, wrapped."""
    return {"format": "cicte-tui-tracker", "schema_version": version, "tracker": tracker_document}


def schema_1_document() -> dict:
    return json.loads((FIXTURES / "tracker-schema1.json").read_text("utf-8"))


def schema_2_document() -> dict:
    from store.migrations import MIGRATIONS

    return MIGRATIONS[1](schema_1_document())


def schema_3_document() -> dict:
    from store.storage import migrate

    return migrate(Path("fixture"), schema_1_document())


@pytest.mark.parametrize(
    ("version", "document"),
    [(1, schema_1_document), (2, schema_2_document), (3, schema_3_document)],
    ids=["schema-1", "schema-2", "schema-3"],
)
def test_an_export_of_every_earlier_schema_imports_to_the_same_tracker(tmp_path, version, document):
    reference = tmp_path / "reference.json"
    from_schema_1(reference)
    expected = exported(reference, tmp_path)
    source = tmp_path / "legacy.json"
    source.write_text(json.dumps(legacy_export(document(), version), ensure_ascii=False), "utf-8")
    db = tmp_path / "imported.json"
    assert main(["import", str(source), "--db", str(db)]) == EXIT_OK
    assert exported(db, tmp_path) == expected


# -- status and show --------------------------------------------------------------------


def status_json(db: Path, *argv: str, today: str, capsys) -> dict:
    capsys.readouterr()
    main(["status", "--db", str(db), "--today", today, "--format", "json", *argv])
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("today", "argv"),
    [
        ("2008-03-01", ()),  # due soon, before the session, which lists items
        ("2008-03-06", ()),  # the session under way
        ("2008-10-15", ()),  # overdue items
        ("2008-10-15", ("--owner", "Élodie Müller")),
        ("2009-01-10", ("--plan", "2009")),
        ("2010-02-01", ()),  # every session past: no next meeting
    ],
)
def test_status_json_validates_against_its_schema(tmp_path, capsys, today, argv):
    db = tmp_path / "tracker.json"
    edited(db)
    output = status_json(db, *argv, today=today, capsys=capsys)
    assert_valid("status.schema.json", output)


def test_status_json_covers_both_sides_of_its_nullable_members(tmp_path, capsys):
    """The cases above hold a meeting and none, an owner and none, each state of an item."""
    db = tmp_path / "tracker.json"
    edited(db)
    outputs = [
        status_json(db, *argv, today=today, capsys=capsys)
        for today, argv in [
            ("2008-03-01", ()),
            ("2010-02-01", ()),
            ("2008-10-15", ("--owner", "Élodie Müller")),
        ]
    ]
    assert {output["next_meeting"] is None for output in outputs} == {True, False}
    assert {output["owner"] is None for output in outputs} == {True, False}
    states = {item["state"] for output in outputs for item in output["items"]}
    assert states >= {"overdue", "due soon"}


@pytest.mark.parametrize(
    ("item", "argv"),
    [
        ("1.iv", ()),  # done, with evidence, anchored on a session
        ("1.v", ()),  # dates assumed from another meeting
        ("1.vii", ()),  # notes, owner, status
        ("1.ii", ()),  # a rule changed: the old completion no longer scheduled
        ("4.i", ()),
        ("II-1.D.1", ()),
        ("1.vii", ("--plan", "2009")),  # carried over, with the earlier plan's notes
    ],
)
def test_show_json_validates_against_its_schema(tmp_path, capsys, item, argv):
    db = tmp_path / "tracker.json"
    edited(db)
    if item == "1.ii":
        cli(db, "set", "1.ii", "--rule", "2008-09-30")
        cli(db, "done", "1.ii", "--on", "2008-09-20", today="2008-10-01")
        cli(db, "set", "1.ii", "--rule", "2008-10-31")
    capsys.readouterr()
    main(["show", item, "--db", str(db), "--today", "2008-10-15", "--format", "json", *argv])
    output = json.loads(capsys.readouterr().out)
    assert_valid("show.schema.json", output)
    if item == "1.ii":
        assert output["no_longer_scheduled"]
    if argv:
        assert output["carried_from"] == 2008 and output["earlier_notes"]


def test_a_session_without_dates_shows_a_waiting_occurrence(tmp_path, capsys):
    db = tmp_path / "tracker.json"
    with Tracker.open(db) as tracker:
        series = tracker.meetings["cicte-session"]
        tracker.save_series(replace(series, sessions=(Session(2008, None, None),)))
    capsys.readouterr()
    main(["show", "1.iv", "--db", str(db), "--today", "2008-02-01", "--format", "json"])
    output = json.loads(capsys.readouterr().out)
    assert output["occurrences"][0]["due"] is None
    assert_valid("show.schema.json", output)


def test_the_schemas_say_what_the_files_hold():
    """A schema that allowed anything would pass every test above."""
    export_schema = validator("cicte-tui.schema.json")
    assert not export_schema.is_valid({"format": FORMAT_MARKER, "format_version": 1})
    good = json.loads(export_json(Tracker.in_memory().raw_document()))
    spoiled = json.loads(json.dumps(good))
    spoiled["plans"][0]["obligations"][0]["status"] = "finished"
    assert export_schema.is_valid(good) and not export_schema.is_valid(spoiled)
    spoiled = json.loads(json.dumps(good))
    spoiled["meeting_series"][0]["sessions"][0]["start"] = "5 March 2008"
    assert not export_schema.is_valid(spoiled)
    assert not validator("status.schema.json").is_valid({"plan": {}})


def test_a_schema_reference_in_the_file_is_allowed_and_ignored(tmp_path):
    """Editors validate a file that names its schema in ``$schema``."""
    db, again = tmp_path / "tracker.json", tmp_path / "again.json"
    embedded(db)
    first = exported(db, tmp_path)
    named = {"$schema": "./cicte-tui.schema.json"} | json.loads(first)
    assert_valid("cicte-tui.schema.json", named)
    export = tmp_path / "named.json"
    export.write_text(json.dumps(named, ensure_ascii=False), "utf-8")
    assert main(["import", str(export), "--db", str(again)]) == EXIT_OK
    assert exported(again, tmp_path) == first
