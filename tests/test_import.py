"""`cicte-tui export json` / `import`: an exact round trip, and bad files refused untouched."""

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from store.formats.exchange import (
    FORMAT_MARKER,
    FORMAT_VERSION,
    LEGACY_MARKER,
    ExchangeError,
    document_from_export,
    export_envelope,
    merge_documents,
)
from store.model import Completion, Note, Session, Status
from store.repository import Tracker
from store.storage import SCHEMA_VERSION, atomic_write_json, load_document
from tui.cli.parser import EXIT_LOCKED, EXIT_OK, EXIT_STORE, EXIT_USAGE, main


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60
    )


def edit(db_path):
    """A tracker that users have worked in: notes, completions, owners, a dated meeting."""
    with Tracker.open(db_path) as tracker:
        report = Completion(
            "oas-ga/2008:between", date(2008, 5, 30), date(2008, 5, 31), "oas-ga/2008"
        )
        tracker.save_obligation(
            replace(
                tracker.find("1.vii"),
                status=Status.BLOCKED,
                owner="Élodie Müller",
                notes=(Note(datetime(2008, 6, 2, 9, 30), "Réunion « préparatoire » [bold]x[/]"),),
                completions=(report,),
                last_reviewed=date(2008, 6, 2),
            )
        )
        tracker.delete_obligation("II-6.2")
        pcn = tracker.meetings["pcn-meeting"]
        session = Session(2008, date(2008, 3, 4), date(2008, 3, 4))
        tracker.save_series(replace(pcn, name="Réunion des PCN", sessions=(session,)))


def export_to(db_path, target):
    assert main(["export", "json", "--db", str(db_path), "-o", str(target)]) == EXIT_OK
    return target.read_text("utf-8")


def add_table(db_path, name, rows):
    """A table this version does not know, as a newer cicte-tui might write (e.g. a change log)."""
    document = load_document(db_path)
    document[name] = {str(i): row for i, row in enumerate(rows, 1)}
    atomic_write_json(db_path, document)


def test_export_import_export_gives_identical_json(tmp_path):
    source_db, target_db = tmp_path / "source.json", tmp_path / "target.json"
    edit(source_db)
    add_table(source_db, "future", [{"at": "2008-06-02T09:30:00", "what": "status → blocked"}])
    first = export_to(source_db, tmp_path / "first.json")
    assert main(["import", str(tmp_path / "first.json"), "--db", str(target_db)]) == EXIT_OK
    second = export_to(target_db, tmp_path / "second.json")
    assert second == first
    with Tracker.open(target_db, read_only=True) as tracker:
        assert tracker.find("1.vii").owner == "Élodie Müller"
        assert tracker.find("II-6.2") is None
        assert tracker.meetings["pcn-meeting"].session(2008).start == date(2008, 3, 4)
        assert tracker.find("1.vii").completions[0].done_on == date(2008, 5, 30)


def test_the_export_holds_every_stored_record_with_a_format_marker_and_version(tmp_path):
    db_path = tmp_path / "tracker.json"
    edit(db_path)
    add_table(db_path, "future", [{"what": "x"}])
    exported = json.loads(export_to(db_path, tmp_path / "out.json"))
    assert exported["format"] == FORMAT_MARKER and exported["format_version"] == FORMAT_VERSION
    stored = load_document(db_path)
    assert stored["meta"]["1"]["revision"] > 0  # the file's write count is not exported
    assert "revision" not in json.dumps(exported) and "schema_version" not in exported
    (plan,) = exported["plans"]
    assert {"plan": {n: v for n, v in plan.items() if n not in ("reference", "obligations")},
            "reference": plan["reference"]} == stored["plans"]["1"]  # fmt: skip
    assert [o | {"plan_year": 2008} for o in plan["obligations"]] == list(
        stored["obligations"].values()
    )
    assert exported["meeting_series"] == list(stored["series"].values())
    assert exported["changes"] == list(stored.get("changes", {}).values()) == []
    assert exported["other_tables"] == {"future": [{"what": "x"}]}
    assert "Élodie Müller" in (tmp_path / "out.json").read_text("utf-8")  # not \u escapes


def test_import_prints_what_it_did(tmp_path, capsys):
    export = tmp_path / "plan.json"
    export_to(tmp_path / "a.json", export)
    main(["import", str(export), "--db", str(tmp_path / "b.json")])
    out = capsys.readouterr().out
    assert out == (
        f"Imported {export} into {tmp_path / 'b.json'}: 58 obligations, 4 meeting series.\n"
    )


# -- refusals -----------------------------------------------------------------------


@pytest.fixture
def good_export(tmp_path):
    """The seed plan as an export, to spoil one way or another."""
    return json.loads(export_to(tmp_path / "seed.json", tmp_path / "seed-export.json"))


def obligation_row(export, key):
    """(where the file has it, as messages name it; the record) of the 2008 item ``key``."""
    rows = export["plans"][0]["obligations"]
    index, row = next((i, row) for i, row in enumerate(rows) if row["key"] == key)
    return f"plans[0].obligations[{index}]", row


def series_row(export, index):
    return export["meeting_series"][index]


def spoil_item(spoiled, name, value, problem):
    """A spoiler that sets the field ``name`` of the 2008 item I-1.ii to ``value``."""

    def spoil(export):
        where, row = obligation_row(export, "I-1.ii")
        row[name] = value
        return f"{where} (key I-1.ii): {problem}"

    spoil.__name__ = f"spoil_{spoiled}"
    return spoil


spoil_completion = spoil_item(
    "completion",
    "completions",
    [{"occurrence": "2008-09-30", "done_on": "2008-02-30"}],
    "done_on '2008-02-30' is not a real date",
)
ITEM_SPOILERS = [
    spoil_completion,
    spoil_item("rule", "rules", ["every fortnight"], "rule 'every fortnight': cannot read"),
    spoil_item(
        "rule_event",
        "rules",
        ["before board-meeting"],
        "rule 'before board-meeting': unknown event 'board-meeting'",
    ),
    spoil_item("status", "status", "finished", "status 'finished' is not one of: not started,"),
    spoil_item(
        "note_time",
        "notes",
        [{"at": "yesterday", "text": "x"}],
        "note time 'yesterday' is not a date and time",
    ),
    spoil_item(
        "last_reviewed",
        "last_reviewed",
        "20080215",
        "last_reviewed '20080215' is not a date (YYYY-MM-DD)",
    ),
    spoil_item("group", "group", "I-9", "group 'I-9' is not a group of the plan"),
]


def spoil_duplicate(export):
    first, _ = obligation_row(export, "I-1.i")
    where, row = obligation_row(export, "I-1.ii")
    row["key"] = "I-1.i"
    return f"{where} (key I-1.i): duplicate key; {first} has the same key"


def spoil_missing_key(export):
    where, row = obligation_row(export, "I-1.ii")
    del row["key"]
    return f"{where}: required field 'key' is missing"


def spoil_session_dates(export):
    series_row(export, 0)["sessions"][0]["end"] = "2008-03-01"
    return (
        "meeting_series[0] (key cicte-session): session 2008, last day: it is before the first day"
    )


def spoil_session_date(export):
    series_row(export, 0)["sessions"][0]["start"] = "2008-03-32"
    return "meeting_series[0] (key cicte-session) session 1: start '2008-03-32' is not a real date"


def spoil_series_duplicate(export):
    series_row(export, 1)["key"] = "cicte-session"
    return (
        "meeting_series[1] (key cicte-session): duplicate key; meeting_series[0] has the same key"
    )


def spoil_alongside(export):
    series_row(export, 2)["alongside"] = "board-meeting"
    return "meeting_series[2] (key pcn-meeting): alongside: there is no meeting 'board-meeting'"


def spoil_evidence(export):
    where, row = obligation_row(export, "I-1.iv")
    completion = {"occurrence": "cicte-session/2008:before and during", "done_on": "2008-03-06"}
    row["completions"] = [completion | {"document": ["CICTE/doc.4/08"]}]
    return f"{where} (key I-1.iv): a completion's document must be text"


def spoil_plan(export):
    export["plans"][0]["period_start"] = "2008-13-01"
    return "plans[0]: period_start '2008-13-01' is not a real date"


def spoil_second_plan_of_a_year(export):
    export["plans"].append(json.loads(json.dumps(export["plans"][0])) | {"obligations": []})
    return "plans[1]: a second plan for 2008: a tracker holds one plan a year"


def spoil_no_plan(export):
    export["plans"] = []
    return "the file holds no plan: a tracker holds at least one plan"


def spoil_version(export):
    export["format_version"] = FORMAT_VERSION + 1
    newer = FORMAT_VERSION + 1
    return f"written by a newer cicte-tui (format {newer}; this one reads up to {FORMAT_VERSION})"


def spoil_version_number(export):
    export["format_version"] = "1"
    return "format_version '1' is not a version number"


def spoil_marker(export):
    del export["format"]
    return 'is not a cicte-tui export (no "format": "cicte-tui-export")'


def spoil_record(export):
    export["plans"][0]["obligations"][3] = "I-1.iv"
    return "plans[0].obligations[3]: a record must be an object"


def spoil_list(export):
    export["meeting_series"] = {"1": export["meeting_series"][0]}
    return "meeting_series must be a list of records, not dict"


def spoil_table(export):
    del export["meeting_series"]
    return "the file has no 'meeting_series' list"


def spoil_top_level(export):
    export["tracker"] = {}
    return "unknown member 'tracker' at the top of the file"


def spoil_change_log(export):
    export["changes"] = [{"at": "2008-06-02T09:30:00", "what": "x"}]
    return "changes[0]: required field 'key' is missing"


def spoil_other_table(export):
    export["other_tables"] = {"obligations": [{"key": "I-1.i"}]}
    return "other_tables: 'obligations' is a table of cicte-tui's own"


SPOILERS = [
    spoil_change_log,
    spoil_other_table,
    spoil_top_level,
    spoil_list,
    spoil_record,
    spoil_version_number,
    spoil_no_plan,
    spoil_second_plan_of_a_year,
    *ITEM_SPOILERS,
    spoil_duplicate,
    spoil_missing_key,
    spoil_session_dates,
    spoil_session_date,
    spoil_series_duplicate,
    spoil_alongside,
    spoil_evidence,
    spoil_plan,
    spoil_version,
    spoil_marker,
    spoil_table,
]


@pytest.mark.parametrize("spoil", SPOILERS, ids=lambda spoil: spoil.__name__)
def test_a_bad_file_is_refused_with_its_reason_and_record_touching_nothing(
    tmp_path, good_export, spoil
):
    message = spoil(good_export)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(good_export, ensure_ascii=False), "utf-8")
    db_path = tmp_path / "tracker.json"
    edit(db_path)
    before = db_path.read_bytes()
    result = run_cli("import", str(bad), "--db", str(db_path), "--replace")
    assert result.returncode == EXIT_USAGE
    assert result.stderr.startswith(f"cicte-tui: {bad} was not imported: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert db_path.read_bytes() == before


def test_a_bad_file_never_creates_the_store(tmp_path, good_export):
    spoil_completion(good_export)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(good_export), "utf-8")
    assert main(["import", str(bad), "--db", str(tmp_path / "new.json")]) == EXIT_USAGE
    assert not (tmp_path / "new.json").exists()


def test_a_file_that_is_not_json_says_where(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "cicte-tui-export",\n  "plans": [{', "utf-8")
    result = run_cli("import", str(bad), "--db", str(tmp_path / "tracker.json"))
    assert result.returncode == EXIT_USAGE
    assert (
        f"{bad} was not imported: the file is not valid JSON (line 2, column 14:" in result.stderr
    )


def test_a_file_that_cannot_be_read_exits_3(tmp_path):
    missing = tmp_path / "missing.json"
    result = run_cli("import", str(missing), "--db", str(tmp_path / "tracker.json"))
    assert result.returncode == EXIT_STORE
    assert result.stderr.strip() == f"cicte-tui: {missing}: no such file"
    assert not (tmp_path / "tracker.json").exists()


def test_validation_is_usable_without_the_command_line(good_export):
    spoil_duplicate(good_export)
    with pytest.raises(ExchangeError, match="duplicate key"):
        document_from_export(good_export, Path("export.json"))


# -- into a store that already holds a tracker ----------------------------------------


def test_a_non_empty_store_needs_replace_or_merge(tmp_path, capsys):
    db_path, export = tmp_path / "tracker.json", tmp_path / "plan.json"
    edit(db_path)
    export_to(tmp_path / "other.json", export)
    before = db_path.read_bytes()
    assert main(["import", str(export), "--db", str(db_path)]) == EXIT_USAGE
    assert (
        "already holds a tracker; add --replace to overwrite it or --merge"
        in capsys.readouterr().err
    )
    assert db_path.read_bytes() == before


def test_replace_swaps_the_whole_tracker(tmp_path):
    db_path, export = tmp_path / "tracker.json", tmp_path / "plan.json"
    edit(db_path)
    export_to(tmp_path / "other.json", export)  # the untouched seed
    assert main(["import", str(export), "--db", str(db_path), "--replace"]) == EXIT_OK
    with Tracker.open(db_path, read_only=True) as tracker:
        assert tracker.find("1.vii").owner == ""
        assert tracker.find("II-6.2") is not None
    assert export_to(db_path, tmp_path / "again.json") == export.read_text("utf-8")


def test_merge_by_key_reports_what_was_added_and_changed(tmp_path, capsys):
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    with Tracker.open(ours) as tracker:
        tracker.save_obligation(replace(tracker.find("1.i"), owner="Ana"))
        tracker.delete_obligation("II-6.1")
    edit(theirs)  # changes 1.vii, deletes II-6.2, gives the PCN meeting a session
    export = tmp_path / "theirs-export.json"
    export_to(theirs, export)
    capsys.readouterr()
    assert main(["import", str(export), "--db", str(ours), "--merge"]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"Merged {export} into {ours}:" in out
    assert (
        "  obligations: 1 added (2008/II-6.1), 2 changed (2008/I-1.i: owner; "
        "2008/I-1.vii: completions, last_reviewed, notes, owner, status), 54 unchanged, "
        "1 only in the store, kept"
    ) in out
    assert "  series: 0 added, 1 changed (pcn-meeting: name, sessions), 3 unchanged" in out
    with Tracker.open(ours, read_only=True) as tracker:
        assert tracker.find("1.i").owner == ""  # the file's version wins
        assert tracker.find("1.vii").status is Status.BLOCKED
        assert tracker.find("II-6.1") is not None and tracker.find("II-6.2") is not None
        assert tracker.meetings["pcn-meeting"].session(2008).start == date(2008, 3, 4)


def test_merge_adds_rows_of_tables_it_does_not_know(tmp_path):
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    Tracker.open(ours).close()
    add_table(ours, "future", [{"what": "a"}])
    Tracker.open(theirs).close()
    add_table(theirs, "future", [{"what": "a"}, {"what": "b"}])
    current, incoming = load_document(ours), load_document(theirs)
    merged, report = merge_documents(current, incoming)
    assert merged["future"] == {"1": {"what": "a"}, "2": {"what": "b"}}
    assert report.tables[-1].table == "future" and report.tables[-1].added == ("row 2",)
    assert current["future"] == {"1": {"what": "a"}}  # the inputs are left alone


def test_merge_refuses_another_plan_of_the_same_year(tmp_path):
    ours = tmp_path / "ours.json"
    Tracker.open(ours).close()
    current = load_document(ours)
    incoming = json.loads(json.dumps(current))
    incoming["plans"]["1"]["plan"]["symbol"] = "CICTE/RP/doc.9/08"
    with pytest.raises(
        ExchangeError, match=r"cannot merge: for 2008 the file tracks CICTE/RP/doc.9/08"
    ):
        merge_documents(current, incoming)


def test_a_merge_that_changes_nothing_does_not_rewrite_the_file(tmp_path):
    db_path, export = tmp_path / "tracker.json", tmp_path / "plan.json"
    edit(db_path)
    export_to(db_path, export)
    before = db_path.stat().st_mtime_ns
    assert main(["import", str(export), "--db", str(db_path), "--merge"]) == EXIT_OK
    assert db_path.stat().st_mtime_ns == before


def test_import_waits_for_no_one_a_locked_store_exits_4(tmp_path):
    db_path, export = tmp_path / "tracker.json", tmp_path / "plan.json"
    export_to(tmp_path / "other.json", export)
    with Tracker.open(db_path):
        result = run_cli("import", str(export), "--db", str(db_path), "--replace")
    assert result.returncode == EXIT_LOCKED
    assert "another cicte-tui is editing this tracker" in result.stderr


def test_replace_and_merge_exclude_each_other(tmp_path):
    result = run_cli("import", "x.json", "--replace", "--merge", "--db", str(tmp_path / "t.json"))
    assert result.returncode == EXIT_USAGE
    assert "not allowed with argument" in result.stderr


def test_the_envelope_shares_the_records_as_stored_rather_than_copying_them(tracker):
    document = tracker.raw_document()
    envelope = export_envelope(document)
    series = zip(envelope["meeting_series"], document["series"].values(), strict=True)
    assert all(exported is stored for exported, stored in series)
    assert envelope["plans"][0]["reference"] is document["plans"]["1"]["reference"]


# -- exports of earlier releases ------------------------------------------------------

SCHEMA_1_TRACKER = Path(__file__).parent / "fixtures" / "tracker-schema1.json"


@pytest.fixture
def schema_1_export(tmp_path):
    """What `cicte-tui export json` of 0.1.0 wrote for the schema 1 fixture tracker."""
    envelope = {
        "format": LEGACY_MARKER,
        "schema_version": 1,
        "tracker": json.loads(SCHEMA_1_TRACKER.read_text("utf-8")),
    }
    path = tmp_path / "export-0.1.json"
    path.write_text(json.dumps(envelope, ensure_ascii=False, indent=2), "utf-8")
    return path


def test_a_schema_1_export_is_imported_with_its_dates_and_evidence_kept(
    tmp_path, schema_1_export, capsys
):
    before = schema_1_export.read_bytes()
    db_path = tmp_path / "tracker.json"
    assert main(["import", str(schema_1_export), "--db", str(db_path)]) == EXIT_OK
    assert capsys.readouterr().out == (
        f"Imported {schema_1_export} into {db_path}: 59 obligations, 4 meeting series.\n"
    )
    assert schema_1_export.read_bytes() == before  # the file imported is never touched
    with Tracker.open(db_path, read_only=True) as tracker:
        (agenda,) = tracker.find("1.iv").completions
        assert (agenda.done_on, agenda.due, agenda.session) == (
            date(2008, 3, 6),
            date(2008, 3, 7),
            "cicte-session/2008",
        )
        (directory,) = tracker.find("4.i").completions
        assert (directory.due, directory.done_on) == (date(2008, 6, 30), date(2008, 7, 2))
        assembly = tracker.meetings["oas-ga"].session(2008)
        assert (assembly.start, assembly.end) == (date(2008, 6, 2), date(2008, 6, 4))
        assert tracker.meetings["pcn-meeting"].alongside == "cicte-session"
        customs = tracker.find("II-1.D.1")
        assert customs.rules == ("period 2004-2008",)
        assert customs.owner == "M. Pérez" and "[bold]à confirmer[/]" in customs.notes[0].text
        assert tracker.find("2.vi").owner == "J. Smith"
        assert len(tracker.changes()) == 11


def test_after_a_schema_1_import_the_export_is_of_the_current_format(tmp_path, schema_1_export):
    db_path = tmp_path / "tracker.json"
    main(["import", str(schema_1_export), "--db", str(db_path)])
    assert load_document(db_path)["meta"]["1"]["schema_version"] == 3 == SCHEMA_VERSION
    exported = json.loads(export_to(db_path, tmp_path / "again.json"))
    assert exported["format"] == FORMAT_MARKER and exported["format_version"] == FORMAT_VERSION
    assert "events" not in exported and len(exported["meeting_series"]) == 4
    completions = next(
        row["completions"]
        for row in exported["plans"][0]["obligations"]
        if row["key"] == "I-1.viii"
    )
    assert completions == [
        {
            "occurrence": "cicte-session/2008:during",
            "done_on": "2008-03-07",
            "due": "2008-03-07",
            "session": "cicte-session/2008",
            "document": "",
            "link": "",
            "outcome": "",
        }
    ]
    # And that export imports again, unchanged.
    target = tmp_path / "target.json"
    assert main(["import", str(tmp_path / "again.json"), "--db", str(target)]) == EXIT_OK
    assert export_to(target, tmp_path / "third.json") == (tmp_path / "again.json").read_text(
        "utf-8"
    )


def test_a_schema_1_export_merges_into_a_schema_2_tracker(tmp_path, schema_1_export, capsys):
    db_path = tmp_path / "tracker.json"
    with Tracker.open(db_path) as tracker:
        tracker.save_obligation(replace(tracker.find("1.i"), owner="Ana"))
    capsys.readouterr()
    assert main(["import", str(schema_1_export), "--db", str(db_path), "--merge"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "obligations: 1 added (2008/I-2.vi)," in out
    with Tracker.open(db_path, read_only=True) as tracker:
        assert tracker.find("1.iv").completions[0].done_on == date(2008, 3, 6)
        assert tracker.meetings["oas-ga"].session(2008).start == date(2008, 6, 2)


def test_a_bad_schema_1_export_is_refused_with_its_record(tmp_path, schema_1_export):
    envelope = json.loads(schema_1_export.read_text("utf-8"))
    envelope["tracker"]["events"]["2"]["start"] = "2008-06-31"
    schema_1_export.write_text(json.dumps(envelope), "utf-8")
    result = run_cli("import", str(schema_1_export), "--db", str(tmp_path / "tracker.json"))
    assert result.returncode == EXIT_USAGE
    assert result.stderr.startswith(f"cicte-tui: {schema_1_export} was not imported: ")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "tracker.json").exists()


def test_a_schema_1_export_needs_its_events_table(tmp_path, schema_1_export):
    envelope = json.loads(schema_1_export.read_text("utf-8"))
    del envelope["tracker"]["events"]
    schema_1_export.write_text(json.dumps(envelope), "utf-8")
    result = run_cli("import", str(schema_1_export), "--db", str(tmp_path / "tracker.json"))
    assert result.returncode == EXIT_USAGE
    assert "the tracker has no 'events' table" in result.stderr


def test_a_merge_keeps_the_sessions_of_years_the_file_lacks(tmp_path, capsys):
    from store.model import Session
    from store.plan_years import start_plan

    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    Tracker.open(theirs).close()  # an export made before the 2009 plan began
    with Tracker.open(theirs) as tracker:
        tracker.save_obligation(replace(tracker.find("1.i"), owner="Ana"))
    export = tmp_path / "theirs-export.json"
    export_to(theirs, export)
    with Tracker.open(ours) as tracker:
        session = Session(2009, date(2009, 3, 4), date(2009, 3, 6))
        start_plan(tracker, 2009, 2008, [("cicte-session", session)])
    capsys.readouterr()
    assert main(["import", str(export), "--db", str(ours), "--merge"]) == EXIT_OK
    with Tracker.open(ours, read_only=True) as tracker:
        assert [s.year for s in tracker.meetings["cicte-session"].sessions] == [2008, 2009]
        assert list(tracker.plans) == [2008, 2009]
        tracker.select(2008)
        assert tracker.find("1.i").owner == "Ana"


# -- exports of 0.1 in the tracker file's layout (schema 1–3) ---------------------------


@pytest.fixture
def tracker_layout_export(tmp_path):
    """What `export json` wrote before the exchange format, for the edited tracker."""
    db_path = tmp_path / "source.json"
    edit(db_path)
    document = load_document(db_path)
    del document["meta"]["1"]["revision"]
    envelope = {"format": LEGACY_MARKER, "schema_version": SCHEMA_VERSION, "tracker": document}
    return db_path, envelope


def test_an_export_in_the_tracker_files_layout_imports_to_the_same_tracker(
    tmp_path, tracker_layout_export
):
    source_db, envelope = tracker_layout_export
    export = tmp_path / "export-0.1.json"
    export.write_text(json.dumps(envelope, ensure_ascii=False, indent=2), "utf-8")
    target = tmp_path / "target.json"
    assert main(["import", str(export), "--db", str(target)]) == EXIT_OK
    assert export_to(target, tmp_path / "b.json") == export_to(source_db, tmp_path / "a.json")


def legacy_row(envelope, key):
    rows = envelope["tracker"]["obligations"]
    return next((row_id, row) for row_id, row in rows.items() if row["key"] == key)


def spoil_legacy_completion(envelope):
    row_id, row = legacy_row(envelope, "I-1.ii")
    row["completions"] = [{"occurrence": "2008-09-30", "done_on": "2008-02-30"}]
    return f"obligations[{row_id}] (key I-1.ii): done_on '2008-02-30' is not a real date"


def spoil_legacy_duplicate(envelope):
    first_id, _ = legacy_row(envelope, "I-1.i")
    row_id, row = legacy_row(envelope, "I-1.ii")
    row["key"] = "I-1.i"
    return (
        f"obligations[{row_id}] (key I-1.i): duplicate key; "
        f"obligations[{first_id}] has the same key"
    )


def spoil_legacy_plan(envelope):
    envelope["tracker"]["plans"]["1"]["plan"]["period_start"] = "2008-13-01"
    return "plans[1] plan: period_start '2008-13-01' is not a real date"


def spoil_legacy_session(envelope):
    envelope["tracker"]["series"]["1"]["sessions"][0]["start"] = "2008-03-32"
    return "series[1] (key cicte-session) session 1: start '2008-03-32' is not a real date"


def spoil_legacy_version(envelope):
    envelope["schema_version"] = SCHEMA_VERSION + 1
    envelope["tracker"]["meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    newer = SCHEMA_VERSION + 1
    return f"written by a newer cicte-tui (schema {newer}; this one reads up to {SCHEMA_VERSION})"


def spoil_versions_disagree(envelope):
    envelope["tracker"]["meta"]["1"]["schema_version"] = 0
    return f"the export says schema {SCHEMA_VERSION} but its tracker says 0"


def spoil_row_id(envelope):
    rows = envelope["tracker"]["obligations"]
    rows["x"] = rows.pop("1")
    return "obligations[x]: a row id must be a whole number"


def spoil_legacy_table(envelope):
    del envelope["tracker"]["series"]
    return "the tracker has no 'series' table"


LEGACY_SPOILERS = [
    spoil_legacy_completion,
    spoil_legacy_duplicate,
    spoil_legacy_plan,
    spoil_legacy_session,
    spoil_legacy_version,
    spoil_versions_disagree,
    spoil_row_id,
    spoil_legacy_table,
]


@pytest.mark.parametrize("spoil", LEGACY_SPOILERS, ids=lambda spoil: spoil.__name__)
def test_a_bad_export_in_the_tracker_files_layout_is_refused_naming_its_row(
    tracker_layout_export, spoil
):
    _, envelope = tracker_layout_export
    message = spoil(envelope)
    with pytest.raises(ExchangeError) as refused:
        document_from_export(json.loads(json.dumps(envelope)), Path("export-0.1.json"))
    assert message in str(refused.value)
