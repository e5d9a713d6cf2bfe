"""The 9999 cases and overlong texts, from the command line: refused in the same words by
the scriptable edits and import, and a hand-edited file gives a message, never a traceback."""

from __future__ import annotations

import json

import pytest

from store.repository import Tracker
from store.schedule import MAX_OCCURRENCES
from tui.cli.parser import EXIT_OK, EXIT_STORE, EXIT_USAGE

NINES = "9999-12-30: the year 9999 is not between 1900 and 2100"
OWNER = "owner: 101 characters; the limit is 100"
NOTE = "note: 20,001 characters; the limit is 20,000"


def refused(result, words):
    code, _, err = result
    assert code == EXIT_USAGE, err
    assert words in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


# -- scriptable edits ----------------------------------------------------------


def test_meeting_set_refuses_a_last_day_of_9999(run, db_path):
    argv = ("meeting", "set", "cicte-session", "2008", "--from", "2008-03-05")
    refused(run(*argv, "--to", "9999-12-30"), f"--to: {NINES}")
    refused(run(*argv, "--place", "p" * 501), "place: 501 characters; the limit is 500")
    with Tracker.open(db_path, read_only=True) as tracker:
        session = tracker.meetings["cicte-session"].session(2008)
        assert (session.last_day.isoformat(), session.place) == ("2008-03-07", "Washington, D.C.")


def test_done_refuses_a_day_of_9999_and_overlong_evidence(run):
    refused(run("done", "1.ii", "--on", "9999-12-30", today="2008-12-01"), f"--on: {NINES}")
    refused(
        run("done", "1.ii", "--outcome", "o" * 501, today="2008-12-01"),
        "outcome: 501 characters; the limit is 500",
    )
    refused(
        run("done", "1.ii", "--link", "l" * 2001, today="2008-12-01"),
        "link: 2,001 characters; the limit is 2,000",
    )
    assert run("show", "1.ii", "--format", "json", today="2008-12-01")[0] == EXIT_OK


def test_set_and_note_refuse_overlong_text(run):
    refused(run("set", "1.ii", "--owner", "o" * 101), OWNER)
    refused(run("set", "1.ii", "1.iii", "--owner", "o" * 101), OWNER)
    refused(run("note", "1.ii", "n" * 20_001), NOTE)
    refused(run("set", "1.ii", "--rule", "2008-09-30 + 9999-12-30"), f"--rule: {NINES}")
    code, out, _ = run("set", "1.ii", "--owner", "o" * 100)
    assert code == EXIT_OK and out.startswith("1.ii: owner")


# -- import --------------------------------------------------------------------


@pytest.fixture
def export(run, tmp_path):
    """The tracker as a JSON export, and a way to import an edited copy of it."""
    path = tmp_path / "export.json"
    assert run("export", "json", "-o", str(path))[0] == EXIT_OK  # the embedded plan
    return json.loads(path.read_text("utf-8"))


def row(export, table, key):
    records = export["plans"][0]["obligations"] if table == "obligations" else export[table]
    return next(r for r in records if r.get("key") == key)


def import_edited(run, tmp_path, export, how="--replace"):
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(export, ensure_ascii=False), "utf-8")
    return run("import", str(path), how)


def session_9999(export):
    row(export, "meeting_series", "cicte-session")["sessions"][0]["end"] = "9999-12-30"
    return f"session 2008, last day: {NINES}"


def completion_due_9999(export):
    item = row(export, "obligations", "I-1.ii")
    item["completions"] = [
        {"occurrence": "2008-09-30", "done_on": "2008-09-29", "due": "9999-12-30"}
    ]
    return f"due: {NINES}"


def done_on_9999(export):
    item = row(export, "obligations", "I-1.ii")
    item["completions"] = [{"occurrence": "2008-09-30", "done_on": "9999-12-30"}]
    return f"done on: {NINES}"


def reviewed_9999(export):
    row(export, "obligations", "I-1.ii")["last_reviewed"] = "9999-12-30"
    return f"last reviewed: {NINES}"


def note_time_0001(export):
    row(export, "obligations", "I-1.ii")["notes"] = [
        {"at": "0001-01-01T00:00:00+05:00", "text": "x"}
    ]
    return "note time: 0001-01-01T00:00:00+05:00: the year 1 is not between 1900 and 2100"


def period_end_9999(export):
    export["plans"][0]["period_end"] = "9999-12-31"
    return "period end: 9999-12-31: the year 9999 is not between 1900 and 2100"


def period_of_centuries(export):
    export["plans"][0]["period_start"] = "1900-01-01"
    return "period start: 1900-01-01 is not in 2007–2009 (the plan's year 2008, or a year either"


def owner_too_long(export):
    row(export, "obligations", "I-1.ii")["owner"] = "o" * 101
    return OWNER


def note_too_long(export):
    row(export, "obligations", "I-1.ii")["notes"] = [
        {"at": "2008-06-02T09:30:00", "text": "n" * 20_001}
    ]
    return NOTE


def session_place_too_long(export):
    row(export, "meeting_series", "cicte-session")["sessions"][0]["place"] = "p" * 501
    return "session 2008, place: 501 characters; the limit is 500"


@pytest.mark.parametrize(
    "spoil",
    [
        session_9999,
        completion_due_9999,
        done_on_9999,
        reviewed_9999,
        note_time_0001,
        period_end_9999,
        period_of_centuries,
        owner_too_long,
        note_too_long,
        session_place_too_long,
    ],
    ids=lambda spoil: spoil.__name__,
)
@pytest.mark.parametrize("how", ["--replace", "--merge"])
def test_import_refuses_out_of_bounds_dates_and_overlong_text(
    run, tmp_path, db_path, export, spoil, how
):
    words = spoil(export)
    Tracker.open(db_path).close()
    before = db_path.read_bytes()
    refused(import_edited(run, tmp_path, export, how), words)
    assert db_path.read_bytes() == before


# -- a hand-edited tracker file --------------------------------------------------


def hand_edit(db_path, edit):
    Tracker.open(db_path).close()
    document = json.loads(db_path.read_text("utf-8"))
    edit(document)
    db_path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")


def rows(document, table):
    return document[table].values()


def session_ends_9999(document):
    cicte = next(r for r in rows(document, "series") if r["key"] == "cicte-session")
    cicte["sessions"][0]["end"] = "9999-12-30"


def monthly_to_9999(document):
    next(iter(rows(document, "plans")))["plan"]["period_end"] = "9999-12-31"
    for item in rows(document, "obligations"):
        item["rules"] = ["monthly"]


def note_in_year_1(document):
    item = next(r for r in rows(document, "obligations") if r["key"] == "I-1.ii")
    item["notes"] = [{"at": "0001-01-01T00:00:00+05:00", "text": "x"}]


COMMANDS = [
    ("status",),
    ("status", "--format", "json"),
    ("brief", "--event", "cicte-session/2008"),
    ("export", "ics", "-o", "-"),
    ("export", "markdown", "-o", "-"),
    ("export", "csv", "-o", "-"),
    ("export", "json", "-o", "-"),
    ("report", "year"),
    ("show", "1.ii"),
    ("meeting", "list"),
    ("plan", "list"),
    (),  # the app: the file is refused before it needs a terminal
]


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (session_ends_9999, f"last day: {NINES}"),
        (monthly_to_9999, "period end: 9999-12-31: the year 9999 is not between 1900 and 2100"),
        (note_in_year_1, "note time: 0001-01-01T00:00:00+05:00: the year 1 is not between"),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_hand_edited_file_out_of_bounds_is_refused_with_a_message(run, db_path, edit, words):
    hand_edit(db_path, edit)
    before = db_path.read_bytes()
    for argv in COMMANDS:
        code, _, err = run(*argv)
        assert code == EXIT_STORE, (argv, err)
        assert words in err.splitlines()[0] and "Traceback" not in err, (argv, err)
    assert db_path.read_bytes() == before  # left as it was, for the user to mend


def test_a_daily_rule_from_1900_in_a_hand_edited_file_stays_within_the_plan_years(run, db_path):
    def daily_over_three_years(document):
        plan = next(iter(rows(document, "plans")))["plan"]
        plan["period_start"], plan["period_end"] = "2007-01-01", "2009-12-31"
        for item in rows(document, "obligations"):
            item["rules"] = ["every 1 day from 1900-01-01", "monthly"]

    hand_edit(db_path, daily_over_three_years)
    for argv in COMMANDS[:-1]:  # every command works
        code, _, err = run(*argv, today="2100-12-31")
        assert code == EXIT_OK and "Traceback" not in err, (argv, err)
    code, out, _ = run("show", "1.ii", "--format", "json", today="2100-12-31")
    dues = [occurrence["due"] for occurrence in json.loads(out)["occurrences"]]
    assert len(dues) == MAX_OCCURRENCES
    assert dues[0] == "2007-01-01" and dues[-1] < "2010-01-01"


@pytest.mark.parametrize("today", ["1900-01-01", "2100-12-31"])
def test_every_command_works_on_the_first_and_last_day_allowed(run, db_path, today):
    Tracker.open(db_path).close()
    for argv in COMMANDS[:-1]:
        code, _, err = run(*argv, today=today)
        assert code == EXIT_OK and "Traceback" not in err, (argv, err)
    code, _, err = run("status", today="2101-01-01")
    assert code == EXIT_USAGE and "2101-01-01: the year 2101 is not between 1900 and 2100" in err
