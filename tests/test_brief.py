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
from store.formats.brief import brief_markdown
from store.model import Evidence, Note, Session, Status
from store.repository import Tracker
from store.schedule import OccurrenceState, Outlook
from tui.cli.parser import EXIT_OK, EXIT_OVERDUE, EXIT_USAGE, main

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
    change("1.iii", rules=("yearly 1 week before cicte-session",))  # a lead time: due 27 Feb
    # The session's agenda is already drafted (recorded two days late): its occurrence is done.
    Editor(tracker).complete(
        "I-1.iv",
        date(2008, 2, 20),
        done_on=date(2008, 2, 18),
        evidence=Evidence(document="CICTE/doc.4/08", outcome="Ordre du jour *distribué*"),
    )
    change("II-6.1", status=Status.DONE, last_reviewed=date(2008, 2, 10))
    change("II-6.2", status=Status.DONE, last_reviewed=date(2008, 1, 5))  # early in the plan year
    change(
        "1.ii",
        notes=(
            Note(
                datetime(2008, 2, 18, 14, 5), "Projet envoyé à la présidence: *urgent* [bold]x[/]"
            ),
            Note(datetime(2008, 3, 1, 9, 0), "Après le 20 février: absent du brief"),
        ),
    )
    change(
        "3.i",
        notes=(
            Note(datetime(2008, 2, 1, 9, 30), "7. Réunion avec la CICAD\n# suivi"),
            Note(datetime(2008, 1, 15, 11, 0), "Premier contact: plus ancien, absent du brief"),
        ),
    )
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


def keys(lines):
    return [line.obligation.key for line in lines]


def test_most_urgent_first_and_nothing_after_today(tracker):
    brief = brief_as_of(work_done_by_20_february(tracker), date(2008, 2, 20), "cicte-session")
    assert keys(brief.overdue) == ["II-1.A.2"]
    # The lead time counts: one week before the session is 27 February.
    assert keys(brief.due_before) == ["I-1.iii", "I-2.i"]
    assert brief.due_before[0].rule == "every year, 1 week before this meeting"
    assert brief.due_before[0].due.state is OccurrenceState.DUE_SOON
    # During: open ones first, then the meeting's own one already done; II-3.A.1 (15 April)
    # is after the session but not the session's business.
    assert keys(brief.due_during) == ["I-1.v", "I-1.viii", "I-1.iv"]
    assert keys(brief.due_after) == ["I-1.xiii", "I-1.vii"]
    assert brief.waiting == ()
    anchored = [(line.obligation.key, line.due.state) for line in brief.anchored]
    assert anchored == [
        ("I-1.iii", OccurrenceState.DUE_SOON),
        ("I-1.v", OccurrenceState.UPCOMING),  # the points of contact meet alongside (footnote 4)
        ("I-1.viii", OccurrenceState.UPCOMING),
        ("I-1.xiii", OccurrenceState.UPCOMING),
        ("I-1.vii", OccurrenceState.UPCOMING),
        ("I-1.iv", OccurrenceState.DONE),
    ]
    # No earlier CICTE session is recorded: completions since the plan year began.
    assert brief.previous is None and brief.completed_since == date(2008, 1, 1)
    assert [(c.obligation.key, c.done_on) for c in brief.completed] == [
        ("I-1.iv", date(2008, 2, 18)),
        ("II-6.1", date(2008, 2, 10)),
        ("II-6.2", date(2008, 1, 5)),
    ]
    # One note per item, its latest written by today.
    assert [n.note.text[:6] for n in brief.notes] == ["Projet", "7. Réu"]


def test_the_next_meeting_is_the_first_on_or_after_today(tracker):
    meetings = tracker.meetings

    def chosen(today):
        series, session = choose_meeting(meetings, today)
        return series.key, session.year

    assert chosen(date(2008, 2, 20)) == ("cicte-session", 2008)
    assert chosen(date(2008, 3, 5)) == ("cicte-session", 2008)
    assert chosen(date(2008, 3, 7)) == ("cicte-session", 2008)  # under way: still the next
    assert chosen(date(2008, 3, 8)) == ("oas-ga", 2008)
    with pytest.raises(BriefError, match="no meeting with a date on or after 2008-06-04") as error:
        choose_meeting(meetings, date(2008, 6, 4))
    assert str(error.value).endswith(
        "the last one was the OAS General Assembly 2008 (Thirty-eighth regular session), "
        "1–3 Jun 2008 (--event oas-ga/2008)"
    )


def test_a_session_is_named_series_slash_year(tracker):
    series, session = choose_meeting(tracker.meetings, date(2008, 12, 1), "oas-ga/2008")
    assert (series.key, session.start) == ("oas-ga", date(2008, 6, 1))
    series, session = choose_meeting(tracker.meetings, date(2008, 12, 1), "oas-ga/2009")
    assert (session.year, session.start) == (2009, None)
    with pytest.raises(BriefError, match="name a session as SERIES/YEAR"):
        choose_meeting(tracker.meetings, date(2008, 12, 1), "oas-ga/last")


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
    # Its deadlines fall on the CICTE session's days: before, during and after follow them.
    assert "## Due during the meeting (3)" in text
    assert (
        "- 1.v — Fournir des services administratifs et techniques durant les réunions avec "
        "l'assentiment préalable de la présidence du CICTE par les points de convergence "
        "nationaux. (due 7 Mar 2008, in 16 days; every year, during this meeting; "
        "date assumed: alongside the CICTE regular session, footnote 4)"
    ) in text


def test_a_brief_for_a_meeting_that_nothing_dates_waits(tracker):
    pcn = tracker.meetings["pcn-meeting"]
    tracker.save_series(replace(pcn, alongside=None, alongside_basis=""))
    text = brief_markdown(tracker, Outlook(date(2008, 2, 20)), "pcn-meeting")
    assert "- Meeting: national points of contact meeting, date not set (date not set yet)" in text
    assert "The meeting has no date yet, so nothing can be placed before it." in text
    waiting = text.split("## Waiting for a session date (1)\n\n", 1)[1].split("\n", 1)[0]
    assert waiting.startswith("- 1.v — Fournir des services")
    assert waiting.endswith(
        "(waiting for the date of pcn-meeting; every year, during this meeting)"
    )


def test_a_brief_for_a_past_meeting_says_how_long_ago_it_ended(tracker):
    text = brief_markdown(tracker, Outlook(date(2008, 2, 20)), "preparatory-meeting")
    assert "2 Nov 2007, Washington, D.C. (ended 110 days ago)" in text
    assert "The meeting opened on 2 Nov 2007." in text
    text = brief_markdown(tracker, Outlook(date(2008, 4, 5)), "cicte-session")
    assert "- Meeting: CICTE regular session 2008 (Eighth Regular Session), 5–7 Mar 2008, " in text
    assert "(ended 29 days ago)" in text
    overdue = text.split("## Overdue (", 1)[1].split("## ", 1)[0]
    assert "- 1.viii — " in overdue and "- 1.xiii — " not in overdue  # due 6 April: not yet
    after = text.split("## Due after the meeting (2)", 1)[1].split("## ", 1)[0]
    assert "- 1.xiii — " in after and "(due 6 Apr 2008, in 1 day; " in after
    assert "- 1.vii — " in after


def test_a_brief_during_the_meeting_says_which_day_it_is(tracker):
    assert "(under way, day 2 of 3)" in brief_markdown(tracker, Outlook(date(2008, 3, 6)))
    one_day = brief_markdown(tracker, Outlook(date(2007, 11, 2)), "preparatory-meeting")
    assert "2 Nov 2007, Washington, D.C. (today)" in one_day


def test_whole_first_sentences_tell_4_i_and_4_ii_apart(tracker):
    """Both open with 'Maintenir et distribuer parmi les États membres un répertoire des…'."""
    text = brief_markdown(tracker, Outlook(date(2008, 12, 20)), "oas-ga")
    lines = {line.split(" — ", 1)[0]: line for line in text.splitlines() if line.startswith("- 4.")}
    assert lines["- 4.i"].startswith(
        "- 4.i — Maintenir et distribuer parmi les États membres un répertoire des autorités "
        "compétentes au sein de chaque gouvernement, sur la base des renseignements fournis par "
        "les États membres respectifs. (due 30 Jun 2008"
    )
    # 4.ii: its whole first sentence, and not the second one ("Ce répertoire sera basé…").
    assert lines["- 4.ii"].startswith(
        "- 4.ii — Maintenir et distribuer parmi les États membres un répertoire des personnes et "
        "des organisations dotées d'expertise et de connaissances spécialisées dans des domaines "
        "comme la prévention et l'élimination du terrorisme dans le Continent américain ainsi que "
        "la lutte contre ce phénomène. (due 30 Jun 2008"
    )
    titles = [o.readable_title for o in tracker]
    assert len(set(titles)) == len(titles) - 1  # II-5.B repeats 1.x word for word, in the plan
    assert "…" not in text


def test_counts_cover_section_i_and_each_sector(tracker):
    brief = brief_as_of(work_done_by_20_february(tracker), date(2008, 2, 20))
    sectors = {s.key: s.counts for s in brief.sectors}
    assert list(sectors) == ["I", "II-1", "II-2", "II-3", "II-4", "II-5", "II-6"]
    assert sum(c.total for c in sectors.values()) == len(tracker)
    assert (sectors["II-1"].overdue, sectors["II-6"].done, sectors["I"].due_soon) == (1, 2, 2)


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
    from tui.cli.parser import main

    argv = ["--db", str(db_path), "--today", "2009-03-01"]
    assert main(["meeting", "set", "cicte-session", "2009", "--from", "2009-03-04",
                 "--to", "2009-03-06", *argv]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["brief", *argv]) in (0, 1)
    brief = capsys.readouterr().out
    assert "- Meeting: CICTE regular session 2009, 4–6 Mar 2009" in brief
    assert "No schedule rule refers to this meeting." not in brief
    assert "none is tied to this 2009 session" in brief


def test_completions_since_the_last_session_with_their_evidence(db_path, capsys):
    """Briefing the 2009 session: what was done since the 2008 one opened, evidence or not."""
    argv = ["--db", str(db_path), "--today", "2009-02-20"]
    with Tracker.open(db_path) as tracker:
        editor = Editor(tracker)
        evidence = Evidence("CICTE/RP/doc.2/08", outcome="Projet soumis")
        today = date(2009, 2, 20)
        editor.complete("I-1.ii", today, done_on=date(2008, 9, 25), evidence=evidence)
        editor.complete("I-4.i", today, done_on=date(2008, 7, 2))
        editor.complete("I-4.ii", today, done_on=date(2008, 2, 1))  # before the last session
    assert main(["meeting", "set", "cicte-session", "2009", "--from", "2009-03-04",
                 "--to", "2009-03-06", *argv]) == 0  # fmt: skip
    capsys.readouterr()
    main(["brief", *argv])
    brief = capsys.readouterr().out
    section = brief.split("## Completed since the last session, 5–7 Mar 2008 (2)\n\n", 1)[1]
    lines = section.split("\n\n", 1)[0].splitlines()
    assert lines == [
        "- 25 Sep 2008: 1.ii — Préparer un projet annuel de Plan de travail du CICTE en "
        "consultation avec la présidence. (deadline of 30 Sep 2008 done; document "
        "CICTE/RP/doc.2/08; outcome: Projet soumis)",
        "- 2 Jul 2008: 4.i — Maintenir et distribuer parmi les États membres un répertoire des "
        "autorités compétentes au sein de chaque gouvernement, sur la base des renseignements "
        "fournis par les États membres respectifs. (deadline of 30 Jun 2008 done; "
        "no evidence recorded)",
    ]


def test_a_brief_in_the_next_plan_year_counts_what_was_done_under_the_last(tracker):
    """Work after the 2008 session is recorded in the 2008 plan: the 2009 brief lists it."""
    from store.plan_years import start_plan

    Editor(tracker).complete("I-1.xiii", date(2008, 4, 1), evidence=Evidence("CICTE/INF.3/08"))
    session = Session(2009, date(2009, 3, 4), date(2009, 3, 6))
    start_plan(tracker, 2009, 2008, [("cicte-session", session)])
    tracker.select(2009)
    text = brief_markdown(tracker, Outlook(date(2009, 2, 20)))
    assert text.startswith("# Brief: CICTE regular session, 4–6 Mar 2009\n")
    assert (
        "- 1 Apr 2008: 1.xiii — Transmettre les décisions du CICTE au Secrétaire général. "
        "(deadline of 6 Apr 2008 done; document CICTE/INF.3/08; 2008 plan)"
    ) in text.split("## Completed since the last session, 5–7 Mar 2008 (1)", 1)[1]
    # The 2009 plan's own deadlines hang on the 2009 session.
    during = text.split("## Due during the meeting (3)", 1)[1].split("## ", 1)[0]
    assert "(due 6 Mar 2009, in 14 days; every year, during this meeting)" in during


def test_a_brief_loads_no_calendar_library():
    """A brief is Markdown: neither the brief nor its command loads icalendar."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, store.formats.brief, tui.cli.parser; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'icalendar'))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert loaded.stdout.strip() == "[]", loaded.stderr
