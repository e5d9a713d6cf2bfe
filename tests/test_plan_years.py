"""Plan years: a scripted year from 2008 into 2009, through the commands a user runs."""

from __future__ import annotations

import json

import pytest

from store.repository import Tracker
from tests.conftest import modules_loaded_by
from tui.cli.parser import EXIT_OK, EXIT_USAGE


def status_json(run, today: str, *plan: str) -> dict:
    code, out, _ = run("status", "--format", "json", *plan, today=today)
    assert code in (0, 1)
    return json.loads(out)


def test_a_scripted_year(run, db_path):
    # 2008: work done with evidence, one item blocked, a note.
    run("done", "1.iv", "--on", "2008-03-06", "--doc", "CICTE/doc.4/08", today="2008-03-07")
    run("done", "1.viii", "--on", "2008-03-07", "--outcome", "Rapport présenté", today="2008-03-07")
    run("set", "2.i", "--status", "blocked", "--owner", "Ana", today="2008-05-02")
    run("note", "2.i", "En attente du financement", today="2008-05-02")
    before = status_json(run, "2009-03-01")
    code, out, err = run(
        "plan", "new", "2009", "--from", "2008",
        "--meeting", "cicte-session=2009-03-04..2009-03-06",
        "--meeting", "oas-ga=2009-06-02..2009-06-04",
        today="2009-03-01",
    )  # fmt: skip
    assert code == EXIT_OK, err
    assert "Started the 2009 plan (Work plan 2009 (from CICTE/RP/doc.2/07)) from 2008" in out
    # 2008 as it was: same counts, same rows (only the next meeting is new: 2009's session).
    again = status_json(run, "2009-03-01", "--plan", "2008")
    assert (again["counts"], again["items"]) == (before["counts"], before["items"])
    assert before["plan"]["year"] == 2008
    # 2009: the plan of today, with its own dates and the items carried over.
    after = status_json(run, "2009-03-01")
    assert after["plan"]["year"] == 2009
    with Tracker.open(db_path, read_only=True) as tracker:
        tracker.select(2009)
        carried = {o.number for o in tracker if o.carried_from == 2008}
        assert {"2.i", "1.vii", "1.xiii", "1.v"} <= carried  # blocked, or overdue at year end
        assert "1.iv" not in carried and "1.viii" not in carried  # done in 2008
        assert tracker.find("2.i").status.value == "blocked" and tracker.find("2.i").notes == ()
        assert all(o.completions == () for o in tracker)
        tracker.select(2008)
        assert tracker.find("1.iv").completions[0].evidence.document == "CICTE/doc.4/08"
    show = json.loads(run("show", "1.iv", "--format", "json", today="2009-03-01")[1])
    assert [o["due"] for o in show["occurrences"]] == ["2009-03-06"]  # the Ninth Session
    show = json.loads(run("show", "1.vii", "--format", "json", today="2009-03-01")[1])
    assert [o["due"] for o in show["occurrences"]] == ["2009-06-01"]  # between 2009's sessions
    # Around the March 2009 session: what is due at it shows, not 2008's ghosts.
    dues = {item["id"]: item["due"] for item in status_json(run, "2009-03-01")["items"]}
    assert dues["1.iv"] == "2009-03-06" and dues["1.viii"] == "2009-03-06"


def test_plan_list_and_set(run):
    run("plan", "new", "2009", "--from", "2008", today="2009-01-10")
    code, out, _ = run("plan", "list", "--format", "json", today="2009-01-10")
    rows = json.loads(out)
    assert [(r["year"], r["current"], r["derived_from"]) for r in rows] == [
        (2008, False, None),
        (2009, True, 2008),
    ]
    assert rows[1]["counts"]["total"] == 58
    assert run("plan", "set", "2009", "--symbol", "CICTE/RP/doc.2/08")[0] == EXIT_OK
    table = run("plan", "list", today="2008-06-15")[1]
    assert "* 2008  CICTE/RP/doc.2/07" in table and "  2009  CICTE/RP/doc.2/08" in table


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("plan", "new", "2009", "--from", "2007"), "holds no 2007 plan to start from"),
        (("plan", "new", "2007", "--from", "2008"), "must come after the 2008 plan"),
        (("plan", "new", "2009", "--from", "2008", "--meeting", "board=2009-03-04"), "no meeting"),
        (
            ("plan", "new", "2009", "--from", "2008", "--meeting", "oas-ga=2009-06-09..2009-06-01"),
            "last day: it is before the first day",
        ),
        (("plan", "new", "2009", "--from", "2008", "--meeting", "oas-ga"), "SERIES=FIRST..LAST"),
        (("status", "--plan", "2012"), "--plan: the tracker holds no 2012 plan (it holds 2008)"),
        (("plan", "set", "2008", "--title", " \x1b[2J "), "--title: it cannot be empty"),
    ],
)
def test_bad_plan_input_is_one_line_and_saves_nothing(run, db_path, argv, message):
    run("status")
    Tracker.open(db_path).close()
    before = db_path.read_bytes()
    code, _, err = run(*argv)
    assert code == EXIT_USAGE and message in err and err.count("\n") == 1
    assert db_path.read_bytes() == before


def test_a_second_plan_of_a_year_is_refused(run):
    assert run("plan", "new", "2009", "--from", "2008")[0] == EXIT_OK
    code, _, err = run("plan", "new", "2009", "--from", "2008")
    assert code == EXIT_USAGE and "already holds a 2009 plan" in err


def test_plan_commands_load_no_textual(db_path):
    code, loaded = modules_loaded_by(["plan", "list", "--db", str(db_path)])
    assert code == EXIT_OK and loaded == "[]"


def test_a_carried_deadline_is_one_deadline_in_both_plans(run):
    run("plan", "new", "2009", "--from", "2008", today="2009-01-05")

    def state(number: str, plan: str) -> list[tuple[str, str, str | None]]:
        shown = json.loads(
            run("show", number, "--format", "json", "--plan", plan, today="2009-03-01")[1]
        )
        return [(o["due"], o["state"], o["done_on"]) for o in shown["occurrences"]]

    # Done late, recorded against the 2008 plan: the 2009 plan sees it done too.
    assert (
        run("done", "II-3.B.2", "--plan", "2008", "--on", "2009-01-10", today="2009-03-01")[0] == 0
    )
    assert state("II-3.B.2", "2009") == [("2008-12-31", "done", "2009-01-10")]
    # Done from the 2009 plan: the 2008 plan sees it done, and one undone takes back both.
    assert run("done", "II-3.A.3", "--on", "2009-02-01", today="2009-03-01")[0] == 0
    assert state("II-3.A.3", "2008") == [("2008-12-31", "done", "2009-02-01")]
    assert run("undone", "II-3.A.3", "--occurrence", "2008-12-31", today="2009-03-01")[0] == 0
    assert state("II-3.A.3", "2008") == [("2008-12-31", "overdue", None)]
    assert state("II-3.A.3", "2009") == [("2008-12-31", "overdue", None)]


@pytest.mark.parametrize(
    ("meetings", "message"),
    [
        (["cicte-session=2009-03-01..2009-05-02"], "lasts 63 days (more than 14): add --yes"),
        (
            ["oas-ga=2009-06-02", "oas-ga=2009-06-09"],
            "--meeting: oas-ga given twice; a meeting has one session",
        ),
    ],
)
def test_plan_new_checks_its_sessions_as_meeting_set_does(run, meetings, message):
    argv = ["plan", "new", "2009", "--from", "2008"]
    for meeting in meetings:
        argv += ["--meeting", meeting]
    code, _, err = run(*argv)
    assert code == EXIT_USAGE and message in err
    assert run(*argv[:5], "--meeting", "CICTE-SESSION=2009-03-04..2009-03-06")[0] == EXIT_OK


def test_a_carried_item_keeps_its_earlier_deadlines_done(run):
    # In progress at year end (so carried over), its 2008 deliverable already done.
    run("set", "II-3.B.2", "--status", "in progress", today="2008-10-15")
    run("done", "II-3.B.2", "--on", "2008-11-20", "--doc", "CICTE/doc.9/08", today="2008-11-20")
    run("plan", "new", "2009", "--from", "2008", today="2009-01-10")
    shown = json.loads(run("show", "II-3.B.2", "--format", "json", today="2009-01-10")[1])
    assert shown["carried_from"] == 2008 and shown["state"] != "overdue"
    assert [(o["due"], o["state"], o["done_on"]) for o in shown["occurrences"]] == [
        ("2008-12-31", "done", "2008-11-20")
    ]


def test_a_session_holding_another_years_work_cannot_be_deleted(run, db_path):
    from store.editing import EditError, Editor

    run("done", "1.iv", "--on", "2008-03-06", today="2008-06-15")
    run("plan", "new", "2009", "--from", "2008", today="2009-01-10")
    with Tracker.open(db_path) as tracker:
        tracker.select(2009)
        editor = Editor(tracker)
        with pytest.raises(EditError, match="2008 session holds completed occurrences"):
            editor.delete_session("cicte-session", 2008)
        with pytest.raises(EditError, match="names oas-ga"):
            editor.delete_series("oas-ga")  # the 2008 rules still name it


def test_plan_years_are_bounded(run):
    code, _, err = run("plan", "new", "9999", "--from", "2008")
    assert code == EXIT_USAGE and "9999 is not between 1900 and 2100" in err


def test_plan_zero_is_a_year_not_the_default(run):
    code, _, err = run("status", "--plan", "0")
    assert code == EXIT_USAGE and "holds no 0 plan" in err


def test_plan_text_is_cleaned_on_the_way_in_and_out(run, db_path):
    code, _, _ = run("plan", "new", "2009", "--from", "2008", "--symbol", "X\x1b]0;t\x07/09")
    assert code == EXIT_OK
    with Tracker.open(db_path, read_only=True) as tracker:
        assert tracker.plans[2009].symbol == "X/09"
    document = json.loads(db_path.read_text("utf-8"))  # a hand-edited title
    row = next(r for r in document["plans"].values() if r["plan"]["year"] == 2009)
    row["plan"]["title"] = "Plan \x1b[2J2009"
    db_path.write_text(json.dumps(document), "utf-8")
    listing = run("plan", "list")[1]
    assert "\x1b" not in listing and "Plan 2009" in listing


def test_a_plan_symbol_or_title_over_the_limit_is_refused_by_plan_new_and_plan_set(run):
    long_title = "x" * 501
    code, _, err = run("plan", "new", "2009", "--from", "2008", "--title", long_title)
    assert code == 2 and "title: 501 characters; the limit is 500" in err
    code, _, err = run("plan", "set", "2008", "--symbol", long_title)
    assert code == 2 and "symbol: 501 characters; the limit is 500" in err
    assert run("plan", "list")[1].count("2009") == 0
