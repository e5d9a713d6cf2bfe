"""Scriptable edits from the command line: same lock, validation and change log as the app."""

from __future__ import annotations

import json
from datetime import date

import pytest

from store.locking import WriterLock
from store.repository import Tracker
from tests.conftest import modules_loaded_by
from tui.cli.parser import EXIT_LOCKED, EXIT_OK, EXIT_USAGE


def show(run, number: str, today: str) -> dict:
    code, out, _ = run("show", number, "--format", "json", today=today)
    assert code == EXIT_OK
    return json.loads(out)


def test_done_twice_completes_the_next_open_occurrence_each_time(run):
    december = "2008-12-20"
    assert run("done", "4.i", today=december)[1] == (
        "4.i: completed the occurrence due 2008-06-30 (done 2008-12-20)\n"
    )
    assert run("done", "4.i", today=december)[0] == EXIT_OK
    occurrences = show(run, "4.i", december)["occurrences"]
    assert [(o["due"], o["state"], o["done_on"]) for o in occurrences] == [
        ("2008-06-30", "done", "2008-12-20"),
        ("2008-12-31", "done", "2008-12-20"),
    ]
    code, _, err = run("done", "4.i", today=december)
    assert code == EXIT_USAGE and "every occurrence of 4.i" in err


def test_done_backdated_with_evidence_shows_in_show(run):
    code, out, _ = run(
        "done", "1.iv", "--on", "2008-03-06", "--doc", "CICTE/doc.4/08",
        "--link", "https://www.oas.org/cicte", "--outcome", "Ordre du jour adopté [bold]",
    )  # fmt: skip
    assert code == EXIT_OK and "due 2008-03-07 (done 2008-03-06)" in out
    (occurrence,) = show(run, "1.iv", "2008-06-15")["occurrences"]
    assert occurrence == {
        "due": "2008-03-07",
        "state": "done",
        "session": "cicte-session/2008",
        "assumed": None,
        "done_on": "2008-03-06",
        "evidence": {
            "document": "CICTE/doc.4/08",
            "link": "https://www.oas.org/cicte",
            "outcome": "Ordre du jour adopté [bold]",
        },
    }


def test_moving_the_session_after_a_completion_rewrites_nothing(run):
    run("done", "1.iv", "--on", "2008-03-06", today="2008-03-06")
    code, out, _ = run(
        "meeting", "set", "cicte-session", "2008", "--from", "2008-03-10", "--to", "2008-03-12",
        today="2008-03-06",
    )  # fmt: skip
    assert code == EXIT_OK and "session 2008: 5–7 Mar 2008 → 10–12 Mar 2008" in out
    (kept,) = show(run, "1.iv", "2008-03-11")["occurrences"]
    assert (kept["due"], kept["done_on"]) == ("2008-03-07", "2008-03-06")
    (report,) = show(run, "1.viii", "2008-03-11")["occurrences"]
    assert (report["due"], report["state"]) == ("2008-03-12", "due soon")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("done", "1.ii", "--on", "2008-07-01"), "2008-07-01 is after today (2008-06-15)"),
        (("done", "1.ii", "--on", "2008-02-30"), "--on: 2008-02-30 is not a real date"),
        (("done", "1.ii", "--occurrence", "2008-09-15"), "no open occurrence due 2008-09-15"),
        (("done", "1.i"), "1.i never falls due"),
        (("done", "9.z"), "no obligation '9.z'"),
        (("undone", "1.ii", "--occurrence", "2008-09-30"), "no completed occurrence due"),
        (("note", "1.i", " \x1b[2J "), "the note is empty"),
        (("set", "1.i"), "give --status, --owner or --rule"),
        (("set", "1.i", "1.ii"), "give --status, --owner or --rule"),
        (("set", "1.i", "9.z", "--owner", "Ana"), "no obligation '9.z'"),
        (("set", "1.i", "1.ii", "--rule", "every fortnight"), "cannot read 'every fortnight'"),
        (("review",), "give the ids to mark reviewed, or --all-stale"),
        (("review", "1.i", "--all-stale"), "give the ids to mark reviewed, or --all-stale"),
        (("review", "1.i", "1.iii", "9.z"), "no obligation '9.z'"),
        (("set", "1.i", "--rule", "every fortnight"), "cannot read 'every fortnight'"),
        (("set", "1.i", "--rule", "before board-meeting"), "unknown event 'board-meeting'"),
        (("meeting", "set", "board", "2009", "--from", "2009-03-04"), "no meeting 'board'"),
        (
            ("meeting", "set", "oas-ga", "2009", "--from", "2009-06-09", "--to", "2009-06-01"),
            "last day: it is before the first day",
        ),
        (
            ("meeting", "set", "oas-ga", "2009", "--from", "2010-06-01"),
            "2010-06-01 is not in 2009",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_is_saved(run, db_path, argv, message):
    run("status", "--format", "json")  # the file exists before the bad edit
    Tracker.open(db_path).close()
    before = db_path.read_bytes()
    code, out, err = run(*argv)
    assert code == EXIT_USAGE
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert out == "" and db_path.read_bytes() == before


def test_a_long_meeting_needs_yes(run):
    argv = ("meeting", "set", "oas-ga", "2009", "--from", "2009-06-01", "--to", "2009-06-20")
    code, _, err = run(*argv)
    assert code == EXIT_USAGE and "lasts 20 days (more than 14): add --yes" in err
    assert run(*argv, "--yes")[0] == EXIT_OK


def test_note_and_set_are_cleaned_logged_and_reviewed(run, db_path):
    assert run("note", "1.i", "Vu \x1b]0;titre\x07le [bold]chef[/]")[1] == "1.i: note added\n"
    code, out, _ = run("set", "1.i", "--status", "in progress", "--owner", "Ana", "--rule",
                       "21 days before cicte-session + continuous")  # fmt: skip
    assert code == EXIT_OK and "status: not started → in progress" in out
    with Tracker.open(db_path, read_only=True) as tracker:
        item = tracker.find("1.i")
        assert item.notes[0].text == "Vu le [bold]chef[/]"
        assert (item.owner, item.rules) == ("Ana", ("21 days before cicte-session", "continuous"))
        assert item.last_reviewed == date(2008, 6, 15)
        assert [c.action for c in tracker.changes("I-1.i")] == ["edit", "edit"]


def test_review_all_stale_is_one_grouped_edit_and_says_which(run, db_path):
    code, out, _ = run("review", "--all-stale", today="2008-06-20")
    assert code == EXIT_OK and out.count("\n") == 1
    assert out.startswith("Reviewed 48 items on 2008-06-20: 1.i, 1.iii, 1.vi, 1.ix,")
    assert out.endswith(", II-6.1, II-6.2\n")
    with Tracker.open(db_path, read_only=True) as tracker:
        reviewed = [o for o in tracker if o.last_reviewed == date(2008, 6, 20)]
        assert len(reviewed) == 48
        assert all([c.summary for c in tracker.changes(o.key)] == ["reviewed"] for o in reviewed)
        assert tracker.find("1.ii").last_reviewed is None  # dated, never stale: untouched
    code, out, _ = run("review", "--all-stale", today="2008-06-20")
    assert (code, out) == (EXIT_OK, "No stale item as of 2008-06-20: nothing to review.\n")
    # A shorter review period makes them stale again, as of a later day.
    out = run("review", "--all-stale", "--review-days", "10", today="2008-07-15")[1]
    assert out.startswith("Reviewed 48 items on 2008-07-15:")


def test_review_by_id_skips_what_was_already_reviewed_that_day(run):
    assert run("review", "1.i", "I-1.i", "2.i")[1] == ("Reviewed 2 items on 2008-06-15: 1.i, 2.i\n")
    assert run("review", "2.i", "1.iii")[1] == (
        "Reviewed 1 item on 2008-06-15: 1.iii (already reviewed that day: 2.i)\n"
    )
    assert run("review", "2.i")[1] == "Nothing to review: 2.i already reviewed on 2008-06-15.\n"


def test_set_several_ids_logs_each_item(run, db_path):
    code, out, _ = run("set", "1.iii", "1.i", "1.ii", "--owner", " Ana\x1b[2J ")
    assert (code, out) == (EXIT_OK, "3 items set (owner: Ana): 1.i, 1.ii, 1.iii\n")
    code, out, _ = run("set", "1.i", "2.i", "--owner", "Ana", "--status", "in progress")
    assert out == "2 items set (status: in progress; owner: Ana): 1.i, 2.i\n"
    with Tracker.open(db_path, read_only=True) as tracker:
        owners = {n: tracker.find(n).owner for n in ("1.i", "1.ii", "1.iii", "2.i", "1.iv")}
        assert owners == {"1.i": "Ana", "1.ii": "Ana", "1.iii": "Ana", "2.i": "Ana", "1.iv": ""}
        assert tracker.find("2.i").status.value == "in progress"
        assert [c.summary for c in tracker.changes("I-1.i")] == [
            "owner: — → Ana",
            "status: not started → in progress; last reviewed: — → 2008-06-15",
        ]


def test_set_several_ids_leaves_alone_those_already_so(run):
    run("set", "1.i", "--owner", "Ana")
    code, out, _ = run("set", "1.i", "1.ii", "--owner", "Ana")
    assert (code, out) == (EXIT_OK, "1 item set (owner: Ana): 1.ii; unchanged: 1.i\n")
    code, _, err = run("set", "1.i", "1.ii", "--owner", "Ana")
    assert code == EXIT_USAGE and err == "cicte-tui: nothing changed: 1.i, 1.ii already so\n"


def test_meeting_list_json_and_table(run):
    run("meeting", "set", "cicte-session", "2009", "--from", "2009-03-04", "--to", "2009-03-06",
        "--title", "Ninth Regular Session", "--place", "Washington, D.C.")  # fmt: skip
    code, out, _ = run("meeting", "list", "--format", "json")
    series = {s["key"]: s for s in json.loads(out)}
    assert [s["year"] for s in series["cicte-session"]["sessions"]] == [2008, 2009]
    assert series["cicte-session"]["sessions"][1]["title"] == "Ninth Regular Session"
    assert series["pcn-meeting"]["alongside"] == "cicte-session"
    assert series["cicte-session"]["obligations"] == 4
    table = run("meeting", "list")[1]
    assert "  2009  4–6 Mar 2009 · Ninth Regular Session · Washington, D.C." in table


def test_show_text_names_the_assumption_and_the_year(run):
    code, out, _ = run("show", "1.v", today="2008-02-20")
    assert code == EXIT_OK
    assert "2008-03-07  upcoming  [pcn-meeting/2008]" in out
    assert "(assumed: alongside the CICTE regular session, footnote 4)" in out


def test_a_second_writer_is_refused_with_exit_4(run, db_path):
    Tracker.open(db_path).close()
    lock = WriterLock(db_path)
    lock.acquire()
    try:
        code, _, err = run("note", "1.i", "hello")
    finally:
        lock.release()
    assert code == EXIT_LOCKED and "another cicte-tui is editing" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["done", "4.i"],
        ["show", "1.iv"],
        ["meeting", "list"],
        ["review", "--all-stale"],
        ["set", "1.i", "1.ii", "--owner", "Ana"],
    ],
)
def test_scriptable_commands_load_no_textual(db_path, argv):
    code, loaded = modules_loaded_by([*argv, "--db", str(db_path), "--today", "2008-06-15"])
    assert code == EXIT_OK
    assert loaded == "[]"


def test_setting_the_status_items_already_have_changes_nothing(run):
    code, out, _ = run("set", "1.i", "1.ii", "--status", "in progress")
    assert code == EXIT_OK and "2 items set" in out
    code, out, err = run("set", "1.i", "1.ii", "1.iii", "--status", "in progress")
    assert code == EXIT_OK and "unchanged: 1.i, 1.ii" in out  # as the app's bulk status does
