"""`cicte-tui report year`: a scripted 2008, its report (golden), the CSV, order and escaping."""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from store.editing import Editor
from store.formats.year_report import CSV_COLUMNS, csv_text, line, render_markdown
from store.model import Evidence, Session, Status
from store.plan_years import start_plan
from store.repository import Tracker
from store.schedule import Outlook
from store.year_report import Outcome, year_end_point, year_report
from tests.conftest import modules_loaded_by
from tui.cli.options import resolve
from tui.cli.report import EXIT_OK, EXIT_USAGE, add_report_parser, run_report

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
"""Run with UPDATE_GOLDEN=1 to rewrite the golden file after an intended change (read it first)."""

MARKUP_NOTE = (
    "Réunion *urgente* [bold]x[/] | <img src=x onerror=alert(1)> $5 ~a~ ^b^\n7. suivi\na. point"
)
"""Rich markup, Markdown emphasis, a table pipe, HTML and pandoc's maths, sub- and superscript,
and lines that would start lists: all must come out as the text itself."""


def scripted_2008(tracker: Tracker) -> Tracker:
    """The 2008 plan as the Secretariat might have worked it, completions dated and evidenced."""

    def clock_at(hour: int, minute: int):
        return lambda: datetime(2008, 1, 1, hour, minute)

    editor = Editor(tracker, clock=clock_at(9, 30))
    # The session's agenda (1.iv), on time, with a document and an outcome.
    editor.complete(
        "I-1.iv",
        date(2008, 2, 20),
        done_on=date(2008, 2, 18),
        evidence=Evidence(document="CICTE/doc.4/08", outcome="Ordre du jour *distribué*"),
    )
    # The annual report (1.viii), presented at the session, with a link.
    editor.complete(
        "I-1.viii",
        date(2008, 3, 7),
        evidence=Evidence(
            document="CICTE/doc.5/08", link="https://www.cicte.oas.org/Rev/en/Documents"
        ),
    )
    # The draft plan (1.ii), ten days late.
    editor.complete(
        "I-1.ii",
        date(2008, 10, 10),
        evidence=Evidence(document="CICTE/RP/doc.2/08", outcome="Projet envoyé à la présidence"),
    )
    # The directory (4.i): June on time; December missed, done in January 2009.
    editor.complete("I-4.i", date(2008, 6, 30), evidence=Evidence(outcome="Diffusé | v1"))
    editor.complete(
        "I-4.i",
        date(2009, 1, 15),
        due=date(2008, 12, 31),
        evidence=Evidence(document="CICTE/INF.1/09"),
    )
    # The report between the meetings (1.vii): missed, and still in progress.
    editor.set_status("I-1.vii", Status.IN_PROGRESS, date(2008, 7, 1))
    # A continuous project reviewed with notes (the latest has markup and several lines).
    editor.add_note("II-1.A.1", "Évaluation à Kingston terminée.", date(2008, 4, 2))
    Editor(tracker, clock=clock_at(16, 45)).add_note("II-1.A.1", MARKUP_NOTE, date(2008, 11, 5))
    # A project blocked, with an owner; an evaluation marked done as a whole.
    tracker.save_obligation(
        replace(
            tracker.obligation("II-1.A.2"),
            status=Status.BLOCKED,
            owner="Équipe sûreté portuaire",
            last_reviewed=date(2008, 5, 12),
        )
    )
    editor.set_status("II-3.B.2", Status.DONE, date(2008, 11, 20))
    # A training done in June, whose rule was moved afterwards: its completion is history.
    editor.complete(
        "II-4.A.1",
        date(2008, 6, 15),
        evidence=Evidence(outcome="Formation à la Barbade"),
    )
    tracker.save_obligation(replace(tracker.obligation("II-4.A.1"), rules=("2008-11-30",)))
    # An item carried over from the 2007 plan.
    tracker.save_obligation(replace(tracker.obligation("I-3.i"), carried_from=2007))
    return tracker


@pytest.fixture
def worked(tracker: Tracker) -> Tracker:
    return scripted_2008(tracker)


@pytest.fixture
def worked_db(db_path: Path) -> Path:
    with Tracker.open(db_path) as tracker:
        scripted_2008(tracker)
    return db_path


def report_of(tracker: Tracker, today: date):
    return year_report(tracker, tracker.plan, tracker.meetings, tracker.reference, Outlook(today))


def common(parser: argparse.ArgumentParser) -> None:
    """The options every command shares, as tui.cli gives them (this test does not import it)."""
    parser.add_argument("--db", metavar="PATH")
    parser.add_argument("--today", metavar="YYYY-MM-DD")
    parser.add_argument("--plan", metavar="YEAR", type=int)


def report_command(*argv: str) -> int:
    """``cicte-tui ARGV`` through this module's parser, as tui.cli.parser wires it."""
    parser = argparse.ArgumentParser(prog="cicte-tui")
    commands = parser.add_subparsers(dest="command")
    add_report_parser(commands, common)
    arguments = parser.parse_args(argv)
    return run_report(arguments, resolve(arguments.db, arguments.today, plan=arguments.plan))


def item(report, key):
    return next(i for i in report.items if i.key == key)


def outcomes(report, key):
    return [(d.due, d.outcome, d.done_on) for d in item(report, key).deadlines]


# -- the year, as data --------------------------------------------------------------------


def test_states_are_taken_the_day_after_the_year_ends_or_today_if_earlier(tracker):
    plan = tracker.plan
    assert year_end_point(plan, date(2009, 3, 1)) == date(2009, 1, 1)
    assert year_end_point(plan, date(2009, 1, 1)) == date(2009, 1, 1)
    assert year_end_point(plan, date(2008, 12, 31)) == date(2008, 12, 31)
    assert year_end_point(plan, date(2008, 9, 20)) == date(2008, 9, 20)


def test_each_deadline_of_the_year_is_done_missed_or_open(worked):
    report = report_of(worked, date(2009, 3, 1))
    assert report.year_over and report.as_of == date(2009, 1, 1)
    assert outcomes(report, "I-1.iv") == [(date(2008, 3, 7), Outcome.DONE, date(2008, 2, 18))]
    late = item(report, "I-1.ii").deadlines[0]
    assert (late.outcome, late.days_late) == (Outcome.DONE, 10)
    # December's directory was missed at year end; its January completion is shown, not counted.
    assert outcomes(report, "I-4.i") == [
        (date(2008, 6, 30), Outcome.DONE, date(2008, 6, 30)),
        (date(2008, 12, 31), Outcome.MISSED, date(2009, 1, 15)),
    ]
    assert item(report, "I-4.i").deadlines[1].done_since
    assert outcomes(report, "I-1.vii") == [(date(2008, 5, 31), Outcome.MISSED, None)]
    # A range of years falls due after the plan year: open, not missed.
    beyond = item(report, "II-4.A.2").deadlines[0]
    assert (beyond.outcome, beyond.beyond_year) == (Outcome.OPEN, True)
    # Marked done as a whole: done, with no dated completion.
    whole = item(report, "II-3.B.2").deadlines[0]
    assert (whole.outcome, whole.marked_done, whole.completion) == (Outcome.DONE, True, None)
    # A completion whose occurrence the rule no longer yields is kept as history.
    moved = item(report, "II-4.A.1")
    assert [c.done_on for c in moved.former] == [date(2008, 6, 15)]
    assert outcomes(report, "II-4.A.1") == [(date(2008, 11, 30), Outcome.MISSED, None)]


def test_reviews_notes_carried_items_and_what_stays_open(worked):
    report = report_of(worked, date(2009, 3, 1))
    reviewed = item(report, "II-1.A.1")
    assert reviewed.review_tracked and reviewed.reviewed_in_year and not reviewed.stale
    assert reviewed.latest_note.text == MARKUP_NOTE
    assert item(report, "II-1.A.3").stale and not item(report, "II-1.A.3").reviewed_in_year
    assert [i.key for i in report.carried_in] == ["I-3.i"]
    assert [i.key for i in report.open_at_year_end] == [
        "I-1.v",
        "I-1.vii",
        "I-1.xiii",
        "I-4.i",
        "I-4.ii",
        "II-1.A.2",  # blocked
        "II-3.A.3",
        "II-4.A.1",
    ]
    total = report.total
    assert (total.obligations, total.deadlines) == (58, 14)
    assert (total.done, total.missed, total.open) == (5, 8, 1)
    assert total.carried_in == 1 and total.open_at_year_end == 8
    assert sum(s.tally.deadlines for s in report.sectors) == total.deadlines


def test_counts_per_group_and_sector_in_plan_order(worked):
    report = report_of(worked, date(2009, 3, 1))
    keys = [s.group.key for s in report.sectors]
    assert keys == [f"I-{n}" for n in range(1, 9)] + [f"II-{n}" for n in range(1, 7)]
    first = report.sectors[0].tally
    assert (first.obligations, first.deadlines, first.done, first.missed) == (13, 6, 3, 3)


def test_an_interim_report_takes_states_today_and_ignores_later_work(worked):
    report = report_of(worked, date(2008, 9, 20))
    assert not report.year_over and report.as_of == date(2008, 9, 20)
    assert outcomes(report, "I-1.ii") == [(date(2008, 9, 30), Outcome.OPEN, None)]
    assert outcomes(report, "I-1.vii") == [(date(2008, 5, 31), Outcome.MISSED, None)]
    assert item(report, "II-1.A.1").latest_note.text == "Évaluation à Kingston terminée."
    text = render_markdown(report)
    assert text.startswith("# Interim report 2008, as of 20 Sep 2008: CICTE/RP/doc.2/07\n")
    assert "31 May 2008: **overdue**" in text and "**missed**" not in text


# -- Markdown ---------------------------------------------------------------------------------


def test_golden_year_report_2008(worked_db, capsys):
    assert report_command("report", "year", "--db", str(worked_db), "--today", "2009-03-01") == 0
    text = capsys.readouterr().out
    golden = GOLDEN / "year-report-2008.md"
    if UPDATE:
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8")


def test_the_report_is_the_same_whatever_order_the_file_keeps(worked):
    first = render_markdown(report_of(worked, date(2009, 3, 1)))
    # Deleted and restored (as undo does), a record moves to the end of the file; its place stays.
    for key in ("I-1.ii", "II-1.A.1"):
        obligation = worked.obligation(key)
        worked.delete_obligation(key)
        worked.save_obligation(obligation)
    assert list(worked)[-1].key == "II-1.A.1"
    assert render_markdown(report_of(worked, date(2009, 3, 1))) == first


def test_full_texts_are_never_cut(worked):
    text = render_markdown(report_of(worked, date(2009, 3, 1)))
    for obligation in worked:
        for text_line in obligation.text.splitlines():
            if text_line.strip():
                assert line(text_line) in text, obligation.key


def test_markup_in_notes_and_evidence_is_escaped(worked):
    text = render_markdown(report_of(worked, date(2009, 3, 1)))
    assert (
        "Réunion \\*urgente\\* \\[bold\\]x\\[/\\] \\| \\<img src=x onerror=alert(1)\\> "
        "\\$5 \\~a\\~ \\^b\\^\\\n  7\\. suivi\\\n  a\\. point"
    ) in text
    assert "outcome: Diffusé \\| v1" in text
    assert "outcome: Ordre du jour \\*distribué\\*" in text
    assert "link <https://www.cicte.oas.org/Rev/en/Documents>" in text


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_renders_it_cleanly(worked):
    markdown = render_markdown(report_of(worked, date(2009, 3, 1)))
    html = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "html", "--wrap=none"],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    # One table (the counts), no list, link, image or formula made of plan or user text.
    assert html.count("<table") == 1
    assert "<ol" not in html and "<img" not in html and "<dl" not in html
    assert "<sub>" not in html and "<sup>" not in html and "math" not in html
    assert "<em>urgente</em>" not in html and "<em>distribué</em>" not in html
    assert "Réunion *urgente* [bold]x[/] | &lt;img src=x onerror=alert(1)&gt; $5 ~a~ ^b^" in html
    assert "<p>a. Contrôles financiers ;</p>" in html
    links = [part.split('"')[0] for part in html.split('href="')[1:]]
    assert links == ["https://www.cicte.oas.org/Rev/en/Documents"]


# -- CSV ---------------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_a_row_per_deadline_and_per_item_tracked_by_review(worked):
    report = report_of(worked, date(2009, 3, 1))
    rows = read_csv(csv_text(report))
    assert list(rows[0]) == list(CSV_COLUMNS)
    deadlines = [r for r in rows if r["row"] == "deadline"]
    reviews = [r for r in rows if r["row"] == "review"]
    assert len(deadlines) == report.total.deadlines
    assert len(reviews) == report.total.review_tracked
    assert [r["id"] for r in rows if r["row"] == "former deadline"] == ["II-4.A.1"]
    by_due = {(r["id"], r["due"]): r for r in deadlines}
    december = by_due[("4.i", "2008-12-31")]
    assert (december["at year end"], december["done on"]) == ("missed", "2009-01-15")
    assert december["remark"] == "done after the year-end point"
    assert december["document"] == "CICTE/INF.1/09"
    june = by_due[("4.i", "2008-06-30")]
    assert (june["at year end"], june["outcome"]) == ("done", "Diffusé | v1")
    assert by_due[("1.ii", "2008-09-30")]["days late"] == "10"
    assert by_due[("1.iv", "2008-03-07")]["session"] == "cicte-session/2008"
    note = next(r for r in reviews if r["id"] == "II-1.A.1")
    assert note["latest note"] == MARKUP_NOTE  # several lines, one cell, verbatim
    assert note["latest note on"] == "2008-11-05 16:45"
    carried = next(r for r in reviews if r["id"] == "3.i")
    assert carried["carried from"] == "2007"
    assert {r["as of"] for r in rows} == {"2009-01-01"}


def test_csv_rows_follow_the_plan_order(worked):
    report = report_of(worked, date(2009, 3, 1))
    rows = read_csv(csv_text(report))
    order = {o.number: o.order for o in worked}
    positions = [order[r["id"]] for r in rows]
    assert positions == sorted(positions)
    assert {r["id"] for r in rows} == set(order)  # every obligation has at least one row


def test_csv_file_has_a_byte_order_mark_and_stdout_has_none(worked_db, tmp_path, capsysbinary):
    target = tmp_path / "year.csv"
    argv = ["report", "year", "--format", "csv", "--db", str(worked_db), "--today", "2009-03-01"]
    assert report_command(*argv, "-o", str(target)) == EXIT_OK
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert any(r["text"].startswith("Préparer un projet annuel") for r in rows)
    capsysbinary.readouterr()
    assert report_command(*argv) == EXIT_OK
    out = capsysbinary.readouterr().out
    assert not out.startswith(b"\xef\xbb\xbf") and out == raw[3:]


# -- the command --------------------------------------------------------------------------------


def test_plan_option_and_output_file(worked_db, tmp_path, capsys):
    base = ["report", "year", "--db", str(worked_db), "--today", "2009-03-01"]
    assert report_command(*base, "--plan", "2008") == EXIT_OK
    assert capsys.readouterr().out.startswith("# Year-end report 2008:")
    assert report_command(*base, "--plan", "2007") == EXIT_USAGE
    assert "holds no 2007 plan" in capsys.readouterr().err
    target = tmp_path / "report.md"
    assert report_command(*base, "-o", str(target)) == EXIT_OK
    assert "wrote the 2008 year report" in capsys.readouterr().err
    assert report_command(*base, "-o", str(target)) == EXIT_USAGE
    assert "--force" in capsys.readouterr().err
    assert report_command(*base, "-o", str(target), "--force") == EXIT_OK
    assert report_command(*base, "-o", str(worked_db), "--force") == EXIT_USAGE


def test_starting_2009_leaves_2008_as_it_was_and_2009_lists_what_was_carried(worked_db, capsys):
    base = ["report", "year", "--db", str(worked_db), "--today", "2009-03-01"]
    assert report_command(*base) == EXIT_OK
    before = capsys.readouterr().out
    with Tracker.open(worked_db) as tracker:
        ninth = Session(2009, date(2009, 3, 4), date(2009, 3, 6), "Ninth Regular Session")
        start_plan(tracker, 2009, 2008, [("cicte-session", ninth)])
        tracker.select(2008)
        ended = report_of(tracker, date(2009, 3, 1))
    open_in_2008 = [item.obligation.number for item in ended.open_at_year_end]
    assert report_command(*base, "--plan", "2008") == EXIT_OK
    assert capsys.readouterr().out == before
    assert report_command(*base, "--format", "csv") == EXIT_OK  # the plan holding today: 2009
    rows = read_csv(capsys.readouterr().out)
    assert {r["plan year"] for r in rows} == {"2009"}
    assert sorted({r["id"] for r in rows if r["carried from"] == "2008"}) == sorted(open_in_2008)
    assert report_command(*base) == EXIT_OK
    interim = capsys.readouterr().out
    assert interim.startswith("# Interim report 2009, as of 1 Mar 2009: Work plan 2009")
    assert f"## Carried in from an earlier plan ({len(open_in_2008)})" in interim


def test_the_report_only_reads_the_tracker(worked_db):
    before = worked_db.read_bytes()
    assert report_command("report", "year", "--db", str(worked_db), "--today", "2009-03-01") == 0
    assert worked_db.read_bytes() == before


def test_report_year_does_not_import_textual(worked_db):
    probe = (
        "import sys; from tests.test_year_report import report_command; "
        f"code = report_command('report', 'year', '--db', {str(worked_db)!r}, "
        "'--today', '2009-03-01', '--format', 'csv'); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual' or m == 'tui.app'); "
        "print('LOADED', bad); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.rpartition("LOADED ")[2].strip() == "[]"


def _cli_has_report() -> bool:
    try:
        from tui.cli.parser import build_parser

        with contextlib.redirect_stderr(io.StringIO()):
            build_parser().parse_args(["report", "year"])
    except (ImportError, SystemExit):
        return False
    return True


@pytest.mark.skipif(not _cli_has_report(), reason="tui.cli.parser does not wire 'report' yet")
def test_cicte_tui_report_year_does_not_import_textual(worked_db):
    argv = ["report", "year", "--db", str(worked_db), "--today", "2009-03-01"]
    assert modules_loaded_by(argv) == (0, "[]")
