"""`cicte-tui status`: the quick check, its formats, its errors, and no Textual."""

import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest

from store.editing import Editor
from store.model import Evidence, Status
from store.repository import Tracker
from tests.conftest import modules_loaded_by
from tui.cli.parser import EXIT_STORE, EXIT_USAGE, main


def run_cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_status_loads_neither_textual_nor_the_app(db_path):
    code, loaded = modules_loaded_by(["status", "--db", str(db_path), "--today", "2008-06-15"])
    assert (code, loaded) == (0, "[]")


def test_json_lists_overdue_items_with_id_state_and_due(db_path, capsys):
    assert main(["status", "--db", str(db_path), "--today", "2008-10-15", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["today"] == "2008-10-15"
    items = {item["id"]: item for item in report["items"]}
    assert items["1.ii"]["state"] == "overdue"
    assert items["1.ii"]["due"] == "2008-09-30"
    assert items["1.ii"]["days"] == -15
    assert report["counts"]["overdue"] == len(report["items"])


def test_the_september_draft_is_not_overdue_in_june(db_path, capsys):
    main(["status", "--db", str(db_path), "--today", "2008-06-15", "--format", "json"])
    ids = [item["id"] for item in json.loads(capsys.readouterr().out)["items"]]
    assert "1.ii" not in ids
    assert "1.vii" in ids  # the report due before the General Assembly is late


def test_within_widens_the_due_soon_window(db_path, capsys):
    main(
        [
            "status",
            "--db",
            str(db_path),
            "--today",
            "2008-06-15",
            "--within",
            "120",
            "--format",
            "json",
        ]
    )
    items = json.loads(capsys.readouterr().out)["items"]
    assert {"id": "1.ii", "state": "due soon"}.items() <= next(
        i for i in items if i["id"] == "1.ii"
    ).items()


def test_today_comes_from_the_environment_when_not_given(db_path, monkeypatch, capsys):
    monkeypatch.setenv("CICTE_TODAY", "2008-10-15")
    main(["status", "--db", str(db_path), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["today"] == "2008-10-15" and report["today_source"] == "CICTE_TODAY"


def test_markdown_and_table_formats_show_the_same_items(db_path, capsys):
    main(["status", "--db", str(db_path), "--today", "2008-10-15", "--format", "markdown"])
    markdown = capsys.readouterr().out
    assert "| overdue | 1.ii |" in markdown
    main(["status", "--db", str(db_path), "--today", "2008-10-15"])
    table = capsys.readouterr().out
    assert "1.ii" in table and "OVERDUE" in table and "15 d late" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "2008-02-30"], "--today: 2008-02-30 is not a real date"),
        (["--today", "tomorrow"], "is not a date"),
        (["--within", "-3"], "--within: -3 is negative"),
        (["--format", "pdf"], "invalid choice"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(db_path, args, message):
    result = run_cli("status", "--db", str(db_path), *args)
    assert result.returncode == EXIT_USAGE
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_corrupt_store_gives_its_path_and_position(db_path):
    db_path.write_text('{"meta": {', "utf-8")
    result = run_cli("status", "--db", str(db_path))
    assert result.returncode == EXIT_STORE
    assert str(db_path) in result.stderr and "line 1, column 11" in result.stderr
    assert "Traceback" not in result.stderr
    assert db_path.read_text("utf-8") == '{"meta": {'


# -- one count everywhere ------------------------------------------------------------


def worked_tracker(db_path):
    """The embedded plan with a year of work: completions through the editor, two dated items."""
    with Tracker.open(db_path) as tracker:
        editor = Editor(tracker)
        editor.complete("I-1.iv", date(2008, 3, 7), done_on=date(2008, 3, 6))
        editor.complete("I-4.i", date(2008, 7, 2))  # the 30 June issue of the directory
        editor.complete("I-1.ii", date(2008, 9, 25), evidence=Evidence("CICTE/doc.4/08"))
        editor.set_status("II-6.1", Status.DONE, date(2008, 5, 2))
        editor.save_obligation(replace(tracker.find("II-1.A.2"), rules=("2008-02-15",)))
        editor.save_obligation(replace(tracker.find("2.i"), rules=("2008-03-01",)))


def captured(capsys, *argv):
    assert main(list(argv)) in (0, 1)
    return capsys.readouterr().out


def sentence_counts(text):
    found = re.search(r"(\d+) overdue, (\d+) due soon", text)
    assert found, text
    return int(found[1]), int(found[2])


@pytest.mark.parametrize("today", ["2008-02-20", "2008-06-15", "2008-12-20", "2009-03-01"])
def test_status_brief_and_exports_agree_on_the_counts(db_path, capsys, monkeypatch, today):
    worked_tracker(db_path)
    monkeypatch.setenv("COLUMNS", "200")  # the counts line on one line
    common = ["--db", str(db_path), "--today", today]

    table = captured(capsys, "status", *common)
    counts_line = next(line for line in table.splitlines() if " obligations: " in line)
    table_rows = [line for line in table.splitlines() if line.startswith("│")]
    per_state = (
        sum("! OVERDUE" in row for row in table_rows),
        sum("~ due soon" in row for row in table_rows),
    )
    assert sentence_counts(counts_line) == per_state
    before_meeting = sum("» before meeting" in row for row in table_rows)
    if before_meeting:  # 20 February: the session is 14 days away
        assert f", {before_meeting} before the meeting," in counts_line

    report = json.loads(captured(capsys, "status", *common, "--format", "json"))
    counts = report["counts"]
    states = [item["state"] for item in report["items"]]
    assert (counts["overdue"], counts["due_soon"]) == per_state
    assert (states.count("overdue"), states.count("due soon")) == per_state
    assert states.count("before meeting") == counts["before_meeting"] == before_meeting
    assert counts["lapsed"] == counts["period_ended"]

    markdown = captured(capsys, "status", *common, "--format", "markdown")
    assert sentence_counts(markdown) == per_state
    assert (markdown.count("\n| overdue |"), markdown.count("\n| due soon |")) == per_state
    assert markdown.count("\n| before meeting |") == before_meeting

    brief = captured(capsys, "brief", *common, "--event", "cicte-session")
    overdue = brief.split("## Overdue (", 1)[1]
    listed = overdue.split("\n## ", 1)[0].splitlines()[2:]
    assert int(overdue.split(")", 1)[0]) == per_state[0]
    assert len([line for line in listed if line.startswith("- ")]) == per_state[0]

    export = captured(capsys, "export", "markdown", *common, "-o", "-")
    assert sentence_counts(export) == per_state
    ended = re.search(r"(\d+) period ended \(renew or close\)", export)
    assert int(ended[1]) == counts["period_ended"]


def test_counts_and_rows_on_2009_03_01(db_path, capsys):
    """The issue's day: late deadlines of 2008 show their year; a programme period has ended."""
    worked_tracker(db_path)
    report = json.loads(
        captured(
            capsys, "status", "--db", str(db_path), "--today", "2009-03-01", "--format", "json"
        )
    )
    items = {(item["id"], item["state"]): item for item in report["items"]}
    assert items[("4.ii", "overdue")]["dues"] == ["2008-06-30", "2008-12-31"]
    assert items[("4.ii", "overdue")]["due"] == "2008-06-30"
    assert items[("4.i", "overdue")]["dues"] == ["2008-12-31"]  # 30 June was done
    assert items[("1.v", "overdue")]["assumed"] == (
        "alongside the CICTE regular session, footnote 4"
    )
    assert not any(key[0] in ("II-1.D.1", "1.iv", "1.ii") for key in items)
    assert report["counts"]["period_ended"] == 2  # II-1.D.1 (2004-2008) and II-1.D.2 (2006-2007)
    table = captured(capsys, "status", "--db", str(db_path), "--today", "2009-03-01")
    row = next(line for line in table.splitlines() if "│ 4.ii " in line)
    assert "30 Jun 2008 +1" in row and "244 d late" in row
    assert "period ended — renew or close" in table


def test_dates_of_todays_year_go_without_it(db_path, capsys):
    worked_tracker(db_path)
    table = captured(capsys, "status", "--db", str(db_path), "--today", "2008-12-20")
    row = next(line for line in table.splitlines() if "│ 4.ii " in line and "OVERDUE" in line)
    assert "30 Jun " in row and "2008" not in row.split("│")[4]
    markdown = captured(
        capsys, "status", "--db", str(db_path), "--today", "2009-01-05", "--format", "markdown"
    )
    row = next(line for line in markdown.splitlines() if line.startswith("| overdue | 4.ii |"))
    assert "| 30 Jun 2008, 31 Dec 2008 |" in row
    # The whole first sentence: 4.ii is told apart from 4.i, which opens alike.
    assert "répertoire des personnes et des organisations" in row


# -- the next meeting ----------------------------------------------------------------


def test_twenty_february_lists_what_falls_due_by_the_session_sixteen_days_ahead(db_path, capsys):
    """The session opens in 14 days and ends in 16: past the due-soon window, still listed."""
    table = captured(capsys, "status", "--db", str(db_path), "--today", "2008-02-20")
    flat = " ".join(table.split())  # the table wraps to the terminal's width
    assert (
        "Next meeting: CICTE regular session 2008 (Eighth Regular Session), 5–7 Mar 2008, "
        "Washington, D.C. — in 14 days; 5 open items hang on it."
    ) in flat
    assert "0 overdue, 0 due soon, 3 before the meeting," in flat
    rows = {line.split("│")[2].strip(): line for line in table.splitlines() if "│" in line}
    for number in ("1.iv", "1.v", "1.viii"):
        assert "» before meeting" in rows[number] and "16 d left" in rows[number]
        assert "7 Mar" in rows[number]
    assert "1.xiii" not in rows  # after the session: not before it
    markdown = captured(
        capsys, "status", "--db", str(db_path), "--today", "2008-02-20", "--format", "markdown"
    )
    assert markdown.count("\n| before meeting |") == 3
    assert "| before meeting | 1.viii | " in markdown and "| 16 d left |" in markdown


def test_json_gains_next_meeting_and_keeps_its_keys(db_path, capsys):
    report = json.loads(
        captured(
            capsys, "status", "--db", str(db_path), "--today", "2008-02-20", "--format", "json"
        )
    )
    assert report["next_meeting"] == {
        "series": "cicte-session",
        "name": "CICTE regular session",
        "title": "Eighth Regular Session",
        "year": 2008,
        "first_day": "2008-03-05",
        "last_day": "2008-03-07",
        "place": "Washington, D.C.",
        "days": 14,
        "under_way": False,
        "open_items": 5,  # 1.iv, 1.v (alongside, footnote 4), 1.vii, 1.viii, 1.xiii
        "lists_items": True,
        "lists_within_days": 30,
    }
    assert {"plan", "today", "today_source", "within_days", "review_days", "counts", "items"} <= (
        set(report)
    )
    states = [item["state"] for item in report["items"]]
    assert (
        states == ["before meeting"] * 3 == ["before meeting"] * report["counts"]["before_meeting"]
    )
    item = next(item for item in report["items"] if item["id"] == "1.viii")
    assert (item["due"], item["days"], item["dues"]) == ("2008-03-07", 16, ["2008-03-07"])
    assert item["text"] == "Présenter un rapport annuel au CICTE sur les activités du…"  # as before
    assert item["title"].endswith("sur son exercice budgétaire.")  # the whole first sentence


def test_a_far_meeting_is_named_but_lists_nothing_early(db_path, capsys):
    report = json.loads(
        captured(
            capsys, "status", "--db", str(db_path), "--today", "2008-01-15", "--format", "json"
        )
    )
    assert report["next_meeting"]["days"] == 50 and not report["next_meeting"]["lists_items"]
    assert report["items"] == [] and report["counts"]["before_meeting"] == 0
    table = captured(capsys, "status", "--db", str(db_path), "--today", "2008-01-15")
    assert "before the meeting" not in table and "in 50 days" in table


def test_status_around_the_march_2009_session(db_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    common = ["--db", str(db_path)]
    set_session = ["meeting", "set", "cicte-session", "2009", "--from", "2009-03-04"]
    assert main([*set_session, "--to", "2009-03-06", *common, "--today", "2009-02-01"]) == 0
    capsys.readouterr()

    def status(today):
        table = captured(capsys, "status", *common, "--today", today)
        meeting = next(line for line in table.splitlines() if line.startswith("Next meeting"))
        report = json.loads(
            captured(capsys, "status", *common, "--today", today, "--format", "json")
        )
        return meeting, report

    meeting, report = status("2009-02-20")
    # The 2008 plan's rules resolve against the 2008 sessions: nothing of it hangs on 2009's.
    assert meeting == (
        "Next meeting: CICTE regular session 2009, 4–6 Mar 2009 — in 12 days; "
        "0 open items of the 2008 plan hang on it."
    )
    assert report["next_meeting"]["year"] == 2009 and report["next_meeting"]["open_items"] == 0
    assert report["counts"]["before_meeting"] == 0
    assert {item["state"] for item in report["items"]} == {"overdue"}  # 2008's late deadlines

    meeting, report = status("2009-03-05")
    assert "4–6 Mar 2009 — under way, day 2 of 3;" in meeting
    assert (report["next_meeting"]["days"], report["next_meeting"]["under_way"]) == (-1, True)

    meeting, report = status("2009-03-10")
    assert meeting == (
        "Next meeting: none dated yet (add a session: cicte-tui meeting set); "
        "the last ended 4 days ago: CICTE regular session 2009, 4–6 Mar 2009."
    )
    assert report["next_meeting"] is None


# -- whose items ---------------------------------------------------------------------


def owned_tracker(db_path):
    with Tracker.open(db_path) as tracker:
        for number, owner in (("1.viii", "Ana Pérez"), ("4.ii", "Ana  pérez"), ("4.i", "Luis")):
            tracker.save_obligation(replace(tracker.find(number), owner=owner))


def test_owner_shows_only_that_owners_items_counts_and_rows(db_path, capsys, monkeypatch):
    owned_tracker(db_path)
    common = ["--db", str(db_path), "--today", "2008-07-10", "--format", "json"]
    everyone = json.loads(captured(capsys, "status", *common))
    assert {"1.viii", "4.i", "4.ii"} < {item["id"] for item in everyone["items"]}
    assert everyone["owner"] is None

    mine = json.loads(captured(capsys, "status", *common, "--owner", "ana pérez"))
    assert mine["owner"] == "ana pérez"
    assert {item["id"] for item in mine["items"]} == {"1.viii", "4.ii"}  # case and spaces aside
    assert mine["counts"]["total"] == 2
    assert mine["counts"]["overdue"] == 2 == len(mine["items"])

    monkeypatch.setenv("CICTE_OWNER", "Luis")
    by_default = json.loads(captured(capsys, "status", *common))
    assert [item["id"] for item in by_default["items"]] == ["4.i"]
    for show_all in (["--all"], ["--owner", ""]):
        again = json.loads(captured(capsys, "status", *common, *show_all))
        assert again["owner"] is None and again["items"] == everyone["items"]

    table = captured(capsys, "status", "--db", str(db_path), "--today", "2008-07-10")
    flat = " ".join(table.split())
    assert "Owner: Luis · 1 of 58 obligations · --all shows everyone's" in flat
    assert "1 obligation: 1 overdue" in flat


def test_an_owner_nobody_has_says_who_does(db_path, capsys):
    owned_tracker(db_path)
    table = captured(
        capsys, "status", "--db", str(db_path), "--today", "2008-07-10", "--owner", "Lusi"
    )
    flat = " ".join(table.split())
    assert "Owner: Lusi · 0 of 58 obligations (no item has this owner; owners: " in flat
    assert "owners: Ana Pérez, Luis)" in flat  # one spelling per owner


def test_owner_and_all_do_not_go_together(db_path):
    result = run_cli("status", "--db", str(db_path), "--owner", "Ana", "--all")
    assert result.returncode == EXIT_USAGE and "not allowed with argument" in result.stderr
