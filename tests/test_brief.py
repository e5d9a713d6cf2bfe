"""`cicte-tui brief`: the meeting brief (golden), its choices of meeting, and exit codes."""

import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from store.brief import BriefError, choose_meeting, meeting_brief
from store.editing import Editor
from store.model import Evidence, Note, Session, Status
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
    # The session's agenda is already drafted (recorded two days late): its occurrence is done.
    Editor(tracker).complete(
        "I-1.iv",
        date(2008, 2, 20),
        done_on=date(2008, 2, 18),
        evidence=Evidence(document="CICTE/doc.4/08", outcome="Ordre du jour *distribué*"),
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
    return meeting_brief(tracker, tracker.plan, tracker.meetings, tracker.reference, outlook, event)


def test_most_urgent_first_and_nothing_after_today(tracker):
    brief = brief_as_of(work_done_by_20_february(tracker), date(2008, 2, 20), "cicte-session")
    assert [line.obligation.key for line in brief.overdue] == ["II-1.A.2"]
    assert [line.obligation.key for line in brief.due_before] == ["I-2.i"]
    assert brief.due_before[0].due.state is OccurrenceState.DUE_SOON
    anchored = [(line.obligation.key, line.due.state) for line in brief.anchored]
    assert anchored == [
        ("I-1.v", OccurrenceState.UPCOMING),  # the points of contact meet alongside (footnote 4)
        ("I-1.viii", OccurrenceState.UPCOMING),
        ("I-1.xiii", OccurrenceState.UPCOMING),
        ("I-1.vii", OccurrenceState.UPCOMING),
        ("I-1.iv", OccurrenceState.DONE),
    ]
    assert [(c.obligation.key, c.done_on) for c in brief.completed] == [
        ("I-1.iv", date(2008, 2, 18)),
        ("II-6.1", date(2008, 2, 10)),
    ]
    assert [n.note.text[:6] for n in brief.notes] == ["Projet", "7. Réu"]


def test_the_next_meeting_is_the_first_on_or_after_today(tracker):
    meetings = tracker.meetings

    def chosen(today):
        series, session = choose_meeting(meetings, today)
        return series.key, session.year

    assert chosen(date(2008, 2, 20)) == ("cicte-session", 2008)
    assert chosen(date(2008, 3, 5)) == ("cicte-session", 2008)
    assert chosen(date(2008, 3, 6)) == ("oas-ga", 2008)
    with pytest.raises(BriefError, match="no meeting with a date on or after 2008-06-02"):
        choose_meeting(meetings, date(2008, 6, 2))


def test_a_brief_for_the_general_assembly_lists_the_report_due_between_the_meetings(tracker):
    brief = brief_as_of(tracker, date(2008, 5, 20))
    assert brief.series.key == "oas-ga" and brief.days_to_event == 12
    assert [line.obligation.key for line in brief.anchored] == ["I-1.vii"]
    assert brief.anchored[0].rule == (
        "every year, between the CICTE regular session (5–7 Mar 2008) and this meeting"
    )
    assert [line.obligation.key for line in brief.due_before] == ["I-1.vii"]


def test_a_brief_for_a_meeting_without_dates_of_its_own_says_whose_it_takes(tracker):
    text = brief_markdown(tracker, Outlook(date(2008, 2, 20)), "pcn-meeting")
    assert (
        "- Meeting: national points of contact meeting, date not set (date not set yet; "
        "its deadlines take dates alongside the CICTE regular session, footnote 4)"
    ) in text
    assert "The meeting has no date yet, so nothing can be placed before it." in text
    assert (
        "- 1.v — Fournir des services administratifs et techniques durant… "
        "(due 7 Mar 2008, in 16 days; every year, during this meeting; "
        "date assumed: alongside the CICTE regular session, footnote 4)"
    ) in text


def test_a_brief_for_a_meeting_that_nothing_dates_waits(tracker):
    pcn = tracker.meetings["pcn-meeting"]
    tracker.save_series(replace(pcn, alongside=None, alongside_basis=""))
    text = brief_markdown(tracker, Outlook(date(2008, 2, 20)), "pcn-meeting")
    assert "- Meeting: national points of contact meeting, date not set (date not set yet)" in text
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
        "cicte-tui: unknown meeting 'board' "
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


def test_a_meeting_given_its_own_session_is_briefed_for_first(db_path, capsys):
    with Tracker.open(db_path) as tracker:
        pcn = tracker.meetings["pcn-meeting"]
        session = Session(2008, date(2008, 3, 4), date(2008, 3, 4), title="Sixième réunion")
        tracker.save_series(replace(pcn, name="Réunion des PCN", sessions=(session,)))
    main(["brief", "--db", str(db_path), "--today", "2008-02-20"])
    text = capsys.readouterr().out
    assert text.startswith("# Brief: Réunion des PCN, 4 Mar 2008\n")
    assert "- Meeting: Réunion des PCN 2008 (Sixième réunion), 4 Mar 2008 (in 13 days)" in text
    # Its own date now: no longer assumed from the CICTE session.
    assert "(due 4 Mar 2008, in 13 days; every year, during this meeting)" in text


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


def test_a_brief_for_next_years_session_says_why_nothing_is_tied_to_it(db_path, capsys):
    from tui.cli import main

    argv = ["--db", str(db_path), "--today", "2009-03-01"]
    assert main(["meeting", "set", "cicte-session", "2009", "--from", "2009-03-04",
                 "--to", "2009-03-06", *argv]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["brief", *argv]) in (0, 1)
    brief = capsys.readouterr().out
    assert "- Meeting: CICTE regular session 2009, 4–6 Mar 2009" in brief
    assert "No schedule rule refers to this meeting." not in brief
    assert "none is tied to this 2009 session" in brief
