"""`cicte-tui brief`: the meeting brief (golden), its choices of meeting, and exit codes."""

import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from store.brief import BriefError, choose_event, meeting_brief
from store.model import Completion, Event, Note, Status
from store.repository import Tracker
from store.schedule import OccurrenceState, Outlook
from tui.brief import brief_markdown
from tui.cli import EXIT_OK, EXIT_OVERDUE, EXIT_USAGE, main

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
"""Run with UPDATE_GOLDEN=1 to rewrite the golden files after an intended change."""


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60
    )


def work_done_by_20_february(tracker):
    """A tracker as the Secretariat might have it in February 2008."""

    def change(number, **changes):
        tracker.save_obligation(replace(tracker.find(number), **changes))

    # Two dated deadlines set by hand: one already missed, one before the session.
    change("II-1.A.2", rules=("2008-02-15",), owner="Port security team")
    change("2.i", rules=("2008-03-01",), status=Status.IN_PROGRESS)
    change("II-3.A.1", rules=("2008-04-15",))  # after the session: not "before the meeting"
    # The session's agenda is already drafted: its occurrence is done.
    change(
        "1.iv",
        completions=(Completion("event:before and during:cicte-session", date(2008, 2, 18)),),
        last_reviewed=date(2008, 2, 18),
    )
    change("II-6.1", status=Status.DONE, last_reviewed=date(2008, 2, 10))
    change("II-6.2", status=Status.DONE, last_reviewed=date(2008, 1, 5))  # too long ago
    change(
        "1.ii",
        notes=(
            Note(
                datetime(2008, 2, 18, 14, 5), "Projet envoyé à la présidence: *urgent* [bold]x[/]"
            ),
            Note(datetime(2008, 3, 1, 9, 0), "Après le 20 février: absent du brief"),
        ),
    )
    change("3.i", notes=(Note(datetime(2008, 2, 1, 9, 30), "7. Réunion avec la CICAD\n# suivi"),))
    return tracker


@pytest.fixture
def worked_db(db_path):
    with Tracker.open(db_path) as tracker:
        work_done_by_20_february(tracker)
    return db_path


def test_golden_brief_for_the_march_2008_session(worked_db, capsys):
    argv = ["brief", "--db", str(worked_db), "--today", "2008-02-20", "--event", "cicte-session"]
    assert main(argv) == EXIT_OK
    brief = capsys.readouterr().out
    golden = GOLDEN / "brief-cicte-session-2008-02-20.md"
    if UPDATE:
        golden.write_text(brief, "utf-8")
    assert brief == golden.read_text("utf-8")


def test_the_brief_is_the_same_every_time(worked_db, capsys):
    argv = ["brief", "--db", str(worked_db), "--today", "2008-02-20"]
    main(argv)
    first = capsys.readouterr().out
    main(argv)
    assert capsys.readouterr().out == first
    assert first.startswith("# Brief: CICTE regular session, 5–7 Mar 2008\n")


def brief_as_of(tracker, today, event=None):
    outlook = Outlook(today)
    return meeting_brief(tracker, tracker.plan, tracker.events, tracker.reference, outlook, event)


def test_most_urgent_first_and_nothing_after_today(tracker):
    brief = brief_as_of(work_done_by_20_february(tracker), date(2008, 2, 20), "cicte-session")
    assert [line.obligation.key for line in brief.overdue] == ["II-1.A.2"]
    assert [line.obligation.key for line in brief.due_before] == ["I-2.i"]
    assert brief.due_before[0].due.state is OccurrenceState.DUE_SOON
    anchored = [(line.obligation.key, line.due.state) for line in brief.anchored]
    assert anchored == [
        ("I-1.viii", OccurrenceState.UPCOMING),
        ("I-1.xiii", OccurrenceState.UPCOMING),
        ("I-1.vii", OccurrenceState.UPCOMING),
        ("I-1.iv", OccurrenceState.DONE),
    ]
    assert [(c.obligation.key, c.completed_on) for c in brief.completed] == [
        ("I-1.iv", date(2008, 2, 18)),
        ("II-6.1", date(2008, 2, 10)),
    ]
    assert [n.note.text[:6] for n in brief.notes] == ["Projet", "7. Réu"]


def test_the_next_meeting_is_the_first_on_or_after_today(tracker):
    events = tracker.events
    assert choose_event(events, date(2008, 2, 20)).key == "cicte-session"
    assert choose_event(events, date(2008, 3, 5)).key == "cicte-session"
    assert choose_event(events, date(2008, 3, 6)).key == "oas-ga"
    with pytest.raises(BriefError, match="no meeting with a date on or after 2008-06-02"):
        choose_event(events, date(2008, 6, 2))


def test_a_brief_for_the_general_assembly_lists_the_report_due_between_the_meetings(tracker):
    brief = brief_as_of(tracker, date(2008, 5, 20))
    assert brief.event.key == "oas-ga" and brief.days_to_event == 12
    assert [line.obligation.key for line in brief.anchored] == ["I-1.vii"]
    assert brief.anchored[0].rule == (
        "every year, between the CICTE regular session (5–7 Mar 2008) and this meeting"
    )
    assert [line.obligation.key for line in brief.due_before] == ["I-1.vii"]


def test_a_brief_for_a_meeting_without_a_date(tracker):
    text = brief_markdown(tracker, Outlook(date(2008, 2, 20)), "pcn-meeting")
    assert "- Meeting: national points of contact meeting, date not set (date not set yet)" in text
    assert "The meeting has no date yet, so nothing can be placed before it." in text
    assert "- 1.v — Fournir des services administratifs et techniques durant… " in text
    assert "(waiting for the date of pcn-meeting; every year, during this meeting)" in text


def test_a_brief_for_a_past_meeting(tracker):
    text = brief_markdown(tracker, Outlook(date(2008, 2, 20)), "preparatory-meeting")
    assert "(started 110 days ago)" in text
    assert "The meeting has already started." in text


def test_counts_cover_section_i_and_each_sector(tracker):
    brief = brief_as_of(work_done_by_20_february(tracker), date(2008, 2, 20))
    sectors = {s.key: s.counts for s in brief.sectors}
    assert list(sectors) == ["I", "II-1", "II-2", "II-3", "II-4", "II-5", "II-6"]
    assert sum(c.total for c in sectors.values()) == len(tracker)
    assert (sectors["II-1"].overdue, sectors["II-6"].done, sectors["I"].due_soon) == (1, 2, 1)


def test_unknown_event_is_one_line_listing_the_known_keys(db_path):
    result = run_cli("brief", "--db", str(db_path), "--event", "board")
    assert result.returncode == EXIT_USAGE
    assert result.stderr == (
        "cicte-tui: unknown event 'board' "
        "(known: cicte-session, oas-ga, pcn-meeting, preparatory-meeting)\n"
    )


def test_no_meeting_ahead_asks_for_one(db_path):
    result = run_cli("brief", "--db", str(db_path), "--today", "2008-12-01")
    assert result.returncode == EXIT_USAGE
    assert "no meeting with a date on or after 2008-12-01; name one with --event" in result.stderr


def test_the_brief_goes_to_a_file_and_never_over_one(worked_db, tmp_path):
    target = tmp_path / "brief.md"
    args = ["brief", "--db", str(worked_db), "--today", "2008-02-20", "-o", str(target)]
    assert main(args) == EXIT_OK
    written = target.read_text("utf-8")
    assert written.startswith("# Brief: CICTE regular session")
    result = run_cli(*args)
    assert result.returncode == EXIT_USAGE
    assert "already exists; add --force to overwrite it" in result.stderr
    assert target.read_text("utf-8") == written


def test_a_later_meeting_can_be_briefed_for_after_editing_its_dates(db_path, capsys):
    with Tracker.open(db_path) as tracker:
        tracker.save_event(Event("pcn-meeting", "Réunion des PCN", date(2008, 3, 4)))
    main(["brief", "--db", str(db_path), "--today", "2008-02-20"])
    assert capsys.readouterr().out.startswith("# Brief: Réunion des PCN, 4 Mar 2008\n")


# -- --fail-on-overdue -------------------------------------------------------------


@pytest.mark.parametrize("command", [["status"], ["brief", "--event", "oas-ga"]])
@pytest.mark.parametrize(("today", "code"), [("2008-02-20", EXIT_OK), ("2008-04-10", EXIT_OVERDUE)])
def test_fail_on_overdue_exits_1_only_when_something_is_overdue(db_path, command, today, code):
    # Nothing is late on 20 February; on 10 April the session's report (1.viii) is.
    result = run_cli(*command, "--db", str(db_path), "--today", today, "--fail-on-overdue")
    assert result.returncode == code, result.stderr
    assert result.stdout  # the report is printed either way
    without = run_cli(*command, "--db", str(db_path), "--today", today)
    assert without.returncode == EXIT_OK


def test_fail_on_overdue_still_writes_the_brief(worked_db, tmp_path):
    target = tmp_path / "brief.md"
    args = ["brief", "--db", str(worked_db), "--today", "2008-02-20", "-o", str(target)]
    assert main([*args, "--fail-on-overdue"]) == EXIT_OVERDUE
    assert "## Overdue (1)" in target.read_text("utf-8")
